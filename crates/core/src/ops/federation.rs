//! AWS's federation sign-in endpoint, as the IAM User Guide's "Enable custom identity broker
//! access to the AWS console" describes it: `getSigninToken` exchanges a temporary session
//! (its key id, secret and token, as a JSON document) for a random sign-in token, usable
//! once within 15 minutes; the console signs in with the token, never with the credentials.
//!
//! Where the page is not precise, crossrole chooses (the README lists each choice):
//! - only temporary credentials this world issued are accepted: AssumeRole's and
//!   GetSessionToken's (the console's own password sessions, long-term keys, unknown, wrong
//!   and expired credentials are refused alike, with the reason);
//! - `SessionDuration` (900 to 43,200 seconds) is allowed only for a role session assumed
//!   with an IAM user's long-term credentials, as the page says; a GetSessionToken session
//!   and a role-chained session are refused with it;
//! - the console session is new credentials for the same identity ("might include a distinct
//!   AccessKeyId"), lasting `SessionDuration` from the sign-in or, without it, until the
//!   presented credentials expire.

use rand_core::RngCore;
use serde::Deserialize;
use serde_json::json;

use super::sign_in::{random_chars, Grant};
use super::{Authenticated, Issued, Origin, Presented, SessionFacts};
use crate::arn::unique_id;
use crate::clock::Timestamp;
use crate::fault::ErrorCode;
use crate::ops::audit::Recorded;
use crate::world::signin_tokens::{SigninGrant, TokenRefusal};
use crate::world::trail::Json;
use crate::world::{Identity, SessionKind, World};

/// The shortest console session `SessionDuration` may ask for.
pub const SESSION_DURATION_MIN: u32 = 900;
/// The longest (the User Guide: "a SessionDuration maximum value of 43,200 (12 hours)").
pub const SESSION_DURATION_MAX: u32 = 43_200;

/// How long a sign-in token's value is: 64 characters of a URL-safe alphabet (384 random
/// bits), written as is in a URL.
const TOKEN_LENGTH: usize = 64;
const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why the federation endpoint refused: an HTTP status and a sentence saying what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FederationError {
    /// The HTTP status (400 for a request that cannot work, as the endpoint answers).
    pub status: u16,
    /// A short code for tools (`InvalidSession`, `ExpiredSession`, …).
    pub code: &'static str,
    /// What went wrong, and what to do.
    pub message: String,
}

impl FederationError {
    fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code,
            message: message.into(),
        }
    }

    /// The refusal of a sign-in token that cannot be used.
    pub fn token(refusal: TokenRefusal) -> Self {
        match refusal {
            TokenRefusal::Unknown => Self::bad(
                "InvalidSigninToken",
                "This sign-in link is not valid. Get a new one from your terminal (the login command).",
            ),
            TokenRefusal::Expired => Self::bad(
                "ExpiredSigninToken",
                "This sign-in link has expired (links work for 15 minutes). Get a new one from your terminal.",
            ),
            TokenRefusal::Used => Self::bad(
                "UsedSigninToken",
                "This sign-in link was already used (each works once). Get a new one from your terminal.",
            ),
        }
    }
}

/// The `Session` parameter: the temporary credentials, as the User Guide writes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    session_id: String,
    session_key: String,
    session_token: String,
}

/// A console session a sign-in token was exchanged for.
#[derive(Clone, Debug, PartialEq)]
pub struct FederatedSignIn {
    /// The new credentials, who they act as and its unique id.
    pub issued: Issued,
    /// Who they act as.
    pub identity: Identity,
    /// For a role session, the role's path.
    pub role_path: Option<crate::validation::IamPath>,
    /// Whether MFA was proven for the session signed in with.
    pub mfa: bool,
}

