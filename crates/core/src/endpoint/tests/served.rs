//! What the endpoint writes around an answer: the caller's user agent, each protocol's status
//! for a fault, encoded authorization messages, and which requests may change the world.

use super::*;

/// The user agent the audit trail records: as sent, cut to [`USER_AGENT_MAX`] characters
/// (characters, not bytes: a cut never splits one).
#[test]
fn the_user_agent_is_kept_and_bounded() {
    let mut req = crate::wire::post_request("127.0.0.1:4566", "/", None, "");
    assert_eq!(user_agent(&req), None);
    req.headers
        .push(("User-Agent".into(), "Boto3/1.40 md/Botocore#1.40".into()));
    assert_eq!(
        user_agent(&req).as_deref(),
        Some("Boto3/1.40 md/Botocore#1.40")
    );
    req.headers.retain(|(n, _)| n != "User-Agent");
    req.headers
        .push(("user-agent".into(), "é".repeat(USER_AGENT_MAX + 1)));
    assert_eq!(user_agent(&req), Some("é".repeat(USER_AGENT_MAX)));
    assert_eq!(Incoming::read(&req).origin.user_agent, user_agent(&req));
}

fn served(service: &'static str) -> Served {
    Served {
        status: 200,
        content_type: "text/xml",
        body: String::new(),
        request_id: "r".into(),
        service,
        action: "Scan".into(),
        access_key_id: None,
        error: None,
        changed: true,
        used_role: false,
    }
}

/// DynamoDB Developer Guide, "Error handling with DynamoDB": client errors are 400 and the
/// service's own are 5xx; CloudTrail's JSON protocol the same. The Query protocols keep each
/// code's own status.
#[test]
fn a_server_fault_keeps_its_status_in_every_protocol() {
    let json = ErrorCode::ServiceFailure.json_code();
    let query = ErrorCode::ServiceFailure.query_code();
    for (service, code) in [
        ("dynamodb", json),
        ("cloudtrail", json),
        ("iam", query),
        ("sts", query),
    ] {
        let failed = served(service).failed_to_save();
        assert_eq!(
            (failed.status, failed.error.as_deref(), failed.changed),
            (500, Some(code), false),
            "{service}"
        );
    }
    let mut denied = served("dynamodb");
    denied.fail(
        Service::DynamoDb,
        &Failure::new(ErrorCode::AccessDenied, "no"),
    );
    assert_eq!(denied.status, 400);
}

/// With authorization messages on, a refusal by the caller's own policies carries `Encoded
/// authorization failure message: <token>`, and STS DecodeAuthorizationMessage (STS API
/// Reference) decodes the token for an administrator of the same account.
#[test]
fn a_refusal_carries_a_message_that_decodes() {
    let mut w = demo_world();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let maria = w
        .console_sign_in(
            &mut rng,
            "example-corp",
            "Maria",
            "maria-Pa55word!",
            None,
            NOW,
        )
        .unwrap()
        .credentials;
    let list = Client::session(&maria).prepare(Call::DynamoDb(DynamoRequest::ListTables), NOW);
    let marker = "Encoded authorization failure message: ";
    let plain = call(&mut w, &list, NOW);
    assert_eq!(plain.error.as_deref(), Some("AccessDeniedException"));
    assert!(!plain.body.contains(marker), "{}", plain.body);

    let options = ServeOptions {
        authorization_messages: true,
        ..ServeOptions::default()
    };
    let refused = serve(&mut w, &list, NOW, &mut rng, &options);
    let (_, message) = dynamodb::parse_error(&refused.body).unwrap();
    let token = message
        .split(marker)
        .nth(1)
        .expect(marker)
        .trim()
        .to_owned();
    let decode = StsRequest::DecodeAuthorizationMessage {
        encoded_message: token,
    };
    let decoded = serve(
        &mut w,
        &Client::long_term(CORP_ADMIN).sts(decode, NOW),
        NOW,
        &mut rng,
        &options,
    );
    assert_eq!(decoded.status, 200, "{}", decoded.body);
    assert!(
        decoded.body.contains("dynamodb:ListTables"),
        "{}",
        decoded.body
    );
}

/// Only an IAM write may change the world (the emulator saves its state after one).
#[test]
fn only_iam_writes_change_the_world() {
    let admin = Client::long_term(PROD_ADMIN);
    let delete = IamRequest::DeleteRole {
        role: "PlayersReader".into(),
    };
    let reads = [
        Call::Iam(IamRequest::ListRoles),
        Call::Sts(StsRequest::GetCallerIdentity),
        Call::DynamoDb(DynamoRequest::ListTables),
    ];
    assert!(Incoming::read(&admin.prepare(Call::Iam(delete), NOW)).changes_world());
    for read in reads {
        assert!(!Incoming::read(&admin.prepare(read, NOW)).changes_world());
    }
}

/// CloudTrail User Guide, "CloudTrail record contents": an IAM write is recorded with
/// `readOnly` false and its parameters named as CloudTrail names them (`roleName`); a refused
/// read with `readOnly` true.
#[test]
fn iam_calls_are_recorded_with_cloudtrail_s_names() {
    let mut w = demo_world();
    let create = create_players_reader();
    let admin = Client::long_term(PROD_ADMIN);
    assert_eq!(
        call(&mut w, &admin.prepare(Call::Iam(create), NOW), NOW).status,
        200
    );
    let david = Client::long_term(DAVID);
    let list = call(
        &mut w,
        &david.prepare(Call::Iam(IamRequest::ListRoles), NOW),
        NOW,
    );
    assert_eq!(list.error.as_deref(), Some("AccessDenied"));
    let events: Vec<_> = w.live.trail.events().collect();
    let [.., write, read] = events.as_slice() else {
        panic!("two records: {events:?}")
    };
    assert_eq!((&*write.event_name, write.read_only), ("CreateRole", false));
    let parameters = write.request_parameters.value();
    assert_eq!(parameters["roleName"], "PlayersReader");
    assert!(parameters.get("RoleName").is_none(), "{parameters}");
    assert_eq!((&*read.event_name, read.read_only), ("ListRoles", true));
    assert_eq!(read.error_code.as_deref(), Some("AccessDenied"));
}
