//! The AWS endpoint as a pure function: one signed HTTP request in, one response out. The
//! emulator puts this behind a socket; everything that decides an answer lives here, so it is
//! tested natively and runs the same operations as the in-browser mock.
//!
//! Routing follows the request itself: `X-Amz-Target` means DynamoDB's JSON protocol, otherwise
//! it is the Query protocol of the service the signature's scope names (`sts` or `iam`).

use rand_core::RngCore;

use crate::clock::Timestamp;
use crate::fault::{ErrorCode, INVALID_TOKEN_MESSAGE};
use crate::ops::{ApiError, Origin, Presented};
use crate::service_name::{Service, IAM_REGION};
use crate::sigv4::{
    parse_authorization, verify_parsed_with, Authorization, HttpRequest, SigV4Error, SigningKeys,
};
use crate::wire::cloudtrail;
use crate::wire::dynamodb::{self, DynamoRequest};
use crate::wire::iam::{self as iam_wire, IamRequest};
use crate::wire::{self, query_params, StsRequest, WireError};
use crate::world::{Secret, World};

mod federation;
mod route;
pub use federation::{federation, is_federation, FederationReply};
pub use route::*;

/// How long an expired session is still recognised (answering `ExpiredToken`) before it is
/// forgotten (answering `InvalidClientTokenId`).
pub const EXPIRED_GRACE_SECONDS: i64 = 3600;

/// The most of a request's `User-Agent` the audit trail keeps.
pub const USER_AGENT_MAX: usize = 256;

/// `req`'s `User-Agent` as the audit trail records it: cut to [`USER_AGENT_MAX`] characters.
pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.header("user-agent")
        .map(|u| u.chars().take(USER_AGENT_MAX).collect())
}

/// What the endpoint answered, with what a request log needs (never a secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The HTTP status.
    pub status: u16,
    /// The response's content type.
    pub content_type: &'static str,
    /// The response body.
    pub body: String,
    /// The request id (also in the body and the `x-amzn-RequestId` header).
    pub request_id: String,
    /// `sts`, `iam` or `dynamodb`.
    pub service: &'static str,
    /// The action or operation, as the request named it.
    pub action: String,
    /// The access key id that signed the request (an identifier, not a secret).
    pub access_key_id: Option<String>,
    /// The error code, when the request failed.
    pub error: Option<String>,
    /// Whether the world changed (an IAM write succeeded): time to save the state.
    pub changed: bool,
    /// Whether a role was switched to, so its `RoleLastUsed` moved: worth saving soon, but
    /// not before answering (IAM itself reports last use with a delay).
    pub used_role: bool,
}

impl Served {
    /// This answer turned into the server error a failed save of the state calls for: the
    /// change was not kept, so the caller must not be told it succeeded. (Only IAM writes
    /// are saved; IAM's code for its own failures is `ServiceFailure`.)
    pub fn failed_to_save(mut self) -> Served {
        let service = Service::from_name(self.service).unwrap_or(Service::Iam);
        self.changed = false;
        self.fail(
            service,
            &Failure::new(
                ErrorCode::ServiceFailure,
                "The change could not be saved; it was not made. Try again.",
            ),
        );
        self
    }

    /// Writes `f` as the answer, in `service`'s spelling: code, status and error document.
    fn fail(&mut self, service: Service, f: &Failure) {
        let (code, body) = match service {
            Service::DynamoDb => {
                let code = f.code.json_code();
                (code, dynamodb::error_body(code, &f.message))
            }
            Service::CloudTrail => {
                let code = f.code.json_code();
                (code, crate::wire::cloudtrail::error_body(code, &f.message))
            }
            Service::Iam => {
                let code = f.code.query_code();
                (
                    code,
                    iam_wire::error_response(f.code, &f.message, &self.request_id),
                )
            }
            Service::Sts => {
                let code = f.code.query_code();
                (
                    code,
                    wire::error_response(f.code, &f.message, &self.request_id),
                )
            }
        };
        let status = f.code.http_status();
        // DynamoDB and CloudTrail answer every client error with 400.
        self.status = match service {
            Service::DynamoDb | Service::CloudTrail if status < 500 => 400,
            _ => status,
        };
        self.error = Some(code.to_owned());
        self.body = body;
    }
}