impl World {
    /// `getSigninToken`: a sign-in token for the temporary credentials in `session` (the JSON
    /// document `{"sessionId", "sessionKey", "sessionToken"}`), with the console session's
    /// length `session_duration` if given. Recorded as `GetSigninToken` when the credentials
    /// are a live session's.
    pub fn federation_signin_token(
        &mut self,
        rng: &mut dyn RngCore,
        origin: &Origin,
        session: &str,
        session_duration: Option<&str>,
        now: Timestamp,
    ) -> Result<String, FederationError> {
        let session: SessionJson = serde_json::from_str(session).map_err(|_| {
            FederationError::bad(
                "MalformedSession",
                "The Session parameter must be a JSON document with sessionId, sessionKey and sessionToken.",
            )
        })?;
        let presented = Presented {
            access_key_id: &session.session_id,
            secret: Some(&session.session_key),
            session_token: Some(&session.session_token),
            origin: Some(origin),
        };
        let outcome = self.signin_grant(&session, session_duration, now);
        let failed;
        let recorded = match &outcome {
            Ok(_) => Ok(()),
            Err(e) => {
                failed = super::ApiError::new(ErrorCode::AccessDenied, e.message.clone());
                Err(&failed)
            }
        };
        let mut call = Recorded::api(
            "signin.amazonaws.com",
            "GetSigninToken",
            false,
            &self.region,
        );
        call.event_type = "AwsConsoleSignIn";
        call.response_elements = Json::of(&json!({
            "GetSigninToken": if outcome.is_ok() { "Success" } else { "Failure" }
        }));
        call.additional = Some(Json::of(&json!({ "MobileVersion": "No" })));
        self.record_call(rng, presented, call, recorded, None, now);
        let grant = outcome?;
        let token = random_chars(rng, TOKEN_ALPHABET, TOKEN_LENGTH);
        self.live.signin_tokens.insert(token.clone(), grant);
        Ok(token)
    }

    /// What a sign-in token for `session` would stand for, or why there is none.
    fn signin_grant(
        &self,
        session: &SessionJson,
        session_duration: Option<&str>,
        now: Timestamp,
    ) -> Result<SigninGrant, FederationError> {
        let key = session.session_id.as_str();
        let Some(live) = self.live.sessions.get(key) else {
            return Err(if self.access_key(key).is_some() {
                FederationError::bad(
                    "LongTermCredentials",
                    "These are long-term credentials. Sign in with temporary ones: call sts assume-role (or get-session-token) and use what it returns.",
                )
            } else {
                invalid_session()
            });
        };
        let matches = live
            .credentials
            .secret_access_key
            .matches(&session.session_key)
            && live
                .credentials
                .session_token
                .matches(&session.session_token);
        if !matches || live.kind == SessionKind::Console {
            return Err(invalid_session());
        }
        if live.credentials.expired(now) {
            return Err(FederationError::bad(
                "ExpiredSession",
                "These temporary credentials have expired. Get new ones (sts assume-role) and try again.",
            ));
        }
        let session_duration = session_duration
            .map(|d| parse_session_duration(d, live.kind))
            .transpose()?;
        Ok(SigninGrant {
            access_key_id: key.to_owned(),
            session_duration,
            issued_at: now,
            used: false,
        })
    }

