//! The in-browser mock: `crates/core`'s engine ([`MockHost`]) answering the console's calls.
//!
//! The console runs it in a Web Worker (`src/bin/mock_worker.rs`, built by Trunk beside the
//! console): the engine, the world and its JSON are not part of the console's first download
//! nor of its start-up, and a console configured for an HTTP backend never fetches them. The
//! browser tests run the same host in the page ([`MockBackend::in_page`]); both talk to it
//! through the same text ([`MockRequest`], [`MockReply`]).
//!
//! The mock's sessions are its "server state". A worker has no sessionStorage, so the engine
//! hands them back after each call that changes them and the page keeps them there (temporary
//! credentials may live in sessionStorage), and a reload keeps the tab's sessions, as a real
//! backend would.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::rc::{Rc, Weak};

use crossrole_core::clock::Timestamp;
use crossrole_core::link::RoleRef;
use crossrole_core::mock::{
    DemoUser, KeptTrail, MockAnswer, MockCall, MockFault, MockHost, MockReply, MockRequest,
    PROTOCOL,
};
use crossrole_core::ops::trail::{LookupEvents, LookupPage};
use crossrole_core::validation::AccountRef;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::world::{Credentials, Item};
use futures_channel::oneshot;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::value::RawValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::{
    now, Backend, BackendError, BackendFuture, BaseSession, Cancel, RoleSession, SignInForm,
};
use crate::storage;

mod replies;
mod transport;
use replies::*;
use transport::*;

/// The sessionStorage key for the mock's live sessions.
const SESSIONS_KEY: &str = "crossrole.mock.sessions.v1";
/// Where the mock's audit trail is kept for this tab (its records hold no secret).
const TRAIL_KEY: &str = "crossrole.mock.trail.v1";

/// The worker's script (`public/mock-worker.js`), which loads the files Trunk builds from
/// `src/bin/mock_worker.rs` (worker files are not hashed, so that they can be named).
const WORKER_SCRIPT: &str = "/mock-worker.js";

type Answer = Result<MockAnswer, MockFault>;

/// The in-browser mock backend.
pub struct MockBackend {
    replies: Rc<Replies>,
    transport: Box<dyn Transport>,
    /// Keeps the trail when the page is left.
    leaving: Option<leptos::prelude::WindowListenerHandle>,
}

impl Drop for MockBackend {
    fn drop(&mut self) {
        if let Some(leaving) = self.leaving.take() {
            leaving.remove();
        }
        self.replies.save_trail();
    }
}

impl std::fmt::Debug for MockBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockBackend").finish_non_exhaustive()
    }
}

