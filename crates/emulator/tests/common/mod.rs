//! What the emulator's integration tests share: requests as core's client prepares them, sent
//! to the router in-process, and a folder per test.

#![allow(dead_code, unused_imports)] // each test file uses its own part

use std::path::Path;

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use crossrole_core::client::{prepare, Call};
use crossrole_core::clock::Timestamp;
use crossrole_core::sigv4::{HttpRequest, SigningCredentials};
use crossrole_core::wire::Endpoint;
use crossrole_core::world::{demo_world, Account};
use crossrole_emulator::{router, Options};
use tower::ServiceExt;

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Sends `req` to `app` and reads the answer.
pub async fn send(app: &Router, req: Request<Body>) -> Answer {
    let response = app.clone().oneshot(req).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A request core's client prepared, as an HTTP request to the router.
pub fn http(req: HttpRequest) -> Request<Body> {
    let uri = match req.query.as_str() {
        "" => req.path,
        query => format!("{}?{query}", req.path),
    };
    let mut builder = Request::builder().method(req.method.as_str()).uri(uri);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    builder.body(Body::from(req.body)).unwrap()
}

/// Now, by the system clock: the tests' own, so that a server with a wrong clock is seen (a
/// request signed with its clock would agree with it).
pub fn now() -> Timestamp {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    Timestamp(since.as_secs() as i64)
}

/// `call` to `path`, prepared and signed by core's client as the console would.
pub fn prepared(path: &str, call: &Call, signer: SigningCredentials<'_>) -> HttpRequest {
    let endpoint = Endpoint::resolve(path, "http://127.0.0.1:4566").unwrap();
    prepare(call, &endpoint, "us-west-2", signer, now())
}

/// `call` to `path` as a request to the router.
pub fn call_at(path: &str, call: &Call, signer: SigningCredentials<'_>) -> Request<Body> {
    http(prepared(path, call, signer))
}

/// The router over the demo world.
pub fn app(options: Options) -> Router {
    router(demo_world(), options).expect("valid options")
}

/// The production account (`222222222222`) as the state file at `path` holds it.
pub fn saved_production(path: &Path) -> Account {
    let saved = crossrole_emulator::state::load(None, Some(path)).unwrap();
    saved
        .accounts
        .into_iter()
        .find(|a| a.id.as_str() == "222222222222")
        .unwrap()
}

// The crate's own test helpers (a folder per test), shared with its unit tests.
#[path = "../../src/testing.rs"]
mod testing;
pub(crate) use testing::{temp_dir, TempDir};
