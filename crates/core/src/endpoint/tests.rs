//! The endpoint driven as a client would: signed HTTP requests in, wire answers out, read back
//! with the client-side parsers.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::client::{prepare, read_credentials, read_identity, session_signer, Call};
use crate::ops::{AssumeRole, GetSessionToken};
use crate::sigv4::{sign, SigningCredentials};
use crate::wire::Endpoint;
use crate::world::{demo_world, Credentials};

const NOW: Timestamp = Timestamp(1_796_040_000);
use crate::demo::{CORP_ADMIN, DAVID, DAVID_MFA_SEED, DAVID_MFA_SERIAL, PROD_ADMIN, PROD_ROLE};

mod served;

/// A test client: core's own client functions ([`crate::client`]), as the console uses them,
/// plus a raw path for requests no well-behaved client would send.
struct Client<'a> {
    key: &'a str,
    secret: &'a str,
    token: Option<&'a str>,
}

impl<'a> Client<'a> {
    fn long_term(key: SigningCredentials<'a>) -> Self {
        Self {
            key: key.access_key_id,
            secret: key.secret_access_key,
            token: None,
        }
    }

    fn session(c: &'a Credentials) -> Self {
        let s = session_signer(c);
        Self {
            key: s.access_key_id,
            secret: s.secret_access_key,
            token: s.session_token,
        }
    }

    fn signer(&self) -> SigningCredentials<'a> {
        SigningCredentials {
            access_key_id: self.key,
            secret_access_key: self.secret,
            session_token: self.token,
        }
    }

    /// `call`, prepared as the console prepares it.
    fn prepare(&self, call: Call, at: Timestamp) -> HttpRequest {
        let endpoint = Endpoint::resolve("http://127.0.0.1:4566", "http://127.0.0.1").unwrap();
        prepare(&call, &endpoint, "us-west-2", self.signer(), at)
    }

    fn sts(&self, r: StsRequest, at: Timestamp) -> HttpRequest {
        self.prepare(Call::Sts(r), at)
    }

    fn request(
        &self,
        service: &str,
        target: Option<&str>,
        body: &str,
        at: Timestamp,
    ) -> HttpRequest {
        self.request_in("us-west-2", service, target, body, at)
    }

    /// A raw request: any body, signed for any service and region (for the requests a
    /// client built with [`prepare`] never sends).
    fn request_in(
        &self,
        region: &str,
        service: &str,
        target: Option<&str>,
        body: &str,
        at: Timestamp,
    ) -> HttpRequest {
        let mut req = crate::wire::post_request("127.0.0.1:4566", "/", target, body);
        sign(&mut req, self.signer(), region, service, at);
        req
    }
}

fn call(w: &mut World, req: &HttpRequest, at: Timestamp) -> Served {
    let mut rng = ChaCha8Rng::seed_from_u64(at.seconds() as u64 ^ req.body.len() as u64);
    serve(w, req, at, &mut rng, &ServeOptions::default())
}

fn credentials(s: &Served) -> Credentials {
    read_credentials(s.status, &s.body).unwrap().0
}

fn david_with_mfa(w: &mut World) -> Credentials {
    let code = crate::totp::Totp::from_base32(DAVID_MFA_SEED)
        .unwrap()
        .code_at(NOW);
    let form = StsRequest::GetSessionToken(GetSessionToken {
        duration: None,
        serial_number: Some(DAVID_MFA_SERIAL.into()),
        token_code: Some(code),
    });
    let req = Client::long_term(DAVID).sts(form.clone(), NOW);
    credentials(&call(w, &req, NOW))
}

fn assume_prod(w: &mut World, base: &Credentials) -> Served {
    let form = StsRequest::AssumeRole(AssumeRole {
        role_arn: PROD_ROLE.into(),
        role_session_name: "David".into(),
        duration: None,
        ..Default::default()
    });
    let req = Client::session(base).sts(form.clone(), NOW);
    call(w, &req, NOW)
}

#[test]
fn david_signs_in_with_mfa_switches_and_reads_game_scores() {
    let mut w = demo_world();
    let base = david_with_mfa(&mut w);
    let assumed = assume_prod(&mut w, &base);
    assert_eq!(
        (assumed.service, assumed.action.as_str()),
        ("sts", "AssumeRole")
    );
    assert_eq!(
        assumed.access_key_id.as_deref(),
        Some(base.access_key_id.as_str())
    );
    let role = credentials(&assumed);

    let who = Client::session(&role).sts(StsRequest::GetCallerIdentity, NOW);
    let answer = call(&mut w, &who, NOW);
    let who = read_identity(answer.status, &answer.body).unwrap();
    assert_eq!(
        who.arn,
        "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"
    );

    let scan = |w: &mut World, table: &str| {
        let r = DynamoRequest::Scan {
            table: table.into(),
            projection: Default::default(),
        };
        let req = Client::session(&role).prepare(Call::DynamoDb(r), NOW);
        call(w, &req, NOW)
    };
    let scores = scan(&mut w, "GameScores");
    assert_eq!(scores.content_type, dynamodb::CONTENT_TYPE);
    assert!(!dynamodb::parse_scan(&scores.body).unwrap().is_empty());
    let players = scan(&mut w, "Players");
    assert_eq!(players.status, 400);
    assert_eq!(players.error.as_deref(), Some("AccessDeniedException"));
    let (code, message) = dynamodb::parse_error(&players.body).unwrap();
    assert_eq!(code, "AccessDeniedException");
    assert!(message.contains("dynamodb:Scan"), "{message}");
}

