//! An account and the IAM entities in it: users, groups and roles.

use serde::{Deserialize, Serialize};

use super::documents::shared_document;
use super::{ManagedPolicy, Policies, PolicyDoc, Secret, Table};
use crate::arn::Arn;
use crate::totp::Totp;
use crate::validation::{
    AccountAlias, AccountId, GroupName, IamPath, RoleName, SerialNumber, UserName,
};

/// A long-term access key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    /// The access key id (`AKIA…`).
    pub id: String,
    /// The secret access key.
    pub secret: Secret,
}

/// A virtual MFA device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaDevice {
    /// Its serial number (the device ARN).
    pub serial: SerialNumber,
    /// The base32 TOTP seed.
    pub seed: Secret,
}

impl MfaDevice {
    /// The device's code generator.
    pub fn totp(&self) -> Totp {
        Totp::from_base32(self.seed.expose()).expect("seed checked when the world was loaded")
    }
}

/// An IAM user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    /// The user name.
    pub name: UserName,
    /// The user's path.
    #[serde(default)]
    pub path: IamPath,
    /// The console password, if the user may sign in to the console.
    #[serde(default)]
    pub password: Option<Secret>,
    /// Long-term access keys.
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// The MFA device, if one is assigned.
    #[serde(default)]
    pub mfa: Option<MfaDevice>,
    /// Names of the groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<GroupName>,
    /// Tags: `aws:PrincipalTag/…` of the user's requests.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Managed policies attached (ARNs: the account's own or AWS managed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The permissions boundary (a managed policy's ARN), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Inline policies.
    #[serde(default)]
    pub policies: Policies,
}

/// An IAM group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    /// The group name.
    pub name: GroupName,
    /// The group's path.
    #[serde(default)]
    pub path: IamPath,
    /// Inline policies.
    #[serde(default)]
    pub policies: Policies,
    /// Managed policies attached (ARNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
}

fn default_max_session() -> u32 {
    3600
}

/// An IAM role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// The role name (case-sensitive).
    pub name: RoleName,
    /// The role's unique id (`AROA…`): random for a role CreateRole made; for one a world file
    /// gives without an id, derived from its ARN (stable across loads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The role's path.
    #[serde(default)]
    pub path: IamPath,
    /// A description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The longest session it grants, 3600–43200 seconds.
    #[serde(default = "default_max_session")]
    pub max_session_duration: u32,
    /// Who may assume it. Roles with the same trust document share one copy (see
    /// [`shared_document`]).
    #[serde(deserialize_with = "shared_document")]
    pub trust_policy: std::sync::Arc<PolicyDoc>,
    /// What a session of it may do (inline policies).
    #[serde(default)]
    pub policies: Policies,
    /// Tags: `aws:PrincipalTag/…` of its sessions' requests, below their session tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Managed policies attached (ARNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The permissions boundary (a managed policy's ARN), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// When a session of it was last started (IAM's `RoleLastUsed.LastUsedDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<crate::clock::Timestamp>,
}

impl Role {
    /// The role's unique id (`AROA…`).
    pub fn unique_id(&self, account: &AccountId) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => crate::arn::unique_id(
                "AROA",
                &Arn::role(account, &self.path, &self.name).to_string(),
            ),
        }
    }
}

/// An IAM user's or role's tags, `{"team": "blue"}` in the world file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tags(pub std::collections::BTreeMap<String, String>);

impl Tags {
    /// The tag `key` (IAM tag keys compare case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The root user's sign-in, when the world gives one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootUser {
    /// The e-mail address root signs in with.
    pub email: String,
    /// Root's password.
    pub password: Secret,
}

/// An AWS account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    /// The 12-digit id.
    pub id: AccountId,
    /// The root user's sign-in, if root may sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<RootUser>,
    /// The alias, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<AccountAlias>,
    /// Users.
    #[serde(default)]
    pub users: Vec<User>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// DynamoDB tables.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Customer managed policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<ManagedPolicy>,
}

impl Account {
    /// The user named `name` (exact case).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name.as_str() == name)
    }

    /// The group named `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name.as_str() == name)
    }

    /// The role named `name` (exact case: role names are case-sensitive here).
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name.as_str() == name)
    }

    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}
