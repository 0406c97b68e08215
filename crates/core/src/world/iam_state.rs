//! The administrator's part of a world, apart from the rest: each account's roles, groups and
//! customer managed policies. The in-browser mock keeps it in localStorage so that what an
//! administrator creates survives a reload; it never holds a user, and so never a
//! password, an access key or an MFA seed.

use serde::{Deserialize, Serialize};

use super::{Group, ManagedPolicy, Role, World, WorldError};
use crate::validation::AccountId;

/// [`IamState`]'s format version.
pub const IAM_STATE_FORMAT: u32 = 1;

/// One account's roles, groups and customer managed policies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountIam {
    /// The account.
    pub id: AccountId,
    /// Its roles.
    pub roles: Vec<Role>,
    /// Its groups (names, paths, policies: membership is kept on the users, which stay).
    pub groups: Vec<Group>,
    /// Its customer managed policies.
    pub policies: Vec<ManagedPolicy>,
}

/// Every account's [`AccountIam`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamState {
    /// [`IAM_STATE_FORMAT`].
    pub format: u32,
    /// The accounts.
    pub accounts: Vec<AccountIam>,
}

impl World {
    /// The world's roles, groups and customer managed policies.
    pub fn iam_state(&self) -> IamState {
        IamState {
            format: IAM_STATE_FORMAT,
            accounts: self
                .accounts
                .iter()
                .map(|a| AccountIam {
                    id: a.id.clone(),
                    roles: a.roles.clone(),
                    groups: a.groups.clone(),
                    policies: a.policies.clone(),
                })
                .collect(),
        }
    }

    /// Puts back a kept [`IamState`]: accounts the world has take its roles, groups and
    /// policies. The result is checked as a world file is (a tampered or outdated state is
    /// refused whole, and the world stays as it was).
    pub fn restore_iam(&mut self, state: IamState) -> Result<(), WorldError> {
        if state.format != IAM_STATE_FORMAT {
            return Err(WorldError {
                path: "format".into(),
                message: format!(
                    "IAM state format {} is not {IAM_STATE_FORMAT}",
                    state.format
                ),
            });
        }
        let mut accounts = self.accounts.clone();
        for kept in state.accounts {
            if let Some(account) = accounts.iter_mut().find(|a| a.id == kept.id) {
                account.roles = kept.roles;
                account.groups = kept.groups;
                account.policies = kept.policies;
            }
        }
        let candidate = self.with_accounts(accounts);
        candidate.check()?;
        self.accounts = candidate.accounts;
        Ok(())
    }
}
