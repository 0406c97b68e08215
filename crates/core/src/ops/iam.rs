//! The IAM operations the admin pages and the emulator need: read users, aliases, roles,
//! groups and inline policies; create, change and delete roles; put group policies. Each is
//! authorised with the caller's identity policies (`iam:<Action>` on the entity's ARN) and
//! acts in the caller's own account, as IAM does.

use serde_json::Value;

use crate::arn::{unique_id, Arn};
use crate::clock::Timestamp;
use crate::ops::{ApiError, ErrorCode, Presented};
use crate::validation::{AccountId, IamPath, RoleName};
use crate::world::{Group, Identity, PolicyDoc, Role, User, World};

mod role_policies;

mod groups;

/// A role as IAM reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleInfo {
    /// The role name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its ARN.
    pub arn: String,
    /// Its unique id (`AROA…`).
    pub role_id: String,
    /// The trust policy as written.
    pub trust_policy: Value,
    /// The description, if any.
    pub description: Option<String>,
    /// MaxSessionDuration in seconds.
    pub max_session_duration: u32,
    /// The permissions boundary's ARN, if set.
    pub permissions_boundary: Option<String>,
    /// When the role was last used (GetRole's `RoleLastUsed`; ListRoles does not say, as in
    /// IAM).
    pub last_used: Option<crate::clock::Timestamp>,
}

/// The parameters of CreateRole.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRole {
    /// `RoleName`.
    pub name: String,
    /// `Path` (default `/`).
    pub path: Option<String>,
    /// `AssumeRolePolicyDocument`, as JSON text.
    pub trust_policy: String,
    /// `Description`.
    pub description: Option<String>,
    /// `MaxSessionDuration` (default 3600).
    pub max_session_duration: Option<u32>,
}

pub(super) fn no_such(kind: &str, name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NoSuchEntity,
        format!("The {kind} with name {name} cannot be found."),
    )
}

/// A role's trust policy's largest size (IAM and STS quotas: "Role trust policy length",
/// 2,048 characters by default).
pub const TRUST_POLICY_MAX: usize = 2048;
/// The largest total size of a role's inline policies (IAM quotas: 10,240 characters).
pub const ROLE_INLINE_POLICIES_MAX: usize = 10_240;
/// The largest total size of a group's inline policies (IAM quotas: 5,120 characters).
pub const GROUP_INLINE_POLICIES_MAX: usize = 5_120;

/// A policy's size as IAM counts it: characters, not counting white space (IAM and AWS STS
/// quotas: "IAM doesn't count white space when calculating the size of a policy").
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

pub(super) fn limit_exceeded(message: String) -> ApiError {
    ApiError::new(ErrorCode::LimitExceeded, message)
}

/// Checks that inline policies `others` (by name) plus `new` under `name` stay within `max`.
fn within_inline_quota<'a>(
    others: impl Iterator<Item = (&'a String, &'a PolicyDoc)>,
    name: &str,
    new: &str,
    max: usize,
    what: &str,
) -> Result<(), ApiError> {
    let total: usize = others
        .filter(|(n, _)| n.as_str() != name)
        .map(|(_, d)| policy_size(d.text()))
        .sum::<usize>()
        + policy_size(new);
    if total > max {
        return Err(limit_exceeded(format!(
            "Maximum policy size of {max} bytes exceeded for {what}"
        )));
    }
    Ok(())
}

fn trust_document(text: &str) -> Result<PolicyDoc, ApiError> {
    if policy_size(text) > TRUST_POLICY_MAX {
        return Err(limit_exceeded(format!(
            "Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_MAX}"
        )));
    }
    document(text, true)
}

pub(super) fn document(text: &str, trust: bool) -> Result<PolicyDoc, ApiError> {
    let malformed = |m: String| ApiError::new(ErrorCode::MalformedPolicyDocument, m);
    let doc = PolicyDoc::parse(text).map_err(|e| malformed(e.to_string()))?;
    // IAM's statement ids: letters and digits only, unique within the policy (IAM User Guide,
    // "IAM JSON policy elements: Sid").
    let sids: Vec<&str> = doc
        .policy
        .statements
        .iter()
        .filter_map(|s| s.sid.as_deref())
        .collect();
    for (i, sid) in sids.iter().enumerate() {
        if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(malformed(format!(
                "Statement IDs (SID) must be alpha-numeric: {sid:?}"
            )));
        }
        if sids[..i].contains(sid) {
            return Err(malformed(format!(
                "Statement IDs (SID) in a single policy must be unique: {sid:?}"
            )));
        }
    }
    let shape = if trust {
        doc.policy.check_trust_policy()
    } else {
        doc.policy.check_identity_policy()
    };
    shape.map_err(|e| malformed(e.to_string()))?;
    Ok(doc)
}

