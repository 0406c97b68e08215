//! The access map (issue 13): for each user of the caller's account, each role any account of
//! the world lets that account switch to, decided by the very rule AssumeRole applies
//! (AssumeRole's own decision: identity policies, SCPs, permissions boundary, trust
//! policy) for a console sign-in without MFA and with it. "What if" applies a draft policy to
//! a copy of the world first, so the page can show which cells a change would turn.
//!
//! Not an AWS action: AWS's policy simulator does not read another account's trust policy,
//! and crossrole's world holds every account. The emulator serves it as the IAM extension
//! action `SimulateSwitchAccess` (README, "The IAM engine").

use super::*;
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::Principal;
use crate::validation::AccountId;
use crate::world::{Identity, PolicyDoc, World};

/// One cell of the map: whether a user may switch to a role from a console sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    /// Allowed, with or without MFA.
    Allowed,
    /// Allowed only from a sign-in with MFA (and the user has an MFA device).
    AllowedWithMfa,
    /// Denied; why, naming the deciding statement or policy.
    Denied(String),
}

impl Access {
    /// The cell's text: "Allowed", "Allowed with MFA" or "Denied".
    pub fn label(&self) -> &'static str {
        match self {
            Access::Allowed => "Allowed",
            Access::AllowedWithMfa => "Allowed with MFA",
            Access::Denied(_) => "Denied",
        }
    }

    /// Why, in a sentence, for the cell's description.
    pub fn reason(&self) -> String {
        match self {
            Access::Allowed => "Allowed by the user's policies and the role's trust policy.".into(),
            Access::AllowedWithMfa => {
                "Allowed from a sign-in with MFA: without it, the role's trust policy refuses."
                    .into()
            }
            Access::Denied(why) => why.clone(),
        }
    }
}

/// A user's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessRow {
    /// The user name.
    pub user: String,
    /// The groups the user is in.
    pub groups: Vec<String>,
    /// One cell per role, in the map's role order.
    pub cells: Vec<Access>,
}

/// Who of the caller's account may switch to which role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessMap {
    /// The roles (ARNs), sorted: every role whose trust policy lets the account, one of its
    /// principals, or anyone, ask.
    pub roles: Vec<String>,
    /// The account's users, by name.
    pub rows: Vec<AccessRow>,
}

impl AccessMap {
    /// The cell of `user` and `role`, if both are on the map.
    pub fn cell(&self, user: &str, role: &str) -> Option<&Access> {
        let column = self.roles.iter().position(|r| r == role)?;
        self.rows
            .iter()
            .find(|r| r.user == user)
            .and_then(|r| r.cells.get(column))
    }

    /// The cells `other` decides differently (a user and a role on both maps): what a
    /// "what if" would change, each with the cell it would become.
    pub fn changes(&self, other: &AccessMap) -> Vec<(String, String, Access)> {
        let mut out = Vec::new();
        for row in &other.rows {
            for (role, after) in other.roles.iter().zip(&row.cells) {
                if self
                    .cell(&row.user, role)
                    .is_none_or(|before| before.label() != after.label())
                {
                    out.push((row.user.clone(), role.clone(), after.clone()));
                }
            }
        }
        out
    }
}

/// A draft change to try on the map before it is saved. `document: None` removes the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WhatIf {
    /// A role's trust policy replaced (any account of the world).
    TrustPolicy {
        /// The role's ARN.
        role_arn: String,
        /// The draft trust policy.
        document: String,
    },
    /// An inline policy of one of the caller's account's groups, written or removed.
    GroupPolicy {
        /// The group.
        group: String,
        /// The policy's name.
        name: String,
        /// The draft, or `None` to remove it.
        document: Option<String>,
    },
    /// An inline policy of one of the caller's account's users, written or removed.
    UserPolicy {
        /// The user.
        user: String,
        /// The policy's name.
        name: String,
        /// The draft, or `None` to remove it.
        document: Option<String>,
    },
}

fn malformed(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::MalformedPolicyDocument, e.to_string())
}

