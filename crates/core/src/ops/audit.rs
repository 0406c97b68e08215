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
    EventId, Json, SessionAttributes, SessionContext, SessionIssuer, TrailEvent, TrailResource,
    UserIdentity, EVENT_VERSION,
};
use crate::world::{Identity, World};

use super::{ApiError, Authenticated, Origin};

mod console;
pub use console::HIDDEN_USER_NAME;

/// The user agent recorded when the request named none (the in-browser mock's calls).
pub const CONSOLE_USER_AGENT: &str = "crossrole console";

/// The address recorded when the request's is unknown: the in-browser mock runs in the
/// person's own browser, so its calls come from this machine.
pub const LOCAL_ADDRESS: &str = "127.0.0.1";

/// A call to record: everything but who made it and what came of it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `sts.amazonaws.com`, `iam.amazonaws.com`, `signin.amazonaws.com`, …
    pub source: &'static str,
    /// The action's name.
    pub name: String,
    /// Whether it only reads.
    pub read_only: bool,
    /// The region it was made to.
    pub region: String,
    /// Its parameters (never a secret).
    pub request_parameters: Json,
    /// What its answer carried that matters (never a secret); `null` for a failure.
    pub response_elements: Json,
    /// More about it (a sign-in's `MFAUsed`).
    pub additional: Option<Json>,
    /// The resources it acted on.
    pub resources: Vec<TrailResource>,
    /// `AwsApiCall` or `AwsConsoleSignIn`.
    pub event_type: &'static str,
    /// The request's id, when the protocol gave it one.
    pub request_id: Option<String>,
}

impl Recorded {
    /// An API call of `source` named `name`, made to `region`.
    pub fn api(source: &'static str, name: &str, read_only: bool, region: &str) -> Self {
        Self {
            source,
            name: name.to_owned(),
            read_only,
            region: region.to_owned(),
            request_parameters: Json::null(),
            response_elements: Json::null(),
            additional: None,
            resources: Vec::new(),
            event_type: "AwsApiCall",
            request_id: None,
        }
    }
}

/// A role as a record's resource.
pub fn role_resource(arn: &str, account: &str) -> TrailResource {
    TrailResource {
        arn: arn.to_owned(),
        account_id: account.to_owned(),
        kind: "AWS::IAM::Role".into(),
    }
}

/// The role `arn` names, as a record's resources, and its account (which records a
/// cross-account switch too); nothing when `arn` is no role's.
pub fn role_named(arn: &str) -> (Vec<TrailResource>, Option<AccountId>) {
    match arn.parse::<crate::arn::Arn>() {
        Ok(crate::arn::Arn::Role { account, .. }) => {
            (vec![role_resource(arn, account.as_str())], Some(account))
        }
        _ => (Vec::new(), None),
    }
}

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
        identity: UserIdentity,
        origin: &Origin,
        call: Recorded,
        outcome: Result<(), &ApiError>,
        also: Option<&AccountId>,
        now: Timestamp,
    ) {
        if !self.live.trail.enabled {
            return;
        }
        let trail = &mut self.live.trail;
        let (error_code, error_message) = match outcome {
            Ok(()) => (None, None),
            Err(e) => (
                Some(e.code.query_code().into()),
                Some(trail.texts.text(&e.message)),
            ),
        };
        let other = also.filter(|a| a.as_str() != identity.account_id);
        let shared = other.map(|_| EventId::random(rng));
        // The record's repeated parts are shared with the records before it (see `Interned`).
        let source_ip_address = match origin.source_ip {
            Some(ip) => trail.texts.text(&ip.to_string()),
            None => trail.texts.text(LOCAL_ADDRESS),
        };
        let user_agent = trail
            .texts
            .text(origin.user_agent.as_deref().unwrap_or(CONSOLE_USER_AGENT));
        let resources = trail
            .resources
            .share(&call.resources, || call.resources.as_slice().into());
        let mut event = TrailEvent {
            event_version: EVENT_VERSION.into(),
            recipient_account_id: trail.texts.text(&identity.account_id),
            user_identity: trail
                .identities
                .share(&identity, || Arc::new(identity.clone())),
            event_time: now,
            event_source: call.source.into(),
            event_name: trail.texts.text(&call.name),
            aws_region: trail.texts.text(&call.region),
            source_ip_address,
            user_agent,
            error_code,
            error_message,
            request_parameters: call.request_parameters,
            response_elements: call.response_elements,
            additional_event_data: call.additional,
            request_id: call.request_id,
            event_id: EventId::random(rng),
            read_only: call.read_only,
            resources,
            event_type: call.event_type.into(),
            management_event: true,
            shared_event_id: shared,
            event_category: "Management".into(),
        };
        if let Some(account) = other {
            // The role's account sees the caller as an account.
            let as_account = UserIdentity {
                kind: "AWSAccount".into(),
                principal_id: identity.principal_id,
                account_id: identity.account_id,
                ..UserIdentity::default()
            };
            let ours = std::mem::replace(
                &mut event.user_identity,
                trail
                    .identities
                    .share(&as_account, || Arc::new(as_account.clone())),
            );
            let mut theirs = event.clone();
            theirs.event_id = EventId::random(rng);
            theirs.recipient_account_id = trail.texts.text(account.as_str());
            event.user_identity = ours;
            trail.record(theirs);
        }
        trail.record(event);
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
        let identity = self.user_identity(&caller, Some(presented.access_key_id));
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

    /// Records `call`, which issued `issued`, and hands `issued` back; a role's account
    /// (`also`) records it too.
    pub(crate) fn record_issued(
        &mut self,
        rng: &mut dyn RngCore,
        presented: super::Presented<'_>,
        call: Recorded,
        issued: Result<super::Issued, ApiError>,
        also: Option<&AccountId>,
        now: Timestamp,
    ) -> Result<super::Issued, ApiError> {
        self.record_call(rng, presented, call, issued.as_ref().map(drop), also, now);
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
