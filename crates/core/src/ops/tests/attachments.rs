//! Managed policies attached to users and groups (IAM API Reference, AttachUserPolicy and
//! AttachGroupPolicy): to the entity named, and only a policy the account may use.

use super::*;
use crate::demo::CORP_ADMIN;
use crate::fault::ErrorCode;
use crate::ops::managed::Attachee;

/// A statement allowing `dynamodb:Scan` on everything.
const SCAN: &str = r#""Effect":"Allow","Action":"dynamodb:Scan","Resource":"*""#;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess";

#[test]
fn a_policy_is_attached_to_the_user_or_group_named() {
    let mut w = demo_world();
    let attached = |w: &mut World, target: &Attachee| -> Vec<String> {
        w.iam_list_attached_policies(long_term(CORP_ADMIN), target, NOW)
            .unwrap()
            .into_iter()
            .map(|(_, arn)| arn)
            .collect()
    };
    let maria = Attachee::User("Maria".into());
    let developers = Attachee::Group("Developers".into());
    for target in [&maria, &developers] {
        w.iam_attach_policy(long_term(CORP_ADMIN), target, READ_ONLY, NOW)
            .unwrap();
        assert_eq!(attached(&mut w, target), [READ_ONLY], "{target:?}");
    }
    assert!(attached(&mut w, &Attachee::User("David".into())).is_empty());
    // Read from the world itself, not through the same lookup.
    let corp = w.account(&"111111111111".parse().unwrap()).unwrap();
    assert_eq!(corp.user("Maria").unwrap().attached_policies, [READ_ONLY]);
    for user in corp.users.iter().filter(|u| u.name.as_str() != "Maria") {
        assert!(user.attached_policies.is_empty(), "{}", user.name.as_str());
    }
}

#[test]
fn only_a_policy_the_account_may_use_is_attached() {
    let mut w = demo_world();
    let maria = Attachee::User("Maria".into());
    for arn in [
        "arn:aws:iam::aws:policy/NoSuchPolicy",
        "arn:aws:iam::222222222222:policy/ProdOperatorBoundary",
    ] {
        let e = w
            .iam_attach_policy(long_term(CORP_ADMIN), &maria, arn, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NoSuchEntity, "{arn}");
    }
}

