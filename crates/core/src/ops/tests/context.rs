//! The request context the operations give conditions and policy variables: `aws:userid`,
//! `sts:RoleSessionName`, `aws:PrincipalIsAWSService`, `aws:ViaAWSService`.

use super::sessions::role_mut;
use super::*;
use crate::world::PolicyDoc;

fn trust(world: &mut World, json: &str) {
    role_mut(world, "222222222222", "AccessToProdDynamoDB").trust_policy =
        PolicyDoc::parse(json).unwrap().into();
}

/// "Available keys for AWS STS" (IAM User Guide): `sts:RoleSessionName` is the name the
/// caller asks for, and a trust policy may require a pattern.
#[test]
fn a_trust_policy_can_require_the_session_name() {
    let mut d = demo();
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole",
            "Condition":{"StringEquals":{"sts:RoleSessionName":"${aws:username}"}}}}"#,
    );
    let base = d.david(true);
    assert!(d.switch(&base, PROD_ROLE).is_ok(), "David as David");
    let e = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "someone-else", None),
            NOW,
        )
        .unwrap_err();
    assert!(
        matches!(&e.denial, Some(Denial::ConditionFailed { condition }) if condition.contains("sts:RoleSessionName")),
        "{e:?}"
    );
}

/// "Request information that you can use for policy variables" (IAM User Guide): aws:userid
/// is the user's unique id, and `role-id:session-name` for a role session.
#[test]
fn aws_userid_is_the_unique_id_and_the_role_s_with_the_session() {
    let mut d = demo();
    let base = d.david(true);
    let me = d.world.sts_get_caller_identity(creds(&base), NOW).unwrap();
    let issued = d.switch(&base, PROD_ROLE).unwrap();
    // A role whose sessions may read only the table named after their own userid.
    let role = role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB");
    role.policies.insert(
        "OnlyMine".into(),
        PolicyDoc::parse(&format!(
            r#"{{"Version":"2012-10-17","Statement":[
                {{"Effect":"Deny","Action":"dynamodb:Scan","Resource":"*",
                  "Condition":{{"StringNotEquals":{{"aws:userid":"{}"}}}}}}]}}"#,
            issued.unique_id
        ))
        .unwrap(),
    );
    assert!(d.scan(&issued.credentials, "GameScores").is_ok());
    let other = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "Other", None),
            NOW,
        )
        .unwrap();
    let e = d.scan(&other.credentials, "GameScores").unwrap_err();
    assert!(
        matches!(e.denial, Some(Denial::ExplicitDeny { .. })),
        "{e:?}"
    );
    assert!(me.user_id.starts_with("AIDA"));
    assert!(issued.unique_id.starts_with("AROA") && issued.unique_id.ends_with(":David"));
}

/// "AWS global condition context keys": aws:PrincipalIsAWSService and aws:ViaAWSService are
/// false for a principal calling directly, which is every caller of crossrole.
#[test]
fn callers_are_never_aws_services() {
    let mut d = demo();
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole",
             "Condition":{"Bool":{"aws:PrincipalIsAWSService":"false","aws:ViaAWSService":"false"}}}]}"#,
    );
    let base = d.david(true);
    assert!(d.switch(&base, PROD_ROLE).is_ok());
    trust(
        &mut d.world,
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole",
             "Condition":{"Bool":{"aws:ViaAWSService":"true"}}}]}"#,
    );
    assert!(matches!(
        denial(d.switch(&base, PROD_ROLE)),
        Denial::ConditionFailed { .. }
    ));
}

/// "AWS global condition context keys": aws:SourceIp, aws:SecureTransport and
/// aws:RequestedRegion come from where the request came from (the endpoint tells); without an
/// endpoint (the in-browser mock) they are absent, so IfExists and negated operators decide.
#[test]
fn source_ip_transport_and_region_come_from_the_request_s_origin() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").policies.insert(
        "Guard".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"Office","Effect":"Deny","Action":"dynamodb:*","Resource":"*","Condition":{"NotIpAddressIfExists":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}},
                {"Sid":"Tls","Effect":"Deny","Action":"dynamodb:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}},
                {"Sid":"Region","Effect":"Deny","Action":"dynamodb:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:RequestedRegion":"us-west-2"}}}]}"#,
        )
        .unwrap(),
    );
    let scan = |d: &Demo, origin: &Origin| {
        d.world.dynamodb_scan(
            Presented {
                origin: Some(origin),
                ..creds(&role)
            },
            "GameScores",
            NOW,
        )
    };
    let office = Origin {
        source_ip: Some("203.0.113.7".parse().unwrap()),
        secure_transport: Some(true),
        requested_region: Some("us-west-2".into()),
        user_agent: None,
    };
    assert!(scan(&d, &office).is_ok());
    let denied_by = |origin: Origin| match scan(&d, &origin).unwrap_err().denial {
        Some(Denial::ExplicitDeny { statement }) => statement,
        other => panic!("{other:?}"),
    };
    // No origin: every key absent, and an absent key satisfies ...IfExists (and negated)
    // operators, so these Denies apply ("Condition operators": ...IfExists).
    assert!(denied_by(Origin::default()).contains("Office"));
    let home = Origin {
        source_ip: Some("198.51.100.1".parse().unwrap()),
        ..office.clone()
    };
    assert!(denied_by(home).contains("Office"));
    let v6 = Origin {
        source_ip: Some("2001:db8::7".parse().unwrap()),
        ..office.clone()
    };
    assert!(scan(&d, &v6).is_ok());
    let plain = Origin {
        secure_transport: Some(false),
        ..office.clone()
    };
    assert!(denied_by(plain).contains("Tls"));
    let elsewhere = Origin {
        requested_region: Some("eu-west-1".into()),
        ..office
    };
    assert!(denied_by(elsewhere).contains("Region"));
}

