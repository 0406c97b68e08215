//! The federation endpoint over HTTP (IAM User Guide, "Enable custom identity broker access to
//! the AWS console"): `GET /federation?Action=getSigninToken` and `?Action=login`, as AWS's;
//! and crossrole's own `POST /federation` with `Action=exchange`, where the console's landing
//! page trades the sign-in token for its session (AWS's sign-in sets a cookie instead; the
//! console signs its own requests, so it needs the credentials, and a POST body keeps them
//! and the token out of every URL).

use rand_core::RngCore;
use serde_json::json;

use crate::clock::Timestamp;
use crate::link::{safe_destination, FEDERATED_SIGN_IN_PATH, FEDERATION_PATH};
use crate::ops::federation::FederationError;
use crate::ops::Origin;
use crate::sigv4::HttpRequest;
use crate::wire::query_params;
use crate::world::{Identity, World};

/// The federation endpoint's answer, with what a request log may show (never a token, a
/// secret or a destination's query).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FederationReply {
    /// The HTTP status.
    pub status: u16,
    /// The response's content type.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
    /// Where a `login` sends the browser (a path on this site).
    pub location: Option<String>,
    /// The action, as named (cut short), for the log.
    pub action: String,
    /// The refusal's code, for the log.
    pub error: Option<&'static str>,
}

impl FederationReply {
    fn json(status: u16, body: serde_json::Value, action: &str) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: body.to_string(),
            location: None,
            action: action.to_owned(),
            error: None,
        }
    }

    fn refused(e: &FederationError, action: &str) -> Self {
        Self {
            error: Some(e.code),
            ..Self::json(
                e.status,
                json!({ "Error": { "Code": e.code, "Message": e.message } }),
                action,
            )
        }
    }

    fn redirect(fragment: String, action: &str, error: Option<&'static str>) -> Self {
        Self {
            status: 302,
            content_type: "text/plain; charset=utf-8",
            body: String::new(),
            location: Some(format!("{FEDERATED_SIGN_IN_PATH}#{fragment}")),
            action: action.to_owned(),
            error,
        }
    }
}

/// Whether `path` is the federation endpoint's.
pub fn is_federation(path: &str) -> bool {
    path == FEDERATION_PATH
}