impl MockBackend {
    /// The mock in a Web Worker, loading `world` (a world file's text; `None`: the demo world)
    /// with the sessions this tab had before a reload. Returns at once; the second value
    /// resolves when the world is loaded (calls made meanwhile wait for it).
    pub fn in_worker(
        world: Option<String>,
        source_ip: Option<std::net::IpAddr>,
    ) -> Result<(Self, impl Future<Output = Result<(), MockFault>>), MockFault> {
        let worker = web_sys::Worker::new(WORKER_SCRIPT)
            .map_err(|e| MockFault::Stopped(format!("the worker could not be made: {e:?}")))?;
        let replies = Rc::new(Replies::default());
        let state = Rc::new(WorkerState {
            worker,
            replies: Rc::downgrade(&replies),
            queued: RefCell::default(),
            ready: Cell::new(false),
            stopped: RefCell::default(),
        });
        let on_message = {
            let state = Rc::downgrade(&state);
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let (Some(state), Some(text)) = (state.upgrade(), event.data().as_string()) else {
                    return;
                };
                let Some(replies) = state.replies.upgrade() else {
                    return;
                };
                if replies.deliver(&text) {
                    state.ready.set(true);
                    for text in state.queued.take() {
                        state.post(&text);
                    }
                }
            })
        };
        let on_error = {
            let state = Rc::downgrade(&state);
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                if let Some(state) = state.upgrade() {
                    // Handled here: reported where the mock is used, not as an uncaught error.
                    event.prevent_default();
                    let message = event.message();
                    state.stop(if message.is_empty() {
                        format!("{WORKER_SCRIPT} could not be loaded")
                    } else {
                        message
                    });
                }
            })
        };
        state
            .worker
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        state
            .worker
            .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let backend = MockBackend {
            leaving: Some(save_trail_when_leaving(&replies)),
            replies,
            transport: Box::new(InWorker {
                state,
                _on_message: on_message,
                _on_error: on_error,
            }),
        };
        let started = backend.start(world, source_ip);
        Ok((backend, started))
    }

    /// The mock in the page, on the demo world, with the sessions this tab had before.
    pub fn in_page() -> Self {
        let replies = Rc::new(Replies::default());
        let transport = InPage {
            host: RefCell::new(MockHost::new()),
            rng: RefCell::new(ChaCha20Rng::from_seed(random_seed())),
            replies: Rc::downgrade(&replies),
        };
        let backend = MockBackend {
            leaving: Some(save_trail_when_leaving(&replies)),
            replies,
            transport: Box::new(transport),
        };
        // In the page the answer is there before this returns; a failure would show on the
        // first call (NotStarted), as it would with the worker.
        drop(backend.start(None, None));
        backend
    }

    /// Sends the first call at once (not when awaited), so that later calls queue behind it.
    fn start(
        &self,
        world: Option<String>,
        source_ip: Option<std::net::IpAddr>,
    ) -> impl Future<Output = Result<(), MockFault>> {
        let sessions = storage::session_get::<Box<RawValue>>(SESSIONS_KEY)
            .ok()
            .flatten();
        let iam = storage::local_get(storage::MOCK_IAM_KEY)
            .ok()
            .flatten()
            .and_then(|text| RawValue::from_string(text).ok());
        let trail = storage::session_get::<Box<RawValue>>(TRAIL_KEY)
            .ok()
            .flatten();
        let kept = KeptTrail::loaded(trail);
        let trail = kept.saved().map(ToOwned::to_owned);
        self.replies.trail.replace(kept);
        let (id, answer) = self.replies.expect();
        self.send(
            id,
            MockCall::Start {
                protocol: PROTOCOL,
                world,
                sessions,
                source_ip,
                iam,
                trail,
            },
        );
        async move {
            match answer.await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(fault)) => Err(fault),
                Err(_) => Err(MockFault::Stopped("the mock was dropped".into())),
            }
        }
    }

    fn send(&self, id: u64, call: MockCall) {
        self.send_at(id, call, now());
    }

    fn send_at(&self, id: u64, call: MockCall, at: Timestamp) {
        let text = MockRequest { id, now: at, call }.to_text();
        self.transport.send(id, text);
    }

    /// One call, sent when first polled; its answer, or why there is none.
    async fn call(&self, call: MockCall) -> Result<MockAnswer, BackendError> {
        self.call_at(call, now()).await
    }

    /// [`Self::call`] at a given time.
    async fn call_at(&self, call: MockCall, at: Timestamp) -> Result<MockAnswer, BackendError> {
        let (id, answer) = self.replies.expect();
        self.send_at(id, call, at);
        match answer.await {
            Ok(result) => result.map_err(BackendError::from),
            Err(_) => Err(BackendError::from(MockFault::Stopped(
                "the call was dropped".into(),
            ))),
        }
    }
}

/// A seed for the in-page engine's credentials.
fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    // Without the browser's random source there is no safe fallback for credentials.
    getrandom::getrandom(&mut seed).expect("the browser provides crypto.getRandomValues");
    seed
}

/// An answer of another kind than the call asks for: the two halves disagree.
fn unexpected(answer: MockAnswer) -> BackendError {
    BackendError::from(MockFault::Unreadable(format!(
        "an answer of the wrong kind: {answer:?}"
    )))
}

