//! Managed policies attached to users and groups (IAM API Reference, AttachUserPolicy and
//! AttachGroupPolicy): to the entity named, and only a policy the account may use.

use super::*;
use crate::demo::CORP_ADMIN;
use crate::fault::ErrorCode;
use crate::ops::managed::Attachee;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess";

fn corp_admin() -> Presented<'static> {
    Presented {
        access_key_id: CORP_ADMIN.access_key_id,
        secret: Some(CORP_ADMIN.secret_access_key),
        session_token: None,
        origin: None,
    }
}

#[test]
fn a_policy_is_attached_to_the_user_or_group_named() {
    let mut w = demo_world();
    let attached = |w: &mut World, target: &Attachee| -> Vec<String> {
        w.iam_list_attached_policies(corp_admin(), target, NOW)
            .unwrap()
            .into_iter()
            .map(|(_, arn)| arn)
            .collect()
    };
    let maria = Attachee::User("Maria".into());
    let developers = Attachee::Group("Developers".into());
    for target in [&maria, &developers] {
        w.iam_attach_policy(corp_admin(), target, READ_ONLY, NOW)
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
            .iam_attach_policy(corp_admin(), &maria, arn, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NoSuchEntity, "{arn}");
    }
}
