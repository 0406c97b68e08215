//! Authentication (who presents these credentials), MFA codes, the request context and
//! identity-policy authorisation.

use std::collections::BTreeMap;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{evaluate, ContextKeys, Request, Verdict};
use crate::world::{Identity, World};

use super::*;

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
    pub(super) fn check_mfa_code(
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
        let step = totp.matching_step(code, now);
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
                crate::fault::INVALID_TOKEN_MESSAGE,
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
            if session.credentials.expired(now) {
                return Err(ApiError::new(
                    ErrorCode::ExpiredToken,
                    "The security token included in the request is expired",
                ));
            }
            return Ok(Authenticated {
                identity: session.identity.clone(),
                session: Some(SessionFacts::from(session)),
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

    /// The condition context of a request made by `caller` at `now`, resolved key by key as
    /// conditions ask for it.
    pub(super) fn context<'w>(
        &'w self,
        caller: &'w Authenticated,
        now: Timestamp,
    ) -> CallerContext<'w> {
        CallerContext {
            world: self,
            caller,
            now,
        }
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
            policies.iter().copied(),
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
}

/// `aws:PrincipalArn`: the user's ARN, or for a role session the role's ARN.
pub(super) fn principal_arn(world: &World, identity: &Identity) -> String {
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

/// The ARNs a trust policy may name the caller by: its own, and for a role session the
/// role's too.
pub(super) fn principal_arns(world: &World, identity: &Identity) -> Vec<String> {
    let own = identity.arn(world).to_string();
    match identity {
        Identity::AssumedRole { .. } => vec![own, principal_arn(world, identity)],
        Identity::Root { .. } | Identity::User { .. } => vec![own],
    }
}

/// The global condition keys of a caller's request (IAM User Guide, "AWS global condition
/// context keys"), each computed only when a condition reads it.
pub(super) struct CallerContext<'w> {
    world: &'w World,
    caller: &'w Authenticated,
    now: Timestamp,
}

impl ContextKeys for CallerContext<'_> {
    fn values(&self, key: &str) -> Option<std::borrow::Cow<'_, [String]>> {
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        let identity = &self.caller.identity;
        let session = self.caller.session.as_ref();
        let value = if is("aws:CurrentTime") {
            self.now.to_iso8601()
        } else if is("aws:EpochTime") {
            self.now.seconds().to_string()
        } else if is("aws:PrincipalAccount") {
            identity.account().to_string()
        } else if is("aws:PrincipalArn") {
            principal_arn(self.world, identity)
        } else if is("aws:PrincipalType") {
            match identity {
                Identity::Root { .. } => "Account",
                Identity::User { .. } => "User",
                Identity::AssumedRole { .. } => "AssumedRole",
            }
            .to_owned()
        } else if is("aws:userid") {
            // IAM User Guide, "Request information that you can use for policy variables":
            // the account id for root, the user's unique id, `role-id:session-name` for a role.
            match identity {
                Identity::Root { account } => account.to_string(),
                Identity::User { .. } => unique_id("AIDA", &identity.arn(self.world).to_string()),
                Identity::AssumedRole { session, .. } => format!(
                    "{}:{session}",
                    unique_id("AROA", &principal_arn(self.world, identity))
                ),
            }
        } else if is("aws:PrincipalIsAWSService") || is("aws:ViaAWSService") {
            // Every caller of crossrole is a principal of an account, calling directly.
            "false".to_owned()
        } else if is("aws:username") {
            match identity {
                Identity::User { name, .. } => name.to_string(),
                _ => return None,
            }
        // As in AWS: long-term keys carry no MFA keys at all; sessions say whether MFA was used.
        } else if is("aws:TokenIssueTime") {
            session?.issued_at.to_iso8601()
        } else if is("aws:MultiFactorAuthPresent") {
            session?.mfa_at.is_some().to_string()
        } else if is("aws:MultiFactorAuthAge") {
            session?.mfa_at?.until(self.now).max(0).to_string()
        } else {
            return None;
        };
        Some(std::borrow::Cow::Owned(vec![value]))
    }
}
