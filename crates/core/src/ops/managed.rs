//! IAM's managed policies and permissions boundaries: CreatePolicy, GetPolicy,
//! GetPolicyVersion, ListPolicies, Attach/Detach and ListAttached… for roles, users and
//! groups, and Put/Delete…PermissionsBoundary for roles and users (IAM API Reference). Each is
//! authorised as `iam:<Action>` on the entity's full ARN.

use serde_json::Value;

use super::iam::{document, limit_exceeded, no_such};
use super::*;
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::validation::{AccountId, IamPath, PolicyName};
use crate::world::{ManagedPolicy, World, AWS_MANAGED, AWS_MANAGED_PREFIX};

/// A managed policy's largest size, white space not counted (IAM quotas: "Managed policy
/// length", 6,144 characters).
pub const MANAGED_POLICY_MAX: usize = 6_144;
/// How many managed policies one role, user or group may have attached (IAM quotas: 10 by
/// default).
pub const ATTACHED_MAX: usize = 10;

/// The parameters of CreatePolicy.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPolicy {
    /// `PolicyName`.
    pub name: String,
    /// `Path` (default `/`).
    pub path: Option<String>,
    /// `PolicyDocument`, as JSON text.
    pub document: String,
    /// `Description`.
    pub description: Option<String>,
}

/// A managed policy as IAM reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyInfo {
    /// The name.
    pub name: String,
    /// The unique id (`ANPA…`).
    pub policy_id: String,
    /// The ARN.
    pub arn: String,
    /// The path.
    pub path: String,
    /// The description, if any.
    pub description: Option<String>,
    /// How many roles, users and groups it is attached to (in the caller's account).
    pub attachment_count: usize,
    /// The document (its one version, `v1`).
    pub document: Value,
}

/// What a managed policy is attached to, or a boundary set on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attachee {
    /// A role, by name.
    Role(String),
    /// A user, by name.
    User(String),
    /// A group, by name.
    Group(String),
}

impl Attachee {
    /// `Role`, `User` or `Group`, as action names spell it.
    pub fn kind(&self) -> &'static str {
        match self {
            Attachee::Role(_) => "Role",
            Attachee::User(_) => "User",
            Attachee::Group(_) => "Group",
        }
    }

    fn name(&self) -> &str {
        match self {
            Attachee::Role(n) | Attachee::User(n) | Attachee::Group(n) => n,
        }
    }
}