#[test]
fn signature_problems_are_named_as_aws_names_them() {
    let mut w = demo_world();
    let form = StsRequest::GetCallerIdentity;
    let wrong = Client {
        key: DAVID.access_key_id,
        secret: "not-the-secret",
        token: None,
    }
    .sts(form.clone(), NOW);
    let s = call(&mut w, &wrong, NOW);
    assert_eq!(
        (s.status, s.error.as_deref()),
        (403, Some("SignatureDoesNotMatch"))
    );

    let unknown = Client {
        key: "AKIAUNKNOWNKEY000000",
        secret: "x",
        token: None,
    }
    .sts(form.clone(), NOW);
    assert_eq!(
        call(&mut w, &unknown, NOW).error.as_deref(),
        Some("InvalidClientTokenId")
    );

    let early = Client::long_term(DAVID).sts(form.clone(), NOW.plus(-16 * 60));
    let s = call(&mut w, &early, NOW);
    assert_eq!(s.error.as_deref(), Some("SignatureDoesNotMatch"));
    assert!(s.body.contains("Signature expired"), "{}", s.body);
    let in_time = Client::long_term(DAVID).sts(form.clone(), NOW.plus(-14 * 60));
    assert_eq!(call(&mut w, &in_time, NOW).status, 200);

    let mut unsigned = in_time.clone();
    unsigned.headers.retain(|(n, _)| n != "Authorization");
    assert_eq!(
        call(&mut w, &unsigned, NOW).error.as_deref(),
        Some("MissingAuthenticationToken")
    );

    let mut tampered = in_time;
    tampered.body = b"Action=GetCallerIdentity&Version=2011-06-15&X=1".to_vec();
    assert_eq!(
        call(&mut w, &tampered, NOW).error.as_deref(),
        Some("SignatureDoesNotMatch")
    );

    // A session's token must come with its key: another token is refused.
    let base = david_with_mfa(&mut w);
    let mut swapped = Client::session(&base);
    swapped.token = Some("FwoGZXIvYXdzEnotthetoken");
    let s = call(&mut w, &swapped.sts(form.clone(), NOW), NOW);
    assert_eq!(s.error.as_deref(), Some("InvalidClientTokenId"));
}

#[test]
fn an_expired_session_answers_expired_token_until_forgotten() {
    let mut w = demo_world();
    let base = david_with_mfa(&mut w);
    let role = credentials(&assume_prod(&mut w, &base));
    let later = role.expiration.plus(60);
    let r = DynamoRequest::ListTables;
    let req = Client::session(&role).prepare(Call::DynamoDb(r), later);
    let s = call(&mut w, &req, later);
    assert_eq!(s.error.as_deref(), Some("ExpiredTokenException"));

    let form = StsRequest::GetCallerIdentity;
    let req = Client::session(&role).sts(form.clone(), later);
    let s = call(&mut w, &req, later);
    assert_eq!((s.status, s.error.as_deref()), (403, Some("ExpiredToken")));

    // Recognised for the documented hour after expiry (written out, not the constant)…
    let last = role.expiration.plus(3599);
    let req = Client::session(&role).sts(form.clone(), last);
    assert_eq!(
        call(&mut w, &req, last).error.as_deref(),
        Some("ExpiredToken")
    );
    // …then forgotten.
    let much_later = role.expiration.plus(3600);
    let req = Client::session(&role).sts(form.clone(), much_later);
    assert_eq!(
        call(&mut w, &req, much_later).error.as_deref(),
        Some("InvalidClientTokenId")
    );
}

#[test]
fn explain_says_which_policy_decided() {
    let mut w = demo_world();
    let form = StsRequest::AssumeRole(AssumeRole {
        role_arn: PROD_ROLE.into(),
        role_session_name: "David".into(),
        duration: None,
        ..Default::default()
    });
    let req = Client::long_term(DAVID).sts(form.clone(), NOW);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let plain = serve(&mut w, &req, NOW, &mut rng, &ServeOptions::default());
    let explained = serve(
        &mut w,
        &req,
        NOW,
        &mut rng,
        &ServeOptions {
            explain: true,
            ..Default::default()
        },
    );
    assert_eq!(plain.error.as_deref(), Some("AccessDenied"));
    assert!(!plain.body.contains("trust policy"), "{}", plain.body);
    assert!(
        explained.body.contains("requires MFA"),
        "{}",
        explained.body
    );
    assert_ne!(plain.request_id, explained.request_id);
}

