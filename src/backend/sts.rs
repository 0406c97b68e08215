//! The STS backend: the console against any endpoint that speaks the AWS wire protocols (the
//! crossrole emulator, moto, STS behind a proxy). Requests are SigV4-signed in the page with
//! `crates/core`'s signer and sent with `fetch`; answers are read with `crates/core`'s wire
//! parsers, so the emulator and the console cannot disagree about the protocol.
//!
//! Sign-in takes an access key: the long-term secret signs two requests (GetCallerIdentity,
//! then GetSessionToken, with MFA when given) and is then dropped; only the temporary session
//! is kept, like every other session, in memory and sessionStorage.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use crossrole_core::arn::Arn;
use crossrole_core::clock::Timestamp;
use crossrole_core::link::RoleRef;
use crossrole_core::ops::{ApiError, ErrorCode};
use crossrole_core::sigv4::{sign, SigningCredentials};
use crossrole_core::validation::{AccountId, AccountRef};
use crossrole_core::wire::dynamodb::{self, DynamoRequest};
use crossrole_core::wire::{
    iam as iam_wire, parse_sts_response, post_request, Endpoint, StsRequest, StsResponse,
};
use crossrole_core::world::{Credentials, Item};
use gloo_net::http::Request;
use leptos::prelude::set_timeout_with_handle;
use web_sys::AbortController;

use super::{
    now, Backend, BackendError, BackendFuture, BaseSession, RoleSession, SignInForm, SignInMethod,
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
    /// Calls in flight, by number, so that Cancel can abort them.
    inflight: RefCell<Vec<(u64, AbortController)>>,
    next_call: Cell<u64>,
    /// Seconds to add to this computer's clock to match the endpoint's (learnt from a
    /// "Signature expired" answer's Date header), as AWS SDKs do.
    clock_offset: Cell<i64>,
}

/// A signed call's answer: status, body, and the endpoint's `Date` header if readable.
struct Answer {
    status: u16,
    body: String,
    date: Option<String>,
}

/// The credentials of a session, to sign with.
fn session_signer(c: &Credentials) -> SigningCredentials<'_> {
    SigningCredentials {
        access_key_id: &c.access_key_id,
        secret_access_key: c.secret_access_key.expose(),
        session_token: Some(c.session_token.expose()),
    }
}

/// How an endpoint says it refused the request's time (STS and DynamoDB alike).
const SKEW_MARKER: &str = "Signature expired";

/// What kind of call: the Query protocol of `sts`/`iam`, or DynamoDB's JSON protocol.
enum Call {
    Query { service: &'static str, form: String },
    Dynamo(DynamoRequest),
}

/// An error code and message off the wire, as the console's error.
fn refused(code: String, message: String) -> BackendError {
    if message.starts_with(SKEW_MARKER) {
        return BackendError::ClockSkew;
    }
    match ErrorCode::from_wire(&code) {
        Some(code) => BackendError::Refused {
            code,
            message,
            denial: None,
        },
        None => BackendError::Failed { code, message },
    }
}

fn unreadable(status: u16, what: impl std::fmt::Display) -> BackendError {
    if status >= 500 {
        BackendError::Unavailable(format!("the endpoint answered HTTP {status}"))
    } else {
        BackendError::Unavailable(format!("its answer could not be read ({what})"))
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
            inflight: RefCell::new(Vec::new()),
            next_call: Cell::new(0),
            clock_offset: Cell::new(0),
        }
    }

    fn clock(&self) -> Timestamp {
        now().plus(self.clock_offset.get())
    }

    /// Sends one signed call; on a clock-skew refusal whose answer says the endpoint's time,
    /// corrects the clock and tries once more.
    async fn call(
        &self,
        signer: SigningCredentials<'_>,
        call: &Call,
    ) -> Result<Answer, BackendError> {
        let answer = self.send(signer, call).await?;
        let skewed = answer.status == 403 || answer.status == 400;
        if skewed && answer.body.contains(SKEW_MARKER) {
            if let Some(server_ms) = answer
                .date
                .as_deref()
                .map(js_sys::Date::parse)
                .filter(|t| t.is_finite())
            {
                let offset = (server_ms / 1000.0) as i64 - now().seconds();
                self.clock_offset.set(offset);
                return self.send(signer, call).await;
            }
        }
        Ok(answer)
    }

