//! The `crossrole-emulator` command.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use crossrole_emulator::{log, now, run, state, Options, DEFAULT_LISTEN};
use serde_json::json;

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
    /// For tests only: serve POST /crossrole-test/expire?accessKeyId=… (expire a session now).
    #[arg(long)]
    test_hooks: bool,
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
    let world = match state::load(args.world.as_deref(), args.state.as_deref()) {
        Ok(w) => w,
        Err(e) => return fail(e.to_string()),
    };
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
        test_hooks: args.test_hooks,
    };
    match run(listener, world, options, shutdown_signal()).await {
        Ok(()) => {
            log(json!({"time": now().to_iso8601(), "kind": "stopped"}));
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.to_string()),
    }
}