    /// Whether `token` may sign in at `now` (it is not used by asking).
    pub fn federation_check_token(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<(), FederationError> {
        self.live
            .signin_tokens
            .check(token, now)
            .map(drop)
            .map_err(FederationError::token)
    }

    /// The console's sign-in with `token`, landing at `destination`: new credentials for the
    /// session the token was issued for; afterwards the token is used. Recorded as
    /// `ConsoleLogin` by that session's identity, failed or not, when the token was known.
    pub fn federation_sign_in(
        &mut self,
        rng: &mut dyn RngCore,
        origin: &Origin,
        token: &str,
        destination: &str,
        now: Timestamp,
    ) -> Result<FederatedSignIn, FederationError> {
        let grant = match self.live.signin_tokens.redeem(token, now) {
            Ok(grant) => grant,
            Err(refusal) => {
                let error = FederationError::token(refusal);
                if let Ok(grant) = self.live.signin_tokens.grant_of(token) {
                    let grant = grant.clone();
                    self.record_login(rng, origin, &grant, destination, Err(&error), now);
                }
                return Err(error);
            }
        };
        let Some(source) = self.live.sessions.get(&grant.access_key_id).cloned() else {
            return Err(invalid_session());
        };
        if source.credentials.expired(now) {
            let error = FederationError::bad(
                "ExpiredSession",
                "The credentials this link was made from have expired. Get new ones and a new link.",
            );
            self.record_login(rng, origin, &grant, destination, Err(&error), now);
            return Err(error);
        }
        let expiration = match grant.session_duration {
            Some(seconds) => now.plus(i64::from(seconds)),
            None => source.credentials.expiration,
        };
        let arn = source.identity.arn(self);
        let unique = match (&source.identity, &source.role_id) {
            (Identity::AssumedRole { session, .. }, Some(role_id)) => {
                format!("{role_id}:{session}")
            }
            _ => unique_id("AIDA", &arn.to_string()),
        };
        let credentials = self.start_session(
            rng,
            Grant {
                identity: source.identity.clone(),
                kind: source.kind,
                issued_at: now,
                expiration,
                mfa_at: source.mfa_at,
                role_path: source.role_path.clone(),
                role_id: source.role_id.clone(),
                extras: source.extras.clone(),
            },
        );
        self.record_login(rng, origin, &grant, destination, Ok(()), now);
        Ok(FederatedSignIn {
            issued: Issued {
                credentials,
                arn,
                unique_id: unique,
                source_identity: source
                    .extras
                    .as_ref()
                    .and_then(|e| e.source_identity.clone()),
            },
            identity: source.identity,
            role_path: source.role_path,
            mfa: source.mfa_at.is_some(),
        })
    }

    /// Records a federated `ConsoleLogin` by the session `grant` was issued for (IAM User
    /// Guide, "Logging sign-in events for temporary credentials").
    fn record_login(
        &mut self,
        rng: &mut dyn RngCore,
        origin: &Origin,
        grant: &SigninGrant,
        destination: &str,
        outcome: Result<(), &FederationError>,
        now: Timestamp,
    ) {
        if !self.live.trail.enabled {
            return;
        }
        let Some(source) = self.live.sessions.get(&grant.access_key_id) else {
            return;
        };
        let caller = Authenticated {
            identity: source.identity.clone(),
            session: Some(SessionFacts::from(source)),
            origin: origin.clone(),
        };
        let identity = self.user_identity(&caller, Some(&grant.access_key_id));
        let mut call = Recorded::api("signin.amazonaws.com", "ConsoleLogin", false, &self.region);
        call.event_type = "AwsConsoleSignIn";
        call.response_elements = super::audit::console_login_result(outcome.is_ok());
        call.additional = Some(Json::of(&json!({
            "LoginTo": destination,
            "MobileVersion": "No",
            "MFAUsed": "No",
        })));
        let failed = outcome
            .err()
            .map(|e| super::ApiError::new(ErrorCode::AccessDenied, e.message.clone()));
        self.record(
            rng,
            identity,
            origin,
            call,
            failed.as_ref().map_or(Ok(()), Err),
            None,
            now,
        );
    }
}

/// Credentials that are no live session's of this world (or wrong).
fn invalid_session() -> FederationError {
    FederationError::bad(
        "InvalidSession",
        "These credentials are not a temporary session this endpoint issued, or the secret or token does not match. Use the AccessKeyId, SecretAccessKey and SessionToken that sts assume-role returned.",
    )
}

/// `SessionDuration`: whole seconds from 900 to 43,200, and only for a role session assumed
/// with long-term credentials (the User Guide: with `AssumeRole*` "you must call them as an
/// IAM user with long-term credentials. Otherwise, the call to the federation endpoint ...
/// fails").
fn parse_session_duration(text: &str, kind: SessionKind) -> Result<u32, FederationError> {
    let seconds = text
        .parse::<u32>()
        .ok()
        .filter(|s| (SESSION_DURATION_MIN..=SESSION_DURATION_MAX).contains(s))
        .ok_or_else(|| {
            FederationError::bad(
                "InvalidSessionDuration",
                format!("SessionDuration must be a whole number of seconds from {SESSION_DURATION_MIN} to {SESSION_DURATION_MAX}."),
            )
        })?;
    match kind {
        SessionKind::AssumedRole => Ok(seconds),
        SessionKind::ChainedRole => Err(FederationError::bad(
            "SessionDurationNotAllowed",
            "SessionDuration cannot be used with a role session made by role chaining. Assume the role with an IAM user's long-term credentials, or leave SessionDuration out.",
        )),
        _ => Err(FederationError::bad(
            "SessionDurationNotAllowed",
            "SessionDuration can be used only with a role session (sts assume-role). Leave it out for these credentials.",
        )),
    }
}
