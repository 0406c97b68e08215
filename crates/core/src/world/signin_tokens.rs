//! The sign-in tokens of the federation endpoint (IAM User Guide, "Enable custom identity
//! broker access to the AWS console"): random values handed out for a temporary session,
//! each good for one console sign-in within 15 minutes. Only the token's value and what it
//! stands for are kept, never the session's secret or token; runtime state, never saved.
//!
//! Bounded: a flood of requests cannot grow memory without limit. At the bound, the oldest
//! token is forgotten (it is the nearest to expiring: every token lives as long).

use std::collections::{HashMap, VecDeque};

use crate::clock::Timestamp;

/// How long a sign-in token may be used (the User Guide: "The URL is valid for 15 minutes").
pub const SIGNIN_TOKEN_SECONDS: i64 = 900;

/// How many sign-in tokens are kept at once.
pub const SIGNIN_TOKENS_MAX: usize = 10_000;

/// What a sign-in token stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninGrant {
    /// The access key id of the session it was issued for (an identifier, not a secret).
    pub access_key_id: String,
    /// The console session's length the request asked for (`SessionDuration`), if it did.
    pub session_duration: Option<u32>,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// Whether a sign-in already used it.
    pub used: bool,
}

impl SigninGrant {
    /// Whether it can no longer be used at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        now >= self.issued_at.plus(SIGNIN_TOKEN_SECONDS)
    }
}

/// Why a sign-in token cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No such token (never issued, or forgotten long ago).
    Unknown,
    /// Issued more than 15 minutes ago.
    Expired,
    /// A sign-in already used it.
    Used,
}

/// The sign-in tokens issued, by value, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SigninTokens {
    by_value: HashMap<String, SigninGrant>,
    order: VecDeque<String>,
}

impl SigninTokens {
    /// Keeps `token` for `grant`, forgetting the expired ones and, at the bound, the oldest.
    pub fn insert(&mut self, token: String, grant: SigninGrant) {
        let now = grant.issued_at;
        self.purge(now);
        while self.order.len() >= SIGNIN_TOKENS_MAX {
            if let Some(old) = self.order.pop_front() {
                self.by_value.remove(&old);
            }
        }
        self.order.push_back(token.clone());
        self.by_value.insert(token, grant);
    }

    /// The grant of `token` if it may be used at `now` (not marking it used).
    pub fn check(&self, token: &str, now: Timestamp) -> Result<&SigninGrant, TokenRefusal> {
        let grant = self.by_value.get(token).ok_or(TokenRefusal::Unknown)?;
        if grant.used {
            Err(TokenRefusal::Used)
        } else if grant.expired(now) {
            Err(TokenRefusal::Expired)
        } else {
            Ok(grant)
        }
    }

    /// The grant of `token`, used or expired or not (to record who a refused sign-in was).
    pub fn grant_of(&self, token: &str) -> Result<&SigninGrant, TokenRefusal> {
        self.by_value.get(token).ok_or(TokenRefusal::Unknown)
    }

    /// Uses `token` at `now`: its grant, once; afterwards it is refused as used.
    pub fn redeem(&mut self, token: &str, now: Timestamp) -> Result<SigninGrant, TokenRefusal> {
        self.check(token, now)?;
        let grant = self.by_value.get_mut(token).ok_or(TokenRefusal::Unknown)?;
        grant.used = true;
        Ok(grant.clone())
    }

    /// Makes `token` expire at `now` (the emulator's test hook), if it is kept.
    pub fn expire(&mut self, token: &str, now: Timestamp) -> bool {
        match self.by_value.get_mut(token) {
            Some(grant) => {
                grant.issued_at = now.plus(-SIGNIN_TOKEN_SECONDS);
                true
            }
            None => false,
        }
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Forgets the tokens past their 15 minutes at `now` (a used or expired one is then
    /// refused as unknown).
    fn purge(&mut self, now: Timestamp) {
        while let Some(oldest) = self.order.front() {
            if !self.by_value.get(oldest).is_none_or(|g| g.expired(now)) {
                break;
            }
            if let Some(old) = self.order.pop_front() {
                self.by_value.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(at: i64) -> SigninGrant {
        SigninGrant {
            access_key_id: "ASIAEXAMPLE".into(),
            session_duration: None,
            issued_at: Timestamp(at),
            used: false,
        }
    }

    /// IAM User Guide, "Enable custom identity broker access to the AWS console": the sign-in
    /// URL "is valid for 15 minutes", and a token signs in once.
    #[test]
    fn a_token_works_once_within_fifteen_minutes() {
        let mut tokens = SigninTokens::default();
        tokens.insert("t1".into(), grant(1000));
        tokens.insert("t2".into(), grant(1000));
        assert_eq!(
            tokens.check("nope", Timestamp(1000)),
            Err(TokenRefusal::Unknown)
        );
        assert_eq!(
            tokens.check("t1", Timestamp(1000 + 899)).map(|g| g.used),
            Ok(false)
        );
        assert_eq!(
            tokens.check("t1", Timestamp(1000 + 900)),
            Err(TokenRefusal::Expired)
        );
        assert!(tokens.redeem("t1", Timestamp(1001)).is_ok());
        assert_eq!(
            tokens.redeem("t1", Timestamp(1002)),
            Err(TokenRefusal::Used)
        );
        assert_eq!(tokens.check("t1", Timestamp(1002)), Err(TokenRefusal::Used));
        assert_eq!(
            tokens.redeem("t2", Timestamp(1000 + 900)),
            Err(TokenRefusal::Expired)
        );
    }

    #[test]
    fn tokens_are_bounded_and_expired_ones_forgotten() {
        let mut tokens = SigninTokens::default();
        for i in 0..SIGNIN_TOKENS_MAX + 5 {
            tokens.insert(format!("t{i}"), grant(1000));
        }
        assert_eq!(tokens.len(), SIGNIN_TOKENS_MAX);
        assert_eq!(
            tokens.check("t0", Timestamp(1000)),
            Err(TokenRefusal::Unknown)
        );
        assert!(tokens.check("t5", Timestamp(1000)).is_ok());
        tokens.insert("late".into(), grant(1000 + 900));
        assert_eq!(tokens.len(), 1);
    }

    /// The emulator's test hook ends a kept token's life now; a token not kept is not there
    /// to expire.
    #[test]
    fn a_token_expired_now_is_refused_as_expired() {
        let mut tokens = SigninTokens::default();
        assert!(tokens.is_empty());
        tokens.insert("t1".into(), grant(1000));
        assert!(!tokens.is_empty());
        assert!(tokens.expire("t1", Timestamp(1010)));
        assert_eq!(
            tokens.check("t1", Timestamp(1010)),
            Err(TokenRefusal::Expired)
        );
        assert!(!tokens.expire("nope", Timestamp(1010)));
        assert_eq!(
            tokens.check("nope", Timestamp(1010)),
            Err(TokenRefusal::Unknown)
        );
    }
}
