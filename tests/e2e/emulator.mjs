// Starts crossrole-emulator serving the built console same-origin, for the end-to-end tests
// against a real wire protocol. Each emulator listens on a free port (printed in its first log
// line) and is stopped with SIGTERM; its log is kept for assertions.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.EMULATOR_BIN ?? resolve(here, '../../target/debug/crossrole-emulator');

/** Starts the emulator with `--static dist/` and `args`; resolves to { url, log, stop }. */
export async function startEmulator(args = []) {
  const child = spawn(BINARY, ['--listen', '127.0.0.1:0', '--static', DIST, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Whatever happens to the test run, the emulator does not outlive it.
  process.once('exit', () => child.kill('SIGKILL'));
  const log = [];
  const lines = createInterface({ input: child.stderr });
  const url = await new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`emulator exited with ${code}: ${log.join('\n')}`)));
    lines.on('line', (line) => {
      log.push(line);
      try {
        const event = JSON.parse(line);
        if (event.kind === 'listening') ok(event.url);
      } catch {
        // Not a log line of ours: kept in `log`.
      }
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  return {
    url,
    log,
    /** Ends a session's validity now (`--test-hooks` only). */
    async expire(accessKeyId) {
      const r = await fetch(`${url}/crossrole-test/expire?accessKeyId=${encodeURIComponent(accessKeyId)}`, {
        method: 'POST',
      });
      if (r.status !== 204) throw new Error(`expire ${accessKeyId}: HTTP ${r.status}`);
    },
    /** SIGTERM, then the exit status (a graceful shutdown exits 0). */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
