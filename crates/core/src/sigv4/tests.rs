//! AWS's published Signature Version 4 test-suite vectors (credentials `AKIDEXAMPLE`, region
//! us-east-1, service `service`, 2015-08-30T12:36:00Z) and the S3 documentation's GET Object
//! example, then verification: round trips, tampering, wrong secrets, clock skew.

use super::*;

const SUITE_KEY: &str = "AKIDEXAMPLE";
const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_TIME: Timestamp = Timestamp(1_440_938_160); // 2015-08-30T12:36:00Z

fn request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpRequest {
    HttpRequest {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn signed_with_suite(mut req: HttpRequest) -> String {
    let creds = SigningCredentials {
        access_key_id: SUITE_KEY,
        secret_access_key: SUITE_SECRET,
        session_token: None,
    };
    sign(&mut req, creds, "us-east-1", "service", SUITE_TIME);
    req.header("authorization").unwrap().to_owned()
}

fn suite_auth(signed_headers: &str, sig: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed_headers}, Signature={sig}")
}

const HOST: (&str, &str) = ("Host", "example.amazonaws.com");

#[test]
fn get_vanilla_step_by_step() {
    let mut req = request("GET", "/", "", &[HOST], "");
    req.headers
        .push(("X-Amz-Date".into(), "20150830T123600Z".into()));
    let signed = vec!["host".to_owned(), "x-amz-date".to_owned()];
    let creq = canonical_request(&req, &signed);
    assert_eq!(
        creq,
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let sts = string_to_sign(
        "20150830T123600Z",
        &scope("20150830", "us-east-1", "service"),
        &creq,
    );
    assert_eq!(
        sts,
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
    );
    assert_eq!(
        signature(SUITE_SECRET, "20150830", "us-east-1", "service", &sts),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[test]
fn suite_vectors() {
    let cases = [
        (
            "get-vanilla",
            request("GET", "/", "", &[HOST], ""),
            "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
        (
            "post-vanilla",
            request("POST", "/", "", &[HOST], ""),
            "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        ),
        (
            "get-vanilla-query-order-key-case",
            request("GET", "/", "Param2=value2&Param1=value1", &[HOST], ""),
            "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
        (
            "get-unreserved",
            request(
                "GET",
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                "",
                &[HOST],
                "",
            ),
            "host;x-amz-date",
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
        ),
        (
            "post-header-value-case",
            request("POST", "/", "", &[HOST, ("My-Header1", "VALUE1")], ""),
            "host;my-header1;x-amz-date",
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
        ),
        (
            "get-header-value-trim",
            request(
                "GET",
                "/",
                "",
                &[
                    HOST,
                    ("My-Header1", " value1"),
                    ("My-Header2", "\"a   b   c\""),
                ],
                "",
            ),
            "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
        ),
    ];
    for (name, req, headers, sig) in cases {
        assert_eq!(signed_with_suite(req), suite_auth(headers, sig), "{name}");
    }
}

#[test]
fn s3_documentation_example() {
    // "Example: GET Object" in the S3 API reference's SigV4 header-authentication page.
    let mut req = request(
        "GET",
        "/test.txt",
        "",
        &[
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("Range", "bytes=0-9"),
            (
                "x-amz-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
        ],
        "",
    );
    let creds = SigningCredentials {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        session_token: None,
    };
    sign(
        &mut req,
        creds,
        "us-east-1",
        "s3",
        Timestamp::parse("2013-05-24T00:00:00Z").unwrap(),
    );
    assert!(req
        .header("authorization")
        .unwrap()
        .ends_with("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
}

fn sts_request(now: Timestamp, token: Option<&str>) -> HttpRequest {
    let mut req = request(
        "POST",
        "/",
        "",
        &[
            HOST,
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
        ],
        "Action=GetCallerIdentity&Version=2011-06-15",
    );
    let creds = SigningCredentials {
        access_key_id: "ASIAEXAMPLE",
        secret_access_key: "secret",
        session_token: token,
    };
    sign(&mut req, creds, "us-west-2", "sts", now);
    req
}

#[test]
fn verification_accepts_what_sign_produces() {
    let now = Timestamp(1_796_040_000);
    let req = sts_request(now, Some("token-123"));
    let v = verify(&req, now.plus(60), |k| {
        (k == "ASIAEXAMPLE").then(|| "secret".to_owned())
    })
    .unwrap();
    assert_eq!(v.access_key_id, "ASIAEXAMPLE");
    assert_eq!(
        (v.region.as_str(), v.service.as_str()),
        ("us-west-2", "sts")
    );
    assert_eq!(v.session_token.as_deref(), Some("token-123"));
}

#[test]
fn verification_refuses_tampering_wrong_secrets_and_skew() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    let mut tampered = sts_request(now, None);
    tampered.body = b"Action=AssumeRole&Version=2011-06-15".to_vec();
    assert_eq!(
        verify(&tampered, now, secret),
        Err(SigV4Error::SignatureDoesNotMatch)
    );
    let mut token_swapped = sts_request(now, Some("a"));
    for (n, v) in token_swapped.headers.iter_mut() {
        if n == "X-Amz-Security-Token" {
            *v = "b".into();
        }
    }
    assert_eq!(
        verify(&token_swapped, now, secret),
        Err(SigV4Error::SignatureDoesNotMatch)
    );
    let req = sts_request(now, None);
    assert_eq!(
        verify(&req, now, |_| Some("other".into())),
        Err(SigV4Error::SignatureDoesNotMatch)
    );
    assert_eq!(
        verify(&req, now, |_| None),
        Err(SigV4Error::SignatureDoesNotMatch)
    );
    // AWS allows 15 minutes of skew (written out, not the implementation's constant).
    assert!(verify(&req, now.plus(900), secret).is_ok());
    assert!(verify(&req, now.plus(-900), secret).is_ok());
    assert!(matches!(
        verify(&req, now.plus(901), secret),
        Err(SigV4Error::SignatureExpired { .. })
    ));
    assert!(matches!(
        verify(&req, now.plus(-901), secret),
        Err(SigV4Error::SignatureExpired { .. })
    ));
    let mut unsigned = req.clone();
    unsigned.headers.retain(|(n, _)| n != "Authorization");
    assert_eq!(
        verify(&unsigned, now, secret),
        Err(SigV4Error::MissingAuthenticationToken)
    );
}

#[test]
fn authorization_headers_parse_or_say_what_is_missing() {
    let a = parse_authorization(&suite_auth("host;x-amz-date", "abc")).unwrap();
    assert_eq!(a.access_key_id, "AKIDEXAMPLE");
    assert_eq!(a.signed_headers, ["host", "x-amz-date"]);
    assert_eq!(
        parse_authorization("Basic dXNlcg=="),
        Err(SigV4Error::MissingAuthenticationToken)
    );
    assert!(matches!(
        parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request"
        ),
        Err(SigV4Error::IncompleteSignature(_))
    ));
    assert!(matches!(
        parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830, SignedHeaders=host, Signature=x"
        ),
        Err(SigV4Error::IncompleteSignature(_))
    ));
}

#[test]
fn encoding_follows_sigv4() {
    assert_eq!(uri_encode("a b+c/d~e", false), "a%20b%2Bc%2Fd~e");
    assert_eq!(uri_encode("/a b/", true), "/a%20b/");
    assert_eq!(uri_encode("ሴ", false), "%E1%88%B4");
}

/// A 16-byte date with a multi-byte character panicked (byte slicing).
#[test]
fn dates_that_are_not_ascii_are_refused_without_panicking() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    for bad in [
        "201é0830T123600",
        // A multi-byte character inside the time, where a slice would cut it in two.
        "20150830T123é0Z",
        "2015083OT123600Z",
        "20150830X123600Z",
        "20150830T123600Y",
        "20150830T1236000",
        "é",
        "",
        "20151330T123600Z",
    ] {
        let mut req = sts_request(now, None);
        for (n, v) in req.headers.iter_mut() {
            if n.eq_ignore_ascii_case("x-amz-date") {
                *v = bad.into();
            }
        }
        assert!(
            matches!(
                verify(&req, now, secret),
                Err(SigV4Error::IncompleteSignature(_))
            ),
            "{bad:?}"
        );
    }
}

/// The payload hash header was trusted instead of the body. SigV4's
/// documentation (Create a canonical request: "HashedPayload") defines the hash over the
/// body; STS, IAM and DynamoDB do not take `UNSIGNED-PAYLOAD` (an S3 feature).
#[test]
fn the_body_is_always_covered_by_the_signature() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let signed_with_hash = |hash: &str| {
        let mut req = request(
            "POST",
            "/",
            "",
            &[HOST, ("X-Amz-Content-Sha256", hash)],
            body,
        );
        let creds = SigningCredentials {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "secret",
            session_token: None,
        };
        sign(&mut req, creds, "us-west-2", "sts", now);
        req
    };
    // The right hash in the header is fine…
    let honest = signed_with_hash(&sha256_hex(body.as_bytes()));
    assert!(verify(&honest, now, secret).is_ok());
    // …but a swapped body under it is not.
    let mut swapped = honest.clone();
    swapped.body = b"Action=GetSessionToken&Version=2011-06-15".to_vec();
    assert_eq!(
        verify(&swapped, now, secret),
        Err(SigV4Error::PayloadHashMismatch)
    );
    assert_eq!(
        verify(&signed_with_hash("UNSIGNED-PAYLOAD"), now, secret),
        Err(SigV4Error::PayloadHashMismatch)
    );
}

/// AWS requires `host` and every `x-amz-*` header present to be signed
/// (Signature Version 4: "Create a canonical request", CanonicalHeaders).
#[test]
fn every_x_amz_header_must_be_signed() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    for (name, value) in [
        ("X-Amz-Target", "DynamoDB_20120810.Scan"),
        ("X-Amz-Security-Token", "swapped"),
        ("x-amz-meta-anything", "1"),
    ] {
        let mut req = sts_request(now, None);
        req.headers.push((name.into(), value.into()));
        assert!(
            matches!(
                verify(&req, now, secret),
                Err(SigV4Error::UnsignedHeader(h)) if h == name.to_ascii_lowercase()
            ),
            "{name}"
        );
    }
    // Headers that are not x-amz-* may stay unsigned (browsers add their own).
    let mut req = sts_request(now, None);
    req.headers.push(("Accept-Language".into(), "en".into()));
    assert!(verify(&req, now, secret).is_ok());
}

/// A verifier may keep derived signing keys; they are keyed by the secret too, so a
/// cached key never verifies a request signed with another secret.
#[test]
fn cached_signing_keys_verify_alike_and_never_across_secrets() {
    let now = Timestamp(1_796_040_000);
    let mut keys = SigningKeys::default();
    let sign_with = |secret: &str| {
        let mut req = HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![("Host".into(), "127.0.0.1:4566".into())],
            body: b"Action=GetCallerIdentity&Version=2011-06-15".to_vec(),
        };
        let key = SigningCredentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: secret,
            session_token: None,
        };
        sign(&mut req, key, "us-west-2", "sts", now);
        req
    };
    let good = sign_with("right-secret");
    let auth = parse_authorization(good.header("authorization").unwrap()).unwrap();
    for _ in 0..2 {
        assert!(
            verify_parsed_with(&good, &auth, now, |_| Some("right-secret"), Some(&mut keys))
                .is_ok()
        );
    }
    assert!(
        verify_parsed_with(&good, &auth, now, |_| Some("other-secret"), Some(&mut keys)).is_err()
    );
    let forged = sign_with("other-secret");
    let auth = parse_authorization(forged.header("authorization").unwrap()).unwrap();
    assert_eq!(
        verify_parsed_with(
            &forged,
            &auth,
            now,
            |_| Some("right-secret"),
            Some(&mut keys)
        ),
        verify_parsed(&forged, &auth, now, |_| Some("right-secret"))
    );
    assert!(verify_parsed(&forged, &auth, now, |_| Some("right-secret")).is_err());
}

/// The cache of signing keys stays bounded, and a key read back is the one derived.
#[test]
fn signing_keys_are_bounded_and_right() {
    let mut keys = SigningKeys::default();
    for i in 0..=SigningKeys::CAPACITY {
        keys.get(&format!("secret{i}"), "20261130", "us-west-2", "sts");
    }
    assert!(keys.len <= SigningKeys::CAPACITY, "{}", keys.len);
    let expected = signing_key("secret1", "20261130", "eu-west-1", "sts");
    assert_eq!(
        keys.get("secret1", "20261130", "eu-west-1", "sts"),
        expected
    );
    assert_eq!(
        keys.get("secret1", "20261130", "eu-west-1", "sts"),
        expected
    );
    assert_ne!(
        keys.get("secret1", "20261130", "us-west-2", "sts"),
        expected
    );
}

#[test]
fn signing_keys_debug_shows_no_secret_or_key() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let mut keys = SigningKeys::default();
    let key = keys.get(secret, "20150830", "us-east-1", "iam").to_vec();
    let shown = format!("{keys:?}");
    assert!(shown.contains("len: 1"), "{shown}");
    assert!(!shown.contains(secret), "{shown}");
    // A derived Debug would list the map: each secret, and each key's bytes.
    assert!(!shown.contains("by_secret"), "{shown}");
    assert!(!key.is_empty());
}

/// Signature Version 4, "Create a canonical request": the `host` header must be among the
/// signed headers, or a signed request could be replayed against another endpoint. A request
/// whose signature leaves `host` out is refused for that, before its signature is checked.
#[test]
fn the_host_header_must_be_signed() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    let req = sts_request(now, None);
    let auth = parse_authorization(req.header("authorization").unwrap()).unwrap();
    assert!(auth.signed_headers.iter().any(|h| h == "host"));
    let mut without_host = auth.clone();
    without_host.signed_headers.retain(|h| h != "host");
    assert_eq!(
        verify_parsed(&req, &without_host, now, secret),
        Err(SigV4Error::UnsignedHeader("host".into()))
    );
    assert!(verify_parsed(&req, &auth, now, secret).is_ok());
}

