//! The organization the accounts belong to, where service control policies are attached.

use serde::{Deserialize, Serialize};

use super::PolicyDoc;
use crate::validation::AccountId;

/// An AWS Organization the world's accounts belong to: organizational units, where service
/// control policies are attached, and the management account, which SCPs never restrict
/// (AWS Organizations User Guide, "Service control policies").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organization {
    /// The management account.
    pub management_account: AccountId,
    /// The service control policies by name (`FullAWSAccess` is built in).
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
    /// The root, its units and their accounts.
    pub root: OrgUnit,
}

/// A named policy document (an SCP).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedPolicy {
    /// The policy name.
    pub name: String,
    /// The document.
    pub document: PolicyDoc,
}

/// The root or an organizational unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgUnit {
    /// Its name (`Root` for the root).
    pub name: String,
    /// The SCPs attached to it (none listed: `FullAWSAccess`, as AWS attaches by default).
    #[serde(default)]
    pub policies: Vec<String>,
    /// The accounts directly in it.
    #[serde(default)]
    pub accounts: Vec<OrgAccount>,
    /// Its child units.
    #[serde(default)]
    pub units: Vec<OrgUnit>,
}

/// An account's place in the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgAccount {
    /// The account.
    pub id: AccountId,
    /// The SCPs attached to the account itself (none listed: `FullAWSAccess`).
    #[serde(default)]
    pub policies: Vec<String>,
}

impl Organization {
    /// The SCP levels governing `account`, root first: at each level the names attached. `None`
    /// for the management account or an account outside the organization (no SCP applies).
    pub fn levels(&self, account: &AccountId) -> Option<Vec<(&str, &[String])>> {
        if *account == self.management_account {
            return None;
        }
        fn walk<'o>(
            unit: &'o OrgUnit,
            account: &AccountId,
            path: &mut Vec<(&'o str, &'o [String])>,
        ) -> bool {
            path.push((unit.name.as_str(), unit.policies.as_slice()));
            if let Some(a) = unit.accounts.iter().find(|a| a.id == *account) {
                path.push((a.id.as_str(), a.policies.as_slice()));
                return true;
            }
            if unit.units.iter().any(|u| walk(u, account, path)) {
                return true;
            }
            path.pop();
            false
        }
        let mut path = Vec::new();
        walk(&self.root, account, &mut path).then_some(path)
    }

    /// The organization's id (`o-` and ten characters), derived from its management account.
    pub fn id(&self) -> String {
        let unique = crate::arn::unique_id("", self.management_account.as_str());
        format!("o-{}", unique[..10].to_ascii_lowercase())
    }

    /// The SCP named `name`.
    pub fn policy(&self, name: &str) -> Option<&PolicyDoc> {
        self.policies
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.document)
    }
}
