//! `crossrole-login`: from the terminal to the console, as `aws-vault login` does against AWS.
//! Reads the temporary credentials of the standard environment variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, as
//! `aws configure export-credentials --format env` prints them), asks the emulator's federation
//! endpoint for a sign-in token (IAM User Guide, "Enable custom identity broker access to the
//! AWS console") and prints the sign-in URL, or opens it with `--open`.
//!
//! The credentials go only to the endpoint, in the request the User Guide describes; the URL
//! holds the one-time token (good for 15 minutes), never a credential.

use std::process::ExitCode;

use clap::Parser;
use crossrole_core::client::federation::{login_url, read_signin_token, signin_token_request};
use crossrole_core::sigv4::HttpRequest;
use crossrole_core::wire::Endpoint;
use crossrole_emulator::client::{connect, send};

#[derive(Parser, Debug)]
#[command(
    name = "crossrole-login",
    about = "Open the crossrole console signed in as the temporary credentials in AWS_* variables"
)]
struct Args {
    /// The emulator (plain HTTP), e.g. http://127.0.0.1:4566 [default: $AWS_ENDPOINT_URL].
    #[arg(long)]
    url: Option<String>,
    /// Where the sign-in URL points, when the console is reached at another address than
    /// --url (e.g. behind a proxy) [default: --url].
    #[arg(long)]
    console_url: Option<String>,
    /// The console page to land on, a path on the console's site.
    #[arg(long, default_value = "/")]
    destination: String,
    /// The console session's length in seconds, 900 to 43200 (role sessions assumed with
    /// long-term credentials only) [default: as long as the credentials].
    #[arg(long)]
    session_duration: Option<u32>,
    /// Open the URL in the desktop's browser (xdg-open) instead of printing it.
    #[arg(long)]
    open: bool,
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("{name} is not set: export the temporary credentials first, e.g. eval \"$(aws configure export-credentials --profile NAME --format env)\""))
}

async fn get(endpoint: &Endpoint, path_and_query: &str) -> Result<(u16, String), String> {
    if !endpoint.url.starts_with("http://") {
        return Err(format!(
            "{} is not plain http:// (the emulator's own address is)",
            endpoint.url
        ));
    }
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let request = HttpRequest {
        method: "GET".into(),
        path: format!("{}{path}", endpoint.path.trim_end_matches('/')),
        query: query.to_owned(),
        headers: vec![
            ("host".into(), endpoint.host.clone()),
            ("user-agent".into(), "crossrole-login".into()),
        ],
        body: Vec::new(),
    };
    let mut sender = connect(&endpoint.host).await?;
    send(&mut sender, &endpoint.host, &request).await
}

async fn run(args: Args) -> Result<String, String> {
    let url = match args.url {
        Some(url) => url,
        None => env("AWS_ENDPOINT_URL").map_err(|_| {
            "give the emulator's address: --url http://127.0.0.1:4566 (or set AWS_ENDPOINT_URL)"
                .to_owned()
        })?,
    };
    let endpoint = Endpoint::resolve(&url, "http://localhost")?;
    let key = env("AWS_ACCESS_KEY_ID")?;
    let secret = env("AWS_SECRET_ACCESS_KEY")?;
    let token = env("AWS_SESSION_TOKEN").map_err(|_| {
        "AWS_SESSION_TOKEN is not set: the console signs in with temporary credentials only (aws sts assume-role, or a profile with role_arn)".to_owned()
    })?;
    let request = signin_token_request(&key, &secret, &token, args.session_duration);
    let (status, body) = get(&endpoint, &request).await?;
    let signin_token = read_signin_token(status, &body).map_err(|e| e.to_string())?;
    let console = args.console_url.as_deref().unwrap_or(&endpoint.url);
    Ok(login_url(
        console,
        &signin_token,
        &args.destination,
        "crossrole-login",
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let open = args.open;
    match run(args).await {
        Ok(url) if open => match std::process::Command::new("xdg-open").arg(&url).status() {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            _ => {
                eprintln!("crossrole-login: could not open a browser (xdg-open); open this URL within 15 minutes:");
                println!("{url}");
                ExitCode::FAILURE
            }
        },
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("crossrole-login: {e}");
            ExitCode::FAILURE
        }
    }
}