/// A user as IAM GetUser reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    /// The user name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its ARN.
    pub arn: String,
    /// Its unique id (`AIDA…`).
    pub user_id: String,
}

/// A group as IAM ListGroups reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupInfo {
    /// The group name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// Its ARN.
    pub arn: String,
    /// Its unique id (`AGPA…`).
    pub group_id: String,
}

fn user_arn(account: &AccountId, path: &IamPath, name: &str) -> String {
    Arn::User {
        account: account.clone(),
        path: path.clone(),
        name: name.to_owned(),
    }
    .to_string()
}

fn user_info(account: &AccountId, user: &User) -> UserInfo {
    let arn = user_arn(account, &user.path, user.name.as_str());
    UserInfo {
        name: user.name.to_string(),
        path: user.path.to_string(),
        user_id: unique_id("AIDA", &arn),
        arn,
    }
}

fn group_arn(account: &AccountId, path: &IamPath, name: &str) -> String {
    Arn::Group {
        account: account.clone(),
        path: path.clone(),
        name: name.to_owned(),
    }
    .to_string()
}

fn group_info(account: &AccountId, group: &Group) -> GroupInfo {
    let arn = group_arn(account, &group.path, group.name.as_str());
    GroupInfo {
        name: group.name.to_string(),
        path: group.path.to_string(),
        group_id: unique_id("AGPA", &arn),
        arn,
    }
}

fn role_info(account: &AccountId, role: &Role) -> RoleInfo {
    let arn = Arn::role(account, &role.path, &role.name).to_string();
    RoleInfo {
        name: role.name.to_string(),
        path: role.path.to_string(),
        role_id: role.unique_id(account),
        arn,
        trust_policy: role.trust_policy.document(),
        description: role.description.clone(),
        max_session_duration: role.max_session_duration,
        permissions_boundary: role.permissions_boundary.clone(),
        last_used: role.last_used,
    }
}

impl World {
    /// Authenticates, then authorises `iam:<action>` on the ARN `resource` builds from the
    /// caller's account; answers that account.
    pub(super) fn iam_caller(
        &self,
        presented: Presented<'_>,
        action: &str,
        resource: impl FnOnce(&AccountId) -> String,
        now: Timestamp,
    ) -> Result<AccountId, ApiError> {
        let caller = self.authenticate(presented, now)?;
        let account = caller.identity.account().clone();
        self.authorize(&caller, &format!("iam:{action}"), &resource(&account), now)?;
        Ok(account)
    }

    fn role_arn_in(account: &AccountId, name: &str) -> String {
        format!("arn:aws:iam::{account}:role/{name}")
    }

    /// [`World::iam_caller`] for an action on the role named `role` in the caller's account,
    /// authorised against the role's full ARN, path included (`role/ops/ProdOperator`), as
    /// IAM does: a policy on `role/ops/*` covers it. (IAM User Guide, "IAM identifiers",
    /// "IAM ARNs": a role's ARN includes its path.) A role that does not exist has no path.
    pub(super) fn iam_role_caller(
        &self,
        presented: Presented<'_>,
        action: &str,
        role: &str,
        now: Timestamp,
    ) -> Result<AccountId, ApiError> {
        let resource = |account: &AccountId| {
            self.account(account)
                .and_then(|a| a.role(role))
                .map(|r| Arn::role(account, &r.path, &r.name).to_string())
                .unwrap_or_else(|| Self::role_arn_in(account, role))
        };
        self.iam_caller(presented, action, resource, now)
    }

    /// Refuses a trust policy naming a user or role that does not exist in an account of this
    /// world, as IAM does when the policy is written ("Invalid principal in policy"; accounts
    /// the world does not hold are taken on trust).
    fn principals_exist(&self, doc: &PolicyDoc) -> Result<(), ApiError> {
        for s in &doc.policy.statements {
            for p in s.principal.iter().flat_map(|b| &b.items) {
                let crate::policy::Principal::Arn(text) = p else {
                    continue;
                };
                let exists = match text.parse::<Arn>() {
                    Ok(Arn::User { account, name, .. }) => self
                        .account(&account)
                        .is_none_or(|a| a.user(&name).is_some()),
                    Ok(Arn::Role { account, name, .. }) => self
                        .account(&account)
                        .is_none_or(|a| a.role(name.as_str()).is_some()),
                    _ => true,
                };
                if !exists {
                    return Err(ApiError::new(
                        ErrorCode::MalformedPolicyDocument,
                        format!("Invalid principal in policy: \"AWS\":\"{text}\""),
                    ));
                }
            }
        }
        Ok(())
    }

