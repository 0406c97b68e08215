//! The federation endpoint's operations (IAM User Guide, "Enable custom identity broker access
//! to the AWS console"): a sign-in token for temporary credentials, used once within 15
//! minutes, for a console session of the same identity.

use super::*;
use crate::ops::federation::{FederatedSignIn, FederationError};
use crate::world::signin_tokens::SIGNIN_TOKEN_SECONDS;

fn session_json(c: &Credentials) -> String {
    serde_json::json!({
        "sessionId": c.access_key_id,
        "sessionKey": c.secret_access_key.expose(),
        "sessionToken": c.session_token.expose(),
    })
    .to_string()
}

impl Demo {
    /// ProdAdmin's long-term key assumes ProdOperator (no MFA needed: same account).
    fn prod_operator(&mut self) -> Credentials {
        let key = long_term(crate::demo::PROD_ADMIN);
        self.world
            .sts_assume_role(
                &mut self.rng,
                key,
                &assume(
                    "arn:aws:iam::222222222222:role/ops/ProdOperator",
                    "terminal",
                    None,
                ),
                NOW,
            )
            .expect("ProdAdmin may assume ProdOperator")
            .credentials
    }

    fn token(
        &mut self,
        c: &Credentials,
        duration: Option<&str>,
        at: Timestamp,
    ) -> Result<String, FederationError> {
        self.world.federation_signin_token(
            &mut self.rng,
            &Origin::default(),
            &session_json(c),
            duration,
            at,
        )
    }

    fn login(&mut self, token: &str, at: Timestamp) -> Result<FederatedSignIn, FederationError> {
        self.world
            .federation_sign_in(&mut self.rng, &Origin::default(), token, "/dynamodb", at)
    }
}

#[test]
fn a_role_session_signs_in_to_the_console_once_with_new_credentials() {
    let mut d = demo();
    let role = d.prod_operator();
    let token = d.token(&role, Some("1800"), NOW).expect("a token");
    assert_eq!(token.len(), 64);
    assert!(
        !token.contains(&role.access_key_id) && !token.contains(role.secret_access_key.expose())
    );
    let signed_in = d.login(&token, NOW.plus(60)).expect("signs in");
    assert_eq!(
        signed_in.issued.arn.to_string(),
        "arn:aws:sts::222222222222:assumed-role/ProdOperator/terminal"
    );
    // A role session's unique id is the role's id and the session's name.
    let (role_id, session) = signed_in.issued.unique_id.split_once(':').unwrap();
    assert!(role_id.starts_with("AROA"), "{role_id}");
    assert_eq!(session, "terminal");
    // "The resulting console session might include a distinct AccessKeyId."
    let console = &signed_in.issued.credentials;
    assert_ne!(console.access_key_id, role.access_key_id);
    assert_eq!(
        console.expiration,
        NOW.plus(60 + 1800),
        "SessionDuration from the sign-in"
    );
    assert_eq!(
        signed_in.role_path.as_ref().map(|p| p.as_str()),
        Some("/ops/")
    );
    // The console's credentials act as the role.
    assert_eq!(d.scan(console, "GameScores").map(|i| i.len()), Ok(4));
    // Once only.
    assert_eq!(
        d.login(&token, NOW.plus(61)).unwrap_err().code,
        "UsedSigninToken"
    );
}

#[test]
fn without_session_duration_the_console_session_ends_with_the_credentials() {
    let mut d = demo();
    let role = d.prod_operator();
    let token = d.token(&role, None, NOW).unwrap();
    let signed_in = d.login(&token, NOW).unwrap();
    assert_eq!(signed_in.issued.credentials.expiration, role.expiration);
}

/// The User Guide: the sign-in URL "is valid for 15 minutes".
#[test]
fn a_token_expires_after_fifteen_minutes() {
    let mut d = demo();
    let role = d.prod_operator();
    let token = d.token(&role, None, NOW).unwrap();
    let late = NOW.plus(SIGNIN_TOKEN_SECONDS);
    assert_eq!(
        d.login(&token, late).unwrap_err().code,
        "ExpiredSigninToken"
    );
    assert_eq!(
        d.login("not-a-token", NOW).unwrap_err().code,
        "InvalidSigninToken"
    );
}

