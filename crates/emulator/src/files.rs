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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::temp_dir;

    #[test]
    fn each_kind_of_file_is_served_as_its_type() {
        for (name, kind) in [
            ("index.html", "text/html; charset=utf-8"),
            ("boot.js", "text/javascript; charset=utf-8"),
            ("worker.mjs", "text/javascript; charset=utf-8"),
            ("main.css", "text/css; charset=utf-8"),
            ("app_bg.wasm", "application/wasm"),
            ("config.json", "application/json"),
            ("logo.svg", "image/svg+xml"),
            ("icon.png", "image/png"),
            ("favicon.ico", "image/x-icon"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("archive.tar", "application/octet-stream"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }

    /// A content hash is the release build's 64-bit hash in hex without leading zeros: 12 to
    /// 16 digits (fewer than 12 would be a one-in-65,536 hash, and is treated as a name).
    #[test]
    fn only_names_with_a_content_hash_are_kept_for_ever() {
        let kept = "public, max-age=31536000, immutable";
        for name in [
            "main-e70104ab3478.css",
            "crossrole-e8d2340fc8b04763_bg.wasm",
            "crossrole-E8D2340FC8B04763.js",
        ] {
            assert_eq!(cache_control(Path::new(name)), kept, "{name}");
        }
        for name in [
            "main-e70104ab347.css",
            "crossrole-e8d2340fc8b047631_bg.wasm",
            "crossrole-e8d2340fc8b0476g.js",
            "index.html",
            "boot.js",
            "config.json",
            "mock-worker.js",
        ] {
            assert_eq!(cache_control(Path::new(name)), "no-cache", "{name}");
        }
    }

    async fn body(response: Response<Body>) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// `..`, a root or a drive in the path cannot reach outside `--static`.
    #[tokio::test]
    async fn no_path_leaves_the_static_folder() {
        let dir = temp_dir("files-traversal");
        let site = dir.join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(dir.join("secret.txt"), "outside").unwrap();
        std::fs::write(site.join("index.html"), "<title>crossrole</title>").unwrap();
        for path in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "//etc/hostname.txt",
            "/./../secret.txt",
        ] {
            let answer = files(String::new, &site, path).await;
            assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
            assert_ne!(body(answer).await, "outside", "{path}");
        }
        // Without an extension, the console's route: the index, never the file outside.
        for path in ["/../secret", "//etc/passwd"] {
            let route = files(String::new, &site, path).await;
            assert_eq!(route.status(), StatusCode::OK, "{path}");
            assert_eq!(body(route).await, "<title>crossrole</title>", "{path}");
        }
    }

    #[tokio::test]
    async fn every_file_carries_the_headers_a_browser_needs() {
        let dir = temp_dir("files-headers");
        std::fs::write(dir.join("index.html"), "<title>crossrole</title>").unwrap();
        let config = files(|| "{\"backend\":\"sts\"}".to_owned(), &dir, "/config.json").await;
        assert_eq!(config.headers()[header::CONTENT_TYPE], "application/json");
        for answer in [
            files(String::new, &dir, "/").await,
            files(String::new, &dir, "/switchrole").await,
            config,
        ] {
            let h = answer.headers();
            assert_eq!(h[header::CONTENT_SECURITY_POLICY], "frame-ancestors 'none'");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(h[header::CACHE_CONTROL], "no-cache");
        }
        let page = files(String::new, &dir, "/switchrole").await;
        assert_eq!(
            page.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        // A missing index is a 404, not an empty page.
        let empty = temp_dir("files-no-index");
        let missing = files(String::new, &empty, "/switchrole").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(body(missing).await, "Not Found");
    }
}
