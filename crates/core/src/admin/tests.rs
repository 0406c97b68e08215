//! The administrator's documents, and that the engine decides with them as the walk-through of
//! issue 13 expects.

use super::*;
use crate::world::{demo_world, PolicyDoc};

fn billing_draft() -> RoleDraft {
    RoleDraft {
        name: "AccessToProdBilling".into(),
        trusted_account: "111111111111".into(),
        require_mfa: true,
        permissions: Permissions::DynamoDbReadOnly,
        tables: vec!["Billing".into()],
        ..RoleDraft::default()
    }
}

#[test]
fn a_draft_becomes_the_exact_documents() {
    let plan = billing_draft().check("222222222222", "us-west-2").unwrap();
    assert_eq!(plan.name.as_str(), "AccessToProdBilling");
    assert_eq!(plan.max_session_duration, 3600);
    let trust = PolicyDoc::parse(&plan.trust_policy).unwrap();
    trust.policy.check_trust_policy().unwrap();
    let summary = summarise_trust(&trust.policy);
    assert_eq!(summary.accounts, ["111111111111"]);
    assert!(summary.requires_mfa && !summary.requires_external_id && !summary.anyone);
    let permissions = PolicyDoc::parse(&plan.permission_policy).unwrap();
    permissions.policy.check_identity_policy().unwrap();
    assert!(plan
        .permission_policy
        .contains("arn:aws:dynamodb:us-west-2:222222222222:table/Billing"));
    assert!(!plan.permission_policy.contains("dynamodb:*"), "read-only");
    assert_eq!(
        plan.switch_link(&"example-prod".parse().unwrap(), None, Some(Colour::Red)),
        "/switchrole?account=example-prod&roleName=AccessToProdBilling&color=f2b0a9"
    );
}

#[test]
fn every_problem_is_reported_by_field() {
    let draft = RoleDraft {
        name: "bad name!".into(),
        path: "no-slashes".into(),
        trusted_account: "1234".into(),
        external_id: Some("x".into()),
        permissions: Permissions::Custom("{\"Statement\": [}".into()),
        tables: vec!["no spaces allowed".into()],
        max_session_hours: 13,
        ..RoleDraft::default()
    };
    let problems = draft.check("222222222222", "us-west-2").unwrap_err();
    for field in [
        DraftField::Name,
        DraftField::Path,
        DraftField::TrustedAccount,
        DraftField::ExternalId,
        DraftField::PolicyJson,
        DraftField::Tables,
        DraftField::MaxSession,
    ] {
        assert!(problems.of(field).is_some(), "{field:?}: {problems:?}");
    }
}

#[test]
fn a_resource_of_every_table_is_a_warning_not_an_error() {
    let mut draft = billing_draft();
    draft.tables.clear();
    let plan = draft.check("222222222222", "us-west-2").unwrap();
    assert_eq!(plan.warnings, [Warning::EveryResource]);
    draft.permissions = Permissions::Custom(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#.into(),
    );
    assert_eq!(
        draft.check("222222222222", "us-west-2").unwrap().warnings,
        [Warning::EveryResource]
    );
    draft.permissions = Permissions::Custom(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan"}}"#
            .into(),
    );
    let problems = draft.check("222222222222", "us-west-2").unwrap_err();
    assert!(problems
        .of(DraftField::PolicyJson)
        .unwrap()
        .contains("Resource"));
}

#[test]
fn external_ids_go_into_the_trust_policy() {
    let mut draft = billing_draft();
    draft.require_mfa = false;
    draft.external_id = Some("Partner-42".into());
    let plan = draft.check("222222222222", "us-west-2").unwrap();
    let trust = PolicyDoc::parse(&plan.trust_policy).unwrap();
    let summary = summarise_trust(&trust.policy);
    assert!(summary.requires_external_id && !summary.requires_mfa);
}

