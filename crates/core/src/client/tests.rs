//! The client's pure half: requests prepared for each service, every protocol's errors read
//! into one fault, the clock-skew rule, and the access-key sign-in rules.

use super::*;
use crate::fault::ErrorCode;
use crate::wire::dynamodb;

const NOW: Timestamp = Timestamp(1_796_040_000);
const KEY: SigningCredentials<'static> = SigningCredentials {
    access_key_id: "AKIAIOSFODNN7EXAMPLE",
    secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    session_token: None,
};

fn endpoint() -> Endpoint {
    Endpoint::resolve("http://127.0.0.1:4566/aws/", "http://localhost").unwrap()
}

#[test]
fn calls_are_prepared_for_their_service_and_region() {
    let sts = prepare(
        &Call::Sts(StsRequest::GetCallerIdentity),
        &endpoint(),
        "eu-west-1",
        KEY,
        NOW,
    );
    assert_eq!((sts.method.as_str(), sts.path.as_str()), ("POST", "/aws/"));
    assert_eq!(sts.header("host"), Some("127.0.0.1:4566"));
    assert!(sts
        .header("content-type")
        .unwrap()
        .starts_with("application/x-www-form"));
    assert!(sts
        .header("authorization")
        .unwrap()
        .contains("/eu-west-1/sts/aws4_request"));

    // IAM is global: always signed for us-east-1 (AWS General Reference, "AWS Identity and
    // Access Management endpoints and quotas").
    let iam = prepare(
        &Call::Iam(IamRequest::ListAccountAliases),
        &endpoint(),
        "eu-west-1",
        KEY,
        NOW,
    );
    assert!(iam
        .header("authorization")
        .unwrap()
        .contains("/us-east-1/iam/aws4_request"));
    assert_eq!(
        String::from_utf8_lossy(&iam.body),
        "Action=ListAccountAliases&Version=2010-05-08"
    );

    let scan = prepare(
        &Call::DynamoDb(DynamoRequest::Scan {
            table: "GameScores".into(),
            projection: Default::default(),
        }),
        &endpoint(),
        "eu-west-1",
        KEY,
        NOW,
    );
    assert_eq!(scan.header("x-amz-target"), Some("DynamoDB_20120810.Scan"));
    assert!(scan
        .header("authorization")
        .unwrap()
        .contains("/eu-west-1/dynamodb/"));
    assert!(Service::ALL
        .iter()
        .all(|s| Service::from_name(s.name()) == Some(*s)));
}

#[test]
fn every_protocol_s_errors_read_as_one_fault() {
    let query = wire::error_response(ErrorCode::ExpiredToken, "expired", "r");
    let fault = read_sts(403, &query).unwrap_err();
    assert_eq!(
        fault,
        ClientError::Fault(WireFault {
            code: "ExpiredToken".into(),
            message: "expired".into(),
            status: 403
        })
    );
    assert_eq!(
        fault.fault().unwrap().known(),
        Some(ErrorCode::ExpiredToken)
    );

    let iam = iam_wire::error_response(ErrorCode::AccessDenied, "no", "r");
    let fault = read_account_alias(403, &iam).unwrap_err();
    assert_eq!(
        fault.fault().unwrap().known(),
        Some(ErrorCode::AccessDenied)
    );

    let json = dynamodb::error_body("ResourceNotFoundException", "Table: X not found");
    let fault = read_scan(400, &json).unwrap_err();
    assert_eq!(
        fault.fault().unwrap().known(),
        Some(ErrorCode::ResourceNotFound)
    );
    assert_eq!(fault.fault().unwrap().message, "Table: X not found");

    // A code this project does not know is still a fault, with its spelling kept.
    let throttled = dynamodb::error_body("ThrottlingException", "slow down");
    let fault = read_list_tables(400, &throttled).unwrap_err();
    assert_eq!(fault.fault().unwrap().code, "ThrottlingException");
    assert_eq!(fault.fault().unwrap().known(), None);
}

#[test]
fn answers_that_cannot_be_read_are_unreadable_not_faults() {
    for (status, body) in [
        (500, "Internal Server Error"),
        (200, "<GetCallerIdentityResponse><Arn>"),
        (403, "<Other/>"),
        (502, ""),
    ] {
        let e = read_sts(status, body).unwrap_err();
        assert!(
            matches!(&e, ClientError::Unreadable { status: s, .. } if *s == status),
            "{status} {body:?}: {e:?}"
        );
    }
    assert!(matches!(
        read_credentials(200, &identity_answer()),
        Err(ClientError::Unreadable { .. })
    ));
    assert!(matches!(
        read_list_tables(200, "{}"),
        Err(ClientError::Unreadable { .. })
    ));
}