    async fn send(
        &self,
        signer: SigningCredentials<'_>,
        call: &Call,
    ) -> Result<Answer, BackendError> {
        let (service, target, body) = match call {
            Call::Query { service, form } => (*service, None, form.clone()),
            Call::Dynamo(r) => ("dynamodb", Some(r.target()), r.body()),
        };
        let mut req = post_request(
            &self.endpoint.host,
            &self.endpoint.path,
            target.as_deref(),
            &body,
        );
        let region = crossrole_core::service::signing_region(service, &self.region);
        sign(&mut req, signer, region, service, self.clock());

        let controller = AbortController::new()
            .map_err(|_| BackendError::Unavailable("the browser cannot make requests".into()))?;
        let id = self.next_call.get();
        self.next_call.set(id + 1);
        self.inflight.borrow_mut().push((id, controller.clone()));
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
        // The browser sets Host itself, to the same value that was signed.
        let mut builder =
            Request::post(&self.endpoint.url).abort_signal(Some(&controller.signal()));
        for (name, value) in req.headers.iter().filter(|(n, _)| n != "Host") {
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
        let aborted = controller.signal().aborted();
        self.inflight.borrow_mut().retain(|(i, _)| *i != id);
        match result {
            Err(_) if timed_out.get() => Err(BackendError::TimedOut(self.timeout_ms / 1000)),
            Err(_) if aborted => Err(BackendError::Cancelled),
            other => other,
        }
    }

    /// An STS call, read as STS answers are.
    async fn sts(
        &self,
        signer: SigningCredentials<'_>,
        request: StsRequest,
    ) -> Result<StsResponse, BackendError> {
        let answer = self
            .call(
                signer,
                &Call::Query {
                    service: "sts",
                    form: request.to_form(),
                },
            )
            .await?;
        match parse_sts_response(&answer.body) {
            Ok(StsResponse::Error { code, message }) => Err(refused(code, message)),
            Ok(_) if answer.status != 200 => {
                Err(unreadable(answer.status, "an error without a code"))
            }
            Ok(r) => Ok(r),
            Err(e) => Err(unreadable(answer.status, e)),
        }
    }

    /// A DynamoDB call's body, or its error.
    async fn dynamo(
        &self,
        credentials: &Credentials,
        request: DynamoRequest,
    ) -> Result<String, BackendError> {
        let answer = self
            .call(session_signer(credentials), &Call::Dynamo(request))
            .await?;
        if answer.status == 200 {
            return Ok(answer.body);
        }
        match dynamodb::parse_error(&answer.body) {
            Ok((code, message)) => Err(refused(code, message)),
            Err(e) => Err(unreadable(answer.status, e)),
        }
    }

    /// The caller's own account alias, when it may read it (best effort: most users may not).
    async fn own_alias(&self, credentials: &Credentials) -> Option<String> {
        let answer = self
            .call(
                session_signer(credentials),
                &Call::Query {
                    service: "iam",
                    form: iam_wire::list_account_aliases_form(),
                },
            )
            .await
            .ok()?;
        iam_wire::parse_account_aliases(&answer.body).ok()?.ok()?
    }

    fn alias_of(&self, account_id: &str) -> Option<String> {
        self.aliases
            .iter()
            .find(|(_, id)| id.as_str() == account_id)
            .map(|(alias, _)| alias.clone())
    }
}

fn credentials_of(response: StsResponse) -> Result<(Credentials, Option<String>), BackendError> {
    match response {
        StsResponse::Credentials { credentials, arn } => Ok((credentials, arn)),
        _ => Err(BackendError::Unavailable(
            "the answer holds no credentials".into(),
        )),
    }
}

impl Backend for StsBackend {
    fn name(&self) -> &'static str {
        "STS endpoint"
    }

    fn sign_in_method(&self) -> SignInMethod {
        SignInMethod::AccessKey
    }

