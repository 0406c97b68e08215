//! Recording calls in the audit trail ([`crate::world::trail`]): who made them (the
//! `userIdentity` element), what they asked (never a secret), what came of it, and for a
//! cross-account AssumeRole a second record in the role's account with one `sharedEventID`, as
//! CloudTrail does (IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail",
//! "Example cross-account AWS STS API events").

use std::sync::Arc;

use rand_core::RngCore;
use serde_json::{json, Value};

use crate::arn::unique_id;
use crate::clock::Timestamp;
use crate::validation::AccountId;
use crate::world::trail::{
    EventId, Json, Pending, SessionAttributes, SessionContext, SessionIssuer, UserIdentity,
};
use crate::world::{Identity, World};

use super::{ApiError, Authenticated, Origin};

mod console;
pub use console::HIDDEN_USER_NAME;

pub use crate::world::trail::{Recorded, CONSOLE_USER_AGENT, LOCAL_ADDRESS};

pub use crate::world::trail::{role_named, role_resource};

/// A random UUID (version 4), the form CloudTrail's event ids and AWS's request ids take.
pub fn random_uuid(rng: &mut dyn RngCore) -> String {
    EventId::random(rng).to_string()
}

impl World {
    /// The `userIdentity` of `caller`, who signed with `access_key_id`.
    pub(crate) fn user_identity(
        &self,
        caller: &Authenticated,
        access_key_id: Option<&str>,
    ) -> UserIdentity {
        let arn = caller.identity.arn(self).to_string();
        let account = caller.identity.account().to_string();
        let context = caller.session.as_ref().map(|s| SessionContext {
            attributes: SessionAttributes {
                mfa_authenticated: s.mfa_at.is_some().to_string(),
                creation_date: s.issued_at.to_iso8601(),
            },
            session_issuer: match &caller.identity {
                Identity::AssumedRole { role, .. } => {
                    let role_id = self.session_role_id(caller);
                    let path = s.role_path.as_ref().map_or("/", |p| p.as_str());
                    Some(SessionIssuer {
                        kind: "Role".into(),
                        principal_id: role_id,
                        arn: format!("arn:aws:iam::{account}:role{path}{role}"),
                        account_id: account.clone(),
                        user_name: role.to_string(),
                    })
                }
                _ => None,
            },
            source_identity: s.extras.as_ref().and_then(|e| e.source_identity.clone()),
        });
        let (kind, principal_id, user_name) = match &caller.identity {
            Identity::Root { account } => ("Root", account.to_string(), None),
            Identity::User { name, .. } => {
                ("IAMUser", unique_id("AIDA", &arn), Some(name.to_string()))
            }
            Identity::AssumedRole { session, .. } => (
                "AssumedRole",
                format!("{}:{session}", self.session_role_id(caller)),
                None,
            ),
        };
        UserIdentity {
            kind: kind.into(),
            principal_id: Some(principal_id),
            arn: Some(arn),
            account_id: account,
            access_key_id: access_key_id.map(str::to_owned),
            user_name,
            session_context: context,
        }
    }

    /// Records `call` by `identity` from `origin`, answered with `outcome`, in the trail of the
    /// identity's account; and when `also` names another account (the role's, for a
    /// cross-account AssumeRole), in that account's too, as CloudTrail shows it there: the
    /// caller as an `AWSAccount`, one `sharedEventID` for both.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        rng: &mut dyn RngCore,
        identity: impl Into<Arc<UserIdentity>>,
        origin: &Origin,
        call: Recorded,
        outcome: Result<(), &ApiError>,
        also: Option<&AccountId>,
        now: Timestamp,
    ) {
        if !self.live.trail.enabled {
            return;
        }
        let identity = identity.into();
        // Only what the call knew is gathered here (moved, not copied); the records are made
        // by the trail, or by its owner outside its lock (`Trail::work_outside`).
        let error = outcome
            .err()
            .map(|e| (e.code.query_code(), e.message.clone()));
        self.live.trail.add(Pending {
            identity,
            source_ip: origin.source_ip,
            user_agent: origin.user_agent.clone(),
            call,
            error,
            also: also.cloned(),
            other_ids: (EventId::random(rng), EventId::random(rng)),
            at: now,
            event_id: EventId::random(rng),
        });
    }

    /// Records `call`, made with the key `access_key_id`, if the key still names a caller
    /// (a call that could not be authenticated is not recorded: CloudTrail logs authenticated
    /// requests).
    #[allow(clippy::too_many_arguments)]
    pub fn record_call(
        &mut self,
        rng: &mut dyn RngCore,
        presented: super::Presented<'_>,
        call: Recorded,
        outcome: Result<(), &ApiError>,
        also: Option<&AccountId>,
        now: Timestamp,
    ) {
        if !self.live.trail.enabled {
            return;
        }
        let Ok(caller) = self.authenticate(presented, now) else {
            return;
        };
        let key = presented.access_key_id;
        let began = caller.session.as_ref().map(|s| s.issued_at);
        let known = self.live.trail.callers.get(key, &caller.identity, began);
        let identity = known.unwrap_or_else(|| {
            let built = Arc::new(self.user_identity(&caller, Some(key)));
            let callers = &mut self.live.trail.callers;
            callers.remember(key, &caller.identity, began, built.clone());
            built
        });
        self.record(rng, identity, &caller.origin, call, outcome, also, now);
    }

    /// Records `call` if `outcome` is a refusal (`AccessDenied`): the calls that only read
    /// are recorded only when refused.
    pub fn record_if_refused(
        &mut self,
        rng: &mut dyn RngCore,
        presented: super::Presented<'_>,
        call: impl FnOnce() -> Recorded,
        outcome: Result<(), &ApiError>,
        now: Timestamp,
    ) {
        if let Err(e) = outcome {
            if e.code == crate::fault::ErrorCode::AccessDenied {
                self.record_call(rng, presented, call(), Err(e), None, now);
            }
        }
    }

    /// Records the call that issued `issued`, as `call` writes it (with the role's account,
    /// which records it too), and hands `issued` back. `call` runs only when the trail records:
    /// with it off, nothing is written for it.
    pub(crate) fn record_issued(
        &mut self,
        rng: &mut dyn RngCore,
        presented: super::Presented<'_>,
        issued: Result<super::Issued, ApiError>,
        now: Timestamp,
        call: impl FnOnce(&World, &Result<super::Issued, ApiError>) -> (Recorded, Option<AccountId>),
    ) -> Result<super::Issued, ApiError> {
        if self.live.trail.enabled {
            let (call, also) = call(self, &issued);
            let outcome = issued.as_ref().map(drop);
            self.record_call(rng, presented, call, outcome, also.as_ref(), now);
        }
        issued
    }
}

/// A JSON object of the given parameters, leaving out those not given (`null` when none is).
pub fn parameters<const N: usize>(pairs: [(&str, Option<Value>); N]) -> Json {
    let map: serde_json::Map<String, Value> = pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect();
    if map.is_empty() {
        Json::null()
    } else {
        Json::of(&map)
    }
}

/// `{"ConsoleLogin": "Success"}` or `"Failure"`: a sign-in's answer as CloudTrail writes it.
pub fn console_login_result(ok: bool) -> Json {
    Json::of(&json!({ "ConsoleLogin": if ok { "Success" } else { "Failure" } }))
}
