//! The client side of the federation endpoint (IAM User Guide, "Enable custom identity broker
//! access to the AWS console"): the `getSigninToken` request its Python example builds, the
//! `login` URL, and the console's own half (the landing page's fragment and the exchange of
//! the token for its session). The `login` command and the console use these.

use serde::Deserialize;

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::link::{FEDERATED_SIGN_IN_PATH, FEDERATION_PATH};
use crate::validation::{AccountId, IamPath};
use crate::world::{Credentials, Secret};

/// The path and query of `getSigninToken` for temporary credentials, as the User Guide's
/// example writes it: the session JSON (`sessionId`, `sessionKey`, `sessionToken`),
/// form-encoded, and `SessionDuration` when given.
pub fn signin_token_request(
    access_key_id: &str,
    secret_access_key: &str,
    session_token: &str,
    session_duration: Option<u32>,
) -> String {
    let session = serde_json::json!({
        "sessionId": access_key_id,
        "sessionKey": secret_access_key,
        "sessionToken": session_token,
    })
    .to_string();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("Action", "getSigninToken");
    if let Some(seconds) = session_duration {
        query.append_pair("SessionDuration", &seconds.to_string());
    }
    query.append_pair("Session", &session);
    format!("{FEDERATION_PATH}?{}", query.finish())
}

/// A refusal of the federation endpoint: its code and message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FederationRefusal {
    /// The code (`ExpiredSession`, `UsedSigninToken`, …), or the HTTP status when the answer
    /// was not the endpoint's.
    pub code: String,
    /// What went wrong and what to do.
    pub message: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Error")]
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message")]
    message: String,
}

fn refusal(status: u16, body: &str) -> FederationRefusal {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(b) => FederationRefusal {
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => FederationRefusal {
            code: status.to_string(),
            message: format!(
                "The endpoint answered HTTP {status}, not the federation endpoint's answer. Check the URL."
            ),
        },
    }
}

/// `getSigninToken`'s answer: the token, or the refusal.
pub fn read_signin_token(status: u16, body: &str) -> Result<String, FederationRefusal> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(rename = "SigninToken")]
        signin_token: String,
    }
    match (status, serde_json::from_str::<Answer>(body)) {
        (200, Ok(a)) => Ok(a.signin_token),
        _ => Err(refusal(status, body)),
    }
}

/// The sign-in URL: `base` (the endpoint, without a trailing `/`) with `Action=login`, the
/// issuer, the destination and the token, as the User Guide's example builds it.
pub fn login_url(base: &str, token: &str, destination: &str, issuer: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("Action", "login")
        .append_pair("Issuer", issuer)
        .append_pair("Destination", destination)
        .append_pair("SigninToken", token)
        .finish();
    format!("{}{FEDERATION_PATH}?{query}", base.trim_end_matches('/'))
}

/// What the federated landing page was sent: a token to exchange and where to go, or why
/// the sign-in link did not work.
#[derive(Clone, PartialEq, Eq)]
pub enum Landing {
    /// A sign-in token and the page to land on.
    Token {
        /// The one-time sign-in token.
        token: String,
        /// A path on this site.
        destination: String,
    },
    /// The endpoint refused the link (`ExpiredSigninToken`, `UsedSigninToken`, …).
    Refused(String),
    /// Nothing usable.
    Nothing,
}

/// Never the token itself: it signs in.
impl std::fmt::Debug for Landing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Landing::Token { destination, .. } => f
                .debug_struct("Token")
                .field("destination", destination)
                .finish_non_exhaustive(),
            Landing::Refused(code) => f.debug_tuple("Refused").field(code).finish(),
            Landing::Nothing => f.write_str("Nothing"),
        }
    }
}

/// Reads the landing page's fragment (without `#`).
pub fn read_landing(fragment: &str) -> Landing {
    let mut token = None;
    let mut destination = None;
    for (k, v) in form_urlencoded::parse(fragment.as_bytes()) {
        match k.as_ref() {
            "token" => token = Some(v.into_owned()),
            "destination" => destination = Some(v.into_owned()),
            "error" => return Landing::Refused(v.chars().take(64).collect()),
            _ => {}
        }
    }
    match token {
        Some(token) if !token.is_empty() => Landing::Token {
            token,
            destination: destination
                .as_deref()
                .and_then(crate::link::safe_destination)
                .filter(|d| !d.starts_with(FEDERATED_SIGN_IN_PATH))
                .unwrap_or("/")
                .to_owned(),
        },
        _ => Landing::Nothing,
    }
}

/// What the landing page says of a refusal `code` the endpoint sent it.
pub fn refusal_message(code: &str) -> String {
    use crate::ops::federation::FederationError;
    use crate::world::signin_tokens::TokenRefusal;
    let refusal = match code {
        "ExpiredSigninToken" => TokenRefusal::Expired,
        "UsedSigninToken" => TokenRefusal::Used,
        _ => TokenRefusal::Unknown,
    };
    FederationError::token(refusal).message
}

/// The body of the landing page's exchange (`POST /federation`).
pub fn exchange_body(token: &str, destination: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("Action", "exchange")
        .append_pair("SigninToken", token)
        .append_pair("Destination", destination)
        .finish()
}

/// The console session a sign-in token was exchanged for.
#[derive(Clone, Debug, PartialEq)]
pub struct FederatedSession {
    /// The identity's ARN (an assumed role's, or a user's).
    pub arn: Arn,
    /// Its account.
    pub account_id: AccountId,
    /// For a role session, the role's path.
    pub role_path: Option<IamPath>,
    /// Whether MFA was proven for the session signed in with.
    pub mfa: bool,
    /// The console session's credentials.
    pub credentials: Credentials,
}

