//! The federation endpoint (`/federation`) around core's: the request read within the usual
//! limits, the world locked only for the operation, and a log line that holds no token, no
//! credential and no destination (the query is never logged).

use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};
use crossrole_core::endpoint::{federation as answer, user_agent};
use crossrole_core::ops::Origin;
use serde_json::json;

use super::{read_request, record_outside, Core, Peer, Shared};
use crate::log::{log, now};

/// Answers a request to `/federation`.
pub(super) async fn federation(shared: &Shared, req: Request<Body>) -> Response<Body> {
    let started = Instant::now();
    let peer = req.extensions().get::<Peer>().map(|p| p.0);
    let request = match read_request(shared, req).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let origin = Origin {
        source_ip: peer,
        secure_transport: peer.map(|_| false),
        requested_region: None,
        user_agent: user_agent(&request),
    };
    let host = request.header("host").map(str::to_owned);
    let at = now();
    let (reply, pending, retired) = {
        let mut core = shared.core();
        let Core { world, rng } = &mut *core;
        let reply = answer(world, rng, &request, &origin, host.as_deref(), at);
        let trail = &mut world.live.trail;
        (reply, trail.take_pending(), trail.take_retired())
    };
    drop(retired);
    record_outside(shared, pending);
    log(json!({
        "time": at.to_iso8601(),
        "kind": "federation",
        "method": request.method,
        "action": reply.action,
        "status": reply.status,
        "error": reply.error,
        "ms": started.elapsed().as_millis() as u64,
    }));
    let mut response = super::respond(reply.status, reply.content_type, reply.body);
    let headers = response.headers_mut();
    // Tokens and credentials: never cached, never sent on as a Referer.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Some(location) = reply.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}