/// The demo world's roles summarised as the Roles table shows them.
#[test]
fn the_demo_roles_summarised() {
    let world = demo_world();
    let prod = world.account(&"222222222222".parse().unwrap()).unwrap();
    let switch = summarise_trust(
        &prod
            .role("AccessToProdDynamoDB")
            .unwrap()
            .trust_policy
            .policy,
    );
    assert_eq!(switch.accounts, ["111111111111"]);
    assert!(switch.requires_mfa);
    let operator = summarise_trust(&prod.role("ProdOperator").unwrap().trust_policy.policy);
    assert_eq!(operator.accounts, ["222222222222"]);
    assert!(!operator.requires_mfa);
}

#[test]
fn the_grant_policy_allows_assume_role_on_the_role_only() {
    let text = grant_switch_policy(" arn:aws:iam::222222222222:role/AccessToProdBilling ").unwrap();
    let doc = PolicyDoc::parse(&text).unwrap();
    doc.policy.check_identity_policy().unwrap();
    assert!(text.contains("\"Resource\": \"arn:aws:iam::222222222222:role/AccessToProdBilling\""));
    assert!(grant_switch_policy("arn:aws:iam::222222222222:user/David").is_err());
    assert!(grant_switch_policy("not an arn").is_err());
}

/// The walk-through of issue 13 on the engine: ProdAdmin's role for Billing, CorpAdmin's grant
/// to Developers; David switches with MFA and reads Billing, not GameScores; Maria may not.
#[test]
fn the_administrators_walk_through_on_the_engine() {
    use crate::ops::Presented;
    use rand_chacha::rand_core::SeedableRng;
    let mut world = demo_world();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let now = crate::clock::Timestamp(1_796_040_000);
    let key = |id: &'static str, secret: &'static str| Presented {
        access_key_id: id,
        secret: Some(secret),
        session_token: None,
        origin: None,
    };
    let prod_admin = key(
        "AKIAEXAMPLEPRODADMIN",
        "Pr0dAdm1nSecretKeyExample/ForDemoOnly000",
    );
    let corp_admin = key(
        "AKIAEXAMPLECORPADMIN",
        "C0rpAdm1nSecretKeyExample/ForDemoOnly000",
    );
    let plan = billing_draft().check("222222222222", "us-west-2").unwrap();
    world
        .iam_create_role(
            &mut rng,
            prod_admin,
            crate::ops::iam::NewRole {
                name: plan.name.to_string(),
                path: None,
                trust_policy: plan.trust_policy.clone(),
                description: None,
                max_session_duration: Some(plan.max_session_duration),
            },
            now,
        )
        .unwrap();
    world
        .iam_put_role_policy(
            prod_admin,
            plan.name.as_str(),
            &plan.permission_policy_name,
            &plan.permission_policy,
            now,
        )
        .unwrap();
    let grant = grant_switch_policy(&plan.arn).unwrap();
    world
        .iam_put_group_policy(corp_admin, "Developers", "SwitchToProdBilling", &grant, now)
        .unwrap();

    let david = crate::demo::DAVID;
    let code = crate::totp::Totp::from_base32(crate::demo::DAVID_MFA_SEED)
        .unwrap()
        .code_at(now);
    let issued = world
        .sts_assume_role(
            &mut rng,
            key(david.access_key_id, david.secret_access_key),
            &crate::wire::AssumeRole {
                role_arn: plan.arn.clone(),
                role_session_name: "David".into(),
                serial_number: Some(crate::demo::DAVID_MFA_SERIAL.into()),
                token_code: Some(code),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let role = Presented {
        access_key_id: &issued.credentials.access_key_id,
        secret: Some(issued.credentials.secret_access_key.expose()),
        session_token: Some(issued.credentials.session_token.expose()),
        origin: None,
    };
    assert!(world.dynamodb_scan(role, "Billing", now).is_ok());
    assert!(world.dynamodb_scan(role, "GameScores", now).is_err());
    let maria = key(
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    );
    assert!(world.sts_may_assume_role(maria, &plan.arn, now).is_err());
}
