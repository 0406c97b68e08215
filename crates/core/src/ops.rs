//! The operations of the world, each a function of the world, the request and the current
//! time (plus a source of randomness for new credentials): console sign-in, STS
//! GetSessionToken / AssumeRole / GetCallerIdentity, and DynamoDB ListTables / DescribeTable /
//! Scan / GetItem under the caller's permissions.
//!
//! The in-browser mock and the emulator both call these, so they cannot disagree. Errors carry
//! the AWS code and message and, separately, the [`Denial`] that explains an access denial
//! (AWS itself never says more than "not authorized"; the console and `--explain` may).

use std::collections::BTreeMap;
use std::fmt;

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{
    evaluate, Caller, Condition, Context, Principal, Request, StatementRef, Verdict,
};
use crate::validation::{
    AccountRef, DurationSeconds, InvalidField, MfaCode, RoleSessionName, SerialNumber,
};
use crate::world::{Credentials, Identity, Item, Secret, Session, SessionKind, Table, World};

/// How long a console sign-in lasts (AWS: 12 hours for IAM users).
pub const CONSOLE_SESSION_SECONDS: i64 = 43_200;
/// GetSessionToken's default and maximum duration for IAM users.
pub const SESSION_TOKEN_DEFAULT: u32 = 43_200;
/// GetSessionToken's longest duration for IAM users (36 hours).
pub const SESSION_TOKEN_MAX: u32 = 129_600;
/// The longest session a role assumed by another role's session may have.
pub const ROLE_CHAINING_MAX: u32 = 3600;

/// The AWS error codes the operations produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// Not authorized (STS: `AccessDenied`; DynamoDB: `AccessDeniedException`).
    AccessDenied,
    /// A parameter is invalid (STS: `ValidationError`; DynamoDB: `ValidationException`).
    ValidationError,
    /// The credentials have expired.
    ExpiredToken,
    /// The access key id or session token is not known.
    InvalidClientTokenId,
    /// Console sign-in failed (wrong account, user or password).
    SignInFailed,
    /// The MFA code (or device serial) is wrong.
    InvalidMfa,
    /// A DynamoDB table or key does not exist (`ResourceNotFoundException`).
    ResourceNotFound,
    /// An IAM entity does not exist (`NoSuchEntity`).
    NoSuchEntity,
    /// An IAM entity of that name exists already (`EntityAlreadyExists`).
    EntityAlreadyExists,
    /// A policy document does not parse (`MalformedPolicyDocument`).
    MalformedPolicyDocument,
    /// An IAM entity still has attached things (`DeleteConflict`).
    DeleteConflict,
    /// A quota would be exceeded, e.g. a policy's size (`LimitExceeded`).
    LimitExceeded,
}

