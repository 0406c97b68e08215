//! The client side of the AWS wire, without the network, in the shape of smithy-rs's
//! `aws-sigv4`: pure functions that say what to send ([`prepare`]) and what an answer means
//! ([`read_sts`], [`read_account_alias`], [`read_list_tables`], [`read_scan`]), plus the
//! sign-in rules of an access-key console. The console's STS backend only sends what these
//! prepare; the endpoint's tests and the load client use the same functions.
//!
//! ```
//! use crossrole_core::client::{prepare, read_sts, Call};
//! use crossrole_core::clock::Timestamp;
//! use crossrole_core::sigv4::SigningCredentials;
//! use crossrole_core::wire::{Endpoint, StsRequest};
//!
//! let endpoint = Endpoint::resolve("http://127.0.0.1:4566", "http://localhost").unwrap();
//! let key = SigningCredentials {
//!     access_key_id: "AKIAIOSFODNN7EXAMPLE",
//!     secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
//!     session_token: None,
//! };
//! let call = Call::Sts(StsRequest::GetCallerIdentity);
//! let req = prepare(&call, &endpoint, "us-west-2", key, Timestamp(1_796_040_000));
//! assert!(req.header("authorization").unwrap().contains("/us-west-2/sts/aws4_request"));
//!
//! // An error document reads as one typed fault, whatever the protocol.
//! let body = "<ErrorResponse><Error><Code>AccessDenied</Code>\
//!             <Message>not authorized</Message></Error></ErrorResponse>";
//! let fault = read_sts(403, body).unwrap_err().fault().cloned().unwrap();
//! assert_eq!((fault.code.as_str(), fault.status), ("AccessDenied", 403));
//! ```

use std::collections::BTreeMap;

pub mod federation;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::fault::WireFault;
use crate::ops::iam::{GroupInfo, RoleInfo};
use crate::ops::CallerIdentity;
use crate::service_name::Service;
use crate::sigv4::{sign, HttpRequest, SigningCredentials};
use crate::validation::{AccountId, AccountRef, IamPath};
use crate::wire::cloudtrail;
use crate::wire::dynamodb::{self, DynamoRequest};
use crate::wire::iam::{self as iam_wire, IamRequest};
use crate::wire::{self, post_request, Endpoint, StsRequest, StsResponse};
use crate::world::{Credentials, Item};

/// One call, before it is signed.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// An STS action.
    Sts(StsRequest),
    /// An IAM action.
    Iam(IamRequest),
    /// A DynamoDB operation.
    DynamoDb(DynamoRequest),
    /// CloudTrail LookupEvents.
    CloudTrail(crate::ops::trail::LookupEvents),
}

impl Call {
    /// The service the call goes to.
    pub fn service(&self) -> Service {
        match self {
            Call::Sts(_) => Service::Sts,
            Call::Iam(_) => Service::Iam,
            Call::DynamoDb(_) => Service::DynamoDb,
            Call::CloudTrail(_) => Service::CloudTrail,
        }
    }

    /// The unsigned request to `endpoint`: the body and the headers its protocol needs.
    pub fn request(&self, endpoint: &Endpoint) -> HttpRequest {
        let (target, body) = match self {
            Call::Sts(r) => (None, r.to_form()),
            Call::Iam(r) => (None, r.to_form()),
            Call::DynamoDb(r) => (Some(r.target()), r.body()),
            Call::CloudTrail(r) => (
                Some(format!("{}LookupEvents", cloudtrail::TARGET_PREFIX)),
                cloudtrail::request_body(r),
            ),
        };
        post_request(&endpoint.host, &endpoint.path, target.as_deref(), &body)
    }
}

/// The signed request for `call` to `endpoint` in `region`, with `credentials`, dated `now`.
/// Send its method, headers (the browser sets `Host` itself, to the same value) and body to
/// `endpoint.url`.
pub fn prepare(
    call: &Call,
    endpoint: &Endpoint,
    region: &str,
    credentials: SigningCredentials<'_>,
    now: Timestamp,
) -> HttpRequest {
    let mut req = call.request(endpoint);
    let service = call.service();
    sign(
        &mut req,
        credentials,
        service.signing_region(region),
        service.name(),
        now,
    );
    req
}

/// The credentials of a session, to sign with.
pub fn session_signer(c: &Credentials) -> SigningCredentials<'_> {
    SigningCredentials {
        access_key_id: &c.access_key_id,
        secret_access_key: c.secret_access_key.expose(),
        session_token: Some(c.session_token.expose()),
    }
}

/// Why an answer gave no result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The endpoint refused, with an error document.
    #[error("{0}")]
    Fault(WireFault),
    /// The answer could not be read (no error document, or not the document expected).
    #[error("HTTP {status}: {reason}")]
    Unreadable {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },
}