impl World {
    /// The access map of the caller's account, with `what_if` applied first when given. The
    /// caller needs `iam:SimulatePrincipalPolicy` on the account's users, the permission the
    /// same question asks of IAM's simulator.
    pub fn iam_switch_access(
        &self,
        presented: Presented<'_>,
        what_if: Option<&WhatIf>,
        now: Timestamp,
    ) -> Result<AccessMap, ApiError> {
        let account = self.iam_caller(
            presented,
            "SimulatePrincipalPolicy",
            |a| format!("arn:aws:iam::{a}:user/*"),
            now,
        )?;
        match what_if {
            None => Ok(self.access_map(&account, now)),
            Some(change) => {
                let mut draft = self.with_accounts(self.accounts.clone());
                draft.apply(&account, change)?;
                Ok(draft.access_map(&account, now))
            }
        }
    }

    fn apply(&mut self, account: &AccountId, change: &WhatIf) -> Result<(), ApiError> {
        let not_found =
            |what: &str| ApiError::new(ErrorCode::NoSuchEntity, format!("{what} cannot be found."));
        let identity_doc = |text: &Option<String>| {
            text.as_deref()
                .map(|t| {
                    let doc = PolicyDoc::parse(t).map_err(malformed)?;
                    doc.policy.check_identity_policy().map_err(malformed)?;
                    Ok::<_, ApiError>(doc)
                })
                .transpose()
        };
        let home = self
            .accounts
            .iter_mut()
            .position(|a| &a.id == account)
            .ok_or_else(|| not_found("The account"))?;
        match change {
            WhatIf::TrustPolicy { role_arn, document } => {
                let doc = PolicyDoc::parse(document).map_err(malformed)?;
                doc.policy.check_trust_policy().map_err(malformed)?;
                let Ok(Arn::Role { account, name, .. }) = role_arn.parse::<Arn>() else {
                    return Err(not_found(&format!("The role {role_arn}")));
                };
                let role = self
                    .accounts
                    .iter_mut()
                    .find(|a| a.id == account)
                    .and_then(|a| a.roles.iter_mut().find(|r| r.name == name))
                    .ok_or_else(|| not_found(&format!("The role {role_arn}")))?;
                role.trust_policy = std::sync::Arc::new(doc);
            }
            WhatIf::GroupPolicy {
                group,
                name,
                document,
            } => {
                let doc = identity_doc(document)?;
                let group = self.accounts[home]
                    .groups
                    .iter_mut()
                    .find(|g| g.name.as_str() == group)
                    .ok_or_else(|| not_found(&format!("The group {group}")))?;
                match doc {
                    Some(doc) => drop(group.policies.insert(name.clone(), doc)),
                    None => drop(group.policies.remove(name)),
                }
            }
            WhatIf::UserPolicy {
                user,
                name,
                document,
            } => {
                let doc = identity_doc(document)?;
                let user = self.accounts[home]
                    .users
                    .iter_mut()
                    .find(|u| u.name.as_str() == user)
                    .ok_or_else(|| not_found(&format!("The user {user}")))?;
                match doc {
                    Some(doc) => drop(user.policies.insert(name.clone(), doc)),
                    None => drop(user.policies.remove(name)),
                }
            }
        }
        Ok(())
    }

