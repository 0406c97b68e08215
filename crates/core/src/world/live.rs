//! What the operations keep between calls: the live sessions, MFA codes used and failed, and
//! the authorization messages refusals carried. Plain data the operations read and change;
//! runtime state of a world, never saved with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Sessions;
use crate::clock::Timestamp;

/// Per MFA device: the steps whose codes were used (a code works once, as in AWS), and the
/// recent failures (so codes cannot be guessed without limit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MfaGuard {
    pub(crate) used: BTreeMap<String, Vec<u64>>,
    pub(crate) failures: BTreeMap<String, (u32, Timestamp)>,
}

/// A refusal's decoded authorization message, and the account whose principals may decode it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationMessage {
    /// The refused caller's account.
    pub account: crate::validation::AccountId,
    /// The JSON DecodeAuthorizationMessage answers.
    pub decoded: String,
}

/// The authorization messages refusals carried, by token, the newest kept (runtime state of a
/// world: never saved).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthorizationMessages {
    /// Whether refusals carry messages at all (the endpoint's `--authorization-messages`):
    /// when not, none is written, so a refusal costs no more than before.
    pub enabled: bool,
    pub(crate) kept: std::collections::VecDeque<(String, AuthorizationMessage)>,
}

/// How many authorization messages a world keeps.
pub const AUTHORIZATION_MESSAGES_MAX: usize = 1_000;

/// The live state of a world, beside its accounts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// Live sessions by access key id.
    pub sessions: Sessions,
    /// MFA codes used and failures, per device.
    pub mfa_guard: MfaGuard,
    /// Authorization messages refusals carried.
    pub authorization_messages: AuthorizationMessages,
    /// The audit trail: who did what, in CloudTrail's record format.
    pub trail: super::trail::Trail,
    /// The federation endpoint's sign-in tokens.
    pub signin_tokens: super::signin_tokens::SigninTokens,
}
