//! The `userIdentity` of the last few keys that made calls, so that a caller's next record
//! shares it instead of building it again: building one formats ARNs and dates and takes a
//! digest, under the world's lock, for every call.

use std::sync::Arc;

use super::{Interned, UserIdentity};
use crate::clock::Timestamp;
use crate::world::Identity;

/// How many keys are remembered.
const REMEMBERED: usize = 8;

/// The last few callers' `userIdentity`, by access key id.
///
/// A key names one identity for its lifetime: a session's facts never change, a user's key is
/// the user's until it is deleted, and no operation moves a user to another path. An entry is
/// still checked against the caller each time (the identity, and for a session when it began),
/// so that a key id ever given to another caller could not be recorded as the first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Callers {
    recent: Interned<Caller, REMEMBERED>,
}

#[derive(Debug)]
struct Caller {
    key: String,
    identity: Identity,
    issued_at: Option<Timestamp>,
    user: Arc<UserIdentity>,
}

impl Callers {
    /// The `userIdentity` remembered for `key`, if it was `identity`'s (with a session begun
    /// at `issued_at`).
    pub fn get(
        &self,
        key: &str,
        identity: &Identity,
        issued_at: Option<Timestamp>,
    ) -> Option<Arc<UserIdentity>> {
        self.recent
            .find_by(|c| c.key == key && c.identity == *identity && c.issued_at == issued_at)
            .map(|c| c.user.clone())
    }

    /// Remembers `user` as the `userIdentity` of `key`, used by `identity` (in place of what
    /// `key` had).
    pub fn remember(
        &mut self,
        key: &str,
        identity: &Identity,
        issued_at: Option<Timestamp>,
        user: Arc<UserIdentity>,
    ) {
        let caller = Arc::new(Caller {
            key: key.to_owned(),
            identity: identity.clone(),
            issued_at,
            user,
        });
        self.recent.replace_or_remember(|c| c.key == key, caller);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::AccountId;

    fn user(name: &str) -> Identity {
        Identity::User {
            account: AccountId::parse("111111111111").expect("an account"),
            name: name.parse().expect("a name"),
        }
    }

    /// An entry answers only for its own key, identity and session start; a key's new entry
    /// replaces its old one, and the oldest key goes once all are taken.
    #[test]
    fn a_remembered_caller_answers_only_for_itself() {
        let mut callers = Callers::default();
        let david = Arc::new(UserIdentity {
            user_name: Some("David".into()),
            ..UserIdentity::default()
        });
        callers.remember("AKIA1", &user("David"), None, david.clone());
        let got = callers.get("AKIA1", &user("David"), None).expect("known");
        assert!(Arc::ptr_eq(&got, &david));
        assert!(callers.get("AKIA2", &user("David"), None).is_none());
        assert!(callers.get("AKIA1", &user("Maria"), None).is_none());
        assert!(callers
            .get("AKIA1", &user("David"), Some(Timestamp(1)))
            .is_none());
        let maria = Arc::new(UserIdentity::default());
        callers.remember("AKIA1", &user("Maria"), None, maria.clone());
        assert!(callers.get("AKIA1", &user("David"), None).is_none());
        assert_eq!(callers.recent.len(), 1);
        for i in 0..REMEMBERED {
            callers.remember(&format!("K{i}"), &user("David"), None, david.clone());
        }
        assert!(callers.get("AKIA1", &user("Maria"), None).is_none());
        assert!(callers.get("K7", &user("David"), None).is_some());
        assert_eq!(callers.recent.len(), REMEMBERED);
    }
}