/// CreateRole of `PlayersReader` in 222222222222, trusting account 111111111111.
fn create_players_reader() -> IamRequest {
    let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#;
    IamRequest::CreateRole(crate::ops::iam::NewRole {
        name: "PlayersReader".into(),
        path: None,
        trust_policy: trust.into(),
        description: None,
        max_session_duration: None,
    })
}

#[test]
fn iam_writes_are_reported_as_changes() {
    let mut w = demo_world();
    let admin = Client::long_term(PROD_ADMIN);
    let create = create_players_reader();
    let form = create.to_form();
    let s = call(&mut w, &admin.prepare(Call::Iam(create.clone()), NOW), NOW);
    assert_eq!(
        (s.status, s.service, s.changed),
        (200, "iam", true),
        "{}",
        s.body
    );
    assert!(s
        .body
        .contains("<Arn>arn:aws:iam::222222222222:role/PlayersReader</Arn>"));
    assert!(
        s.body.contains("%22Principal%22"),
        "documents are URL-encoded: {}",
        s.body
    );

    let again = call(&mut w, &admin.prepare(Call::Iam(create.clone()), NOW), NOW);
    assert_eq!(
        (again.status, again.error.as_deref(), again.changed),
        (409, Some("EntityAlreadyExists"), false)
    );

    let read = call(
        &mut w,
        &admin.prepare(Call::Iam(IamRequest::ListRoles), NOW),
        NOW,
    );
    assert!(!read.changed);
    assert!(read.body.contains("PlayersReader") && read.body.contains("<IsTruncated>false"));

    // An IAM action signed for STS is not served as IAM.
    let s = call(&mut w, &admin.request("sts", None, &form, NOW), NOW);
    assert_eq!(s.error.as_deref(), Some("InvalidAction"));
    let s = call(
        &mut w,
        &admin.request("s3", None, "Action=ListBuckets", NOW),
        NOW,
    );
    assert_eq!(s.error.as_deref(), Some("InvalidAction"));
    let david = Client::long_term(DAVID);
    let s = call(&mut w, &david.prepare(Call::Iam(create), NOW), NOW);
    assert_eq!(s.error.as_deref(), Some("AccessDenied"));
}

/// At the endpoint: a date that is not ASCII is a 400, not a crash.
#[test]
fn a_non_ascii_date_is_a_client_error() {
    let mut w = demo_world();
    let mut req = Client::long_term(DAVID).request(
        "sts",
        None,
        "Action=GetCallerIdentity&Version=2011-06-15",
        NOW,
    );
    for (n, v) in req.headers.iter_mut() {
        if n.eq_ignore_ascii_case("x-amz-date") {
            *v = "201é0830T123600".into();
        }
    }
    let served = call(&mut w, &req, NOW);
    assert_eq!(served.status, 400, "{}", served.body);
    assert_eq!(served.error.as_deref(), Some("IncompleteSignature"));
}

/// At the endpoint: an unsigned X-Amz-Target cannot turn a signed request
/// into another DynamoDB operation.
#[test]
fn an_unsigned_target_is_refused() {
    let mut w = demo_world();
    // Signed without a target, which is added afterwards (as on a replay).
    let mut req = Client::long_term(DAVID).request("dynamodb", None, "{}", NOW);
    req.headers
        .push(("X-Amz-Target".into(), "DynamoDB_20120810.Scan".into()));
    let served = call(&mut w, &req, NOW);
    assert_eq!(served.status, 400, "{}", served.body);
    assert_eq!(
        served.error.as_deref(),
        Some("IncompleteSignatureException")
    );
}

/// The credential scope's region must be one this endpoint serves. STS
/// and DynamoDB: the world's region. IAM: `us-east-1` (AWS General Reference, "AWS Identity
/// and Access Management endpoints and quotas": the global endpoint's signing region), and
/// by default also the world's region, which SDKs sign with when given an endpoint URL.
#[test]
fn the_scope_region_is_checked() {
    let identity = "Action=GetCallerIdentity&Version=2011-06-15";
    let aliases = "Action=ListAccountAliases&Version=2010-05-08";
    let strict = ServeOptions {
        strict_iam_region: true,
        ..Default::default()
    };
    let david = Client::long_term(PROD_ADMIN);
    let cases = [
        ("sts", "us-west-2", identity, ServeOptions::default(), 200),
        ("sts", "eu-west-1", identity, ServeOptions::default(), 403),
        ("sts", "us-east-1", identity, ServeOptions::default(), 403),
        ("iam", "us-east-1", aliases, ServeOptions::default(), 200),
        ("iam", "us-west-2", aliases, ServeOptions::default(), 200),
        ("iam", "eu-west-1", aliases, ServeOptions::default(), 403),
        ("iam", "us-east-1", aliases, strict.clone(), 200),
        ("iam", "us-west-2", aliases, strict.clone(), 403),
    ];
    for (service, region, body, options, status) in cases {
        let mut w = demo_world();
        let req = david.request_in(region, service, None, body, NOW);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let served = serve(&mut w, &req, NOW, &mut rng, &options);
        assert_eq!(served.status, status, "{service} {region}: {}", served.body);
        if status == 403 {
            assert_eq!(served.error.as_deref(), Some("SignatureDoesNotMatch"));
            assert!(served
                .body
                .contains("Credential should be scoped to a valid region"));
        }
    }
    let dynamo = david.request_in(
        "eu-west-1",
        "dynamodb",
        Some("DynamoDB_20120810.ListTables"),
        "{}",
        NOW,
    );
    let served = call(&mut demo_world(), &dynamo, NOW);
    assert_eq!(served.error.as_deref(), Some("InvalidSignatureException"));
}

