//! What the router does around core's answers: IAM changes saved with `--state` (and undone
//! when they cannot be), the audit trail's records kept for the next request, the federation
//! endpoint's headers, and which requests are AWS calls. (The protocol itself is tested with
//! boto3 and the AWS CLI in `tests/aws`.)

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{app, call_at, http, saved_production, send, temp_dir};
use crossrole_core::client::federation::{read_signin_token, signin_token_request};
use crossrole_core::client::{read_credentials, read_lookup_events, read_roles, Call};
use crossrole_core::demo::{DAVID, PROD_ADMIN};
use crossrole_core::ops::iam::NewRole;
use crossrole_core::ops::trail::LookupEvents;
use crossrole_core::ops::AssumeRole;
use crossrole_core::sigv4::HttpRequest;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::wire::StsRequest;
use crossrole_core::world::Credentials;
use crossrole_emulator::Options;

const OPERATOR: &str = "arn:aws:iam::222222222222:role/ops/ProdOperator";

fn create_role(name: &str) -> Call {
    Call::Iam(IamRequest::CreateRole(NewRole {
        name: name.into(),
        trust_policy: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#.into(),
        path: None,
        description: None,
        max_session_duration: None,
    }))
}

async fn role_names(app: &Router) -> Vec<String> {
    let listed = send(
        app,
        call_at("/", &Call::Iam(IamRequest::ListRoles), PROD_ADMIN),
    )
    .await;
    read_roles(listed.status.as_u16(), &listed.body)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect()
}

async fn operator_session(app: &Router) -> Credentials {
    let assume = Call::Sts(StsRequest::AssumeRole(AssumeRole {
        role_arn: OPERATOR.into(),
        role_session_name: "router-test".into(),
        ..Default::default()
    }));
    let answer = send(app, call_at("/", &assume, PROD_ADMIN)).await;
    read_credentials(answer.status.as_u16(), &answer.body)
        .expect("ProdAdmin may switch to ProdOperator")
        .0
}

/// docs/emulator.md, `--state`: an IAM change is saved before it is answered, and a change
/// that cannot be saved is undone and answered `500 ServiceFailure`, never 200.
#[tokio::test]
async fn iam_changes_are_saved_and_one_that_cannot_be_is_undone() {
    let dir = temp_dir("served-state");
    let path = dir.join("state.json");
    let saving = app(Options {
        state: Some(path.clone()),
        ..Options::default()
    });
    let created = send(&saving, call_at("/", &create_role("Saved"), PROD_ADMIN)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let prod = saved_production(&path);
    assert!(prod.role("Saved").is_some());
    assert!(
        prod.role("ProdOperator").is_some(),
        "the whole world is saved"
    );

    // A folder where the state file should be: no save can land.
    let blocked = dir.join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    let failing = app(Options {
        state: Some(blocked),
        ..Options::default()
    });
    let refused = send(&failing, call_at("/", &create_role("Unsaved"), PROD_ADMIN)).await;
    assert_eq!(refused.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(refused.body.contains("ServiceFailure"), "{}", refused.body);
    assert!(!role_names(&failing).await.contains(&"Unsaved".to_owned()));
}

/// A request's records are made after the world's lock and kept by the next request: the
/// switch is there for the LookupEvents that follows it.
#[tokio::test]
async fn a_switch_is_in_the_trail_for_the_next_request() {
    let app = app(Options::default());
    operator_session(&app).await;
    let lookup = Call::CloudTrail(LookupEvents::default());
    let found = send(&app, call_at("/", &lookup, PROD_ADMIN)).await;
    let page = read_lookup_events(found.status.as_u16(), &found.body).unwrap();
    assert!(
        page.events.iter().any(|e| &*e.event_name == "AssumeRole"),
        "{}",
        found.body
    );
}

/// IAM User Guide, "Enable custom identity broker access to the AWS console": the sign-in
/// token is a credential, so its answer is never cached and never sent on as a Referer.
#[tokio::test]
async fn the_federation_endpoint_answers_are_never_cached_or_referred() {
    let app = app(Options::default());
    let c = operator_session(&app).await;
    let path_and_query = signin_token_request(
        &c.access_key_id,
        c.secret_access_key.expose(),
        c.session_token.expose(),
        None,
    );
    let (path, query) = path_and_query.split_once('?').unwrap();
    let asked = HttpRequest {
        method: "GET".into(),
        path: path.into(),
        query: query.into(),
        headers: vec![("host".into(), "127.0.0.1:4566".into())],
        body: Vec::new(),
    };
    let answer = send(&app, http(asked)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    read_signin_token(answer.status.as_u16(), &answer.body).expect("a sign-in token");
    assert_eq!(answer.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(answer.headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
}

/// docs/emulator.md: a request is an AWS call when it is a POST or carries `Authorization` or
/// `X-Amz-Target`; other GETs are for `--static`.
#[tokio::test]
async fn signed_or_targeted_gets_are_aws_calls() {
    let dir = temp_dir("served-static");
    std::fs::write(dir.join("index.html"), "<title>crossrole</title>").unwrap();
    let app = app(Options {
        static_dir: Some(dir.to_path_buf()),
        ..Options::default()
    });
    let signed = Request::get("/?Action=GetCallerIdentity")
        .header(
            header::AUTHORIZATION,
            format!(
                "AWS4-HMAC-SHA256 Credential={}/20261205/us-west-2/sts/aws4_request, SignedHeaders=host, Signature=00",
                DAVID.access_key_id
            ),
        )
        .body(Body::empty())
        .unwrap();
    let targeted = Request::get("/")
        .header("x-amz-target", "DynamoDB_20120810.ListTables")
        .body(Body::empty())
        .unwrap();
    for req in [signed, targeted] {
        let answer = send(&app, req).await;
        assert!(answer.status.is_client_error(), "{}", answer.body);
        assert!(
            !answer.body.contains("crossrole</title>"),
            "{}",
            answer.body
        );
        assert!(answer.headers.contains_key("x-amzn-requestid"));
    }
    let page = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(page.body, "<title>crossrole</title>");
}
