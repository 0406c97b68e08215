// RFC 6238 TOTP, written independently of the console's Rust implementation so that the
// end-to-end tests check the mock's MFA instead of trusting it.
import { createHmac } from 'node:crypto';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The six-digit code for a base32 seed at `unixSeconds`. */
export function totp(seed, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32(seed)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

/** David's virtual MFA device seed, from the demo world. */
export const DAVID_SEED = 'X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW';

/**
 * A code of `seed` that `used` (a Set of steps, one per server) has not seen: a server takes
 * each code once, and the code of the next step is good too. When both were used, waits for
 * the device's next step, as a person would.
 */
export async function freshCode(seed, used) {
  for (;;) {
    const now = Date.now() / 1000;
    // The current step, else the next one (a code one step early is accepted, and stays good
    // for two steps): never the previous one, which may stop being accepted before the
    // sign-in reaches the backend (seen once: a 10 s timeout on a sign-in at a step's end).
    for (const offset of [0, 30]) {
      const step = Math.floor((now + offset) / 30);
      if (!used.has(step)) {
        used.add(step);
        return totp(seed, step * 30);
      }
    }
    await new Promise((r) => setTimeout(r, (30 - (now % 30)) * 1000 + 50));
  }
}