/// A failure: its code (spelt per protocol by [`ErrorCode`]) and message.
struct Failure {
    code: ErrorCode,
    message: String,
    /// The refusal's authorization message, when the caller's own policies decided.
    authorization: Option<Box<crate::world::AuthorizationMessage>>,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            authorization: None,
        }
    }

    fn api(e: &ApiError, explain: bool) -> Self {
        let message = if explain {
            e.explained()
        } else {
            e.message.clone()
        };
        Self {
            authorization: e.authorization.clone(),
            ..Self::new(e.code, message)
        }
    }

    fn wire(e: &WireError) -> Self {
        match e {
            WireError::UnknownAction(_) => Self::new(ErrorCode::InvalidAction, e.to_string()),
            _ => Self::new(ErrorCode::ValidationError, e.to_string()),
        }
    }

    fn signature(e: &SigV4Error) -> Self {
        let code = match e {
            SigV4Error::MissingAuthenticationToken => ErrorCode::MissingAuthenticationToken,
            SigV4Error::IncompleteSignature(_) | SigV4Error::UnsignedHeader(_) => {
                ErrorCode::IncompleteSignature
            }
            SigV4Error::SignatureDoesNotMatch
            | SigV4Error::SignatureExpired { .. }
            | SigV4Error::PayloadHashMismatch
            | SigV4Error::WrongRegion(_) => ErrorCode::SignatureDoesNotMatch,
        };
        Self::new(code, e.to_string())
    }

    fn unknown_key() -> Self {
        Self::new(ErrorCode::InvalidClientTokenId, INVALID_TOKEN_MESSAGE)
    }
}

fn request_id(rng: &mut dyn RngCore) -> String {
    crate::ops::audit::random_uuid(rng)
}

/// How the endpoint checks and answers requests (fixed for a run of the emulator).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServeOptions {
    /// Say in access-denied messages which policy decided (AWS itself never does).
    pub explain: bool,
    /// Give access-denied messages an encoded authorization message (`Encoded authorization
    /// failure message: …`) that DecodeAuthorizationMessage decodes. AWS's STS, IAM and
    /// DynamoDB never do (EC2 does): off by default.
    pub authorization_messages: bool,
    /// Hold IAM to the credential scope real AWS uses (`us-east-1`) only. Without it IAM
    /// also accepts the world's region, which is what AWS SDKs sign with when given an
    /// endpoint URL (botocore does).
    pub strict_iam_region: bool,
}

/// The parsed operation of a request (parsing needs no world, so it happens before the lock).
enum Operation {
    Sts(Result<StsRequest, WireError>),
    Iam(Result<IamRequest, WireError>),
    Dynamo(Result<DynamoRequest, WireError>),
    CloudTrail(Result<crate::ops::trail::LookupEvents, WireError>),
}

/// A request read and parsed, before its signature is checked: everything about it that
/// needs no world. The emulator builds it outside its lock.
pub struct Incoming {
    service: Service,
    action: String,
    auth: Result<Authorization, SigV4Error>,
    operation: Operation,
    origin: Origin,
}

