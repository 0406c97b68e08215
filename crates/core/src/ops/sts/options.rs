//! AssumeRole's parameters and its optional ones' limits, and the request context keys they
//! set.

use super::*;

/// The parameters of STS `AssumeRole`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `DurationSeconds`.
    pub duration: Option<u32>,
    /// `ExternalId`: what a third party was told to send (`sts:ExternalId`).
    pub external_id: Option<String>,
    /// `SerialNumber`: the caller's MFA device, proving MFA at switch time.
    pub serial_number: Option<String>,
    /// `TokenCode`: that device's current code.
    pub token_code: Option<String>,
    /// `SourceIdentity`: who is behind the session, kept through role chains.
    pub source_identity: Option<String>,
    /// `Policy`: an inline session policy; the session may do only what both it and the
    /// role's policies allow.
    pub policy: Option<String>,
    /// `PolicyArns.member.N.arn`: managed session policies (with `policy`, the session
    /// policies: the session may do what any of them allows, within the role's policies).
    pub policy_arns: Vec<String>,
    /// `Tags.member.N.Key` / `.Value`: session tags, in order.
    pub tags: Vec<(String, String)>,
    /// `TransitiveTagKeys.member.N`: the tags that pass on to chained sessions.
    pub transitive_tag_keys: Vec<String>,
}

/// What an AssumeRole request adds to its evaluation: its own context keys, and the actions
/// beyond `sts:AssumeRole` it needs ("Passing session tags in AWS STS": `sts:TagSession`;
/// "Monitor and control actions taken with assumed roles": `sts:SetSourceIdentity`).
#[derive(Debug, Default)]
pub(crate) struct Asked<'a> {
    /// `RoleSessionName` (`sts:RoleSessionName`).
    pub(crate) session_name: Option<&'a str>,
    /// `ExternalId` (`sts:ExternalId`).
    pub(crate) external_id: Option<&'a str>,
    /// The session's source identity, asked for or inherited (`sts:SourceIdentity`).
    pub(crate) source_identity: Option<&'a str>,
    /// Whether MFA was proven with this request (`SerialNumber` and `TokenCode`).
    pub(crate) mfa_now: bool,
    /// The tags the request passes (`aws:RequestTag/…`, `aws:TagKeys`).
    pub(crate) tags: &'a [(String, String)],
}

/// The request's own context keys over the caller's (IAM User Guide, "Available keys for AWS
/// STS"; "Passing session tags in AWS STS"; "AWS global condition context keys").
pub(crate) fn asked_context<'a>(base: &'a dyn ContextKeys, asked: &Asked<'_>) -> WithKeys<'a> {
    let mut context = WithKeys::new(base);
    let one = |v: &str| vec![v.to_owned()];
    if let Some(name) = asked.session_name {
        context.set("sts:RoleSessionName", one(name));
    }
    if let Some(id) = asked.external_id {
        context.set("sts:ExternalId", one(id));
    }
    if let Some(id) = asked.source_identity {
        context.set("sts:SourceIdentity", one(id));
    }
    if asked.mfa_now {
        // MFA proven with this very request: present, and zero seconds old.
        context.set("aws:MultiFactorAuthPresent", one("true"));
        context.set("aws:MultiFactorAuthAge", one("0"));
    }
    if !asked.tags.is_empty() {
        for (key, value) in asked.tags {
            context.set(format!("aws:RequestTag/{key}"), one(value));
        }
        context.set(
            "aws:TagKeys",
            asked.tags.iter().map(|(k, _)| k.clone()).collect(),
        );
    }
    context
}

/// AssumeRole's optional parameters, checked before anything is authorised, as AWS validates
/// a request's parameters first (STS API Reference, AssumeRole: each parameter's constraints).
pub(crate) struct Options {
    pub(crate) session_policy: Option<crate::world::PolicyDoc>,
}

pub(crate) fn check_options(request: &AssumeRole) -> Result<Options, ApiError> {
    let invalid = |what: &str, field: &str, constraint: &str| {
        ApiError::new(
            ErrorCode::ValidationError,
            format!("1 validation error detected: Value '{what}' at '{field}' failed to satisfy constraint: {constraint}"),
        )
    };
    if let Some(id) = &request.external_id {
        if !crate::validation::is_external_id(id) {
            return Err(invalid(
                id,
                "externalId",
                "Member must have length between 2 and 1224 and match [\\w+=,.@:\\/-]*",
            ));
        }
    }
    if let Some(id) = &request.source_identity {
        if !(2..=64).contains(&id.chars().count())
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
        {
            return Err(invalid(
                id,
                "sourceIdentity",
                "Member must have length between 2 and 64 and match [\\w+=,.@-]*",
            ));
        }
        if id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "SourceIdentity may not begin with the reserved prefix aws:",
            ));
        }
    }
    let session_policy = match &request.policy {
        None => None,
        Some(text) if text.chars().count() > SESSION_POLICY_MAX => {
            return Err(ApiError::new(
                ErrorCode::PackedPolicyTooLarge,
                format!(
                    "The session policy is {} characters; at most {SESSION_POLICY_MAX} are allowed",
                    text.chars().count()
                ),
            ))
        }
        Some(text) => {
            let doc = crate::world::PolicyDoc::parse(text)
                .and_then(|d| d.policy.check_identity_policy().map(|()| d))
                .map_err(|e| ApiError::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
            Some(doc)
        }
    };
    if request.policy_arns.len() > SESSION_POLICY_ARNS_MAX {
        return Err(invalid(
            "PolicyArns",
            "policyArns",
            "Member must have length less than or equal to 10",
        ));
    }
    let plain_text: usize = request.policy.as_ref().map_or(0, |p| p.chars().count())
        + request
            .policy_arns
            .iter()
            .map(|a| a.chars().count())
            .sum::<usize>();
    if plain_text > SESSION_POLICY_MAX {
        return Err(ApiError::new(
            ErrorCode::PackedPolicyTooLarge,
            format!("The session policies are {plain_text} characters; at most {SESSION_POLICY_MAX} are allowed"),
        ));
    }
    if request.tags.len() > SESSION_TAGS_MAX {
        return Err(invalid(
            "Tags",
            "tags",
            "Member must have length less than or equal to 50",
        ));
    }
    for (i, (key, value)) in request.tags.iter().enumerate() {
        let tag_char = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
        if !(1..=128).contains(&key.chars().count()) || !key.chars().all(tag_char) {
            return Err(invalid(key, &format!("tags.{}.member.key", i + 1), "Member must have length between 1 and 128 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"));
        }
        if value.chars().count() > 256 || !value.chars().all(tag_char) {
            return Err(invalid(value, &format!("tags.{}.member.value", i + 1), "Member must have length less than or equal to 256 and match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"));
        }
        if request.tags[..i]
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
    }
    for key in &request.transitive_tag_keys {
        if !request
            .tags
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("The transitive tag key {key:?} is not among the session tags"),
            ));
        }
    }
    Ok(Options { session_policy })
}

/// A session policy's plain text may have at most 2,048 characters (STS API Reference,
/// AssumeRole, `Policy`).
pub(crate) const SESSION_POLICY_MAX: usize = 2048;
/// At most 10 managed session policies (STS API Reference, AssumeRole, `PolicyArns`).
pub(crate) const SESSION_POLICY_ARNS_MAX: usize = 10;
/// At most 50 session tags (STS API Reference, AssumeRole, `Tags`).
pub(crate) const SESSION_TAGS_MAX: usize = 50;