/// Names and sizes are checked before any work, with AWS's errors.
/// DynamoDB Developer Guide, "Supported data types and naming rules in Amazon DynamoDB"
/// (table names 3–255 of a-z A-Z 0-9 _ - .); IAM API Reference, CreateRole/PutRolePolicy
/// (RoleName 1–64, PolicyName 1–128, documents ≤ 131,072); IAM and AWS STS quotas (trust
/// policy 2,048, a role's inline policies 10,240, a group's 5,120, white space not counted).
#[test]
fn names_and_policy_sizes_are_limited() {
    let mut w = demo_world();
    let david = Client::long_term(DAVID);
    let huge = "A".repeat(300_000);
    for table in [huge.as_str(), "ab", "Game Scores", "Gäme"] {
        let body = format!("{{\"TableName\":\"{table}\"}}");
        let req = david.request("dynamodb", Some("DynamoDB_20120810.Scan"), &body, NOW);
        let served = call(&mut w, &req, NOW);
        assert_eq!(
            served.error.as_deref(),
            Some("ValidationException"),
            "{table:.20}"
        );
        assert!(
            served.body.len() < 1000,
            "the answer does not echo the whole name"
        );
    }
    let admin = Client::long_term(PROD_ADMIN);
    let iam = |w: &mut World, form: String| {
        let req = admin.request("iam", None, &form, NOW);
        call(w, &req, NOW)
    };
    let enc = |s: &str| crate::sigv4::uri_encode(s, false);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}"#;
    let long_name = "R".repeat(65);
    let served = iam(
        &mut w,
        format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={long_name}&AssumeRolePolicyDocument={}",
            enc(trust)
        ),
    );
    assert_eq!(
        served.error.as_deref(),
        Some("ValidationError"),
        "{}",
        served.body
    );
    // A trust policy over 2,048 characters (white space aside) is over the quota…
    let padded_trust = trust.replace(
        r#""Action""#,
        &format!(r#""Sid":"{}","Action""#, "x".repeat(2048)),
    );
    let served = iam(
        &mut w,
        format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=Big&AssumeRolePolicyDocument={}",
            enc(&padded_trust)
        ),
    );
    assert_eq!(
        served.error.as_deref(),
        Some("LimitExceeded"),
        "{}",
        served.body
    );
    assert_eq!(served.status, 409);
    // …while white space does not count.
    let spaced = trust.replace(',', &format!(",{}", " ".repeat(1000)));
    let served = iam(
        &mut w,
        format!(
            "Action=CreateRole&Version=2010-05-08&RoleName=Spaced&AssumeRolePolicyDocument={}",
            enc(&spaced)
        ),
    );
    assert_eq!(served.status, 200, "{}", served.body);
    // Inline policies of a role: 10,240 in total.
    let policy = |sid_len: usize| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{}","Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}]}}"#,
            "s".repeat(sid_len)
        )
    };
    let put = |w: &mut World, name: &str, doc: &str| {
        iam(
            w,
            format!("Action=PutRolePolicy&Version=2010-05-08&RoleName=Spaced&PolicyName={name}&PolicyDocument={}", enc(doc)),
        )
    };
    assert_eq!(put(&mut w, "A", &policy(6000)).status, 200);
    let second = put(&mut w, "B", &policy(5000));
    assert_eq!(
        second.error.as_deref(),
        Some("LimitExceeded"),
        "{}",
        second.body
    );
    // Replacing a policy counts the new one instead of the old.
    assert_eq!(put(&mut w, "A", &policy(9000)).status, 200);
    // A group's inline policies: 5,120 in total (CorpAdmin on the Developers group, whose
    // three policies already take part of it).
    let corp = Client::long_term(CORP_ADMIN);
    let put_group = |w: &mut World, name: &str, doc: &str| {
        let form = format!(
            "Action=PutGroupPolicy&Version=2010-05-08&GroupName=Developers&PolicyName={name}&PolicyDocument={}",
            enc(doc)
        );
        call(w, &corp.request("iam", None, &form, NOW), NOW)
    };
    assert_eq!(put_group(&mut w, "Small", &policy(100)).status, 200);
    let over = put_group(&mut w, "Big", &policy(5000));
    assert_eq!(
        over.error.as_deref(),
        Some("LimitExceeded"),
        "{}",
        over.body
    );
    let big_doc = "x".repeat(131_073);
    let served = put(&mut w, "C", &big_doc);
    assert_eq!(
        served.error.as_deref(),
        Some("ValidationError"),
        "{}",
        served.body
    );
}