    fn sign_in(&self, form: SignInForm) -> BackendFuture<'_, BaseSession> {
        Box::pin(async move {
            let key = form.access_key_id.trim().to_owned();
            let long_term = SigningCredentials {
                access_key_id: &key,
                secret_access_key: form.secret_access_key.trim(),
                session_token: None,
            };
            let StsResponse::Identity(who) =
                self.sts(long_term, StsRequest::GetCallerIdentity).await?
            else {
                return Err(BackendError::Unavailable(
                    "GetCallerIdentity answered something else".into(),
                ));
            };
            let user = match who.arn.parse::<Arn>() {
                Ok(Arn::User { name, .. }) => name.to_string(),
                _ => {
                    return Err(BackendError::Failed {
                        code: "NotAnIamUser".into(),
                        message: format!(
                            "These keys belong to {}; sign in with an IAM user's access key.",
                            who.arn
                        ),
                    })
                }
            };
            let code = form.mfa_code.trim();
            let mfa = (!code.is_empty()).then(|| {
                let serial = form.mfa_serial.trim();
                let serial = if serial.is_empty() {
                    format!("arn:aws:iam::{}:mfa/{user}", who.account)
                } else {
                    serial.to_owned()
                };
                (serial, code.to_owned())
            });
            let used_mfa = mfa.is_some();
            let (serial_number, token_code) = mfa.unzip();
            let response = self
                .sts(
                    long_term,
                    StsRequest::GetSessionToken {
                        duration: None,
                        serial_number,
                        token_code,
                    },
                )
                .await?;
            // The long-term secret is not needed again: only the session is kept.
            drop(form);
            let (credentials, _) = credentials_of(response)?;
            let account_label = match self.alias_of(&who.account) {
                Some(alias) => alias,
                None => self
                    .own_alias(&credentials)
                    .await
                    .unwrap_or_else(|| who.account.clone()),
            };
            Ok(BaseSession {
                user,
                account_label,
                account_id: who.account,
                arn: who.arn,
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
    ) -> BackendFuture<'_, RoleSession> {
        let base = base.clone();
        Box::pin(async move {
            let account_id = match &account {
                AccountRef::Id(id) => id.clone(),
                AccountRef::Alias(alias) => self
                    .aliases
                    .get(alias.as_str())
                    .cloned()
                    // The signed-in account's own alias, as the console shows it.
                    .or_else(|| {
                        (alias.as_str() == base.account_label)
                            .then(|| AccountId::parse(&base.account_id).ok())
                            .flatten()
                    })
                    .ok_or_else(|| BackendError::from(ApiError::unknown_account(&account)))?,
            };
            let role_arn = Arn::role(&account_id, &role.path, &role.name).to_string();
            let response = self
                .sts(
                    session_signer(&base.credentials),
                    StsRequest::AssumeRole {
                        role_arn,
                        role_session_name: base.user.clone(),
                        duration: None,
                    },
                )
                .await?;
            let (credentials, arn) = credentials_of(response)?;
            Ok(RoleSession {
                account,
                role,
                account_id: account_id.to_string(),
                arn: arn.unwrap_or_default(),
                credentials,
            })
        })
    }

    fn list_tables(&self, credentials: &Credentials) -> BackendFuture<'_, Vec<String>> {
        let credentials = credentials.clone();
        Box::pin(async move {
            let body = self.dynamo(&credentials, DynamoRequest::ListTables).await?;
            dynamodb::parse_list_tables(&body).map_err(|e| unreadable(200, e))
        })
    }

    fn scan(&self, credentials: &Credentials, table: String) -> BackendFuture<'_, Vec<Item>> {
        let credentials = credentials.clone();
        Box::pin(async move {
            let body = self
                .dynamo(&credentials, DynamoRequest::Scan { table })
                .await?;
            dynamodb::parse_scan(&body).map_err(|e| unreadable(200, e))
        })
    }

    fn sign_out(&self, _credentials: &Credentials) {
        // STS cannot revoke a session: the console forgets it, and it expires on its own.
    }

    fn cancel(&self) {
        for (_, controller) in self.inflight.borrow().iter() {
            controller.abort();
        }
    }
}