impl ErrorCode {
    /// The code STS and IAM (Query protocol) write.
    pub fn query_code(self) -> &'static str {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa => "AccessDenied",
            ErrorCode::ValidationError => "ValidationError",
            ErrorCode::ExpiredToken => "ExpiredToken",
            ErrorCode::InvalidClientTokenId => "InvalidClientTokenId",
            ErrorCode::SignInFailed => "SignInFailed",
            ErrorCode::ResourceNotFound | ErrorCode::NoSuchEntity => "NoSuchEntity",
            ErrorCode::EntityAlreadyExists => "EntityAlreadyExists",
            ErrorCode::MalformedPolicyDocument => "MalformedPolicyDocument",
            ErrorCode::DeleteConflict => "DeleteConflict",
            ErrorCode::LimitExceeded => "LimitExceeded",
        }
    }

    /// The code DynamoDB (JSON protocol) writes.
    pub fn json_code(self) -> &'static str {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa | ErrorCode::SignInFailed => {
                "AccessDeniedException"
            }
            ErrorCode::ValidationError => "ValidationException",
            ErrorCode::ExpiredToken => "ExpiredTokenException",
            ErrorCode::InvalidClientTokenId => "UnrecognizedClientException",
            ErrorCode::ResourceNotFound | ErrorCode::NoSuchEntity => "ResourceNotFoundException",
            ErrorCode::EntityAlreadyExists | ErrorCode::DeleteConflict => "ResourceInUseException",
            ErrorCode::MalformedPolicyDocument => "ValidationException",
            ErrorCode::LimitExceeded => "LimitExceededException",
        }
    }

    /// The code a client reads off the wire (Query or JSON spelling), when it is one of these.
    pub fn from_wire(code: &str) -> Option<ErrorCode> {
        Some(match code {
            "AccessDenied" | "AccessDeniedException" => ErrorCode::AccessDenied,
            "ValidationError" | "ValidationException" => ErrorCode::ValidationError,
            "ExpiredToken" | "ExpiredTokenException" => ErrorCode::ExpiredToken,
            "InvalidClientTokenId" | "UnrecognizedClientException" => {
                ErrorCode::InvalidClientTokenId
            }
            "SignInFailed" => ErrorCode::SignInFailed,
            "ResourceNotFoundException" => ErrorCode::ResourceNotFound,
            "NoSuchEntity" => ErrorCode::NoSuchEntity,
            "EntityAlreadyExists" => ErrorCode::EntityAlreadyExists,
            "MalformedPolicyDocument" => ErrorCode::MalformedPolicyDocument,
            "DeleteConflict" => ErrorCode::DeleteConflict,
            "LimitExceeded" | "LimitExceededException" => ErrorCode::LimitExceeded,
            _ => return None,
        })
    }

    /// The HTTP status AWS answers with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa | ErrorCode::ExpiredToken => 403,
            ErrorCode::InvalidClientTokenId | ErrorCode::SignInFailed => 403,
            ErrorCode::ValidationError
            | ErrorCode::ResourceNotFound
            | ErrorCode::MalformedPolicyDocument => 400,
            ErrorCode::NoSuchEntity => 404,
            ErrorCode::EntityAlreadyExists
            | ErrorCode::DeleteConflict
            | ErrorCode::LimitExceeded => 409,
        }
    }
}

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
}

impl ApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            denial: None,
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
    pub session: Option<Session>,
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
#[derive(Clone, Debug, PartialEq)]
pub struct Issued {
    /// The new temporary credentials.
    pub credentials: Credentials,
    /// The ARN of the identity they act as.
    pub arn: String,
    /// Its unique id.
    pub unique_id: String,
}

/// What a new session is for; its credentials are made when it starts.
struct Grant {
    identity: Identity,
    kind: SessionKind,
    issued_at: Timestamp,
    expiration: Timestamp,
    mfa_at: Option<Timestamp>,
    role_path: Option<crate::validation::RolePath>,
}

/// A stable, opaque unique id for an IAM entity (`AIDA…`, `AROA…`), derived from its ARN.
pub fn unique_id(prefix: &str, arn: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(arn.as_bytes());
    let text = data_encoding::BASE32_NOPAD.encode(&digest);
    format!("{prefix}{}", &text[..17])
}

fn random_chars(rng: &mut dyn RngCore, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[(rng.next_u32() as usize) % alphabet.len()] as char)
        .collect()
}

const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn new_credentials(rng: &mut dyn RngCore, expiration: Timestamp) -> Credentials {
    Credentials {
        access_key_id: format!("ASIA{}", random_chars(rng, UPPER32, 16)),
        secret_access_key: Secret::new(random_chars(rng, BASE64, 40)),
        session_token: Secret::new(format!("FwoGZXIvYXdzE{}", random_chars(rng, BASE64, 160))),
        expiration,
    }
}

/// Failed MFA codes a device may see within [`MFA_FAILURE_WINDOW_SECONDS`] before it is
/// locked for the rest of that window.
pub const MFA_MAX_FAILURES: u32 = 5;
/// The window over which failed MFA codes are counted, and the lockout's length.
pub const MFA_FAILURE_WINDOW_SECONDS: i64 = 300;

