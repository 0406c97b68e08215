//! How to run the emulator: its options, their defaults, and the origins CORS allows.

use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use crossrole_core::endpoint::ServeOptions;
use crossrole_core::world::DEFAULT_MAX_SESSIONS;

/// The address the emulator listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4566";
/// The largest request body accepted.
pub(crate) const BODY_LIMIT: usize = 1 << 20;
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
    /// Also append every audit event here, one JSON line each.
    pub audit_log: Option<PathBuf>,
    /// Rotate the audit log past this many bytes.
    pub audit_log_max_bytes: u64,
    /// Events the audit trail keeps (the oldest go first; none older than 90 days).
    pub trail_max_events: usize,
    /// Record the audit trail at all (the bench compares without it).
    pub audit_trail: bool,
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
            audit_log: None,
            audit_log_max_bytes: crate::audit::DEFAULT_AUDIT_LOG_MAX_BYTES,
            trail_max_events: crossrole_core::world::trail::DEFAULT_MAX_EVENTS,
            audit_trail: true,
        }
    }
}

impl Options {
    pub(crate) fn serve_options(&self) -> ServeOptions {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(values: &[&str]) -> Result<CorsOrigins, String> {
        cors_origins(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn no_origin_allows_none_and_a_star_alone_allows_any() {
        assert_eq!(listed(&[]), Ok(CorsOrigins::None));
        assert_eq!(listed(&["*"]), Ok(CorsOrigins::Any));
        let mixed = listed(&["*", "http://localhost:8080"]).unwrap_err();
        assert!(mixed.contains("give it alone"), "{mixed}");
        assert!(listed(&["http://localhost:8080", "*"]).is_err());
    }

    #[test]
    fn origins_are_scheme_host_and_port_with_a_trailing_slash_dropped() {
        assert_eq!(
            listed(&[
                "http://localhost:8080/",
                "https://console.example.com",
                "http://[::1]:8080"
            ]),
            Ok(CorsOrigins::List(vec![
                HeaderValue::from_static("http://localhost:8080"),
                HeaderValue::from_static("https://console.example.com"),
                HeaderValue::from_static("http://[::1]:8080"),
            ]))
        );
    }

    #[test]
    fn anything_but_an_origin_is_refused_with_the_value_named() {
        for bad in [
            "localhost:8080",
            "ftp://files.example.com",
            "http://",
            "https:///",
            "http://example.com/path",
            "http://user:secret@example.com",
            "http://example.com?x=1",
            "http://exa mple.com",
        ] {
            let refused = listed(&["http://fine.example", bad]).unwrap_err();
            assert!(refused.contains(&format!("{bad:?}")), "{bad}: {refused}");
            assert!(refused.contains("http(s)://host[:port]"), "{refused}");
        }
    }

    #[test]
    fn the_core_options_are_the_emulator_options() {
        for (explain, authorization_messages, strict_iam_region) in [
            (true, false, false),
            (false, true, false),
            (false, false, true),
        ] {
            let served = Options {
                explain,
                authorization_messages,
                strict_iam_region,
                ..Options::default()
            }
            .serve_options();
            assert_eq!(
                (
                    served.explain,
                    served.authorization_messages,
                    served.strict_iam_region
                ),
                (explain, authorization_messages, strict_iam_region)
            );
        }
    }

    /// The defaults are the ones docs/emulator.md promises in its table of flags.
    #[test]
    fn the_defaults_are_the_documented_ones() {
        let doc = include_str!("../../../docs/emulator.md");
        let documented = |flag: &str| -> String {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{flag}")))
                .unwrap_or_else(|| panic!("{flag} is in the table"));
            row.split('|')
                .nth(2)
                .unwrap()
                .trim()
                .trim_matches('`')
                .to_owned()
        };
        let o = Options::default();
        assert_eq!(documented("--listen"), DEFAULT_LISTEN);
        assert_eq!(
            documented("--max-connections"),
            o.max_connections.to_string()
        );
        assert_eq!(
            documented("--header-timeout"),
            o.header_timeout.as_secs().to_string()
        );
        assert_eq!(
            documented("--request-timeout"),
            o.request_timeout.as_secs().to_string()
        );
        assert_eq!(documented("--max-sessions"), o.max_sessions.to_string());
        assert_eq!(
            documented("--audit-log-max-bytes"),
            o.audit_log_max_bytes.to_string()
        );
        assert_eq!(
            documented("--trail-max-events"),
            o.trail_max_events.to_string()
        );
        for (flag, on) in [
            ("--explain", o.explain),
            ("--test-hooks", o.test_hooks),
            ("--strict-iam-region", o.strict_iam_region),
            ("--no-audit-trail", !o.audit_trail),
        ] {
            assert_eq!(documented(flag), "off", "{flag}");
            assert!(!on, "{flag}");
        }
        for (flag, given) in [
            ("--state", o.state.is_some()),
            ("--audit-log", o.audit_log.is_some()),
            ("--static", o.static_dir.is_some()),
            ("--cors-origin", !o.cors_origins.is_empty()),
        ] {
            assert_eq!(documented(flag), "none", "{flag}");
            assert!(!given, "{flag}");
        }
    }
}