/// A role, user or group, to change.
enum EntityMut<'w> {
    Role(&'w mut crate::world::Role),
    User(&'w mut crate::world::User),
    Group(&'w mut crate::world::Group),
}

/// The one version every managed policy has here.
pub const DEFAULT_VERSION: &str = "v1";

impl World {
    /// The ARN IAM authorises an action on `target` against (its path included), and the
    /// caller's account; refuses an unknown entity after authorising, as IAM does.
    fn attachee_caller(
        &self,
        presented: Presented<'_>,
        action: &str,
        target: &Attachee,
        now: Timestamp,
    ) -> Result<AccountId, ApiError> {
        match target {
            Attachee::Role(name) => self.iam_role_caller(presented, action, name, now),
            Attachee::Group(name) => self.iam_group_caller(presented, action, name, now),
            Attachee::User(name) => self.iam_caller(
                presented,
                action,
                |a| {
                    let path = self
                        .account(a)
                        .and_then(|acc| acc.user(name))
                        .map(|u| u.path.clone())
                        .unwrap_or_default();
                    Arn::User {
                        account: a.clone(),
                        path,
                        name: name.clone(),
                    }
                    .to_string()
                },
                now,
            ),
        }
    }

    /// The account `account`, to change.
    fn entry_mut(&mut self, account: &AccountId) -> Result<&mut crate::world::Account, ApiError> {
        self.accounts
            .iter_mut()
            .find(|a| &a.id == account)
            .ok_or_else(|| no_such("account", account.as_str()))
    }

    /// The role, user or group `target` names in `account`, to change.
    fn entity_mut(
        &mut self,
        account: &AccountId,
        target: &Attachee,
    ) -> Result<EntityMut<'_>, ApiError> {
        let entry = self.entry_mut(account)?;
        let name = target.name();
        let found = match target {
            Attachee::Role(_) => entry
                .roles
                .iter_mut()
                .find(|r| r.name.as_str() == name)
                .map(EntityMut::Role),
            Attachee::User(_) => entry
                .users
                .iter_mut()
                .find(|u| u.name.as_str() == name)
                .map(EntityMut::User),
            Attachee::Group(_) => entry
                .groups
                .iter_mut()
                .find(|g| g.name.as_str() == name)
                .map(EntityMut::Group),
        };
        found.ok_or_else(|| no_such(&target.kind().to_lowercase(), name))
    }

    /// The attached-policy list of `target` in `account`, to change.
    fn attached_mut(
        &mut self,
        account: &AccountId,
        target: &Attachee,
    ) -> Result<&mut Vec<String>, ApiError> {
        Ok(match self.entity_mut(account, target)? {
            EntityMut::Role(r) => &mut r.attached_policies,
            EntityMut::User(u) => &mut u.attached_policies,
            EntityMut::Group(g) => &mut g.attached_policies,
        })
    }

    /// The managed policy at `arn` if `account`'s entities may use it: AWS managed, or the
    /// account's own (for attachments, boundaries and AssumeRole's managed session policies).
    pub(super) fn usable_managed_policy<'w>(
        &'w self,
        account: &AccountId,
        arn: &'w str,
    ) -> Option<&'w crate::world::PolicyDoc> {
        let own = arn
            .strip_prefix("arn:aws:iam::")
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(a, _)| a == account.as_str());
        (arn.starts_with(AWS_MANAGED_PREFIX) || own)
            .then(|| self.managed_policy(arn).map(|(_, doc)| doc))
            .flatten()
    }

    /// [`World::usable_managed_policy`], refused as IAM refuses an attachment.
    fn usable_policy(&self, account: &AccountId, arn: &str) -> Result<(), ApiError> {
        self.usable_managed_policy(account, arn)
            .map(|_| ())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NoSuchEntity,
                    format!("Policy {arn} does not exist or is not attachable."),
                )
            })
    }

    fn policy_info(&self, account: &AccountId, arn: &str) -> Option<PolicyInfo> {
        let (name, doc) = self.managed_policy(arn)?;
        let entry = self.account(account);
        let attachment_count = entry.map_or(0, |a| {
            let lists = a
                .roles
                .iter()
                .map(|r| &r.attached_policies)
                .chain(a.users.iter().map(|u| &u.attached_policies))
                .chain(a.groups.iter().map(|g| &g.attached_policies));
            lists.filter(|l| l.iter().any(|x| x == arn)).count()
        });
        let own = entry.and_then(|a| a.policies.iter().find(|p| p.arn(&a.id) == arn));
        Some(PolicyInfo {
            name: name.to_owned(),
            policy_id: unique_id("ANPA", arn),
            arn: arn.to_owned(),
            path: own.map_or_else(|| "/".to_owned(), |p| p.path.to_string()),
            description: own.and_then(|p| p.description.clone()),
            attachment_count,
            document: doc.document(),
        })
    }

    /// IAM CreatePolicy: a customer managed policy of the caller's account.
    pub fn iam_create_policy(
        &mut self,
        presented: Presented<'_>,
        new: NewPolicy,
        now: Timestamp,
    ) -> Result<PolicyInfo, ApiError> {
        let name = PolicyName::parse(&new.name).map_err(ApiError::validation)?;
        let path = match &new.path {
            Some(p) => IamPath::parse(p).map_err(ApiError::validation)?,
            None => IamPath::default(),
        };
        let account = self.iam_caller(
            presented,
            "CreatePolicy",
            |a| format!("arn:aws:iam::{a}:policy{path}{name}"),
            now,
        )?;
        if super::iam::policy_size(&new.document) > MANAGED_POLICY_MAX {
            return Err(limit_exceeded(format!(
                "Cannot exceed quota for PolicySize: {MANAGED_POLICY_MAX}"
            )));
        }
        let doc = document(&new.document, false)?;
        let entry = self.entry_mut(&account)?;
        if entry
            .policies
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(name.as_str()))
        {
            return Err(ApiError::new(
                ErrorCode::EntityAlreadyExists,
                format!("A policy called {name} already exists. Duplicate names are not allowed."),
            ));
        }
        let policy = ManagedPolicy {
            name: name.to_string(),
            path,
            description: new.description,
            document: doc,
        };
        let arn = policy.arn(&account);
        entry.policies.push(policy);
        Ok(self
            .policy_info(&account, &arn)
            .expect("the policy was just created"))
    }

    /// IAM GetPolicy.
    pub fn iam_get_policy(
        &self,
        presented: Presented<'_>,
        arn: &str,
        now: Timestamp,
    ) -> Result<PolicyInfo, ApiError> {
        let account = self.iam_caller(presented, "GetPolicy", |_| arn.to_owned(), now)?;
        self.usable_policy(&account, arn)?;
        self.policy_info(&account, arn)
            .ok_or_else(|| no_such("policy", arn))
    }

    /// IAM GetPolicyVersion: the document of version `v1`, the only one.
    pub fn iam_get_policy_version(
        &self,
        presented: Presented<'_>,
        arn: &str,
        version: &str,
        now: Timestamp,
    ) -> Result<Value, ApiError> {
        let account = self.iam_caller(presented, "GetPolicyVersion", |_| arn.to_owned(), now)?;
        self.usable_policy(&account, arn)?;
        if version != DEFAULT_VERSION {
            return Err(no_such("policy version", version));
        }
        self.managed_policy(arn)
            .map(|(_, doc)| doc.document())
            .ok_or_else(|| no_such("policy", arn))
    }

    /// IAM ListPolicies: `Local` (the account's own), `AWS` (AWS managed) or `All`; with
    /// `only_attached`, those attached to something in the account.
    pub fn iam_list_policies(
        &self,
        presented: Presented<'_>,
        scope: Option<&str>,
        only_attached: bool,
        now: Timestamp,
    ) -> Result<Vec<PolicyInfo>, ApiError> {
        let account = self.iam_caller(presented, "ListPolicies", |_| "*".to_owned(), now)?;
        let (aws, local) = match scope.unwrap_or("All") {
            "All" => (true, true),
            "AWS" => (true, false),
            "Local" => (false, true),
            other => {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    format!("1 validation error detected: Value '{other}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"),
                ))
            }
        };
        let mut arns: Vec<String> = Vec::new();
        if aws {
            arns.extend(
                AWS_MANAGED
                    .iter()
                    .map(|(n, _)| format!("{AWS_MANAGED_PREFIX}{n}")),
            );
        }
        if local {
            if let Some(a) = self.account(&account) {
                arns.extend(a.policies.iter().map(|p| p.arn(&a.id)));
            }
        }
        Ok(arns
            .iter()
            .filter_map(|arn| self.policy_info(&account, arn))
            .filter(|p| !only_attached || p.attachment_count > 0)
            .collect())
    }

    /// IAM AttachRolePolicy, AttachUserPolicy, AttachGroupPolicy (attaching again changes
    /// nothing).
    pub fn iam_attach_policy(
        &mut self,
        presented: Presented<'_>,
        target: &Attachee,
        arn: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let action = format!("Attach{}Policy", target.kind());
        let account = self.attachee_caller(presented, &action, target, now)?;
        self.usable_policy(&account, arn)?;
        let list = self.attached_mut(&account, target)?;
        if list.iter().any(|a| a == arn) {
            return Ok(());
        }
        if list.len() >= ATTACHED_MAX {
            return Err(limit_exceeded(format!(
                "Cannot exceed quota for PoliciesPer{}: {ATTACHED_MAX}",
                target.kind()
            )));
        }
        list.push(arn.to_owned());
        Ok(())
    }

    /// IAM DetachRolePolicy, DetachUserPolicy, DetachGroupPolicy.
    pub fn iam_detach_policy(
        &mut self,
        presented: Presented<'_>,
        target: &Attachee,
        arn: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let action = format!("Detach{}Policy", target.kind());
        let account = self.attachee_caller(presented, &action, target, now)?;
        let list = self.attached_mut(&account, target)?;
        let before = list.len();
        list.retain(|a| a != arn);
        if list.len() == before {
            return Err(ApiError::new(
                ErrorCode::NoSuchEntity,
                format!("Policy {arn} was not found."),
            ));
        }
        Ok(())
    }

    /// IAM ListAttachedRolePolicies, ListAttachedUserPolicies, ListAttachedGroupPolicies: each
    /// policy's name and ARN. (`&mut` only to share the entity lookup of attach and detach.)
    pub fn iam_list_attached_policies(
        &mut self,
        presented: Presented<'_>,
        target: &Attachee,
        now: Timestamp,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let action = format!("ListAttached{}Policies", target.kind());
        let account = self.attachee_caller(presented, &action, target, now)?;
        let arns = self.attached_mut(&account, target)?.clone();
        Ok(arns
            .into_iter()
            .filter_map(|arn| {
                let name = self.managed_policy(&arn)?.0.to_owned();
                Some((name, arn))
            })
            .collect())
    }

    /// IAM PutRolePermissionsBoundary, PutUserPermissionsBoundary (`None`: the Delete… forms).
    pub fn iam_set_permissions_boundary(
        &mut self,
        presented: Presented<'_>,
        target: &Attachee,
        arn: Option<&str>,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let verb = if arn.is_some() { "Put" } else { "Delete" };
        let action = format!("{verb}{}PermissionsBoundary", target.kind());
        let account = self.attachee_caller(presented, &action, target, now)?;
        if let Some(arn) = arn {
            self.usable_policy(&account, arn)?;
        }
        let slot = match self.entity_mut(&account, target)? {
            EntityMut::Role(r) => &mut r.permissions_boundary,
            EntityMut::User(u) => &mut u.permissions_boundary,
            EntityMut::Group(_) => {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "Groups have no permissions boundary",
                ))
            }
        };
        *slot = arn.map(str::to_owned);
        Ok(())
    }
}
