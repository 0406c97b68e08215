//! The emulator's router driven in-process with `tower::ServiceExt::oneshot`: CORS preflight
//! allowed and refused, the `--static` index fallback and 404 for a missing asset, the body
//! limit, and the test hook off by default. (The AWS protocol itself is tested with boto3 and
//! the AWS CLI in `tests/aws`.)

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::{app, call_at, send, temp_dir, TempDir};
use crossrole_core::client::{self, session_signer, Call};
use crossrole_core::demo::DAVID;
use crossrole_core::ops::GetSessionToken;
use crossrole_core::wire::StsRequest;
use crossrole_core::world::{demo_world, Credentials};
use crossrole_emulator::{router, Options, EXPIRE_HOOK};

async fn david_session(app: &Router) -> Credentials {
    let call = Call::Sts(StsRequest::GetSessionToken(GetSessionToken::default()));
    let answer = send(app, call_at("/", &call, DAVID)).await;
    client::read_credentials(answer.status.as_u16(), &answer.body)
        .expect("David gets a session")
        .0
}

#[tokio::test]
async fn cors_preflight_is_allowed_for_listed_origins_only() {
    let app = app(Options {
        cors_origins: vec!["http://localhost:8080".into()],
        ..Options::default()
    });
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,x-amz-date,x-amz-target",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = send(&app, preflight("http://localhost:8080")).await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(
        allowed.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://localhost:8080"
    );
    let methods = allowed.headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"), "{methods}");

    let refused = send(&app, preflight("http://evil.example")).await;
    assert!(
        !refused
            .headers
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "{:?}",
        refused.headers
    );
    // Without --cors-origin there are no CORS headers at all; a bad origin is refused.
    let closed = send(&app_without_cors(), preflight("http://localhost:8080")).await;
    assert!(!closed
        .headers
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    assert!(router(
        demo_world(),
        Options {
            cors_origins: vec!["localhost:8080/path".into()],
            ..Options::default()
        }
    )
    .is_err());
}

fn app_without_cors() -> Router {
    app(Options::default())
}

/// A directory with a built console's shape: `index.html` and one asset.
fn site() -> TempDir {
    let dir = temp_dir("router-site");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>crossrole</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "console.log('crossrole')").unwrap();
    std::fs::write(dir.join("crossrole-e8d2340fc8b04763_bg.wasm"), "\0asm").unwrap();
    std::fs::write(dir.join("main-e70104ab347810d.css"), "p{}").unwrap();
    // The split build's area chunks, shared chunks and their loader.
    for name in [
        "split_create_role-a5fac412d95ac7ae.wasm",
        "chunk_7-f239369d6f3a9979.wasm",
        "__wasm_split-6cab34f50465f1d7.js",
    ] {
        std::fs::write(dir.join(name), "\0asm").unwrap();
    }
    dir
}

#[tokio::test]
async fn static_files_fall_back_to_the_index_and_missing_assets_are_404() {
    let dir = site();
    let app = app(Options {
        static_dir: Some(dir.to_path_buf()),
        ..Options::default()
    });
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    // The console's own routes are the index (the router in the page takes over).
    for route in ["/", "/switchrole", "/dynamodb"] {
        let page = send(&app, get(route)).await;
        assert_eq!(page.status, StatusCode::OK, "{route}");
        assert!(page.body.contains("<title>crossrole</title>"), "{route}");
    }
    let asset = send(&app, get("/app.js")).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.body, "console.log('crossrole')");
    // A name with the release build's content hash is kept for ever; anything else, the HTML
    // first, is asked again (README, "Hosting the built console").
    let hashed = send(&app, get("/crossrole-e8d2340fc8b04763_bg.wasm")).await;
    assert_eq!(hashed.headers["content-type"], "application/wasm");
    assert_eq!(
        hashed.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let short_hash = send(&app, get("/main-e70104ab347810d.css")).await;
    assert_eq!(
        short_hash.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    for chunk in [
        "/split_create_role-a5fac412d95ac7ae.wasm",
        "/chunk_7-f239369d6f3a9979.wasm",
        "/__wasm_split-6cab34f50465f1d7.js",
    ] {
        let answer = send(&app, get(chunk)).await;
        assert_eq!(
            answer.headers["cache-control"], "public, max-age=31536000, immutable",
            "{chunk}"
        );
    }
    for plain in ["/", "/switchrole", "/app.js", "/config.json"] {
        let answer = send(&app, get(plain)).await;
        assert_eq!(answer.headers["cache-control"], "no-cache", "{plain}");
    }
    // An asset that is not there is a 404, not the index.
    assert_eq!(
        send(&app, get("/missing.js")).await.status,
        StatusCode::NOT_FOUND
    );
    // The emulator writes the console's configuration: the STS backend on this origin.
    let config = send(&app, get("/config.json")).await;
    assert!(
        config.body.contains(r#""backend":"sts""#),
        "{}",
        config.body
    );
    // Without --static, files are not served at all.
    assert_eq!(
        send(&app_without_cors(), get("/")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let app = app_without_cors();
    let huge = "Action=GetCallerIdentity&x=".to_owned() + &"a".repeat(2 << 20);
    let req = Request::post("/")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A request within the limit is answered as AWS would (here: unsigned).
    let small = Request::post("/")
        .body(Body::from("Action=GetCallerIdentity"))
        .unwrap();
    let answer = send(&app, small).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("MissingAuthenticationToken"));
}

#[tokio::test]
async fn the_test_hook_is_off_unless_asked_for() {
    let identity = Call::Sts(StsRequest::GetCallerIdentity);
    for hooks in [false, true] {
        let app = app(Options {
            test_hooks: hooks,
            ..Options::default()
        });
        let session = david_session(&app).await;
        let hook = send(
            &app,
            call_at(EXPIRE_HOOK, &identity, session_signer(&session)),
        )
        .await;
        let after = send(&app, call_at("/", &identity, session_signer(&session))).await;
        if hooks {
            assert_eq!(hook.status, StatusCode::NO_CONTENT);
            assert_eq!(after.status, StatusCode::FORBIDDEN);
            assert!(after.body.contains("ExpiredToken"), "{}", after.body);
        } else {
            // Off: the path is just another AWS call, and the session lives on.
            assert_ne!(hook.status, StatusCode::NO_CONTENT);
            assert_eq!(after.status, StatusCode::OK, "{}", after.body);
        }
    }
}
