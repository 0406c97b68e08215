//! CloudTrail LookupEvents over the audit trail (AWS CloudTrail API Reference, "LookupEvents"):
//! an account's own events, newest first, narrowed by one lookup attribute and a time range,
//! in pages of at most 50. Authorised as `cloudtrail:LookupEvents`.

use sha2::{Digest, Sha256};

use crate::clock::Timestamp;
use crate::fault::ErrorCode;
use crate::world::trail::{TrailEvent, RETENTION_SECONDS};
use crate::world::World;

use super::{ApiError, Presented};

/// The most events one page holds (and the default).
pub const MAX_RESULTS: i64 = 50;

/// One lookup attribute: a key LookupEvents takes and the value to match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupAttribute {
    /// `EventId`, `EventName`, `ReadOnly`, `Username`, `ResourceType`, `ResourceName`,
    /// `EventSource` or `AccessKeyId`.
    pub key: String,
    /// The value an event must have.
    pub value: String,
}

/// A LookupEvents request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupEvents {
    /// At most one attribute (CloudTrail takes one).
    pub attributes: Vec<LookupAttribute>,
    /// The earliest event time wanted (default: 90 days ago).
    pub start: Option<Timestamp>,
    /// The latest (default: now).
    pub end: Option<Timestamp>,
    /// The page's size, 1–50 (default 50).
    pub max_results: Option<i64>,
    /// Where the previous page stopped.
    pub next_token: Option<String>,
}

/// A page of events, newest first, and the token for the next when there is one.
#[derive(Clone, Debug, PartialEq)]
pub struct LookupPage {
    /// The events.
    pub events: Vec<TrailEvent>,
    /// The next page's token.
    pub next_token: Option<String>,
}

fn invalid(code: ErrorCode, message: &str) -> ApiError {
    ApiError::new(code, message)
}

/// Whether `event` has the attribute's value.
fn matches(event: &TrailEvent, a: &LookupAttribute) -> bool {
    let v = a.value.as_str();
    match a.key.as_str() {
        "EventId" => event.event_id == *v,
        "EventName" => &*event.event_name == v,
        "ReadOnly" => event.read_only.to_string() == v,
        "Username" => event.username().as_deref() == Some(v),
        "ResourceType" => event.resources.iter().any(|r| r.kind == v),
        "ResourceName" => event.resources.iter().any(|r| r.arn == v),
        "EventSource" => event.event_source == v,
        "AccessKeyId" => event.user_identity.access_key_id.as_deref() == Some(v),
        _ => false,
    }
}

/// What a token is bound to: the lookup's attribute and time range, so that a token from
/// another lookup is refused rather than misread.
fn fingerprint(
    account: &str,
    a: Option<&LookupAttribute>,
    start: Timestamp,
    end: Timestamp,
) -> String {
    let text = format!(
        "{account}\n{}\n{}\n{}\n{}",
        a.map_or("", |a| a.key.as_str()),
        a.map_or("", |a| a.value.as_str()),
        start.seconds(),
        end.seconds()
    );
    crate::sigv4::hex(&Sha256::digest(text.as_bytes())[..8])
}

impl World {
    /// Whether the caller may look events up at all: the answer to LookupEvents is a refusal
    /// that no event changes otherwise.
    pub fn cloudtrail_may_look_up(&self, presented: Presented<'_>, now: Timestamp) -> bool {
        self.cloudtrail_account(presented, now).is_ok()
    }

    /// The account whose events the caller may look up.
    fn cloudtrail_account(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<String, ApiError> {
        let caller = self.authenticate(presented, now)?;
        self.authorize(&caller, "cloudtrail:LookupEvents", "*", now)?;
        Ok(caller.identity.account().to_string())
    }

    /// CloudTrail LookupEvents: the caller's account's events, as `request` narrows them.
    pub fn cloudtrail_lookup_events(
        &self,
        presented: Presented<'_>,
        request: &LookupEvents,
        now: Timestamp,
    ) -> Result<LookupPage, ApiError> {
        let account = self.cloudtrail_account(presented, now)?;
        let attribute = match request.attributes.as_slice() {
            [] => None,
            [a] => Some(a),
            _ => {
                return Err(invalid(
                    ErrorCode::InvalidLookupAttributes,
                    "You can specify only one lookup attribute.",
                ))
            }
        };
        const KEYS: [&str; 8] = [
            "EventId",
            "EventName",
            "ReadOnly",
            "Username",
            "ResourceType",
            "ResourceName",
            "EventSource",
            "AccessKeyId",
        ];
        if let Some(a) = attribute.filter(|a| !KEYS.contains(&a.key.as_str())) {
            return Err(invalid(
                ErrorCode::InvalidLookupAttributes,
                &format!(
                    "{:?} is not a lookup attribute; use one of {}",
                    a.key,
                    KEYS.join(", ")
                ),
            ));
        }
        let max = request.max_results.unwrap_or(MAX_RESULTS);
        if !(1..=MAX_RESULTS).contains(&max) {
            return Err(invalid(
                ErrorCode::InvalidMaxResults,
                "MaxResults must be from 1 to 50.",
            ));
        }
        let end = request.end.unwrap_or(now);
        let start = request.start.unwrap_or(now.plus(-RETENTION_SECONDS));
        if start > end {
            return Err(invalid(
                ErrorCode::InvalidTimeRange,
                "The start time is after the end time.",
            ));
        }
        let bound = fingerprint(&account, attribute, start, end);
        let mut found = self
            .live
            .trail
            .events()
            .rev()
            .filter(|e| *e.recipient_account_id == *account)
            .filter(|e| (start..=end).contains(&e.time()))
            .filter(|e| attribute.is_none_or(|a| matches(e, a)))
            .peekable();
        if let Some(token) = &request.next_token {
            let bad = || {
                invalid(
                    ErrorCode::InvalidNextToken,
                    "The NextToken is not valid for this lookup.",
                )
            };
            let (bound_to, event_id) = token.split_once(':').ok_or_else(bad)?;
            if bound_to != bound {
                return Err(bad());
            }
            while found.peek().is_some_and(|e| e.event_id != *event_id) {
                found.next();
            }
            found.peek().ok_or_else(bad)?;
        }
        let events: Vec<TrailEvent> = found.by_ref().take(max as usize).cloned().collect();
        let next_token = found.peek().map(|e| format!("{bound}:{}", e.event_id));
        Ok(LookupPage { events, next_token })
    }
}