    /// The map itself (the caller already authorised).
    fn access_map(&self, account: &AccountId, now: Timestamp) -> AccessMap {
        let Some(home) = self.account(account) else {
            return AccessMap::default();
        };
        let mut roles: Vec<String> = self
            .accounts
            .iter()
            .flat_map(|a| a.roles.iter().map(move |r| (a, r)))
            .filter(|(_, r)| trusts_account(&r.trust_policy.policy, account))
            .map(|(a, r)| Arn::role(&a.id, &r.path, &r.name).to_string())
            .collect();
        roles.sort();
        let mut rows: Vec<AccessRow> = home
            .users
            .iter()
            .map(|user| {
                let identity = Identity::User {
                    account: account.clone(),
                    name: user.name.clone(),
                };
                let signed_in = |mfa: bool| Authenticated {
                    identity: identity.clone(),
                    session: Some(SessionFacts {
                        issued_at: now,
                        expiration: Timestamp(now.0 + 3600),
                        mfa_at: mfa.then_some(now),
                        role_path: None,
                        role_id: None,
                        extras: None,
                    }),
                    origin: Origin::default(),
                };
                let (without, with) = (signed_in(false), signed_in(true));
                let cells = roles
                    .iter()
                    .map(|role| {
                        let decide = |caller: &Authenticated| self.may_assume_role(caller, role, now);
                        match decide(&without) {
                            Ok(()) => Access::Allowed,
                            Err(refused) => match decide(&with) {
                                Ok(()) if user.mfa.is_some() => Access::AllowedWithMfa,
                                Ok(()) => Access::Denied(format!(
                                    "The role's trust policy requires MFA, and {} has no MFA device.",
                                    user.name
                                )),
                                Err(_) => Access::Denied(reason(&refused)),
                            },
                        }
                    })
                    .collect();
                AccessRow {
                    user: user.name.to_string(),
                    groups: user.groups.iter().map(ToString::to_string).collect(),
                    cells,
                }
            })
            .collect();
        rows.sort_by(|a, b| a.user.cmp(&b.user));
        AccessMap { roles, rows }
    }
}

impl World {
    /// Whether the caller may switch to each of `targets` (account id or alias, and role as
    /// the console writes it) as things stand: its own question about itself, so it needs no
    /// permission (AssumeRole would answer the same by trying). Allowed only with MFA reads
    /// `AllowedWithMfa` ("needs MFA") when the caller's session has none.
    pub fn iam_my_switch_access(
        &self,
        presented: Presented<'_>,
        targets: &[(String, String)],
        now: Timestamp,
    ) -> Result<Vec<Access>, ApiError> {
        let caller = self.authenticate(presented, now)?;
        Ok(targets
            .iter()
            .map(|(account, role)| {
                let account = match crate::validation::AccountRef::parse(account) {
                    Ok(a) => a,
                    Err(e) => return Access::Denied(format!("{e}.")),
                };
                let role = match crate::link::RoleRef::parse(role) {
                    Ok(r) => r,
                    Err(e) => return Access::Denied(format!("{e}.")),
                };
                let arn = match self.role_arn(&account, &role) {
                    Ok(arn) => arn,
                    Err(e) => return Access::Denied(reason(&e)),
                };
                match self.may_assume_role(&caller, &arn, now) {
                    Ok(()) => Access::Allowed,
                    Err(e) if e.denial == Some(Denial::MfaRequired) => Access::AllowedWithMfa,
                    Err(e) => Access::Denied(reason(&e)),
                }
            })
            .collect())
    }
}

/// Whether a trust policy's Allow statements let `account` (its root, one of its principals,
/// or anyone) ask to switch.
fn trusts_account(policy: &crate::policy::Policy, account: &AccountId) -> bool {
    policy
        .statements
        .iter()
        .filter(|s| s.effect == crate::policy::Effect::Allow)
        .flat_map(|s| s.principal.iter().filter(|b| !b.negated))
        .flat_map(|b| &b.items)
        .any(|p| match p {
            Principal::Anyone => true,
            Principal::Account(a) => a == account,
            Principal::Arn(arn) => arn
                .parse::<Arn>()
                .is_ok_and(|parsed| parsed.account() == account),
            Principal::Other(_) => false,
        })
}

/// A refusal as the map explains it: the denial's cause, naming the deciding statement, and
/// where an explicit deny was found.
fn reason(refused: &ApiError) -> String {
    let cause = refused
        .denial
        .as_ref()
        .map_or_else(|| refused.message.clone(), ToString::to_string);
    let within = refused
        .message
        .split_once(" with an explicit deny in ")
        .map(|(_, within)| format!(" (in {within})"))
        .unwrap_or_default();
    let mut text = format!("{cause}{within}");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}
