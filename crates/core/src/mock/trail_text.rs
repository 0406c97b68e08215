//! The engine's side of the trail a tab keeps between reloads: the records kept from before
//! stay text until the trail is read, and each answer carries only the records its call added.
//!
//! Both, so that no call's cost grows with the trail: the worker's start only takes the kept
//! text (the console's first call after a reload, often a switch clicked as soon as the page
//! shows, waits behind the start), and an answer no longer carries up to
//! [`super::MOCK_TRAIL_MAX`] records for the page to read before it can show the result. The
//! page keeps the whole ([`super::KeptTrail`]).

use serde_json::value::RawValue;

use crate::world::trail::{EventId, Trail, TrailEvent};

/// The records kept from before a reload, not read yet.
#[derive(Debug, Default)]
pub(super) struct TrailText {
    /// A JSON list of records, oldest first, all older than the trail's.
    unread: Option<Box<RawValue>>,
}

impl TrailText {
    /// Keeps `text` (the records of a trail, as [`super::KeptTrail`] wrote them) unread until
    /// [`TrailText::read_kept`]; forgets any kept before.
    pub(super) fn keep(&mut self, text: Option<Box<RawValue>>) {
        self.unread = text;
    }

    /// Whether records kept from before wait to be read.
    pub(super) fn has_unread(&self) -> bool {
        self.unread.is_some()
    }

    /// The records kept from before, oldest first. Those that no longer read (another
    /// version's, tampered with) are left out; nothing, if the text is not a list.
    pub(super) fn read_kept(&mut self) -> Vec<TrailEvent> {
        let Some(text) = self.unread.take() else {
            return Vec::new();
        };
        let records: Vec<&RawValue> = serde_json::from_str(text.get()).unwrap_or_default();
        records
            .into_iter()
            .filter_map(|one| serde_json::from_str(one.get()).ok())
            .collect()
    }
}

/// The newest event's id: what [`recorded_since`] counts from.
pub(super) fn newest(trail: &Trail) -> Option<EventId> {
    trail.events().next_back().map(|e| e.event_id)
}

/// The records `trail` gained after the event `newest` (from [`newest`] before a call), as a
/// JSON list, oldest first; `None` if it gained none.
pub(super) fn recorded_since(trail: &Trail, newest: Option<EventId>) -> Option<Box<RawValue>> {
    let mut added: Vec<&TrailEvent> = trail
        .events()
        .rev()
        .take_while(|e| Some(e.event_id) != newest)
        .collect();
    if added.is_empty() {
        return None;
    }
    added.reverse();
    serde_json::value::to_raw_value(&added).ok()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A record numbered `n`.
    pub(crate) fn event(n: u32) -> TrailEvent {
        serde_json::from_value(serde_json::json!({
            "eventVersion": "1.09",
            "userIdentity": {"type": "IAMUser", "accountId": "111111111111"},
            "eventTime": "2026-12-04T12:00:00Z",
            "eventSource": "sts.amazonaws.com",
            "eventName": format!("Call{n}"),
            "awsRegion": "us-west-2",
            "sourceIPAddress": "127.0.0.1",
            "userAgent": "crossrole console",
            "requestParameters": {"n": n},
            "responseElements": null,
            "eventID": format!("00000000-0000-4000-8000-{n:012}"),
            "readOnly": false,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": "111111111111",
            "eventCategory": "Management",
        }))
        .expect("a record")
    }

    /// `events` as serde_json writes the list of them.
    pub(crate) fn list(events: &[TrailEvent]) -> String {
        serde_json::to_string(events).expect("JSON")
    }

    /// A call's records are those after the newest before it, as serde_json writes them, also
    /// when the bound pushes the oldest out.
    #[test]
    fn an_answer_carries_the_records_its_call_added() {
        let mut trail = Trail::with_max(3);
        assert!(recorded_since(&trail, newest(&trail)).is_none());
        for n in 0..5 {
            let before = newest(&trail);
            trail.record(event(2 * n));
            trail.record(event(2 * n + 1));
            let added = recorded_since(&trail, before).expect("two records");
            assert_eq!(
                added.get(),
                list(&[event(2 * n), event(2 * n + 1)]),
                "call {n}"
            );
            assert!(
                recorded_since(&trail, newest(&trail)).is_none(),
                "none since"
            );
        }
    }

    /// The kept records are read only when asked, those that still read.
    #[test]
    fn kept_records_are_read_only_when_asked() {
        let mut text = TrailText::default();
        assert!(!text.has_unread());
        assert_eq!(text.read_kept(), []);
        let kept = format!(
            "[{},{{\"eventID\":1}},{}]",
            event(1).to_json(),
            event(2).to_json()
        );
        text.keep(RawValue::from_string(kept).ok());
        assert!(text.has_unread());
        assert_eq!(
            text.read_kept(),
            [event(1), event(2)],
            "the one unreadable left out"
        );
        assert!(!text.has_unread(), "read once");
        text.keep(RawValue::from_string("{\"not\":\"a list\"}".into()).ok());
        assert_eq!(text.read_kept(), []);
    }
}
