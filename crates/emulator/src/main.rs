//! The `crossrole-emulator` command.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use crossrole_core::world::trail::DEFAULT_MAX_EVENTS;
use crossrole_core::world::DEFAULT_MAX_SESSIONS;
use crossrole_emulator::audit::DEFAULT_AUDIT_LOG_MAX_BYTES;
use crossrole_emulator::{
    cors_origins, log, now, run, state, Options, DEFAULT_HEADER_TIMEOUT, DEFAULT_LISTEN,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT,
};
use serde_json::json;

/// The allocator: each request allocates on one worker thread what another may free (the
/// audit trail's records, sessions, answers); mimalloc's per-thread heaps take no lock for that,
/// where glibc's arenas contend (measured: AssumeRole at 32 connections about 15 % faster, and
/// the audit trail's cost about halved).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// crossrole's STS/IAM/DynamoDB emulator: the demo world (or yours) behind the AWS wire
/// protocols, for real AWS clients and the crossrole console.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The world to serve (the format of public/demo-world.json); the demo world by default.
    #[arg(long, value_name = "FILE")]
    world: Option<PathBuf>,
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Save IAM changes to FILE (atomically), and start from it when it exists.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Allow browser calls from ORIGIN (CORS); repeatable.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origin: Vec<String>,
    /// Serve the built console in DIR on the same origin (index.html for its routes).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Say in access-denied messages which policy decided (AWS itself never does).
    #[arg(long)]
    explain: bool,
    /// Give access-denied messages an encoded authorization message that STS
    /// DecodeAuthorizationMessage decodes (AWS's STS, IAM and DynamoDB never send one).
    #[arg(long)]
    authorization_messages: bool,
    /// For tests only: serve POST /crossrole-test/expire, signed with a session's own
    /// credentials (that session expires now).
    #[arg(long)]
    test_hooks: bool,
    /// Hold IAM requests to the us-east-1 credential scope, as AWS does (by default the
    /// emulator's region is accepted too, which SDKs sign IAM with when given an endpoint URL).
    #[arg(long)]
    strict_iam_region: bool,
    /// Serve at most N connections at once; more wait.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Keep at most N sessions; beyond it the one nearest its expiry is forgotten.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_SESSIONS)]
    max_sessions: usize,
    /// Close a connection whose request headers take longer than this (seconds).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_HEADER_TIMEOUT.as_secs_f64())]
    header_timeout: f64,
    /// Answer 408 to a request whose body takes longer than this (seconds).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_REQUEST_TIMEOUT.as_secs_f64())]
    request_timeout: f64,
    /// Also append every audit event (CloudTrail's record format) to FILE, one JSON line each.
    #[arg(long, value_name = "FILE")]
    audit_log: Option<PathBuf>,
    /// Rotate the audit log to FILE.1 past this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_AUDIT_LOG_MAX_BYTES)]
    audit_log_max_bytes: u64,
    /// Keep at most N audit events (the oldest go first; none older than 90 days).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_EVENTS)]
    trail_max_events: usize,
    /// Record no audit trail (LookupEvents then finds nothing; for measuring its cost).
    #[arg(long, conflicts_with = "audit_log")]
    no_audit_trail: bool,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    log(json!({"time": now().to_iso8601(), "kind": "stopping"}));
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let fail = |message: String| {
        log(json!({"time": now().to_iso8601(), "kind": "error", "message": message}));
        ExitCode::from(2)
    };
    if let Err(e) = cors_origins(&args.cors_origin) {
        return fail(e);
    }
    let seconds = |name: &str, value: f64| {
        std::time::Duration::try_from_secs_f64(value)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("{name} must be a positive number of seconds, not {value}"))
    };
    let (header_timeout, request_timeout) = match (
        seconds("--header-timeout", args.header_timeout),
        seconds("--request-timeout", args.request_timeout),
    ) {
        (Ok(h), Ok(r)) => (h, r),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    if args.max_connections == 0 || args.max_sessions == 0 || args.trail_max_events == 0 {
        return fail(
            "--max-connections, --max-sessions and --trail-max-events must be at least 1".into(),
        );
    }
    if args.audit_log_max_bytes == 0 {
        return fail("--audit-log-max-bytes must be at least 1".into());
    }
    let world = match state::load(args.world.as_deref(), args.state.as_deref()) {
        Ok(w) => w,
        Err(e) => return fail(e.to_string()),
    };
    // Loading a large world frees as much as it keeps (the parsed file, the loader's caches);
    // mimalloc would hand those pages back only as this thread allocates again.
    // SAFETY: mi_collect only tidies mimalloc's own heaps; it may be called at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
    if let Some(path) = &args.state {
        match state::remove_leftovers(path) {
            Ok(0) => {}
            Ok(n) => log(
                json!({"time": now().to_iso8601(), "kind": "state", "removedTemporaryFiles": n}),
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return fail(format!("cannot tidy beside {}: {e}", path.display())),
        }
    }
    if let Some(dir) = &args.static_dir {
        if !dir.join("index.html").is_file() {
            return fail(format!(
                "--static {}: no index.html there (build the console with trunk build --release)",
                dir.display()
            ));
        }
    }
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
    };
    let options = Options {
        state: args.state,
        cors_origins: args.cors_origin,
        static_dir: args.static_dir,
        explain: args.explain,
        authorization_messages: args.authorization_messages,
        test_hooks: args.test_hooks,
        strict_iam_region: args.strict_iam_region,
        max_connections: args.max_connections,
        header_timeout,
        request_timeout,
        max_sessions: args.max_sessions,
        audit_log: args.audit_log,
        audit_log_max_bytes: args.audit_log_max_bytes,
        trail_max_events: args.trail_max_events,
        audit_trail: !args.no_audit_trail,
    };
    match run(listener, world, options, shutdown_signal()).await {
        Ok(()) => {
            log(json!({"time": now().to_iso8601(), "kind": "stopped"}));
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.to_string()),
    }
}
