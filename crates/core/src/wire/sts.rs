//! The STS Query protocol: requests, and responses as AWS writes and the client reads them.

use super::*;

/// The STS API version every request names.
pub const STS_VERSION: &str = "2011-06-15";
/// The XML namespace of STS responses.
pub const STS_XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// An STS request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StsRequest {
    /// `GetCallerIdentity`.
    GetCallerIdentity,
    /// `GetSessionToken`.
    GetSessionToken(GetSessionToken),
    /// `AssumeRole`.
    AssumeRole(AssumeRole),
    /// `DecodeAuthorizationMessage`.
    DecodeAuthorizationMessage {
        /// `EncodedMessage`.
        encoded_message: String,
    },
}

impl StsRequest {
    /// Reads a form-encoded Query request body (or query string).
    pub fn parse(form: &str) -> Result<StsRequest, WireError> {
        Self::from_params(&query_params(form))
    }

    /// Reads a Query request's parameters.
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<StsRequest, WireError> {
        let get = |k: &str| params.get(k).cloned();
        let required = |k: &str| required(params, k);
        let duration = number(params, "DurationSeconds", "durationSeconds")?;
        let action = required("Action")?;
        match action.as_str() {
            "GetCallerIdentity" => Ok(StsRequest::GetCallerIdentity),
            "GetSessionToken" => Ok(StsRequest::GetSessionToken(GetSessionToken {
                duration,
                serial_number: get("SerialNumber"),
                token_code: get("TokenCode"),
            })),
            "DecodeAuthorizationMessage" => Ok(StsRequest::DecodeAuthorizationMessage {
                encoded_message: required("EncodedMessage")?,
            }),
            "AssumeRole" => Ok(StsRequest::AssumeRole(AssumeRole {
                role_arn: required("RoleArn")?,
                role_session_name: required("RoleSessionName")?,
                duration,
                external_id: get("ExternalId"),
                serial_number: get("SerialNumber"),
                token_code: get("TokenCode"),
                source_identity: get("SourceIdentity"),
                policy: get("Policy"),
                policy_arns: (1..)
                    .map_while(|i| params.get(&format!("PolicyArns.member.{i}.arn")).cloned())
                    .collect(),
                tags: tags(params)?,
                transitive_tag_keys: members(params, "TransitiveTagKeys.member"),
            })),
            other => Err(WireError::UnknownAction(other.to_owned())),
        }
    }

    /// The form-encoded body for this request.
    pub fn to_form(&self) -> String {
        let mut f = form_urlencoded::Serializer::new(String::new());
        let opt = |f: &mut form_urlencoded::Serializer<String>, k: &str, v: Option<String>| {
            if let Some(v) = v {
                f.append_pair(k, &v);
            }
        };
        match self {
            StsRequest::GetCallerIdentity => {
                f.append_pair("Action", "GetCallerIdentity");
            }
            StsRequest::DecodeAuthorizationMessage { encoded_message } => {
                f.append_pair("Action", "DecodeAuthorizationMessage");
                f.append_pair("EncodedMessage", encoded_message);
            }
            StsRequest::GetSessionToken(GetSessionToken {
                duration,
                serial_number,
                token_code,
            }) => {
                f.append_pair("Action", "GetSessionToken");
                opt(&mut f, "DurationSeconds", duration.map(|d| d.to_string()));
                opt(&mut f, "SerialNumber", serial_number.clone());
                opt(&mut f, "TokenCode", token_code.clone());
            }
            StsRequest::AssumeRole(a) => {
                f.append_pair("Action", "AssumeRole");
                f.append_pair("RoleArn", &a.role_arn);
                f.append_pair("RoleSessionName", &a.role_session_name);
                opt(&mut f, "DurationSeconds", a.duration.map(|d| d.to_string()));
                opt(&mut f, "ExternalId", a.external_id.clone());
                opt(&mut f, "SerialNumber", a.serial_number.clone());
                opt(&mut f, "TokenCode", a.token_code.clone());
                opt(&mut f, "SourceIdentity", a.source_identity.clone());
                opt(&mut f, "Policy", a.policy.clone());
                for (i, arn) in a.policy_arns.iter().enumerate() {
                    f.append_pair(&format!("PolicyArns.member.{}.arn", i + 1), arn);
                }
                for (i, (key, value)) in a.tags.iter().enumerate() {
                    f.append_pair(&format!("Tags.member.{}.Key", i + 1), key);
                    f.append_pair(&format!("Tags.member.{}.Value", i + 1), value);
                }
                for (i, key) in a.transitive_tag_keys.iter().enumerate() {
                    f.append_pair(&format!("TransitiveTagKeys.member.{}", i + 1), key);
                }
            }
        }
        f.append_pair("Version", STS_VERSION);
        f.finish()
    }
}

