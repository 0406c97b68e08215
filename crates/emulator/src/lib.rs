//! `crossrole-emulator`: `crates/core`'s world behind the AWS wire protocols (STS and IAM
//! Query, DynamoDB JSON 1.0), so real AWS clients and the console's STS backend work against
//! it unchanged. Every answer is decided by `crossrole_core::service::serve`; this crate is
//! the socket, the files and the logs.

#![warn(missing_docs)]

pub mod state;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::Router;
use crossrole_core::clock::Timestamp;
use crossrole_core::service::serve;
use crossrole_core::sigv4::HttpRequest;
use crossrole_core::world::World;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;
use tokio::sync::Mutex;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The address the emulator listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4566";
/// The largest request body accepted.
const BODY_LIMIT: usize = 1 << 20;

/// How to run the emulator (the command line, parsed).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Save IAM changes here, and start from here when it exists.
    pub state: Option<PathBuf>,
    /// Origins allowed to call from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// A built console to serve same-origin, with an `index.html` fallback.
    pub static_dir: Option<PathBuf>,
    /// Say in access-denied messages which policy decided.
    pub explain: bool,
    /// Serve [`EXPIRE_HOOK`], for tests that need a session to expire now.
    pub test_hooks: bool,
}

/// With `--test-hooks`: `POST /crossrole-test/expire?accessKeyId=ASIA…` ends that session's
/// validity now (it then answers `ExpiredToken`, as after its expiry), so that tests with real
/// clients need not wait 15 minutes. Never on by default.
pub const EXPIRE_HOOK: &str = "/crossrole-test/expire";

struct Shared {
    world: Mutex<(World, ChaCha20Rng)>,
    options: Options,
}

/// Now, from the system clock.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    Timestamp(secs)
}

/// Writes one structured log line (JSON) to stderr. Callers pass identifiers only: access key
/// ids, actions, codes; never a secret, token, password or request body.
pub fn log(event: serde_json::Value) {
    eprintln!("{event}");
}

