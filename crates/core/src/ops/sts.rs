//! STS AssumeRole and GetCallerIdentity.

use rand_core::RngCore;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{
    evaluate, Caller, Condition, ContextKeys, Principal, Request, StatementRef, Verdict, WithKeys,
};
use crate::validation::{AccountRef, DurationSeconds, RoleSessionName};
use crate::world::{Identity, SessionKind, World};

use super::auth::{own_unique_id, principal_arns};
use super::sign_in::{mfa_pair, Grant};
use super::*;
use crate::validation::AccountId;

mod options;
pub use options::*;
mod record;

impl World {
    /// STS AssumeRole with AWS semantics: the request's parameters are checked, MFA proven
    /// when a serial number and code are given, and the caller authorised by
    /// [`World::authorize_assume_role`] before anything about the role is looked at; then the
    /// session lasts the requested duration (default one hour), which may not exceed the
    /// role's MaxSessionDuration (nor an hour when chaining), and never outlives the caller's
    /// own session. Source identity and transitive session tags pass on through role chains.
    ///
    /// Recorded in the audit trail, refused or not: in the caller's account, and in the
    /// role's when that is another.
    pub fn sts_assume_role(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        request: &AssumeRole,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let issued = self.assume_role_unrecorded(rng, presented, request, now);
        self.record_issued(rng, presented, issued, now, |world, issued| {
            record::assume_role(request, issued, &world.region)
        })
    }

