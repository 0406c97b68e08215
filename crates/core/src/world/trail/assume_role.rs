//! How AssumeRole is written in the audit trail: the parameters as CloudTrail records them (IAM
//! User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without the
//! MFA code; the answer's access key id, expiry and assumed-role user, without the secret key
//! or the session token.
//!
//! The hottest record: a call keeps only these facts (moved and copied, no text written), and
//! the record's elements are written when the record is made ([`AssumeRoleFacts::fill`]), which
//! the emulator does after its world's lock.

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use super::parts::Element;
use super::{Json, Recorded, TrailResource};
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::validation::AccountId;

/// What AssumeRole's record is written from, in one block: the texts one after another
/// (copied once from the request and the answer), the rest beside them. Most records are
/// never read, and each part kept apart was an allocation to make, and one to free when the
/// record leaves the trail, by then long out of every cache.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumeRoleFacts {
    texts: Box<str>,
    /// Where each text of [`Text`] ends in `texts`.
    ends: [u32; TEXTS],
    /// Which optional texts were given.
    given: u16,
    duration_seconds: Option<u32>,
    /// When the answered credentials expire; `None` when the call was refused.
    expiration: Option<Timestamp>,
    tags: Vec<(String, String)>,
    transitive_tag_keys: Vec<String>,
}

/// The texts an [`AssumeRoleFacts`] holds, by position.
#[derive(Clone, Copy)]
enum Text {
    RoleArn,
    RoleSessionName,
    ExternalId,
    SerialNumber,
    SourceIdentity,
    AccessKeyId,
    AssumedRoleId,
    AssumedRoleArn,
    AnswerSourceIdentity,
}
const TEXTS: usize = 9;

/// What AssumeRole asked, as recorded (never the MFA code).
#[derive(Clone, Copy, Debug)]
pub struct AssumeRoleAsked<'a> {
    /// `roleArn`.
    pub role_arn: &'a str,
    /// `roleSessionName`.
    pub role_session_name: &'a str,
    /// `durationSeconds`.
    pub duration_seconds: Option<u32>,
    /// `externalId`.
    pub external_id: Option<&'a str>,
    /// `serialNumber` (the device; never its code).
    pub serial_number: Option<&'a str>,
    /// `sourceIdentity`.
    pub source_identity: Option<&'a str>,
    /// `tags`, in order.
    pub tags: &'a [(String, String)],
    /// `transitiveTagKeys`.
    pub transitive_tag_keys: &'a [String],
}

/// What AssumeRole's answer is recorded with (never the secret or the token).
#[derive(Clone, Copy, Debug)]
pub struct AssumedFacts<'a> {
    /// The new key's id.
    pub access_key_id: &'a str,
    /// When it expires.
    pub expiration: Timestamp,
    /// The assumed-role user's id (`AROA…:session`).
    pub assumed_role_id: &'a str,
    /// The assumed-role user's ARN.
    pub arn: &'a Arn,
    /// The session's source identity.
    pub source_identity: Option<&'a str>,
}

/// Which of [`AssumeRoleFacts`]'s elements [`Element::write`] writes.
const PARAMETERS: u8 = 0;
const ANSWER: u8 = 1;

impl AssumeRoleFacts {
    /// The facts of a call that asked `asked` and was answered `answer` (`None`: refused).
    pub fn new(asked: AssumeRoleAsked<'_>, answer: Option<AssumedFacts<'_>>) -> Self {
        use std::fmt::Write;
        let mut texts = String::with_capacity(256);
        let mut ends = [0u32; TEXTS];
        let mut given = 0u16;
        let mut put = |texts: &mut String, at: Text, text: Option<&dyn std::fmt::Display>| {
            if let Some(text) = text {
                let _ = write!(texts, "{text}");
                given |= 1 << at as u16;
            }
            ends[at as usize] = u32::try_from(texts.len()).unwrap_or(u32::MAX);
        };
        put(&mut texts, Text::RoleArn, Some(&asked.role_arn));
        put(
            &mut texts,
            Text::RoleSessionName,
            Some(&asked.role_session_name),
        );
        put(
            &mut texts,
            Text::ExternalId,
            asked.external_id.as_ref().map(|t| t as _),
        );
        put(
            &mut texts,
            Text::SerialNumber,
            asked.serial_number.as_ref().map(|t| t as _),
        );
        put(
            &mut texts,
            Text::SourceIdentity,
            asked.source_identity.as_ref().map(|t| t as _),
        );
        put(
            &mut texts,
            Text::AccessKeyId,
            answer.as_ref().map(|a| &a.access_key_id as _),
        );
        put(
            &mut texts,
            Text::AssumedRoleId,
            answer.as_ref().map(|a| &a.assumed_role_id as _),
        );
        put(
            &mut texts,
            Text::AssumedRoleArn,
            answer.as_ref().map(|a| a.arn as _),
        );
        put(
            &mut texts,
            Text::AnswerSourceIdentity,
            answer
                .as_ref()
                .and_then(|a| a.source_identity.as_ref())
                .map(|t| t as _),
        );
        Self {
            texts: texts.into_boxed_str(),
            ends,
            given,
            duration_seconds: asked.duration_seconds,
            expiration: answer.map(|a| a.expiration),
            tags: asked.tags.to_vec(),
            transitive_tag_keys: asked.transitive_tag_keys.to_vec(),
        }
    }

