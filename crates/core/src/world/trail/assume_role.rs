//! How AssumeRole is written in the audit trail: the parameters as CloudTrail records them (IAM
//! User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without the
//! MFA code; the answer's access key id, expiry and assumed-role user, without the secret key
//! or the session token.
//!
//! The hottest record: a call keeps only these facts (moved and copied, no text written), and
//! the record's elements are written when the record is made ([`AssumeRoleFacts::fill`]), which
//! the emulator does after its world's lock.

use serde::Serialize;

use super::{Json, Recorded, TrailResource};
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::validation::AccountId;

/// What AssumeRole's record is written from.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumeRoleFacts {
    /// `roleArn`.
    pub role_arn: String,
    /// `roleSessionName`.
    pub role_session_name: String,
    /// `durationSeconds`.
    pub duration_seconds: Option<u32>,
    /// `externalId`.
    pub external_id: Option<String>,
    /// `serialNumber` (the device; never its code).
    pub serial_number: Option<String>,
    /// `sourceIdentity`.
    pub source_identity: Option<String>,
    /// `tags`, in order.
    pub tags: Vec<(String, String)>,
    /// `transitiveTagKeys`.
    pub transitive_tag_keys: Vec<String>,
    /// What the answer carried, when the call succeeded.
    pub answer: Option<AssumedFacts>,
}

/// What AssumeRole's answer is recorded with (never the secret or the token).
#[derive(Clone, Debug, PartialEq)]
pub struct AssumedFacts {
    /// The new key's id.
    pub access_key_id: String,
    /// When it expires.
    pub expiration: Timestamp,
    /// The assumed-role user's id (`AROA…:session`).
    pub assumed_role_id: String,
    /// The assumed-role user's ARN.
    pub arn: Arn,
    /// The session's source identity.
    pub source_identity: Option<String>,
}

impl AssumeRoleFacts {
    /// Writes the record's parameters, answer and resources into `call`; the role's account
    /// (which records the call too, when it is another's).
    pub fn fill(&self, call: &mut Recorded) -> Option<AccountId> {
        call.request_parameters = Json::of(&Parameters {
            role_arn: &self.role_arn,
            role_session_name: &self.role_session_name,
            duration_seconds: self.duration_seconds,
            external_id: self.external_id.as_deref(),
            serial_number: self.serial_number.as_deref(),
            source_identity: self.source_identity.as_deref(),
            tags: self
                .tags
                .iter()
                .map(|(key, value)| Tag { key, value })
                .collect(),
            transitive_tag_keys: &self.transitive_tag_keys,
        });
        if let Some(answer) = &self.answer {
            call.response_elements = Json::of(&Answer {
                credentials: Credentials {
                    access_key_id: &answer.access_key_id,
                    expiration: answer.expiration.to_iso8601(),
                },
                assumed_role_user: AssumedRoleUser {
                    assumed_role_id: &answer.assumed_role_id,
                    arn: answer.arn.to_string(),
                },
                source_identity: answer.source_identity.as_deref(),
            });
        }
        let (resources, account) = role_named(&self.role_arn);
        call.resources = resources;
        account
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
    arn: String,
}
