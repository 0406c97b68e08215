//! Who acts, and the temporary credentials a session gives them.

use serde::{Deserialize, Serialize};

use super::{PolicyDoc, Secret, World};
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::validation::{AccountId, IamPath, RoleName, RoleSessionName, UserName};

/// Who acts in a session or with a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Identity {
    /// The account's root user: every permission in its account, but no role switching.
    Root {
        /// The account.
        account: AccountId,
    },
    /// An IAM user.
    User {
        /// The account.
        account: AccountId,
        /// The user name.
        name: UserName,
    },
    /// A session of an assumed role.
    AssumedRole {
        /// The role's account.
        account: AccountId,
        /// The role name.
        role: RoleName,
        /// The session name.
        session: RoleSessionName,
    },
}

impl Identity {
    /// The identity's account.
    pub fn account(&self) -> &AccountId {
        match self {
            Identity::Root { account }
            | Identity::User { account, .. }
            | Identity::AssumedRole { account, .. } => account,
        }
    }

    /// The ARN STS reports for it.
    pub fn arn(&self, world: &World) -> Arn {
        match self {
            Identity::Root { account } => Arn::root(account),
            Identity::User { account, name } => Arn::User {
                account: account.clone(),
                path: world
                    .account(account)
                    .and_then(|a| a.user(name.as_str()))
                    .map(|u| u.path.clone())
                    .unwrap_or_default(),
                name: name.to_string(),
            },
            Identity::AssumedRole {
                account,
                role,
                session,
            } => Arn::AssumedRole {
                account: account.clone(),
                role: role.clone(),
                session: session.clone(),
            },
        }
    }
}

/// How a session came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionKind {
    /// Console sign-in with a password.
    Console,
    /// `sts:GetSessionToken` with a long-term key.
    SessionToken,
    /// `sts:AssumeRole`.
    AssumedRole,
    /// `sts:AssumeRole` with another role's session (role chaining).
    ChainedRole,
}

/// Temporary credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When they stop working.
    pub expiration: Timestamp,
}

impl Credentials {
    /// Whether they have stopped working at `now` (AWS: at their `Expiration`).
    pub fn expired(&self, now: Timestamp) -> bool {
        now >= self.expiration
    }
}

/// A live session: temporary credentials and what they stand for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The credentials.
    pub credentials: Credentials,
    /// Who acts with them.
    pub identity: Identity,
    /// How the session began.
    pub kind: SessionKind,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When MFA was last proven for the chain of sessions leading here, if ever.
    pub mfa_at: Option<Timestamp>,
    /// The role's path, for role sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_path: Option<IamPath>,
    /// The role's unique id (`AROA…`) when the session began: a role deleted and created
    /// again under the same name is another role, whose permissions the session never gets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// What AssumeRole's optional parameters gave a role session (shared, not copied, by
    /// every request that authenticates with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extras: Option<std::sync::Arc<SessionExtras>>,
}

/// What AssumeRole's optional parameters add to a role session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionExtras {
    /// `SourceIdentity`, set by this session or inherited through a role chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// The session policies (the inline one and the managed ones, as they were at the
    /// switch): the session may do only what one of them also allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session_policies: Vec<PolicyDoc>,
    /// Session tags (`aws:PrincipalTag/…`, over the role's own tags), with those inherited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// The tag keys that pass on to sessions this one starts by chaining.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitive_tag_keys: Vec<String>,
}

impl SessionExtras {
    /// The session tag `key` (tag keys compare case-insensitively, as IAM's do).
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}