/// What the console's IAM pages read, through the endpoint and back with core's client
/// readers (the same XML the emulator answers): roles with their trust policies and
/// boundaries, groups and their members and policies, and a group policy put and removed.
#[test]
fn the_admin_pages_read_iam_through_the_client() {
    use crate::client::{
        read_done, read_group_members, read_groups, read_policy_names, read_role, read_roles,
    };
    let mut w = demo_world();
    let prod = Client::long_term(PROD_ADMIN);
    let corp = Client::long_term(CORP_ADMIN);
    let mut ask = |client: &Client, request: IamRequest| {
        let s = call(&mut w, &client.prepare(Call::Iam(request), NOW), NOW);
        (s.status, s.body)
    };
    let (status, body) = ask(&prod, IamRequest::ListRoles);
    let roles = read_roles(status, &body).unwrap();
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["AccessToProdDynamoDB", "ProdOperator"]);
    let switch = &roles[0];
    assert_eq!(switch.arn, PROD_ROLE);
    assert!(switch.role_id.starts_with("AROA"));
    let summary = crate::admin::summarise_trust(
        &crate::policy::Policy::from_value(&switch.trust_policy).unwrap(),
    );
    assert!(summary.requires_mfa && summary.accounts == ["111111111111"]);

    let (status, body) = ask(
        &prod,
        IamRequest::GetRole {
            role: "ProdOperator".into(),
        },
    );
    let operator = read_role(status, &body).unwrap();
    assert_eq!(operator.path, "/ops/");
    assert_eq!(
        operator.permissions_boundary.as_deref(),
        Some("arn:aws:iam::222222222222:policy/ProdOperatorBoundary")
    );

    let (status, body) = ask(&corp, IamRequest::ListGroups);
    assert_eq!(read_groups(status, &body).unwrap()[0].name, "Developers");
    let (status, body) = ask(
        &corp,
        IamRequest::GetGroup {
            group: "Developers".into(),
        },
    );
    assert_eq!(read_group_members(status, &body).unwrap(), ["David"]);
    let (status, body) = ask(
        &corp,
        crate::admin::grant_request("Developers", PROD_ROLE).unwrap(),
    );
    read_done(crate::service_name::Service::Iam, status, &body).unwrap();
    let developers = crate::admin::PolicyOwner::Group("Developers".into());
    let granted = "SwitchToAccessToProdDynamoDBIn222222222222";
    let (status, body) = ask(&corp, developers.list_request());
    assert!(read_policy_names(status, &body)
        .unwrap()
        .contains(&granted.to_owned()));
    let (status, body) = ask(&corp, developers.get_request(granted));
    let (name, document) = crate::client::read_policy_document(status, &body).unwrap();
    assert_eq!(name, granted);
    assert_eq!(document["Statement"][0]["Resource"], PROD_ROLE);
    let (status, body) = ask(&corp, developers.delete_request(granted));
    read_done(crate::service_name::Service::Iam, status, &body).unwrap();
    let (status, body) = ask(&corp, developers.list_request());
    assert!(!read_policy_names(status, &body)
        .unwrap()
        .contains(&granted.to_owned()));
    // The access map, and a what-if, through IAM's Query form and XML.
    let (status, body) = ask(&corp, IamRequest::SimulateSwitchAccess { what_if: None });
    let map = crate::client::read_switch_access(status, &body).unwrap();
    use crate::ops::access::{Access, WhatIf};
    assert_eq!(map.cell("David", PROD_ROLE), Some(&Access::AllowedWithMfa));
    assert_eq!(
        map.rows.iter().find(|r| r.user == "David").unwrap().groups,
        ["Developers"]
    );
    assert!(map
        .cell("Maria", PROD_ROLE)
        .unwrap()
        .reason()
        .starts_with("No identity policy allows"));
    // The group's row, with its members, read back from the XML.
    assert_eq!(
        map.group_cell("Developers", PROD_ROLE),
        Some(&Access::AllowedWithMfa)
    );
    assert_eq!(map.groups[0].members, ["David"]);
    // Each role's trust policy as it stands, read back from the XML: a what-if draft starts
    // from it, and tried unedited it turns no cell.
    let current: serde_json::Value =
        serde_json::from_str(map.trust_policy(PROD_ROLE).unwrap()).unwrap();
    assert_eq!(
        current["Statement"][0]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"],
        "true"
    );
    let (status, body) = ask(
        &corp,
        IamRequest::SimulateSwitchAccess {
            what_if: Some(WhatIf::TrustPolicy {
                role_arn: PROD_ROLE.into(),
                document: map.trust_policy(PROD_ROLE).unwrap().to_owned(),
            }),
        },
    );
    let unedited = crate::client::read_switch_access(status, &body).unwrap();
    assert!(map.changes(&unedited).is_empty());
    for (what_if, expected) in [
        (
            WhatIf::GroupPolicy {
                group: "Developers".into(),
                name: "AllowSwitchToProdDynamoDB".into(),
                document: None,
            },
            vec![("David", "Denied"), ("group Developers", "Denied")],
        ),
        (
            WhatIf::TrustPolicy {
                role_arn: PROD_ROLE.into(),
                document: crate::admin::trust_document(
                    &"111111111111".parse().unwrap(),
                    false,
                    None,
                )
                .to_string(),
            },
            vec![
                ("CorpAdmin", "Allowed"),
                ("David", "Allowed"),
                ("group Developers", "Allowed"),
            ],
        ),
    ] {
        let request = IamRequest::SimulateSwitchAccess {
            what_if: Some(what_if),
        };
        let form = crate::wire::query_params(&request.to_form());
        assert_eq!(
            IamRequest::from_params(&form).unwrap(),
            request,
            "the form round-trips"
        );
        let (status, body) = ask(&corp, request);
        let after = crate::client::read_switch_access(status, &body).unwrap();
        let changes: Vec<(String, &str)> = map
            .changes(&after)
            .iter()
            .map(|c| (c.holder.to_string(), c.after.label()))
            .collect();
        let expected: Vec<(String, &str)> = expected
            .into_iter()
            .map(|(who, label)| (who.to_owned(), label))
            .collect();
        assert_eq!(changes, expected);
    }
    // A role's attached managed policies.
    let (status, body) = ask(
        &prod,
        IamRequest::ListAttachedPolicies {
            target: crate::ops::managed::Attachee::Role("ProdOperator".into()),
        },
    );
    assert_eq!(
        crate::client::read_attached_policies(status, &body).unwrap(),
        [(
            "AmazonDynamoDBReadOnlyAccess".to_owned(),
            "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess".to_owned()
        )]
    );
    // A role's inline policies read the same way.
    let operator = crate::admin::PolicyOwner::Role("ProdOperator".into());
    let (status, body) = ask(&prod, operator.list_request());
    let names = read_policy_names(status, &body).unwrap();
    let (status, body) = ask(&prod, operator.get_request(&names[0]));
    let (name, document) = crate::client::read_policy_document(status, &body).unwrap();
    assert_eq!(name, names[0]);
    assert!(document["Statement"].is_array() || document["Statement"].is_object());

    // A refusal reads as the fault it is.
    let maria = Client::long_term(crate::sigv4::SigningCredentials {
        access_key_id: "AKIAI44QH8DHBEXAMPLE",
        secret_access_key: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        session_token: None,
    });
    let (status, body) = ask(&maria, IamRequest::ListRoles);
    assert!(matches!(
        read_roles(status, &body),
        Err(crate::client::ClientError::Fault(f)) if f.code == "AccessDenied"
    ));
}

