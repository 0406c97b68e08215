//! The audit trail around the world's lock: the trail as the options keep it, and the records
//! of a request's calls, made after the lock.

use std::sync::Arc;

use crossrole_core::world::trail::{Pending, Sharing, Trail, TrailEvent};
use crossrole_core::world::World;

use super::Shared;
use crate::audit::{journal_path, read_journal, rewrite_journal, Appender, TrailFiles};
use crate::log::now;
use crate::options::Options;

/// The trail as `options` keep it: at most `trail_max_events`, with `--state` what its journal
/// held (rewritten to just that), and the files new events go to.
pub(super) fn open_trail(world: &mut World, options: &Options) -> Result<TrailFiles, String> {
    let mut trail = Trail::with_max(options.trail_max_events);
    let mut files = TrailFiles::default();
    if let Some(state) = &options.state {
        let path = journal_path(state);
        let fail = |e: std::io::Error| format!("the audit journal {}: {e}", path.display());
        trail.restore(read_journal(&path).map_err(fail)?);
        trail.expire(now());
        rewrite_journal(&path, &trail.shared()).map_err(fail)?;
        let journal = Appender::open(&path, None).map_err(fail)?;
        files.journal = Some((path, journal));
    }
    if let Some(path) = &options.audit_log {
        let log = Appender::open(path, Some(options.audit_log_max_bytes))
            .map_err(|e| format!("--audit-log {}: {e}", path.display()))?;
        files.audit_log = Some(log);
    }
    trail.keep_new = files.journal.is_some() || files.audit_log.is_some();
    // Each request assembles its calls' records, and frees the events they pushed out, after
    // the world's lock (`record_outside`).
    trail.work_outside = true;
    trail.enabled = options.audit_trail;
    world.live.trail = trail;
    Ok(files)
}

/// A call's records, shared (made, and their memory taken, outside the world's lock).
pub(super) type Records = (Arc<TrailEvent>, Option<Arc<TrailEvent>>);

/// Makes the records of a request's calls after the world's lock, and leaves them for its next
/// holder to keep ([`Shared::core`]). Done before the request is answered, so that its records
/// are there for the next request.
pub(super) fn record_outside(shared: &Shared, pending: Vec<Pending>) {
    if pending.is_empty() {
        return;
    }
    // Each worker thread shares its records' repeated parts among them (no lock).
    thread_local! {
        static SHARING: std::cell::RefCell<Sharing> = Default::default();
    }
    let records: Vec<_> = SHARING.with_borrow_mut(|sharing| {
        pending
            .into_iter()
            .map(|call| {
                let (ours, theirs) = call.assemble(sharing);
                (Arc::new(ours), theirs.map(Arc::new))
            })
            .collect()
    });
    shared
        .outbox
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(records);
}
