//! AWS error codes in one place: each code's spelling in the Query protocol (STS, IAM) and in
//! DynamoDB's JSON protocol, and its HTTP status, in one table ([`ErrorCode`]'s rows). The
//! endpoint writes errors with it and the client reads them with it, so no code is spelled
//! twice. A fault as it travels is a [`WireFault`].

use serde::{Deserialize, Serialize};

/// The AWS error codes crossrole writes or recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// Not authorized (STS: `AccessDenied`; DynamoDB: `AccessDeniedException`).
    AccessDenied,
    /// A parameter is invalid (STS: `ValidationError`; DynamoDB: `ValidationException`).
    ValidationError,
    /// The credentials have expired.
    ExpiredToken,
    /// The access key id or session token is not known.
    InvalidClientTokenId,
    /// Console sign-in failed (wrong account, user or password).
    SignInFailed,
    /// The MFA code (or device serial) is wrong (AWS writes `AccessDenied`).
    InvalidMfa,
    /// A DynamoDB table or key does not exist (`ResourceNotFoundException`).
    ResourceNotFound,
    /// An IAM entity does not exist (`NoSuchEntity`).
    NoSuchEntity,
    /// An IAM entity of that name exists already (`EntityAlreadyExists`).
    EntityAlreadyExists,
    /// A policy document does not parse (`MalformedPolicyDocument`).
    MalformedPolicyDocument,
    /// An IAM entity still has attached things (`DeleteConflict`).
    DeleteConflict,
    /// A quota would be exceeded, e.g. a policy's size (`LimitExceeded`).
    LimitExceeded,
    /// The action or operation is not one the endpoint serves.
    InvalidAction,
    /// The request carries no signature.
    MissingAuthenticationToken,
    /// The signature is incomplete (a header or part missing or unsigned).
    IncompleteSignature,
    /// The signature is wrong, or its time, region or payload hash is refused.
    SignatureDoesNotMatch,
    /// The endpoint failed (a server error).
    ServiceFailure,
    /// A session policy (or session tags) too large (`PackedPolicyTooLarge`).
    PackedPolicyTooLarge,
    /// An IAM parameter that names nothing usable (`InvalidInput`).
    InvalidInput,
    /// An encoded authorization message that is not one (`InvalidAuthorizationMessageException`).
    InvalidAuthorizationMessage,
    /// CloudTrail LookupEvents: a lookup attribute it does not take.
    InvalidLookupAttributes,
    /// CloudTrail LookupEvents: a start time after the end time.
    InvalidTimeRange,
    /// CloudTrail LookupEvents: `MaxResults` outside 1–50.
    InvalidMaxResults,
    /// CloudTrail LookupEvents: a `NextToken` it did not give for this lookup.
    InvalidNextToken,
}

/// One row of the table: a code, its Query spelling, its JSON spelling, its HTTP status.
type Row = (ErrorCode, &'static str, &'static str, u16);

/// Every code's spellings and status. Codes that share a spelling come after the one a
/// client should read it as (`AccessDenied` is [`ErrorCode::AccessDenied`], not `InvalidMfa`).
const CODES: [Row; 24] = [
    (
        ErrorCode::AccessDenied,
        "AccessDenied",
        "AccessDeniedException",
        403,
    ),
    (
        ErrorCode::ValidationError,
        "ValidationError",
        "ValidationException",
        400,
    ),
    (
        ErrorCode::ExpiredToken,
        "ExpiredToken",
        "ExpiredTokenException",
        403,
    ),
    (
        ErrorCode::InvalidClientTokenId,
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        403,
    ),
    (
        ErrorCode::SignInFailed,
        "SignInFailed",
        "AccessDeniedException",
        403,
    ),
    (
        ErrorCode::InvalidMfa,
        "AccessDenied",
        "AccessDeniedException",
        403,
    ),
    (
        ErrorCode::NoSuchEntity,
        "NoSuchEntity",
        "ResourceNotFoundException",
        404,
    ),
    // DynamoDB's, which only speaks JSON: its Query spelling is never written.
    (
        ErrorCode::ResourceNotFound,
        "ResourceNotFoundException",
        "ResourceNotFoundException",
        400,
    ),
    (
        ErrorCode::EntityAlreadyExists,
        "EntityAlreadyExists",
        "ResourceInUseException",
        409,
    ),
    (
        ErrorCode::MalformedPolicyDocument,
        "MalformedPolicyDocument",
        "ValidationException",
        400,
    ),
    (
        ErrorCode::DeleteConflict,
        "DeleteConflict",
        "ResourceInUseException",
        409,
    ),
    (
        ErrorCode::LimitExceeded,
        "LimitExceeded",
        "LimitExceededException",
        409,
    ),
    (
        ErrorCode::InvalidAction,
        "InvalidAction",
        "UnknownOperationException",
        400,
    ),
    (
        ErrorCode::MissingAuthenticationToken,
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
        403,
    ),
    (
        ErrorCode::IncompleteSignature,
        "IncompleteSignature",
        "IncompleteSignatureException",
        400,
    ),
    (
        ErrorCode::SignatureDoesNotMatch,
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        403,
    ),
    (
        ErrorCode::ServiceFailure,
        "ServiceFailure",
        "InternalServerError",
        500,
    ),
    (
        ErrorCode::PackedPolicyTooLarge,
        "PackedPolicyTooLarge",
        "ValidationException",
        400,
    ),
    (
        ErrorCode::InvalidInput,
        "InvalidInput",
        "ValidationException",
        400,
    ),
    (
        ErrorCode::InvalidAuthorizationMessage,
        "InvalidAuthorizationMessageException",
        "ValidationException",
        400,
    ),
    (
        ErrorCode::InvalidLookupAttributes,
        "InvalidLookupAttributesException",
        "InvalidLookupAttributesException",
        400,
    ),
    (
        ErrorCode::InvalidTimeRange,
        "InvalidTimeRangeException",
        "InvalidTimeRangeException",
        400,
    ),
    (
        ErrorCode::InvalidMaxResults,
        "InvalidMaxResultsException",
        "InvalidMaxResultsException",
        400,
    ),
    (
        ErrorCode::InvalidNextToken,
        "InvalidNextTokenException",
        "InvalidNextTokenException",
        400,
    ),
];