#[test]
fn iam_answers_read_as_their_text_or_their_fault() {
    let template = r#"<GetRoleAsCodeResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleAsCodeResult><Format>Terraform</Format><Template>name = "a&amp;b"</Template></GetRoleAsCodeResult></GetRoleAsCodeResponse>"#;
    assert_eq!(
        read_role_as_code(200, template).unwrap(),
        "name = \"a&b\"\n"
    );
    assert_eq!(read_iam_body(200, template).unwrap(), template);
    assert_eq!(
        read_done(Service::Iam, 200, "<PutRolePolicyResponse/>"),
        Ok(())
    );
    // The same readers give a refusal as its fault, never as text or success.
    let refused = iam_wire::error_response(ErrorCode::AccessDenied, "no", "r");
    for fault in [
        read_role_as_code(403, &refused).unwrap_err(),
        read_iam_body(403, &refused).unwrap_err(),
        read_done(Service::Iam, 403, &refused).unwrap_err(),
    ] {
        assert_eq!(
            fault.fault().unwrap().known(),
            Some(ErrorCode::AccessDenied)
        );
    }
    let json = dynamodb::error_body("ResourceNotFoundException", "Table: X not found");
    assert_eq!(
        read_done(Service::DynamoDb, 400, &json)
            .unwrap_err()
            .fault()
            .unwrap()
            .known(),
        Some(ErrorCode::ResourceNotFound)
    );
}

fn identity_answer() -> String {
    wire::get_caller_identity_response(
        &CallerIdentity {
            account: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/David".into(),
            user_id: "AIDAEXAMPLE".into(),
        },
        "r",
    )
}

#[test]
fn a_refused_signature_with_a_distant_date_corrects_the_clock() {
    let refused = ClientError::Fault(WireFault {
        code: "SignatureDoesNotMatch".into(),
        message: "anything".into(),
        status: 403,
    });
    let hour_ahead = "Sun, 29 Nov 2026 12:40:00 GMT";
    let server = Timestamp::parse_http_date(hour_ahead).unwrap();
    let local = server.plus(-3600);
    assert_eq!(
        clock_correction(&refused, Some(hour_ahead), local),
        Some(3600)
    );
    // Within the tolerance, or without a date, or another fault: no correction.
    assert_eq!(
        clock_correction(&refused, Some(hour_ahead), server.plus(-60)),
        None
    );
    // "More than" 4 minutes, either way: 240 s is within, 241 s is not.
    assert_eq!(
        clock_correction(&refused, Some(hour_ahead), server.plus(-240)),
        None
    );
    assert_eq!(
        clock_correction(&refused, Some(hour_ahead), server.plus(-241)),
        Some(241)
    );
    assert_eq!(
        clock_correction(&refused, Some(hour_ahead), server.plus(241)),
        Some(-241)
    );
    assert_eq!(clock_correction(&refused, None, local), None);
    assert_eq!(clock_correction(&refused, Some("yesterday"), local), None);
    let denied = ClientError::Fault(WireFault {
        code: "AccessDenied".into(),
        message: "Signature expired".into(),
        status: 403,
    });
    assert_eq!(clock_correction(&denied, Some(hour_ahead), local), None);
    // DynamoDB's spelling of the same refusal.
    let json = ClientError::Fault(WireFault {
        code: "InvalidSignatureException".into(),
        message: String::new(),
        status: 400,
    });
    assert_eq!(clock_correction(&json, Some(hour_ahead), local), Some(3600));
}

#[test]
fn only_an_iam_user_s_key_signs_in() {
    let who = read_identity(200, &identity_answer()).unwrap();
    let david = iam_user_of(&who).unwrap();
    assert_eq!(david.name, "David");
    assert_eq!(david.account.as_str(), "111111111111");
    assert_eq!(
        david.arn.to_string(),
        "arn:aws:iam::111111111111:user/David"
    );
    let role = CallerIdentity {
        arn: "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David".into(),
        ..who.clone()
    };
    let refusal = iam_user_of(&role).unwrap_err();
    assert!(refusal
        .to_string()
        .contains("assumed-role/AccessToProdDynamoDB"));
    let root = CallerIdentity {
        arn: "arn:aws:iam::111111111111:root".into(),
        ..who
    };
    assert!(iam_user_of(&root).is_err());
}

#[test]
fn the_mfa_device_defaults_to_the_user_s_own() {
    let account = AccountId::parse("111111111111").unwrap();
    assert_eq!(
        mfa_serial("", &account, "David"),
        "arn:aws:iam::111111111111:mfa/David"
    );
    assert_eq!(
        mfa_serial(" arn:aws:iam::111111111111:mfa/Key ", &account, "David"),
        "arn:aws:iam::111111111111:mfa/Key"
    );
}

#[test]
fn a_switch_goes_to_an_id_or_a_known_alias() {
    let corp = AccountId::parse("111111111111").unwrap();
    let prod = AccountId::parse("222222222222").unwrap();
    let aliases = BTreeMap::from([("example-prod".to_owned(), prod.clone())]);
    let to = |typed: &str| {
        resolve_account(
            &aliases,
            &AccountRef::parse(typed).unwrap(),
            "example-corp",
            &corp,
        )
    };
    assert_eq!(to("222222222222"), Some(prod.clone()));
    assert_eq!(to("example-prod"), Some(prod));
    assert_eq!(to("example-corp"), Some(corp.clone()));
    assert_eq!(to("example-other"), None);
}

#[test]
fn the_account_is_named_by_configuration_then_by_iam_then_by_id() {
    let corp = AccountId::parse("111111111111").unwrap();
    let prod = AccountId::parse("222222222222").unwrap();
    let aliases = BTreeMap::from([("example-corp".to_owned(), corp.clone())]);
    assert_eq!(
        account_label(&aliases, &corp, Some("listed".into())),
        "example-corp"
    );
    assert_eq!(
        account_label(&aliases, &prod, Some("example-prod".into())),
        "example-prod"
    );
    assert_eq!(account_label(&aliases, &prod, None), "222222222222");
}
