//! Role history: the roles recently switched to, most recent first, at most a few.
//!
//! Entries are keyed by the account as typed plus the role's path and (case-sensitive) name:
//! switching again to the same key moves the entry to the front and takes the new display
//! name and colour. The stored form is versioned JSON whose decoder keeps every valid entry
//! and skips a corrupt one, so one bad entry never costs the whole history.

use serde::{Deserialize, Serialize};

use crate::colour::Colour;
use crate::link::RoleRef;
use crate::validation::{AccountRef, DisplayName};

/// How many entries the console keeps, as AWS does.
pub const DEFAULT_CAPACITY: usize = 5;

/// The most entries a person may choose to keep.
pub const MAX_CAPACITY: usize = 50;

/// The version of the stored format this code writes.
pub const FORMAT_VERSION: u32 = 1;

/// One role in the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// The account, as the person typed it (id or alias).
    pub account: AccountRef,
    /// The role.
    pub role: RoleRef,
    /// What the console shows for it.
    pub display_name: DisplayName,
    /// Its colour, if one was chosen.
    #[serde(rename = "color", default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<Colour>,
}

impl HistoryEntry {
    /// Whether `other` names the same role in the same account (display name and colour
    /// aside): the history keeps one entry per role.
    pub fn same_role(&self, other: &HistoryEntry) -> bool {
        self.account == other.account && self.role == other.role
    }
}

/// The history, most recent first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    entries: Vec<HistoryEntry>,
    capacity: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

/// Why stored history could not be read at all (entries that are merely bad are skipped).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryDecodeError {
    /// Not JSON, or not an object with an `entries` list.
    #[error("stored role history is corrupt: {0}")]
    Corrupt(String),
    /// Written by a newer version of crossrole.
    #[error("stored role history has unknown format version {0}")]
    UnknownVersion(u64),
}

/// What decoding recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The history built from the valid entries.
    pub history: History,
    /// How many entries were unreadable and dropped.
    pub skipped: usize,
}

impl History {
    /// An empty history keeping at most `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// The entries, most recent first.
    pub fn entries(&self) -> &[HistoryEntry] {
        &self.entries
    }

    /// How many entries it keeps at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Records a switch: the entry goes to the front, replacing an entry for the same
    /// account and role; the oldest entry beyond capacity is dropped.
    pub fn record(&mut self, entry: HistoryEntry) {
        self.entries.retain(|e| !e.same_role(&entry));
        self.entries.insert(0, entry);
        self.entries.truncate(self.capacity);
    }

    /// Records a switch into what is stored now (`stored`, the store's text when readable),
    /// rather than into this tab's copy, so that another tab's entry recorded meanwhile is
    /// kept (the write merges instead of overwriting). Entries of this copy the store lacks
    /// (e.g. recorded while the store could not be written) are kept behind the stored ones.
    /// An unreadable or missing store falls back to this copy.
    pub fn record_onto_stored(&self, stored: Option<&str>, entry: HistoryEntry) -> History {
        let mut merged = match stored.and_then(|text| History::decode(text, self.capacity).ok()) {
            Some(decoded) => {
                let mut merged = decoded.history;
                for mine in &self.entries {
                    if merged.entries.len() < merged.capacity
                        && !merged.entries.iter().any(|e| e.same_role(mine))
                    {
                        merged.entries.push(mine.clone());
                    }
                }
                merged
            }
            None => self.clone(),
        };
        merged.record(entry);
        merged
    }

