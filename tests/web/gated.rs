//! A backend that holds the mock's calls until released, or fails the ones named: what a
//! slow or failing backend leaves on the page.

use super::*;

/// The mock, rigged: `switch_role` to a gated role waits for the test to open its gate (or
/// for the call's own cancel), and the IAM calls `fail` names (by action) are refused once
/// each, as a backend failing half-way would.
pub(crate) struct Gated {
    pub(crate) inner: MockBackend,
    pub(crate) gates: RefCell<Vec<(&'static str, oneshot::Receiver<()>)>>,
    pub(crate) fail: RefCell<Vec<&'static str>>,
    /// Role sessions end this many seconds after they start (the console's view of them).
    pub(crate) role_seconds: Option<i64>,
}

impl Gated {
    /// The mock refusing, once each, the IAM calls named in `actions`.
    pub(crate) fn failing(actions: &[&'static str]) -> Rc<Self> {
        Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::default(),
            fail: RefCell::new(actions.to_vec()),
            role_seconds: None,
        })
    }

    /// The mock whose role sessions end `seconds` after they start.
    pub(crate) fn short_sessions(seconds: i64) -> Rc<Self> {
        Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::default(),
            fail: RefCell::default(),
            role_seconds: Some(seconds),
        })
    }

    pub(crate) fn new(gated_roles: &[&'static str]) -> (Rc<Self>, Vec<oneshot::Sender<()>>) {
        let (openers, gates): (Vec<_>, Vec<_>) = gated_roles
            .iter()
            .map(|role| {
                let (open, gate) = oneshot::channel();
                (open, (*role, gate))
            })
            .unzip();
        let backend = Rc::new(Gated {
            inner: MockBackend::in_page(),
            gates: RefCell::new(gates),
            fail: RefCell::default(),
            role_seconds: None,
        });
        (backend, openers)
    }
}

/// Resolves when `cancel` is cancelled.
pub(crate) async fn cancelled(cancel: Cancel) {
    let Some(signal) = cancel.signal() else {
        return futures::future::pending().await;
    };
    let fired = js_sys::Promise::new(&mut |resolve, _| {
        if signal.aborted() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        } else {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(fired).await;
}

impl Backend for Gated {
    fn name(&self) -> &'static str {
        "gated mock"
    }
    fn sign_in(&self, form: SignInForm, cancel: &Cancel) -> BackendFuture<'_, BaseSession> {
        self.inner.sign_in(form, cancel)
    }
    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession> {
        let mut gates = self.gates.borrow_mut();
        let gate = gates
            .iter()
            .position(|(r, _)| *r == role.name.as_str())
            .map(|i| gates.remove(i).1);
        let call = self.inner.switch_role(base, account, role, cancel);
        let cancel = cancel.clone();
        let role_seconds = self.role_seconds;
        Box::pin(async move {
            if let Some(gate) = gate {
                let opened = Box::pin(async {
                    let _ = gate.await;
                });
                let stop = Box::pin(cancelled(cancel));
                if let futures::future::Either::Right(_) =
                    futures::future::select(opened, stop).await
                {
                    return Err(BackendError::Cancelled);
                }
            }
            let mut session = call.await?;
            if let Some(seconds) = role_seconds {
                session.credentials.expiration = crossrole::backend::now().plus(seconds);
            }
            Ok(session)
        })
    }
    fn lookup_events(
        &self,
        c: &Credentials,
        request: crossrole_core::ops::trail::LookupEvents,
        cancel: &Cancel,
    ) -> BackendFuture<'_, crossrole_core::ops::trail::LookupPage> {
        self.inner.lookup_events(c, request, cancel)
    }

    fn iam(
        &self,
        c: &Credentials,
        request: crossrole_core::wire::iam::IamRequest,
        cancel: &Cancel,
    ) -> BackendFuture<'_, String> {
        let action = request.params().0;
        let mut fail = self.fail.borrow_mut();
        if let Some(at) = fail.iter().position(|a| *a == action) {
            fail.remove(at);
            return Box::pin(async move {
                Err(BackendError::Unavailable(format!(
                    "{action} was lost (injected)"
                )))
            });
        }
        self.inner.iam(c, request, cancel)
    }
    fn list_tables(&self, c: &Credentials, cancel: &Cancel) -> BackendFuture<'_, Vec<String>> {
        self.inner.list_tables(c, cancel)
    }
    fn scan(
        &self,
        c: &Credentials,
        table: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>> {
        self.inner.scan(c, table, cancel)
    }
    fn region(&self) -> BackendFuture<'_, String> {
        self.inner.region()
    }
    fn sign_out(&self, c: &Credentials) {
        self.inner.sign_out(c)
    }
    /// A sign-in link, as the emulator would exchange it: ProdOperator's session (the mock
    /// signs ProdAdmin in and switches), whatever the token.
    fn federated_sign_in(
        &self,
        _token: String,
        _destination: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, crossrole::backend::FederatedSession> {
        let cancel = cancel.clone();
        Box::pin(async move {
            let form = SignInForm {
                account: "example-prod".into(),
                user: "ProdAdmin".into(),
                password: "prodadmin-Pa55word!".into(),
                ..SignInForm::default()
            };
            let admin = self.inner.sign_in(form, &cancel).await?;
            let role = RoleRef::parse("ops/ProdOperator").unwrap();
            let account = AccountRef::parse("222222222222").unwrap();
            let session = self
                .inner
                .switch_role(&admin, account, role, &cancel)
                .await?;
            self.inner.sign_out(&admin.credentials);
            Ok(crossrole::backend::FederatedSession {
                arn: session.arn,
                account_id: session.account_id,
                role_path: Some(session.role.path),
                mfa: false,
                credentials: session.credentials,
            })
        })
    }
}
