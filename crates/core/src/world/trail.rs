//! The audit trail: events in CloudTrail's own record format (CloudTrail User Guide, "CloudTrail
//! record contents" and "CloudTrail userIdentity element"), kept per recipient account, newest
//! last, bounded in count and in age (CloudTrail's Event history keeps 90 days).
//!
//! A record never holds a secret: no secret key, session token, password or MFA code is ever
//! given to it (the operations build records from identifiers only), and the tests scan every
//! record for each of them.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

mod assume_role;
mod callers;
mod parts;
mod pending;
pub(crate) use assume_role::Credentials;
pub use assume_role::{role_named, role_resource, AssumeRoleAsked, AssumeRoleFacts, AssumedFacts};
pub use callers::Callers;
use parts::iso8601;
pub use parts::{Element, EventId, Interned, Json};
pub use pending::{Pending, Recorded, Sharing, CONSOLE_USER_AGENT, LOCAL_ADDRESS};

/// The `eventVersion` crossrole writes (CloudTrail's current record version).
pub const EVENT_VERSION: &str = "1.09";

/// How long events are kept: CloudTrail's Event history, 90 days.
pub const RETENTION_SECONDS: i64 = 90 * 24 * 3600;

/// How many events a trail keeps by default (the oldest go first): about 20 MB of records.
pub const DEFAULT_MAX_EVENTS: usize = 10_000;

/// How many pushed-out events wait for a taker who frees them per request
/// ([`Trail::work_outside`]); beyond it they are freed at once.
pub(crate) const RETIRED_MAX: usize = 4096;

/// How many calls wait for a taker who assembles them per request ([`Trail::work_outside`]);
/// beyond it they are assembled at once.
pub(crate) const PENDING_MAX: usize = 4096;

/// A record's text: the fixed words of the format (`AwsApiCall`, `Role`, …) are borrowed, not
/// allocated for every event.
pub type Text = Cow<'static, str>;

/// One event, as CloudTrail writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrailEvent {
    /// The record format's version.
    pub event_version: Text,
    /// Who made the request.
    pub user_identity: Arc<UserIdentity>,
    /// When (written in ISO 8601, UTC, seconds).
    #[serde(with = "iso8601")]
    pub event_time: Timestamp,
    /// The service: `sts.amazonaws.com`, `iam.amazonaws.com`, `signin.amazonaws.com`, …
    pub event_source: Text,
    /// The action: `AssumeRole`, `ConsoleLogin`, `SwitchRole`, `PutRolePolicy`, …
    pub event_name: Arc<str>,
    /// The region the request was made to.
    pub aws_region: Arc<str>,
    /// The client's address (or, without one, the service that called for it).
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: Arc<str>,
    /// The client's user agent.
    pub user_agent: Arc<str>,
    /// The error's code, when the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Text>,
    /// The error's message, when the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Arc<str>>,
    /// The request's parameters (never a secret).
    pub request_parameters: Json,
    /// What the answer carried that matters (never a secret).
    pub response_elements: Json,
    /// More about the event (`MFAUsed` of a sign-in, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_event_data: Option<Json>,
    /// The request's id.
    #[serde(rename = "requestID", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The event's unique id.
    #[serde(rename = "eventID")]
    pub event_id: EventId,
    /// Whether the request only read.
    pub read_only: bool,
    /// The resources it acted on.
    #[serde(default, skip_serializing_if = "<[TrailResource]>::is_empty")]
    pub resources: Arc<[TrailResource]>,
    /// `AwsApiCall` or `AwsConsoleSignIn`.
    pub event_type: Text,
    /// Always true: these are management events.
    pub management_event: bool,
    /// The account whose trail this record is in.
    pub recipient_account_id: Arc<str>,
    /// The id both accounts' records of one cross-account request share.
    #[serde(
        rename = "sharedEventID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shared_event_id: Option<EventId>,
    /// Always `Management`.
    pub event_category: Text,
}

/// A resource an event acted on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailResource {
    /// Its ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// Its account.
    #[serde(rename = "accountId")]
    pub account_id: String,
    /// Its type, as CloudFormation names it (`AWS::IAM::Role`).
    #[serde(rename = "type")]
    pub kind: Text,
}

