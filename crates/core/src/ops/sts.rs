//! STS AssumeRole and GetCallerIdentity.

use rand_core::RngCore;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{
    evaluate, Caller, Condition, ContextKeys, Principal, Request, StatementRef, Verdict, WithKeys,
};
use crate::validation::{AccountRef, DurationSeconds, RoleSessionName};
use crate::world::{Identity, SessionKind, World};

use super::auth::principal_arns;
use super::sessions::{mfa_pair, Grant};
use super::*;
use crate::validation::AccountId;

/// The parameters of STS `AssumeRole`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `DurationSeconds`.
    pub duration: Option<u32>,
    /// `ExternalId`: what a third party was told to send (`sts:ExternalId`).
    pub external_id: Option<String>,
    /// `SerialNumber`: the caller's MFA device, proving MFA at switch time.
    pub serial_number: Option<String>,
    /// `TokenCode`: that device's current code.
    pub token_code: Option<String>,
    /// `SourceIdentity`: who is behind the session, kept through role chains.
    pub source_identity: Option<String>,
    /// `Policy`: an inline session policy; the session may do only what both it and the
    /// role's policies allow.
    pub policy: Option<String>,
    /// `PolicyArns.member.N.arn`: managed session policies (with `policy`, the session
    /// policies: the session may do what any of them allows, within the role's policies).
    pub policy_arns: Vec<String>,
    /// `Tags.member.N.Key` / `.Value`: session tags, in order.
    pub tags: Vec<(String, String)>,
    /// `TransitiveTagKeys.member.N`: the tags that pass on to chained sessions.
    pub transitive_tag_keys: Vec<String>,
}

/// What an AssumeRole request adds to its evaluation: its own context keys, and the actions
/// beyond `sts:AssumeRole` it needs ("Passing session tags in AWS STS": `sts:TagSession`;
/// "Monitor and control actions taken with assumed roles": `sts:SetSourceIdentity`).
#[derive(Debug, Default)]
pub(super) struct Asked<'a> {
    /// `RoleSessionName` (`sts:RoleSessionName`).
    session_name: Option<&'a str>,
    /// `ExternalId` (`sts:ExternalId`).
    external_id: Option<&'a str>,
    /// The session's source identity, asked for or inherited (`sts:SourceIdentity`).
    source_identity: Option<&'a str>,
    /// Whether MFA was proven with this request (`SerialNumber` and `TokenCode`).
    mfa_now: bool,
    /// The tags the request passes (`aws:RequestTag/…`, `aws:TagKeys`).
    tags: &'a [(String, String)],
}