/// The service and action only: the parsed operation may hold a session policy or tags,
/// and the authorization a key id; none of it belongs in a log.
impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("service", &self.service)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl Incoming {
    /// Reads `req`: its protocol, action, Authorization header, operation and user agent (the
    /// audit trail records it, cut to [`USER_AGENT_MAX`] characters).
    pub fn read(req: &HttpRequest) -> Incoming {
        let mut incoming = Self::read_operation(req);
        incoming.origin.user_agent = user_agent(req);
        incoming
    }

    fn read_operation(req: &HttpRequest) -> Incoming {
        let body = String::from_utf8_lossy(&req.body);
        let auth = req
            .header("authorization")
            .ok_or(SigV4Error::MissingAuthenticationToken)
            .and_then(parse_authorization);
        match req.header("x-amz-target") {
            Some(t) if t.starts_with(cloudtrail::TARGET_PREFIX) => {
                let operation = &t[cloudtrail::TARGET_PREFIX.len()..];
                Incoming {
                    service: Service::CloudTrail,
                    action: operation.to_owned(),
                    auth,
                    operation: Operation::CloudTrail(cloudtrail::parse_request(operation, &body)),
                    origin: Origin::default(),
                }
            }
            Some(t) => Incoming {
                service: Service::DynamoDb,
                action: t.rsplit('.').next().unwrap_or(t).to_owned(),
                auth,
                operation: Operation::Dynamo(DynamoRequest::parse(t, &body)),
                origin: Origin::default(),
            },
            None => {
                let mut params = query_params(&req.query);
                params.extend(query_params(&body));
                let action = params.get("Action").cloned().unwrap_or_default();
                let iam =
                    matches!(&auth, Ok(a) if Service::from_name(&a.service) == Some(Service::Iam));
                let (service, operation) = if iam {
                    (
                        Service::Iam,
                        Operation::Iam(IamRequest::from_params(&params)),
                    )
                } else {
                    (
                        Service::Sts,
                        Operation::Sts(StsRequest::from_params(&params)),
                    )
                };
                Incoming {
                    service,
                    action,
                    auth,
                    operation,
                    origin: Origin::default(),
                }
            }
        }
    }

    /// The request came from `source_ip`, over TLS or not (`aws:SourceIp`,
    /// `aws:SecureTransport`); the endpoint's socket knows, the request does not.
    pub fn from_peer(mut self, source_ip: std::net::IpAddr, secure_transport: bool) -> Self {
        self.origin.source_ip = Some(source_ip);
        self.origin.secure_transport = Some(secure_transport);
        self
    }

    /// The access key id the request claims to be signed with (not yet verified).
    pub fn access_key_id(&self) -> Option<&str> {
        self.auth.as_ref().ok().map(|a| a.access_key_id.as_str())
    }

    /// Whether answering it may change the world's saved state (an IAM write).
    pub fn changes_world(&self) -> bool {
        matches!(&self.operation, Operation::Iam(Ok(r)) if r.changes_world())
    }
}

/// The outcome of checking a request's signature, for [`answer`].
pub struct Checked(Result<(String, Option<String>), Failure>);

/// Whether the signature held, and nothing else: the pair it carries includes the session
/// token.
impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Checked").field(&self.0.is_ok()).finish()
    }
}

/// Checks `req`'s signature (the expensive, world-free half of authentication) with
/// `secret`, the signing secret of the key it names as the world knew it (`None`: unknown),
/// and its credential scope against `region` (the world's) and the protocol's service.
/// `keys`, when given, keeps the signing keys derived (see [`SigningKeys`]).
pub fn check_signature(
    incoming: &Incoming,
    req: &HttpRequest,
    secret: Option<&Secret>,
    region: &str,
    now: Timestamp,
    options: &ServeOptions,
    keys: Option<&mut SigningKeys>,
) -> Checked {
    Checked((|| {
        let auth = incoming.auth.as_ref().map_err(Failure::signature)?;
        if auth.service != incoming.service.name() {
            return Err(Failure::new(
                ErrorCode::InvalidAction,
                format!(
                    "This endpoint serves sts, iam and dynamodb; the request was signed for {}",
                    auth.service
                ),
            ));
        }
        let regions: &[&str] = match incoming.service {
            Service::Iam if options.strict_iam_region => &[IAM_REGION],
            Service::Iam => &[IAM_REGION, region],
            _ => &[region],
        };
        if !regions.contains(&auth.region.as_str()) {
            return Err(Failure::signature(&SigV4Error::WrongRegion(
                auth.region.clone(),
            )));
        }
        let secret = secret.ok_or_else(Failure::unknown_key)?;
        let verified = verify_parsed_with(req, auth, now, |_| Some(secret.expose()), keys)
            .map_err(|e| Failure::signature(&e))?;
        Ok((verified.access_key_id, verified.session_token))
    })())
}