/// IAM's RoleLastUsed: GetRole says when a session of the role was last started (empty before
/// any), in the world's region; ListRoles does not say (IAM API Reference, ListRoles: "…
/// RoleLastUsed … is not returned").
#[test]
fn get_role_says_when_the_role_was_last_used() {
    use crate::client::{read_role, read_roles};
    let mut w = demo_world();
    let prod = Client::long_term(PROD_ADMIN);
    let get = |w: &mut World| {
        let s = call(
            w,
            &prod.prepare(
                Call::Iam(IamRequest::GetRole {
                    role: "AccessToProdDynamoDB".into(),
                }),
                NOW,
            ),
            NOW,
        );
        (s.body.clone(), read_role(s.status, &s.body).unwrap())
    };
    let (body, before) = get(&mut w);
    assert!(body.contains("<RoleLastUsed></RoleLastUsed>"), "{body}");
    assert_eq!(before.last_used, None);
    let base = david_with_mfa(&mut w);
    assert_eq!(assume_prod(&mut w, &base).status, 200);
    let (body, after) = get(&mut w);
    assert_eq!(after.last_used, Some(NOW));
    assert!(
        body.contains(&format!(
            "<LastUsedDate>{}</LastUsedDate><Region>us-west-2</Region>",
            NOW.to_iso8601()
        )),
        "{body}"
    );
    let listed = call(
        &mut w,
        &prod.prepare(Call::Iam(IamRequest::ListRoles), NOW),
        NOW,
    );
    assert!(!listed.body.contains("RoleLastUsed"));
    assert!(read_roles(listed.status, &listed.body)
        .unwrap()
        .iter()
        .all(|r| r.last_used.is_none()));
}