    /// The text `at`, if it was given.
    fn text(&self, at: Text) -> Option<&str> {
        let i = at as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        (self.given & (1 << i) != 0)
            .then(|| self.texts.get(start..self.ends[i] as usize))
            .flatten()
    }

    /// The role asked for.
    pub fn role_arn(&self) -> &str {
        self.text(Text::RoleArn).unwrap_or_default()
    }

    /// Gives `call` the record's parameters and answer, written from these facts when the
    /// record is, and its resources; answers the role's account (which records the call too,
    /// when it is another's).
    pub fn fill(self: Arc<Self>, call: &mut Recorded) -> Option<AccountId> {
        let (resources, account) = role_named(self.role_arn());
        call.resources = resources;
        if self.expiration.is_some() {
            call.response_elements = Json::later(self.clone(), ANSWER);
        }
        call.request_parameters = Json::later(self, PARAMETERS);
        account
    }

    fn parameters(&self) -> Parameters<'_> {
        Parameters {
            role_arn: self.role_arn(),
            role_session_name: self.text(Text::RoleSessionName).unwrap_or_default(),
            duration_seconds: self.duration_seconds,
            external_id: self.text(Text::ExternalId),
            serial_number: self.text(Text::SerialNumber),
            source_identity: self.text(Text::SourceIdentity),
            tags: self
                .tags
                .iter()
                .map(|(key, value)| Tag { key, value })
                .collect(),
            transitive_tag_keys: &self.transitive_tag_keys,
        }
    }
}

impl Element for AssumeRoleFacts {
    fn write(&self, part: u8) -> Box<RawValue> {
        let written = match (part, self.expiration) {
            (ANSWER, Some(expiration)) => serde_json::value::to_raw_value(&Answer {
                credentials: Credentials {
                    access_key_id: self.text(Text::AccessKeyId).unwrap_or_default(),
                    expiration: expiration.to_iso8601(),
                },
                assumed_role_user: AssumedRoleUser {
                    assumed_role_id: self.text(Text::AssumedRoleId).unwrap_or_default(),
                    arn: self.text(Text::AssumedRoleArn).unwrap_or_default(),
                },
                source_identity: self.text(Text::AnswerSourceIdentity),
            }),
            _ => serde_json::value::to_raw_value(&self.parameters()),
        };
        written.unwrap_or_else(|_| RawValue::NULL.to_owned())
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
    match arn.parse::<Arn>() {
        Ok(Arn::Role { account, .. }) => {
            (vec![role_resource(arn, account.as_str())], Some(account))
        }
        _ => (Vec::new(), None),
    }
}

/// The `credentials` an answer is recorded with: the key's id and its expiry, never the
/// secret or the token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Credentials<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) expiration: String,
}

/// AssumeRole's parameters as CloudTrail records them (never the MFA code).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Parameters<'a> {
    role_arn: &'a str,
    role_session_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    transitive_tag_keys: &'a [String],
}

/// A session tag as recorded.
#[derive(Serialize)]
struct Tag<'a> {
    key: &'a str,
    value: &'a str,
}

/// AssumeRole's answer as recorded: the key's id and expiry, the assumed-role user.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer<'a> {
    credentials: Credentials<'a>,
    assumed_role_user: AssumedRoleUser<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_identity: Option<&'a str>,
}

