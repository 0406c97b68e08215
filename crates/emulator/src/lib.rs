//! `crossrole-emulator`: `crates/core`'s world behind the AWS wire protocols (STS and IAM
//! Query, DynamoDB JSON 1.0), so real AWS clients and the console's STS backend work against
//! it unchanged. Every answer is decided by `crossrole_core::endpoint::serve`; this crate is
//! the socket, the files and the logs.
//!
//! # Layers
//!
//! 1. Foundations: [`options`], [`log`], [`state`], [`audit`], [`client`] (the commands' HTTP).
//! 2. The console's files: [`files`].
//! 3. The router: [`serve`].

#![warn(missing_docs, unreachable_pub, missing_debug_implementations)]

pub mod audit;
pub mod client;
pub mod files;
pub mod log;
pub mod options;
pub mod serve;
pub mod state;
#[cfg(test)]
mod testing;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::Request;
use crossrole_core::world::World;
use serde_json::json;

pub use log::{log, now};
pub use options::*;
pub use serve::*;

/// Runs `tick` every `period` (a late tick waits, never bunches up) until the sender is used,
/// then once more: work kept off the requests' path that must also happen at the end.
fn periodically<F, Fut>(
    period: Duration,
    tick: F,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => tick().await,
                _ = &mut stopped => break,
            }
        }
        tick().await;
    });
    (stop, task)
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
    // Ready before it says so: a client (a test) acts on the listening line at once, and the
    // start (reading the audit journal beside --state) must not race it.
    let (app, shared) = build(world, options)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let options = &shared.options;
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
        "auditLog": options.audit_log,
        "trailMaxEvents": options.trail_max_events,
    }));
    // With --state, the roles' last use is saved a moment after a switch, off its path, and
    // once more when the server stops.
    let saver = shared.options.state.is_some().then(|| {
        let shared = shared.clone();
        periodically(LAST_USE_SAVE_PERIOD, move || {
            let shared = shared.clone();
            async move { shared.save_last_use().await }
        })
    });
    // The audit trail's new events go to its files every second, off the requests' path,
    // and once more when the server stops.
    let flusher = shared.keeps_trail_files().then(|| {
        let shared = shared.clone();
        periodically(audit::TRAIL_FLUSH_PERIOD, move || {
            let shared = shared.clone();
            async move { shared.flush_trail().await }
        })
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
    for (stop, task) in saver.into_iter().chain(flusher) {
        let _ = stop.send(());
        let _ = task.await;
    }
    Ok(())
}
