//! Signing in from a link a terminal made (the federation endpoint's sign-in token): the
//! session it gives becomes the tab's, a role's (shown as the catalog shows the role, and kept
//! in the history, with no user to go back to) or a user's.

use crossrole_core::arn::Arn;
use crossrole_core::catalog::Catalog;
use crossrole_core::link::RoleRef;
use crossrole_core::validation::AccountRef;
use leptos::prelude::*;

use super::{ActiveRole, Console};
use crate::backend::{BackendError, BaseSession, Cancel, FederatedSession, RoleSession};

impl Console {
    /// Exchanges `token` for its session through the backend and makes it this tab's (the
    /// tab's earlier sessions end). `catalog` says how a role is shown. Answers the page to
    /// land on.
    pub async fn federated_sign_in(
        self,
        token: String,
        destination: String,
        catalog: Catalog,
        cancel: Cancel,
    ) -> Result<String, BackendError> {
        let session = self
            .backend()
            .federated_sign_in(token, destination.clone(), &cancel)
            .await?;
        self.sign_out();
        self.notice.set(None);
        match role_of(&session) {
            Some(role) => {
                let account = AccountRef::Id(session.account_id.clone());
                let shown = catalog.target_for(&account, &role);
                self.role.set(Some(ActiveRole {
                    session: RoleSession {
                        account,
                        role,
                        account_id: session.account_id,
                        arn: session.arn,
                        credentials: session.credentials,
                    },
                    display_name: shown.display_name.clone(),
                    colour: shown.colour,
                }));
                self.remember(shown);
            }
            None => {
                let user = match &session.arn {
                    Arn::User { name, .. } => name.clone(),
                    other => other.to_string(),
                };
                self.base.set(Some(BaseSession {
                    user,
                    account_label: session.account_id.to_string(),
                    account_id: session.account_id,
                    arn: session.arn,
                    mfa: session.mfa,
                    credentials: session.credentials,
                }));
            }
        }
        Ok(destination)
    }
}

/// The role a session acts as, with its path, if it is a role session.
fn role_of(session: &FederatedSession) -> Option<RoleRef> {
    let Arn::AssumedRole { role, .. } = &session.arn else {
        return None;
    };
    Some(RoleRef {
        path: session.role_path.clone().unwrap_or_default(),
        name: role.clone(),
    })
}
