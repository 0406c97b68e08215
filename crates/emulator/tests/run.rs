//! The emulator on a real socket (`run`), through the crate's own HTTP client: calls served,
//! a silent connection closed after the header timeout, and at a graceful stop the roles'
//! last use saved and the audit trail flushed to its files.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{prepared, saved_production, temp_dir};
use crossrole_core::client::{read_credentials, Call};
use crossrole_core::demo::PROD_ADMIN;
use crossrole_core::ops::AssumeRole;
use crossrole_core::wire::StsRequest;
use crossrole_core::world::demo_world;
use crossrole_emulator::{client, run, Options};

/// A running emulator: where it listens, and how to stop it.
struct Running {
    host: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(options: Options) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(run(listener, demo_world(), options, async {
        let _ = stopped.await;
    }));
    Running { host, stop, server }
}

impl Running {
    /// `call`, signed by `signer`: its status and body.
    async fn call(&self, call: &Call) -> (u16, String) {
        let mut sender = client::connect(&self.host).await.unwrap();
        client::send(&mut sender, &self.host, &prepared("/", call, PROD_ADMIN))
            .await
            .unwrap()
    }

    /// Stops it gracefully and waits until it has.
    async fn stop(self) {
        self.stop.send(()).unwrap();
        self.server.await.unwrap().unwrap();
    }
}

fn switch() -> Call {
    Call::Sts(StsRequest::AssumeRole(AssumeRole {
        role_arn: "arn:aws:iam::222222222222:role/ops/ProdOperator".into(),
        role_session_name: "run-test".into(),
        ..Default::default()
    }))
}

/// The `eventName`s of a file of JSON lines.
fn event_names(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let record: serde_json::Value = serde_json::from_str(l).unwrap();
            record["eventName"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// docs/emulator.md: a switch's `RoleLastUsed` is saved within 5 seconds "and when the
/// emulator stops"; audit events are flushed every second and at the stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_a_stop_the_last_use_is_saved_and_the_trail_flushed() {
    let dir = temp_dir("run-stop");
    let state_file = dir.join("state.json");
    let audit_log = dir.join("audit.jsonl");
    let emulator = start(Options {
        state: Some(state_file.clone()),
        audit_log: Some(audit_log.clone()),
        ..Options::default()
    })
    .await;
    let (status, body) = emulator.call(&switch()).await;
    assert_eq!(status, 200, "{body}");
    read_credentials(status, &body).expect("a session");
    emulator.stop().await;

    let prod = saved_production(&state_file);
    assert!(prod.role("ProdOperator").unwrap().last_used.is_some());
    // The switch (within one account: one record), in the audit log and in the state's
    // journal.
    assert_eq!(event_names(&audit_log), ["AssumeRole"]);
    let journal = dir.join("state.json.trail.jsonl");
    assert_eq!(event_names(&journal), ["AssumeRole"]);
}

/// With `--audit-log` alone (no `--state`), the trail is flushed to it too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_only_an_audit_log_the_trail_is_flushed_to_it() {
    let dir = temp_dir("run-audit-only");
    let audit_log = dir.join("audit.jsonl");
    let emulator = start(Options {
        audit_log: Some(audit_log.clone()),
        ..Options::default()
    })
    .await;
    let (status, body) = emulator.call(&switch()).await;
    assert_eq!(status, 200, "{body}");
    emulator.stop().await;
    assert_eq!(event_names(&audit_log), ["AssumeRole"]);
}

/// Without a switch or an IAM change there is nothing to save: the state file is not written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_without_changes_writes_no_state() {
    let dir = temp_dir("run-no-change");
    let state_file = dir.join("state.json");
    let emulator = start(Options {
        state: Some(state_file.clone()),
        ..Options::default()
    })
    .await;
    let (status, body) = emulator
        .call(&Call::Sts(StsRequest::GetCallerIdentity))
        .await;
    assert_eq!(status, 200, "{body}");
    emulator.stop().await;
    assert!(!state_file.exists());
}

/// docs/emulator.md, `--header-timeout`: a connection whose request headers take longer is
/// closed, so a silent client cannot hold a connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_is_closed_after_the_header_timeout() {
    let emulator = start(Options {
        header_timeout: Duration::from_millis(200),
        ..Options::default()
    })
    .await;
    let host = emulator.host.clone();
    let closed = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut silent = std::net::TcpStream::connect(host).unwrap();
        // The bound only keeps a broken server from hanging the test (200 ms was asked for).
        silent
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut rest = Vec::new();
        silent.read_to_end(&mut rest).map(|_| rest)
    })
    .await
    .unwrap();
    // Closed by the server: the read ends, with nothing or a 408, never by the bound.
    match closed {
        Ok(rest) => {
            let text = String::from_utf8_lossy(&rest);
            assert!(
                rest.is_empty() || text.starts_with("HTTP/1.1 408"),
                "{text}"
            );
        }
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    // Others are still served.
    let (status, _) = emulator
        .call(&Call::Sts(StsRequest::GetCallerIdentity))
        .await;
    assert_eq!(status, 200);
    emulator.stop().await;
}
