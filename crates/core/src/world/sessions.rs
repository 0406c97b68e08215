//! The live sessions, indexed by access key id and by expiry, and bounded: forgetting the
//! expired ones costs only what is forgotten, not a scan of every session ever issued, and a
//! flood of new sessions cannot grow memory without limit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Session;
use crate::clock::Timestamp;

/// How many sessions are kept unless told otherwise. At the limit, issuing one more forgets
/// the session nearest its expiry (already expired ones first).
pub const DEFAULT_MAX_SESSIONS: usize = 100_000;

/// Live sessions by access key id, with an expiry index. Serialises as the plain map, in key
/// order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sessions {
    /// A hash map (std's, randomly keyed: no chosen key ids can make it slow): every call
    /// looks a session up and every AssumeRole checks and inserts one, under the world's
    /// lock, where a B-tree of up to 100,000 keys would take some 17 string comparisons a
    /// lookup, the most of any one thing in an AssumeRole under load.
    live: HashMap<String, Session>,
    by_expiry: BTreeSet<(Timestamp, String)>,
    limit: usize,
}

impl Default for Sessions {
    fn default() -> Self {
        Self {
            live: HashMap::new(),
            by_expiry: BTreeSet::new(),
            limit: DEFAULT_MAX_SESSIONS,
        }
    }
}

impl Sessions {
    /// The session of `access_key_id`.
    pub fn get(&self, access_key_id: &str) -> Option<&Session> {
        self.live.get(access_key_id)
    }

    /// Whether `access_key_id` is a live (or recently expired, not yet forgotten) session.
    pub fn contains_key(&self, access_key_id: &str) -> bool {
        self.live.contains_key(access_key_id)
    }

    /// How many sessions are kept.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The most sessions kept at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Sets the most sessions kept at once (at least 1), forgetting the nearest-expiring ones
    /// beyond it.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(1);
        while self.live.len() > self.limit {
            self.forget_soonest();
        }
    }

    fn forget_soonest(&mut self) {
        if let Some((_, key)) = self.by_expiry.pop_first() {
            self.live.remove(&key);
        }
    }

    /// Keeps `session` under its access key id (replacing one with the same id), forgetting
    /// the session nearest its expiry when at the limit.
    pub fn insert(&mut self, session: Session) {
        let key = session.credentials.access_key_id.clone();
        self.remove(&key);
        while self.live.len() >= self.limit {
            self.forget_soonest();
        }
        self.by_expiry
            .insert((session.credentials.expiration, key.clone()));
        self.live.insert(key, session);
    }

    /// Forgets a session; returns it.
    pub fn remove(&mut self, access_key_id: &str) -> Option<Session> {
        let session = self.live.remove(access_key_id)?;
        self.by_expiry
            .remove(&(session.credentials.expiration, access_key_id.to_owned()));
        Some(session)
    }

    /// Moves a session's expiry to `at` (the emulator's test hook); false when unknown.
    pub fn set_expiration(&mut self, access_key_id: &str, at: Timestamp) -> bool {
        match self.remove(access_key_id) {
            Some(mut session) => {
                session.credentials.expiration = at;
                self.insert(session);
                true
            }
            None => false,
        }
    }

    /// Forgets the sessions that expired more than `grace_seconds` before `now`: as many
    /// steps as sessions forgotten, however many are live.
    pub fn purge_expired(&mut self, now: Timestamp, grace_seconds: i64) {
        while let Some((expiration, key)) = self.by_expiry.first() {
            if expiration.plus(grace_seconds) > now {
                break;
            }
            let key = key.clone();
            self.remove(&key);
        }
    }
}

impl Serialize for Sessions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // In key order, as before: the same sessions always write the same text.
        self.live.iter().collect::<BTreeMap<_, _>>().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Sessions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let live = BTreeMap::<String, Session>::deserialize(d)?;
        let mut sessions = Sessions::default();
        for (_, session) in live {
            sessions.insert(session);
        }
        Ok(sessions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{Credentials, Identity, Secret, SessionKind};

    fn session(key: &str, expiration: i64) -> Session {
        Session {
            credentials: Credentials {
                access_key_id: key.into(),
                secret_access_key: Secret::new("s"),
                session_token: Secret::new("t"),
                expiration: Timestamp(expiration),
            },
            identity: Identity::User {
                account: "111111111111".parse().unwrap(),
                name: "David".parse().unwrap(),
            },
            kind: SessionKind::SessionToken,
            issued_at: Timestamp(0),
            mfa_at: None,
            role_path: None,
            role_id: None,
            extras: None,
        }
    }

    /// A flood of sessions stays within the limit, and forgetting expired
    /// ones goes by the index.
    #[test]
    fn sessions_are_bounded_and_purged_by_expiry() {
        let mut s = Sessions::default();
        s.set_limit(1000);
        for i in 0..100_000 {
            s.insert(session(&format!("ASIA{i:016}"), 10_000 + i));
            assert!(s.len() <= 1000);
        }
        assert_eq!(s.len(), 1000);
        assert_eq!(s.by_expiry.len(), 1000, "the index follows the map");
        // The ones kept are the latest to expire.
        assert!(s.contains_key(&format!("ASIA{:016}", 99_999)));
        assert!(!s.contains_key(&format!("ASIA{:016}", 98_999)));
        s.purge_expired(Timestamp(10_000 + 99_500), 0);
        assert_eq!(s.len(), 499);
        assert!(s.set_expiration(&format!("ASIA{:016}", 99_999), Timestamp(5)));
        s.purge_expired(Timestamp(6), 0);
        assert_eq!(s.len(), 498);
        assert!(!s.contains_key(&format!("ASIA{:016}", 99_999)));
        let json = serde_json::to_string(&s).unwrap();
        let back: Sessions = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 498);
        assert_eq!(back.by_expiry.len(), 498);
    }

    /// Lowering the limit forgets the sessions nearest their expiry beyond it, at once; a
    /// store exactly at its new limit keeps every session; the limit is at least one.
    #[test]
    fn a_lower_limit_forgets_the_soonest_beyond_it() {
        let mut s = Sessions::default();
        assert!(s.is_empty());
        assert_eq!(s.limit(), DEFAULT_MAX_SESSIONS);
        for i in 0..5 {
            s.insert(session(&format!("ASIA{i:016}"), 10_000 + i));
        }
        assert!(!s.is_empty());
        s.set_limit(5);
        assert_eq!((s.len(), s.limit()), (5, 5), "at the limit, all are kept");
        s.set_limit(3);
        assert_eq!((s.len(), s.limit()), (3, 3));
        assert!(!s.contains_key(&format!("ASIA{:016}", 1)));
        assert!(s.contains_key(&format!("ASIA{:016}", 2)));
        s.set_limit(0);
        assert_eq!((s.len(), s.limit()), (1, 1));
        assert!(s.contains_key(&format!("ASIA{:016}", 4)));
    }
}
