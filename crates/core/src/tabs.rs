//! Several sessions: each tab acts as its own identity (its session lives in the
//! tab's sessionStorage), up to [`MAX_SESSIONS`] at once, like the AWS console's
//! multi-session. Tabs tell each other who they act as through a registry in localStorage
//! holding only labels and colours — never a credential — refreshed while the tab lives.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::colour::Colour;

/// How many identities may be signed in at once, across tabs.
pub const MAX_SESSIONS: usize = 5;
/// A tab not heard of for this long is gone (closed, crashed).
pub const STALE_SECONDS: i64 = 15;

/// What a tab says of itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TabInfo {
    /// Who it acts as, as its banner says ("David @ example-corp", "PRODUCTION"); `None`
    /// when signed out.
    pub label: Option<String>,
    /// The role's colour, while in a role.
    #[serde(rename = "color", default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<Colour>,
    /// When it last said so.
    pub seen: Timestamp,
}

/// Every tab's [`TabInfo`], by tab id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tabs(pub BTreeMap<String, TabInfo>);

impl Tabs {
    /// Reads the stored registry (anything unreadable is an empty one: it refills itself).
    pub fn decode(text: &str) -> Tabs {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Records what tab `id` says, and forgets tabs not heard of for [`STALE_SECONDS`].
    pub fn update(&mut self, id: &str, info: TabInfo, now: Timestamp) {
        self.0.insert(id.to_owned(), info);
        self.0.retain(|_, t| t.seen.until(now) <= STALE_SECONDS);
    }

    /// Forgets tab `id` (it closed).
    pub fn remove(&mut self, id: &str) {
        self.0.remove(id);
    }

    /// The other live tabs that are signed in, by label.
    pub fn others_signed_in(&self, id: &str, now: Timestamp) -> Vec<TabInfo> {
        let mut out: Vec<TabInfo> = self
            .0
            .iter()
            .filter(|(k, t)| {
                k.as_str() != id && t.label.is_some() && t.seen.until(now) <= STALE_SECONDS
            })
            .map(|(_, t)| t.clone())
            .collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out
    }

    /// Whether tab `id` may sign in: fewer than [`MAX_SESSIONS`] others are.
    pub fn may_sign_in(&self, id: &str, now: Timestamp) -> bool {
        self.others_signed_in(id, now).len() < MAX_SESSIONS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(label: Option<&str>, seen: i64) -> TabInfo {
        TabInfo {
            label: label.map(str::to_owned),
            colour: None,
            seen: Timestamp(seen),
        }
    }

    #[test]
    fn tabs_see_each_other_until_stale_and_at_most_five_sign_in() {
        let mut tabs = Tabs::default();
        tabs.update("a", info(Some("David @ example-corp"), 100), Timestamp(100));
        tabs.update("b", info(Some("PRODUCTION"), 100), Timestamp(100));
        tabs.update("c", info(None, 100), Timestamp(100));
        let others: Vec<_> = tabs
            .others_signed_in("a", Timestamp(105))
            .into_iter()
            .map(|t| t.label.unwrap())
            .collect();
        assert_eq!(others, ["PRODUCTION"], "signed-out tabs are not sessions");
        assert!(
            tabs.others_signed_in("a", Timestamp(200)).is_empty(),
            "stale tabs are gone"
        );
        tabs.update("a", info(Some("David @ example-corp"), 200), Timestamp(200));
        assert!(!tabs.0.contains_key("b"), "forgotten when stale");
        for (i, id) in ["b", "c", "d", "e"].into_iter().enumerate() {
            tabs.update(id, info(Some(&format!("User{i}")), 200), Timestamp(200));
        }
        assert!(tabs.may_sign_in("a", Timestamp(200)), "four others");
        assert!(
            !tabs.may_sign_in("f", Timestamp(200)),
            "five others: the sixth waits"
        );
        let text = tabs.encode();
        assert_eq!(Tabs::decode(&text), tabs);
        assert_eq!(Tabs::decode("garbage"), Tabs::default());
        tabs.remove("a");
        assert!(tabs.may_sign_in("f", Timestamp(200)));
    }
}
