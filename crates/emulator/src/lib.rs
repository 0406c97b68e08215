//! `crossrole-emulator`: `crates/core`'s world behind the AWS wire protocols (STS and IAM
//! Query, DynamoDB JSON 1.0), so real AWS clients and the console's STS backend work against
//! it unchanged. Every answer is decided by `crossrole_core::service::serve`; this crate is
//! the socket, the files and the logs.

#![warn(missing_docs)]

pub mod state;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::Router;
use crossrole_core::clock::Timestamp;
use crossrole_core::config::RuntimeConfig;
use crossrole_core::service::{answer, check_signature, Incoming, ServeOptions};
use crossrole_core::sessions::DEFAULT_MAX_SESSIONS;
use crossrole_core::sigv4::{self, HttpRequest, SigningKeys};
use crossrole_core::world::World;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The address the emulator listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4566";
/// The largest request body accepted.
const BODY_LIMIT: usize = 1 << 20;
/// Connections served at once unless told otherwise; more wait in the listen backlog.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// How long a client may take to send a request's headers unless told otherwise.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a whole request (headers and body) unless told
/// otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How to run the emulator (the command line, parsed). The default is the command line's
/// default.
#[derive(Clone, Debug)]
pub struct Options {
    /// Save IAM changes here, and start from here when it exists.
    pub state: Option<PathBuf>,
    /// Origins allowed to call from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// A built console to serve same-origin, with an `index.html` fallback.
    pub static_dir: Option<PathBuf>,
    /// Say in access-denied messages which policy decided.
    pub explain: bool,
    /// Give access-denied messages an encoded authorization message (see [`ServeOptions`]).
    pub authorization_messages: bool,
    /// Serve [`EXPIRE_HOOK`], for tests that need a session to expire now.
    pub test_hooks: bool,
    /// Hold IAM to the `us-east-1` credential scope only (see [`ServeOptions`]).
    pub strict_iam_region: bool,
    /// Connections served at once.
    pub max_connections: usize,
    /// Time allowed for a request's headers.
    pub header_timeout: Duration,
    /// Time allowed for a whole request.
    pub request_timeout: Duration,
    /// Sessions kept at once; beyond it the one nearest its expiry is forgotten.
    pub max_sessions: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            state: None,
            cors_origins: Vec::new(),
            static_dir: None,
            explain: false,
            authorization_messages: false,
            test_hooks: false,
            strict_iam_region: false,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_sessions: DEFAULT_MAX_SESSIONS,
        }
    }
}

impl Options {
    fn serve_options(&self) -> ServeOptions {
        ServeOptions {
            explain: self.explain,
            authorization_messages: self.authorization_messages,
            strict_iam_region: self.strict_iam_region,
        }
    }
}

/// With `--test-hooks`: `POST /crossrole-test/expire`, signed (SigV4, any service) with a
/// session's own credentials, ends that session's validity now (it then answers
/// `ExpiredToken`, as after its expiry), so that tests with real clients need not wait 15
/// minutes. Never on by default.
pub const EXPIRE_HOOK: &str = "/crossrole-test/expire";

/// The world and the generator its operations draw from, behind one lock.
struct Core {
    world: World,
    rng: ChaCha20Rng,
}

struct Shared {
    /// Held only for a world operation (a lookup or an answer): never across an await, a
    /// signature check or a disk write, so a plain mutex.
    core: std::sync::Mutex<Core>,
    /// Serialises IAM writes with their saves, so that saves land in the order the changes
    /// happened and a failed save can be undone without touching anyone else's change.
    saves: tokio::sync::Mutex<()>,
    /// A role was switched to since the last save (its `RoleLastUsed` moved): saved within
    /// [`LAST_USE_SAVE_PERIOD`] and at shutdown, never on the switch's own path.
    unsaved_use: std::sync::atomic::AtomicBool,
    /// The world's region (fixed for the run).
    region: String,
    options: Options,
    serve_options: ServeOptions,
}

/// How soon after a switch the roles' last use is saved with `--state`. IAM itself reports
/// `RoleLastUsed` with a delay, so nobody waits for it; a switch never waits for a disk.
pub const LAST_USE_SAVE_PERIOD: Duration = Duration::from_secs(5);

