//! The STS backend: the console against any endpoint that speaks the AWS wire protocols (the
//! crossrole emulator, moto, STS behind a proxy). Requests are SigV4-signed in the page with
//! `crates/core`'s signer and sent with `fetch`; answers are read with `crates/core`'s wire
//! parsers, so the emulator and the console cannot disagree about the protocol.
//!
//! Sign-in takes an access key: the long-term secret signs two requests (GetCallerIdentity,
//! then GetSessionToken, with MFA when given) and is then dropped; only the temporary session
//! is kept, like every other session, in memory and sessionStorage.

use std::cell::Cell;
use std::collections::BTreeMap;

use crossrole_core::arn::Arn;
use crossrole_core::client::federation::{exchange_body, read_exchange};
use crossrole_core::client::{
    self, account_label, clock_correction, iam_user_of, mfa_serial, prepare, resolve_account,
    session_signer, Call, ClientError,
};
use crossrole_core::clock::Timestamp;
use crossrole_core::fault::WireFault;
use crossrole_core::link::{RoleRef, FEDERATION_PATH};
use crossrole_core::ops::trail::{LookupEvents, LookupPage};
use crossrole_core::ops::ApiError;
use crossrole_core::ops::{AssumeRole, GetSessionToken};
use crossrole_core::sigv4::SigningCredentials;
use crossrole_core::validation::{AccountId, AccountRef};
use crossrole_core::wire::dynamodb::DynamoRequest;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::wire::{Endpoint, StsRequest};
use crossrole_core::world::{Credentials, Item};
use gloo_net::http::Request;
use leptos::prelude::set_timeout_with_handle;
use web_sys::AbortController;

use super::{
    now, Backend, BackendError, BackendFuture, BaseSession, Cancel, FederatedSession, RoleSession,
    SignInForm, SignInMethod,
};

/// How long a call may take before it is abandoned, unless the configuration says otherwise.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 20;

/// The STS backend.
pub struct StsBackend {
    endpoint: Endpoint,
    region: String,
    /// Account aliases the configuration names (alias → id); STS itself cannot resolve them.
    aliases: BTreeMap<String, AccountId>,
    timeout_ms: u32,
    /// Seconds to add to this computer's clock to match the endpoint's (learnt from a refused
    /// signature's Date header), as AWS SDKs do.
    clock_offset: Cell<i64>,
}

impl std::fmt::Debug for StsBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StsBackend")
            .field("endpoint", &self.endpoint.url)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// What came back: status, body, and the endpoint's `Date` header if readable.
struct Answer {
    status: u16,
    body: String,
    date: Option<String>,
}

/// A fault off the wire, as the console's error.
fn refused(fault: WireFault) -> BackendError {
    match fault.known() {
        Some(code) => BackendError::Refused {
            code,
            message: fault.message,
            denial: None,
        },
        None => BackendError::Failed {
            code: fault.code,
            message: fault.message,
        },
    }
}

impl From<ClientError> for BackendError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Fault(f) => refused(f),
            ClientError::Unreadable { status, .. } if status >= 500 => {
                BackendError::Unavailable(format!("the endpoint answered HTTP {status}"))
            }
            ClientError::Unreadable { reason, .. } => {
                BackendError::Unavailable(format!("its answer could not be read ({reason})"))
            }
        }
    }
}