pub(super) fn credentials_xml(c: &Credentials) -> String {
    format!(
        "<Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey><SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials>",
        escape(c.access_key_id.as_str()),
        escape(c.secret_access_key.expose()),
        escape(c.session_token.expose()),
        c.expiration.to_iso8601(),
    )
}

/// The XML answer to AssumeRole.
pub fn assume_role_response(issued: &Issued, request_id: &str) -> String {
    let user = format!(
        "<AssumedRoleUser><AssumedRoleId>{}</AssumedRoleId><Arn>{}</Arn></AssumedRoleUser>",
        escape(issued.unique_id.as_str()),
        escape(issued.arn.to_string())
    );
    let source = issued
        .source_identity
        .as_ref()
        .map(|s| format!("<SourceIdentity>{}</SourceIdentity>", escape(s.as_str())))
        .unwrap_or_default();
    envelope(
        "AssumeRole",
        &format!("{}{user}{source}", credentials_xml(&issued.credentials)),
        request_id,
    )
}

/// The XML answer to DecodeAuthorizationMessage.
pub fn decode_authorization_message_response(decoded: &str, request_id: &str) -> String {
    envelope(
        "DecodeAuthorizationMessage",
        &format!("<DecodedMessage>{}</DecodedMessage>", escape(decoded)),
        request_id,
    )
}

/// The XML answer to GetSessionToken.
pub fn get_session_token_response(issued: &Issued, request_id: &str) -> String {
    envelope(
        "GetSessionToken",
        &credentials_xml(&issued.credentials),
        request_id,
    )
}

/// The XML answer to GetCallerIdentity.
pub fn get_caller_identity_response(who: &CallerIdentity, request_id: &str) -> String {
    let mut result = String::new();
    let _ = write!(
        result,
        "<Arn>{}</Arn><UserId>{}</UserId><Account>{}</Account>",
        escape(who.arn.as_str()),
        escape(who.user_id.as_str()),
        escape(who.account.as_str())
    );
    envelope("GetCallerIdentity", &result, request_id)
}

/// What an STS response says, read by a client.
#[derive(Clone, Debug, PartialEq)]
pub enum StsResponse {
    /// New credentials, with the ARN they act as (AssumeRole) if given.
    Credentials {
        /// The credentials.
        credentials: Credentials,
        /// `AssumedRoleUser/Arn`, for AssumeRole.
        arn: Option<Arn>,
    },
    /// GetCallerIdentity's answer.
    Identity(CallerIdentity),
}

/// Reads an STS XML response (an error document is read by [`parse_query_error`]).
pub fn parse_sts_response(xml: &str) -> Result<StsResponse, WireError> {
    let (root, fields) = leaves(xml)?;
    let field = |k: &str| {
        fields
            .get(k)
            .cloned()
            .ok_or_else(|| WireError::Malformed(format!("{root} has no {k}")))
    };
    match root.as_str() {
        "GetCallerIdentityResponse" => Ok(StsResponse::Identity(CallerIdentity {
            account: field("Account")?,
            arn: field("Arn")?,
            user_id: field("UserId")?,
        })),
        "AssumeRoleResponse" | "GetSessionTokenResponse" => {
            let expiration = Timestamp::parse(&field("Expiration")?)
                .map_err(|e| WireError::Malformed(format!("Expiration: {e}")))?;
            Ok(StsResponse::Credentials {
                credentials: Credentials {
                    access_key_id: field("AccessKeyId")?,
                    secret_access_key: Secret::new(field("SecretAccessKey")?),
                    session_token: Secret::new(field("SessionToken")?),
                    expiration,
                },
                arn: fields
                    .get("Arn")
                    .map(|a| a.parse::<Arn>())
                    .transpose()
                    .map_err(|e| WireError::Malformed(format!("Arn: {e}")))?,
            })
        }
        other => Err(WireError::Malformed(format!("unexpected response {other}"))),
    }
}
