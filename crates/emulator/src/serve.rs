//! The router: every request, to core's endpoint, to the test hook or to the console's files,
//! with the world behind one lock and IAM changes saved with `--state`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::Router;
use crossrole_core::endpoint::{answer, check_signature, Incoming, ServeOptions};
use crossrole_core::sigv4::{self, HttpRequest, SigningKeys};
use crossrole_core::world::World;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::audit::TrailFiles;
use crate::files::{console_config, files, plain};
use crate::log::{log, now};

mod federation;
mod trail;
use crate::options::{cors_origins, CorsOrigins, Options, BODY_LIMIT, EXPIRE_HOOK};
use crate::state;
use trail::{open_trail, record_outside, Records};

/// The world and the generator its operations draw from, behind one lock.
struct Core {
    world: World,
    rng: ChaCha20Rng,
}

pub(crate) struct Shared {
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
    pub(crate) options: Options,
    serve_options: ServeOptions,
    /// The trail's records made after the world's lock, waiting for its next holder.
    outbox: std::sync::Mutex<Vec<Records>>,
    /// The audit trail's journal and log (written by one flush at a time).
    trail_files: Arc<std::sync::Mutex<TrailFiles>>,
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
        live: Default::default(),
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
    pub(crate) async fn save_last_use(&self) {
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

    /// Whether the trail has files to write (`--state`, `--audit-log`).
    pub(crate) fn keeps_trail_files(&self) -> bool {
        self.options.state.is_some() || self.options.audit_log.is_some()
    }

    /// Writes the trail's events recorded since the last flush to its files, on a blocking
    /// thread. A failed write is logged (the events stay in memory and in LookupEvents).
    pub(crate) async fn flush_trail(self: &Arc<Self>) {
        // Taken under the world's lock (a swap); written, and the retired events freed, on a
        // blocking thread outside it.
        let new = self.core().world.live.trail.take_new();
        if new.events.is_empty() {
            return;
        }
        let count = new.events.len();
        let shared = self.clone();
        let files = self.trail_files.clone();
        let max = self.options.trail_max_events;
        let written = tokio::task::spawn_blocking(move || {
            let kept = || shared.core().world.live.trail.shared();
            let written = files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .write(&new.events, kept, max);
            drop(new);
            written
        })
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))
        .and_then(|r| r);
        match written {
            Ok(()) => log(json!({"time": now().to_iso8601(), "kind": "trail", "written": count})),
            Err(e) => log(
                json!({"time": now().to_iso8601(), "kind": "error", "message": format!("could not write the audit trail: {e}")}),
            ),
        }
    }

    /// Locks the world. A panic while holding it cannot leave a half-made change (every
    /// operation checks before it writes), so a poisoned lock is taken over, not propagated.
    ///
    /// Whoever takes the lock first keeps the records made since the last holder
    /// ([`record_outside`]): every reader of the trail sees every record made before it took
    /// the lock, and no request takes the lock a second time to keep its own.
    fn core(&self) -> std::sync::MutexGuard<'_, Core> {
        let mut core = self
            .core
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let records = std::mem::take(
            &mut *self
                .outbox
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for call in records {
            core.world.live.trail.record_call(call);
        }
        core
    }
}

/// The router: the AWS endpoint, the console's files (with `--static`), and CORS (with
/// `--cors-origin`). Refuses options that do not make sense (an invalid origin).
pub fn router(world: World, options: Options) -> Result<Router, String> {
    build(world, options).map(|(app, _)| app)
}

/// The router, and the state behind it (for [`run`]'s saver).
pub(crate) fn build(mut world: World, options: Options) -> Result<(Router, Arc<Shared>), String> {
    let cors = cors_origins(&options.cors_origins)?;
    world.live.sessions.set_limit(options.max_sessions);
    let trail_files = open_trail(&mut world, &options)?;
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
        trail_files: Arc::new(std::sync::Mutex::new(trail_files)),
        outbox: Default::default(),
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
    if crossrole_core::endpoint::is_federation(&path) {
        return federation::federation(&shared, req).await;
    }
    if is_aws_call(&req) {
        let peer = req.extensions().get::<Peer>().map(|p| p.0);
        return aws(&shared, req, started, peer).await;
    }
    let response = match (&shared.options.static_dir, req.method()) {
        (Some(dir), &Method::GET | &Method::HEAD) => {
            files(|| console_config(&shared.core().world), dir, &path).await
        }
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
    // A sign-in token is expired by whoever holds it (it is the credential of a sign-in).
    let body = String::from_utf8_lossy(&request.body);
    if let Some(token) = crossrole_core::wire::query_params(&body).get("SigninToken") {
        let expired = shared.core().world.live.signin_tokens.expire(token, now);
        log(
            json!({"time": now.to_iso8601(), "kind": "test-hook", "signinToken": "expire", "expired": expired}),
        );
        return if expired {
            plain(StatusCode::NO_CONTENT, "")
        } else {
            plain(StatusCode::FORBIDDEN, "No such sign-in token")
        };
    }
    let auth = request
        .header("authorization")
        .and_then(|h| sigv4::parse_authorization(h).ok());
    let key = auth.as_ref().map(|a| a.access_key_id.clone());
    let session = key.as_deref().and_then(|k| {
        let core = shared.core();
        core.world.live.sessions.get(k).map(|s| {
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
        verified.is_some_and(|key| shared.core().world.live.sessions.set_expiration(&key, now));
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

/// The address of the client a request came from (set per connection by the accept loop).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer(pub(crate) std::net::IpAddr);

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
    let (served, undo, (pending, retired)) = {
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
        let trail = &mut world.live.trail;
        (
            served,
            before.zip(snapshot),
            (trail.take_pending(), trail.take_retired()),
        )
    };
    // The events the records kept under the lock pushed out of the trail are freed here.
    drop(retired);
    record_outside(shared, pending);
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
    let mut response = respond(served.status, served.content_type, served.body);
    if let Ok(id) = HeaderValue::from_str(&served.request_id) {
        response.headers_mut().insert("x-amzn-requestid", id);
    }
    response
}

/// A response of `status` with `body` as `content_type`: what every answer of core's begins
/// as (a number that is no HTTP status, which core never gives, answers 500).
fn respond(status: u16, content_type: &'static str, body: impl Into<Body>) -> Response<Body> {
    let mut response = Response::new(body.into());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