impl StsBackend {
    /// A backend for `endpoint` (resolved against the page's origin) in `region`.
    pub fn new(
        endpoint: Endpoint,
        region: String,
        aliases: BTreeMap<String, AccountId>,
        timeout_seconds: Option<u32>,
    ) -> Self {
        Self {
            endpoint,
            region,
            aliases,
            timeout_ms: timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS).max(1) * 1000,
            clock_offset: Cell::new(0),
        }
    }

    fn clock(&self) -> Timestamp {
        now().plus(self.clock_offset.get())
    }

    /// Sends `call` signed with `signer` and reads the answer with `read`. When the endpoint
    /// refuses the signature and its Date shows this computer's clock is off, corrects the
    /// clock and tries once more; a second refusal is then put down to the clock.
    async fn call<T>(
        &self,
        signer: SigningCredentials<'_>,
        call: &Call,
        read: fn(u16, &str) -> Result<T, ClientError>,
        cancel: &Cancel,
    ) -> Result<T, BackendError> {
        let answer = self.send(signer, call, cancel).await?;
        let refusal = match read(answer.status, &answer.body) {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let Some(offset) = clock_correction(&refusal, answer.date.as_deref(), self.clock()) else {
            return Err(refusal.into());
        };
        self.clock_offset.set(self.clock_offset.get() + offset);
        let retried = self.send(signer, call, cancel).await?;
        match read(retried.status, &retried.body) {
            Err(ClientError::Fault(f)) if f.is_signature_refusal() => Err(BackendError::ClockSkew),
            other => other.map_err(BackendError::from),
        }
    }

    /// Sends what core prepared: only fetch, abort and timeout happen here.
    async fn send(
        &self,
        signer: SigningCredentials<'_>,
        call: &Call,
        cancel: &Cancel,
    ) -> Result<Answer, BackendError> {
        let req = prepare(call, &self.endpoint, &self.region, signer, self.clock());
        // The browser sets Host itself, to the same value that was signed.
        let headers: Vec<_> = req
            .headers
            .into_iter()
            .filter(|(n, _)| n != "Host")
            .collect();
        self.post(&self.endpoint.url, &headers, req.body, cancel)
            .await
    }

    /// POSTs `body` with `headers` to `url`: only fetch, abort and timeout happen here.
    async fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
        cancel: &Cancel,
    ) -> Result<Answer, BackendError> {
        if cancel.is_cancelled() {
            return Err(BackendError::Cancelled);
        }
        // The request ends when its caller cancels or its own timeout passes, whichever first.
        let controller = AbortController::new()
            .map_err(|_| BackendError::Unavailable("the browser cannot make requests".into()))?;
        let signals = js_sys::Array::of1(&controller.signal());
        if let Some(signal) = cancel.signal() {
            signals.push(&signal);
        }
        let signal = web_sys::AbortSignal::any(&signals);
        let timed_out = std::rc::Rc::new(Cell::new(false));
        let timer = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            set_timeout_with_handle(
                move || {
                    timed_out.set(true);
                    controller.abort();
                },
                std::time::Duration::from_millis(u64::from(self.timeout_ms)),
            )
            .ok()
        };
        let mut builder = Request::post(url).abort_signal(Some(&signal));
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let result = async {
            let response = builder
                .body(body)
                .map_err(|e| BackendError::Unavailable(e.to_string()))?
                .send()
                .await
                .map_err(|e| BackendError::Unavailable(e.to_string()))?;
            let status = response.status();
            let date = response.headers().get("date");
            let body = response
                .text()
                .await
                .map_err(|e| BackendError::Unavailable(e.to_string()))?;
            Ok::<_, BackendError>(Answer { status, body, date })
        }
        .await;
        if let Some(t) = timer {
            t.clear();
        }
        match result {
            Err(_) if timed_out.get() => Err(BackendError::TimedOut(self.timeout_ms / 1000)),
            Err(_) if cancel.is_cancelled() => Err(BackendError::Cancelled),
            other => other,
        }
    }
}

