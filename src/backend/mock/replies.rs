//! The console's side of the mock's messages: the calls waiting for their answers, and what
//! the answers carry for this tab to keep (its sessions, its IAM changes, its audit trail).

use super::*;

/// The calls waiting for their answer, by id.
#[derive(Default)]
pub(super) struct Replies {
    next_id: Cell<u64>,
    waiting: RefCell<HashMap<u64, oneshot::Sender<Answer>>>,
    /// The tab's trail: as loaded, and the records the engine sent since.
    pub(super) trail: RefCell<KeptTrail>,
}

impl Replies {
    pub(super) fn expect(&self) -> (u64, oneshot::Receiver<Answer>) {
        // Ids start at 1: 0 is the worker's unasked "ready".
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let (tx, rx) = oneshot::channel();
        self.waiting.borrow_mut().insert(id, tx);
        (id, rx)
    }

    /// Hands an answer to its call; keeps the sessions it carries. Returns whether the text
    /// was the worker's "ready".
    pub(super) fn deliver(&self, text: &str) -> bool {
        let reply = match MockReply::from_text(text) {
            Ok(reply) => reply,
            Err(fault) => {
                self.fail_all(fault);
                return false;
            }
        };
        if let Some(sessions) = &reply.sessions {
            keep_sessions(sessions);
        }
        if let Some(recorded) = &reply.recorded {
            // Saved when the page is left (`save_trail`), not now: writing hundreds of records
            // into sessionStorage took longer than the rest of a switch, before its answer.
            self.trail.borrow_mut().add(recorded);
        }
        if let Some(iam) = &reply.iam {
            // Best effort: without localStorage the changes last until the page is left.
            let _ = storage::local_set(storage::MOCK_IAM_KEY, iam.get());
        }
        match (reply.id, reply.result) {
            (0, Ok(MockAnswer::Ready)) => true,
            // A call the host could not read even the id of: every caller hears of it.
            (0, Err(fault)) => {
                self.fail_all(fault);
                false
            }
            (id, result) => {
                if let Some(tx) = self.waiting.borrow_mut().remove(&id) {
                    let _ = tx.send(result);
                }
                false
            }
        }
    }

    /// Keeps the tab's trail in its sessionStorage, for the next page load (a reload, a
    /// sign-in) to start from. Best effort, as the sessions: without sessionStorage a reload
    /// starts a new trail.
    pub(super) fn save_trail(&self) {
        if let Some(trail) = self.trail.borrow_mut().take_unsaved() {
            let _ = storage::session_set(TRAIL_KEY, trail);
        }
    }

    pub(super) fn fail(&self, id: u64, fault: MockFault) {
        if let Some(tx) = self.waiting.borrow_mut().remove(&id) {
            let _ = tx.send(Err(fault));
        }
    }

    pub(super) fn fail_all(&self, fault: MockFault) {
        for (_, tx) in self.waiting.borrow_mut().drain() {
            let _ = tx.send(Err(fault.clone()));
        }
    }
}

pub(super) fn keep_sessions(sessions: &RawValue) {
    // Kept as the engine wrote them, never read here. Best effort: without sessionStorage a
    // reload signs the tab out, nothing worse.
    let _ = storage::session_set(SESSIONS_KEY, sessions);
}

/// Saves `replies`' trail when the page is left (a reload, a navigation, the tab closed).
pub(super) fn save_trail_when_leaving(
    replies: &Rc<Replies>,
) -> leptos::prelude::WindowListenerHandle {
    let replies = Rc::downgrade(replies);
    leptos::prelude::window_event_listener(leptos::ev::pagehide, move |_| {
        if let Some(replies) = replies.upgrade() {
            replies.save_trail();
        }
    })
}
