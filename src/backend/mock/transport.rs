//! How the mock's messages travel: to its engine in a Web Worker, or in the page when workers
//! are refused.

use super::*;

/// How requests reach the engine. A trait object, so that the console's build, which only
/// ever makes a worker, does not carry the in-page engine.
pub(super) trait Transport {
    /// Sends request `id`'s text; the answer comes back through [`Replies::deliver`].
    fn send(&self, id: u64, text: String);
}

/// The engine in a Web Worker.
pub(super) struct InWorker {
    pub(super) state: Rc<WorkerState>,
    // Kept so that the listeners live as long as the worker.
    pub(super) _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    pub(super) _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

pub(super) struct WorkerState {
    pub(super) worker: web_sys::Worker,
    pub(super) replies: Weak<Replies>,
    /// Requests sent before the worker listened (its wasm still loading).
    pub(super) queued: RefCell<Vec<String>>,
    pub(super) ready: Cell<bool>,
    /// Why the worker stopped, once it has.
    pub(super) stopped: RefCell<Option<String>>,
}

impl WorkerState {
    pub(super) fn post(&self, text: &str) {
        if let Err(e) = self.worker.post_message(&JsValue::from_str(text)) {
            self.stop(format!("{e:?}"));
        }
    }

    pub(super) fn stop(&self, why: String) {
        if let Some(replies) = self.replies.upgrade() {
            replies.fail_all(MockFault::Stopped(why.clone()));
        }
        self.stopped.replace(Some(why));
        self.queued.borrow_mut().clear();
        self.worker.terminate();
    }
}

impl Transport for InWorker {
    fn send(&self, id: u64, text: String) {
        let state = &self.state;
        if let Some(why) = state.stopped.borrow().clone() {
            if let Some(replies) = state.replies.upgrade() {
                replies.fail(id, MockFault::Stopped(why));
            }
        } else if state.ready.get() {
            state.post(&text);
        } else {
            state.queued.borrow_mut().push(text);
        }
    }
}

impl Drop for InWorker {
    fn drop(&mut self) {
        self.state.worker.terminate();
    }
}

/// The engine in the page itself (the browser tests).
pub(super) struct InPage {
    pub(super) host: RefCell<MockHost>,
    pub(super) rng: RefCell<ChaCha20Rng>,
    pub(super) replies: Weak<Replies>,
}

impl Transport for InPage {
    fn send(&self, _id: u64, text: String) {
        let reply = self
            .host
            .borrow_mut()
            .handle(&mut *self.rng.borrow_mut(), &text);
        if let Some(replies) = self.replies.upgrade() {
            replies.deliver(&reply);
        }
    }
}
