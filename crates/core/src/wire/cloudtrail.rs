//! CloudTrail's JSON 1.1 protocol, for LookupEvents only (AWS CloudTrail API Reference,
//! "LookupEvents"): the request's lookup attribute, time range, page size and token in; the
//! events, each with its record as JSON text, out.

use serde::Deserialize;
use serde_json::{json, Value};

use super::WireError;
use crate::ops::trail::{LookupAttribute, LookupEvents, LookupPage};

/// The `X-Amz-Target` prefix of CloudTrail's operations.
pub const TARGET_PREFIX: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

/// The content type CloudTrail's JSON 1.1 protocol answers with.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Body {
    #[serde(default)]
    lookup_attributes: Vec<Attribute>,
    start_time: Option<f64>,
    end_time: Option<f64>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attribute {
    attribute_key: String,
    attribute_value: String,
}

/// Reads a CloudTrail request: `operation` is what follows [`TARGET_PREFIX`].
pub fn parse_request(operation: &str, body: &str) -> Result<LookupEvents, WireError> {
    if operation != "LookupEvents" {
        return Err(WireError::UnknownAction(operation.to_owned()));
    }
    let body = if body.trim().is_empty() { "{}" } else { body };
    let b: Body = serde_json::from_str(body).map_err(|e| WireError::Malformed(e.to_string()))?;
    // Times are seconds since the epoch (JSON 1.1 timestamps), whole seconds kept.
    let time = |t: Option<f64>| {
        t.filter(|t| t.is_finite())
            .map(|t| crate::clock::Timestamp(t.floor().clamp(0.0, 1e13) as i64))
    };
    Ok(LookupEvents {
        attributes: b
            .lookup_attributes
            .into_iter()
            .map(|a| LookupAttribute {
                key: a.attribute_key,
                value: a.attribute_value,
            })
            .collect(),
        start: time(b.start_time),
        end: time(b.end_time),
        max_results: b.max_results,
        next_token: b.next_token,
    })
}

/// A LookupEvents request's JSON body (what a client sends).
pub fn request_body(request: &LookupEvents) -> String {
    let mut body = json!({});
    if !request.attributes.is_empty() {
        body["LookupAttributes"] = request
            .attributes
            .iter()
            .map(|a| json!({ "AttributeKey": a.key, "AttributeValue": a.value }))
            .collect();
    }
    if let Some(t) = request.start {
        body["StartTime"] = Value::from(t.seconds());
    }
    if let Some(t) = request.end {
        body["EndTime"] = Value::from(t.seconds());
    }
    if let Some(n) = request.max_results {
        body["MaxResults"] = Value::from(n);
    }
    if let Some(token) = &request.next_token {
        body["NextToken"] = Value::from(token.as_str());
    }
    body.to_string()
}

/// Reads LookupEvents' answer: each event's record (its `CloudTrailEvent` text), and the next
/// page's token.
pub fn parse_lookup_events(body: &str) -> Result<LookupPage, WireError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        #[serde(default)]
        events: Vec<Event>,
        next_token: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Event {
        cloud_trail_event: String,
    }
    let a: Answer = serde_json::from_str(body).map_err(|e| WireError::Malformed(e.to_string()))?;
    let events = a
        .events
        .iter()
        .map(|e| serde_json::from_str(&e.cloud_trail_event))
        .collect::<Result<_, _>>()
        .map_err(|e| WireError::Malformed(format!("a CloudTrailEvent: {e}")))?;
    Ok(LookupPage {
        events,
        next_token: a.next_token,
    })
}

/// LookupEvents' answer.
pub fn lookup_events_response(page: &LookupPage) -> String {
    let events: Vec<Value> = page
        .events
        .iter()
        .map(|e| {
            let mut out = json!({
                "EventId": e.event_id,
                "EventName": e.event_name,
                "ReadOnly": e.read_only.to_string(),
                "EventTime": e.time().seconds(),
                "EventSource": e.event_source,
                "Resources": e.resources.iter().map(|r| json!({
                    "ResourceType": r.kind,
                    "ResourceName": r.arn,
                })).collect::<Vec<_>>(),
                "CloudTrailEvent": e.to_json(),
            });
            if let Some(key) = &e.user_identity.access_key_id {
                out["AccessKeyId"] = Value::from(key.as_str());
            }
            if let Some(name) = e.username() {
                out["Username"] = Value::from(name);
            }
            out
        })
        .collect();
    let mut out = json!({ "Events": events });
    if let Some(token) = &page.next_token {
        out["NextToken"] = Value::from(token.as_str());
    }
    out.to_string()
}

/// A CloudTrail error document.
pub fn error_body(code: &str, message: &str) -> String {
    json!({ "__type": code, "message": message }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::trail::LookupAttribute;

    /// CloudTrail API Reference, LookupEvents: `LookupAttributes` is sent only when there is
    /// one (an empty list is not "no filter" to every client), as `AttributeKey` and
    /// `AttributeValue`.
    #[test]
    fn lookup_attributes_are_sent_only_when_given() {
        let none: Value = serde_json::from_str(&request_body(&LookupEvents::default())).unwrap();
        assert!(none.get("LookupAttributes").is_none(), "{none}");
        let request = LookupEvents {
            attributes: vec![LookupAttribute {
                key: "Username".into(),
                value: "David".into(),
            }],
            ..LookupEvents::default()
        };
        let some: Value = serde_json::from_str(&request_body(&request)).unwrap();
        assert_eq!(
            some["LookupAttributes"],
            json!([{ "AttributeKey": "Username", "AttributeValue": "David" }])
        );
    }
}