impl ClientError {
    /// The fault, when the endpoint sent one.
    pub fn fault(&self) -> Option<&WireFault> {
        match self {
            ClientError::Fault(f) => Some(f),
            ClientError::Unreadable { .. } => None,
        }
    }

    fn unreadable(status: u16, e: impl std::fmt::Display) -> Self {
        ClientError::Unreadable {
            status,
            reason: e.to_string(),
        }
    }
}

/// An answer's body when it succeeded, or the fault its error document describes.
fn body_of(service: Service, status: u16, body: &str) -> Result<&str, ClientError> {
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let parsed = match service {
        Service::DynamoDb | Service::CloudTrail => dynamodb::parse_error(body),
        Service::Sts | Service::Iam => wire::parse_query_error(body),
    };
    match parsed {
        Ok((code, message)) => Err(ClientError::Fault(WireFault {
            code,
            message,
            status,
        })),
        Err(e) => Err(ClientError::unreadable(status, e)),
    }
}

/// Reads an STS answer.
pub fn read_sts(status: u16, body: &str) -> Result<StsResponse, ClientError> {
    let body = body_of(Service::Sts, status, body)?;
    wire::parse_sts_response(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads an STS answer that must hold credentials (GetSessionToken, AssumeRole): them, and the
/// assumed-role ARN when given.
pub fn read_credentials(
    status: u16,
    body: &str,
) -> Result<(Credentials, Option<Arn>), ClientError> {
    match read_sts(status, body)? {
        StsResponse::Credentials { credentials, arn } => Ok((credentials, arn)),
        _ => Err(ClientError::unreadable(
            status,
            "the answer holds no credentials",
        )),
    }
}

/// Reads a GetCallerIdentity answer.
pub fn read_identity(status: u16, body: &str) -> Result<CallerIdentity, ClientError> {
    match read_sts(status, body)? {
        StsResponse::Identity(who) => Ok(who),
        _ => Err(ClientError::unreadable(
            status,
            "GetCallerIdentity answered something else",
        )),
    }
}

/// Reads a ListAccountAliases answer: the alias (an account has at most one).
pub fn read_account_alias(status: u16, body: &str) -> Result<Option<String>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_account_aliases(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a ListRoles answer.
pub fn read_roles(status: u16, body: &str) -> Result<Vec<RoleInfo>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_roles(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a GetRole or CreateRole answer.
pub fn read_role(status: u16, body: &str) -> Result<RoleInfo, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_role(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a ListGroups answer.
pub fn read_groups(status: u16, body: &str) -> Result<Vec<GroupInfo>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_groups(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a GetGroup answer: its members' names.
pub fn read_group_members(status: u16, body: &str) -> Result<Vec<String>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_group_members(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a ListRolePolicies or ListGroupPolicies answer: the names.
pub fn read_policy_names(status: u16, body: &str) -> Result<Vec<String>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_policy_names(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a ListAttached…Policies answer: each policy's name and ARN.
pub fn read_attached_policies(
    status: u16,
    body: &str,
) -> Result<Vec<(String, String)>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_attached_policies(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads SimulateMySwitches's answer: one access per target, in order.
pub fn read_my_switches(
    status: u16,
    body: &str,
) -> Result<Vec<crate::ops::access::Access>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_my_switches(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads SimulatePrincipalPolicy's or SimulateCustomPolicy's answer: each decision.
pub fn read_evaluation_results(
    status: u16,
    body: &str,
) -> Result<Vec<crate::ops::simulate::EvaluationResult>, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_evaluation_results(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads SimulateSwitchAccess's answer: the access map.
pub fn read_switch_access(
    status: u16,
    body: &str,
) -> Result<crate::ops::access::AccessMap, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_switch_access(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads GetRolePolicy's or GetGroupPolicy's answer: the policy's name and document.
pub fn read_policy_document(
    status: u16,
    body: &str,
) -> Result<(String, serde_json::Value), ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_policy_document(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads CloudTrail LookupEvents' answer: a page of records.
pub fn read_lookup_events(
    status: u16,
    body: &str,
) -> Result<crate::ops::trail::LookupPage, ClientError> {
    let body = body_of(Service::CloudTrail, status, body)?;
    cloudtrail::parse_lookup_events(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads GetRoleAsCode's answer: the template's text.
pub fn read_role_as_code(status: u16, body: &str) -> Result<String, ClientError> {
    let body = body_of(Service::Iam, status, body)?;
    iam_wire::parse_role_as_code(body).map_err(|e| ClientError::unreadable(status, e))
}

/// An IAM answer's XML, for the readers above (what the console's backends hand the IAM
/// pages), or the fault.
pub fn read_iam_body(status: u16, body: &str) -> Result<String, ClientError> {
    body_of(Service::Iam, status, body).map(str::to_owned)
}

/// Reads an answer that carries nothing but success (PutRolePolicy, DeleteGroupPolicy, …).
pub fn read_done(service: Service, status: u16, body: &str) -> Result<(), ClientError> {
    body_of(service, status, body).map(|_| ())
}

/// Reads a ListTables answer.
pub fn read_list_tables(status: u16, body: &str) -> Result<Vec<String>, ClientError> {
    let body = body_of(Service::DynamoDb, status, body)?;
    dynamodb::parse_list_tables(body).map_err(|e| ClientError::unreadable(status, e))
}

/// Reads a Scan answer.
pub fn read_scan(status: u16, body: &str) -> Result<Vec<Item>, ClientError> {
    let body = body_of(Service::DynamoDb, status, body)?;
    dynamodb::parse_scan(body).map_err(|e| ClientError::unreadable(status, e))
}

/// How far apart two clocks may be before a refused signature is put down to the clock
/// (botocore's rule: a signature refusal with the endpoint's `Date` more than 4 minutes off).
pub const CLOCK_SKEW_TOLERANCE_SECONDS: i64 = 240;

/// When `fault` is a refused signature and the endpoint's `Date` header (`server_date`) is
/// more than [`CLOCK_SKEW_TOLERANCE_SECONDS`] from `local_now`: the seconds to add to the local
/// clock to match the endpoint's. Then the call is worth one retry with the corrected clock.
pub fn clock_correction(
    fault: &ClientError,
    server_date: Option<&str>,
    local_now: Timestamp,
) -> Option<i64> {
    let refused = fault.fault().is_some_and(WireFault::is_signature_refusal);
    let server = Timestamp::parse_http_date(server_date?).ok()?;
    let offset = local_now.until(server);
    (refused && offset.abs() > CLOCK_SKEW_TOLERANCE_SECONDS).then_some(offset)
}

/// Why a sign-in with an access key was refused by the console's own rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignInRefusal {
    /// The key belongs to something other than an IAM user (a role session, root).
    #[error("These keys belong to {arn}; sign in with an IAM user's access key.")]
    NotAnIamUser {
        /// Whom the key belongs to.
        arn: String,
    },
}

/// The IAM user a long-term key belongs to, as GetCallerIdentity named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamUser {
    /// The user name.
    pub name: String,
    /// The user's account.
    pub account: AccountId,
    /// The user's ARN.
    pub arn: Arn,
}

/// The IAM user a long-term key belongs to: only an IAM user's key may sign in to the console
/// (a role session switching roles again is role chaining, which the console does not do).
pub fn iam_user_of(who: &CallerIdentity) -> Result<IamUser, SignInRefusal> {
    match who.arn.parse::<Arn>() {
        Ok(Arn::User {
            account,
            path,
            name,
        }) => Ok(IamUser {
            arn: Arn::User {
                account: account.clone(),
                path,
                name: name.clone(),
            },
            name,
            account,
        }),
        _ => Err(SignInRefusal::NotAnIamUser {
            arn: who.arn.clone(),
        }),
    }
}

/// The MFA device to prove: the serial typed, or else the user's usual virtual device,
/// `arn:aws:iam::<account>:mfa/<user>` (the name the console gives a user's first device).
pub fn mfa_serial(typed: &str, account: &AccountId, user: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        Arn::Mfa {
            account: account.clone(),
            path: IamPath::default(),
            name: user.to_owned(),
        }
        .to_string()
    } else {
        typed.to_owned()
    }
}

/// The account a switch goes to: an id as typed; an alias by the configuration's aliases, or
/// the signed-in account's own alias (`own_label`, the account as the console names it, and
/// `own_id`); `None` for an alias nobody knows (STS itself takes account ids only).
pub fn resolve_account(
    aliases: &BTreeMap<String, AccountId>,
    account: &AccountRef,
    own_label: &str,
    own_id: &AccountId,
) -> Option<AccountId> {
    match account {
        AccountRef::Id(id) => Some(id.clone()),
        AccountRef::Alias(alias) => aliases
            .get(alias.as_str())
            .cloned()
            .or_else(|| (alias.as_str() == own_label).then(|| own_id.clone())),
    }
}

/// The alias the configuration gives `account`, when it names one.
pub fn configured_alias(
    aliases: &BTreeMap<String, AccountId>,
    account: &AccountId,
) -> Option<String> {
    aliases
        .iter()
        .find(|(_, id)| *id == account)
        .map(|(alias, _)| alias.clone())
}

/// How the console names the signed-in account: the configuration's alias, else the one
/// ListAccountAliases gave (`listed`), else the id.
pub fn account_label(
    aliases: &BTreeMap<String, AccountId>,
    account: &AccountId,
    listed: Option<String>,
) -> String {
    configured_alias(aliases, account)
        .or(listed)
        .unwrap_or_else(|| account.to_string())
}

#[cfg(test)]
mod tests;