/// Per MFA device: the steps whose codes were used (a code works once, as in AWS), and the
/// recent failures (so codes cannot be guessed without limit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MfaGuard {
    used: BTreeMap<String, Vec<u64>>,
    failures: BTreeMap<String, (u32, Timestamp)>,
}

impl World {
    /// Checks `code` for the MFA device `serial` at `now`: right, not used before, and the
    /// device not locked by repeated failures. Records the use or the failure.
    fn check_mfa_code(
        &mut self,
        serial: &str,
        totp: &crate::totp::Totp,
        code: &str,
        now: Timestamp,
        invalid: impl Fn() -> ApiError,
    ) -> Result<(), ApiError> {
        let guard = &mut self.mfa_guard;
        if let Some((count, since)) = guard.failures.get(serial).copied() {
            if since.plus(MFA_FAILURE_WINDOW_SECONDS) <= now {
                guard.failures.remove(serial);
            } else if count >= MFA_MAX_FAILURES {
                return Err(ApiError::new(
                    ErrorCode::InvalidMfa,
                    "Too many invalid MFA codes for this device. Wait a few minutes, then try again.",
                ));
            }
        }
        let step = totp.matching_step(code, now.seconds().max(0) as u64);
        let used = guard.used.entry(serial.to_owned()).or_default();
        match step {
            Some(step) if !used.contains(&step) => {
                // Only the steps still acceptable need remembering (a code is good for ±1 step).
                used.retain(|s| s + 2 >= step);
                used.push(step);
                guard.failures.remove(serial);
                Ok(())
            }
            _ => {
                let entry = guard.failures.entry(serial.to_owned()).or_insert((0, now));
                entry.0 += 1;
                Err(invalid())
            }
        }
    }

