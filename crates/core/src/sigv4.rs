//! AWS Signature Version 4: signing requests (the console's STS backend) and verifying them
//! (the emulator), with one implementation of the canonical request so the two cannot drift.
//!
//! Hand-written rather than taken from a crate: the AWS SDK's signer (`aws-sigv4`) signs but
//! does not verify, and pulls in the SDK's runtime; this needs both directions, natively and
//! in the browser, over `hmac`/`sha2`. Checked against AWS's published test-suite vectors.
//!
//! ```
//! use crossrole_core::clock::Timestamp;
//! use crossrole_core::sigv4::{sign, verify, HttpRequest, SigningCredentials};
//!
//! let mut req = HttpRequest {
//!     method: "POST".into(),
//!     path: "/".into(),
//!     query: String::new(),
//!     headers: vec![("Host".into(), "sts.us-west-2.amazonaws.com".into())],
//!     body: b"Action=GetCallerIdentity&Version=2011-06-15".to_vec(),
//! };
//! let now = Timestamp(1_796_040_000);
//! let key = SigningCredentials {
//!     access_key_id: "AKIAIOSFODNN7EXAMPLE",
//!     secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
//!     session_token: None,
//! };
//! sign(&mut req, key, "us-west-2", "sts", now);
//! assert!(req.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential="));
//!
//! // The other side: the same secret verifies it, another does not.
//! let secret = |_: &str| Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned());
//! assert_eq!(verify(&req, now, secret).unwrap().access_key_id, "AKIAIOSFODNN7EXAMPLE");
//! assert!(verify(&req, now, |_: &str| Some("wrong".to_owned())).is_err());
//! ```

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::clock::Timestamp;

mod keys;
pub use keys::*;

/// The algorithm name in the Authorization header and string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// A request as it is (or will be) on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, percent-decoded (`/`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// Header names and values, as sent (any case, repeats allowed).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The values of header `name` (case-insensitive), in order.
    pub fn header_values<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }
}

/// Credentials to sign with. Its `Debug` hides the secret and the token.
#[derive(Clone, Copy)]
pub struct SigningCredentials<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The session token, for temporary credentials.
    pub session_token: Option<&'a str>,
}

impl std::fmt::Debug for SigningCredentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token.map(|_| "<redacted>"))
            .finish()
    }
}

/// Percent-encodes as SigV4 requires: everything but `A-Za-z0-9-_.~`, upper-case hex.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        let unreserved =
            b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/');
        if unreserved {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Lowercase hex (a table lookup: formatting each byte was a tenth of a request's work).
pub(crate) fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// The lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The canonical query string: pairs decoded, re-encoded, sorted by name then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Trims a header value and folds runs of spaces, as SigV4 canonicalisation requires.
fn canonical_header_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical request for `req` over the (lowercase, sorted) `signed_headers`.
pub fn canonical_request(req: &HttpRequest, signed_headers: &[String]) -> String {
    // Always the body's own hash, never the x-amz-content-sha256 header's claim: `verify`
    // refuses a header that disagrees, so the signature covers the body as sent.
    canonical_request_with(req, signed_headers, &sha256_hex(&req.body))
}

/// [`canonical_request`] with the body's hash already computed.
fn canonical_request_with(req: &HttpRequest, signed_headers: &[String], payload: &str) -> String {
    let headers: String = signed_headers
        .iter()
        .map(|name| {
            let values: Vec<String> = req
                .header_values(name)
                .map(canonical_header_value)
                .collect();
            format!("{name}:{}\n", values.join(","))
        })
        .collect();
    format!(
        "{}\n{}\n{}\n{headers}\n{}\n{payload}",
        req.method,
        uri_encode(if req.path.is_empty() { "/" } else { &req.path }, true),
        canonical_query(&req.query),
        signed_headers.join(";"),
    )
}

/// The credential scope `date/region/service/aws4_request`.
pub fn scope(date: &str, region: &str, service: &str) -> String {
    format!("{date}/{region}/{service}/aws4_request")
}

/// The string to sign.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature over `string_to_sign` with the key derived for the scope.
pub fn signature(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    hex(&hmac(
        &signing_key(secret, date, region, service),
        string_to_sign,
    ))
}

/// SigV4's signing key for a scope: the HMAC chain over the date, region, service and
/// `aws4_request`, keyed by `AWS4` + the secret.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, "aws4_request")
}

/// Signs `req` in place at `now`: adds `X-Amz-Date`, `X-Amz-Security-Token` (for temporary
/// credentials) and `Authorization`, signing every header present (which must include
/// `Host`).
pub fn sign(
    req: &mut HttpRequest,
    creds: SigningCredentials<'_>,
    region: &str,
    service: &str,
    now: Timestamp,
) {
    let amz_date = now.to_amz_date();
    let date = &amz_date[..8];
    req.headers.retain(|(n, _)| {
        !["authorization", "x-amz-date", "x-amz-security-token"]
            .contains(&n.to_ascii_lowercase().as_str())
    });
    req.headers.push(("X-Amz-Date".into(), amz_date.clone()));
    if let Some(token) = creds.session_token {
        req.headers
            .push(("X-Amz-Security-Token".into(), token.to_owned()));
    }
    let mut signed: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    signed.sort();
    signed.dedup();
    let scope = scope(date, region, service);
    let sts = string_to_sign(&amz_date, &scope, &canonical_request(req, &signed));
    let sig = signature(creds.secret_access_key, date, region, service, &sts);
    req.headers.push((
        "Authorization".into(),
        format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={sig}",
            creds.access_key_id,
            signed.join(";")
        ),
    ));
}