/// The exchange's answer: the session, or the refusal.
pub fn read_exchange(status: u16, body: &str) -> Result<FederatedSession, FederationRefusal> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        arn: String,
        account_id: String,
        role_path: Option<String>,
        mfa: bool,
        credentials: Wire,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Wire {
        access_key_id: String,
        secret_access_key: String,
        session_token: String,
        expiration: String,
    }
    let unreadable = || FederationRefusal {
        code: "Unreadable".into(),
        message: "The endpoint's answer could not be read. Try the sign-in link again.".into(),
    };
    if status != 200 {
        return Err(refusal(status, body));
    }
    let a: Answer = serde_json::from_str(body).map_err(|_| unreadable())?;
    Ok(FederatedSession {
        arn: a.arn.parse().map_err(|_| unreadable())?,
        account_id: AccountId::parse(&a.account_id).map_err(|_| unreadable())?,
        role_path: match a.role_path {
            Some(p) => Some(IamPath::parse(&p).map_err(|_| unreadable())?),
            None => None,
        },
        mfa: a.mfa,
        credentials: Credentials {
            access_key_id: a.credentials.access_key_id,
            secret_access_key: Secret::new(a.credentials.secret_access_key),
            session_token: Secret::new(a.credentials.session_token),
            expiration: Timestamp::parse(&a.credentials.expiration).map_err(|_| unreadable())?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_request_carries_the_session_json_form_encoded() {
        let path = signin_token_request("ASIAEXAMPLE", "se/cr+et", "to+ken", Some(43_200));
        let (page, query) = path.split_once('?').unwrap();
        assert_eq!(page, "/federation");
        let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(params[0], ("Action".into(), "getSigninToken".into()));
        assert_eq!(params[1], ("SessionDuration".into(), "43200".into()));
        let session: serde_json::Value = serde_json::from_str(&params[2].1).unwrap();
        assert_eq!(session["sessionKey"], "se/cr+et");
        assert_eq!(session["sessionToken"], "to+ken");
        assert!(!signin_token_request("A", "B", "C", None).contains("SessionDuration"));
    }

    #[test]
    fn answers_and_refusals_read() {
        assert_eq!(
            read_signin_token(200, r#"{"SigninToken":"abc"}"#),
            Ok("abc".into())
        );
        let refused = read_signin_token(
            400,
            r#"{"Error":{"Code":"ExpiredSession","Message":"Get new ones."}}"#,
        )
        .unwrap_err();
        assert_eq!(
            (refused.code.as_str(), refused.message.as_str()),
            ("ExpiredSession", "Get new ones.")
        );
        assert_eq!(read_signin_token(502, "<html>").unwrap_err().code, "502");
    }

    #[test]
    fn the_login_url_holds_the_destination_and_token_encoded() {
        let url = login_url(
            "http://127.0.0.1:4566/",
            "t-k_n",
            "/dynamodb?table=GameScores",
            "crossrole-login",
        );
        assert_eq!(
            url,
            "http://127.0.0.1:4566/federation?Action=login&Issuer=crossrole-login&Destination=%2Fdynamodb%3Ftable%3DGameScores&SigninToken=t-k_n"
        );
    }

    #[test]
    fn the_landing_fragment_reads_safely() {
        assert_eq!(
            read_landing("token=abc&destination=%2Fiam"),
            Landing::Token {
                token: "abc".into(),
                destination: "/iam".into()
            }
        );
        for off_site in [
            "https%3A%2F%2Fevil.example%2F",
            "%2F%2Fevil.example",
            "%2Ffederated-signin%23token%3Dx",
        ] {
            assert_eq!(
                read_landing(&format!("token=abc&destination={off_site}")),
                Landing::Token {
                    token: "abc".into(),
                    destination: "/".into()
                },
                "{off_site}"
            );
        }
        assert_eq!(
            read_landing("error=UsedSigninToken"),
            Landing::Refused("UsedSigninToken".into())
        );
        assert_eq!(read_landing(""), Landing::Nothing);
        assert_eq!(read_landing("token=&destination=%2Fiam"), Landing::Nothing);
        assert!(!format!("{:?}", read_landing("token=s3cr3t")).contains("s3cr3t"));
        assert!(refusal_message("UsedSigninToken").contains("already used"));
        assert!(refusal_message("ExpiredSigninToken").contains("expired"));
        assert!(refusal_message("<script>").contains("not valid"));
    }
    #[test]
    fn the_exchange_is_asked_form_encoded_and_its_answer_read() {
        assert_eq!(
            exchange_body("t+k/n", "/dynamodb?table=GameScores"),
            "Action=exchange&SigninToken=t%2Bk%2Fn&Destination=%2Fdynamodb%3Ftable%3DGameScores"
        );
        let answer = r#"{"arn":"arn:aws:sts::222222222222:assumed-role/ProdOperator/David","accountId":"222222222222","rolePath":"/ops/","mfa":true,"credentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"s","sessionToken":"t","expiration":"2026-12-05T13:00:00Z"}}"#;
        let session = read_exchange(200, answer).unwrap();
        assert_eq!(
            (session.account_id.as_str(), session.mfa),
            ("222222222222", true)
        );
        assert_eq!(session.role_path.unwrap().as_str(), "/ops/");
        assert_eq!(session.credentials.access_key_id, "ASIAEXAMPLE");
        // Only a 200 is a session, whatever its body; a refusal keeps the endpoint's code.
        assert_eq!(read_exchange(500, answer).unwrap_err().code, "500");
        let refused = r#"{"Error":{"Code":"UsedSigninToken","Message":"Used."}}"#;
        assert_eq!(
            read_exchange(400, refused).unwrap_err().code,
            "UsedSigninToken"
        );
        assert_eq!(read_exchange(200, "{}").unwrap_err().code, "Unreadable");
    }
}
