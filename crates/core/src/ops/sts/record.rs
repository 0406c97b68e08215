//! How STS calls are written in the audit trail: the parameters as CloudTrail records them
//! (IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files"), without
//! the MFA code; the answer's access key id and expiry, without the secret key or the session
//! token. AssumeRole's record is written from its facts ([`AssumeRoleFacts`]).

use serde::Serialize;
use serde_json::Value;

use crate::ops::audit::{parameters, Recorded};
use crate::ops::{ApiError, Issued};
use crate::validation::AccountId;

use super::AssumeRole;
use crate::clock::Timestamp;
use crate::ops::{GetSessionToken, Presented};
use crate::world::trail::{AssumeRoleAsked, AssumeRoleFacts, AssumedFacts, Credentials, Json};
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
        self.record_issued(rng, presented, issued, now, |world, issued| {
            let mut call =
                Recorded::api("sts.amazonaws.com", "GetSessionToken", false, &world.region);
            call.request_parameters = parameters([
                ("durationSeconds", request.duration.map(Value::from)),
                (
                    "serialNumber",
                    request.serial_number.as_deref().map(Value::from),
                ),
            ]);
            if let Ok(issued) = issued {
                call.response_elements = Json::of(&SessionTokenAnswer {
                    credentials: Credentials {
                        access_key_id: &issued.credentials.access_key_id,
                        expiration: issued.credentials.expiration.to_iso8601(),
                    },
                });
            }
            (call, None)
        })
    }
}

/// GetSessionToken's answer as recorded.
#[derive(Serialize)]
struct SessionTokenAnswer<'a> {
    credentials: Credentials<'a>,
}

/// The record of an AssumeRole `request` answered with `issued`, made to `region`: its facts
/// only, copied from the request and the answer (the record's text is written when the record
/// is made: [`AssumeRoleFacts::fill`]).
pub(super) fn assume_role(
    request: &AssumeRole,
    issued: &Result<Issued, ApiError>,
    region: &str,
) -> (Recorded, Option<AccountId>) {
    let mut call = Recorded::api("sts.amazonaws.com", "AssumeRole", false, region);
    let asked = AssumeRoleAsked {
        role_arn: &request.role_arn,
        role_session_name: &request.role_session_name,
        duration_seconds: request.duration,
        external_id: request.external_id.as_deref(),
        serial_number: request.serial_number.as_deref(),
        source_identity: request.source_identity.as_deref(),
        tags: &request.tags,
        transitive_tag_keys: &request.transitive_tag_keys,
    };
    let answer = issued.as_ref().ok().map(|issued| AssumedFacts {
        access_key_id: &issued.credentials.access_key_id,
        expiration: issued.credentials.expiration,
        assumed_role_id: &issued.unique_id,
        arn: &issued.arn,
        source_identity: issued.source_identity.as_deref(),
    });
    call.facts = Some(std::sync::Arc::new(AssumeRoleFacts::new(asked, answer)));
    // The role's account is read from the facts when the record is made.
    (call, None)
}
