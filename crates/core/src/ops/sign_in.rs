//! Sessions of one's own identity: console sign-in, STS GetSessionToken, and the session
//! store's upkeep.

use rand_core::RngCore;

use crate::clock::Timestamp;
use crate::validation::{AccountRef, MfaCode, SerialNumber};
use crate::world::{Credentials, Identity, Secret, Session, SessionKind, World};

use super::auth::own_unique_id;
use super::*;

/// The parameters of STS `GetSessionToken`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetSessionToken {
    /// `DurationSeconds`.
    pub duration: Option<u32>,
    /// `SerialNumber`: the MFA device.
    pub serial_number: Option<String>,
    /// `TokenCode`: its current code.
    pub token_code: Option<String>,
}

/// What a new session is for; its credentials are made when it starts.
pub(super) struct Grant {
    pub(super) identity: Identity,
    pub(super) kind: SessionKind,
    pub(super) issued_at: Timestamp,
    pub(super) expiration: Timestamp,
    pub(super) mfa_at: Option<Timestamp>,
    pub(super) role_path: Option<crate::validation::IamPath>,
    pub(super) role_id: Option<String>,
    pub(super) extras: Option<std::sync::Arc<crate::world::SessionExtras>>,
}

pub(super) fn random_chars(rng: &mut dyn RngCore, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[(rng.next_u32() as usize) % alphabet.len()] as char)
        .collect()
}

pub(super) const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn new_credentials(rng: &mut dyn RngCore, expiration: Timestamp) -> Credentials {
    Credentials {
        access_key_id: format!("ASIA{}", random_chars(rng, UPPER32, 16)),
        secret_access_key: Secret::new(random_chars(rng, BASE64, 40)),
        session_token: Secret::new(format!("FwoGZXIvYXdzE{}", random_chars(rng, BASE64, 160))),
        expiration,
    }
}

impl World {
    pub(super) fn start_session(&mut self, rng: &mut dyn RngCore, grant: Grant) -> Credentials {
        // Never hand out a key id that is already live (a badly seeded generator repeats).
        let mut credentials = new_credentials(rng, grant.expiration);
        while self.live.sessions.contains_key(&credentials.access_key_id) {
            credentials = new_credentials(rng, grant.expiration);
        }
        self.live.sessions.insert(Session {
            credentials: credentials.clone(),
            identity: grant.identity,
            kind: grant.kind,
            issued_at: grant.issued_at,
            mfa_at: grant.mfa_at,
            role_path: grant.role_path,
            role_id: grant.role_id,
            extras: grant.extras,
        });
        credentials
    }

    /// Starts a session of one's own identity (console or GetSessionToken) and reports it.
    fn issue_own_session(&mut self, rng: &mut dyn RngCore, grant: Grant) -> Issued {
        let arn = grant.identity.arn(self);
        let unique_id = own_unique_id(&grant.identity, &arn.to_string());
        let credentials = self.start_session(rng, grant);
        Issued {
            credentials,
            unique_id,
            arn,
            source_identity: None,
        }
    }

    /// [`World::console_sign_in`] without its record in the audit trail.
    pub(super) fn console_sign_in_unrecorded(
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
                self.check_mfa_code(
                    &serial,
                    &totp,
                    code.as_str(),
                    now,
                    || {
                        ApiError::new(
                            ErrorCode::InvalidMfa,
                            "The MFA code is not valid. Enter the current code from the device.",
                        )
                    },
                    |seconds| ApiError::new(ErrorCode::InvalidMfa, mfa_code_used(seconds)),
                )?;
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
                role_id: None,
                extras: None,
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
                role_id: None,
                extras: None,
            },
        ))
    }

    /// [`World::sts_get_session_token`] without its record in the audit trail.
    pub(super) fn get_session_token_unrecorded(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        request: &GetSessionToken,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let mfa = mfa_pair(&request.serial_number, &request.token_code)?;
        let caller = self.authenticate(presented, now)?;
        if caller.session.is_some() {
            return Err(ApiError::new(
                ErrorCode::AccessDenied,
                "Cannot call GetSessionToken with session credentials",
            ));
        }
        let duration = request.duration.unwrap_or(SESSION_TOKEN_DEFAULT);
        if !(900..=SESSION_TOKEN_MAX).contains(&duration) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 129600"),
            ));
        }
        let mfa_at = match mfa {
            None => None,
            Some((serial, code)) => {
                self.prove_mfa(&caller.identity, serial, code, now)?;
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
                role_id: None,
                extras: None,
            },
        ))
    }

    /// Proves MFA with `identity`'s device: `serial` must be the device of the user, and `code`
    /// its current, unused code. Only IAM users have devices; anyone else fails as a wrong code.
    pub(super) fn prove_mfa(
        &mut self,
        identity: &Identity,
        serial: &str,
        code: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let serial = SerialNumber::parse(serial).map_err(ApiError::validation)?;
        let code = MfaCode::parse(code).map_err(ApiError::validation)?;
        let invalid = || {
            ApiError::new(
                ErrorCode::InvalidMfa,
                "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
            )
        };
        let Identity::User { account, name } = identity else {
            return Err(invalid());
        };
        let device = self
            .account(account)
            .and_then(|a| a.user(name.as_str()))
            .and_then(|u| u.mfa.as_ref())
            .filter(|d| d.serial == serial);
        let totp = device.ok_or_else(invalid)?.totp();
        // Through STS a used code is refused as any invalid one, as AWS does.
        self.check_mfa_code(serial.as_str(), &totp, code.as_str(), now, invalid, |_| {
            invalid()
        })
    }

    /// Forgets sessions that expired more than `grace_seconds` ago (until then, using them
    /// answers `ExpiredToken` rather than `InvalidClientTokenId`).
    pub fn purge_expired(&mut self, now: Timestamp, grace_seconds: i64) {
        self.live.sessions.purge_expired(now, grace_seconds);
    }

    /// The secret that signs requests made with `access_key_id`: a session's (even an expired
    /// one's, so that using it answers `ExpiredToken`), or a long-term key's.
    pub fn signing_secret(&self, access_key_id: &str) -> Option<&Secret> {
        self.live
            .sessions
            .get(access_key_id)
            .map(|s| &s.credentials.secret_access_key)
            .or_else(|| self.access_key(access_key_id).map(|(_, _, k)| &k.secret))
    }

    /// Ends a session (console sign-out): its credentials stop working at once.
    pub fn end_session(&mut self, access_key_id: &str) -> bool {
        self.live.sessions.remove(access_key_id).is_some()
    }
}

/// `SerialNumber` and `TokenCode`, which come both or neither (GetSessionToken, AssumeRole).
pub(super) fn mfa_pair<'a>(
    serial: &'a Option<String>,
    code: &'a Option<String>,
) -> Result<Option<(&'a str, &'a str)>, ApiError> {
    match (serial, code) {
        (Some(s), Some(c)) => Ok(Some((s.as_str(), c.as_str()))),
        (None, None) => Ok(None),
        _ => Err(ApiError::new(
            ErrorCode::ValidationError,
            "SerialNumber and TokenCode must be given together",
        )),
    }
}

/// The console's refusal of an MFA code that was already used: a code works once (as in AWS),
/// so the device's current code is refused right after a sign-in with it; the person is told
/// to wait for the next one, and about how long that is.
pub fn mfa_code_used(seconds_left: u64) -> String {
    format!(
        "This MFA code was just used, and each code works once. Wait for the device to show \
         the next code (in about {seconds_left} seconds), then enter it."
    )
}