/// IAM API Reference, CreatePolicy, GetPolicy, GetPolicyVersion and ListPolicies: a customer
/// managed policy of up to 6,144 characters, at its path, with its one version `v1`, counted
/// where it is attached and listed by scope.
#[test]
fn a_customer_managed_policy_is_created_read_counted_and_listed() {
    use crate::ops::managed::{NewPolicy, MANAGED_POLICY_MAX};
    let mut w = demo_world();
    let new = |name: &str, size: usize| NewPolicy {
        name: name.into(),
        path: Some("/team/".into()),
        document: policy_of_size(SCAN, size),
        description: Some("Scans.".into()),
    };
    let over = w.iam_create_policy(
        long_term(CORP_ADMIN),
        new("Big", MANAGED_POLICY_MAX + 1),
        NOW,
    );
    assert_eq!(over.unwrap_err().code, ErrorCode::LimitExceeded);
    let at = NewPolicy {
        path: None,
        description: None,
        ..new("AtQuota", MANAGED_POLICY_MAX)
    };
    assert!(w.iam_create_policy(long_term(CORP_ADMIN), at, NOW).is_ok());
    let info = w
        .iam_create_policy(long_term(CORP_ADMIN), new("ReadScores", 200), NOW)
        .unwrap();
    let arn = "arn:aws:iam::111111111111:policy/team/ReadScores";
    assert_eq!((info.arn.as_str(), info.path.as_str()), (arn, "/team/"));
    assert!(info.policy_id.starts_with("ANPA"), "{}", info.policy_id);

    let document = w.iam_get_policy_version(long_term(CORP_ADMIN), arn, "v1", NOW);
    assert_eq!(document.unwrap()["Statement"]["Action"], "dynamodb:Scan");
    let v2 = w.iam_get_policy_version(long_term(CORP_ADMIN), arn, "v2", NOW);
    assert_eq!(v2.unwrap_err().code, ErrorCode::NoSuchEntity);

    // Attached to Maria (and another policy to David): counted once, where it is.
    let (maria, david) = (
        Attachee::User("Maria".into()),
        Attachee::User("David".into()),
    );
    w.iam_attach_policy(long_term(CORP_ADMIN), &maria, arn, NOW)
        .unwrap();
    w.iam_attach_policy(long_term(CORP_ADMIN), &david, READ_ONLY, NOW)
        .unwrap();
    let got = w.iam_get_policy(long_term(CORP_ADMIN), arn, NOW).unwrap();
    assert_eq!(
        (
            got.attachment_count,
            got.path.as_str(),
            got.description.as_deref()
        ),
        (1, "/team/", Some("Scans."))
    );

    let listed = |scope: &str, only_attached: bool| -> Vec<String> {
        w.iam_list_policies(long_term(CORP_ADMIN), Some(scope), only_attached, NOW)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    assert_eq!(listed("Local", false), ["AtQuota", "ReadScores"]);
    assert_eq!(listed("Local", true), ["ReadScores"]);
    let aws = listed("AWS", false);
    assert!(
        aws.contains(&"AmazonDynamoDBReadOnlyAccess".to_owned()),
        "{aws:?}"
    );
    assert!(!aws.contains(&"ReadScores".to_owned()));
    assert_eq!(
        listed("All", true),
        ["AmazonDynamoDBReadOnlyAccess", "ReadScores"]
    );
}

/// IAM quotas and API Reference: attaching what is attached already changes nothing, an
/// entity holds at most 10 managed policies, a detach removes only the one named (and refuses
/// one not attached), and a user's permissions boundary is set and removed.
#[test]
fn attachments_are_once_bounded_and_detached_by_name() {
    use crate::ops::managed::{NewPolicy, ATTACHED_MAX};
    let mut w = demo_world();
    let maria = Attachee::User("Maria".into());
    let arns: Vec<String> = (0..=ATTACHED_MAX)
        .map(|i| {
            let new = NewPolicy {
                name: format!("P{i}"),
                path: None,
                document: policy_of_size(SCAN, 200),
                description: None,
            };
            w.iam_create_policy(long_term(CORP_ADMIN), new, NOW)
                .unwrap()
                .arn
        })
        .collect();
    let user = |w: &World| {
        w.account(&"111111111111".parse().unwrap())
            .unwrap()
            .user("Maria")
            .unwrap()
            .clone()
    };
    for arn in &arns[..ATTACHED_MAX] {
        w.iam_attach_policy(long_term(CORP_ADMIN), &maria, arn, NOW)
            .unwrap();
    }
    w.iam_attach_policy(long_term(CORP_ADMIN), &maria, &arns[0], NOW)
        .unwrap();
    assert_eq!(user(&w).attached_policies, arns[..ATTACHED_MAX]);
    let over = w.iam_attach_policy(long_term(CORP_ADMIN), &maria, &arns[ATTACHED_MAX], NOW);
    assert_eq!(over.unwrap_err().code, ErrorCode::LimitExceeded);

    w.iam_detach_policy(long_term(CORP_ADMIN), &maria, &arns[3], NOW)
        .unwrap();
    let mut left = arns[..ATTACHED_MAX].to_vec();
    left.remove(3);
    assert_eq!(user(&w).attached_policies, left);
    let again = w.iam_detach_policy(long_term(CORP_ADMIN), &maria, &arns[3], NOW);
    assert_eq!(again.unwrap_err().code, ErrorCode::NoSuchEntity);

    let boundary = Some(READ_ONLY);
    w.iam_set_permissions_boundary(long_term(CORP_ADMIN), &maria, boundary, NOW)
        .unwrap();
    assert_eq!(user(&w).permissions_boundary.as_deref(), boundary);
    w.iam_set_permissions_boundary(long_term(CORP_ADMIN), &maria, None, NOW)
        .unwrap();
    assert_eq!(user(&w).permissions_boundary, None);
}

/// IAM API Reference, SimulatePrincipalPolicy: each matched statement names its policy and
/// the policy's type (`user`, `group`, `role`, `aws-managed`, `user-managed`), for a user, a
/// group or a role as the source.
#[test]
fn the_simulator_names_each_matched_policy_s_type() {
    use crate::demo::PROD_ADMIN;
    use crate::ops::simulate::Simulation;
    let mut w = demo_world();
    let scan = |resource: &str| Simulation {
        actions: vec!["dynamodb:Scan".into()],
        resources: vec![resource.into()],
        ..Default::default()
    };
    let read_scores = crate::ops::managed::NewPolicy {
        name: "ReadScores".into(),
        path: None,
        document: policy_of_size(SCAN, 200),
        description: None,
    };
    let arn = w
        .iam_create_policy(long_term(CORP_ADMIN), read_scores, NOW)
        .unwrap()
        .arn;
    let maria = Attachee::User("Maria".into());
    w.iam_attach_policy(long_term(CORP_ADMIN), &maria, &arn, NOW)
        .unwrap();
    let developers = Attachee::Group("Developers".into());
    w.iam_attach_policy(long_term(CORP_ADMIN), &developers, READ_ONLY, NOW)
        .unwrap();
    let prod_admin = long_term(PROD_ADMIN);
    let games = "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores";
    let switch = Simulation {
        actions: vec!["sts:AssumeRole".into()],
        resources: vec![PROD_ROLE.into()],
        ..Default::default()
    };
    for (who, source, simulation, policy, kind) in [
        (
            long_term(CORP_ADMIN),
            "arn:aws:iam::111111111111:user/Maria",
            scan("*"),
            "ReadScores",
            "user-managed",
        ),
        (
            long_term(CORP_ADMIN),
            "arn:aws:iam::111111111111:user/CorpAdmin",
            scan("*"),
            "",
            "user",
        ),
        (
            long_term(CORP_ADMIN),
            "arn:aws:iam::111111111111:group/Developers",
            switch,
            "AllowSwitchToProdDynamoDB",
            "group",
        ),
        (
            long_term(CORP_ADMIN),
            "arn:aws:iam::111111111111:group/Developers",
            scan("*"),
            "AmazonDynamoDBReadOnlyAccess",
            "aws-managed",
        ),
        (
            prod_admin,
            "arn:aws:iam::222222222222:role/ops/ProdOperator",
            scan(games),
            "GameScoresReadOnly",
            "role",
        ),
    ] {
        let results = w
            .iam_simulate_principal_policy(who, source, &simulation, NOW)
            .unwrap();
        assert_eq!(results[0].decision, "allowed", "{source}");
        assert!(
            results[0]
                .matched
                .iter()
                .any(|m| m.policy_type == kind && (policy.is_empty() || m.policy_id == policy)),
            "{source}: {:?}",
            results[0].matched
        );
    }
}

/// IAM API Reference, SimulateCustomPolicy: a context key that a policy or the boundary uses
/// and the simulation does not give is named in `MissingContextValues`, once.
#[test]
fn missing_context_keys_of_policies_and_boundary_are_named_once() {
    use crate::ops::simulate::Simulation;
    let w = demo_world();
    let with = |key: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"{key}":"x"}}}}}}}}"#
        )
    };
    let simulation = Simulation {
        actions: vec!["dynamodb:Scan".into()],
        resources: vec!["*".into()],
        policies: vec![with("aws:SourceVpc")],
        boundaries: vec![with("aws:SourceVpc"), with("aws:RequestedRegion")],
        ..Default::default()
    };
    let results = w
        .iam_simulate_custom_policy(long_term(CORP_ADMIN), &simulation, NOW)
        .unwrap();
    assert_eq!(
        results[0].missing_context,
        ["aws:SourceVpc", "aws:RequestedRegion"]
    );
}