/// The `userIdentity` element: who made the request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// `IAMUser`, `AssumedRole`, `Root` or, in the role's account for another account's
    /// caller, `AWSAccount`.
    #[serde(rename = "type")]
    pub kind: Text,
    /// The principal's unique id (`AIDA…`, `AROA…:session`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// The principal's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The principal's account.
    pub account_id: String,
    /// The access key id the request was signed with (an identifier, not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// The user's name (IAM users, root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The session the request was made with, if temporary credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<SessionContext>,
}

/// `sessionContext`: how the caller's session began.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext {
    /// Its attributes.
    pub attributes: SessionAttributes,
    /// The role the session belongs to, for role sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_issuer: Option<SessionIssuer>,
    /// The session's source identity, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
}

/// `sessionContext.attributes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAttributes {
    /// `"true"` when MFA was proven for the session (CloudTrail writes a string).
    pub mfa_authenticated: String,
    /// When the session began.
    pub creation_date: String,
}

/// `sessionContext.sessionIssuer`: the role a session belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer {
    /// Always `Role`.
    #[serde(rename = "type")]
    pub kind: Text,
    /// The role's unique id.
    pub principal_id: String,
    /// The role's ARN.
    pub arn: String,
    /// The role's account.
    pub account_id: String,
    /// The role's name.
    pub user_name: String,
}

impl TrailEvent {
    /// The record as CloudTrail's JSON text (what LookupEvents' `CloudTrailEvent` and an audit
    /// log line carry).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The name LookupEvents' `Username` gives the event: the user's name, or the role
    /// session's name.
    pub fn username(&self) -> Option<String> {
        let identity = &self.user_identity;
        if let Some(name) = &identity.user_name {
            return Some(name.clone());
        }
        let arn = identity.arn.as_deref()?;
        arn.contains(":assumed-role/")
            .then(|| arn.rsplit('/').next().map(str::to_owned))
            .flatten()
    }

    /// When it happened.
    pub fn time(&self) -> Timestamp {
        self.event_time
    }
}

/// The events an engine keeps, oldest first, at most `max` of them and none older than
/// [`RETENTION_SECONDS`].
///
/// Events are shared (`Arc`), not copied, with whoever drains the new ones for files. An owner
/// that holds the trail under a lock (the emulator's world) may take the trail's work outside
/// it ([`Trail::work_outside`]): the calls to record wait to be assembled into records, and the
/// events the bound pushes out wait to be freed, by the owner after its lock, where that work
/// holds up no other request.
#[derive(Clone, Debug, PartialEq)]
pub struct Trail {
    events: VecDeque<Arc<TrailEvent>>,
    max: usize,
    /// Events recorded since the last [`Trail::take_new`] (for an audit log).
    new: Vec<Arc<TrailEvent>>,
    /// Events pushed out by the bound since the last [`Trail::take_new`].
    retired: Vec<Arc<TrailEvent>>,
    /// Whether new events are also kept for [`Trail::take_new`].
    pub keep_new: bool,
    /// Whether calls wait in [`Trail::take_pending`] to be assembled, and the events the bound
    /// pushes out in [`Trail::take_retired`] (or [`Trail::take_new`]) to be freed, by the
    /// owner outside its lock, instead of at once.
    pub work_outside: bool,
    /// Calls waiting to be assembled (while [`Trail::work_outside`]).
    pending: Vec<Pending>,
    /// Whether events are recorded at all (the bench compares with and without).
    pub enabled: bool,
    /// Where records assembled here share what they repeat.
    sharing: Sharing,
    /// The last few callers' `userIdentity`.
    pub callers: Callers,
}

/// Events the bound pushed out, held only to be dropped where their taker chooses (dropping
/// this frees them: do it outside any lock).
#[derive(Debug, Default)]
pub struct Retired {
    _events: Vec<Arc<TrailEvent>>,
}