    /// Resolves presented credentials to the caller: a long-term key's user, or a live
    /// session. Unknown keys, wrong secrets or tokens are `InvalidClientTokenId`; a session past
    /// its expiry is `ExpiredToken`.
    pub fn authenticate(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Authenticated, ApiError> {
        let invalid = || {
            ApiError::new(
                ErrorCode::InvalidClientTokenId,
                "The security token included in the request is invalid.",
            )
        };
        if let Some(session) = self.sessions.get(presented.access_key_id) {
            let token_ok = presented
                .session_token
                .is_some_and(|t| session.credentials.session_token.matches(t));
            let secret_ok = presented
                .secret
                .is_none_or(|s| session.credentials.secret_access_key.matches(s));
            if !(token_ok && secret_ok) {
                return Err(invalid());
            }
            if now >= session.credentials.expiration {
                return Err(ApiError::new(
                    ErrorCode::ExpiredToken,
                    "The security token included in the request is expired",
                ));
            }
            return Ok(Authenticated {
                identity: session.identity.clone(),
                session: Some(session.clone()),
            });
        }
        let (account, user, key) = self
            .access_key(presented.access_key_id)
            .ok_or_else(invalid)?;
        if presented.secret.is_some_and(|s| !key.secret.matches(s))
            || presented.session_token.is_some()
        {
            return Err(invalid());
        }
        Ok(Authenticated {
            identity: Identity::User {
                account: account.id.clone(),
                name: user.name.clone(),
            },
            session: None,
        })
    }

    /// The condition context of a request made by `caller` at `now`.
    fn context(&self, caller: &Authenticated, now: Timestamp) -> Context {
        let mut c = Context::new();
        c.set("aws:CurrentTime", now.to_iso8601());
        c.set("aws:EpochTime", now.seconds().to_string());
        c.set("aws:PrincipalAccount", caller.identity.account().as_str());
        c.set("aws:PrincipalArn", principal_arn(self, &caller.identity));
        match &caller.identity {
            Identity::Root { .. } => {
                c.set("aws:PrincipalType", "Account");
            }
            Identity::User { name, .. } => {
                c.set("aws:username", name.as_str());
                c.set("aws:PrincipalType", "User");
            }
            Identity::AssumedRole { .. } => {
                c.set("aws:PrincipalType", "AssumedRole");
            }
        }
        // As in AWS: long-term keys carry no MFA keys at all; sessions say whether MFA was used.
        if let Some(session) = &caller.session {
            c.set("aws:TokenIssueTime", session.issued_at.to_iso8601());
            c.set(
                "aws:MultiFactorAuthPresent",
                session.mfa_at.is_some().to_string(),
            );
            if let Some(at) = session.mfa_at {
                c.set("aws:MultiFactorAuthAge", at.until(now).max(0).to_string());
            }
        }
        c
    }

    /// Authorises `action` on `resource` for `caller` with its identity policies only.
    pub(crate) fn authorize(
        &self,
        caller: &Authenticated,
        action: &str,
        resource: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        // Root may do anything in its own account, and these are own-account resources.
        if matches!(caller.identity, Identity::Root { .. }) {
            return Ok(());
        }
        let context = self.context(caller, now);
        let policies = self.identity_policies(&caller.identity);
        let decision = evaluate(
            policies.iter().map(|(n, p)| (n.as_str(), *p)),
            &Request {
                action,
                resource,
                caller: None,
                context: &context,
            },
        );
        let who = caller.identity.arn(self);
        match decision.verdict {
            Verdict::Allow => Ok(()),
            Verdict::ExplicitDeny => Err(ApiError::denied(
                format!("User: {who} is not authorized to perform: {action} on resource: {resource} with an explicit deny in an identity-based policy"),
                Denial::ExplicitDeny { statement: decision.by[0].to_string() },
            )),
            Verdict::ImplicitDeny => Err(ApiError::denied(
                format!("User: {who} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"),
                Denial::NoPermission { action: action.to_owned(), resource: resource.to_owned() },
            )),
        }
    }

    fn start_session(&mut self, rng: &mut dyn RngCore, grant: Grant) -> Credentials {
        // Never hand out a key id that is already live (a badly seeded generator repeats).
        let mut credentials = new_credentials(rng, grant.expiration);
        while self.sessions.contains_key(&credentials.access_key_id) {
            credentials = new_credentials(rng, grant.expiration);
        }
        self.sessions.insert(Session {
            credentials: credentials.clone(),
            identity: grant.identity,
            kind: grant.kind,
            issued_at: grant.issued_at,
            mfa_at: grant.mfa_at,
            role_path: grant.role_path,
        });
        credentials
    }

    /// Starts a session of one's own identity (console or GetSessionToken) and reports it.
    fn issue_own_session(&mut self, rng: &mut dyn RngCore, grant: Grant) -> Issued {
        let arn = grant.identity.arn(self).to_string();
        let unique_id = match &grant.identity {
            Identity::Root { account } => account.to_string(),
            _ => unique_id("AIDA", &arn),
        };
        let credentials = self.start_session(rng, grant);
        Issued {
            credentials,
            unique_id,
            arn,
        }
    }

    /// Console sign-in: account (id or alias), user name, password and, when the user has an
    /// MFA device, optionally its current code. A code proves MFA for the whole console
    /// session (`aws:MultiFactorAuthPresent`). Any wrong account, user or password gives the
    /// same answer, so sign-in reveals nothing about which was wrong.
    pub fn console_sign_in(
        &mut self,
        rng: &mut dyn RngCore,
        account: &str,
        user: &str,
        password: &str,
        mfa_code: Option<&str>,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let failed = || {
            ApiError::new(
                ErrorCode::SignInFailed,
                "Your authentication information is incorrect. Please try again.",
            )
        };
        let account_ref = AccountRef::parse(account.trim()).map_err(|_| failed())?;
        let account = self.resolve(&account_ref).ok_or_else(failed)?;
        let user = account.user(user.trim()).ok_or_else(failed)?;
        let password_ok = user.password.as_ref().is_some_and(|p| p.matches(password));
        if !password_ok {
            return Err(failed());
        }
        let identity = Identity::User {
            account: account.id.clone(),
            name: user.name.clone(),
        };
        let device = user.mfa.as_ref().map(|d| (d.serial.to_string(), d.totp()));
        let mfa_at = match mfa_code.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(code) => {
                let code = MfaCode::parse(code).map_err(ApiError::validation)?;
                let (serial, totp) = device.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidMfa,
                        "This user has no MFA device; leave the MFA code empty.",
                    )
                })?;
                self.check_mfa_code(&serial, &totp, code.as_str(), now, || {
                    ApiError::new(
                        ErrorCode::InvalidMfa,
                        "The MFA code is not valid. Enter the current code from the device.",
                    )
                })?;
                Some(now)
            }
        };
        let expiration = now.plus(CONSOLE_SESSION_SECONDS);
        Ok(self.issue_own_session(
            rng,
            Grant {
                identity,
                kind: SessionKind::Console,
                issued_at: now,
                expiration,
                mfa_at,
                role_path: None,
            },
        ))
    }

    /// Console sign-in as an account's root user, by e-mail address and password (root has
    /// no MFA device in this world). Refusals look like any other failed sign-in.
    pub fn console_root_sign_in(
        &mut self,
        rng: &mut dyn RngCore,
        email: &str,
        password: &str,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let account = self
            .accounts
            .iter()
            .find(|a| {
                a.root.as_ref().is_some_and(|r| {
                    r.email.eq_ignore_ascii_case(email.trim()) && r.password.matches(password)
                })
            })
            .map(|a| a.id.clone())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::SignInFailed,
                    "Your authentication information is incorrect. Please try again.",
                )
            })?;
        Ok(self.issue_own_session(
            rng,
            Grant {
                identity: Identity::Root { account },
                kind: SessionKind::Console,
                issued_at: now,
                expiration: now.plus(CONSOLE_SESSION_SECONDS),
                mfa_at: None,
                role_path: None,
            },
        ))
    }

    /// STS GetSessionToken: a long-term key's user gets temporary credentials, with MFA when
    /// `mfa` (serial number, code) is given and right.
    pub fn get_session_token(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        mfa: Option<(&str, &str)>,
        duration: Option<u32>,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let caller = self.authenticate(presented, now)?;
        if caller.session.is_some() {
            return Err(ApiError::new(
                ErrorCode::AccessDenied,
                "Cannot call GetSessionToken with session credentials",
            ));
        }
        let duration = duration.unwrap_or(SESSION_TOKEN_DEFAULT);
        if !(900..=SESSION_TOKEN_MAX).contains(&duration) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 129600"),
            ));
        }
        let Identity::User { account, name } = &caller.identity else {
            unreachable!("long-term keys belong to users");
        };
        let mfa_at = match mfa {
            None => None,
            Some((serial, code)) => {
                let serial = SerialNumber::parse(serial).map_err(ApiError::validation)?;
                let code = MfaCode::parse(code).map_err(ApiError::validation)?;
                let device = self
                    .account(account)
                    .and_then(|a| a.user(name.as_str()))
                    .and_then(|u| u.mfa.as_ref())
                    .filter(|d| d.serial == serial);
                let invalid = || {
                    ApiError::new(
                        ErrorCode::InvalidMfa,
                        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                    )
                };
                let totp = device.ok_or_else(invalid)?.totp();
                self.check_mfa_code(serial.as_str(), &totp, code.as_str(), now, invalid)?;
                Some(now)
            }
        };
        Ok(self.issue_own_session(
            rng,
            Grant {
                identity: caller.identity,
                kind: SessionKind::SessionToken,
                issued_at: now,
                expiration: now.plus(i64::from(duration)),
                mfa_at,
                role_path: None,
            },
        ))
    }

    /// STS AssumeRole with AWS semantics: the trust policy must allow the caller; across
    /// accounts the caller's identity policy must allow `sts:AssumeRole` on the role too (and in
    /// the same account too, unless the trust policy names the caller itself rather than its
    /// account); an explicit Deny anywhere wins. A missing role, or a wrong-case name, is
    /// AccessDenied like any other refusal. The session lasts `duration` (default one hour),
    /// which may not exceed the role's MaxSessionDuration, and never outlives the caller's own
    /// session.
    pub fn assume_role(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        role_arn: &str,
        session_name: &str,
        duration: Option<u32>,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let caller = self.authenticate(presented, now)?;
        let session_name = RoleSessionName::parse(session_name).map_err(ApiError::validation)?;
        let duration = duration
            .map(DurationSeconds::new)
            .transpose()
            .map_err(ApiError::validation)?
            .unwrap_or_default()
            .get();
        if !(20..=2048).contains(&role_arn.len()) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "RoleArn must be 20–2048 characters",
            ));
        }
        let who = caller.identity.arn(self).to_string();
        if matches!(caller.identity, Identity::Root { .. }) {
            return Err(ApiError::denied(
                "Roles may not be assumed by root accounts.",
                Denial::RootCannotSwitch,
            ));
        }
        let not_authorized = format!(
            "User: {who} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        );
        let Ok(Arn::Role {
            account: role_account,
            name: role_name,
            path: arn_path,
        }) = role_arn.parse::<Arn>()
        else {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("{role_arn} is not a role ARN"),
            ));
        };
        let role = self
            .account(&role_account)
            .and_then(|a| a.role(role_name.as_str()))
            .filter(|r| r.path == arn_path)
            .cloned();

        // Authorise before looking at the role's settings: a caller who may not switch gets
        // the same AccessDenied for a missing role as for an existing one, and learns nothing
        // of its MaxSessionDuration.
        let context = self.context(&caller, now);
        let caller_arns = principal_arns(self, &caller.identity);
        let trust_caller = Caller {
            account: caller.identity.account().clone(),
            arns: caller_arns.clone(),
        };
        let request = Request {
            action: "sts:AssumeRole",
            resource: role_arn,
            caller: Some(&trust_caller),
            context: &context,
        };
        // Identity policies name no principal, so the caller field does not affect them.
        let identity_policies = self.identity_policies(&caller.identity);
        let identity = evaluate(
            identity_policies.iter().map(|(n, p)| (n.as_str(), *p)),
            &request,
        );
        // An explicit Deny in either policy decides, naming its statement.
        let explicit_deny = |decision: &crate::policy::Decision| {
            (decision.verdict == Verdict::ExplicitDeny).then(|| {
                ApiError::denied(
                    format!("{not_authorized} with an explicit deny"),
                    Denial::ExplicitDeny {
                        statement: decision.by[0].to_string(),
                    },
                )
            })
        };
        if let Some(e) = explicit_deny(&identity) {
            return Err(e);
        }
        let Some(role) = role else {
            return Err(ApiError::denied(not_authorized, Denial::NoSuchRole));
        };
        let trust_doc = &role.trust_policy.policy;
        let trust = evaluate([("trust policy", trust_doc)], &request);
        if let Some(e) = explicit_deny(&trust) {
            return Err(e);
        }
        // The trust policy names the caller itself (not just its account): in the same
        // account that alone suffices, as for other resource policies.
        let names_caller_itself = trust.by.iter().any(|s: &StatementRef| {
            trust_doc.statements[s.index]
                .principal
                .as_ref()
                .is_some_and(|b| {
                    !b.negated
                        && b.items
                            .iter()
                            .any(|p| matches!(p, Principal::Arn(a) if caller_arns.contains(a)))
                })
        });
        let same_account = caller.identity.account() == &role_account;
        if !(identity.allowed() || same_account && names_caller_itself && trust.allowed()) {
            return Err(ApiError::denied(
                not_authorized,
                Denial::NoPermission {
                    action: "sts:AssumeRole".into(),
                    resource: role_arn.to_owned(),
                },
            ));
        }
        if !trust.allowed() {
            let denial = match trust.near_misses.first() {
                Some((_, c)) if is_mfa_condition(c) => Denial::MfaRequired,
                Some((_, c)) => Denial::ConditionFailed {
                    condition: c.to_string(),
                },
                None => Denial::NotTrusted {
                    account: caller.identity.account().to_string(),
                },
            };
            return Err(ApiError::denied(not_authorized, denial));
        }

        // Authorised: now the request's duration may be checked against the role.
        let chained = matches!(caller.identity, Identity::AssumedRole { .. });
        if chained && duration > ROLE_CHAINING_MAX {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ));
        }
        if duration > role.max_session_duration {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ));
        }

        let mut expiration = now.plus(i64::from(duration));
        if let Some(session) = &caller.session {
            expiration = expiration.min(session.credentials.expiration);
        }
        let mfa_at = caller.session.as_ref().and_then(|s| s.mfa_at);
        let identity = Identity::AssumedRole {
            account: role_account.clone(),
            role: role.name.clone(),
            session: session_name.clone(),
        };
        let arn = identity.arn(self).to_string();
        let credentials = self.start_session(
            rng,
            Grant {
                identity,
                kind: SessionKind::AssumedRole,
                issued_at: now,
                expiration,
                mfa_at,
                role_path: Some(role.path.clone()),
            },
        );
        let role_id = unique_id(
            "AROA",
            &Arn::role(&role_account, &role.path, &role.name).to_string(),
        );
        Ok(Issued {
            credentials,
            unique_id: format!("{role_id}:{session_name}"),
            arn,
        })
    }

    /// The ARN of `role` in the account `account` names (alias resolved), for AssumeRole. An
    /// unknown alias is refused like an unknown role; an unknown id is left to AssumeRole.
    pub fn role_arn(
        &self,
        account: &AccountRef,
        role: &crate::link::RoleRef,
    ) -> Result<String, ApiError> {
        let id = match account {
            AccountRef::Id(id) => id.clone(),
            AccountRef::Alias(_) => self
                .resolve(account)
                .map(|a| a.id.clone())
                .ok_or_else(|| ApiError::unknown_account(account))?,
        };
        Ok(Arn::role(&id, &role.path, &role.name).to_string())
    }

    /// STS GetCallerIdentity (needs no permission).
    pub fn get_caller_identity(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<CallerIdentity, ApiError> {
        let caller = self.authenticate(presented, now)?;
        let arn = caller.identity.arn(self).to_string();
        let user_id = match &caller.identity {
            Identity::Root { account } => account.to_string(),
            Identity::User { .. } => unique_id("AIDA", &arn),
            Identity::AssumedRole {
                account,
                role,
                session,
            } => {
                let path = caller
                    .session
                    .as_ref()
                    .and_then(|s| s.role_path.clone())
                    .unwrap_or_default();
                format!(
                    "{}:{session}",
                    unique_id("AROA", &Arn::role(account, &path, role).to_string())
                )
            }
        };
        Ok(CallerIdentity {
            account: caller.identity.account().to_string(),
            arn,
            user_id,
        })
    }

    /// Forgets sessions that expired more than `grace_seconds` ago (until then, using them
    /// answers `ExpiredToken` rather than `InvalidClientTokenId`).
    pub fn purge_expired(&mut self, now: Timestamp, grace_seconds: i64) {
        self.sessions.purge_expired(now, grace_seconds);
    }

    /// The secret that signs requests made with `access_key_id`: a session's (even an expired
    /// one's, so that using it answers `ExpiredToken`), or a long-term key's.
    pub fn signing_secret(&self, access_key_id: &str) -> Option<&Secret> {
        self.sessions
            .get(access_key_id)
            .map(|s| &s.credentials.secret_access_key)
            .or_else(|| self.access_key(access_key_id).map(|(_, _, k)| &k.secret))
    }

    /// Ends a session (console sign-out): its credentials stop working at once.
    pub fn end_session(&mut self, access_key_id: &str) -> bool {
        self.sessions.remove(access_key_id).is_some()
    }

    fn table_arn(&self, account: &crate::validation::AccountId, table: &str) -> String {
        format!("arn:aws:dynamodb:{}:{account}:table/{table}", self.region)
    }

    /// Authenticates, authorises `action` on the table, and finds it; with the table's ARN.
    fn table_for(
        &self,
        presented: Presented<'_>,
        action: &str,
        table: &str,
        now: Timestamp,
    ) -> Result<(&Table, String), ApiError> {
        let caller = self.authenticate(presented, now)?;
        let account = caller.identity.account().clone();
        let arn = self.table_arn(&account, table);
        self.authorize(&caller, action, &arn, now)?;
        self.account(&account)
            .and_then(|a| a.table(table))
            .map(|t| (t, arn))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ResourceNotFound,
                    format!("Requested resource not found: Table: {table} not found"),
                )
            })
    }

    /// DynamoDB ListTables: the caller's account's table names, sorted.
    pub fn list_tables(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Vec<String>, ApiError> {
        let caller = self.authenticate(presented, now)?;
        self.authorize(&caller, "dynamodb:ListTables", "*", now)?;
        let mut names: Vec<String> = self
            .account(caller.identity.account())
            .map(|a| a.tables.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        names.sort();
        Ok(names)
    }

    /// DynamoDB DescribeTable.
    pub fn describe_table(
        &self,
        presented: Presented<'_>,
        table: &str,
        now: Timestamp,
    ) -> Result<TableDescription, ApiError> {
        let (t, arn) = self.table_for(presented, "dynamodb:DescribeTable", table, now)?;
        Ok(TableDescription {
            name: t.name.clone(),
            arn,
            hash_key: t.hash_key.clone(),
            range_key: t.range_key.clone(),
            item_count: t.items.len(),
        })
    }

    /// DynamoDB Scan: every item.
    pub fn scan(
        &self,
        presented: Presented<'_>,
        table: &str,
        now: Timestamp,
    ) -> Result<Vec<Item>, ApiError> {
        Ok(self
            .table_for(presented, "dynamodb:Scan", table, now)?
            .0
            .items
            .clone())
    }

    /// DynamoDB GetItem: the item whose key attributes equal `key` (DynamoDB JSON), if any.
    pub fn get_item(
        &self,
        presented: Presented<'_>,
        table: &str,
        key: &Item,
        now: Timestamp,
    ) -> Result<Option<Item>, ApiError> {
        let (t, _) = self.table_for(presented, "dynamodb:GetItem", table, now)?;
        let key_names: Vec<&str> = std::iter::once(&t.hash_key)
            .chain(&t.range_key)
            .map(|k| k.name.as_str())
            .collect();
        let mut given: Vec<&str> = key.keys().map(String::as_str).collect();
        given.sort_unstable();
        let mut wanted = key_names.clone();
        wanted.sort_unstable();
        if given != wanted {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "The provided key element does not match the schema",
            ));
        }
        Ok(t.items
            .iter()
            .find(|item| key_names.iter().all(|k| item.get(*k) == key.get(*k)))
            .cloned())
    }
}