    fn assume_role_unrecorded(
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
        let options = check_options(request)?;
        let mfa_now = match mfa_pair(&request.serial_number, &request.token_code)? {
            Some((serial, code)) => {
                self.prove_mfa(&caller.identity, serial, code, now)?;
                true
            }
            None => false,
        };
        let inherited = caller.session.as_ref().and_then(|s| s.extras.clone());
        // A source identity, once set, stays for the whole chain and cannot be changed.
        let source_identity = match (
            inherited.as_ref().and_then(|e| e.source_identity.clone()),
            request.source_identity.clone(),
        ) {
            (Some(kept), Some(asked)) if kept != asked => {
                return Err(ApiError::new(
                    ErrorCode::AccessDenied,
                    format!(
                        "The source identity of a role chain cannot be changed: it is {kept:?}"
                    ),
                ))
            }
            (kept, asked) => kept.or(asked),
        };
        // Transitive tags of the caller's session pass on, and may not be given new values.
        let mut tags: Vec<(String, String)> = Vec::new();
        let mut transitive: Vec<String> = Vec::new();
        if let Some(e) = &inherited {
            for key in &e.transitive_tag_keys {
                if let Some(value) = e.tag(key) {
                    if request
                        .tags
                        .iter()
                        .any(|(k, _)| k.eq_ignore_ascii_case(key))
                    {
                        return Err(ApiError::new(
                            ErrorCode::ValidationError,
                            format!("The tag {key:?} was passed on by the calling session as transitive and cannot be set again"),
                        ));
                    }
                    tags.push((key.clone(), value.to_owned()));
                    transitive.push(key.clone());
                }
            }
        }
        let asked = Asked {
            session_name: Some(session_name.as_str()),
            external_id: request.external_id.as_deref(),
            source_identity: source_identity.as_deref(),
            mfa_now,
            tags: &request.tags,
        };
        let role = self
            .authorize_assume_role(&caller, &request.role_arn, &asked, now)?
            .switchable();

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
        let mfa_at = if mfa_now {
            Some(now)
        } else {
            caller.session.as_ref().and_then(|s| s.mfa_at)
        };
        tags.extend(request.tags.iter().cloned());
        transitive.extend(request.transitive_tag_keys.iter().cloned());
        let role_id = role.id.clone().unwrap_or_else(|| {
            unique_id(
                "AROA",
                &Arn::role(&role.account, &role.path, &role.name).to_string(),
            )
        });
        // Managed session policies: the role's account's own, or AWS managed (STS API
        // Reference, AssumeRole: "The policies must exist in the same account as the role"),
        // checked once the caller is authorised, so that nothing leaks before.
        let mut session_policies: Vec<crate::world::PolicyDoc> =
            options.session_policy.into_iter().collect();
        for arn in &request.policy_arns {
            match self.usable_managed_policy(&role.account, arn) {
                Some(doc) => session_policies.push(doc.clone()),
                None => {
                    return Err(ApiError::new(
                        ErrorCode::ValidationError,
                        format!("The policy {arn} does not exist or is not in the role's account"),
                    ))
                }
            }
        }
        let extras = crate::world::SessionExtras {
            source_identity: source_identity.clone(),
            session_policies,
            tags,
            transitive_tag_keys: transitive,
        };
        // IAM's RoleLastUsed: the role was used now.
        if let Some(used) = self
            .accounts
            .iter_mut()
            .find(|a| a.id == role.account)
            .and_then(|a| a.roles.iter_mut().find(|r| r.name == role.name))
        {
            used.last_used = Some(now);
        }
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
                kind: if chained {
                    SessionKind::ChainedRole
                } else {
                    SessionKind::AssumedRole
                },
                issued_at: now,
                expiration,
                mfa_at,
                role_path: Some(role.path),
                role_id: Some(role_id.clone()),
                extras: (extras != crate::world::SessionExtras::default())
                    .then(|| std::sync::Arc::new(extras)),
            },
        );
        Ok(Issued {
            credentials,
            unique_id: format!("{role_id}:{session_name}"),
            arn,
            source_identity,
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
        self.may_assume_role(&caller, role_arn, now)
    }

    /// Whether `caller` may assume `role_arn` with no optional parameters: AssumeRole's own
    /// decision, for the access map.
    pub(super) fn may_assume_role(
        &self,
        caller: &Authenticated,
        role_arn: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        self.authorize_assume_role(caller, role_arn, &Asked::default(), now)
            .map(|_| ())
    }

    /// Whether `caller` may assume the role at `role_arn`, evaluated as AWS does ("Policy
    /// evaluation logic", "Cross-account policy evaluation logic" in the IAM User Guide): the
    /// trust policy must allow the caller; the caller's identity policies (narrowed by its
    /// session policy, if any) must allow `sts:AssumeRole` on the role too, except in the same
    /// account when the trust policy names the caller itself rather than its account; an
    /// explicit Deny anywhere wins. Passing tags needs `sts:TagSession`, and a source identity
    /// `sts:SetSourceIdentity`, by the same rule. A missing role, or a wrong-case name, is the
    /// same AccessDenied as any other refusal, and the identity policy is evaluated first, so
    /// a caller who may not switch learns nothing about the role.
    fn authorize_assume_role(
        &self,
        caller: &Authenticated,
        role_arn: &str,
        asked: &Asked<'_>,
        now: Timestamp,
    ) -> Result<Authorized<'_>, ApiError> {
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
        let Some(parts) = crate::arn::role_arn_parts(role_arn) else {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("{role_arn} is not a role ARN"),
            ));
        };
        let role_account = self
            .accounts
            .iter()
            .find(|a| a.id.as_str() == parts.account);
        let role = role_account
            .and_then(|a| a.role(parts.name))
            .filter(|r| r.path.as_str() == parts.path);

        let caller_context = self.context(caller, now);
        let context = asked_context(&caller_context, asked);
        let actions = std::iter::once("sts:AssumeRole")
            .chain(asked.source_identity.map(|_| "sts:SetSourceIdentity"))
            .chain((!asked.tags.is_empty()).then_some("sts:TagSession"));
        let mut trust_caller: Option<Caller> = None;
        for action in actions {
            // Written only when refusing.
            let not_authorized = || {
                format!(
                    "User: {} is not authorized to perform: {action} on resource: {role_arn}",
                    caller.identity.arn(self)
                )
            };
            // Identity policies name no principal: they are evaluated without the caller.
            let request = Request {
                action,
                resource: role_arn,
                caller: None,
                context: &context,
            };
            let (identity, kind) = self.identity_decision(caller, &request);
            // An explicit Deny in either policy decides, naming its statement.
            let explicit_deny = |decision: &crate::policy::Decision, within: &str| {
                (decision.verdict == Verdict::ExplicitDeny).then(|| {
                    ApiError::denied(
                        format!("{} with an explicit deny in {within}", not_authorized()),
                        Denial::ExplicitDeny {
                            statement: decision.by[0].to_string(),
                        },
                    )
                })
            };
            if let Some(e) = explicit_deny(&identity, kind.a_policy()) {
                return Err(e);
            }
            let Some(role) = role else {
                return Err(ApiError::denied(not_authorized(), Denial::NoSuchRole));
            };
            let trust_doc = &role.trust_policy.policy;
            let trust_caller = trust_caller.get_or_insert_with(|| {
                // The caller's ARNs are written out only when the trust policy names ARNs.
                let names_arns = trust_doc.statements.iter().any(|s| {
                    s.principal
                        .as_ref()
                        .is_some_and(|b| b.items.iter().any(|p| matches!(p, Principal::Arn(_))))
                });
                Caller {
                    account: caller.identity.account(),
                    arns: if names_arns {
                        principal_arns(self, &caller.identity)
                    } else {
                        Vec::new()
                    },
                }
            });
            let request = Request {
                caller: Some(trust_caller),
                ..request
            };
            let trust = evaluate([("trust policy", trust_doc)], &request);
            if let Some(e) = explicit_deny(&trust, "the role trust policy") {
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
            let same_account = caller.identity.account().as_str() == parts.account;
            if !(identity.allowed() || same_account && names_caller_itself && trust.allowed()) {
                // STS names no reason here (so a missing role reads the same).
                return Err(ApiError::denied(
                    not_authorized(),
                    Denial::NoPermission {
                        action: action.into(),
                        resource: role_arn.to_owned(),
                    },
                ));
            }
            if !trust.allowed() {
                let denial = trust_denial(&trust, caller.identity.account());
                return Err(ApiError::denied(not_authorized(), denial));
            }
        }
        match (role_account, role) {
            (Some(account), Some(role)) => Ok(Authorized {
                account: &account.id,
                role,
            }),
            _ => unreachable!("authorised: the role exists"),
        }
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
            Identity::AssumedRole { session, .. } => {
                format!("{}:{session}", self.session_role_id(&caller))
            }
            own => own_unique_id(own, &arn),
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

/// The role a caller was authorised to assume, borrowed from the world: a decision alone (the
/// access map, the bench) copies nothing out of it.
struct Authorized<'w> {
    account: &'w AccountId,
    role: &'w crate::world::Role,
}

impl Authorized<'_> {
    /// What starting the session needs, owned (the world is changed next).
    fn switchable(self) -> SwitchableRole {
        SwitchableRole {
            id: self.role.id.clone(),
            account: self.account.clone(),
            path: self.role.path.clone(),
            name: self.role.name.clone(),
            max_session_duration: self.role.max_session_duration,
        }
    }
}

/// What AssumeRole needs of a role the caller may switch to.
struct SwitchableRole {
    account: AccountId,
    /// The role's own unique id, when it has one (else derived, only when a session starts:
    /// a decision alone never needs it).
    id: Option<String>,
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
