//! A plain-HTTP/1.1 client for the emulator's own commands (the load client, `crossrole-login`):
//! one keep-alive connection, requests as core's client prepares them.

use axum::body::Bytes;
use crossrole_core::sigv4::HttpRequest;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

/// One connection's sender.
pub type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// Connects to `host` (`host:port`).
pub async fn connect(host: &str) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(host)
        .await
        .map_err(|e| format!("connect to {host}: {e}"))?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(connection);
    Ok(sender)
}

/// Sends `req` on `sender`, first reconnecting to `host` when the server closed the connection
/// (moto's server closes after every answer; the emulator keeps connections alive). The
/// answer's status and body.
pub async fn send(
    sender: &mut Sender,
    host: &str,
    req: &HttpRequest,
) -> Result<(u16, String), String> {
    if sender.ready().await.is_err() {
        *sender = connect(host).await?;
        sender.ready().await.map_err(|e| format!("ready: {e}"))?;
    }
    let uri = match req.query.as_str() {
        "" => req.path.clone(),
        query => format!("{}?{query}", req.path),
    };
    let mut builder = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(uri);
    for (n, v) in &req.headers {
        builder = builder.header(n, v);
    }
    let request = builder
        .body(Full::new(Bytes::from(req.body.clone())))
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}