/// What DescribeTable reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDescription {
    /// The table name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The partition key.
    pub hash_key: crate::world::KeyAttribute,
    /// The sort key.
    pub range_key: Option<crate::world::KeyAttribute>,
    /// How many items it holds.
    pub item_count: usize,
}

fn is_mfa_condition(c: &Condition) -> bool {
    c.key
        .to_ascii_lowercase()
        .starts_with("aws:multifactorauth")
}

/// `aws:PrincipalArn`: the user's ARN, or for a role session the role's ARN.
fn principal_arn(world: &World, identity: &Identity) -> String {
    match identity {
        Identity::Root { .. } | Identity::User { .. } => identity.arn(world).to_string(),
        Identity::AssumedRole { account, role, .. } => {
            let path = world
                .account(account)
                .and_then(|a| a.role(role.as_str()))
                .map(|r| r.path.clone())
                .unwrap_or_default();
            Arn::role(account, &path, role).to_string()
        }
    }
}

/// The ARNs a trust policy may name the caller by.
fn principal_arns(world: &World, identity: &Identity) -> Vec<String> {
    let own = identity.arn(world).to_string();
    let principal = principal_arn(world, identity);
    if own == principal {
        vec![own]
    } else {
        vec![own, principal]
    }
}

#[cfg(test)]
mod tests;