impl Backend for StsBackend {
    fn name(&self) -> &'static str {
        "STS endpoint"
    }

    fn sign_in_method(&self) -> SignInMethod {
        SignInMethod::AccessKey
    }

    fn sign_in(&self, form: SignInForm, cancel: &Cancel) -> BackendFuture<'_, BaseSession> {
        let cancel = cancel.clone();
        Box::pin(async move {
            let key = form.access_key_id.trim().to_owned();
            let long_term = SigningCredentials {
                access_key_id: &key,
                secret_access_key: form.secret_access_key.trim(),
                session_token: None,
            };
            let identity = Call::Sts(StsRequest::GetCallerIdentity);
            let who = self
                .call(long_term, &identity, client::read_identity, &cancel)
                .await?;
            let user = iam_user_of(&who).map_err(|e| BackendError::NotAnIamUser(e.to_string()))?;
            let code = form.mfa_code.trim();
            let mfa = (!code.is_empty()).then(|| {
                (
                    mfa_serial(&form.mfa_serial, &user.account, &user.name),
                    code.to_owned(),
                )
            });
            let used_mfa = mfa.is_some();
            let (serial_number, token_code) = mfa.unzip();
            let token = Call::Sts(StsRequest::GetSessionToken(GetSessionToken {
                duration: None,
                serial_number,
                token_code,
            }));
            let (credentials, _) = self
                .call(long_term, &token, client::read_credentials, &cancel)
                .await?;
            // The long-term secret is not needed again: only the session is kept.
            drop(form);
            // The account's own alias, when the user may read it (best effort: most may not).
            let listed = if client::configured_alias(&self.aliases, &user.account).is_some() {
                None
            } else {
                let aliases = Call::Iam(IamRequest::ListAccountAliases);
                self.call(
                    session_signer(&credentials),
                    &aliases,
                    client::read_account_alias,
                    &cancel,
                )
                .await
                .ok()
                .flatten()
            };
            Ok(BaseSession {
                account_label: account_label(&self.aliases, &user.account, listed),
                user: user.name,
                account_id: user.account,
                arn: user.arn,
                mfa: used_mfa,
                credentials,
            })
        })
    }

    fn switch_role(
        &self,
        base: &BaseSession,
        account: AccountRef,
        role: RoleRef,
        cancel: &Cancel,
    ) -> BackendFuture<'_, RoleSession> {
        let base = base.clone();
        let cancel = cancel.clone();
        Box::pin(async move {
            let account_id = resolve_account(
                &self.aliases,
                &account,
                &base.account_label,
                &base.account_id,
            )
            .ok_or_else(|| BackendError::from(ApiError::unknown_account(&account)))?;
            let role_arn = Arn::role(&account_id, &role.path, &role.name).to_string();
            let assume = Call::Sts(StsRequest::AssumeRole(AssumeRole {
                role_arn,
                role_session_name: base.user.clone(),
                duration: None,
                ..Default::default()
            }));
            let (credentials, arn) = self
                .call(
                    session_signer(&base.credentials),
                    &assume,
                    client::read_credentials,
                    &cancel,
                )
                .await?;
            Ok(RoleSession {
                account,
                role,
                account_id,
                arn: arn.ok_or_else(|| {
                    BackendError::Unavailable("its answer names no assumed role".into())
                })?,
                credentials,
            })
        })
    }

    fn list_tables(
        &self,
        credentials: &Credentials,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<String>> {
        let credentials = credentials.clone();
        let cancel = cancel.clone();
        Box::pin(async move {
            let call = Call::DynamoDb(DynamoRequest::ListTables);
            self.call(
                session_signer(&credentials),
                &call,
                client::read_list_tables,
                &cancel,
            )
            .await
        })
    }

    fn iam(
        &self,
        credentials: &Credentials,
        request: IamRequest,
        cancel: &Cancel,
    ) -> BackendFuture<'_, String> {
        let credentials = credentials.clone();
        let cancel = cancel.clone();
        Box::pin(async move {
            self.call(
                session_signer(&credentials),
                &Call::Iam(request),
                client::read_iam_body,
                &cancel,
            )
            .await
        })
    }

    fn lookup_events(
        &self,
        credentials: &Credentials,
        request: LookupEvents,
        cancel: &Cancel,
    ) -> BackendFuture<'_, LookupPage> {
        let credentials = credentials.clone();
        let cancel = cancel.clone();
        Box::pin(async move {
            self.call(
                session_signer(&credentials),
                &Call::CloudTrail(request),
                client::read_lookup_events,
                &cancel,
            )
            .await
        })
    }

    fn scan(
        &self,
        credentials: &Credentials,
        table: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, Vec<Item>> {
        let credentials = credentials.clone();
        let cancel = cancel.clone();
        Box::pin(async move {
            let call = Call::DynamoDb(DynamoRequest::Scan {
                table,
                projection: Default::default(),
            });
            self.call(
                session_signer(&credentials),
                &call,
                client::read_scan,
                &cancel,
            )
            .await
        })
    }

    fn region(&self) -> BackendFuture<'_, String> {
        Box::pin(async move { Ok(self.region.clone()) })
    }

    fn federated_sign_in(
        &self,
        token: String,
        destination: String,
        cancel: &Cancel,
    ) -> BackendFuture<'_, FederatedSession> {
        let cancel = cancel.clone();
        Box::pin(async move {
            // The endpoint's federation page, beside where its calls go.
            let url = format!(
                "{}{FEDERATION_PATH}",
                self.endpoint.url.trim_end_matches('/')
            );
            let form = [(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            )];
            let body = exchange_body(&token, &destination).into_bytes();
            let answer = self.post(&url, &form, body, &cancel).await?;
            read_exchange(answer.status, &answer.body).map_err(|e| BackendError::Failed {
                code: e.code,
                message: e.message,
            })
        })
    }

    fn sign_out(&self, _credentials: &Credentials) {
        // STS cannot revoke a session: the console forgets it, and it expires on its own.
    }
}