/// Why a request's signature was refused. The names follow AWS's error codes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SigV4Error {
    /// No Authorization header, or one that is not SigV4.
    #[error("Request is missing Authentication Token")]
    MissingAuthenticationToken,
    /// The Authorization header does not parse.
    #[error("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={0}")]
    IncompleteSignature(String),
    /// A header that must be signed (`host`, any `x-amz-*`) is not in SignedHeaders.
    #[error("'{0}' must be a 'SignedHeader' in the AWS Authorization.")]
    UnsignedHeader(String),
    /// `x-amz-content-sha256` is not the SHA-256 of the body (or is `UNSIGNED-PAYLOAD`,
    /// which only S3 accepts).
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    PayloadHashMismatch,
    /// The credential scope names a region this endpoint does not serve.
    #[error("Credential should be scoped to a valid region, not '{0}'. ")]
    WrongRegion(String),
    /// The signature does not match.
    #[error("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")]
    SignatureDoesNotMatch,
    /// The request's time is too far from the server's.
    #[error("Signature expired: {request} is now earlier than {earliest} ({now} - 15 min.)")]
    SignatureExpired {
        /// The request's X-Amz-Date.
        request: String,
        /// The earliest time accepted.
        earliest: String,
        /// The server's time.
        now: String,
    },
}

/// What a verified request says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The access key id that signed it.
    pub access_key_id: String,
    /// The scope's region.
    pub region: String,
    /// The scope's service.
    pub service: String,
    /// The session token sent, if any.
    pub session_token: Option<String>,
}

/// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id.
    pub access_key_id: String,
    /// `yyyymmdd`.
    pub date: String,
    /// Region.
    pub region: String,
    /// Service.
    pub service: String,
    /// The signed header names, lowercase, as listed.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses an Authorization header.
pub fn parse_authorization(header: &str) -> Result<Authorization, SigV4Error> {
    let rest = header
        .strip_prefix(ALGORITHM)
        .ok_or(SigV4Error::MissingAuthenticationToken)?;
    let incomplete = || SigV4Error::IncompleteSignature(header.to_owned());
    let mut credential = None;
    let mut signed = None;
    let mut sig = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => sig = Some(v),
            _ => {}
        }
    }
    let (credential, signed, sig) = (
        credential.ok_or_else(incomplete)?,
        signed.ok_or_else(incomplete)?,
        sig.ok_or_else(incomplete)?,
    );
    let parts: Vec<&str> = credential.split('/').collect();
    let [key, date, region, service, "aws4_request"] = parts.as_slice() else {
        return Err(incomplete());
    };
    Ok(Authorization {
        access_key_id: (*key).to_owned(),
        date: (*date).to_owned(),
        region: (*region).to_owned(),
        service: (*service).to_owned(),
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature: sig.to_owned(),
    })
}