/// The router: the AWS endpoint, the console's files (with `--static`), and CORS (with
/// `--cors-origin`).
pub fn router(world: World, options: Options) -> Router {
    let cors_origins: Vec<HeaderValue> = options
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    let shared = Arc::new(Shared {
        world: Mutex::new((world, ChaCha20Rng::from_entropy())),
        options,
    });
    let app = Router::new().fallback(handle).with_state(shared);
    if cors_origins.is_empty() {
        return app;
    }
    app.layer(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(cors_origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(
                [
                    "authorization",
                    "content-type",
                    "x-amz-date",
                    "x-amz-security-token",
                    "x-amz-target",
                    "x-amz-user-agent",
                    "x-amz-content-sha256",
                    "amz-sdk-invocation-id",
                    "amz-sdk-request",
                ]
                .map(HeaderName::from_static),
            )
            .expose_headers([HeaderName::from_static("x-amzn-requestid")])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// An AWS call has a signature or a target, or is a POST; anything else is for the files.
fn is_aws_call(req: &Request<Body>) -> bool {
    req.method() == Method::POST
        || req.headers().contains_key(header::AUTHORIZATION)
        || req.headers().contains_key("x-amz-target")
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    if shared.options.test_hooks && path == EXPIRE_HOOK && req.method() == Method::POST {
        return expire(&shared, req.uri().query().unwrap_or_default()).await;
    }
    if is_aws_call(&req) {
        return aws(&shared, req, started).await;
    }
    let response = match (&shared.options.static_dir, req.method()) {
        (Some(dir), &Method::GET | &Method::HEAD) => files(&shared, dir, &path).await,
        _ => plain(StatusCode::NOT_FOUND, "Not Found"),
    };
    log(json!({
        "time": now().to_iso8601(),
        "kind": "file",
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "ms": started.elapsed().as_millis() as u64,
    }));
    response
}

async fn expire(shared: &Shared, query: &str) -> Response<Body> {
    let key = crossrole_core::wire::query_params(query)
        .remove("accessKeyId")
        .unwrap_or_default();
    let mut guard = shared.world.lock().await;
    let expired = match guard.0.sessions.get_mut(&key) {
        Some(session) => {
            session.credentials.expiration = now();
            true
        }
        None => false,
    };
    log(json!({"time": now().to_iso8601(), "kind": "test-hook", "expired": key, "found": expired}));
    if expired {
        plain(StatusCode::NO_CONTENT, "")
    } else {
        plain(StatusCode::NOT_FOUND, "No such session")
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r
}

async fn aws(shared: &Shared, req: Request<Body>, started: Instant) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body: Bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large"),
    };
    let request = HttpRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    let (served, saved) = {
        let mut guard = shared.world.lock().await;
        let (world, rng) = &mut *guard;
        let served = serve(world, &request, now(), rng, shared.options.explain);
        // Saved under the lock, so saves happen in the order the changes did.
        let saved = match (&shared.options.state, served.changed) {
            (Some(path), true) => Some(state::save(path, world).map_err(|e| e.to_string())),
            _ => None,
        };
        (served, saved)
    };
    if let Some(Err(e)) = &saved {
        log(
            json!({"time": now().to_iso8601(), "kind": "error", "message": format!("could not save the state: {e}")}),
        );
    }
    log(json!({
        "time": now().to_iso8601(),
        "kind": "aws",
        "requestId": served.request_id,
        "service": served.service,
        "action": served.action,
        "accessKeyId": served.access_key_id,
        "status": served.status,
        "error": served.error,
        "saved": saved.map(|r| r.is_ok()),
        "ms": started.elapsed().as_millis() as u64,
    }));
    let mut response = Response::new(Body::from(served.body));
    *response.status_mut() = StatusCode::from_u16(served.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served.content_type),
    );
    if let Ok(id) = HeaderValue::from_str(&served.request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The console's `config.json` when the emulator serves it: the STS backend, on this origin.
fn console_config(world: &World) -> String {
    let aliases: serde_json::Map<String, serde_json::Value> = world
        .accounts
        .iter()
        .filter_map(|a| Some((a.alias.as_ref()?.to_string(), json!(a.id.to_string()))))
        .collect();
    json!({ "backend": "sts", "endpoint": "/", "region": world.region, "aliases": aliases })
        .to_string()
}

/// A file of the built console; `index.html` for paths without an extension (the console's
/// own routes); 404 for a missing asset.
async fn files(shared: &Shared, dir: &Path, path: &str) -> Response<Body> {
    let rel: PathBuf = Path::new(path.trim_start_matches('/'))
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    let (file, body) = if rel == Path::new("config.json") {
        let world = &shared.world.lock().await.0;
        (rel.clone(), Some(console_config(world).into_bytes()))
    } else {
        let candidate = dir.join(&rel);
        match tokio::fs::read(&candidate).await {
            Ok(bytes) => (rel.clone(), Some(bytes)),
            Err(_) if rel.extension().is_none() => (
                PathBuf::from("index.html"),
                tokio::fs::read(dir.join("index.html")).await.ok(),
            ),
            Err(_) => (rel.clone(), None),
        }
    };
    let Some(body) = body else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    // What the console's <meta> policy cannot say: no framing by other sites.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn run(
    listener: tokio::net::TcpListener,
    world: World,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address: SocketAddr = listener.local_addr()?;
    log(json!({
        "time": now().to_iso8601(),
        "kind": "listening",
        "address": address.to_string(),
        "url": format!("http://{address}"),
        "static": options.static_dir,
        "state": options.state,
        "corsOrigins": options.cors_origins,
        "explain": options.explain,
        "testHooks": options.test_hooks,
    }));
    axum::serve(listener, router(world, options))
        .with_graceful_shutdown(shutdown)
        .await
}
