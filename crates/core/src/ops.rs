//! The operations of the world, each a function of the world, the request and the current
//! time (plus a source of randomness for new credentials): console sign-in, STS
//! GetSessionToken / AssumeRole / GetCallerIdentity, and DynamoDB ListTables / DescribeTable /
//! Scan / GetItem under the caller's permissions.
//!
//! The in-browser mock and the emulator both call these, so they cannot disagree. Errors carry
//! the AWS code and message and, separately, the [`Denial`] that explains an access denial
//! (AWS itself never says more than "not authorized"; the console and `--explain` may).

use std::fmt;

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use crate::arn::{unique_id, Arn};
use crate::clock::Timestamp;
use crate::validation::{AccountRef, InvalidField};
use crate::world::{
    AuthorizationMessage, Credentials, Identity, Session, AUTHORIZATION_MESSAGES_MAX,
};

pub use crate::fault::ErrorCode;

pub mod access;
pub mod audit;
mod auth;
mod dynamodb;
pub mod federation;
pub mod iam;
pub mod managed;
mod sign_in;
pub mod simulate;
mod sts;
pub mod trail;

pub use auth::{MFA_FAILURE_WINDOW_SECONDS, MFA_MAX_FAILURES};
pub use dynamodb::{Projection, TableDescription};
pub use sign_in::{mfa_code_used, GetSessionToken};
pub use sts::AssumeRole;

/// How long a console sign-in lasts (AWS: 12 hours for IAM users).
pub const CONSOLE_SESSION_SECONDS: i64 = 43_200;
/// GetSessionToken's default and maximum duration for IAM users.
pub const SESSION_TOKEN_DEFAULT: u32 = 43_200;
/// GetSessionToken's longest duration for IAM users (36 hours).
pub const SESSION_TOKEN_MAX: u32 = 129_600;
/// The longest session a role assumed by another role's session may have.
pub const ROLE_CHAINING_MAX: u32 = 3600;

/// Why access was denied, in terms a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "camelCase")]
pub enum Denial {
    /// No identity policy allows the action on the resource.
    NoPermission {
        /// The action, e.g. `sts:AssumeRole`.
        action: String,
        /// The resource ARN.
        resource: String,
    },
    /// An explicit Deny applied.
    ExplicitDeny {
        /// The denying statement, as text.
        statement: String,
    },
    /// The role's trust policy does not name the caller or its account.
    NotTrusted {
        /// The caller's account.
        account: String,
    },
    /// The trust policy would allow, but requires MFA at sign-in.
    MfaRequired,
    /// The trust policy would allow, but a condition failed.
    ConditionFailed {
        /// The failing condition, as text.
        condition: String,
    },
    /// No role of that exact name exists in the account.
    NoSuchRole,
    /// No account has that id or alias.
    NoSuchAccount,
    /// The root user cannot assume roles.
    RootCannotSwitch,
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::NoPermission { action, resource } => {
                write!(f, "no identity policy allows {action} on {resource}")
            }
            Denial::ExplicitDeny { statement } => write!(f, "explicitly denied by {statement}"),
            Denial::NotTrusted { account } => {
                write!(
                    f,
                    "the role's trust policy does not trust account {account}"
                )
            }
            Denial::MfaRequired => f.write_str("the role's trust policy requires MFA at sign-in"),
            Denial::ConditionFailed { condition } => {
                write!(
                    f,
                    "a condition of the role's trust policy is not met: {condition}"
                )
            }
            Denial::NoSuchRole => f.write_str("no role with that exact name exists in the account"),
            Denial::NoSuchAccount => f.write_str("no account has that ID or alias"),
            Denial::RootCannotSwitch => f.write_str("the root user cannot switch roles"),
        }
    }
}

impl Denial {
    /// What the refused person can do next, as one sentence (the console says it after the
    /// reason). The AWS documentation's troubleshooting for switching roles
    /// ("Troubleshoot IAM roles": the trust policy, MFA, case-sensitive names) is the source.
    pub fn next_step(&self) -> &'static str {
        match self {
            Denial::NoPermission { .. } => {
                "Ask an administrator of your account to allow this action for you."
            }
            Denial::ExplicitDeny { .. } => {
                "Ask the administrator responsible for that Deny (a policy, a permissions \
                 boundary or an organization's SCP) whether it should apply to you."
            }
            Denial::NotTrusted { .. } => {
                "Ask the role's account to trust yours: its administrator adds your account to \
                 the role's trust policy."
            }
            Denial::MfaRequired => "Sign out, then sign in again with your MFA code.",
            Denial::ConditionFailed { .. } => {
                "Ask the role's administrator what the condition needs, then try again when it \
                 holds."
            }
            Denial::NoSuchRole => {
                "Check the role name's spelling and case: role names are case-sensitive."
            }
            Denial::NoSuchAccount => "Check the account ID (12 digits) or alias.",
            Denial::RootCannotSwitch => "Sign in as an IAM user, then switch.",
        }
    }
}

/// An operation's error: an AWS code and message, plus the explanation of a denial.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{message}")]
pub struct ApiError {
    /// The AWS error code.
    pub code: ErrorCode,
    /// The AWS-style message.
    pub message: String,
    /// Why access was denied, when it was.
    pub denial: Option<Denial>,
    /// The decision in AWS's authorization-message JSON (what DecodeAuthorizationMessage
    /// answers), for refusals decided by the caller's own policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Box<AuthorizationMessage>>,
}