    /// Removes the entry for `account` and `role`, if any; says whether one was removed.
    pub fn remove(&mut self, account: &AccountRef, role: &RoleRef) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|e| !(&e.account == account && &e.role == role));
        before != self.entries.len()
    }

    /// Keeps at most `capacity` entries from now on (1–[`MAX_CAPACITY`]) and hands back the
    /// oldest it drops beyond it, with their places, so that an Undo can set the old capacity
    /// again and [`History::restore`] each.
    pub fn set_capacity(&mut self, capacity: usize) -> Vec<(usize, HistoryEntry)> {
        self.capacity = capacity.clamp(1, MAX_CAPACITY);
        let kept = self.capacity.min(self.entries.len());
        self.entries
            .split_off(kept)
            .into_iter()
            .enumerate()
            .map(|(i, e)| (kept + i, e))
            .collect()
    }

    /// Removes the entry for `account` and `role` and hands it back with its place, so that
    /// an Undo can put it back ([`History::restore`]).
    pub fn take(&mut self, account: &AccountRef, role: &RoleRef) -> Option<(usize, HistoryEntry)> {
        let at = self
            .entries
            .iter()
            .position(|e| &e.account == account && &e.role == role)?;
        Some((at, self.entries.remove(at)))
    }

    /// Puts back an entry [`History::take`] removed, at its place (or last, if fewer are
    /// left), unless the role is back already (switched to since): the newer entry stays.
    /// The capacity still holds: the oldest beyond it is dropped.
    pub fn restore(&mut self, at: usize, entry: HistoryEntry) -> bool {
        if self.entries.iter().any(|e| e.same_role(&entry)) {
            return false;
        }
        self.entries.insert(at.min(self.entries.len()), entry);
        self.entries.truncate(self.capacity);
        true
    }

    /// Renames and recolours the entry for `account` and `role`; says whether there was one.
    pub fn edit(
        &mut self,
        account: &AccountRef,
        role: &RoleRef,
        display_name: DisplayName,
        colour: Option<Colour>,
    ) -> bool {
        match self
            .entries
            .iter_mut()
            .find(|e| &e.account == account && &e.role == role)
        {
            Some(e) => {
                e.display_name = display_name;
                e.colour = colour;
                true
            }
            None => false,
        }
    }

    /// This history keeping at most `capacity` entries (1–[`MAX_CAPACITY`]); the oldest
    /// beyond it are dropped.
    pub fn with_capacity(mut self, capacity: usize) -> History {
        self.set_capacity(capacity);
        self
    }

    /// The stored form: `{"version":1,"capacity":5,"entries":[…]}` (the capacity is the
    /// person's choice, shared by their tabs).
    pub fn encode(&self) -> String {
        serde_json::json!({
            "version": FORMAT_VERSION,
            "capacity": self.capacity,
            "entries": self.entries,
        })
        .to_string()
    }

    /// Reads the stored form, keeping valid entries (deduplicated, most recent first, cut to
    /// `capacity`) and counting the skipped ones.
    pub fn decode(text: &str, capacity: usize) -> Result<Decoded, HistoryDecodeError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| HistoryDecodeError::Corrupt(e.to_string()))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(v) => return Err(HistoryDecodeError::UnknownVersion(v)),
            None => return Err(HistoryDecodeError::Corrupt("no version".into())),
        }
        let Some(items) = value.get("entries").and_then(serde_json::Value::as_array) else {
            return Err(HistoryDecodeError::Corrupt("no entries list".into()));
        };
        // A capacity chosen and stored wins over the caller's default.
        let capacity = value
            .get("capacity")
            .and_then(serde_json::Value::as_u64)
            .map_or(capacity, |c| (c as usize).clamp(1, MAX_CAPACITY));
        let mut history = History::new(capacity);
        let mut skipped = 0;
        // Oldest first, so that the most recent of any duplicates ends up in front.
        for item in items.iter().rev() {
            match serde_json::from_value::<HistoryEntry>(item.clone()) {
                Ok(entry) => history.record(entry),
                Err(_) => skipped += 1,
            }
        }
        Ok(Decoded { history, skipped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_renamed_recoloured_and_the_capacity_is_kept_in_the_store() {
        let mut h = History::new(DEFAULT_CAPACITY);
        for i in 0..5 {
            h.record(entry(
                "222222222222",
                &format!("R{i}"),
                &format!("Role {i}"),
            ));
        }
        let (account, role) = (
            AccountRef::parse("222222222222").unwrap(),
            RoleRef::parse("R3").unwrap(),
        );
        assert!(h.edit(
            &account,
            &role,
            DisplayName::parse("Renamed").unwrap(),
            Some(Colour::Green)
        ));
        assert!(!h.edit(
            &account,
            &RoleRef::parse("Nope").unwrap(),
            DisplayName::parse("x").unwrap(),
            None
        ));
        let h = h.with_capacity(3);
        assert_eq!(h.entries().len(), 3);
        let back = History::decode(&h.encode(), DEFAULT_CAPACITY)
            .unwrap()
            .history;
        assert_eq!(back.capacity(), 3, "the chosen capacity is stored");
        assert_eq!(back, h);
        assert_eq!(h.entries()[1].display_name.as_str(), "Renamed");
        assert_eq!(h.entries()[1].colour, Some(Colour::Green));
        assert_eq!(History::new(0).with_capacity(500).capacity(), MAX_CAPACITY);
        // A store written before capacities were kept reads with the default.
        let old = r#"{"version":1,"entries":[]}"#;
        assert_eq!(
            History::decode(old, DEFAULT_CAPACITY)
                .unwrap()
                .history
                .capacity(),
            DEFAULT_CAPACITY
        );
    }

    fn entry(account: &str, role: &str, name: &str) -> HistoryEntry {
        HistoryEntry {
            account: AccountRef::parse(account).unwrap(),
            role: RoleRef::parse(role).unwrap(),
            display_name: DisplayName::parse(name).unwrap(),
            colour: None,
        }
    }

    fn names(h: &History) -> Vec<&str> {
        h.entries()
            .iter()
            .map(|e| e.display_name.as_str())
            .collect()
    }

    #[test]
    fn a_removed_entry_is_put_back_at_its_place_by_undo() {
        let mut h = History::new(3);
        for (r, n) in [("C", "c"), ("B", "b"), ("A", "a")] {
            h.record(entry("111111111111", r, n));
        }
        let (at, taken) = h
            .take(
                &AccountRef::parse("111111111111").unwrap(),
                &RoleRef::parse("B").unwrap(),
            )
            .unwrap();
        assert_eq!((at, names(&h)), (1, vec!["a", "c"]));
        assert!(h.restore(at, taken.clone()));
        assert_eq!(names(&h), ["a", "b", "c"]);
        // Switched to again since: the newer entry stays, the undo adds no second one.
        let (at, taken) = h.take(&taken.account, &taken.role).unwrap();
        h.record(entry("111111111111", "B", "b again"));
        assert!(!h.restore(at, taken));
        assert_eq!(names(&h), ["b again", "a", "c"]);
        // Full since: the oldest beyond the capacity goes.
        let (at, taken) = h
            .take(
                &AccountRef::parse("111111111111").unwrap(),
                &RoleRef::parse("A").unwrap(),
            )
            .unwrap();
        h.record(entry("111111111111", "D", "d"));
        assert!(h.restore(at, taken));
        assert_eq!(names(&h), ["d", "a", "b again"]);
        assert!(h
            .take(
                &AccountRef::parse("111111111111").unwrap(),
                &RoleRef::parse("Z").unwrap()
            )
            .is_none());
    }

    #[test]
    fn a_smaller_capacity_hands_back_what_it_drops_for_an_undo() {
        let mut h = History::new(5);
        for (r, n) in [("D", "d"), ("C", "c"), ("B", "b"), ("A", "a")] {
            h.record(entry("111111111111", r, n));
        }
        let dropped = h.set_capacity(2);
        assert_eq!(names(&h), ["a", "b"]);
        assert_eq!(h.capacity(), 2);
        assert_eq!(
            dropped
                .iter()
                .map(|(at, e)| (*at, e.display_name.as_str()))
                .collect::<Vec<_>>(),
            [(2, "c"), (3, "d")]
        );
        // Undo: the old capacity, and each entry back at its place.
        assert!(h.set_capacity(5).is_empty());
        for (at, e) in dropped {
            assert!(h.restore(at, e));
        }
        assert_eq!(names(&h), ["a", "b", "c", "d"]);
        assert!(
            h.set_capacity(9).is_empty(),
            "a larger capacity drops nothing"
        );
    }

    #[test]
    fn most_recent_first_and_capped() {
        let mut h = History::default();
        for i in 0..7 {
            h.record(entry("222222222222", &format!("Role{i}"), &format!("R{i}")));
        }
        assert_eq!(names(&h), ["R6", "R5", "R4", "R3", "R2"]);
        let mut small = History::new(2);
        small.record(entry("222222222222", "A", "a"));
        small.record(entry("222222222222", "B", "b"));
        small.record(entry("222222222222", "C", "c"));
        assert_eq!(names(&small), ["c", "b"]);
    }

    #[test]
    fn switching_again_moves_to_front_and_updates() {
        let mut h = History::default();
        h.record(entry("222222222222", "AccessToProdDynamoDB", "PRODUCTION"));
        h.record(entry("111111111111", "SensitiveDataAccess", "SENSITIVE"));
        let mut again = entry("222222222222", "AccessToProdDynamoDB", "PROD");
        again.colour = Some(Colour::Red);
        h.record(again);
        assert_eq!(names(&h), ["PROD", "SENSITIVE"]);
        assert_eq!(h.entries()[0].colour, Some(Colour::Red));
    }

    #[test]
    fn keys_are_account_as_typed_path_and_case_sensitive_name() {
        let mut h = History::default();
        h.record(entry("222222222222", "Admin", "1"));
        h.record(entry("example-prod", "Admin", "2"));
        h.record(entry("222222222222", "admin", "3"));
        h.record(entry("222222222222", "team/Admin", "4"));
        assert_eq!(h.entries().len(), 4);
        assert!(h.remove(
            &AccountRef::parse("example-prod").unwrap(),
            &RoleRef::parse("Admin").unwrap()
        ));
        assert_eq!(names(&h), ["4", "3", "1"]);
    }

    #[test]
    fn encode_decode_round_trip() {
        let mut h = History::default();
        h.record(entry("222222222222", "team/Admin", "Team <admin>"));
        let mut coloured = entry("example-prod", "AccessToProdDynamoDB", "PRODUCTION");
        coloured.colour = Some(Colour::Yellow);
        h.record(coloured);
        let decoded = History::decode(&h.encode(), DEFAULT_CAPACITY).unwrap();
        assert_eq!(
            decoded,
            Decoded {
                history: h,
                skipped: 0
            }
        );
    }

    #[test]
    fn corrupt_entries_are_skipped_not_fatal() {
        let stored = r#"{"version":1,"entries":[
            {"account":"222222222222","role":{"path":"/","name":"Good"},"displayName":"Good","color":"f2b0a9"},
            {"account":"NOT AN ACCOUNT","role":{"path":"/","name":"Bad"},"displayName":"Bad"},
            {"account":"222222222222","role":{"path":"/","name":"Pink"},"displayName":"Pink","color":"ff00ff"},
            42,
            {"account":"111111111111","role":{"path":"/","name":"Also"},"displayName":"Also"}
        ]}"#;
        let decoded = History::decode(stored, DEFAULT_CAPACITY).unwrap();
        assert_eq!(names(&decoded.history), ["Good", "Also"]);
        assert_eq!(decoded.skipped, 3);
    }

    #[test]
    fn unreadable_stores_are_errors() {
        assert!(matches!(
            History::decode("{not json", 5),
            Err(HistoryDecodeError::Corrupt(_))
        ));
        assert!(matches!(
            History::decode("[]", 5),
            Err(HistoryDecodeError::Corrupt(_))
        ));
        assert!(matches!(
            History::decode(r#"{"version":1}"#, 5),
            Err(HistoryDecodeError::Corrupt(_))
        ));
        assert_eq!(
            History::decode(r#"{"version":9,"entries":[]}"#, 5),
            Err(HistoryDecodeError::UnknownVersion(9))
        );
    }

    #[test]
    fn decoding_deduplicates_and_caps() {
        let mut entries = Vec::new();
        for i in 0..8 {
            entries.push(
                serde_json::to_value(entry(
                    "222222222222",
                    &format!("R{}", i % 3),
                    &format!("n{i}"),
                ))
                .unwrap(),
            );
        }
        let stored = serde_json::json!({"version": 1, "entries": entries}).to_string();
        let decoded = History::decode(&stored, 2).unwrap();
        assert_eq!(names(&decoded.history), ["n0", "n1"]);
    }

    /// Two tabs switching at once both keep their entry.
    #[test]
    fn recording_onto_the_store_keeps_the_other_tabs_entry() {
        let mut tab_a = History::new(5);
        tab_a.record(entry("111111111111", "A", "a"));
        let tab_b = tab_a.clone();
        // Tab A records its switch and writes the store.
        let after_a =
            tab_a.record_onto_stored(Some(&tab_a.encode()), entry("222222222222", "B", "b"));
        let stored = after_a.encode();
        // Tab B, whose copy predates A's write, records its own switch onto the store.
        let after_b = tab_b.record_onto_stored(Some(&stored), entry("333333333333", "C", "c"));
        let names: Vec<&str> = after_b
            .entries()
            .iter()
            .map(|e| e.display_name.as_str())
            .collect();
        assert_eq!(names, ["c", "b", "a"]);
        // An entry only this tab has (its save failed) is kept when the store is written again.
        let mut unsaved = after_b.clone();
        unsaved.record(entry("444444444444", "D", "d"));
        let again = unsaved.record_onto_stored(Some(&stored), entry("555555555555", "E", "e"));
        let names: Vec<&str> = again
            .entries()
            .iter()
            .map(|e| e.display_name.as_str())
            .collect();
        assert_eq!(names, ["e", "b", "a", "d", "c"]);
        // An unreadable store falls back to the tab's own copy.
        let fallback = tab_b.record_onto_stored(Some("{not json"), entry("333333333333", "C", "c"));
        assert_eq!(fallback.entries().len(), 2);
    }
}
