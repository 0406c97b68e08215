//! The role history's rules.

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
    let after_a = tab_a.record_onto_stored(Some(&tab_a.encode()), entry("222222222222", "B", "b"));
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
