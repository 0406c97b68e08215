//! The page's side of the mock's audit trail: what a tab keeps in its sessionStorage for the
//! worker to start from after a reload.
//!
//! The worker sends only the records each call added; the page adds them to the text it loaded
//! and writes the whole, at most [`MOCK_TRAIL_MAX`] records, only when it saves (the page being
//! left), so that no answer waits for the trail to be read or written.

use std::collections::VecDeque;

use serde_json::value::RawValue;

use super::MOCK_TRAIL_MAX;

/// The trail a tab keeps: the text it last saved (or loaded), and the records added since.
#[derive(Debug, Default)]
pub struct KeptTrail {
    /// A JSON list of records, oldest first, as loaded or last saved.
    saved: Option<Box<RawValue>>,
    /// The records added since, oldest first (at most [`MOCK_TRAIL_MAX`]).
    added: VecDeque<Box<RawValue>>,
}

impl KeptTrail {
    /// The trail as loaded (`None`: this tab kept none).
    pub fn loaded(saved: Option<Box<RawValue>>) -> Self {
        Self {
            saved,
            added: VecDeque::new(),
        }
    }

    /// The text loaded or last saved, for the worker's start.
    pub fn saved(&self) -> Option<&RawValue> {
        self.saved.as_deref()
    }

    /// Adds the records an answer carried (a JSON list of them, as the worker wrote it; not a
    /// list: nothing).
    pub fn add(&mut self, recorded: &RawValue) {
        let records: Vec<&RawValue> = serde_json::from_str(recorded.get()).unwrap_or_default();
        for one in records {
            if self.added.len() == MOCK_TRAIL_MAX {
                self.added.pop_front();
            }
            self.added.push_back(one.to_owned());
        }
    }

    /// The whole trail to save, the oldest records left out past [`MOCK_TRAIL_MAX`]; `None` if
    /// nothing was added since the last save (what is saved is still right).
    pub fn take_unsaved(&mut self) -> Option<&RawValue> {
        if self.added.is_empty() {
            return None;
        }
        let before: Vec<&RawValue> = self
            .saved
            .as_ref()
            .and_then(|s| serde_json::from_str(s.get()).ok())
            .unwrap_or_default();
        let skip = (before.len() + self.added.len()).saturating_sub(MOCK_TRAIL_MAX);
        let records: Vec<&RawValue> = before
            .into_iter()
            .chain(self.added.iter().map(|one| &**one))
            .skip(skip)
            .collect();
        self.saved = serde_json::value::to_raw_value(&records).ok();
        self.added.clear();
        self.saved.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::super::trail_text::tests::{event, list};
    use super::*;

    fn raw(text: String) -> Box<RawValue> {
        RawValue::from_string(text).expect("JSON")
    }

    /// What a tab saves is the records loaded and added, oldest first, within the bound; it
    /// saves only when something was added.
    #[test]
    fn a_tab_saves_what_it_loaded_and_was_added() {
        let mut kept = KeptTrail::loaded(Some(raw(list(&[event(0), event(1)]))));
        assert!(kept.take_unsaved().is_none(), "nothing added");
        kept.add(&raw(list(&[event(2)])));
        kept.add(&raw(list(&[event(3), event(4)])));
        let saved = kept.take_unsaved().expect("added").get().to_owned();
        assert_eq!(saved, list(&[0, 1, 2, 3, 4].map(event)));
        assert_eq!(kept.saved().map(RawValue::get), Some(saved.as_str()));
        assert!(kept.take_unsaved().is_none(), "saved");

        let mut fresh = KeptTrail::loaded(None);
        fresh.add(&raw("{\"not\":\"a list\"}".into()));
        assert!(fresh.take_unsaved().is_none());
        fresh.add(&raw(list(&[event(7)])));
        assert_eq!(fresh.take_unsaved().unwrap().get(), list(&[event(7)]));
    }

    /// At most [`MOCK_TRAIL_MAX`] records are kept, the oldest left out first: the loaded ones,
    /// then added ones (a tab never reloaded keeps no more either).
    #[test]
    fn a_tab_keeps_at_most_the_mock_s_bound() {
        let first: Vec<_> = (0..MOCK_TRAIL_MAX as u32 - 1).map(event).collect();
        let mut kept = KeptTrail::loaded(Some(raw(list(&first))));
        kept.add(&raw(list(&[event(1000), event(1001)])));
        let saved: Vec<crate::world::trail::TrailEvent> =
            serde_json::from_str(kept.take_unsaved().unwrap().get()).unwrap();
        assert_eq!(saved.len(), MOCK_TRAIL_MAX);
        assert_eq!(saved[0], event(1), "the oldest left out");
        assert_eq!(saved[MOCK_TRAIL_MAX - 1], event(1001));

        let mut long = KeptTrail::loaded(None);
        for n in 0..MOCK_TRAIL_MAX as u32 + 3 {
            long.add(&raw(list(&[event(n)])));
        }
        assert_eq!(long.added.len(), MOCK_TRAIL_MAX);
        let saved: Vec<crate::world::trail::TrailEvent> =
            serde_json::from_str(long.take_unsaved().unwrap().get()).unwrap();
        assert_eq!(saved.first(), Some(&event(3)));
    }
}
