//! Fuzzing on the stable toolchain: proptest throws generated and mutated input at
//! every parser that reads what a client or a file sends, and at the whole endpoint
//! (`endpoint::serve`), asserting only that nothing panics and that every answer is an HTTP
//! status the protocol allows. The test command runs a short pass (`FUZZ_CASES`, default
//! 256 per target); `scripts/soak.sh` runs long ones.
#![cfg(not(target_arch = "wasm32"))]

use crossrole_core::clock::Timestamp;
use crossrole_core::endpoint::{federation, serve, ServeOptions};
use crossrole_core::link::parse_query;
use crossrole_core::policy::Policy;
use crossrole_core::sigv4::{self, sign, HttpRequest};
use crossrole_core::wire::dynamodb::DynamoRequest;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::wire::{parse_sts_response, query_params, StsRequest};
use crossrole_core::world::{demo_world, World};
use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

const NOW: Timestamp = Timestamp(1_796_040_000);

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that is often near-valid: fragments of real requests, glued with arbitrary text.
fn texty() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("Action=AssumeRole&Version=2011-06-15".to_owned()),
        Just("&RoleArn=arn:aws:iam::222222222222:role/AccessToProdDynamoDB".to_owned()),
        Just("&RoleSessionName=David&DurationSeconds=".to_owned()),
        Just("Action=CreateRole&RoleName=".to_owned()),
        Just("&AssumeRolePolicyDocument=%7B%22Statement%22%3A".to_owned()),
        Just("{\"TableName\":\"GameScores\",\"Key\":{".to_owned()),
        Just("Action=getSigninToken&SessionDuration=900&Session=".to_owned()),
        Just("%7B%22sessionId%22%3A%22ASIA".to_owned()),
        Just("Action=login&Destination=%2F%2Fevil&SigninToken=".to_owned()),
        Just("Action=exchange&SigninToken=".to_owned()),
        Just("%".to_owned()),
        Just("é".to_owned()),
        Just("\u{0}".to_owned()),
        "\\PC{0,40}",
        "[\\x00-\\x7f]{0,40}",
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("20261130T120000Z".to_owned()),
        Just("201é0830T123600".to_owned()),
        Just("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261130/us-west-2/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=00".to_owned()),
        Just("DynamoDB_20120810.Scan".to_owned()),
        Just("UNSIGNED-PAYLOAD".to_owned()),
        "\\PC{0,80}",
    ]
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Host".to_owned()),
        Just("Authorization".to_owned()),
        Just("X-Amz-Date".to_owned()),
        Just("X-Amz-Target".to_owned()),
        Just("X-Amz-Security-Token".to_owned()),
        Just("X-Amz-Content-Sha256".to_owned()),
        "[a-zA-Z-]{1,20}",
    ]
}

fn request() -> impl Strategy<Value = HttpRequest> {
    (
        prop::collection::vec((header_name(), header_value()), 0..8),
        texty(),
        texty(),
        any::<bool>(),
    )
        .prop_map(|(headers, query, body, signed)| {
            let mut req = HttpRequest {
                method: "POST".into(),
                path: "/".into(),
                query,
                headers,
                body: body.into_bytes(),
            };
            if signed {
                // A properly signed request carries the mutated parts past the signature
                // check, into the operations.
                req.headers.push(("Host".into(), "127.0.0.1:4566".into()));
                let service = if req.header("x-amz-target").is_some() {
                    "dynamodb"
                } else {
                    "sts"
                };
                sign(
                    &mut req,
                    crossrole_core::demo::PROD_ADMIN,
                    "us-west-2",
                    service,
                    NOW,
                );
            }
            req
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_endpoint_never_panics(req in request(), strict in any::<bool>()) {
        let mut world = demo_world();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let options = ServeOptions { explain: strict, authorization_messages: strict, strict_iam_region: strict };
        let served = serve(&mut world, &req, NOW, &mut rng, &options);
        prop_assert!([200, 400, 403, 404, 409].contains(&served.status), "{}", served.status);
    }

    #[test]
    fn the_federation_endpoint_never_panics(
        query in texty(),
        body in texty(),
        post in any::<bool>(),
        host in prop::option::of(header_value()),
    ) {
        let mut world = demo_world();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let req = HttpRequest {
            method: if post { "POST" } else { "GET" }.into(),
            path: "/federation".into(),
            query,
            headers: Vec::new(),
            body: body.into_bytes(),
        };
        let origin = crossrole_core::ops::Origin::default();
        let reply = federation(&mut world, &mut rng, &req, &origin, host.as_deref(), NOW);
        prop_assert!([200, 302, 400].contains(&reply.status), "{}", reply.status);
        if let Some(location) = reply.location {
            prop_assert!(location.starts_with("/federated-signin#"), "{location}");
        }
    }

    #[test]
    fn sigv4_never_panics(req in request()) {
        let _ = sigv4::verify(&req, NOW, |_| Some("secret".into()));
        if let Some(h) = req.header("authorization") {
            let _ = sigv4::parse_authorization(h);
        }
    }

    #[test]
    fn query_and_xml_readers_never_panic(text in texty()) {
        let params = query_params(&text);
        let _ = StsRequest::from_params(&params);
        let _ = IamRequest::from_params(&params);
        let _ = StsRequest::parse(&text);
        let _ = parse_sts_response(&text);
        let _ = DynamoRequest::parse("DynamoDB_20120810.Scan", &text);
        let _ = DynamoRequest::parse(&text, "{}");
    }

    #[test]
    fn documents_and_links_never_panic(text in texty(), json in "\\PC{0,200}") {
        let _ = Policy::parse(&text);
        let _ = Policy::parse(&json);
        let _ = World::from_json(&json);
        let _ = World::from_json(&text);
        let _ = parse_query(&text);
    }
}

/// Mutated real documents: the demo world and a policy, with bytes flipped, cut or repeated.
#[test]
fn mutated_world_files_never_panic() {
    let world = demo_world().to_json();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    use rand_chacha::rand_core::RngCore;
    let cases: usize = config().cases as usize;
    for _ in 0..cases {
        let mut bytes = world.clone().into_bytes();
        for _ in 0..1 + rng.next_u32() % 8 {
            let i = rng.next_u32() as usize % bytes.len();
            match rng.next_u32() % 3 {
                0 => bytes[i] = rng.next_u32() as u8,
                1 => bytes.truncate(i.max(1)),
                _ => {
                    let piece = bytes[i..(i + 16).min(bytes.len())].to_vec();
                    bytes.splice(i..i, piece);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = World::from_json(&text);
    }
}