/// Reachability marks: the caller asks about itself, needs no permission, and
/// reads allowed / needs MFA / denied and why for each target, aliases resolved.
#[test]
fn the_caller_learns_which_roles_it_may_switch_to() {
    use crate::ops::access::Access;
    let mut w = demo_world();
    let request = IamRequest::SimulateMySwitches {
        targets: vec![
            ("example-prod".into(), "AccessToProdDynamoDB".into()),
            ("222222222222".into(), "ops/ProdOperator".into()),
            ("no-such-alias".into(), "Anything".into()),
        ],
    };
    let form = crate::wire::query_params(&request.to_form());
    assert_eq!(IamRequest::from_params(&form).unwrap(), request);
    let ask = |w: &mut World, creds: &Client, request: IamRequest| {
        let s = call(w, &creds.prepare(Call::Iam(request), NOW), NOW);
        crate::client::read_my_switches(s.status, &s.body).unwrap()
    };
    let plain = ask(&mut w, &Client::long_term(DAVID), request.clone());
    assert_eq!(plain[0], Access::AllowedWithMfa, "needs MFA without it");
    // Identity policies are evaluated first, as AssumeRole does: nothing is told of the role.
    assert!(
        plain[1]
            .reason()
            .starts_with("No identity policy allows sts:AssumeRole"),
        "{plain:?}"
    );
    assert_eq!(plain[2].reason(), "No account has that ID or alias.");
    let with_mfa = david_with_mfa(&mut w);
    let cells = ask(&mut w, &Client::session(&with_mfa), request);
    assert_eq!(cells[0], Access::Allowed);
}

/// Before Remove is offered on an inline policy, the simulator is asked whether the acting
/// identity may remove it, through IAM's XML and back: ProdAdmin (Allow `*`) may on
/// ProdOperator, but the organization's SCP `ProtectSwitchRole` denies it on
/// AccessToProdDynamoDB, and the sentence says so (IAM User Guide, "Policy evaluation logic":
/// an explicit deny in an SCP decides).
#[test]
fn removal_is_checked_with_the_simulator_before_it_is_offered() {
    use crate::admin::{refused_because, PolicyOwner};
    use crate::client::read_evaluation_results;
    let mut w = demo_world();
    let prod = Client::long_term(PROD_ADMIN);
    let mut ask = |owner: &PolicyOwner, owner_arn: &str| {
        let request = owner.removal_check("arn:aws:iam::222222222222:user/ProdAdmin", owner_arn);
        let s = call(&mut w, &prod.prepare(Call::Iam(request), NOW), NOW);
        let results = read_evaluation_results(s.status, &s.body).unwrap();
        assert_eq!(results.len(), 1, "{}", s.body);
        assert_eq!(results[0].action, "iam:DeleteRolePolicy");
        assert_eq!(results[0].resource, owner_arn);
        refused_because(&results[0])
    };
    assert_eq!(
        ask(&PolicyOwner::Role("AccessToProdDynamoDB".into()), PROD_ROLE),
        Some(
            "A service control policy of the organization denies iam:DeleteRolePolicy here.".into()
        )
    );
    assert_eq!(
        ask(
            &PolicyOwner::Role("ProdOperator".into()),
            "arn:aws:iam::222222222222:role/ops/ProdOperator"
        ),
        None
    );
}

#[test]
fn each_refusal_names_what_decided_it() {
    use crate::admin::{first_refusal, refused_because};
    use crate::ops::simulate::EvaluationResult;
    let result =
        |decision: &'static str, org: Option<bool>, boundary: Option<bool>| EvaluationResult {
            action: "iam:DeleteGroupPolicy".into(),
            resource: "*".into(),
            decision: decision.into(),
            matched: Vec::new(),
            missing_context: Vec::new(),
            allowed_by_organizations: org,
            allowed_by_boundary: boundary,
            resource_decision: None,
        };
    assert_eq!(
        refused_because(&result("allowed", Some(true), Some(true))),
        None
    );
    assert_eq!(
        refused_because(&result("explicitDeny", Some(false), None)).unwrap(),
        "A service control policy of the organization denies iam:DeleteGroupPolicy here."
    );
    assert_eq!(
        refused_because(&result("implicitDeny", Some(true), Some(false))).unwrap(),
        "Your permissions boundary does not allow iam:DeleteGroupPolicy."
    );
    assert_eq!(
        refused_because(&result("explicitDeny", Some(true), None)).unwrap(),
        "An explicit deny in your policies refuses iam:DeleteGroupPolicy."
    );
    assert_eq!(
        refused_because(&result("implicitDeny", None, None)).unwrap(),
        "No policy of yours allows iam:DeleteGroupPolicy."
    );
    // Of several actions, the first refused one is said; none when all are allowed.
    let allowed = result("allowed", None, None);
    let several = [
        allowed.clone(),
        result("implicitDeny", Some(true), Some(false)),
        result("explicitDeny", Some(false), None),
    ];
    assert_eq!(
        first_refusal(&several).unwrap(),
        "Your permissions boundary does not allow iam:DeleteGroupPolicy."
    );
    assert_eq!(first_refusal(&[allowed]), None);
}

