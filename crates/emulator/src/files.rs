//! The built console, served from `--static` with an `index.html` fallback, and its
//! `config.json`.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use crossrole_core::config::RuntimeConfig;
use crossrole_core::world::World;

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
pub(crate) fn console_config(world: &World) -> String {
    serde_json::to_string(&RuntimeConfig::same_origin_endpoint(world))
        .expect("a configuration always serialises")
}

/// A file of the built console; `index.html` for paths without an extension (the console's
/// own routes); 404 for a missing asset.
pub(crate) async fn files(
    config_json: impl FnOnce() -> String,
    dir: &Path,
    path: &str,
) -> Response<Body> {
    let rel: PathBuf = Path::new(path.trim_start_matches('/'))
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    let (file, body) = if rel == Path::new("config.json") {
        let config = config_json();
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
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(&file)),
    );
    response
}

/// How long a browser may keep `file`: a name with a content hash (`main-6050178f5d8bfa8e.css`:
/// the release build writes a 64-bit hash in hex, without leading zeros) never changes, so
/// for ever; anything else (the HTML, which names
/// the current build's files, `boot.js`, `config.json`, the mock's worker) is asked again.
pub(crate) fn cache_control(file: &Path) -> &'static str {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

pub(crate) fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r
}