/// The message AWS gives for an access key id or session token it does not know.
pub const INVALID_TOKEN_MESSAGE: &str = "The security token included in the request is invalid.";

impl ErrorCode {
    fn row(self) -> &'static Row {
        CODES
            .iter()
            .find(|r| r.0 == self)
            .expect("every code has a row")
    }

    /// The code STS and IAM (Query protocol) write.
    pub fn query_code(self) -> &'static str {
        self.row().1
    }

    /// The code DynamoDB (JSON protocol) writes.
    pub fn json_code(self) -> &'static str {
        self.row().2
    }

    /// The HTTP status AWS answers with.
    pub fn http_status(self) -> u16 {
        self.row().3
    }

    /// Whether the fault is the endpoint's own (`Receiver` in a Query error document).
    pub fn is_server_fault(self) -> bool {
        self.http_status() >= 500
    }

    /// Whether the refusal is of how the request was signed (AWS's messages for these do not
    /// say so, so a client shows the code with the message).
    pub fn is_signature_fault(self) -> bool {
        matches!(
            self,
            ErrorCode::MissingAuthenticationToken
                | ErrorCode::IncompleteSignature
                | ErrorCode::SignatureDoesNotMatch
        )
    }

    /// The code a client reads off the wire (Query or JSON spelling), when it is one of these.
    pub fn from_wire(code: &str) -> Option<ErrorCode> {
        let by = |column: fn(&Row) -> &str| CODES.iter().find(|r| column(r) == code);
        by(|r| r.1).or_else(|| by(|r| r.2)).map(|r| r.0)
    }
}

/// An AWS error as it travels: the code as the endpoint spelled it, its message, and the HTTP
/// status. The client reads every protocol's error documents into this one type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct WireFault {
    /// The code, as written (`AccessDenied`, `AccessDeniedException`, or one this project does
    /// not know).
    pub code: String,
    /// The message.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
}

impl WireFault {
    /// The code, when it is one crossrole knows.
    pub fn known(&self) -> Option<ErrorCode> {
        ErrorCode::from_wire(&self.code)
    }

    /// Whether the endpoint refused the request's signature (where a wrong clock shows).
    pub fn is_signature_refusal(&self) -> bool {
        self.known() == Some(ErrorCode::SignatureDoesNotMatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_both_spellings() {
        for (code, query, json, status) in CODES {
            assert_eq!(code.query_code(), query);
            assert_eq!(code.json_code(), json);
            assert_eq!(code.http_status(), status);
            // A shared spelling reads as the first code that writes it.
            let read = ErrorCode::from_wire(query).unwrap();
            assert_eq!(read.query_code(), query, "{code:?}");
            assert!(ErrorCode::from_wire(json).is_some());
        }
        assert_eq!(
            ErrorCode::from_wire("AccessDenied"),
            Some(ErrorCode::AccessDenied)
        );
        assert_eq!(
            ErrorCode::from_wire("NoSuchEntity"),
            Some(ErrorCode::NoSuchEntity)
        );
        assert_eq!(
            ErrorCode::from_wire("ResourceNotFoundException"),
            Some(ErrorCode::ResourceNotFound)
        );
        assert_eq!(ErrorCode::from_wire("Throttling"), None);
        assert!(ErrorCode::ServiceFailure.is_server_fault());
    }

    /// The Query protocol's `Type` is `Receiver` only for the endpoint's own faults (HTTP 5xx)
    /// and `Sender` for the caller's (STS API Reference, "Common Errors": a 5xx is the
    /// service's failure, a 4xx the request's); and the signature faults are exactly the three
    /// of "Common Errors" that refuse how a request was signed.
    #[test]
    fn server_and_signature_faults_are_told_apart() {
        for (code, _, _, status) in CODES {
            assert_eq!(code.is_server_fault(), status >= 500, "{code:?}");
        }
        assert!(!ErrorCode::AccessDenied.is_server_fault());
        let signature: Vec<_> = CODES
            .iter()
            .map(|row| row.0)
            .filter(|c| c.is_signature_fault())
            .collect();
        assert_eq!(
            signature,
            [
                ErrorCode::MissingAuthenticationToken,
                ErrorCode::IncompleteSignature,
                ErrorCode::SignatureDoesNotMatch
            ]
        );
    }
}