/// Answers a request to the federation endpoint. `host` is the request's `Host`, against
/// which an absolute `Destination` must match (a same-site path is what the console's own
/// links use).
pub fn federation(
    world: &mut World,
    rng: &mut dyn RngCore,
    request: &HttpRequest,
    origin: &Origin,
    host: Option<&str>,
    now: Timestamp,
) -> FederationReply {
    let params = match request.method.as_str() {
        "GET" | "HEAD" => query_params(&request.query),
        "POST" => query_params(&String::from_utf8_lossy(&request.body)),
        _ => Default::default(),
    };
    let action: String = params
        .get("Action")
        .map(|a| a.chars().take(32).collect())
        .unwrap_or_default();
    let param = |k: &str| params.get(k).map(String::as_str);
    match (request.method.as_str(), action.as_str()) {
        ("GET", "getSigninToken") => {
            let Some(session) = param("Session") else {
                let e = missing("Session");
                return FederationReply::refused(&e, &action);
            };
            match world.federation_signin_token(rng, origin, session, param("SessionDuration"), now)
            {
                Ok(token) => FederationReply::json(200, json!({ "SigninToken": token }), &action),
                Err(e) => FederationReply::refused(&e, &action),
            }
        }
        ("GET", "login") => {
            let Some(destination) = param("Destination").and_then(|d| same_site(d, host)) else {
                let e = FederationError {
                    status: 400,
                    code: "InvalidDestination",
                    message: "Destination must be a page of this console: a path such as /dynamodb?table=GameScores, or a URL on this same site.".into(),
                };
                return FederationReply::refused(&e, &action);
            };
            let token = param("SigninToken").unwrap_or_default();
            let fragment = match world.federation_check_token(token, now) {
                Ok(()) => form(&[("token", token), ("destination", &destination)]),
                Err(e) => {
                    return FederationReply::redirect(
                        form(&[("error", e.code)]),
                        &action,
                        Some(e.code),
                    )
                }
            };
            FederationReply::redirect(fragment, &action, None)
        }
        ("POST", "exchange") => {
            let token = param("SigninToken").unwrap_or_default();
            let destination = param("Destination")
                .and_then(|d| same_site(d, host))
                .unwrap_or_else(|| "/".to_owned());
            match world.federation_sign_in(rng, origin, token, &destination, now) {
                Ok(signed_in) => {
                    let c = &signed_in.issued.credentials;
                    let (kind, role_path) = match &signed_in.identity {
                        Identity::AssumedRole { .. } => (
                            "role",
                            signed_in.role_path.as_ref().map(|p| p.as_str().to_owned()),
                        ),
                        _ => ("user", None),
                    };
                    FederationReply::json(
                        200,
                        json!({
                            "kind": kind,
                            "arn": signed_in.issued.arn.to_string(),
                            "accountId": signed_in.identity.account().as_str(),
                            "rolePath": role_path,
                            "mfa": signed_in.mfa,
                            "destination": destination,
                            "credentials": {
                                "accessKeyId": c.access_key_id,
                                "secretAccessKey": c.secret_access_key.expose(),
                                "sessionToken": c.session_token.expose(),
                                "expiration": c.expiration.to_iso8601(),
                            },
                        }),
                        &action,
                    )
                }
                Err(e) => FederationReply::refused(&e, &action),
            }
        }
        _ => FederationReply::refused(
            &FederationError {
                status: 400,
                code: "InvalidAction",
                message: "Action must be getSigninToken or login (GET), or exchange (POST).".into(),
            },
            &action,
        ),
    }
}

fn missing(name: &str) -> FederationError {
    FederationError {
        status: 400,
        code: "MissingParameter",
        message: format!("The request must contain the parameter {name}."),
    }
}