/// `assumedRoleUser`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssumedRoleUser<'a> {
    assumed_role_id: &'a str,
    arn: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked<'a>(tags: &'a [(String, String)], keys: &'a [String]) -> AssumeRoleAsked<'a> {
        AssumeRoleAsked {
            role_arn: "arn:aws:iam::222222222222:role/ops/ProdOperator",
            role_session_name: "terminal",
            duration_seconds: None,
            external_id: None,
            serial_number: None,
            source_identity: None,
            tags,
            transitive_tag_keys: keys,
        }
    }

    /// IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files":
    /// `requestParameters` holds what was given (never the MFA code), `responseElements` the
    /// key id, expiry and assumed-role user; written when the record is, equal to the same
    /// elements written at once.
    #[test]
    fn the_elements_are_written_from_the_facts_as_given() {
        let arn: Arn = "arn:aws:sts::222222222222:assumed-role/ProdOperator/terminal"
            .parse()
            .unwrap();
        let tags = [("team".to_owned(), "blue".to_owned())];
        let keys = ["team".to_owned()];
        let mut full = asked(&tags, &keys);
        full.duration_seconds = Some(900);
        full.external_id = Some("ext-1");
        full.serial_number = Some("arn:aws:iam::111111111111:mfa/David");
        full.source_identity = Some("david@example.com");
        let answer = AssumedFacts {
            access_key_id: "ASIAEXAMPLE",
            expiration: Timestamp(1_796_043_600),
            assumed_role_id: "AROAEXAMPLE:terminal",
            arn: &arn,
            source_identity: Some("david@example.com"),
        };
        let facts = Arc::new(AssumeRoleFacts::new(full, Some(answer)));
        let mut call = Recorded::api("sts.amazonaws.com", "AssumeRole", false, "us-west-2");
        let account = facts.fill(&mut call);
        assert_eq!(
            account.map(|a| a.to_string()).as_deref(),
            Some("222222222222")
        );
        assert_eq!(
            call.resources[0].arn,
            "arn:aws:iam::222222222222:role/ops/ProdOperator"
        );
        assert_eq!(
            call.request_parameters.value(),
            serde_json::json!({
                "roleArn": "arn:aws:iam::222222222222:role/ops/ProdOperator",
                "roleSessionName": "terminal",
                "durationSeconds": 900,
                "externalId": "ext-1",
                "serialNumber": "arn:aws:iam::111111111111:mfa/David",
                "sourceIdentity": "david@example.com",
                "tags": [{"key": "team", "value": "blue"}],
                "transitiveTagKeys": ["team"],
            })
        );
        let written = serde_json::json!({
            "credentials": {"accessKeyId": "ASIAEXAMPLE", "expiration": "2026-11-30T13:00:00Z"},
            "assumedRoleUser": {
                "assumedRoleId": "AROAEXAMPLE:terminal",
                "arn": "arn:aws:sts::222222222222:assumed-role/ProdOperator/terminal",
            },
            "sourceIdentity": "david@example.com",
        });
        assert_eq!(call.response_elements.value(), written);
        // Written later or read back from a record's text, the element is the same.
        let text = serde_json::to_string(&call.response_elements).unwrap();
        let read_back: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(call.response_elements, read_back);
        assert_ne!(call.request_parameters, read_back);
        assert!(!call.response_elements.is_null());
    }

    #[test]
    fn what_was_not_given_is_left_out_and_a_refusal_has_no_answer() {
        let facts = Arc::new(AssumeRoleFacts::new(asked(&[], &[]), None));
        assert_eq!(facts.text(Text::ExternalId), None);
        assert_eq!(facts.text(Text::AccessKeyId), None);
        let mut call = Recorded::api("sts.amazonaws.com", "AssumeRole", false, "us-west-2");
        facts.fill(&mut call);
        assert_eq!(
            call.request_parameters.value(),
            serde_json::json!({
                "roleArn": "arn:aws:iam::222222222222:role/ops/ProdOperator",
                "roleSessionName": "terminal",
            })
        );
        assert!(call.response_elements.is_null());
        // An empty text given is kept apart from one not given.
        let mut empty = asked(&[], &[]);
        empty.external_id = Some("");
        let facts = AssumeRoleFacts::new(empty, None);
        assert_eq!(facts.text(Text::ExternalId), Some(""));
        assert_eq!(facts.text(Text::SerialNumber), None);
    }
}
