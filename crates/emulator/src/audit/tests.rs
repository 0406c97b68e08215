//! The trail's files: what is written is what is read back, the journal never grows without
//! end, the audit log rotates at its size, and both are private.

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use super::*;
use crate::testing::temp_dir;
use crossrole_core::world::demo_world;

/// `n` events (refused console sign-ins in the demo world), oldest first.
fn events(n: usize) -> Vec<Arc<TrailEvent>> {
    let mut world = demo_world();
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for _ in 0..n {
        let refused = world.console_sign_in(
            &mut rng,
            "111111111111",
            "David",
            "wrong",
            None,
            crate::now(),
        );
        assert!(refused.is_err());
    }
    let events = world.live.trail.shared();
    assert_eq!(events.len(), n);
    events
}

fn line_len(event: &TrailEvent) -> u64 {
    serde_json::to_vec(event).unwrap().len() as u64 + 1
}

fn read(path: &Path) -> Vec<Arc<TrailEvent>> {
    read_journal(path)
        .unwrap()
        .into_iter()
        .map(Arc::new)
        .collect()
}

#[test]
fn the_journal_sits_beside_the_state() {
    assert_eq!(
        journal_path(Path::new("/var/lib/crossrole/state.json")),
        Path::new("/var/lib/crossrole/state.json.trail.jsonl")
    );
}

#[test]
fn what_is_appended_is_read_back_in_order_from_a_private_file() {
    let dir = temp_dir("audit-round-trip");
    let path = dir.join("state.json.trail.jsonl");
    assert_eq!(
        read_journal(&path).unwrap(),
        vec![],
        "no journal: no events"
    );
    let all = events(3);
    let mut journal = Appender::open(&path, None).unwrap();
    journal.append(&all[..2]).unwrap();
    journal.append(&[]).unwrap();
    journal.append(&all[2..]).unwrap();
    assert_eq!(journal.lines(), 3);
    assert_eq!(read(&path), all);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text.ends_with('\n'));
    #[cfg(unix)]
    assert_eq!(crate::testing::mode_of(&path), 0o600);
    // Opened again, it goes on at the end.
    let mut again = Appender::open(&path, None).unwrap();
    again.append(&all[..1]).unwrap();
    assert_eq!(again.lines(), 1);
    assert_eq!(read(&path).len(), 4);
}

#[test]
fn lines_that_are_not_whole_records_are_skipped() {
    let dir = temp_dir("audit-skipped");
    let path = dir.join("journal.jsonl");
    let all = events(2);
    let first = all[0].to_json();
    let second = all[1].to_json();
    // A record longer than a line may be is not read, even when it parses; one exactly as
    // long is.
    let sized = |len: usize| {
        let mut event = (*all[1]).clone();
        event.user_agent = "".into();
        let bare = event.to_json().len();
        event.user_agent = "a".repeat(len - bare).into();
        assert_eq!(event.to_json().len(), len);
        event
    };
    let longest = sized(LINE_MAX);
    let text = format!(
        "{first}\nnot json\n{}\n{}\n{second}\n{}",
        sized(LINE_MAX + 1).to_json(),
        longest.to_json(),
        &first[..first.len() / 2]
    );
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        read(&path),
        [all[0].clone(), Arc::new(longest), all[1].clone()]
    );
    // A journal that cannot be read is an error, not an empty trail: a folder, or a path
    // through a file.
    assert!(read_journal(&dir).is_err());
    let through_a_file = path.join("journal.jsonl");
    assert_eq!(
        read_journal(&through_a_file).unwrap_err().kind(),
        std::io::ErrorKind::NotADirectory
    );
}

#[test]
fn a_rewrite_holds_exactly_the_events_given() {
    let dir = temp_dir("audit-rewrite");
    let path = dir.join("journal.jsonl");
    let all = events(3);
    Appender::open(&path, None).unwrap().append(&all).unwrap();
    rewrite_journal(&path, &all[1..]).unwrap();
    assert_eq!(read(&path), &all[1..]);
    rewrite_journal(&path, &[]).unwrap();
    assert_eq!(read(&path), vec![]);
}

/// The log is rotated once it reaches its size, counting what it held when opened.
#[test]
fn the_audit_log_rotates_at_its_size() {
    let dir = temp_dir("audit-rotate");
    let path = dir.join("audit.jsonl");
    let rotated = dir.join("audit.jsonl.1");
    let all = events(3);
    let one = line_len(&all[0]);
    // Exactly its size: rotated.
    let mut log = Appender::open(&path, Some(one)).unwrap();
    log.append(&all[..1]).unwrap();
    assert_eq!(read(&rotated), &all[..1]);
    assert_eq!(read(&path), vec![]);
    // One byte short of it: kept; the next line takes it past, and both go.
    std::fs::remove_file(&rotated).unwrap();
    let mut log = Appender::open(&path, Some(one + 1)).unwrap();
    log.append(&all[..1]).unwrap();
    assert!(!rotated.exists());
    log.append(&all[1..2]).unwrap();
    assert_eq!(read(&rotated), &all[..2]);
    // The new file starts from nothing: the third line alone does not reach the size.
    log.append(&all[2..]).unwrap();
    assert_eq!(read(&path), &all[2..]);
    #[cfg(unix)]
    assert_eq!(crate::testing::mode_of(&path), 0o600);
    // Opened again with what it holds counted: one more line reaches the size.
    std::fs::remove_file(&rotated).unwrap();
    let mut log = Appender::open(&path, Some(2 * one)).unwrap();
    log.append(&all[..1]).unwrap();
    assert_eq!(read(&rotated).len(), 2);
}

/// An empty batch writes nothing, so it rotates nothing either (even a log already past its
/// size: it goes at the next line).
#[test]
fn an_empty_batch_changes_no_file() {
    let dir = temp_dir("audit-empty");
    let path = dir.join("audit.jsonl");
    let all = events(1);
    Appender::open(&path, None).unwrap().append(&all).unwrap();
    let mut log = Appender::open(&path, Some(1)).unwrap();
    log.append(&[]).unwrap();
    assert_eq!(read(&path), all);
    assert!(!dir.join("audit.jsonl.1").exists());
}

/// The journal is rewritten from the trail as it stands once it holds more than twice what the
/// trail keeps; the audit log keeps every event.
#[test]
fn the_journal_is_cut_to_the_trail_past_twice_its_size() {
    let dir = temp_dir("audit-journal-bound");
    let journal = dir.join("journal.jsonl");
    let audit = dir.join("audit.jsonl");
    let all = events(5);
    let mut files = TrailFiles {
        journal: Some((journal.clone(), Appender::open(&journal, None).unwrap())),
        audit_log: Some(Appender::open(&audit, None).unwrap()),
    };
    let kept = || all[3..4].to_vec();
    // Twice the trail's 1 event: not yet.
    files.write(&all[..2], kept, 1).unwrap();
    assert_eq!(read(&journal), &all[..2]);
    // A third line: rewritten to the trail.
    files.write(&all[2..3], kept, 1).unwrap();
    assert_eq!(read(&journal), &all[3..4]);
    // Counting starts again from the rewrite.
    files.write(&all[4..], kept, 1).unwrap();
    assert_eq!(read(&journal), [all[3].clone(), all[4].clone()]);
    // The audit log has every batch written (the kept event came in no batch here).
    let written: Vec<_> = [0, 1, 2, 4].map(|i| all[i].clone()).into();
    assert_eq!(read(&audit), written);
}
