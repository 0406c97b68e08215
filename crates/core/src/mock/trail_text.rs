//! The mock's trail as the tab keeps it between reloads: one JSON array of records, sent with
//! every answer that recorded something. Each record's text is kept once written, so a call
//! writes only its own records, not the whole trail again (a switch used to write every kept
//! record, hundreds of them, before its answer could go back).

use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::world::trail::{EventId, Trail, TrailEvent};

/// The records' texts, by event id.
#[derive(Debug, Default)]
pub(super) struct TrailText {
    written: HashMap<EventId, Box<str>>,
}

impl TrailText {
    /// The records of a trail's `text` (as [`TrailText::of`] wrote it), each record's text
    /// kept as it is for the next [`TrailText::of`]: after a reload, the first call writes only
    /// its own records too. `None` if the text is not such a list.
    pub(super) fn read(&mut self, text: &str) -> Option<Vec<TrailEvent>> {
        let raw: Vec<&RawValue> = serde_json::from_str(text).ok()?;
        let mut events = Vec::with_capacity(raw.len());
        let mut written = HashMap::with_capacity(raw.len());
        for one in raw {
            let event: TrailEvent = serde_json::from_str(one.get()).ok()?;
            written.insert(event.event_id, Box::from(one.get()));
            events.push(event);
        }
        self.written = written;
        Some(events)
    }

    /// `trail`'s records as one JSON array (what `serde_json` writes for the list of them).
    pub(super) fn of(&mut self, trail: &Trail) -> Option<Box<RawValue>> {
        let mut kept = HashMap::with_capacity(trail.len());
        let mut text = String::from("[");
        for event in trail.events() {
            let one = self
                .written
                .remove(&event.event_id)
                .unwrap_or_else(|| event.to_json().into());
            if !kept.is_empty() {
                text.push(',');
            }
            text.push_str(&one);
            kept.insert(event.event_id, one);
        }
        text.push(']');
        // Records pushed out of the trail are forgotten with it.
        self.written = kept;
        RawValue::from_string(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u32) -> TrailEvent {
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

    /// The text is what serde_json writes for the trail's records, as records come and as the
    /// bound pushes the oldest out; a record's text is kept only while the trail keeps it.
    #[test]
    fn the_text_is_the_records_as_they_are_now() {
        let mut trail = Trail::with_max(3);
        let mut text = TrailText::default();
        for n in 0..6 {
            trail.record(event(n));
            let written = text.of(&trail).expect("JSON");
            let events: Vec<_> = trail.events().collect();
            let whole = serde_json::value::to_raw_value(&events).expect("JSON");
            assert_eq!(written.get(), whole.get(), "after {n}");
            assert_eq!(text.written.len(), trail.len());
        }
        // Read back after a reload: the same records, each record's text as it was, and the
        // next text unchanged.
        let mut again = TrailText::default();
        let events = again
            .read(text.of(&trail).expect("JSON").get())
            .expect("records");
        assert_eq!(events, trail.events().cloned().collect::<Vec<_>>());
        assert_eq!(again.written, text.written);
        let mut restored = Trail::with_max(3);
        restored.restore(events);
        assert_eq!(
            again.of(&restored).expect("JSON").get(),
            text.of(&trail).expect("JSON").get()
        );
        assert_eq!(again.read("[1]"), None);
        let empty = text.of(&Trail::with_max(3)).expect("JSON");
        assert_eq!(empty.get(), "[]");
        assert!(text.written.is_empty());
    }
}