    /// IAM ListAccountAliases: the caller's account's alias, if any.
    pub fn iam_list_account_aliases(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Vec<String>, ApiError> {
        let account = self.iam_caller(presented, "ListAccountAliases", |_| "*".into(), now)?;
        Ok(self
            .account(&account)
            .and_then(|a| a.alias.as_ref())
            .map(|a| vec![a.to_string()])
            .unwrap_or_default())
    }

    /// IAM GetRole.
    pub fn iam_get_role(
        &self,
        presented: Presented<'_>,
        name: &str,
        now: Timestamp,
    ) -> Result<RoleInfo, ApiError> {
        let account = self.iam_role_caller(presented, "GetRole", name, now)?;
        self.account(&account)
            .and_then(|a| a.role(name))
            .map(|r| role_info(&account, r))
            .ok_or_else(|| no_such("role", name))
    }

    /// IAM ListRoles, sorted by name.
    pub fn iam_list_roles(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Vec<RoleInfo>, ApiError> {
        let account =
            self.iam_caller(presented, "ListRoles", |a| Self::role_arn_in(a, "*"), now)?;
        let mut roles: Vec<RoleInfo> = self
            .account(&account)
            .map(|a| a.roles.iter().map(|r| role_info(&account, r)).collect())
            .unwrap_or_default();
        roles.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(roles)
    }

    /// IAM CreateRole.
    pub fn iam_create_role(
        &mut self,
        rng: &mut dyn rand_core::RngCore,
        presented: Presented<'_>,
        new: NewRole,
        now: Timestamp,
    ) -> Result<RoleInfo, ApiError> {
        let name = RoleName::parse(&new.name).map_err(ApiError::validation)?;
        let path = match &new.path {
            Some(p) => IamPath::parse(p).map_err(ApiError::validation)?,
            None => IamPath::default(),
        };
        let account = self.iam_caller(
            presented,
            "CreateRole",
            |a| Arn::role(a, &path, &name).to_string(),
            now,
        )?;
        let max = new.max_session_duration.unwrap_or(3600);
        if !(3600..=43_200).contains(&max) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "MaxSessionDuration must be between 3600 and 43200 seconds",
            ));
        }
        let trust_policy = trust_document(&new.trust_policy)?;
        self.principals_exist(&trust_policy)?;
        let entry = self
            .accounts
            .iter_mut()
            .find(|a| a.id == account)
            .ok_or_else(|| no_such("account", account.as_str()))?;
        // IAM role names are unique regardless of case.
        if entry
            .roles
            .iter()
            .any(|r| r.name.as_str().eq_ignore_ascii_case(name.as_str()))
        {
            return Err(ApiError::new(
                ErrorCode::EntityAlreadyExists,
                format!("Role with name {name} already exists."),
            ));
        }
        // A fresh unique id: a role deleted and created again is another role.
        let role = Role {
            id: Some(format!(
                "AROA{}",
                super::sign_in::random_chars(rng, super::sign_in::UPPER32, 17)
            )),
            name,
            path,
            description: new.description,
            max_session_duration: max,
            trust_policy: trust_policy.into(),
            policies: Default::default(),
            tags: Default::default(),
            attached_policies: Vec::new(),
            permissions_boundary: None,
            last_used: None,
        };
        let info = role_info(&account, &role);
        entry.roles.push(role);
        Ok(info)
    }

    fn role_mut(&mut self, account: &AccountId, name: &str) -> Result<&mut Role, ApiError> {
        self.accounts
            .iter_mut()
            .find(|a| &a.id == account)
            .and_then(|a| a.roles.iter_mut().find(|r| r.name.as_str() == name))
            .ok_or_else(|| no_such("role", name))
    }

    /// IAM UpdateAssumeRolePolicy.
    pub fn iam_update_assume_role_policy(
        &mut self,
        presented: Presented<'_>,
        role: &str,
        trust_policy: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_role_caller(presented, "UpdateAssumeRolePolicy", role, now)?;
        let doc = trust_document(trust_policy)?;
        self.principals_exist(&doc)?;
        self.role_mut(&account, role)?.trust_policy = doc.into();
        Ok(())
    }

    /// IAM DeleteRole: refused while the role still has inline policies, as IAM does.
    pub fn iam_delete_role(
        &mut self,
        presented: Presented<'_>,
        role: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_role_caller(presented, "DeleteRole", role, now)?;
        let r = self.role_mut(&account, role)?;
        if !r.policies.is_empty() || !r.attached_policies.is_empty() {
            return Err(ApiError::new(
                ErrorCode::DeleteConflict,
                "Cannot delete entity, must delete policies first.",
            ));
        }
        if let Some(a) = self.accounts.iter_mut().find(|a| a.id == account) {
            a.roles.retain(|r| r.name.as_str() != role);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