/// The clock skew AWS tolerates between a request's date and the server's.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// Verifies `req`'s signature at `now`, with `secret_for` giving the secret of an access key
/// id (`None`: unknown key, reported as a signature mismatch by the caller's choice). Returns
/// what the request claims; authenticating the key and token is the world's business.
pub fn verify(
    req: &HttpRequest,
    now: Timestamp,
    secret_for: impl FnOnce(&str) -> Option<String>,
) -> Result<Verified, SigV4Error> {
    let header = req
        .header("authorization")
        .ok_or(SigV4Error::MissingAuthenticationToken)?;
    verify_parsed(req, &parse_authorization(header)?, now, secret_for)
}

/// [`verify`] for a request whose Authorization header the caller already parsed (the
/// endpoint reads it once, to route the request).
pub fn verify_parsed<S: AsRef<str>>(
    req: &HttpRequest,
    auth: &Authorization,
    now: Timestamp,
    secret_for: impl FnOnce(&str) -> Option<S>,
) -> Result<Verified, SigV4Error> {
    verify_parsed_with(req, auth, now, secret_for, None)
}

/// [`verify_parsed`], with signing keys taken from (and added to) `keys` when given.
pub fn verify_parsed_with<S: AsRef<str>>(
    req: &HttpRequest,
    auth: &Authorization,
    now: Timestamp,
    secret_for: impl FnOnce(&str) -> Option<S>,
    keys: Option<&mut SigningKeys>,
) -> Result<Verified, SigV4Error> {
    let incomplete =
        || SigV4Error::IncompleteSignature(req.header("authorization").unwrap_or_default().into());
    let amz_date = req.header("x-amz-date").ok_or_else(incomplete)?;
    let when = parse_amz_date(amz_date).ok_or_else(incomplete)?;
    if (now.seconds() - when.seconds()).abs() > MAX_SKEW_SECONDS
        || !amz_date.starts_with(&auth.date)
    {
        return Err(SigV4Error::SignatureExpired {
            request: amz_date.to_owned(),
            earliest: now.plus(-MAX_SKEW_SECONDS).to_amz_date(),
            now: now.to_amz_date(),
        });
    }
    // `host` and every x-amz-* header present must be signed, or a replay could change them
    // (x-amz-target picks the operation, x-amz-security-token the session).
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err(SigV4Error::UnsignedHeader("host".into()));
    }
    if let Some((name, _)) = req.headers.iter().find(|(n, _)| {
        let n = n.to_ascii_lowercase();
        n.starts_with("x-amz-") && !auth.signed_headers.contains(&n)
    }) {
        return Err(SigV4Error::UnsignedHeader(name.to_ascii_lowercase()));
    }
    // The body is hashed once, for the header check and the canonical request alike.
    let payload = sha256_hex(&req.body);
    if req
        .header_values("x-amz-content-sha256")
        .any(|claimed| claimed != payload)
    {
        return Err(SigV4Error::PayloadHashMismatch);
    }
    let secret = secret_for(&auth.access_key_id).ok_or(SigV4Error::SignatureDoesNotMatch)?;
    let scope = scope(&auth.date, &auth.region, &auth.service);
    let sts = string_to_sign(
        amz_date,
        &scope,
        &canonical_request_with(req, &auth.signed_headers, &payload),
    );
    let (secret, date, region, service) =
        (secret.as_ref(), &auth.date, &auth.region, &auth.service);
    let derived;
    let key = match keys {
        Some(keys) => keys.get(secret, date, region, service),
        None => {
            derived = signing_key(secret, date, region, service);
            &derived
        }
    };
    let expected = hex(&hmac(key, &sts));
    if !crate::ct::eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(SigV4Error::SignatureDoesNotMatch);
    }
    Ok(Verified {
        access_key_id: auth.access_key_id.clone(),
        region: auth.region.clone(),
        service: auth.service.clone(),
        session_token: req.header("x-amz-security-token").map(str::to_owned),
    })
}

/// Parses `20150830T123600Z`. Checks every byte before slicing: the header is the client's
/// text, and slicing a multi-byte character would panic.
fn parse_amz_date(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return None;
    }
    // All ASCII from here on, so these byte ranges are character boundaries.
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    Timestamp::parse(&iso).ok()
}

#[cfg(test)]
mod tests;
