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