/// GetRoleAsCode (crossrole's IAM extension): a role, its inline and managed policies and its
/// boundary as CloudFormation or Terraform, read as the caller may read each part.
#[test]
fn a_role_is_read_as_code_as_the_caller_may_read_it() {
    use crate::wire::iam::CodeFormat;
    let mut w = demo_world();
    let prod = Client::long_term(PROD_ADMIN);
    let mut ask = |client: &Client, role: &str, format: CodeFormat| {
        let request = IamRequest::GetRoleAsCode {
            role: role.into(),
            format,
        };
        call(&mut w, &client.prepare(Call::Iam(request), NOW), NOW)
    };
    let template = |s: &Served| {
        let (_, leaves) = crate::wire::leaves(&s.body).unwrap();
        leaves.get("Template").cloned().unwrap_or_default()
    };
    let served = ask(&prod, "ProdOperator", CodeFormat::Terraform);
    assert_eq!(served.status, 200, "{}", served.body);
    let tf = template(&served);
    assert!(
        tf.contains("resource \"aws_iam_role\" \"prod_operator\""),
        "{tf}"
    );
    assert!(
        tf.contains(
            "permissions_boundary = \"arn:aws:iam::222222222222:policy/ProdOperatorBoundary\""
        ),
        "{tf}"
    );
    assert!(
        tf.contains("policy_arn = \"arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess\""),
        "{tf}"
    );
    assert!(tf.contains("name   = \"GameScoresReadOnly\""), "{tf}");
    let served = ask(&prod, "AccessToProdDynamoDB", CodeFormat::CloudFormation);
    let cfn = template(&served);
    assert!(
        cfn.contains("Type: AWS::IAM::Role") && cfn.contains("aws:MultiFactorAuthPresent"),
        "{cfn}"
    );
    // CloudFormation User Guide, "AWS::IAM::Role": a list property is written only when it
    // has members (an empty `ManagedPolicyArns:` is null, which the schema refuses).
    assert!(!cfn.contains("ManagedPolicyArns"), "{cfn}");
    let cfn = template(&ask(&prod, "ProdOperator", CodeFormat::CloudFormation));
    assert!(
        cfn.contains(
            "      ManagedPolicyArns:\n        - \"arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess\"\n"
        ),
        "{cfn}"
    );
    assert!(
        cfn.contains(
            "      PermissionsBoundary: \"arn:aws:iam::222222222222:policy/ProdOperatorBoundary\""
        ),
        "{cfn}"
    );
    // ProdOps reads only the roles under /ops/: the whole export is refused as GetRole is.
    let ops = Client::long_term(SigningCredentials {
        access_key_id: "AKIAEXAMPLEPRODOPS01",
        secret_access_key: "Pr0dOpsSecretKeyExample/ForDemoOnly00000",
        session_token: None,
    });
    let refused = ask(&ops, "AccessToProdDynamoDB", CodeFormat::CloudFormation);
    assert_eq!(
        refused.error.as_deref(),
        Some("AccessDenied"),
        "{}",
        refused.body
    );
    let form = "Action=GetRoleAsCode&Version=2010-05-08&RoleName=ProdOperator&Format=Pulumi";
    let bad = call(&mut w, &prod.request("iam", None, form, NOW), NOW);
    assert_eq!(bad.status, 400, "{}", bad.body);
}

/// CloudTrail LookupEvents, as the console's HTTP backend calls it and reads it: the switch
/// just made, in the role's account, narrowed by name and paged.
#[test]
fn lookup_events_round_trips_through_the_client() {
    use crate::client::read_lookup_events;
    use crate::ops::trail::{LookupAttribute, LookupEvents};
    let mut w = demo_world();
    let base = david_with_mfa(&mut w);
    let assume = StsRequest::AssumeRole(AssumeRole {
        role_arn: PROD_ROLE.into(),
        role_session_name: "David".into(),
        ..Default::default()
    });
    let switched = call(&mut w, &Client::session(&base).sts(assume, NOW), NOW);
    assert_eq!(switched.status, 200, "{}", switched.body);
    let prod = Client::long_term(PROD_ADMIN);
    let lookup = |w: &mut World, request: LookupEvents| {
        let served = call(w, &prod.prepare(Call::CloudTrail(request), NOW), NOW);
        assert_eq!(served.content_type, "application/x-amz-json-1.1");
        read_lookup_events(served.status, &served.body)
    };
    let by_name = LookupEvents {
        attributes: vec![LookupAttribute {
            key: "EventName".into(),
            value: "AssumeRole".into(),
        }],
        ..Default::default()
    };
    let page = lookup(&mut w, by_name).unwrap();
    let [event] = page.events.as_slice() else {
        panic!("{page:?}")
    };
    assert_eq!(&*event.recipient_account_id, "222222222222");
    assert_eq!(event.user_identity.kind, "AWSAccount");
    // A page of one, and the token to the rest; a bad token is refused as CloudTrail does.
    let first = lookup(
        &mut w,
        LookupEvents {
            max_results: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(first.events.len(), 1);
    assert!(first.next_token.is_none(), "one event in all: {first:?}");
    let bad = lookup(
        &mut w,
        LookupEvents {
            next_token: Some("nonsense".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(bad.to_string().contains("InvalidNextToken"), "{bad}");
}