/// What [`Trail::take_new`] hands over: the new events, and the retired ones (dropping this
/// frees them: do it outside any lock).
#[derive(Debug, Default)]
pub struct NewEvents {
    /// The events recorded since the last take, oldest first.
    pub events: Vec<Arc<TrailEvent>>,
    /// Held only to be dropped where the taker chooses.
    _retired: Retired,
}

impl Default for Trail {
    fn default() -> Self {
        Self::with_max(DEFAULT_MAX_EVENTS)
    }
}

impl Trail {
    /// An empty trail keeping at most `max` events.
    pub fn with_max(max: usize) -> Self {
        Self {
            events: VecDeque::new(),
            max,
            new: Vec::new(),
            retired: Vec::new(),
            keep_new: false,
            work_outside: false,
            pending: Vec::new(),
            enabled: true,
            sharing: Sharing::default(),
            callers: Callers::default(),
        }
    }

    /// Records a call: assembled into its records now or, while [`Trail::work_outside`], kept
    /// for [`Trail::take_pending`].
    pub fn add(&mut self, pending: Pending) {
        if !self.enabled {
            return;
        }
        // Bounded, should a taker forget to take them.
        if self.work_outside && self.pending.len() < PENDING_MAX {
            self.pending.push(pending);
            return;
        }
        let records = pending.assemble(&mut self.sharing);
        self.record_call(records);
    }

    /// Keeps a call's records: another account's first, then the caller's.
    pub fn record_call<E: Into<Arc<TrailEvent>>>(&mut self, (ours, theirs): (E, Option<E>)) {
        if let Some(theirs) = theirs {
            self.record(theirs);
        }
        self.record(ours);
    }

    /// The calls waiting to be assembled, oldest first (only while [`Trail::work_outside`]).
    pub fn take_pending(&mut self) -> Vec<Pending> {
        std::mem::take(&mut self.pending)
    }

    /// Keeps `event` (shared as it is, if it already is), forgetting the oldest beyond the
    /// bound.
    pub fn record(&mut self, event: impl Into<Arc<TrailEvent>>) {
        if !self.enabled {
            return;
        }
        let event = event.into();
        if self.keep_new {
            self.new.push(event.clone());
        }
        self.events.push_back(event);
        while self.events.len() > self.max {
            if let Some(old) = self.events.pop_front() {
                // Bounded too, should a taker forget to take them.
                if self.keep_new || (self.work_outside && self.retired.len() < RETIRED_MAX) {
                    self.retired.push(old);
                }
            }
        }
    }

    /// Forgets the events older than CloudTrail's 90 days at `now`.
    pub fn expire(&mut self, now: Timestamp) {
        let oldest = now.plus(-RETENTION_SECONDS);
        while self.events.front().is_some_and(|e| e.time() < oldest) {
            self.events.pop_front();
        }
    }

    /// Every kept event, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &TrailEvent> {
        self.events.iter().map(Arc::as_ref)
    }

    /// Every kept event, oldest first, shared (not copied).
    pub fn shared(&self) -> Vec<Arc<TrailEvent>> {
        self.events.iter().cloned().collect()
    }

    /// How many events are kept.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events recorded since the last call (only while [`Trail::keep_new`]).
    pub fn take_new(&mut self) -> NewEvents {
        NewEvents {
            events: std::mem::take(&mut self.new),
            _retired: self.take_retired(),
        }
    }

    /// The events the bound pushed out since the last take (only while
    /// [`Trail::work_outside`] or [`Trail::keep_new`]), for the taker to free.
    pub fn take_retired(&mut self) -> Retired {
        Retired {
            _events: std::mem::take(&mut self.retired),
        }
    }

    /// How many pushed-out events wait to be freed.
    pub fn retired_len(&self) -> usize {
        self.retired.len()
    }

    /// Puts back events kept before (a restart, a reload), oldest first, ahead of any recorded
    /// since, within the bound (the oldest go first).
    pub fn restore(&mut self, events: Vec<TrailEvent>) {
        let since = std::mem::take(&mut self.events);
        self.events = events.into_iter().map(Arc::new).chain(since).collect();
        while self.events.len() > self.max {
            self.events.pop_front();
        }
    }
}