impl crate::world::World {
    /// Keeps `message` and answers the token a refusal carries for it.
    pub fn keep_authorization_message(
        &mut self,
        rng: &mut dyn RngCore,
        message: AuthorizationMessage,
    ) -> String {
        let mut bytes = [0u8; 48];
        rng.fill_bytes(&mut bytes);
        let token = data_encoding::BASE64URL_NOPAD.encode(&bytes);
        let kept = &mut self.live.authorization_messages.kept;
        if kept.len() >= AUTHORIZATION_MESSAGES_MAX {
            kept.pop_front();
        }
        kept.push_back((token.clone(), message));
        token
    }

    /// STS DecodeAuthorizationMessage: the decision behind a refusal's encoded message, for a
    /// caller of the refused principal's account allowed `sts:DecodeAuthorizationMessage`.
    pub fn sts_decode_authorization_message(
        &self,
        presented: Presented<'_>,
        encoded: &str,
        now: Timestamp,
    ) -> Result<String, ApiError> {
        let caller = self.authenticate(presented, now)?;
        self.authorize(&caller, "sts:DecodeAuthorizationMessage", "*", now)?;
        self.live
            .authorization_messages
            .kept
            .iter()
            .find(|(token, m)| token == encoded && &m.account == caller.identity.account())
            .map(|(_, m)| m.decoded.clone())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidAuthorizationMessage,
                    "The message is not a valid authorization message.",
                )
            })
    }
}

impl ApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            denial: None,
            authorization: None,
        }
    }

    pub(crate) fn validation(field: InvalidField) -> Self {
        Self::new(ErrorCode::ValidationError, field.to_string())
    }

    fn denied(message: impl Into<String>, denial: Denial) -> Self {
        Self {
            code: ErrorCode::AccessDenied,
            message: message.into(),
            denial: Some(denial),
            authorization: None,
        }
    }

    /// The refusal of a switch to an account alias that names no account.
    pub fn unknown_account(account: &AccountRef) -> Self {
        Self::denied(
            format!("Account {account} was not found"),
            Denial::NoSuchAccount,
        )
    }

    /// The message with the denial's explanation appended, as `--explain` shows it.
    pub fn explained(&self) -> String {
        match &self.denial {
            Some(d) => format!("{} ({d})", self.message),
            None => self.message.clone(),
        }
    }
}

/// Who is calling, once their credentials are resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Authenticated {
    /// The acting identity.
    pub identity: Identity,
    /// The session, for temporary credentials; `None` for a long-term key.
    pub session: Option<SessionFacts>,
    /// Where the request came from.
    pub origin: Origin,
}

/// What the operations need to know of a caller's session (its credentials stay in the
/// world: authentication copies no secret).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionFacts {
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When it expires.
    pub expiration: Timestamp,
    /// When MFA was proven for it, if it was.
    pub mfa_at: Option<Timestamp>,
    /// For a role session, the role's path.
    pub role_path: Option<crate::validation::IamPath>,
    /// For a role session, the role's unique id when it began.
    pub role_id: Option<String>,
    /// What AssumeRole's optional parameters gave it.
    pub extras: Option<std::sync::Arc<crate::world::SessionExtras>>,
}

impl From<&Session> for SessionFacts {
    fn from(s: &Session) -> Self {
        Self {
            issued_at: s.issued_at,
            expiration: s.credentials.expiration,
            mfa_at: s.mfa_at,
            role_path: s.role_path.clone(),
            role_id: s.role_id.clone(),
            extras: s.extras.clone(),
        }
    }
}

/// What a caller presents: an access key id, and for temporary credentials the session
/// token. The secret is checked when given (the mock); SigV4 verification proves it otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Presented<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key, when the caller hands it over rather than signing.
    pub secret: Option<&'a str>,
    /// The session token, for temporary credentials.
    pub session_token: Option<&'a str>,
    /// Where the request came from, when the endpoint knows.
    pub origin: Option<&'a Origin>,
}

/// Where a request came from, as the endpoint saw it: the global condition keys
/// `aws:SourceIp`, `aws:SecureTransport` and `aws:RequestedRegion` (IAM User Guide, "AWS
/// global condition context keys"). Absent parts are absent keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client's address.
    pub source_ip: Option<std::net::IpAddr>,
    /// Whether the request came over TLS.
    pub secure_transport: Option<bool>,
    /// The region the request was signed for (`us-east-1` for IAM).
    pub requested_region: Option<String>,
    /// The client's `User-Agent` (the audit trail records it).
    pub user_agent: Option<String>,
}

/// The result of STS GetCallerIdentity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallerIdentity {
    /// The account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The unique id (`AIDA…` for users, `AROA…:session` for role sessions).
    pub user_id: String,
}

/// A successful sign-in or AssumeRole: the session's credentials and who they are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Issued {
    /// The new temporary credentials.
    pub credentials: Credentials,
    /// The ARN of the identity they act as.
    pub arn: Arn,
    /// Its unique id.
    pub unique_id: String,
    /// The session's source identity (AssumeRole), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
}

#[cfg(test)]
mod tests;