impl Backend for MockBackend {
    fn name(&self) -> &'static str {
        "in-browser mock"
    }

    fn sign_in(&self, form: SignInForm, _cancel: &Cancel) -> BackendFuture<'_, BaseSession> {
        Box::pin(async move {
            let code = Some(form.mfa_code.trim().to_owned()).filter(|c| !c.is_empty());
            let mfa = code.is_some();
            let call = MockCall::SignIn {
                account: form.account.clone(),
                user: form.user.clone(),
                password: form.password.clone(),
                mfa_code: code,
            };
            match self.call(call).await? {
                MockAnswer::Issued(issued) => Ok(BaseSession {
                    user: form.user.trim().to_owned(),
                    account_label: form.account.trim().to_owned(),
                    account_id: issued.arn.account().clone(),
                    arn: issued.arn,
                    mfa,
                    credentials: issued.credentials,
                }),
                other => Err(unexpected(other)),
            }
        })
    }

    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession> {
        let call = MockCall::SwitchRole {
            credentials: base.credentials.clone(),
            account: account.clone(),
            role: role.clone(),
            session_name: base.user.clone(),
        };
        Box::pin(async move {
            match self.call(call).await? {
                MockAnswer::Issued(issued) => Ok(RoleSession {
                    account,
                    role,
                    account_id: issued.arn.account().clone(),
                    arn: issued.arn,
                    credentials: issued.credentials,
                }),
                other => Err(unexpected(other)),
            }
        })
    }

    fn list_tables(
        &self,
        credentials: &Credentials,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<String>> {
        let call = MockCall::ListTables {
            credentials: credentials.clone(),
        };
        Box::pin(async move {
            match self.call(call).await? {
                MockAnswer::Tables(tables) => Ok(tables),
                other => Err(unexpected(other)),
            }
        })
    }

    fn scan(
        &self,
        credentials: &Credentials,
        table: String,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>> {
        let call = MockCall::Scan {
            credentials: credentials.clone(),
            table,
        };
        Box::pin(async move {
            match self.call(call).await? {
                MockAnswer::Items(items) => Ok(items),
                other => Err(unexpected(other)),
            }
        })
    }

    fn iam(
        &self,
        credentials: &Credentials,
        request: IamRequest,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, String> {
        let call = MockCall::Iam {
            credentials: credentials.clone(),
            form: request.to_form(),
        };
        Box::pin(async move {
            match self.call(call).await? {
                MockAnswer::Iam(xml) => Ok(xml),
                other => Err(unexpected(other)),
            }
        })
    }

    fn lookup_events(
        &self,
        credentials: &Credentials,
        request: LookupEvents,
        _cancel: &Cancel,
    ) -> BackendFuture<'_, LookupPage> {
        let call = MockCall::CloudTrail {
            credentials: credentials.clone(),
            body: crossrole_core::wire::cloudtrail::request_body(&request),
        };
        Box::pin(async move {
            match self.call(call).await? {
                MockAnswer::CloudTrail(json) => {
                    crossrole_core::client::read_lookup_events(200, &json).map_err(Into::into)
                }
                other => Err(unexpected(other)),
            }
        })
    }

    fn sign_out(&self, credentials: &Credentials) {
        // Nobody waits for this answer: the engine forgets the session, and its reply carries
        // the sessions without it to sessionStorage.
        let (id, _) = self.replies.expect();
        self.send(
            id,
            MockCall::SignOut {
                access_key_id: credentials.access_key_id.clone(),
            },
        );
    }

    fn can_reset_world(&self) -> bool {
        true
    }

    fn reset_world(&self) {
        storage::local_remove(storage::MOCK_IAM_KEY);
    }

    fn other_tab_stored(&self, key: Option<&str>, value: Option<&str>) {
        // Another tab's engine kept its administrator's changes, or they were reset or
        // cleared: this tab's engine takes them before its next change, which would otherwise
        // overwrite them with what this tab started from. Nobody waits for the answer.
        let iam = match key {
            Some(storage::MOCK_IAM_KEY) => {
                value.and_then(|v| RawValue::from_string(v.to_owned()).ok())
            }
            None => None,
            Some(_) => return,
        };
        let (id, _) = self.replies.expect();
        self.send(id, MockCall::FollowIam { iam });
    }

    fn region(&self) -> BackendFuture<'_, String> {
        Box::pin(async move {
            match self.call(MockCall::Region).await? {
                MockAnswer::Region(region) => Ok(region),
                other => Err(unexpected(other)),
            }
        })
    }

    fn demo_users(&self, at: Timestamp) -> BackendFuture<'_, Vec<DemoUser>> {
        Box::pin(async move {
            match self.call_at(MockCall::DemoUsers, at).await? {
                MockAnswer::DemoUsers(users) => Ok(users),
                other => Err(unexpected(other)),
            }
        })
    }
}
