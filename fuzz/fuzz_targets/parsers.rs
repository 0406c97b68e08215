//! Every reader of client or file input: SigV4 headers, STS/IAM Query parameters and XML,
//! DynamoDB JSON, policies, worlds, switch links. None may panic.
#![no_main]

use crossrole_core::clock::Timestamp;
use crossrole_core::link::parse_query;
use crossrole_core::policy::Policy;
use crossrole_core::sigv4::{parse_authorization, verify, HttpRequest};
use crossrole_core::wire::dynamodb::DynamoRequest;
use crossrole_core::wire::iam::IamRequest;
use crossrole_core::wire::{parse_sts_response, query_params, StsRequest};
use crossrole_core::world::World;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let params = query_params(&text);
    let _ = StsRequest::from_params(&params);
    let _ = IamRequest::from_params(&params);
    let _ = parse_sts_response(&text);
    let _ = DynamoRequest::parse("DynamoDB_20120810.GetItem", &text);
    let _ = Policy::parse(&text);
    let _ = World::from_json(&text);
    let _ = parse_query(&text);
    let _ = parse_authorization(&text);
    let (date, auth) = text.split_once('\n').unwrap_or((&text, ""));
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers: vec![
            ("Host".into(), "h".into()),
            ("X-Amz-Date".into(), date.into()),
            ("Authorization".into(), auth.into()),
        ],
        body: Vec::new(),
    };
    let _ = verify(&req, Timestamp(1_796_040_000), |_| Some("secret".into()));
});
