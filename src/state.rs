//! The console's shared state: the backend, the tab's sessions, the role history, and the
//! one action that switches roles (used by the Switch Role form and by the history entries).

use std::rc::Rc;

use crossrole_core::announce::Who;
use crossrole_core::colour::Colour;
use crossrole_core::form::SwitchTarget;
use crossrole_core::history::History;
use crossrole_core::validation::{AccountId, DisplayName};
use crossrole_core::world::Credentials;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use std::future::Future;

use crate::backend::{now, Backend, BackendError, BaseSession, Cancel, RoleSession, SignInForm};
use crate::storage;

mod federated;

/// The role the console currently acts as, with how it is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveRole {
    /// The role session.
    pub session: RoleSession,
    /// The name shown in the navigation bar.
    pub display_name: DisplayName,
    /// The colour shown, if one was chosen.
    pub colour: Option<Colour>,
}

/// What the tab keeps in sessionStorage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct TabSession {
    base: Option<BaseSession>,
    role: Option<ActiveRole>,
}

/// Who the console acts as now: the signed-in user, or the role in use.
#[derive(Clone, Debug, PartialEq)]
pub enum Acting {
    /// The user's own session.
    User(BaseSession),
    /// A role session.
    Role(ActiveRole),
}

impl Acting {
    /// The credentials calls are made with.
    pub fn credentials(&self) -> &Credentials {
        match self {
            Acting::User(base) => &base.credentials,
            Acting::Role(role) => &role.session.credentials,
        }
    }

    /// The account the acting identity is in.
    pub fn account_id(&self) -> &AccountId {
        match self {
            Acting::User(base) => &base.account_id,
            Acting::Role(role) => &role.session.account_id,
        }
    }

    /// The identity IAM's simulator asks about (`PolicySourceArn`): the user, or for a role
    /// session the role itself.
    pub fn policy_source(&self) -> String {
        match self {
            Acting::User(base) => base.arn.to_string(),
            Acting::Role(role) => crossrole_core::arn::Arn::role(
                &role.session.account_id,
                &role.session.role.path,
                &role.session.role.name,
            )
            .to_string(),
        }
    }

    /// Whether a role is in use.
    pub fn is_role(&self) -> bool {
        matches!(self, Acting::Role(_))
    }
}

/// The console's state, provided as context by [`provide_console`]. Pages read it through
/// read-only signals and change it through its methods only.
#[derive(Clone, Copy)]
pub struct Console {
    base: RwSignal<Option<BaseSession>>,
    role: RwSignal<Option<ActiveRole>>,
    history: RwSignal<History>,
    first_run_seen: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
    clock: RwSignal<crossrole_core::clock::Timestamp>,
    backend: StoredValue<Rc<dyn Backend>, LocalStorage>,
}

/// Nothing of the sessions it holds: their credentials are secrets.
impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console").finish_non_exhaustive()
    }
}

/// The console state from context.
pub fn expect_console() -> Console {
    expect_context::<Console>()
}

impl Console {
    /// The backend.
    pub fn backend(&self) -> Rc<dyn Backend> {
        self.backend.get_value()
    }

    /// The signed-in user's session.
    pub fn base(&self) -> ReadSignal<Option<BaseSession>> {
        self.base.read_only()
    }

    /// The role session's countdown, while in a role (tracked: follows the clock's ticks).
    pub fn countdown(&self) -> Option<crossrole_core::expiry::Countdown> {
        // The tick only says when to count again; the time is read now. The last tick may be
        // a second old or more (timers are throttled), and a countdown read against it would
        // start above the session's length ("Expires in 4:01" for four minutes).
        self.clock.track();
        let now = now();
        self.role.with(|r| {
            r.as_ref().map(|r| {
                crossrole_core::expiry::Countdown::at(now, r.session.credentials.expiration)
            })
        })
    }

    /// The console's clock, ticking every second (tracked).
    pub fn clock(&self) -> ReadSignal<crossrole_core::clock::Timestamp> {
        self.clock.read_only()
    }

    /// The clock ticks (every second): sessions past their expiry end.
    pub fn tick(&self) {
        if self.clock.try_set(now()).is_none() {
            self.expire_sessions();
        }
    }

    /// A fresh role session for the role in use, from the base session, without leaving
    /// the page (the old one ends).
    pub async fn renew(self, cancel: Cancel) -> Result<(), BackendError> {
        let Some(role) = self.role.get_untracked() else {
            return Err(BackendError::NotSignedIn);
        };
        self.switch_to(
            SwitchTarget {
                account: role.session.account.clone(),
                role: role.session.role.clone(),
                display_name: role.display_name.clone(),
                colour: role.colour,
            },
            cancel,
        )
        .await
    }

