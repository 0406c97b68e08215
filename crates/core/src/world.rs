//! The world: accounts with aliases, users, groups, roles, DynamoDB tables, and the live
//! sessions issued by the operations in [`crate::ops`].
//!
//! A world is loaded from one JSON document (format below, the demo world is
//! `public/demo-world.json`); loading checks every reference and policy, so a world that loads
//! is consistent. Secrets never show in `Debug` output and are compared in constant time.
//!
//! ```json
//! { "format": 1, "region": "us-west-2",
//!   "accounts": [ { "id": "111111111111", "alias": "example-corp",
//!     "users":  [ { "name": "David", "password": "…",
//!                   "accessKeys": [ { "id": "AKIA…", "secret": "…" } ],
//!                   "mfa": { "serial": "arn:aws:iam::111111111111:mfa/David", "seed": "<base32>" },
//!                   "groups": ["Developers"], "policies": { "<name>": <policy document> } } ],
//!     "groups": [ { "name": "Developers", "policies": { "<name>": <policy document> } } ],
//!     "roles":  [ { "name": "SensitiveDataAccess", "path": "/", "maxSessionDuration": 3600,
//!                   "trustPolicy": <policy document>, "policies": { … } } ],
//!     "tables": [ { "name": "DevScores", "hashKey": { "name": "UserId", "type": "S" },
//!                   "rangeKey": { "name": "GameTitle", "type": "S" },
//!                   "items": [ { "UserId": { "S": "101" }, … } ] } ] } ] }
//! ```
//! Items are written in DynamoDB's JSON form (`{"S": "…"}`, `{"N": "…"}`, …).
//!
//! Optional, for every policy type: an account's customer managed policies
//! (`"policies": [ { "name", "path", "description", "document" } ]`); on users, groups and
//! roles `"attachedPolicies": ["<managed policy ARN>", …]` (the account's own or
//! `arn:aws:iam::aws:policy/<name>` of [`AWS_MANAGED`]); on users and roles
//! `"permissionsBoundary": "<managed policy ARN>"` and `"tags": { "team": "blue" }`; on roles
//! `"id": "AROA…"`; and at the top an organization:
//!
//! ```json
//! "organization": { "managementAccount": "111111111111",
//!   "policies": [ { "name": "ProtectSwitchRole", "document": <policy document> } ],
//!   "root": { "name": "Root", "policies": ["FullAWSAccess"], "accounts": [ { "id": "111111111111" } ],
//!             "units": [ { "name": "Production", "policies": ["FullAWSAccess", "ProtectSwitchRole"],
//!                          "accounts": [ { "id": "222222222222", "policies": [] } ] } ] } }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::totp::Totp;
use crate::validation::{AccountId, AccountRef};

/// The world-file format version this code reads and writes.
pub const WORLD_FORMAT: u32 = 1;

/// Where an identity policy comes from, as explanations name it (`user policy P`, `group G
/// policy P`, `role R policy P`). Written out only when a statement of it decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource<'a> {
    /// An inline policy of the user.
    User(&'a str),
    /// An inline policy of one of the user's groups: the group, the policy.
    Group(&'a str, &'a str),
    /// An inline policy of the role: the role, the policy.
    Role(&'a str, &'a str),
    /// A managed policy attached to the user, one of its groups, or the role: its name.
    Managed(&'a str),
}

impl PolicySource<'_> {
    /// The words of its name, e.g. `group Developers policy AllowSwitch`.
    fn words(&self) -> [&str; 4] {
        match self {
            PolicySource::User(p) => ["user policy ", p, "", ""],
            PolicySource::Group(g, p) => ["group ", g, " policy ", p],
            PolicySource::Role(r, p) => ["role ", r, " policy ", p],
            PolicySource::Managed(p) => ["managed policy ", p, "", ""],
        }
    }
}

impl fmt::Display for PolicySource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.words().iter().try_for_each(|w| f.write_str(w))
    }
}

/// Written in one allocation of the exact size: a decision names the policy of each
/// statement that applied, and growing the text through `Display` would reallocate it four
/// times.
impl crate::policy::PolicyName for PolicySource<'_> {
    fn policy_name(&self) -> String {
        self.words().concat()
    }
}

/// The whole simulated AWS: its accounts, and what the operations keep between calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct World {
    /// The format version ([`WORLD_FORMAT`]).
    pub format: u32,
    /// The one region the world lives in.
    pub region: String,
    /// The accounts.
    pub accounts: Vec<Account>,
    /// The organization the accounts belong to, if any (service control policies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// What the operations keep between calls: the live sessions and the guards' state
    /// (runtime state: never written to a world file).
    #[serde(skip)]
    pub live: Live,
}

