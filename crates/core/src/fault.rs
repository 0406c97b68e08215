//! AWS error codes in one place: each code's spelling in the Query protocol (STS, IAM) and
//! in DynamoDB's JSON protocol, and its HTTP status. The endpoint writes them and the client
//! reads them with these same tables.

use serde::{Deserialize, Serialize};

/// The AWS error codes the operations produce.
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
    /// The MFA code (or device serial) is wrong.
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
}

impl ErrorCode {
    /// The code STS and IAM (Query protocol) write.
    pub fn query_code(self) -> &'static str {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa => "AccessDenied",
            ErrorCode::ValidationError => "ValidationError",
            ErrorCode::ExpiredToken => "ExpiredToken",
            ErrorCode::InvalidClientTokenId => "InvalidClientTokenId",
            ErrorCode::SignInFailed => "SignInFailed",
            ErrorCode::ResourceNotFound | ErrorCode::NoSuchEntity => "NoSuchEntity",
            ErrorCode::EntityAlreadyExists => "EntityAlreadyExists",
            ErrorCode::MalformedPolicyDocument => "MalformedPolicyDocument",
            ErrorCode::DeleteConflict => "DeleteConflict",
            ErrorCode::LimitExceeded => "LimitExceeded",
        }
    }

    /// The code DynamoDB (JSON protocol) writes.
    pub fn json_code(self) -> &'static str {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa | ErrorCode::SignInFailed => {
                "AccessDeniedException"
            }
            ErrorCode::ValidationError => "ValidationException",
            ErrorCode::ExpiredToken => "ExpiredTokenException",
            ErrorCode::InvalidClientTokenId => "UnrecognizedClientException",
            ErrorCode::ResourceNotFound | ErrorCode::NoSuchEntity => "ResourceNotFoundException",
            ErrorCode::EntityAlreadyExists | ErrorCode::DeleteConflict => "ResourceInUseException",
            ErrorCode::MalformedPolicyDocument => "ValidationException",
            ErrorCode::LimitExceeded => "LimitExceededException",
        }
    }

    /// The code a client reads off the wire (Query or JSON spelling), when it is one of these.
    pub fn from_wire(code: &str) -> Option<ErrorCode> {
        Some(match code {
            "AccessDenied" | "AccessDeniedException" => ErrorCode::AccessDenied,
            "ValidationError" | "ValidationException" => ErrorCode::ValidationError,
            "ExpiredToken" | "ExpiredTokenException" => ErrorCode::ExpiredToken,
            "InvalidClientTokenId" | "UnrecognizedClientException" => {
                ErrorCode::InvalidClientTokenId
            }
            "SignInFailed" => ErrorCode::SignInFailed,
            "ResourceNotFoundException" => ErrorCode::ResourceNotFound,
            "NoSuchEntity" => ErrorCode::NoSuchEntity,
            "EntityAlreadyExists" => ErrorCode::EntityAlreadyExists,
            "MalformedPolicyDocument" => ErrorCode::MalformedPolicyDocument,
            "DeleteConflict" => ErrorCode::DeleteConflict,
            "LimitExceeded" | "LimitExceededException" => ErrorCode::LimitExceeded,
            _ => return None,
        })
    }

    /// The HTTP status AWS answers with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::AccessDenied | ErrorCode::InvalidMfa | ErrorCode::ExpiredToken => 403,
            ErrorCode::InvalidClientTokenId | ErrorCode::SignInFailed => 403,
            ErrorCode::ValidationError
            | ErrorCode::ResourceNotFound
            | ErrorCode::MalformedPolicyDocument => 400,
            ErrorCode::NoSuchEntity => 404,
            ErrorCode::EntityAlreadyExists
            | ErrorCode::DeleteConflict
            | ErrorCode::LimitExceeded => 409,
        }
    }
}