    /// Whether someone is signed in, untracked; `None` once this console is gone (for window
    /// listeners that may outlive it).
    pub fn try_signed_in(&self) -> Option<bool> {
        let base = self.base.try_with_untracked(Option::is_some)?;
        Some(base || self.role.try_with_untracked(Option::is_some)?)
    }

    /// Whether someone is signed in (tracked): a user, or a role session that a sign-in link
    /// opened without one.
    pub fn signed_in(&self) -> bool {
        self.base.with(Option::is_some) || self.role.with(Option::is_some)
    }

    /// The role in use, if any.
    pub fn role(&self) -> ReadSignal<Option<ActiveRole>> {
        self.role.read_only()
    }

    /// Recently used roles, most recent first (localStorage, shared between tabs).
    pub fn history(&self) -> ReadSignal<History> {
        self.history.read_only()
    }

    /// Changes the history (rename, recolour, remove, capacity) and saves it; other tabs
    /// follow. The change is made onto what is stored now, so another tab's switch or
    /// removal is kept (even one that emptied it, before its storage event arrives); onto
    /// this tab's copy only when storage cannot be read.
    pub fn change_history(&self, f: impl FnOnce(&mut History)) -> Result<(), String> {
        let mut history = storage::stored_history().unwrap_or_else(|| self.history.get_untracked());
        f(&mut history);
        let saved = storage::save_history(&history).map_err(|e| e.to_string());
        self.history.set(history);
        saved
    }

    /// Whether the Switch Role first-run page was seen (localStorage).
    pub fn first_run_seen(&self) -> ReadSignal<bool> {
        self.first_run_seen.read_only()
    }

    /// A message about something that happened on its own (an expired session, recovered
    /// storage), shown until dismissed.
    pub fn notice(&self) -> ReadSignal<Option<String>> {
        self.notice.read_only()
    }

    /// Dismisses the notice.
    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// Tells the console something happened that the person should know.
    pub fn tell(&self, text: String) {
        self.notice.set(Some(text));
    }

    /// Records that the first-run page was seen (in this tab and, through localStorage, all).
    pub fn see_first_run(&self) {
        storage::mark_first_run_seen();
        self.first_run_seen.set(true);
    }

    /// Who the console acts as now (tracked: a resource that reads it reloads on a switch).
    pub fn acting(&self) -> Option<Acting> {
        match self.role.get() {
            Some(role) => Some(Acting::Role(role)),
            None => self.base.get().map(Acting::User),
        }
    }

    /// Whom the console acts as, as a person is told (tracked).
    pub fn who(&self) -> Who {
        match self.acting() {
            None => Who::Nobody,
            Some(Acting::User(base)) => Who::User {
                name: base.user,
                account: base.account_id,
            },
            Some(Acting::Role(role)) => Who::Role {
                display: role.display_name.to_string(),
                role: role.session.role.name.to_string(),
                account: role.session.account_id,
            },
        }
    }

    /// Signs in with `form`; on success the notice is cleared and the user's session kept.
    pub async fn sign_in(self, form: SignInForm, cancel: Cancel) -> Result<(), BackendError> {
        let session = self.backend().sign_in(form, &cancel).await?;
        self.notice.set(None);
        self.base.set(Some(session));
        Ok(())
    }

    /// Runs a backend call with the acting identity's credentials (read now, tracked), and
    /// handles an ended session the way every page should: an ended role session returns to
    /// the user, an ended base session signs out. The error is returned for the page to show.
    pub fn call<T, F, Fut>(self, run: F) -> impl Future<Output = Result<T, BackendError>>
    where
        F: FnOnce(Rc<dyn Backend>, Credentials) -> Fut,
        Fut: Future<Output = Result<T, BackendError>>,
    {
        let acting = self.acting();
        let backend = self.backend();
        async move {
            let acting = acting.ok_or(BackendError::NotSignedIn)?;
            let result = run(backend, acting.credentials().clone()).await;
            if let Err(e) = &result {
                self.handle_session_error(e, acting.is_role());
            }
            result
        }
    }

    /// Leaves the role and acts as the user again.
    pub fn back(&self) {
        if let Some(role) = self.role.get_untracked() {
            self.backend().sign_out(&role.session.credentials);
        }
        self.role.set(None);
    }

    /// Signs out: both sessions end and are forgotten.
    pub fn sign_out(&self) {
        self.back();
        if let Some(base) = self.base.get_untracked() {
            self.backend().sign_out(&base.credentials);
        }
        self.base.set(None);
    }

    /// Reacts to a failed backend call: an ended role session returns to the user, an ended
    /// base session signs out. Other errors are the caller's to show.
    fn handle_session_error(&self, error: &BackendError, used_role: bool) {
        if !(error.is_expired() || error.is_unknown_credentials()) {
            return;
        }
        // A call may end after its console was unmounted (a page left, a test's app dropped):
        // its signals are gone then, and there is nothing left to update.
        if self.role.try_set(None).is_some() {
            return;
        }
        if used_role && self.base.with_untracked(Option::is_some) {
            self.notice
                .set(Some(back_to_user_notice(self.base, "ended")));
        } else {
            self.base.set(None);
            self.notice
                .set(Some("Your session has expired. Sign in again.".into()));
        }
    }