impl World {
    /// The account with id `id`.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| &a.id == id)
    }

    /// The account `reference` names: by id, or by alias.
    pub fn resolve(&self, reference: &AccountRef) -> Option<&Account> {
        match reference {
            AccountRef::Id(id) => self.account(id),
            AccountRef::Alias(alias) => self
                .accounts
                .iter()
                .find(|a| a.alias.as_ref() == Some(alias)),
        }
    }

    /// The user and account owning long-term access key `key_id`.
    pub fn access_key(&self, key_id: &str) -> Option<(&Account, &User, &AccessKey)> {
        self.accounts.iter().find_map(|a| {
            a.users.iter().find_map(|u| {
                u.access_keys
                    .iter()
                    .find(|k| k.id == key_id)
                    .map(|k| (a, u, k))
            })
        })
    }

    /// The identity policies that apply to `identity`: a user's own and its groups', or the
    /// role's permission policies; each with a name that says where it comes from.
    pub fn identity_policies(
        &self,
        identity: &Identity,
    ) -> Vec<(PolicySource<'_>, &crate::policy::Policy)> {
        let Some(account) = self.account(identity.account()) else {
            return Vec::new();
        };
        match identity {
            // Root is not governed by identity policies (see `ops`).
            Identity::Root { .. } => Vec::new(),
            Identity::User { name, .. } => {
                let Some(user) = account.user(name.as_str()) else {
                    return Vec::new();
                };
                let own = user
                    .policies
                    .iter()
                    .map(|(n, d)| (PolicySource::User(n), &d.policy))
                    .chain(self.attached(&user.attached_policies));
                let groups = user
                    .groups
                    .iter()
                    .filter_map(|g| account.group(g.as_str()))
                    .flat_map(|g| {
                        g.policies
                            .iter()
                            .map(move |(n, d)| (PolicySource::Group(g.name.as_str(), n), &d.policy))
                            .chain(self.attached(&g.attached_policies))
                    });
                own.chain(groups).collect()
            }
            Identity::AssumedRole { role, .. } => account
                .role(role.as_str())
                .map(|r| {
                    r.policies
                        .iter()
                        .map(|(n, d)| (PolicySource::Role(r.name.as_str(), n), &d.policy))
                        .chain(self.attached(&r.attached_policies))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The managed policies `arns` names that exist, as evaluation sources.
    fn attached<'w>(
        &'w self,
        arns: &'w [String],
    ) -> impl Iterator<Item = (PolicySource<'w>, &'w crate::policy::Policy)> + 'w {
        arns.iter().filter_map(|arn| {
            self.managed_policy(arn)
                .map(|(name, doc)| (PolicySource::Managed(name), &doc.policy))
        })
    }

    /// The managed policy at `arn` (AWS managed, or a customer managed policy of an account of
    /// this world) and its name.
    pub fn managed_policy<'w>(&'w self, arn: &'w str) -> Option<(&'w str, &'w PolicyDoc)> {
        if let Some(name) = arn.strip_prefix(AWS_MANAGED_PREFIX) {
            return aws_managed(arn).map(|doc| (name, doc));
        }
        let rest = arn.strip_prefix("arn:aws:iam::")?;
        let (account, path_and_name) = rest.split_once(":policy")?;
        let account = self.account(&AccountId::parse(account).ok()?)?;
        account
            .policies
            .iter()
            .find(|p| {
                path_and_name
                    .strip_prefix(p.path.as_str())
                    .is_some_and(|name| name == p.name)
            })
            .map(|p| (p.name.as_str(), &p.document))
    }

    /// The permissions boundary of `identity` (a user's, or a role session's role's), if set.
    pub fn permissions_boundary(&self, identity: &Identity) -> Option<(&str, &PolicyDoc)> {
        let account = self.account(identity.account())?;
        let arn = match identity {
            Identity::Root { .. } => None,
            Identity::User { name, .. } => {
                account.user(name.as_str())?.permissions_boundary.as_deref()
            }
            Identity::AssumedRole { role, .. } => {
                account.role(role.as_str())?.permissions_boundary.as_deref()
            }
        }?;
        self.managed_policy(arn)
    }
}

impl World {
    /// This world's region and organization with `accounts` and no runtime state (no
    /// sessions): a draft to try a change on, or to check before keeping it.
    pub(crate) fn with_accounts(&self, accounts: Vec<Account>) -> World {
        World {
            format: self.format,
            region: self.region.clone(),
            accounts,
            organization: self.organization.clone(),
            live: Live::default(),
        }
    }
}

mod documents;
mod entities;
mod iam_state;
mod live;
mod load;
mod managed;
mod organization;
mod session;
pub mod sessions;
pub mod signin_tokens;
mod tables;
pub mod trail;

pub(crate) use documents::SharingDocuments;
pub use documents::{Policies, PolicyDoc, Secret};
pub use entities::{AccessKey, Account, Group, MfaDevice, Role, RootUser, Tags, User};
pub use iam_state::{AccountIam, IamState, IAM_STATE_FORMAT};
pub use live::{
    AuthorizationMessage, AuthorizationMessages, Live, MfaGuard, AUTHORIZATION_MESSAGES_MAX,
};
pub use load::{demo_world, WorldError, DEMO_WORLD_JSON};
pub use managed::{
    aws_full_access, aws_managed, ManagedPolicy, AWS_MANAGED, AWS_MANAGED_PREFIX, FULL_AWS_ACCESS,
};
pub use organization::{NamedPolicy, OrgAccount, OrgUnit, Organization};
pub use session::{Credentials, Identity, Session, SessionExtras, SessionKind};
pub use sessions::{Sessions, DEFAULT_MAX_SESSIONS};
pub use tables::{attribute_text, item_columns, Item, KeyAttribute, Table};

#[cfg(test)]
mod tests;
