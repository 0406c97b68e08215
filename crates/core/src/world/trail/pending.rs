//! A call to record, before it is a record: what the operation knew (who, from where, what was
//! asked and answered, the outcome), with its ids already drawn. Making one moves what the
//! operation built; turning it into records ([`Pending::assemble`]) is where texts are shared
//! and the records made, which the emulator does after its world's lock, so that no other
//! request waits for it.

use std::net::IpAddr;
use std::sync::Arc;

use super::{
    AssumeRoleFacts, EventId, Interned, Json, TrailEvent, TrailResource, UserIdentity,
    EVENT_VERSION,
};
use crate::clock::Timestamp;
use crate::validation::AccountId;

/// The user agent recorded when the request named none (the in-browser mock's calls).
pub const CONSOLE_USER_AGENT: &str = "crossrole console";

/// The address recorded when the request's is unknown: the in-browser mock runs in the
/// person's own browser, so its calls come from this machine.
pub const LOCAL_ADDRESS: &str = "127.0.0.1";

/// A call to record: everything but who made it and what came of it.
#[derive(Clone, Debug, PartialEq)]
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
    /// What the parameters, answer and resources are written from when the record is made
    /// (AssumeRole's), instead of being written already.
    pub facts: Option<Arc<AssumeRoleFacts>>,
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
            facts: None,
        }
    }
}

/// A call, its caller and its outcome, waiting to become its records.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Who made it.
    pub identity: Arc<UserIdentity>,
    /// The client's address, if known.
    pub source_ip: Option<IpAddr>,
    /// The client's user agent, if it sent one.
    pub user_agent: Option<String>,
    /// What was asked and answered.
    pub call: Recorded,
    /// The refusal's code and message, for a call that failed.
    pub error: Option<(&'static str, String)>,
    /// Another account that records it too (the role's, for a cross-account call); for a
    /// call written later ([`Recorded::facts`]), its facts name it.
    pub also: Option<AccountId>,
    /// The id of that account's record and the id both records share, used only when it is
    /// another account than the caller's.
    pub other_ids: (EventId, EventId),
    /// When.
    pub at: Timestamp,
    /// The id of the caller's own record.
    pub event_id: EventId,
}

/// Where records share the values they repeat (see [`Interned`]): one per trail, or one per
/// thread that assembles records outside it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sharing {
    /// Names, regions, addresses, user agents, accounts, messages.
    pub texts: Interned<str, 32>,
    /// Callers.
    pub identities: Interned<UserIdentity, 8>,
    /// Resources.
    pub resources: Interned<[TrailResource], 8>,
}

impl Pending {
    /// The records: the caller's account's, then, for a call another account records too,
    /// that account's, which sees the caller as an account (IAM User Guide, "Logging IAM and
    /// AWS STS API calls with AWS CloudTrail": one `sharedEventID` for both).
    pub fn assemble(self, sharing: &mut Sharing) -> (TrailEvent, Option<TrailEvent>) {
        let Pending {
            identity,
            source_ip,
            user_agent,
            mut call,
            error,
            also,
            other_ids: (their_id, shared_id),
            at,
            event_id,
        } = self;
        let also = match call.facts.take() {
            Some(facts) => facts.fill(&mut call),
            None => also,
        };
        let other = also.filter(|a| a.as_str() != identity.account_id);
        let texts = &mut sharing.texts;
        let (error_code, error_message) = match error {
            None => (None, None),
            Some((code, message)) => (Some(code.into()), Some(texts.text(&message))),
        };
        let source_ip_address = match source_ip {
            Some(ip) => texts.text(&ip.to_string()),
            None => texts.text(LOCAL_ADDRESS),
        };
        let resources = sharing
            .resources
            .share(&call.resources, || call.resources.as_slice().into());
        let event = TrailEvent {
            event_version: EVENT_VERSION.into(),
            recipient_account_id: texts.text(&identity.account_id),
            user_identity: sharing.identities.share_arc(identity.clone()),
            event_time: at,
            event_source: call.source.into(),
            event_name: texts.text(&call.name),
            aws_region: texts.text(&call.region),
            source_ip_address,
            user_agent: texts.text(user_agent.as_deref().unwrap_or(CONSOLE_USER_AGENT)),
            error_code,
            error_message,
            request_parameters: call.request_parameters,
            response_elements: call.response_elements,
            additional_event_data: call.additional,
            request_id: call.request_id,
            event_id,
            read_only: call.read_only,
            resources,
            event_type: call.event_type.into(),
            management_event: true,
            shared_event_id: other.as_ref().map(|_| shared_id),
            event_category: "Management".into(),
        };
        let theirs = other.map(|account| {
            let as_account = UserIdentity {
                kind: "AWSAccount".into(),
                principal_id: identity.principal_id.clone(),
                account_id: identity.account_id.clone(),
                ..UserIdentity::default()
            };
            let mut theirs = event.clone();
            theirs.user_identity = sharing.identities.share_owned(as_account);
            theirs.event_id = their_id;
            theirs.recipient_account_id = sharing.texts.text(account.as_str());
            theirs
        });
        (event, theirs)
    }
}
