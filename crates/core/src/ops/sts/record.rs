//! How STS calls are written in the audit trail: the parameters as CloudTrail records them
//! (IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without
//! the MFA code; the answer's access key id, expiry and assumed-role user, without the secret
//! key or the session token.

use serde_json::{json, Value};

use crate::ops::audit::{parameters, role_named, Recorded};
use crate::ops::{ApiError, Issued};
use crate::validation::AccountId;

use super::AssumeRole;
use crate::clock::Timestamp;
use crate::ops::{GetSessionToken, Presented};
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
            call.response_elements = json!({ "credentials": credentials(issued) });
        }
        self.record_issued(rng, presented, call, issued, None, now)
    }
}

/// The `credentials` an answer is recorded with: the key's id and its expiry, never the
/// secret or the token.
fn credentials(issued: &Issued) -> Value {
    json!({
        "accessKeyId": issued.credentials.access_key_id,
        "expiration": issued.credentials.expiration.to_iso8601(),
    })
}

/// The record of an AssumeRole `request` answered with `issued`, made to `region`; and the
/// role's account, which records it too.
pub(super) fn assume_role(
    request: &AssumeRole,
    issued: &Result<Issued, ApiError>,
    region: &str,
) -> (Recorded, Option<AccountId>) {
    let text = |v: &Option<String>| v.as_ref().map(|s| Value::from(s.as_str()));
    let mut call = Recorded::api("sts.amazonaws.com", "AssumeRole", false, region);
    call.request_parameters = parameters([
        ("roleArn", Some(Value::from(request.role_arn.as_str()))),
        (
            "roleSessionName",
            Some(Value::from(request.role_session_name.as_str())),
        ),
        ("durationSeconds", request.duration.map(Value::from)),
        ("externalId", text(&request.external_id)),
        ("serialNumber", text(&request.serial_number)),
        ("sourceIdentity", text(&request.source_identity)),
        (
            "tags",
            (!request.tags.is_empty()).then(|| {
                request
                    .tags
                    .iter()
                    .map(|(k, v)| json!({ "key": k, "value": v }))
                    .collect()
            }),
        ),
        (
            "transitiveTagKeys",
            (!request.transitive_tag_keys.is_empty())
                .then(|| Value::from(request.transitive_tag_keys.clone())),
        ),
    ]);
    let (resources, role_account) = role_named(&request.role_arn);
    call.resources = resources;
    if let Ok(issued) = issued {
        call.response_elements = parameters([
            ("credentials", Some(credentials(issued))),
            (
                "assumedRoleUser",
                Some(json!({
                    "assumedRoleId": issued.unique_id,
                    "arn": issued.arn.to_string(),
                })),
            ),
            ("sourceIdentity", text(&issued.source_identity)),
        ]);
    }
    (call, role_account)
}