impl World {
    /// STS AssumeRole with AWS semantics: the request's parameters are checked, MFA proven
    /// when a serial number and code are given, and the caller authorised by
    /// [`World::authorize_assume_role`] before anything about the role is looked at; then the
    /// session lasts the requested duration (default one hour), which may not exceed the
    /// role's MaxSessionDuration (nor an hour when chaining), and never outlives the caller's
    /// own session. Source identity and transitive session tags pass on through role chains.
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
                kind: SessionKind::AssumedRole,
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
            Identity::Root { account } => account.to_string(),
            Identity::User { .. } => unique_id("AIDA", &arn),
            Identity::AssumedRole { session, .. } => {
                format!("{}:{session}", self.session_role_id(&caller))
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

/// The request's own context keys over the caller's (IAM User Guide, "Available keys for AWS
/// STS"; "Passing session tags in AWS STS"; "AWS global condition context keys").
fn asked_context<'a>(base: &'a dyn ContextKeys, asked: &Asked<'_>) -> WithKeys<'a> {
    let mut context = WithKeys::new(base);
    let one = |v: &str| vec![v.to_owned()];
    if let Some(name) = asked.session_name {
        context.set("sts:RoleSessionName", one(name));
    }
    if let Some(id) = asked.external_id {
        context.set("sts:ExternalId", one(id));
    }
    if let Some(id) = asked.source_identity {
        context.set("sts:SourceIdentity", one(id));
    }
    if asked.mfa_now {
        // MFA proven with this very request: present, and zero seconds old.
        context.set("aws:MultiFactorAuthPresent", one("true"));
        context.set("aws:MultiFactorAuthAge", one("0"));
    }
    if !asked.tags.is_empty() {
        for (key, value) in asked.tags {
            context.set(format!("aws:RequestTag/{key}"), one(value));
        }
        context.set(
            "aws:TagKeys",
            asked.tags.iter().map(|(k, _)| k.clone()).collect(),
        );
    }
    context
}

/// AssumeRole's optional parameters, checked before anything is authorised, as AWS validates
/// a request's parameters first (STS API Reference, AssumeRole: each parameter's constraints).
struct Options {
    session_policy: Option<crate::world::PolicyDoc>,
}

fn check_options(request: &AssumeRole) -> Result<Options, ApiError> {
    let invalid = |what: &str, field: &str, constraint: &str| {
        ApiError::new(
            ErrorCode::ValidationError,
            format!("1 validation error detected: Value '{what}' at '{field}' failed to satisfy constraint: {constraint}"),
        )
    };
    if let Some(id) = &request.external_id {
        if !crate::validation::is_external_id(id) {
            return Err(invalid(
                id,
                "externalId",
                "Member must have length between 2 and 1224 and match [\\w+=,.@:\\/-]*",
            ));
        }
    }
    if let Some(id) = &request.source_identity {
        if !(2..=64).contains(&id.chars().count())
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
        {
            return Err(invalid(
                id,
                "sourceIdentity",
                "Member must have length between 2 and 64 and match [\\w+=,.@-]*",
            ));
        }
        if id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "SourceIdentity may not begin with the reserved prefix aws:",
            ));
        }
    }
    let session_policy = match &request.policy {
        None => None,
        Some(text) if text.chars().count() > SESSION_POLICY_MAX => {
            return Err(ApiError::new(
                ErrorCode::PackedPolicyTooLarge,
                format!(
                    "The session policy is {} characters; at most {SESSION_POLICY_MAX} are allowed",
                    text.chars().count()
                ),
            ))
        }
        Some(text) => {
            let doc = crate::world::PolicyDoc::parse(text)
                .and_then(|d| d.policy.check_identity_policy().map(|()| d))
                .map_err(|e| ApiError::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
            Some(doc)
        }
    };
    if request.policy_arns.len() > SESSION_POLICY_ARNS_MAX {
        return Err(invalid(
            "PolicyArns",
            "policyArns",
            "Member must have length less than or equal to 10",
        ));
    }
    let plain_text: usize = request.policy.as_ref().map_or(0, |p| p.chars().count())
        + request
            .policy_arns
            .iter()
            .map(|a| a.chars().count())
            .sum::<usize>();
    if plain_text > SESSION_POLICY_MAX {
        return Err(ApiError::new(
            ErrorCode::PackedPolicyTooLarge,
            format!("The session policies are {plain_text} characters; at most {SESSION_POLICY_MAX} are allowed"),
        ));
    }
    if request.tags.len() > SESSION_TAGS_MAX {
        return Err(invalid(
            "Tags",
            "tags",
            "Member must have length less than or equal to 50",
        ));
    }
    for (i, (key, value)) in request.tags.iter().enumerate() {
        let tag_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
        if !(1..=128).contains(&key.chars().count()) || !key.chars().all(tag_char) {
            return Err(invalid(key, &format!("tags.{}.member.key", i + 1), "Member must have length between 1 and 128 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"));
        }
        if value.chars().count() > 256 || !value.chars().all(tag_char) {
            return Err(invalid(value, &format!("tags.{}.member.value", i + 1), "Member must have length less than or equal to 256 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"));
        }
        if request.tags[..i]
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
    }
    for key in &request.transitive_tag_keys {
        if !request
            .tags
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("The transitive tag key {key:?} is not among the session tags"),
            ));
        }
    }
    Ok(Options { session_policy })
}

/// A session policy's plain text may have at most 2,048 characters (STS API Reference,
/// AssumeRole, `Policy`).
const SESSION_POLICY_MAX: usize = 2048;
/// At most 10 managed session policies (STS API Reference, AssumeRole, `PolicyArns`).
const SESSION_POLICY_ARNS_MAX: usize = 10;
/// At most 50 session tags (STS API Reference, AssumeRole, `Tags`).
const SESSION_TAGS_MAX: usize = 50;
