//! How STS calls are written in the audit trail: the parameters as CloudTrail records them
//! (IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without
//! the MFA code; the answer's access key id, expiry and assumed-role user, without the secret
//! key or the session token.

use serde::Serialize;
use serde_json::Value;

use crate::ops::audit::{parameters, role_named, Recorded};
use crate::ops::{ApiError, Issued};
use crate::validation::AccountId;

use super::AssumeRole;
use crate::clock::Timestamp;
use crate::ops::{GetSessionToken, Presented};
use crate::world::trail::Json;
use crate::world::World;
use rand_core::RngCore;

impl World {
    /// STS GetSessionToken: a long-term key's user gets temporary credentials, with MFA when
    /// the request's serial number and code are given (both or neither) and right. Recorded
    /// in the audit trail (the serial number, never the code; the new key's id, never its
    /// secret or token).
    pub fn sts_get_session_token(
        &mut self,
        rng: &mut dyn RngCore,
        presented: Presented<'_>,
        request: &GetSessionToken,
        now: Timestamp,
    ) -> Result<Issued, ApiError> {
        let issued = self.get_session_token_unrecorded(rng, presented, request, now);
        let mut call = Recorded::api("sts.amazonaws.com", "GetSessionToken", false, &self.region);
        call.request_parameters = parameters([
            ("durationSeconds", request.duration.map(Value::from)),
            (
                "serialNumber",
                request.serial_number.as_deref().map(Value::from),
            ),
        ]);
        if let Ok(issued) = &issued {
            call.response_elements = Json::of(&SessionTokenAnswer {
                credentials: Credentials::of(issued),
            });
        }
        self.record_issued(rng, presented, call, issued, None, now)
    }
}

/// The `credentials` an answer is recorded with: the key's id and its expiry, never the
/// secret or the token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Credentials<'a> {
    access_key_id: &'a str,
    expiration: String,
}

impl<'a> Credentials<'a> {
    fn of(issued: &'a Issued) -> Self {
        Self {
            access_key_id: &issued.credentials.access_key_id,
            expiration: issued.credentials.expiration.to_iso8601(),
        }
    }
}

/// GetSessionToken's answer as recorded.
#[derive(Serialize)]
struct SessionTokenAnswer<'a> {
    credentials: Credentials<'a>,
}

/// AssumeRole's parameters as CloudTrail records them (never the MFA code), written straight
/// from the request: the record's hottest element, built on every switch.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssumeRoleParameters<'a> {
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
struct AssumeRoleAnswer<'a> {
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

/// The record of an AssumeRole `request` answered with `issued`, made to `region`; and the
/// role's account, which records it too.
pub(super) fn assume_role(
    request: &AssumeRole,
    issued: &Result<Issued, ApiError>,
    region: &str,
) -> (Recorded, Option<AccountId>) {
    let mut call = Recorded::api("sts.amazonaws.com", "AssumeRole", false, region);
    call.request_parameters = Json::of(&AssumeRoleParameters {
        role_arn: &request.role_arn,
        role_session_name: &request.role_session_name,
        duration_seconds: request.duration,
        external_id: request.external_id.as_deref(),
        serial_number: request.serial_number.as_deref(),
        source_identity: request.source_identity.as_deref(),
        tags: request
            .tags
            .iter()
            .map(|(key, value)| Tag { key, value })
            .collect(),
        transitive_tag_keys: &request.transitive_tag_keys,
    });
    let (resources, role_account) = role_named(&request.role_arn);
    call.resources = resources;
    if let Ok(issued) = issued {
        call.response_elements = Json::of(&AssumeRoleAnswer {
            credentials: Credentials::of(issued),
            assumed_role_user: AssumedRoleUser {
                assumed_role_id: &issued.unique_id,
                arn: issued.arn.to_string(),
            },
            source_identity: issued.source_identity.as_deref(),
        });
    }
    (call, role_account)
}
