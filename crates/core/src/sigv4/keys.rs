//! Signing keys, derived once per secret and scope and kept, bounded, for a verifier.

use super::*;

/// Signing keys already derived, by secret and scope: a verifier derives each once per day
/// and scope, as AWS SDKs cache theirs (four of the five HMACs of a check). Bounded: emptied
/// when [`SigningKeys::CAPACITY`] is reached. Holds secrets: keep it in memory only.
#[derive(Default)]
pub struct SigningKeys {
    /// By secret: each scope (date, region, service) and its key. Looked up by borrowed text,
    /// so a hit allocates nothing.
    pub(super) by_secret: std::collections::HashMap<String, Vec<(Scope, Vec<u8>)>>,
    pub(super) len: usize,
}

/// How many keys it holds, never a secret or a key.
impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeys")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// A credential scope's date, region and service.
type Scope = (String, String, String);

impl SigningKeys {
    /// The most keys kept.
    pub const CAPACITY: usize = 4096;

    /// The signing key for `secret` in the scope, derived once.
    pub fn get(&mut self, secret: &str, date: &str, region: &str, service: &str) -> &[u8] {
        let is_scope = |(d, r, s): &Scope| d == date && r == region && s == service;
        let known = self
            .by_secret
            .get(secret)
            .and_then(|keys| keys.iter().position(|(scope, _)| is_scope(scope)));
        let (keys, i) = match known {
            Some(i) => (self.by_secret.get_mut(secret).expect("just found"), i),
            None => {
                if self.len >= Self::CAPACITY {
                    self.by_secret.clear();
                    self.len = 0;
                }
                self.len += 1;
                let keys = self.by_secret.entry(secret.to_owned()).or_default();
                let scope = (date.to_owned(), region.to_owned(), service.to_owned());
                keys.push((scope, signing_key(secret, date, region, service)));
                let last = keys.len() - 1;
                (keys, last)
            }
        };
        &keys[i].1
    }
}
