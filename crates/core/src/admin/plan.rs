//! Creating a drafted role in steps, and undoing the steps made when one fails.

use super::*;

/// What the review step shows and the Create role step sends: the exact documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolePlan {
    /// The role name.
    pub name: RoleName,
    /// Its path.
    pub path: IamPath,
    /// Its ARN in the account it is created in.
    pub arn: String,
    /// The trust policy, as CreateRole receives it (pretty JSON).
    pub trust_policy: String,
    /// The permission policy, as PutRolePolicy receives it (pretty JSON).
    pub permission_policy: String,
    /// The name of that inline policy.
    pub permission_policy_name: String,
    /// MaxSessionDuration, in seconds.
    pub max_session_duration: u32,
    /// What to know before creating it.
    pub warnings: Vec<Warning>,
    /// The account its trust policy trusts (whose people may switch to it).
    pub trusted_account: AccountId,
    /// Whether its trust policy requires MFA at sign-in.
    pub require_mfa: bool,
}

/// The two halves that make a switch to a new role work, as the "Role created" page lists
/// them (IAM User Guide, "Granting a user permissions to switch roles": the role's account
/// trusts the other account, and that account's administrator grants its people
/// `sts:AssumeRole` on the role; neither half alone lets anyone switch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetUp {
    /// The half done here: the role and whom it trusts.
    pub done: String,
    /// The half still to do, and where.
    pub to_do: String,
}

/// How creating a role from a [`RolePlan`] failed; `E` is the backend's error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreateFailure<E: std::fmt::Display> {
    /// CreateRole was refused: nothing was made.
    #[error("The role was not created. {0}")]
    NotCreated(E),
    /// PutRolePolicy was refused, and the role was deleted again: nothing was left half-made.
    #[error("The role's permissions could not be added, so the role was deleted again and nothing was left half-made. {0}")]
    RolledBack(E),
    /// PutRolePolicy was refused and deleting the role failed too: the role exists without
    /// its permissions until [`RolePlan::permissions_request`] is sent again.
    #[error("The role was created but its permissions could not be added ({put}), and it could not be deleted again ({rollback}). Retry to finish it.")]
    HalfMade {
        /// Why PutRolePolicy failed.
        put: E,
        /// Why DeleteRole failed.
        rollback: E,
    },
}

impl RolePlan {
    /// The CreateRole call: name, path, trust policy, longest session.
    pub fn create_request(&self) -> IamRequest {
        IamRequest::CreateRole(NewRole {
            name: self.name.to_string(),
            path: Some(self.path.to_string()),
            trust_policy: self.trust_policy.clone(),
            description: None,
            max_session_duration: Some(self.max_session_duration),
        })
    }

    /// The PutRolePolicy call that gives the role its permissions.
    pub fn permissions_request(&self) -> IamRequest {
        IamRequest::PutRolePolicy {
            role: self.name.to_string(),
            name: self.permission_policy_name.clone(),
            document: self.permission_policy.clone(),
        }
    }

    /// The DeleteRole call that takes a role without its permissions back.
    pub fn rollback_request(&self) -> IamRequest {
        IamRequest::DeleteRole {
            role: self.name.to_string(),
        }
    }

    /// Creates the role through `call` (one IAM call each): CreateRole, then PutRolePolicy;
    /// when the second fails, DeleteRole, so that no role is left without the permissions
    /// the review showed. Only when that fails too is the role left, for a retry of
    /// [`RolePlan::permissions_request`] to finish.
    pub async fn create<E, F, Fut>(&self, mut call: F) -> Result<(), CreateFailure<E>>
    where
        E: std::fmt::Display,
        F: FnMut(IamRequest) -> Fut,
        Fut: std::future::Future<Output = Result<(), E>>,
    {
        call(self.create_request())
            .await
            .map_err(CreateFailure::NotCreated)?;
        let Err(put) = call(self.permissions_request()).await else {
            return Ok(());
        };
        match call(self.rollback_request()).await {
            Ok(()) => Err(CreateFailure::RolledBack(put)),
            Err(rollback) => Err(CreateFailure::HalfMade { put, rollback }),
        }
    }

    /// The set-up's two halves for the role, created in account `here`.
    pub fn set_up(&self, here: &AccountId) -> SetUp {
        let mfa = if self.require_mfa {
            ", and only with MFA at sign-in"
        } else {
            ""
        };
        let trusted = self.trusted_account.grouped();
        let done = if &self.trusted_account == here {
            format!("Done in this account ({}): the role {} lets this account's own people switch to it{mfa}.", here.grouped(), self.name)
        } else {
            format!(
                "Done in this account ({}): the role {} trusts account {trusted}{mfa}.",
                here.grouped(),
                self.name
            )
        };
        let to_do = if &self.trusted_account == here {
            format!("Still to do, in this account: let the people who will switch call sts:AssumeRole on {} (Grant switch access to their group). Until then their switch is denied.", self.arn)
        } else {
            format!("Still to do, in account {trusted}: its administrator lets the people who will switch call sts:AssumeRole on {} (Grant switch access to their group, signed in to that account). Until then their switch is denied.", self.arn)
        };
        SetUp { done, to_do }
    }

    /// The predefined switch link for the role in `account` (a path on the console's site).
    pub fn switch_link(
        &self,
        account: &AccountRef,
        display_name: Option<&DisplayName>,
        colour: Option<Colour>,
    ) -> String {
        switch_link(account, &self.path, &self.name, display_name, colour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(trusted: &str, require_mfa: bool) -> RoleDraft {
        RoleDraft {
            name: "AccessToProdBilling".into(),
            trusted_account: trusted.into(),
            require_mfa,
            permissions: Permissions::DynamoDbReadOnly,
            tables: vec!["Billing".into()],
            ..RoleDraft::default()
        }
    }

    fn prod() -> AccountId {
        AccountId::parse("222222222222").unwrap()
    }

    // IAM User Guide, "Granting a user permissions to switch roles": the role's trust policy
    // and the other account's sts:AssumeRole grant are both needed.
    #[test]
    fn a_cross_account_role_names_the_other_accounts_half() {
        let plan = draft("111111111111", true)
            .check("222222222222", "us-west-2")
            .unwrap();
        assert_eq!(
            plan.set_up(&prod()),
            SetUp {
                done: "Done in this account (2222-2222-2222): the role AccessToProdBilling trusts account 1111-1111-1111, and only with MFA at sign-in.".into(),
                to_do: "Still to do, in account 1111-1111-1111: its administrator lets the people who will switch call sts:AssumeRole on arn:aws:iam::222222222222:role/AccessToProdBilling (Grant switch access to their group, signed in to that account). Until then their switch is denied.".into(),
            }
        );
    }

    #[test]
    fn a_role_for_the_same_account_keeps_both_halves_here() {
        let plan = draft("222222222222", false)
            .check("222222222222", "us-west-2")
            .unwrap();
        let set_up = plan.set_up(&prod());
        assert_eq!(set_up.done, "Done in this account (2222-2222-2222): the role AccessToProdBilling lets this account's own people switch to it.");
        assert!(
            set_up.to_do.starts_with("Still to do, in this account: let the people who will switch call sts:AssumeRole on arn:aws:iam::222222222222:role/AccessToProdBilling"),
            "{}",
            set_up.to_do
        );
    }
}
