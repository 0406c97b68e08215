//! Authentication (who presents these credentials), MFA codes, the request context and
//! identity-policy authorisation.

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{evaluate, ContextKeys, Decision, Request, Verdict};
use crate::world::{Identity, World};

use super::*;

mod context;
pub(crate) use context::*;

/// Failed MFA codes a device may see within [`MFA_FAILURE_WINDOW_SECONDS`] before it is
/// locked for the rest of that window.
pub const MFA_MAX_FAILURES: u32 = 5;
/// The window over which failed MFA codes are counted, and the lockout's length.
pub const MFA_FAILURE_WINDOW_SECONDS: i64 = 300;

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
        replayed: impl Fn(u64) -> ApiError,
    ) -> Result<(), ApiError> {
        let guard = &mut self.live.mfa_guard;
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
            refused => {
                let entry = guard.failures.entry(serial.to_owned()).or_insert((0, now));
                entry.0 += 1;
                // A code already used is a failure too (it counts towards the limit), told
                // apart so the console can say to wait for the next code, and how long.
                Err(match refused {
                    Some(_) => replayed(totp.seconds_left(now)),
                    None => invalid(),
                })
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
        if let Some(session) = self.live.sessions.get(presented.access_key_id) {
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
                origin: presented.origin.cloned().unwrap_or_default(),
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
            origin: presented.origin.cloned().unwrap_or_default(),
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

    /// The principal's side of a decision (IAM User Guide, "Policy evaluation logic"): the
    /// service control policies of its account's organization, its identity policies (inline
    /// and managed), its permissions boundary, and a session's session policy. An explicit deny
    /// in any of them decides; otherwise each that applies must allow. Says which kind decided
    /// a refusal.
    pub(super) fn identity_decision(
        &self,
        caller: &Authenticated,
        request: &Request<'_>,
    ) -> (Decision, PolicyKind) {
        let scp = self.scp_decision(caller.identity.account(), request);
        // A role session of a role since deleted and created again under its name is bound to
        // the old role: it has none of the new one's permissions.
        let policies = if self.session_of_current_role(caller) {
            self.identity_policies(&caller.identity)
        } else {
            Vec::new()
        };
        let identity = evaluate(policies.iter().copied(), request);
        let boundary = self
            .permissions_boundary(&caller.identity)
            .map(|(name, doc)| {
                evaluate(
                    [(format!("permissions boundary {name}"), &doc.policy)],
                    request,
                )
            });
        let session = caller
            .session
            .as_ref()
            .and_then(|s| s.extras.as_deref())
            .filter(|e| !e.session_policies.is_empty())
            .map(|e| {
                evaluate(
                    e.session_policies
                        .iter()
                        .map(|d| ("session policy", &d.policy)),
                    request,
                )
            });
        // An explicit deny anywhere wins, then the first kind that does not allow; when all
        // allow, the identity policies' decision names the statements.
        let kinds = [
            (scp.as_ref(), PolicyKind::Scp),
            (Some(&identity), PolicyKind::Identity),
            (boundary.as_ref(), PolicyKind::Boundary),
            (session.as_ref(), PolicyKind::Session),
        ];
        let deciding = |verdict_wanted: fn(Verdict) -> bool| {
            kinds
                .iter()
                .find_map(|(d, k)| d.filter(|d| verdict_wanted(d.verdict)).map(|_| *k))
        };
        let kind = deciding(|v| v == Verdict::ExplicitDeny)
            .or_else(|| deciding(|v| v != Verdict::Allow))
            .unwrap_or(PolicyKind::Identity);
        let decision = match kind {
            PolicyKind::Scp => scp,
            PolicyKind::Identity => Some(identity),
            PolicyKind::Boundary => boundary,
            PolicyKind::Session => session,
        }
        .expect("the deciding kind was evaluated");
        (decision, kind)
    }

    /// The service control policies' decision for a principal of `account`, or `None` when
    /// none apply (no organization, the management account, an account outside it). At every
    /// level from the root to the account an SCP must allow, and a deny at any level wins
    /// (AWS Organizations User Guide, "SCP evaluation").
    pub(super) fn scp_decision(
        &self,
        account: &crate::validation::AccountId,
        request: &Request<'_>,
    ) -> Option<Decision> {
        let org = self.organization.as_ref()?;
        let levels = org.levels(account)?;
        let full = crate::world::aws_full_access();
        let mut allowed_by = Vec::new();
        // Whether some level has no SCP that allows the request.
        let mut missing = false;
        for (level, attached) in &levels {
            let docs: Vec<(String, &crate::policy::Policy)> = if attached.is_empty() {
                vec![(
                    format!(
                        "service control policy {} at {level}",
                        crate::world::FULL_AWS_ACCESS
                    ),
                    &full.policy,
                )]
            } else {
                attached
                    .iter()
                    .filter_map(|name| {
                        let doc = if name == crate::world::FULL_AWS_ACCESS {
                            Some(full)
                        } else {
                            org.policy(name)
                        }?;
                        Some((
                            format!("service control policy {name} at {level}"),
                            &doc.policy,
                        ))
                    })
                    .collect()
            };
            let d = evaluate(docs.iter().map(|(n, p)| (n.as_str(), *p)), request);
            match d.verdict {
                Verdict::ExplicitDeny => return Some(d),
                Verdict::ImplicitDeny => missing = true,
                Verdict::Allow => allowed_by.extend(d.by),
            }
        }
        Some(Decision {
            verdict: if missing {
                Verdict::ImplicitDeny
            } else {
                Verdict::Allow
            },
            by: if missing { Vec::new() } else { allowed_by },
            near_misses: Vec::new(),
        })
    }

    /// Whether `caller` is not a role session, or one of the role as it is now (the same
    /// unique id).
    fn session_of_current_role(&self, caller: &Authenticated) -> bool {
        let Identity::AssumedRole { account, role, .. } = &caller.identity else {
            return true;
        };
        let Some(began_with) = caller.session.as_ref().and_then(|s| s.role_id.as_deref()) else {
            return true;
        };
        self.account(account)
            .and_then(|a| a.role(role.as_str()))
            .is_some_and(|r| r.unique_id(account) == began_with)
    }

    /// The unique id of the role a role session belongs to (`AROA…`).
    pub(super) fn session_role_id(&self, caller: &Authenticated) -> String {
        caller
            .session
            .as_ref()
            .and_then(|s| s.role_id.clone())
            .unwrap_or_else(|| unique_id("AROA", &principal_arn(self, &caller.identity)))
    }

    /// Authorises `action` on `resource` for `caller` with its identity policies (and session
    /// policy) only.
    pub(crate) fn authorize(
        &self,
        caller: &Authenticated,
        action: &str,
        resource: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        self.authorize_with(caller, action, resource, now, Vec::new())
    }

    /// [`World::authorize`] with the request's own condition keys (DynamoDB's
    /// `dynamodb:LeadingKeys`, for one) over the caller's.
    pub(crate) fn authorize_with(
        &self,
        caller: &Authenticated,
        action: &str,
        resource: &str,
        now: Timestamp,
        request_keys: Vec<(&'static str, Vec<String>)>,
    ) -> Result<(), ApiError> {
        let caller_context = self.context(caller, now);
        let mut context = crate::policy::WithKeys::new(&caller_context);
        for (key, values) in request_keys {
            context.set(key, values);
        }
        let request = Request {
            action,
            resource,
            caller: None,
            context: &context,
        };
        // Root may do anything in its own account (these are own-account resources), within
        // its organization's SCPs (AWS Organizations User Guide: SCPs restrict a member
        // account's root user too).
        let (decision, kind) = if matches!(caller.identity, Identity::Root { .. }) {
            // An SCP that allows lets the request through below, as any allowing decision.
            match self.scp_decision(caller.identity.account(), &request) {
                Some(d) => (d, PolicyKind::Scp),
                None => return Ok(()),
            }
        } else {
            self.identity_decision(caller, &request)
        };
        let who = caller.identity.arn(self);
        let refusal = match decision.verdict {
            Verdict::Allow => return Ok(()),
            Verdict::ExplicitDeny => ApiError::denied(
                format!("User: {who} is not authorized to perform: {action} on resource: {resource} with an explicit deny in {}", kind.a_policy()),
                Denial::ExplicitDeny { statement: decision.by[0].to_string() },
            ),
            Verdict::ImplicitDeny => ApiError::denied(
                format!("User: {who} is not authorized to perform: {action} on resource: {resource} because no {} allows the {action} action", kind.name()),
                Denial::NoPermission { action: action.to_owned(), resource: resource.to_owned() },
            ),
        };
        Err(ApiError {
            authorization: self.live.authorization_messages.enabled.then(|| {
                Box::new(AuthorizationMessage {
                    account: caller.identity.account().clone(),
                    decoded: self.authorization_message(caller, &request, &decision),
                })
            }),
            ..refusal
        })
    }
}

/// The global keys an authorization message lists in its context, when the request has them.
const MESSAGE_KEYS: [&str; 14] = [
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalType",
    "aws:RequestedRegion",
    "aws:SecureTransport",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:TokenIssueTime",
    "aws:userid",
    "aws:username",
];

impl World {
    /// A refusal as AWS's decoded authorization message writes it (STS API Reference,
    /// DecodeAuthorizationMessage): allowed, explicitDeny, the statements that decided, and
    /// the request's context (principal, action, resource, condition keys).
    fn authorization_message(
        &self,
        caller: &Authenticated,
        request: &Request<'_>,
        decision: &Decision,
    ) -> String {
        let statements: Vec<serde_json::Value> = decision
            .by
            .iter()
            .map(|s| {
                serde_json::json!({
                    "statementId": s.sid.clone().unwrap_or_default(),
                    "effect": if decision.verdict == Verdict::ExplicitDeny { "DENY" } else { "ALLOW" },
                    "source": s.policy,
                    "index": s.index,
                })
            })
            .collect();
        let conditions: Vec<serde_json::Value> = MESSAGE_KEYS
            .iter()
            .filter_map(|key| {
                let values = request.context.values(key)?;
                Some(serde_json::json!({
                    "key": key,
                    "values": { "items": values.iter().map(|v| serde_json::json!({ "value": v })).collect::<Vec<_>>() },
                }))
            })
            .collect();
        let name = match &caller.identity {
            Identity::Root { account } => account.to_string(),
            Identity::User { name, .. } => name.to_string(),
            Identity::AssumedRole { role, session, .. } => format!("{role}/{session}"),
        };
        let id = request
            .context
            .values("aws:userid")
            .and_then(|v| v.first().cloned())
            .unwrap_or_default();
        serde_json::json!({
            "allowed": decision.verdict == Verdict::Allow,
            "explicitDeny": decision.verdict == Verdict::ExplicitDeny,
            "matchedStatements": { "items": statements },
            "failures": { "items": [] },
            "context": {
                "principal": { "id": id, "name": name, "arn": caller.identity.arn(self).to_string() },
                "action": request.action,
                "resource": request.resource,
                "conditions": { "items": conditions },
            },
        })
        .to_string()
    }
}

/// The unique id AWS gives a user or root as a caller (GetCallerIdentity's `UserId`, a
/// sign-in's): a user's `AIDA…`, root's own account id. A role session's depends on its
/// session ([`World::session_role_id`]).
pub(super) fn own_unique_id(identity: &Identity, arn: &str) -> String {
    match identity {
        Identity::Root { account } => account.to_string(),
        _ => unique_id("AIDA", arn),
    }
}
