//! The audit trail's files. With `--state FILE`, a journal beside it (`FILE.trail.jsonl`): the
//! trail's events appended as they come, in batches flushed to disk every
//! [`TRAIL_FLUSH_PERIOD`], read back at start (so a `kill -9` loses at most the last batch) and
//! rewritten then with only what the trail keeps. With `--audit-log FILE`, every event also as
//! one JSON line there (what `jq` and log pipelines read), rotated to `FILE.1` past a size.
//!
//! Records hold no secret (core never gives one to them); the files are still created `0600`:
//! who did what is for the administrators.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossrole_core::world::trail::TrailEvent;

/// How often the trail's new events are written and flushed to disk.
pub const TRAIL_FLUSH_PERIOD: Duration = Duration::from_secs(1);

/// The size past which `--audit-log` is rotated, by default (64 MiB).
pub const DEFAULT_AUDIT_LOG_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The longest journal line read back (a record is far smaller; a longer line is not one).
const LINE_MAX: usize = 1 << 20;

/// The journal of the state file `state`.
pub fn journal_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".trail.jsonl");
    PathBuf::from(name)
}

/// The events a journal holds, oldest first: every whole line that reads as a record (a line
/// cut short by a kill, or anything else, is skipped). A missing journal holds none.
pub fn read_journal(path: &Path) -> std::io::Result<Vec<TrailEvent>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut events = Vec::new();
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.len() > LINE_MAX {
            continue;
        }
        if let Ok(event) = serde_json::from_slice::<TrailEvent>(&line) {
            events.push(event);
        }
    }
    Ok(events)
}

/// Rewrites the journal at `path` to hold exactly `events`, atomically.
pub fn rewrite_journal(path: &Path, events: &[Arc<TrailEvent>]) -> std::io::Result<()> {
    crate::state::replace_file(path, &lines(events))
}

/// `events` as JSON lines, written into one buffer (an event's text is not a string of its own:
/// at thousands of events a second, the copies and allocations were most of the cost).
fn lines(events: &[Arc<TrailEvent>]) -> Vec<u8> {
    let mut text = Vec::with_capacity(events.len() * LINE_TYPICAL);
    for event in events {
        let start = text.len();
        match serde_json::to_writer(&mut text, &**event) {
            Ok(()) => text.push(b'\n'),
            // Never a half line (a record always serialises; this is the guard).
            Err(_) => text.truncate(start),
        }
    }
    text
}

/// About how long a record's line is (a buffer's first guess).
const LINE_TYPICAL: usize = 1_500;

/// A file events are appended to, one JSON line each, flushed to disk per batch, and (for
/// `--audit-log`) rotated to `<path>.1` once past `max_bytes`.
#[derive(Debug)]
pub struct Appender {
    path: PathBuf,
    file: File,
    written: u64,
    lines: usize,
    max_bytes: Option<u64>,
}

fn open_append(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl Appender {
    /// Opens `path` for appending (created `0600`), rotating past `max_bytes` when given.
    pub fn open(path: &Path, max_bytes: Option<u64>) -> std::io::Result<Self> {
        let file = open_append(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_owned(),
            file,
            written,
            lines: 0,
            max_bytes,
        })
    }

    /// Appends `events`, one line each, and flushes them to disk; then rotates if past the
    /// size.
    pub fn append(&mut self, events: &[Arc<TrailEvent>]) -> std::io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let text = lines(events);
        self.file.write_all(&text)?;
        self.file.sync_data()?;
        self.written += text.len() as u64;
        self.lines += events.len();
        if self.max_bytes.is_some_and(|max| self.written >= max) {
            let mut rotated = self.path.as_os_str().to_owned();
            rotated.push(".1");
            std::fs::rename(&self.path, PathBuf::from(rotated))?;
            self.file = open_append(&self.path)?;
            self.written = 0;
        }
        Ok(())
    }

    /// Lines appended since it was opened.
    pub fn lines(&self) -> usize {
        self.lines
    }
}

/// The trail's files for a run: the journal (with `--state`) and the audit log.
#[derive(Debug, Default)]
pub struct TrailFiles {
    /// The journal, and where it is.
    pub journal: Option<(PathBuf, Appender)>,
    /// `--audit-log`.
    pub audit_log: Option<Appender>,
}

impl TrailFiles {
    /// Writes `events` to each file. The journal is rewritten from `kept` (the trail as it
    /// stands) once it holds more than twice `max` lines, so that it never grows without end.
    pub fn write(
        &mut self,
        events: &[Arc<TrailEvent>],
        kept: impl FnOnce() -> Vec<Arc<TrailEvent>>,
        max: usize,
    ) -> std::io::Result<()> {
        if let Some(log) = &mut self.audit_log {
            log.append(events)?;
        }
        if let Some((path, journal)) = &mut self.journal {
            journal.append(events)?;
            if journal.lines() > max.saturating_mul(2) {
                rewrite_journal(path, &kept())?;
                *journal = Appender::open(path, None)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