/// Below its bound the cache keeps every key it derived (one per secret and scope), and at
/// the bound it starts again, so hostile scopes cannot grow it.
#[test]
fn signing_keys_are_kept_until_the_bound_then_dropped() {
    let mut keys = SigningKeys::default();
    for i in 0..3 {
        keys.get(&format!("secret{i}"), "20261130", "us-west-2", "sts");
    }
    keys.get("secret0", "20261130", "us-west-2", "sts");
    assert_eq!((keys.len, keys.by_secret.len()), (3, 3));
    for i in 3..SigningKeys::CAPACITY {
        keys.get(&format!("secret{i}"), "20261130", "us-west-2", "sts");
    }
    assert_eq!(keys.len, SigningKeys::CAPACITY);
    keys.get("one-more", "20261130", "us-west-2", "sts");
    assert_eq!((keys.len, keys.by_secret.len()), (1, 1));
}

/// A key is derived for one scope: another date, region or service (each alone) gets its
/// own, the one the secret and that scope derive.
#[test]
fn signing_keys_differ_by_each_part_of_the_scope() {
    let mut keys = SigningKeys::default();
    let base = ("20261130", "us-west-2", "sts");
    keys.get("secret", base.0, base.1, base.2);
    for (date, region, service) in [
        ("20261201", base.1, base.2),
        (base.0, "eu-west-1", base.2),
        (base.0, base.1, "iam"),
    ] {
        assert_eq!(
            keys.get("secret", date, region, service),
            signing_key("secret", date, region, service),
            "{date} {region} {service}"
        );
    }
    assert_eq!(keys.len, 4);
    assert_eq!(
        keys.get("secret", base.0, base.1, base.2),
        signing_key("secret", base.0, base.1, base.2)
    );
    assert_eq!(keys.len, 4);
}

/// A request older than the allowed skew says when the earliest acceptable time was (the
/// request's time, that earliest time and now, as AWS's "Signature expired" message does).
#[test]
fn an_expired_signature_says_the_earliest_time_accepted() {
    let now = Timestamp(1_796_040_000);
    let secret = |_: &str| Some("secret".to_owned());
    let old = sts_request(now.plus(-(MAX_SKEW_SECONDS + 1)), None);
    assert_eq!(
        verify(&old, now, secret),
        Err(SigV4Error::SignatureExpired {
            request: now.plus(-(MAX_SKEW_SECONDS + 1)).to_amz_date(),
            earliest: now.plus(-MAX_SKEW_SECONDS).to_amz_date(),
            now: now.to_amz_date(),
        })
    );
    // At the skew itself, still accepted.
    assert!(verify(&sts_request(now.plus(-MAX_SKEW_SECONDS), None), now, secret).is_ok());
}