    /// Switches to a role with the base session (also from another role, whose session then
    /// ends), and records it in the history. On failure nothing changes but what an ended
    /// session requires (see [`Console::handle_session_error`]).
    pub async fn switch_to(self, req: SwitchTarget, cancel: Cancel) -> Result<(), BackendError> {
        let Some(user) = self.base.get_untracked() else {
            return Err(BackendError::NotSignedIn);
        };
        let backend = self.backend();
        let session = backend
            .switch_role(&user, req.account.clone(), req.role.clone(), &cancel)
            .await
            .inspect_err(|e| self.handle_session_error(e, false))?;
        if let Some(previous) = self.role.get_untracked() {
            backend.sign_out(&previous.session.credentials);
        }
        self.role.set(Some(ActiveRole {
            session,
            display_name: req.display_name.clone(),
            colour: req.colour,
        }));
        self.remember(req);
        Ok(())
    }

    /// Records `target` in the role history, onto what is stored now, not this tab's copy:
    /// another tab may have switched too.
    fn remember(&self, target: SwitchTarget) {
        let (merged, saved) = self
            .history
            .with_untracked(|h| storage::record_history(h, target));
        self.history.set(merged);
        if let Err(e) = saved {
            self.notice
                .set(Some(format!("Role history could not be saved: {e}")));
        }
    }

    /// Ends sessions whose credentials are past their expiry (checked on a timer).
    pub fn expire_sessions(&self) {
        let t = now();
        if self
            .base
            .with_untracked(|b| b.as_ref().is_some_and(|b| b.credentials.expired(t)))
        {
            self.role.set(None);
            self.base.set(None);
            self.notice
                .set(Some("Your session has expired. Sign in again.".into()));
        } else if self
            .role
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.session.credentials.expired(t)))
        {
            self.role.set(None);
            self.notice
                .set(Some(match self.base.with_untracked(Option::is_some) {
                    true => back_to_user_notice(self.base, "expired"),
                    // A role session opened by a sign-in link has no user to go back to.
                    false => "Your session has expired. Sign in again.".into(),
                }));
        }
    }
}

fn back_to_user_notice(base: RwSignal<Option<BaseSession>>, what: &str) -> String {
    let user = base.get_untracked().map(|b| b.user).unwrap_or_default();
    format!("Your role session has {what}. You are back to {user}.")
}

/// Creates the console state for `backend`, restoring the tab's sessions and the stored
/// history, keeping the tab's sessions in sessionStorage, and following other tabs' history.
pub fn provide_console(backend: Rc<dyn Backend>) -> Console {
    let (history, history_notice) = storage::load_history();
    let restored: TabSession = match storage::session_get(storage::CONSOLE_SESSION_KEY) {
        Ok(Some(s)) => s,
        Ok(None) => TabSession::default(),
        Err(_) => {
            storage::session_remove(storage::CONSOLE_SESSION_KEY);
            TabSession::default()
        }
    };
    let base = RwSignal::new(restored.base);
    let role = RwSignal::new(restored.role);
    let history = RwSignal::new(history);
    let notice = RwSignal::new(history_notice);
    let first_run_seen = RwSignal::new(storage::first_run_seen());
    let backend = StoredValue::new_local(backend);
    let clock = RwSignal::new(now());

    let console = Console {
        base,
        role,
        history,
        first_run_seen,
        notice,
        clock,
        backend,
    };
    provide_context(console);

    // Keep the tab's sessions across reloads (sessionStorage only: they hold credentials).
    Effect::new(move |_| {
        let tab = TabSession {
            base: base.get(),
            role: role.get(),
        };
        if tab == TabSession::default() {
            storage::session_remove(storage::CONSOLE_SESSION_KEY);
        } else {
            let _ = storage::session_set(storage::CONSOLE_SESSION_KEY, &tab);
        }
    });

    // Another tab changed the history or saw the first-run page (or kept state the backend
    // follows).
    let handle = window_event_listener(leptos::ev::storage, move |e| {
        backend.with_value(|b| b.other_tab_stored(e.key().as_deref(), e.new_value().as_deref()));
        match e.key().as_deref() {
            Some(storage::HISTORY_KEY) => {
                let (h, n) = match e.new_value() {
                    Some(text) => storage::decode_history(&text),
                    None => (History::default(), None),
                };
                history.set(h);
                if n.is_some() {
                    notice.set(n);
                }
            }
            Some(storage::FIRST_RUN_KEY) => first_run_seen.set(storage::first_run_seen()),
            // `clear()` on another tab: everything in localStorage is gone.
            None => {
                history.set(History::default());
                first_run_seen.set(false);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    console
}
