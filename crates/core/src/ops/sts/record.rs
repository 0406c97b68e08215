//! How STS calls are written in the audit trail: the parameters as CloudTrail records them
//! (IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without
//! the MFA code; the answer's access key id, expiry and assumed-role user, without the secret
//! key or the session token.

use serde_json::{json, Value};

use crate::ops::audit::{parameters, role_named, Recorded};
use crate::ops::{ApiError, Issued};
use crate::validation::AccountId;

use super::AssumeRole;

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
            (
                "credentials",
                Some(json!({
                    "accessKeyId": issued.credentials.access_key_id,
                    "expiration": issued.credentials.expiration.to_iso8601(),
                })),
            ),
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
