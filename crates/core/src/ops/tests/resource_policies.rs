//! Resource-based policies in IAM's simulator (IAM API Reference, SimulateCustomPolicy and
//! SimulatePrincipalPolicy: `ResourcePolicy`, `ResourceOwner`, `CallerArn`), decided as the
//! IAM User Guide's "Policy evaluation logic" (one account: either side allows; an explicit
//! deny anywhere wins) and "Cross-account policy evaluation logic" (both sides must allow).

use super::*;
use crate::fault::ErrorCode;
use crate::ops::simulate::Simulation;

const DAVID: &str = "arn:aws:iam::111111111111:user/David";
const BUCKET: &str = "arn:aws:s3:::reports/*";

/// An identity policy allowing `action` on every resource (or, for `None`, something else).
fn identity(action: Option<&str>) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{}","Resource":"*"}}}}"#,
        action.unwrap_or("sqs:SendMessage")
    )
}

/// A resource policy with one statement: `effect` of s3:GetObject for `principal`.
fn resource_policy(effect: &str, principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"Bucket{effect}","Effect":"{effect}","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"{BUCKET}"}}}}"#
    )
}

fn simulation(
    identity_action: Option<&str>,
    resource: Option<String>,
    owner: Option<&str>,
) -> Simulation {
    Simulation {
        actions: vec!["s3:GetObject".into()],
        resources: vec![BUCKET.into()],
        policies: vec![identity(identity_action)],
        resource_policy: resource,
        resource_owner: owner.map(str::to_owned),
        caller_arn: Some(DAVID.into()),
        ..Default::default()
    }
}

/// The decision of a custom simulation, asked by CorpAdmin.
fn decide(s: &Simulation) -> Result<crate::ops::simulate::EvaluationResult, ApiError> {
    let mut d = demo();
    let corp = d.sign_in("example-corp", "CorpAdmin", "corpadmin-Pa55word!", false);
    d.world
        .iam_simulate_custom_policy(creds(&corp), s, NOW)
        .map(|mut r| r.remove(0))
}

// "Policy evaluation logic": an explicit deny in any policy overrides every allow.
#[test]
fn an_explicit_deny_in_the_resource_policy_wins() {
    let r = decide(&simulation(
        Some("s3:GetObject"),
        Some(resource_policy("Deny", DAVID)),
        None,
    ))
    .unwrap();
    assert_eq!(r.decision, "explicitDeny");
    assert_eq!(r.resource_decision.as_deref(), Some("explicitDeny"));
    assert!(
        r.matched
            .iter()
            .any(|m| m.policy_id == "ResourcePolicy" && m.policy_type == "resource"),
        "{:?}",
        r.matched
    );
}

// "Policy evaluation logic": within one account, a request is allowed when an identity-based
// or a resource-based policy allows it.
#[test]
fn within_one_account_either_side_allows() {
    let r = decide(&simulation(
        None,
        Some(resource_policy("Allow", DAVID)),
        None,
    ))
    .unwrap();
    assert_eq!(r.decision, "allowed", "the resource policy alone");
    let r = decide(&simulation(
        Some("s3:GetObject"),
        Some(resource_policy("Allow", "arn:aws:iam::999999999999:root")),
        None,
    ))
    .unwrap();
    assert_eq!(r.decision, "allowed", "the identity policy alone");
    let r = decide(&simulation(
        None,
        Some(resource_policy("Allow", "arn:aws:iam::999999999999:root")),
        None,
    ))
    .unwrap();
    assert_eq!(r.decision, "implicitDeny", "neither");
}

// "Cross-account policy evaluation logic": the identity policy in the caller's account and the
// resource policy in the owner's must both allow.
#[test]
fn across_accounts_both_sides_must_allow() {
    let owner = Some("arn:aws:iam::222222222222:root");
    let trusting = || Some(resource_policy("Allow", "arn:aws:iam::111111111111:root"));
    let r = decide(&simulation(None, trusting(), owner)).unwrap();
    assert_eq!(r.decision, "implicitDeny", "the resource policy alone");
    let r = decide(&simulation(
        Some("s3:GetObject"),
        Some(resource_policy("Allow", "arn:aws:iam::333333333333:root")),
        owner,
    ))
    .unwrap();
    assert_eq!(r.decision, "implicitDeny", "the identity policy alone");
    let r = decide(&simulation(Some("s3:GetObject"), trusting(), owner)).unwrap();
    assert_eq!(r.decision, "allowed", "both");
    assert_eq!(r.resource_decision.as_deref(), Some("allowed"));
}

// IAM API Reference, SimulateCustomPolicy: CallerArn is required with a ResourcePolicy and
// must be an IAM user; ResourceOwner is an account's ARN.
#[test]
fn a_resource_policy_needs_a_user_as_caller_and_an_account_as_owner() {
    let mut s = simulation(None, Some(resource_policy("Allow", DAVID)), None);
    s.caller_arn = None;
    assert_eq!(decide(&s).unwrap_err().code, ErrorCode::InvalidInput);
    s.caller_arn = Some(PROD_ROLE.into());
    assert_eq!(decide(&s).unwrap_err().code, ErrorCode::InvalidInput);
    s.caller_arn = Some(DAVID.into());
    s.resource_owner = Some("222222222222".into());
    assert_eq!(decide(&s).unwrap_err().code, ErrorCode::InvalidInput);
    s.resource_owner = None;
    s.resource_policy = Some(identity(Some("s3:GetObject")));
    assert_eq!(
        decide(&s).unwrap_err().code,
        ErrorCode::MalformedPolicyDocument,
        "no Principal"
    );
    // Without a resource policy nothing changes, and nothing is said per resource.
    let r = decide(&simulation(Some("s3:GetObject"), None, None)).unwrap();
    assert_eq!(
        (r.decision.as_ref(), r.resource_decision),
        ("allowed", None)
    );
}

// SimulatePrincipalPolicy: CallerArn defaults to the policy source when it is a user.
#[test]
fn a_users_own_simulation_calls_as_that_user() {
    let mut d = demo();
    let corp = d.sign_in("example-corp", "CorpAdmin", "corpadmin-Pa55word!", false);
    let s = Simulation {
        caller_arn: None,
        policies: Vec::new(),
        ..simulation(None, Some(resource_policy("Allow", DAVID)), None)
    };
    let r = d
        .world
        .iam_simulate_principal_policy(creds(&corp), DAVID, &s, NOW)
        .unwrap();
    assert_eq!(r[0].decision, "allowed");
    let e = d
        .world
        .iam_simulate_principal_policy(
            creds(&corp),
            "arn:aws:iam::111111111111:role/SensitiveDataAccess",
            &s,
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "a role is not a caller");
}
