//! The STS Query protocol on the wire, both ways: the emulator reads requests and writes
//! XML responses; the console's STS backend writes requests and reads responses. One module,
//! so the two sides agree by construction and are tested against each other.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::fault::ErrorCode;
use crate::ops::{AssumeRole, CallerIdentity, GetSessionToken, Issued};
use crate::sigv4::HttpRequest;
use crate::world::{Credentials, Secret};

mod sts;
pub use sts::*;

/// A request or response that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// A required parameter is missing or malformed (AWS: `MissingParameter`/`ValidationError`).
    #[error("{0}")]
    BadParameter(String),
    /// The action is not one this project serves (AWS: `InvalidAction`).
    #[error("Could not find operation {0} for version 2011-06-15")]
    UnknownAction(String),
    /// The response is not the XML expected.
    #[error("malformed response: {0}")]
    Malformed(String),
}

pub mod cloudtrail;
pub mod dynamodb;
pub mod iam;

/// The content type of Query protocol (STS, IAM) request bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// An unsigned AWS call to `host` and `path`: a Query protocol form (`target` `None`), or a
/// DynamoDB JSON body for the `X-Amz-Target` `target`; with the headers each protocol needs.
/// Sign it with [`crate::sigv4::sign`]. The console, the load client and the tests all build
/// their requests here.
pub fn post_request(host: &str, path: &str, target: Option<&str>, body: &str) -> HttpRequest {
    let mut headers = vec![("Host".to_owned(), host.to_owned())];
    match target {
        Some(t) => {
            let json = if t.starts_with(cloudtrail::TARGET_PREFIX) {
                cloudtrail::CONTENT_TYPE
            } else {
                dynamodb::CONTENT_TYPE
            };
            headers.push(("Content-Type".into(), json.into()));
            headers.push(("X-Amz-Target".into(), t.into()));
        }
        None => headers.push(("Content-Type".into(), FORM_CONTENT_TYPE.into())),
    }
    HttpRequest {
        method: "POST".into(),
        path: path.into(),
        query: String::new(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// Where an HTTP backend is: the URL to send to, and the host and path that are signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The absolute URL requests go to.
    pub url: String,
    /// The `Host` header the browser will send (`host[:port]`).
    pub host: String,
    /// The request path.
    pub path: String,
}

impl Endpoint {
    /// Resolves `endpoint` from the runtime configuration: a path on the page's own origin
    /// (`/`, the usual same-origin set-up) or an absolute `http(s)://` URL. Query strings,
    /// fragments and credentials in the URL are refused.
    pub fn resolve(endpoint: &str, page_origin: &str) -> Result<Endpoint, String> {
        let absolute = if endpoint.starts_with('/') && !endpoint.starts_with("//") {
            format!("{}{endpoint}", page_origin.trim_end_matches('/'))
        } else {
            endpoint.to_owned()
        };
        let rest = absolute
            .strip_prefix("https://")
            .or_else(|| absolute.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("endpoint {endpoint:?} must be a path such as / or an http(s):// URL")
            })?;
        if rest.contains(['?', '#', '@', '\\']) || rest.chars().any(char::is_whitespace) {
            return Err(format!(
                "endpoint {endpoint:?} may not have a query, fragment, credentials or spaces"
            ));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(format!("endpoint {endpoint:?} has no host"));
        }
        let url = if absolute.ends_with(host) {
            format!("{absolute}/")
        } else {
            absolute.clone()
        };
        Ok(Endpoint {
            url,
            host: host.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// The parameters of a form-encoded Query request (body or query string).
pub fn query_params(form: &str) -> BTreeMap<String, String> {
    form_urlencoded::parse(form.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Query parameter `k`, or the error AWS gives when a required one is missing.
pub(crate) fn required(params: &BTreeMap<String, String>, k: &str) -> Result<String, WireError> {
    params.get(k).cloned().ok_or_else(|| {
        WireError::BadParameter(format!("The request must contain the parameter {k}"))
    })
}

/// Query parameter `k` as a number, when given.
pub(crate) fn number(
    params: &BTreeMap<String, String>,
    k: &str,
    field: &str,
) -> Result<Option<u32>, WireError> {
    params
        .get(k)
        .map(|d| {
            d.parse::<u32>().map_err(|_| {
                WireError::BadParameter(format!(
                    "Value '{d}' at '{field}' failed to satisfy constraint: Member must be a number"
                ))
            })
        })
        .transpose()
}

/// The values of a Query list `prefix.1`, `prefix.2`, … in order, up to the first gap.
pub(crate) fn members(params: &BTreeMap<String, String>, prefix: &str) -> Vec<String> {
    (1..)
        .map_while(|i| params.get(&format!("{prefix}.{i}")).cloned())
        .collect()
}

/// `Tags.member.N.Key` / `.Value` pairs in order; a key without a value (or the reverse) is
/// refused, as AWS does.
fn tags(params: &BTreeMap<String, String>) -> Result<Vec<(String, String)>, WireError> {
    let mut out = Vec::new();
    for i in 1.. {
        let key = params.get(&format!("Tags.member.{i}.Key"));
        let value = params.get(&format!("Tags.member.{i}.Value"));
        match (key, value) {
            (Some(k), Some(v)) => out.push((k.clone(), v.clone())),
            (None, None) => break,
            _ => {
                return Err(WireError::BadParameter(format!(
                    "Tags.member.{i} must have both a Key and a Value"
                )))
            }
        }
    }
    Ok(out)
}

/// A Query-protocol response document in namespace `xmlns`; an empty `result` has no
/// `…Result` element (as for IAM's actions that return nothing).
pub(crate) fn envelope_in(xmlns: &str, action: &str, result: &str, request_id: &str) -> String {
    let result = if result.is_empty() {
        String::new()
    } else {
        format!("<{action}Result>{result}</{action}Result>")
    };
    format!(
        "<{action}Response xmlns=\"{xmlns}\">{result}<ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{action}Response>",
        escape(request_id)
    )
}

fn envelope(action: &str, result: &str, request_id: &str) -> String {
    envelope_in(STS_XMLNS, action, result, request_id)
}

/// An AWS Query-protocol error document.
pub fn error_response(code: ErrorCode, message: &str, request_id: &str) -> String {
    error_response_in(STS_XMLNS, code, message, request_id)
}

/// [`error_response`] in namespace `xmlns`.
pub(crate) fn error_response_in(
    xmlns: &str,
    code: ErrorCode,
    message: &str,
    request_id: &str,
) -> String {
    let kind = if code.is_server_fault() {
        "Receiver"
    } else {
        "Sender"
    };
    format!(
        "<ErrorResponse xmlns=\"{xmlns}\"><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
        code.query_code(),
        escape(message),
        escape(request_id)
    )
}

/// Appends what a text event holds (text, CDATA, a character or predefined entity reference)
/// to `text`, unescaped; whether `event` was one.
fn append_text(event: &Event<'_>, text: &mut String) -> Result<bool, WireError> {
    let bad = |e: &dyn std::fmt::Display| WireError::Malformed(e.to_string());
    match event {
        Event::Text(t) => text.push_str(&t.decode().map_err(|e| bad(&e))?),
        Event::CData(t) => text.push_str(&t.decode().map_err(|e| bad(&e))?),
        Event::GeneralRef(r) => {
            if let Some(c) = r.resolve_char_ref().map_err(|e| bad(&e))? {
                text.push(c);
            } else {
                let name = r.decode().map_err(|e| bad(&e))?;
                let value = resolve_predefined_entity(&name)
                    .ok_or_else(|| WireError::Malformed(format!("unknown entity &{name};")))?;
                text.push_str(value);
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The `<item>` elements directly inside `<parent>` (IAM's `<Roles><member>…`, or
/// `<GetRoleResult><Role>…`), each as its leaf elements' texts by name (the first of a name).
pub(crate) fn records(
    xml: &str,
    parent: &str,
    item: &str,
) -> Result<Vec<BTreeMap<String, String>>, WireError> {
    let bad = |e: &dyn std::fmt::Display| WireError::Malformed(e.to_string());
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut current: Option<(usize, BTreeMap<String, String>)> = None;
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if current.is_none() && name == item && stack.last().is_some_and(|p| p == parent) {
                    current = Some((stack.len(), BTreeMap::new()));
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some((_, record)) = current.as_mut() {
                    record.entry(name).or_default();
                }
            }
            event if append_text(&event, &mut text)? => {}
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                match current.as_mut() {
                    Some((depth, _)) if stack.len() == *depth => {
                        if let Some((_, mut record)) = current.take() {
                            // An item that is only text (`<member>Name</member>`).
                            if record.is_empty() && !text.trim().is_empty() {
                                record.insert(name, text.trim().to_owned());
                            }
                            out.push(record);
                        }
                    }
                    Some((_, record)) => {
                        record.entry(name).or_insert_with(|| text.trim().to_owned());
                    }
                    None => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(WireError::Malformed("unclosed element".into()));
    }
    Ok(out)
}

/// The root element's local name and the text of every leaf element, by local name (first
/// occurrence wins), unescaped.
pub(crate) fn leaves(xml: &str) -> Result<(String, BTreeMap<String, String>), WireError> {
    let bad = |e: &dyn std::fmt::Display| WireError::Malformed(e.to_string());
    let mut reader = Reader::from_str(xml);
    let mut root = None;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut out = BTreeMap::new();
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                root.get_or_insert_with(|| name.clone());
                stack.push(name);
                text.clear();
            }
            event if append_text(&event, &mut text)? => {}
            Event::End(_) => {
                if let Some(name) = stack.pop() {
                    out.entry(name).or_insert_with(|| text.trim().to_owned());
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(WireError::Malformed("unclosed element".into()));
    }
    let root = root.ok_or_else(|| WireError::Malformed("empty document".into()))?;
    Ok((root, out))
}

/// Reads a Query-protocol (STS, IAM) error document: its code and message.
pub fn parse_query_error(xml: &str) -> Result<(String, String), WireError> {
    let (root, fields) = leaves(xml)?;
    let code = fields.get("Code").filter(|_| root == "ErrorResponse");
    let code = code.ok_or_else(|| WireError::Malformed(format!("{root} is no error document")))?;
    let message = fields.get("Message").cloned().unwrap_or_default();
    Ok((code.clone(), message))
}

#[cfg(test)]
mod tests;