/// The world as `--state` keeps it: without sessions (a copy, to write outside the lock).
fn to_save(world: &World) -> World {
    World {
        format: world.format,
        region: world.region.clone(),
        accounts: world.accounts.clone(),
        organization: world.organization.clone(),
        sessions: Default::default(),
        mfa_guard: Default::default(),
        authorization_messages: Default::default(),
    }
}

/// Writes the state file on a blocking thread (an fsync'd write must not stall the server's
/// workers); a panic there is an error like any other.
async fn save_off_thread(path: PathBuf, snapshot: World) -> std::io::Result<()> {
    tokio::task::spawn_blocking(move || state::save(&path, &snapshot))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))
        .and_then(|r| r)
}

impl Shared {
    /// Saves the roles' last use if a switch moved it since the last save. A failed save is
    /// logged and tried again next time (nothing was promised to anyone about it).
    async fn save_last_use(&self) {
        let Some(path) = self.options.state.clone() else {
            return;
        };
        let _one_writer = self.saves.lock().await;
        if !self
            .unsaved_use
            .swap(false, std::sync::atomic::Ordering::AcqRel)
        {
            return;
        }
        let snapshot = to_save(&self.core().world);
        let result = save_off_thread(path, snapshot).await;
        match result {
            Ok(()) => {
                log(json!({"time": now().to_iso8601(), "kind": "state", "saved": "roleLastUsed"}))
            }
            Err(e) => {
                self.unsaved_use
                    .store(true, std::sync::atomic::Ordering::Release);
                log(
                    json!({"time": now().to_iso8601(), "kind": "error", "message": format!("could not save the roles' last use: {e}")}),
                );
            }
        }
    }

    /// Locks the world. A panic while holding it cannot leave a half-made change (every
    /// operation checks before it writes), so a poisoned lock is taken over, not propagated.
    fn core(&self) -> std::sync::MutexGuard<'_, Core> {
        self.core
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
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
    // One write per line: stderr is unbuffered, and `eprintln!` of a JSON value wrote each
    // fragment of it with its own system call — a dozen writes per request, most of the
    // emulator's time per call under perf (issue 11). Whole lines also never interleave.
    let mut line = event.to_string();
    line.push('\n');
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
}

/// What `--cors-origin` allows: nobody, everybody (`*`), or a list of origins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No cross-origin calls (no CORS headers at all).
    None,
    /// `*`: any origin (the AWS calls carry their credentials in a signature, not cookies,
    /// so this lets any page use credentials it already holds, nothing more).
    Any,
    /// These origins, exactly.
    List(Vec<HeaderValue>),
}

