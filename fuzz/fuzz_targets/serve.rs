//! The whole endpoint: a request built from the input (header lines, a blank line, the body;
//! a first line `SIGN` signs it properly with a demo key, so that the mutated parts reach the
//! operations) must never panic `service::serve`.
#![no_main]

use crossrole_core::clock::Timestamp;
use crossrole_core::endpoint::{serve, ServeOptions};
use crossrole_core::sigv4::{sign, HttpRequest};
use crossrole_core::world::demo_world;
use libfuzzer_sys::fuzz_target;
use rand_chacha::rand_core::SeedableRng;

const NOW: Timestamp = Timestamp(1_796_040_000);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines().peekable();
    let signed = lines.peek() == Some(&"SIGN");
    if signed {
        lines.next();
    }
    let query = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query,
        headers,
        body: body.as_bytes().to_vec(),
    };
    if signed {
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
    let mut world = demo_world();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let served = serve(&mut world, &req, NOW, &mut rng, &ServeOptions::default());
    assert!(served.status < 500);
});