#[test]
fn long_term_keys_wrong_expired_and_console_credentials_get_no_token() {
    let mut d = demo();
    let long_term = Credentials {
        access_key_id: "AKIAEXAMPLEPRODADMIN".into(),
        secret_access_key: Secret::new("Pr0dAdm1nSecretKeyExample/ForDemoOnly000"),
        session_token: Secret::new("none"),
        expiration: NOW.plus(3600),
    };
    assert_eq!(
        d.token(&long_term, None, NOW).unwrap_err().code,
        "LongTermCredentials"
    );
    let role = d.prod_operator();
    let mut wrong = role.clone();
    wrong.session_token = Secret::new("FwoGZXIvYXdzEwrong");
    assert_eq!(
        d.token(&wrong, None, NOW).unwrap_err().code,
        "InvalidSession"
    );
    let mut wrong = role.clone();
    wrong.secret_access_key = Secret::new("wrong");
    assert_eq!(
        d.token(&wrong, None, NOW).unwrap_err().code,
        "InvalidSession"
    );
    assert_eq!(
        d.token(&role, None, role.expiration).unwrap_err().code,
        "ExpiredSession"
    );
    let console = d.david(false);
    assert_eq!(
        d.token(&console, None, NOW).unwrap_err().code,
        "InvalidSession"
    );
    let malformed = d
        .world
        .federation_signin_token(&mut d.rng, &Origin::default(), "{", None, NOW);
    assert_eq!(malformed.unwrap_err().code, "MalformedSession");
}

/// The User Guide: SessionDuration "from 900 seconds (15 minutes) to 43200 seconds (12
/// hours)", only with `AssumeRole*` credentials, and those assumed with long-term ones.
#[test]
fn session_duration_is_from_900_to_43200_and_only_for_roles_assumed_with_long_term_keys() {
    let mut d = demo();
    let role = d.prod_operator();
    for bad in ["899", "43201", "-1", "1h", ""] {
        assert_eq!(
            d.token(&role, Some(bad), NOW).unwrap_err().code,
            "InvalidSessionDuration",
            "{bad}"
        );
    }
    for good in ["900", "43200"] {
        assert!(d.token(&role, Some(good), NOW).is_ok(), "{good}");
    }
    let key = Presented {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret: Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: None,
        origin: None,
    };
    let user = d
        .world
        .sts_get_session_token(&mut d.rng, key, &GetSessionToken::default(), NOW)
        .unwrap()
        .credentials;
    assert!(
        d.token(&user, None, NOW).is_ok(),
        "a GetSessionToken session signs in"
    );
    assert_eq!(
        d.token(&user, Some("900"), NOW).unwrap_err().code,
        "SessionDurationNotAllowed"
    );
    // A role session assumed with another role's session (no demo role may chain, so one
    // is marked so).
    let chained = d.prod_operator();
    let mut session = d
        .world
        .live
        .sessions
        .get(&chained.access_key_id)
        .unwrap()
        .clone();
    session.kind = crate::world::SessionKind::ChainedRole;
    d.world.live.sessions.insert(session);
    assert!(d.token(&chained, None, NOW).is_ok());
    let refused = d.token(&chained, Some("900"), NOW).unwrap_err();
    assert_eq!(refused.code, "SessionDurationNotAllowed");
    assert!(
        refused.message.contains("role chaining"),
        "{}",
        refused.message
    );
}

/// IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail": the token request
/// and the sign-in are `signin.amazonaws.com` events of the session's identity; neither holds
/// the token, the secret or the session token.
#[test]
fn the_trail_records_get_signin_token_and_console_login_without_secrets() {
    let mut d = demo();
    let role = d.prod_operator();
    let token = d.token(&role, None, NOW).unwrap();
    let signed_in = d.login(&token, NOW).unwrap();
    let _ = d.login(&token, NOW);
    let events: Vec<_> = d
        .world
        .live
        .trail
        .events()
        .filter(|e| e.event_source == "signin.amazonaws.com")
        .map(|e| {
            (
                e.event_name.to_string(),
                e.error_code.is_some(),
                e.to_json(),
            )
        })
        .collect();
    let names: Vec<_> = events.iter().map(|(n, f, _)| (n.as_str(), *f)).collect();
    assert_eq!(
        names,
        [
            ("GetSigninToken", false),
            ("ConsoleLogin", false),
            ("ConsoleLogin", true)
        ]
    );
    for (_, _, json) in &events {
        assert!(
            json.contains("assumed-role/ProdOperator/terminal"),
            "{json}"
        );
        assert!(
            json.contains("\"eventType\":\"AwsConsoleSignIn\""),
            "{json}"
        );
        for secret in [
            token.as_str(),
            role.secret_access_key.expose(),
            role.session_token.expose(),
            signed_in.issued.credentials.secret_access_key.expose(),
            signed_in.issued.credentials.session_token.expose(),
        ] {
            assert!(!json.contains(secret), "{json}");
        }
    }
    assert!(
        events[1].2.contains("\"LoginTo\":\"/dynamodb\""),
        "{}",
        events[1].2
    );
}