/// Answers a read and checked request against `world` at `now` (the critical section).
pub fn answer(
    world: &mut World,
    incoming: Incoming,
    checked: Checked,
    now: Timestamp,
    rng: &mut dyn RngCore,
    options: &ServeOptions,
) -> Served {
    world.purge_expired(now, EXPIRED_GRACE_SECONDS);
    // Refusals write an authorization message only when the endpoint gives them one.
    world.live.authorization_messages.enabled = options.authorization_messages;
    let explain = options.explain;
    let request_id = request_id(rng);
    let service = incoming.service;
    let mut served = Served {
        status: 200,
        content_type: "text/xml",
        body: String::new(),
        request_id: request_id.clone(),
        service: service.name(),
        action: incoming.action,
        access_key_id: None,
        error: None,
        changed: false,
        used_role: false,
    };
    // aws:RequestedRegion is the region the request was signed for.
    let mut origin = incoming.origin;
    origin.requested_region = incoming.auth.as_ref().ok().map(|a| a.region.clone());
    let result = checked.0.and_then(|(key, token)| {
        served.access_key_id = Some(key.clone());
        let presented = Presented {
            access_key_id: &key,
            secret: None,
            session_token: token.as_deref(),
            origin: Some(&origin),
        };
        match incoming.operation {
            Operation::Sts(request) => {
                let request = request.map_err(|e| Failure::wire(&e))?;
                let assumes = matches!(request, StsRequest::AssumeRole(_));
                let body = sts(world, rng, presented, request, now, &request_id, explain)?;
                served.used_role = assumes;
                Ok(body)
            }
            Operation::Iam(request) => {
                let request = request.map_err(|e| Failure::wire(&e))?;
                let changes = request.changes_world();
                let body = iam(world, rng, presented, request, now, &request_id)
                    .map_err(|e| Failure::api(&e, explain))?;
                served.changed = changes;
                Ok(body)
            }
            Operation::CloudTrail(request) => {
                let request = request.map_err(|e| Failure::wire(&e))?;
                world
                    .cloudtrail_lookup_events(presented, &request, now)
                    .map(|page| cloudtrail::lookup_events_response(&page))
                    .map_err(|e| Failure::api(&e, explain))
            }
            Operation::Dynamo(request) => {
                let request = request.map_err(|e| Failure::wire(&e))?;
                let call = request.audit_record(&world.region);
                let answered = dynamo(world, presented, request, now);
                let outcome = answered.as_ref().map(drop);
                world.record_if_refused(rng, presented, || call, outcome, now);
                answered.map_err(|e| Failure::api(&e, explain))
            }
        }
    });
    match result {
        Ok(body) => served.body = body,
        Err(mut f) => {
            if let Some(message) = f.authorization.take() {
                let token = world.keep_authorization_message(rng, *message);
                f.message = format!(
                    "{} Encoded authorization failure message: {token}",
                    f.message
                );
            }
            served.fail(service, &f);
        }
    }
    match service {
        Service::DynamoDb => served.content_type = dynamodb::CONTENT_TYPE,
        Service::CloudTrail => served.content_type = cloudtrail::CONTENT_TYPE,
        _ => {}
    }
    served
}

/// Answers one request against `world` at `now`: [`Incoming::read`], [`check_signature`] and
/// [`answer`] in one step (the in-browser mock's and the tests' way; the emulator runs the
/// first two outside its lock).
pub fn serve(
    world: &mut World,
    req: &HttpRequest,
    now: Timestamp,
    rng: &mut dyn RngCore,
    options: &ServeOptions,
) -> Served {
    let incoming = Incoming::read(req);
    let secret = incoming
        .access_key_id()
        .and_then(|k| world.signing_secret(k))
        .cloned();
    let checked = check_signature(
        &incoming,
        req,
        secret.as_ref(),
        &world.region,
        now,
        options,
        None,
    );
    answer(world, incoming, checked, now, rng, options)
}

#[cfg(test)]
mod tests;
