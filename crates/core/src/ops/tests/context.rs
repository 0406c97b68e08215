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
