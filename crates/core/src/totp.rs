//! Time-based one-time passwords (RFC 6238) for the virtual MFA devices of the world.
//!
//! HOTP (RFC 4226) over the 30-second step count; codes are compared in constant time and a
//! code one step early or late is accepted, as AWS does for clock drift.

use hmac::{Mac, SimpleHmac};

use crate::clock::Timestamp;

/// The HMAC hash a device uses (virtual MFA devices use SHA-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA-1, the authenticator-app default.
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

/// A TOTP generator: a shared secret plus its parameters. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Totp {
    secret: Vec<u8>,
    algorithm: Algorithm,
    digits: u32,
    step: u64,
}

impl std::fmt::Debug for Totp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Totp")
            .field("secret", &"<redacted>")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("step", &self.step)
            .finish()
    }
}

/// A seed that is not valid base32.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("MFA seed must be base32 (letters A–Z and digits 2–7)")]
pub struct BadSeed;

impl Totp {
    /// A SHA-1, 6-digit, 30-second generator (what virtual MFA devices use) for raw `secret`.
    pub fn new(secret: Vec<u8>) -> Self {
        Self::with(secret, Algorithm::Sha1, 6, 30)
    }

    /// A generator with explicit parameters (`digits` 6–9, `step` in seconds, at least 1).
    pub fn with(secret: Vec<u8>, algorithm: Algorithm, digits: u32, step: u64) -> Self {
        Self {
            secret,
            algorithm,
            digits: digits.clamp(6, 9),
            step: step.max(1),
        }
    }

    /// A default generator from a base32 seed (as in an authenticator app's QR code); spaces,
    /// padding and letter case are forgiven.
    pub fn from_base32(seed: &str) -> Result<Self, BadSeed> {
        let cleaned: String = seed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map(Self::new)
            .map_err(|_| BadSeed)
    }

    /// The HOTP value for counter `counter`.
    fn hotp(&self, counter: u64) -> String {
        let msg = counter.to_be_bytes();
        let digest = match self.algorithm {
            Algorithm::Sha1 => mac::<sha1::Sha1>(&self.secret, &msg),
            Algorithm::Sha256 => mac::<sha2::Sha256>(&self.secret, &msg),
            Algorithm::Sha512 => mac::<sha2::Sha512>(&self.secret, &msg),
        };
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let bin = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        let code = u64::from(bin) % 10u64.pow(self.digits);
        format!("{code:0width$}", width = self.digits as usize)
    }

    /// Seconds since the epoch as RFC 6238's T (times before 1970 count as 1970).
    fn unix_seconds(at: Timestamp) -> u64 {
        u64::try_from(at.seconds()).unwrap_or(0)
    }

    /// The code shown at `at`.
    pub fn code_at(&self, at: Timestamp) -> String {
        self.hotp(Self::unix_seconds(at) / self.step)
    }

    /// Seconds until the code shown at `at` changes.
    pub fn seconds_left(&self, at: Timestamp) -> u64 {
        self.step - Self::unix_seconds(at) % self.step
    }

    /// Whether `code` is the code of the step containing `at`, or of the step just before or
    /// after it. Compared in constant time.
    pub fn verify(&self, code: &str, at: Timestamp) -> bool {
        self.matching_step(code, at).is_some()
    }

    /// The step (counter) whose code `code` is: the one containing `at`, or the one just
    /// before or after it. Every candidate is compared, in constant time.
    pub fn matching_step(&self, code: &str, at: Timestamp) -> Option<u64> {
        let counter = Self::unix_seconds(at) / self.step;
        let candidates = [
            counter.checked_sub(1),
            Some(counter),
            counter.checked_add(1),
        ];
        candidates.into_iter().flatten().fold(None, |found, c| {
            let hit = crate::ct::eq(self.hotp(c).as_bytes(), code.as_bytes());
            found.or(hit.then_some(c))
        })
    }
}

fn mac<D>(key: &[u8], msg: &[u8]) -> Vec<u8>
where
    D: hmac::digest::Digest + hmac::digest::core_api::BlockSizeUser,
{
    let mut m = SimpleHmac::<D>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, Appendix B: the seeds are the ASCII digits repeated to the hash's length.
    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc6238_test_vectors() {
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let sha1 = Totp::with(SEED20.to_vec(), Algorithm::Sha1, 8, 30);
        let sha256 = Totp::with(SEED32.to_vec(), Algorithm::Sha256, 8, 30);
        let sha512 = Totp::with(SEED64.to_vec(), Algorithm::Sha512, 8, 30);
        for (t, c1, c256, c512) in table {
            assert_eq!(sha1.code_at(Timestamp(t as i64)), c1, "SHA1 at {t}");
            assert_eq!(sha256.code_at(Timestamp(t as i64)), c256, "SHA256 at {t}");
            assert_eq!(sha512.code_at(Timestamp(t as i64)), c512, "SHA512 at {t}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        // RFC 4226, Appendix D: six-digit HOTP values for counters 0..9.
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        let totp = Totp::new(SEED20.to_vec());
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(totp.hotp(counter as u64), *code);
        }
    }

    #[test]
    fn accepts_one_step_of_drift_and_no_more() {
        let totp = Totp::from_base32("X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW").unwrap();
        let now = Timestamp(1_800_000_015);
        let code = totp.code_at(now);
        assert_eq!(code.len(), 6);
        assert!(totp.verify(&code, now));
        assert!(totp.verify(&code, now.plus(-30)));
        assert!(totp.verify(&code, now.plus(30)));
        assert!(!totp.verify(&code, now.plus(60)));
        assert!(!totp.verify(&code, now.plus(-60)));
        assert!(!totp.verify("", now));
        assert!(!totp.verify(&format!("{code}0"), now));
        assert_eq!(totp.seconds_left(now), 15);
    }

    #[test]
    fn seeds_are_base32_and_secret_stays_hidden() {
        assert!(Totp::from_base32("x2hu 5oki 5cdp jfar jqpa qvpe ld7z 47sw").is_ok());
        assert_eq!(Totp::from_base32("not base32!").unwrap_err(), BadSeed);
        let shown = format!(
            "{:?}",
            Totp::from_base32("X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW").unwrap()
        );
        assert!(
            shown.contains("redacted") && !shown.contains("X2HU"),
            "{shown}"
        );
    }
}
