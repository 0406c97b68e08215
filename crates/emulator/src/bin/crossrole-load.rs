//! `crossrole-load`: a load client for the emulator's soak run and the bench (issue
//! 11). Sends properly signed calls — mixed (GetCallerIdentity, AssumeRole, DynamoDB Scan, IAM
//! GetRole and PutRolePolicy, a write saved with `--state`) or one kind only (`--op`) — over
//! many keep-alive connections, checks every answer's status and content (a fast error never
//! counts as a fast success), and prints one JSON summary line. Exits 1 when any call failed.
//! With `--key`/`--secret`/`--mfa-seed none`/`--role-arn` it drives any STS/DynamoDB endpoint
//! (moto for the bench's reference).
//!
//! Signing and reading use `crossrole_core` (the same code as the console's STS backend), the
//! demo world's public credentials, and David's MFA seed for the role switch.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use crossrole_core::client::{self, prepare, read_credentials};
use crossrole_core::clock::Timestamp;
use crossrole_core::demo::{DAVID, DAVID_MFA_SEED, DAVID_MFA_SERIAL, PROD_ADMIN, PROD_ROLE};
use crossrole_core::ops::{AssumeRole, GetSessionToken};
use crossrole_core::sigv4::{HttpRequest, SigningCredentials};
use crossrole_core::totp::Totp;
use crossrole_core::wire::dynamodb::DynamoRequest;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::wire::{Endpoint, StsRequest};
use crossrole_core::world::Credentials;
use crossrole_emulator::client::{connect, send};
use serde_json::json;

#[derive(Parser, Debug)]
struct Args {
    /// The emulator, e.g. http://127.0.0.1:4566.
    #[arg(long)]
    url: String,
    /// How many calls in all.
    #[arg(long, default_value_t = 20_000)]
    calls: usize,
    /// How many connections at once.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// The region the world lives in.
    #[arg(long, default_value = "us-west-2")]
    region: String,
    /// Which calls: `mixed` (all five kinds in turn), or only `identity` (GetCallerIdentity
    /// with the long-term key), `assume` (AssumeRole with the MFA session; each issues a
    /// session, for checking that memory stays flat) or `scan` (DynamoDB Scan in the role).
    #[arg(long, value_enum, default_value_t = Op::Mixed)]
    op: Op,
    /// The caller's access key id (default: the demo world's David).
    #[arg(long)]
    key: Option<String>,
    /// The caller's secret access key (default: David's).
    #[arg(long)]
    secret: Option<String>,
    /// The caller's MFA seed, base32, for GetSessionToken (default: David's; `none`: no MFA).
    #[arg(long)]
    mfa_seed: Option<String>,
    /// The caller's MFA device (default: David's).
    #[arg(long)]
    mfa_serial: Option<String>,
    /// The role to assume (default: the demo world's production role).
    #[arg(long)]
    role_arn: Option<String>,
    /// The table to scan in the role.
    #[arg(long, default_value = "GameScores")]
    table: String,
}

/// The kinds of call a run sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Op {
    Mixed,
    Identity,
    Assume,
    Scan,
}

/// Who calls and what they switch to, for one run.
struct Caller {
    key: String,
    secret: String,
    mfa: Option<(Totp, String)>,
    role_arn: String,
    table: String,
}

fn now() -> Timestamp {
    crossrole_emulator::now()
}

/// One call, and what a good answer contains.
struct Call {
    call: client::Call,
    expect: &'static str,
}

struct Client {
    endpoint: Endpoint,
    region: String,
}

impl Client {
    /// The call prepared by core's client, as the console prepares its calls.
    fn request(&self, call: &Call, key: &str, secret: &str, token: Option<&str>) -> HttpRequest {
        let signer = SigningCredentials {
            access_key_id: key,
            secret_access_key: secret,
            session_token: token,
        };
        prepare(&call.call, &self.endpoint, &self.region, signer, now())
    }
}