/// `destination` as a path on this site: a safe path, or an absolute `http(s)` URL whose
/// host is `host` (reduced to its path); never the sign-in, landing or federation pages.
fn same_site(destination: &str, host: Option<&str>) -> Option<String> {
    let destination = destination.trim();
    let path = if destination.starts_with('/') {
        destination.to_owned()
    } else {
        let rest = destination
            .strip_prefix("https://")
            .or_else(|| destination.strip_prefix("http://"))?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host? != authority || authority.is_empty() {
            return None;
        }
        if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        }
    };
    let page = path.split(['?', '#']).next().unwrap_or_default();
    if page == FEDERATED_SIGN_IN_PATH || page == FEDERATION_PATH {
        return None;
    }
    safe_destination(&path).map(str::to_owned)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::client::federation::{
        exchange_body, read_exchange, read_landing, read_signin_token, signin_token_request,
        Landing,
    };
    use crate::demo::PROD_ADMIN;
    use crate::ops::{AssumeRole, Presented};
    use crate::world::demo_world;

    const NOW: Timestamp = Timestamp(1_796_040_000);
    const HOST: Option<&str> = Some("127.0.0.1:8080");

    fn request(method: &str, query: &str, body: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: FEDERATION_PATH.into(),
            query: query.into(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// IAM User Guide, "Enable custom identity broker access to the AWS console": a role
    /// session's credentials buy a sign-in token (GET getSigninToken), the token a redirect
    /// to the console (GET login), and the landing page trades it for the session (POST
    /// exchange), once.
    #[test]
    fn a_session_goes_from_token_to_login_to_exchange() {
        let mut world = demo_world();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let origin = Origin::default();
        let key = Presented {
            access_key_id: PROD_ADMIN.access_key_id,
            secret: Some(PROD_ADMIN.secret_access_key),
            session_token: None,
            origin: None,
        };
        let assume = AssumeRole {
            role_arn: "arn:aws:iam::222222222222:role/ops/ProdOperator".into(),
            role_session_name: "terminal".into(),
            ..Default::default()
        };
        let c = world
            .sts_assume_role(&mut rng, key, &assume, NOW)
            .unwrap()
            .credentials;
        let mut ask = |world: &mut World, method: &str, query: &str, body: &str| {
            federation(
                world,
                &mut rng,
                &request(method, query, body),
                &origin,
                HOST,
                NOW,
            )
        };

        let path = signin_token_request(
            &c.access_key_id,
            c.secret_access_key.expose(),
            c.session_token.expose(),
            None,
        );
        let query = path.split_once('?').unwrap().1;
        let reply = ask(&mut world, "GET", query, "");
        assert_eq!((reply.status, reply.error), (200, None), "{}", reply.body);
        let token = read_signin_token(reply.status, &reply.body).unwrap();
        // Asked any other way, the same query is not an action.
        for (method, q, body) in [("POST", "", query), ("PUT", query, "")] {
            let reply = ask(&mut world, method, q, body);
            assert_eq!(reply.error, Some("InvalidAction"), "{method}");
        }

        let login = form(&[
            ("Action", "login"),
            ("SigninToken", &token),
            ("Destination", "/dynamodb?table=GameScores"),
        ]);
        let reply = ask(&mut world, "GET", &login, "");
        assert_eq!((reply.status, reply.error), (302, None));
        let location = reply.location.unwrap();
        let fragment = location
            .strip_prefix(&format!("{FEDERATED_SIGN_IN_PATH}#"))
            .unwrap();
        assert_eq!(
            read_landing(fragment),
            Landing::Token {
                token: token.clone(),
                destination: "/dynamodb?table=GameScores".into()
            }
        );
        let exchange = exchange_body(&token, "/dynamodb");
        assert_eq!(
            ask(&mut world, "GET", &exchange, "").error,
            Some("InvalidAction")
        );
        let reply = ask(&mut world, "POST", "", &exchange);
        let session = read_exchange(reply.status, &reply.body).unwrap();
        assert_eq!(session.account_id.as_str(), "222222222222");
        assert_eq!(session.role_path.unwrap().as_str(), "/ops/");

        // Used once: a second login lands on the page with the refusal, never the token.
        let reply = ask(&mut world, "GET", &login, "");
        assert_eq!((reply.status, reply.error), (302, Some("UsedSigninToken")));
        let location = reply.location.unwrap();
        assert!(location.ends_with("#error=UsedSigninToken"), "{location}");
        let reply = ask(&mut world, "GET", "Action=getSigninToken", "");
        assert_eq!((reply.status, reply.error), (400, Some("MissingParameter")));
    }

    #[test]
    fn only_the_federation_path_is_the_federation_endpoint() {
        assert!(is_federation("/federation"));
        for other in ["/federation/", "/federated-signin", "/", ""] {
            assert!(!is_federation(other), "{other}");
        }
    }

    /// A `login` never sends the browser off this site: no other host, no scheme-relative
    /// `//host`, no backslash trick, no `javascript:`.
    #[test]
    fn destinations_stay_on_this_site() {
        let host = Some("127.0.0.1:8080");
        assert_eq!(
            same_site("/dynamodb?table=Billing", host).as_deref(),
            Some("/dynamodb?table=Billing")
        );
        assert_eq!(
            same_site("http://127.0.0.1:8080/iam", host).as_deref(),
            Some("/iam")
        );
        assert_eq!(
            same_site("http://127.0.0.1:8080", host).as_deref(),
            Some("/")
        );
        for off_site in [
            "https://evil.example/",
            "http://127.0.0.1:8080.evil.example/",
            "http://127.0.0.1:8080@evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "https://console.aws.amazon.com/",
            "/federated-signin#token=x",
            "/federation?Action=login",
            "/signin",
            "",
        ] {
            assert_eq!(same_site(off_site, host), None, "{off_site}");
        }
        assert_eq!(same_site("http://127.0.0.1:8080/iam", None), None);
    }
}