/// Checks `--cors-origin` values: `*` alone, or origins `http(s)://host[:port]` with no path,
/// query or credentials (a trailing `/` is dropped). Anything else is refused with a reason,
/// rather than dropped silently.
pub fn cors_origins(values: &[String]) -> Result<CorsOrigins, String> {
    if values.is_empty() {
        return Ok(CorsOrigins::None);
    }
    if values.iter().any(|v| v == "*") {
        return if values.len() == 1 {
            Ok(CorsOrigins::Any)
        } else {
            Err("--cors-origin '*' allows every origin: give it alone, not with others".into())
        };
    }
    values
        .iter()
        .map(|v| {
            let origin = v.trim_end_matches('/');
            let rest = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            let host_ok = rest.is_some_and(|h| {
                !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
            });
            if !host_ok {
                return Err(format!(
                    "--cors-origin {v:?} is not an origin: expected http(s)://host[:port], or '*'"
                ));
            }
            HeaderValue::from_str(origin).map_err(|e| format!("--cors-origin {v:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(CorsOrigins::List)
}

/// The router: the AWS endpoint, the console's files (with `--static`), and CORS (with
/// `--cors-origin`). Refuses options that do not make sense (an invalid origin).
pub fn router(world: World, options: Options) -> Result<Router, String> {
    build(world, options).map(|(app, _)| app)
}

/// The router, and the state behind it (for [`run`]'s saver).
fn build(mut world: World, options: Options) -> Result<(Router, Arc<Shared>), String> {
    let cors = cors_origins(&options.cors_origins)?;
    world.sessions.set_limit(options.max_sessions);
    let shared = Arc::new(Shared {
        region: world.region.clone(),
        core: std::sync::Mutex::new(Core {
            world,
            rng: ChaCha20Rng::from_entropy(),
        }),
        saves: tokio::sync::Mutex::new(()),
        unsaved_use: Default::default(),
        serve_options: options.serve_options(),
        options,
    });
    let app = Router::new().fallback(handle).with_state(shared.clone());
    let allow = match cors {
        CorsOrigins::None => return Ok((app, shared)),
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(list),
    };
    let app = app.layer(
        CorsLayer::new()
            .allow_origin(allow)
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
            // Date: the console corrects its clock from it after "Signature expired".
            .expose_headers([HeaderName::from_static("x-amzn-requestid"), header::DATE])
            .max_age(Duration::from_secs(600)),
    );
    Ok((app, shared))
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
        return expire(&shared, req).await;
    }
    if is_aws_call(&req) {
        let peer = req.extensions().get::<Peer>().map(|p| p.0);
        return aws(&shared, req, started, peer).await;
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

/// Reads a request whole, within the request timeout and the body limit.
async fn read_request(shared: &Shared, req: Request<Body>) -> Result<HttpRequest, Response<Body>> {
    let (parts, body) = req.into_parts();
    let limit = shared.options.request_timeout;
    let body: Bytes =
        match tokio::time::timeout(limit, axum::body::to_bytes(body, BODY_LIMIT)).await {
            Ok(Ok(b)) => b,
            Ok(Err(_)) => {
                return Err(plain(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Request body too large",
                ))
            }
            Err(_) => return Err(plain(StatusCode::REQUEST_TIMEOUT, "Request timed out")),
        };
    Ok(HttpRequest {
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
    })
}

/// The test hook: only the session itself (a request signed with its key, secret and token)
/// may end itself early.
async fn expire(shared: &Shared, req: Request<Body>) -> Response<Body> {
    let request = match read_request(shared, req).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let now = now();
    let auth = request
        .header("authorization")
        .and_then(|h| sigv4::parse_authorization(h).ok());
    let key = auth.as_ref().map(|a| a.access_key_id.clone());
    let session = key.as_deref().and_then(|k| {
        let core = shared.core();
        core.world.sessions.get(k).map(|s| {
            (
                s.credentials.secret_access_key.clone(),
                s.credentials.session_token.clone(),
            )
        })
    });
    let verified = auth.zip(session).and_then(|(auth, (secret, token))| {
        let v = sigv4::verify_parsed(&request, &auth, now, |_| Some(secret.expose())).ok()?;
        v.session_token
            .as_deref()
            .is_some_and(|t| token.matches(t))
            .then_some(v.access_key_id)
    });
    let expired =
        verified.is_some_and(|key| shared.core().world.sessions.set_expiration(&key, now));
    log(
        json!({"time": now.to_iso8601(), "kind": "test-hook", "accessKeyId": key, "expired": expired}),
    );
    if expired {
        plain(StatusCode::NO_CONTENT, "")
    } else {
        plain(
            StatusCode::FORBIDDEN,
            "Sign the request with the session's own credentials",
        )
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r
}

/// The address of the client a request came from (set per connection by the accept loop).
#[derive(Clone, Copy, Debug)]
struct Peer(std::net::IpAddr);

async fn aws(
    shared: &Shared,
    req: Request<Body>,
    started: Instant,
    peer: Option<std::net::IpAddr>,
) -> Response<Body> {
    let request = match read_request(shared, req).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    // Parsing and the signature's HMACs happen outside the lock; only the key lookup and the
    // world operation hold it.
    let mut incoming = Incoming::read(&request);
    if let Some(ip) = peer {
        // Plain HTTP: the emulator has no TLS (behind a TLS proxy, the proxy's address and
        // transport are what it sees, as AWS would see the proxy).
        incoming = incoming.from_peer(ip, false);
    }
    let saving = shared
        .options
        .state
        .as_ref()
        .filter(|_| incoming.changes_world());
    let _one_writer = match saving {
        Some(_) => Some(shared.saves.lock().await),
        None => None,
    };
    let at = now();
    let secret = incoming
        .access_key_id()
        .and_then(|k| shared.core().world.signing_secret(k).cloned());
    // Each worker thread keeps the signing keys it derived (no lock: signatures are checked
    // outside the world's lock, concurrently).
    thread_local! {
        static KEYS: std::cell::RefCell<SigningKeys> = Default::default();
    }
    let checked = KEYS.with_borrow_mut(|keys| {
        check_signature(
            &incoming,
            &request,
            secret.as_ref(),
            &shared.region,
            at,
            &shared.serve_options,
            Some(keys),
        )
    });
    let (served, undo) = {
        let mut core = shared.core();
        let Core { world, rng } = &mut *core;
        let before = saving.map(|_| world.accounts.clone());
        let served = answer(world, incoming, checked, at, rng, &shared.serve_options);
        if served.used_role && shared.options.state.is_some() {
            shared
                .unsaved_use
                .store(true, std::sync::atomic::Ordering::Release);
        }
        let snapshot = served.changed.then(|| to_save(world));
        (served, before.zip(snapshot))
    };
    let (served, saved) = match (saving, undo) {
        (Some(path), Some((before, snapshot))) => {
            match save_off_thread(path.clone(), snapshot).await {
                Ok(()) => (served, Some(true)),
                Err(e) => {
                    // Not on disk, so not made: undo it (IAM writes are serialised by
                    // `saves`, so nothing else changed the accounts meanwhile).
                    shared.core().world.accounts = before;
                    log(
                        json!({"time": now().to_iso8601(), "kind": "error", "message": format!("could not save the state: {e}")}),
                    );
                    (served.failed_to_save(), Some(false))
                }
            }
        }
        _ => (served, None),
    };
    log(json!({
        "time": now().to_iso8601(),
        "kind": "aws",
        "requestId": served.request_id,
        "service": served.service,
        "action": served.action,
        "accessKeyId": served.access_key_id,
        "status": served.status,
        "error": served.error,
        "saved": saved,
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
    serde_json::to_string(&RuntimeConfig::same_origin_endpoint(world))
        .expect("a configuration always serialises")
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
        let config = console_config(&shared.core().world);
        (rel.clone(), Some(config.into_bytes()))
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

/// Serves until `shutdown` resolves, then finishes the requests in flight (for at most ten
/// seconds). At most `max_connections` connections are served at once (more wait in the
/// listen backlog), and a client gets `header_timeout` to send a request's headers (also on an
/// idle kept-alive connection) and `request_timeout` for its body: a slow client cannot hold
/// a connection for ever.
pub async fn run(
    listener: tokio::net::TcpListener,
    world: World,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address: SocketAddr = listener.local_addr()?;
    let (max_connections, header_timeout) = (options.max_connections, options.header_timeout);
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
        "strictIamRegion": options.strict_iam_region,
        "maxConnections": max_connections,
        "headerTimeoutMs": header_timeout.as_millis() as u64,
    }));
    let (app, shared) = build(world, options)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    // With --state, the roles' last use is saved a moment after a switch, off its path, and
    // once more when the server stops.
    let saver = shared.options.state.is_some().then(|| {
        let shared = shared.clone();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut every = tokio::time::interval(LAST_USE_SAVE_PERIOD);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = every.tick() => shared.save_last_use().await,
                    _ = &mut stopped => break,
                }
            }
            shared.save_last_use().await;
        });
        (stop, task)
    });
    let permits = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    log(json!({"time": now().to_iso8601(), "kind": "error", "message": format!("accept: {e}")}));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The client's address, for aws:SourceIp.
        let with_peer = tower::ServiceExt::map_request(app.clone(), move |mut req: Request<_>| {
            req.extensions_mut().insert(Peer(peer.ip()));
            req
        });
        let service = hyper_util::service::TowerToHyperService::new(with_peer);
        let connection =
            graceful.watch(http.serve_connection(hyper_util::rt::TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(Duration::from_secs(10)) => {},
    }
    if let Some((stop, task)) = saver {
        let _ = stop.send(());
        let _ = task.await;
    }
    Ok(())
}
