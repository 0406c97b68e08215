//! STS AssumeRole and GetCallerIdentity.

use rand_core::RngCore;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{
    evaluate, Caller, Condition, Principal, Request, StatementRef, Verdict, WithKeys,
};
use crate::validation::{AccountRef, DurationSeconds, RoleSessionName};
use crate::world::{Identity, SessionKind, World};

use super::auth::principal_arns;
use super::sessions::Grant;
use super::*;
use crate::validation::AccountId;
use crate::wire::AssumeRole;

impl World {
    /// STS AssumeRole with AWS semantics: the caller is authorised by
    /// [`World::authorize_assume_role`] before anything about the role is looked at; then the
    /// session lasts the requested duration (default one hour), which may not exceed the
    /// role's MaxSessionDuration (nor an hour when chaining), and never outlives the caller's
    /// own session.
    pub fn sts_assume_role(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        request: &AssumeRole,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let caller = self.authenticate(presented, now)?;
        let session_name =
            RoleSessionName::parse(&request.role_session_name).map_err(ApiError::validation)?;
        let duration = request
            .duration
            .map(DurationSeconds::new)
            .transpose()
            .map_err(ApiError::validation)?
            .unwrap_or_default()
            .get();
        let role = self.authorize_assume_role(
            &caller,
            &request.role_arn,
            Some(session_name.as_str()),
            now,
        )?;

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
            expiration = expiration.min(session.expiration);
        }
        let mfa_at = caller.session.as_ref().and_then(|s| s.mfa_at);
        let role_arn = Arn::role(&role.account, &role.path, &role.name);
        let identity = Identity::AssumedRole {
            account: role.account,
            role: role.name,
            session: session_name.clone(),
        };
        let arn = identity.arn(self);
        let credentials = self.start_session(
            rng,
            Grant {
                identity,
                kind: SessionKind::AssumedRole,
                issued_at: now,
                expiration,
                mfa_at,
                role_path: Some(role.path),
            },
        );
        let role_id = unique_id("AROA", &role_arn.to_string());
        Ok(Issued {
            credentials,
            unique_id: format!("{role_id}:{session_name}"),
            arn,
        })
    }

    /// Whether the caller presenting `presented` may assume the role at `role_arn` now, without
    /// issuing a session: the decision AssumeRole makes (for an access map, and the bench).
    pub fn sts_may_assume_role(
        &self,
        presented: Presented<'_>,
        role_arn: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let caller = self.authenticate(presented, now)?;
        self.authorize_assume_role(&caller, role_arn, None, now)
            .map(|_| ())
    }

    /// Whether `caller` may assume the role at `role_arn`, evaluated as AWS does ("Policy
    /// evaluation logic", "Cross-account policy evaluation logic" in the IAM User Guide): the
    /// trust policy must allow the caller; the caller's identity policies must allow
    /// `sts:AssumeRole` on the role too, except in the same account when the trust policy
    /// names the caller itself rather than its account; an explicit Deny anywhere wins. A
    /// missing role, or a wrong-case name, is the same AccessDenied as any other refusal, and
    /// the identity policy is evaluated first, so a caller who may not switch learns nothing
    /// about the role.
    /// `session_name`, when the request has one, is `sts:RoleSessionName` in both evaluations
    /// (IAM User Guide, "Available keys for AWS STS": sts:RoleSessionName).
    fn authorize_assume_role(
        &self,
        caller: &Authenticated,
        role_arn: &str,
        session_name: Option<&str>,
        now: Timestamp,
    ) -> Result<SwitchableRole, ApiError> {
        if !(20..=2048).contains(&role_arn.len()) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "RoleArn must be 20–2048 characters",
            ));
        }
        if matches!(caller.identity, Identity::Root { .. }) {
            return Err(ApiError::denied(
                "Roles may not be assumed by root accounts.",
                Denial::RootCannotSwitch,
            ));
        }
        // Written only when refusing.
        let not_authorized = || {
            format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                caller.identity.arn(self)
            )
        };
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
            .filter(|r| r.path == arn_path);

        let caller_context = self.context(caller, now);
        let session_key = session_name.map(|name| [("sts:RoleSessionName", name)]);
        let context = WithKeys {
            keys: session_key.as_ref().map_or(&[], |k| k.as_slice()),
            base: &caller_context,
        };
        // Identity policies name no principal: they are evaluated without the caller.
        let request = Request {
            action: "sts:AssumeRole",
            resource: role_arn,
            caller: None,
            context: &context,
        };
        let identity_policies = self.identity_policies(&caller.identity);
        let identity = evaluate(identity_policies.iter().copied(), &request);
        // An explicit Deny in either policy decides, naming its statement.
        let explicit_deny = |decision: &crate::policy::Decision| {
            (decision.verdict == Verdict::ExplicitDeny).then(|| {
                ApiError::denied(
                    format!("{} with an explicit deny", not_authorized()),
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
            return Err(ApiError::denied(not_authorized(), Denial::NoSuchRole));
        };
        let trust_doc = &role.trust_policy.policy;
        // The caller's ARNs are written out only when the trust policy names ARNs at all.
        let names_arns = trust_doc.statements.iter().any(|s| {
            s.principal
                .as_ref()
                .is_some_and(|b| b.items.iter().any(|p| matches!(p, Principal::Arn(_))))
        });
        let trust_caller = Caller {
            account: caller.identity.account().clone(),
            arns: if names_arns {
                principal_arns(self, &caller.identity)
            } else {
                Vec::new()
            },
        };
        let request = Request {
            caller: Some(&trust_caller),
            ..request
        };
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
                        && b.items.iter().any(
                            |p| matches!(p, Principal::Arn(a) if trust_caller.arns.contains(a)),
                        )
                })
        });
        let same_account = caller.identity.account() == &role_account;
        if !(identity.allowed() || same_account && names_caller_itself && trust.allowed()) {
            return Err(ApiError::denied(
                not_authorized(),
                Denial::NoPermission {
                    action: "sts:AssumeRole".into(),
                    resource: role_arn.to_owned(),
                },
            ));
        }
        if !trust.allowed() {
            let denial = trust_denial(&trust, caller.identity.account());
            return Err(ApiError::denied(not_authorized(), denial));
        }
        Ok(SwitchableRole {
            account: role_account,
            path: role.path.clone(),
            name: role.name.clone(),
            max_session_duration: role.max_session_duration,
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
    pub fn sts_get_caller_identity(
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
}

fn is_mfa_condition(c: &Condition) -> bool {
    c.key
        .to_ascii_lowercase()
        .starts_with("aws:multifactorauth")
}

/// What AssumeRole needs of a role the caller may switch to.
struct SwitchableRole {
    account: AccountId,
    path: crate::validation::IamPath,
    name: crate::validation::RoleName,
    max_session_duration: u32,
}

/// Why a trust policy that did not allow the caller refused: the condition that missed (MFA
/// named as such), else that the caller's account is not trusted.
fn trust_denial(trust: &crate::policy::Decision, caller_account: &AccountId) -> Denial {
    match trust.near_misses.first() {
        Some((_, c)) if is_mfa_condition(c) => Denial::MfaRequired,
        Some((_, c)) => Denial::ConditionFailed {
            condition: c.to_string(),
        },
        None => Denial::NotTrusted {
            account: caller_account.to_string(),
        },
    }
}
