//! The access map: for each user and each group of the caller's account, each role
//! any account of the world lets that account switch to, decided by the very rule AssumeRole
//! applies (AssumeRole's own decision: identity policies, SCPs, permissions boundary, trust
//! policy) for a console sign-in without MFA and with it. A group's row is what membership
//! alone grants: a member with no policy of its own. "What if" applies a draft policy to
//! a copy of the world first, so the page can show which cells a change would turn.
//!
//! Not an AWS action: AWS's policy simulator does not read another account's trust policy,
//! and crossrole's world holds every account. The emulator serves it as the IAM extension
//! action `SimulateSwitchAccess` (README, "The IAM engine").

use super::*;
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::Principal;
use crate::validation::{AccountId, UserName};
use crate::world::{Identity, PolicyDoc, User, World};

mod cells;
pub use cells::*;

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
        let mut trusting: Vec<(String, String)> = self
            .accounts
            .iter()
            .flat_map(|a| a.roles.iter().map(move |r| (a, r)))
            .filter(|(_, r)| trusts_account(&r.trust_policy.policy, account))
            .map(|(a, r)| {
                (
                    Arn::role(&a.id, &r.path, &r.name).to_string(),
                    r.trust_policy.text().to_owned(),
                )
            })
            .collect();
        trusting.sort();
        let (roles, trust_policies): (Vec<String>, Vec<String>) = trusting.into_iter().unzip();
        let mut rows: Vec<AccessRow> = home
            .users
            .iter()
            .map(|user| AccessRow {
                user: user.name.to_string(),
                groups: user.groups.iter().map(ToString::to_string).collect(),
                cells: self.cells(account, &user.name, &roles, now, |refused| match refused {
                    Refusal::WithoutMfa if user.mfa.is_some() => None,
                    Refusal::WithoutMfa => Some(format!(
                        "The role's trust policy requires MFA, and {} has no MFA device.",
                        user.name
                    )),
                    Refusal::Always(refused) => Some(reason(refused)),
                }),
            })
            .collect();
        rows.sort_by(|a, b| a.user.cmp(&b.user));
        let groups = self.group_rows(account, &roles, now);
        AccessMap {
            roles,
            rows,
            groups,
            trust_policies,
        }
    }

    /// The groups' rows: each decided for a stand-in member, a user added to a copy of the
    /// world with no policy, boundary or tag of its own and no other group.
    fn group_rows(&self, account: &AccountId, roles: &[String], now: Timestamp) -> Vec<GroupRow> {
        let Some(home) = self.account(account).filter(|a| !a.groups.is_empty()) else {
            return Vec::new();
        };
        // A name no user of the account has (IAM names are unique regardless of case).
        let taken = |name: &str| {
            home.users
                .iter()
                .any(|u| u.name.as_str().eq_ignore_ascii_case(name))
        };
        let Some(member) = (0..)
            .map(|n| format!("crossrole-group-member-{n}"))
            .find(|name| !taken(name))
            .and_then(|name| UserName::parse(&name).ok())
        else {
            return Vec::new();
        };
        let mut copy = self.with_accounts(self.accounts.clone());
        let Some(at) = copy.accounts.iter().position(|a| &a.id == account) else {
            return Vec::new();
        };
        copy.accounts[at].users.push(User {
            name: member.clone(),
            path: Default::default(),
            password: None,
            access_keys: Vec::new(),
            mfa: None,
            groups: Vec::new(),
            tags: Default::default(),
            attached_policies: Vec::new(),
            permissions_boundary: None,
            policies: Default::default(),
        });
        let mut out: Vec<GroupRow> = home
            .groups
            .iter()
            .map(|group| {
                // The stand-in is the user pushed last.
                if let Some(stand_in) = copy.accounts[at].users.last_mut() {
                    stand_in.groups = vec![group.name.clone()];
                }
                let cells = copy.cells(account, &member, roles, now, |refused| match refused {
                    Refusal::WithoutMfa => None,
                    Refusal::Always(refused) => Some(match &refused.denial {
                        Some(Denial::NotTrusted { .. }) => "The role's trust policy names \
                             particular principals of this account, and a group cannot be one: \
                             members may switch only if named themselves."
                            .to_owned(),
                        _ => reason(refused),
                    }),
                });
                GroupRow {
                    group: group.name.to_string(),
                    members: home
                        .users
                        .iter()
                        .filter(|u| u.groups.contains(&group.name))
                        .map(|u| u.name.to_string())
                        .collect(),
                    cells,
                }
            })
            .collect();
        out.sort_by(|a, b| a.group.cmp(&b.group));
        out
    }

    /// One row's cells: AssumeRole's decision for `user` signed in to the console without MFA,
    /// then with it; `denied` words a refusal, or returns `None` when a refusal without MFA
    /// only means "allowed with MFA".
    fn cells(
        &self,
        account: &AccountId,
        user: &UserName,
        roles: &[String],
        now: Timestamp,
        denied: impl Fn(Refusal<'_>) -> Option<String>,
    ) -> Vec<Access> {
        let identity = Identity::User {
            account: account.clone(),
            name: user.clone(),
        };
        let signed_in = |mfa: bool| Authenticated {
            identity: identity.clone(),
            session: Some(SessionFacts {
                issued_at: now,
                expiration: now.plus(3600),
                mfa_at: mfa.then_some(now),
                role_path: None,
                role_id: None,
                extras: None,
            }),
            origin: Origin::default(),
        };
        let (without, with) = (signed_in(false), signed_in(true));
        roles
            .iter()
            .map(|role| {
                let decide = |caller: &Authenticated| self.may_assume_role(caller, role, now);
                let refusal = match decide(&without) {
                    Ok(()) => return Access::Allowed,
                    Err(refused) => match decide(&with) {
                        Ok(()) => denied(Refusal::WithoutMfa),
                        Err(_) => denied(Refusal::Always(&refused)),
                    },
                };
                refusal.map_or(Access::AllowedWithMfa, Access::Denied)
            })
            .collect()
    }
}

/// Why a row's sign-in was refused a role.
enum Refusal<'a> {
    /// Only without MFA: with MFA the role was allowed.
    WithoutMfa,
    /// With and without MFA; the refusal without.
    Always(&'a ApiError),
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
