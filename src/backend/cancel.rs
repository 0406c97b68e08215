//! Each backend call's own cancel. Whoever starts a call makes its [`Cancel`] (through the
//! component's [`CallScope`]) and hands it to the backend; Cancel on a form abandons that
//! form's call only, and a component that goes away abandons the calls it started, so a role
//! switch from the Identity menu survives a Cancel on the Switch Role form.

use leptos::prelude::{on_cleanup, LocalStorage, StoredValue, UpdateValue, WithValue};
use web_sys::{AbortController, AbortSignal};

/// The abort handle of one backend call.
#[derive(Clone, Debug)]
pub struct Cancel(Option<AbortController>);

impl Default for Cancel {
    fn default() -> Self {
        // Without AbortController (never in a supported browser) calls cannot be abandoned,
        // but still run.
        Self(AbortController::new().ok())
    }
}

impl Cancel {
    /// Abandons the call: an HTTP backend aborts its request, which fails with
    /// [`super::BackendError::Cancelled`].
    pub fn cancel(&self) {
        if let Some(c) = &self.0 {
            c.abort();
        }
    }

    /// Whether the call was abandoned.
    pub fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|c| c.signal().aborted())
    }

    /// The signal to give `fetch`.
    pub fn signal(&self) -> Option<AbortSignal> {
        self.0.as_ref().map(AbortController::signal)
    }
}

/// The calls one component starts, one at a time: [`CallScope::begin`] gives each call a
/// fresh [`Cancel`] (abandoning the one before, whose answer nobody waits for any more),
/// [`CallScope::cancel`] abandons the current one, and the component's cleanup abandons it
/// too.
#[derive(Debug, Clone, Copy)]
pub struct CallScope(StoredValue<Option<Cancel>, LocalStorage>);

impl CallScope {
    /// A scope owned by the current component.
    pub fn new() -> Self {
        let current = StoredValue::new_local(None::<Cancel>);
        on_cleanup(move || {
            current.try_with_value(|c| c.as_ref().map(Cancel::cancel));
        });
        Self(current)
    }

    /// The cancel of a new call.
    pub fn begin(&self) -> Cancel {
        let cancel = Cancel::default();
        let fresh = cancel.clone();
        self.0.try_update_value(|current| {
            if let Some(previous) = current.replace(fresh) {
                previous.cancel();
            }
        });
        cancel
    }

    /// Abandons the current call, if any.
    pub fn cancel(&self) {
        self.0.try_with_value(|c| c.as_ref().map(Cancel::cancel));
    }
}

impl Default for CallScope {
    fn default() -> Self {
        Self::new()
    }
}