fn credentials(status: u16, body: &str) -> Result<Credentials, String> {
    read_credentials(status, body)
        .map(|(c, _)| c)
        .map_err(|e| format!("no credentials: {e}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let host = args
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let endpoint = match Endpoint::resolve(&format!("http://{host}/"), "http://localhost") {
        Ok(e) => e,
        Err(e) => {
            eprintln!("--url: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let client = Arc::new(Client {
        endpoint,
        region: args.region.clone(),
    });
    let mfa = match args.mfa_seed.as_deref() {
        Some("none") => None,
        seed => match Totp::from_base32(seed.unwrap_or(DAVID_MFA_SEED)) {
            Ok(totp) => Some((
                totp,
                args.mfa_serial.clone().unwrap_or(DAVID_MFA_SERIAL.into()),
            )),
            Err(e) => {
                eprintln!("--mfa-seed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
    };
    let caller = Arc::new(Caller {
        key: args.key.clone().unwrap_or(DAVID.access_key_id.into()),
        secret: args
            .secret
            .clone()
            .unwrap_or(DAVID.secret_access_key.into()),
        mfa,
        role_arn: args.role_arn.clone().unwrap_or(PROD_ROLE.into()),
        table: args.table.clone(),
    });
    // David's session with MFA, then the production role: the credentials the mix uses.
    let setup = async {
        let mut s = connect(&host).await?;
        // A code works once: when another run took this step's, the next or the previous
        // step's code is good too.
        let mut refused = String::new();
        let mut base = None;
        for step in [0, 1, -1] {
            let (serial_number, token_code) = caller
                .mfa
                .as_ref()
                .map(|(totp, serial)| (serial.clone(), totp.code_at(now().plus(30 * step))))
                .unzip();
            let token_call = Call {
                call: client::Call::Sts(StsRequest::GetSessionToken(GetSessionToken {
                    duration: None,
                    serial_number,
                    token_code,
                })),
                expect: "",
            };
            let (status, body) = send(
                &mut s,
                &host,
                &client.request(&token_call, &caller.key, &caller.secret, None),
            )
            .await?;
            match credentials(status, &body) {
                Ok(c) => {
                    base = Some(c);
                    break;
                }
                Err(e) => refused = e,
            }
        }
        let base = base.ok_or(refused)?;
        let assume = assume_call(&caller.role_arn);
        let (status, body) = send(
            &mut s,
            &host,
            &client.request(
                &assume,
                &base.access_key_id,
                base.secret_access_key.expose(),
                Some(base.session_token.expose()),
            ),
        )
        .await?;
        let role = credentials(status, &body)?;
        Ok::<_, String>((base, role))
    };
    let (base, role) = match setup.await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("setup failed: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let base = Arc::new(base);
    let role = Arc::new(role);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.connections {
        let (client, base, role, next, host, caller) = (
            client.clone(),
            base.clone(),
            role.clone(),
            next.clone(),
            host.clone(),
            caller.clone(),
        );
        let calls = args.calls;
        let op = args.op;
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures: Vec<String> = Vec::new();
            let mut server_errors = 0usize;
            let mut sender = match connect(&host).await {
                Ok(s) => s,
                Err(e) => return (latencies, vec![e], server_errors),
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= calls {
                    break;
                }
                let kind = match op {
                    Op::Mixed => i % 5,
                    Op::Identity => 0,
                    Op::Assume => 1,
                    Op::Scan => 2,
                };
                let (call, key, secret, token) = match kind {
                    0 => (
                        identity_call(),
                        caller.key.as_str(),
                        caller.secret.clone(),
                        None,
                    ),
                    1 => (
                        assume_call(&caller.role_arn),
                        base.access_key_id.as_str(),
                        base.secret_access_key.expose().to_owned(),
                        Some(base.session_token.expose().to_owned()),
                    ),
                    2 => (
                        scan_call(&caller.table),
                        role.access_key_id.as_str(),
                        role.secret_access_key.expose().to_owned(),
                        Some(role.session_token.expose().to_owned()),
                    ),
                    3 => (
                        get_role_call(),
                        PROD_ADMIN.access_key_id,
                        PROD_ADMIN.secret_access_key.to_owned(),
                        None,
                    ),
                    _ => (
                        put_policy_call(i),
                        PROD_ADMIN.access_key_id,
                        PROD_ADMIN.secret_access_key.to_owned(),
                        None,
                    ),
                };
                let req = client.request(&call, key, &secret, token.as_deref());
                let t = Instant::now();
                match send(&mut sender, &host, &req).await {
                    Ok((status, body)) => {
                        latencies.push(t.elapsed());
                        if status >= 500 {
                            server_errors += 1;
                        }
                        if status != 200 || !body.contains(call.expect) {
                            failures.push(format!("call {i}: HTTP {status}: {:.200}", body));
                        }
                    }
                    Err(e) => {
                        failures.push(format!("call {i}: {e}"));
                        match connect(&host).await {
                            Ok(s) => sender = s,
                            Err(e) => {
                                failures.push(e);
                                break;
                            }
                        }
                    }
                }
            }
            (latencies, failures, server_errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    let mut server_errors = 0;
    for w in workers {
        match w.await {
            Ok((l, f, s)) => {
                latencies.extend(l);
                failures.extend(f);
                server_errors += s;
            }
            Err(e) => failures.push(format!("worker: {e}")),
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(Duration::ZERO)
            .as_secs_f64()
            * 1000.0
    };
    println!(
        "{}",
        json!({
            "calls": args.calls,
            "connections": args.connections,
            "answered": latencies.len(),
            "failures": failures.len(),
            "serverErrors": server_errors,
            "seconds": elapsed.as_secs_f64(),
            "perSecond": latencies.len() as f64 / elapsed.as_secs_f64(),
            "p50ms": pick(0.5),
            "p99ms": pick(0.99),
        })
    );
    for f in failures.iter().take(10) {
        eprintln!("{f}");
    }
    if failures.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

fn identity_call() -> Call {
    Call {
        call: client::Call::Sts(StsRequest::GetCallerIdentity),
        expect: "<Arn>arn:aws:iam::",
    }
}

fn assume_call(role_arn: &str) -> Call {
    Call {
        call: client::Call::Sts(StsRequest::AssumeRole(AssumeRole {
            role_arn: role_arn.into(),
            role_session_name: "LoadTest".into(),
            duration: None,
            ..Default::default()
        })),
        expect: ":assumed-role/",
    }
}

fn scan_call(table: &str) -> Call {
    Call {
        call: client::Call::DynamoDb(DynamoRequest::Scan {
            table: table.into(),
            projection: Default::default(),
        }),
        expect: "\"Items\"",
    }
}

fn get_role_call() -> Call {
    Call {
        call: client::Call::Iam(IamRequest::GetRole {
            role: "AccessToProdDynamoDB".into(),
        }),
        expect: "<RoleName>AccessToProdDynamoDB</RoleName>",
    }
}

fn put_policy_call(i: usize) -> Call {
    let document = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Load{i}","Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}]}}"#
    );
    Call {
        // ProdOperator: the demo organization's SCP protects AccessToProdDynamoDB from writes.
        call: client::Call::Iam(IamRequest::PutRolePolicy {
            role: "ProdOperator".into(),
            name: format!("Load{}", i % 7),
            document,
        }),
        expect: "PutRolePolicyResponse",
    }
}