/// "AWS global condition context keys": aws:PrincipalOrgID is the organization's id for the
/// principals of its accounts, and absent outside any organization.
#[test]
fn principal_org_id_names_the_organization() {
    let mut d = demo();
    let org_id = d.world.organization.as_ref().unwrap().id();
    assert!(org_id.starts_with("o-") && org_id.len() == 12, "{org_id}");
    trust(
        &mut d.world,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole",
                "Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"{org_id}"}}}}}}}}"#
        ),
    );
    let base = d.david(true);
    assert!(
        d.switch(&base, PROD_ROLE).is_ok(),
        "David's account is in the organization"
    );
    d.world.organization = None;
    assert!(matches!(
        denial(d.switch(&base, PROD_ROLE)),
        Denial::ConditionFailed { .. }
    ));
}

/// DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access control":
/// dynamodb:LeadingKeys is the partition key value GetItem names, so a policy can confine a
/// principal to its own items.
#[test]
fn leading_keys_confine_get_item_to_one_partition() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").policies.insert(
        "OwnItems".into(),
        PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"dynamodb:GetItem","Resource":"*",
                "Condition":{"ForAllValues:StringNotEquals":{"dynamodb:LeadingKeys":["101"]}}}}"#,
        )
        .unwrap(),
    );
    let table = d
        .world
        .account(&"222222222222".parse().unwrap())
        .unwrap()
        .table("GameScores")
        .unwrap()
        .clone();
    let key_of = |user: &str| {
        let mut key = crate::world::Item::new();
        let hash = &table.hash_key;
        key.insert(hash.name.clone(), serde_json::json!({ &hash.kind: user }));
        if let Some(range) = &table.range_key {
            let item = table.items.iter().find(|i| {
                i.get(&hash.name)
                    .and_then(|v| v.get(&hash.kind))
                    .and_then(|v| v.as_str())
                    == Some(user)
            });
            let value = item
                .and_then(|i| i.get(&range.name))
                .cloned()
                .unwrap_or(serde_json::json!({ &range.kind: "x" }));
            key.insert(range.name.clone(), value);
        }
        key
    };
    let get = |d: &Demo, user: &str| {
        d.world
            .dynamodb_get_item(creds(&role), "GameScores", &key_of(user), NOW)
    };
    assert!(get(&d, "101").is_ok(), "its own partition");
    let e = get(&d, "102").unwrap_err();
    assert!(
        matches!(e.denial, Some(Denial::ExplicitDeny { .. })),
        "{e:?}"
    );
}

/// IAM User Guide, "AWS global condition context keys": aws:CurrentTime (ISO 8601) and
/// aws:EpochTime (seconds) are the request's time; aws:PrincipalAccount, aws:PrincipalArn (a
/// role session's is its role's ARN) and aws:PrincipalType (`User`, `AssumedRole`, `Account`)
/// name the caller; aws:TokenIssueTime is a session's issue time, and long-term keys have none.
#[test]
fn the_request_s_time_and_principal_keys() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    let key = Presented {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret: None,
        session_token: None,
        origin: None,
    };
    let at = NOW.plus(42);
    let keys = |presented: Presented<'_>, names: &[&str]| -> Vec<Option<String>> {
        let caller = d.world.authenticate(presented, at).unwrap();
        let context = d.world.context(&caller, at);
        names
            .iter()
            .map(|k| crate::policy::ContextKeys::values(&context, k).map(|v| v.join(",")))
            .collect()
    };
    let names = [
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalType",
        "aws:TokenIssueTime",
    ];
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        keys(creds(&base), &names),
        [
            Some(at.to_iso8601()),
            Some(at.seconds().to_string()),
            some("111111111111"),
            some("arn:aws:iam::111111111111:user/David"),
            some("User"),
            Some(NOW.to_iso8601()),
        ]
    );
    assert_eq!(
        keys(creds(&role), &names[2..]),
        [
            some("222222222222"),
            some("arn:aws:iam::222222222222:role/AccessToProdDynamoDB"),
            some("AssumedRole"),
            Some(NOW.to_iso8601()),
        ]
    );
    assert_eq!(keys(key, &names[5..]), [None]);
    // Key names are case-insensitive.
    assert_eq!(keys(creds(&base), &["AWS:principaltype"]), [some("User")]);
}
