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
mod tests;
