//! The administrator's documents, and that the engine decides with them as the administrator's
//! walk-through expects.

use std::future::Future;

use super::*;
use crate::world::{demo_world, PolicyDoc};

pub(super) fn billing_draft() -> RoleDraft {
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

/// `"Resource": "*"` blocks the permissions step until the administrator consents ("Apply
/// to every resource"); then it is a warning the review repeats.
#[test]
fn a_resource_of_every_table_needs_consent_then_is_a_warning() {
    let mut draft = billing_draft();
    draft.tables.clear();
    let problems = draft.check("222222222222", "us-west-2").unwrap_err();
    assert!(problems
        .of(DraftField::Tables)
        .unwrap()
        .contains("every table"));
    assert!(problems.blocks(WizardStep::Permissions));
    assert!(!problems.blocks(WizardStep::Role), "the first step is fine");
    draft.every_resource = true;
    let plan = draft.check("222222222222", "us-west-2").unwrap();
    assert_eq!(plan.warnings, [Warning::EveryResource]);
    // The review shows it as a sentence that says what to do about it.
    let shown = plan.warnings[0].to_string();
    assert!(
        shown.contains("every resource") && shown.contains("choose the tables"),
        "{shown}"
    );

    draft.every_resource = false;
    draft.permissions = Permissions::Custom(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#.into(),
    );
    let problems = draft.check("222222222222", "us-west-2").unwrap_err();
    assert!(problems
        .of(DraftField::PolicyJson)
        .unwrap()
        .contains("every resource"));
    draft.every_resource = true;
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

/// Actions that take no resource (Service Authorization Reference, DynamoDB: ListTables has no
/// resource type) are allowed on `"*"` without a warning: the read-only template edited as a
/// custom policy stays narrow.
#[test]
fn list_tables_on_every_resource_is_not_a_wildcard() {
    let mut draft = billing_draft();
    let template = draft.check("222222222222", "us-west-2").unwrap();
    draft.permissions = Permissions::Custom(template.permission_policy.clone());
    let plan = draft.check("222222222222", "us-west-2").unwrap();
    assert!(plan.warnings.is_empty());
    assert_eq!(plan.permission_policy, template.permission_policy);
}

#[test]
fn each_field_belongs_to_a_step_and_blocks_from_there() {
    let draft = RoleDraft {
        trusted_account: "12".into(),
        tables: vec!["Billing".into()],
        ..RoleDraft::default()
    };
    let problems = draft.check("222222222222", "us-west-2").unwrap_err();
    assert_eq!(
        problems.0.iter().map(|(f, _)| f.step()).collect::<Vec<_>>(),
        [WizardStep::Role, WizardStep::Role],
        "{problems:?}"
    );
    assert!(problems.blocks(WizardStep::Role));
    assert_eq!(WizardStep::Role.next(), WizardStep::Permissions);
    assert_eq!(WizardStep::Permissions.next(), WizardStep::Review);
    assert_eq!(WizardStep::Review.back(), WizardStep::Permissions);
    assert_eq!(WizardStep::Permissions.back(), WizardStep::Role);
}

/// IAM's CreateRole: "Role names must be unique within the account. Role names are not
/// distinguished by case" (IAM API Reference, CreateRole, RoleName).
#[test]
fn a_name_taken_in_any_case_is_a_problem_of_the_first_step() {
    let mut draft = billing_draft();
    draft.name = "accesstoproddynamodb".into();
    let existing = ["ProdAdmin".to_owned(), "AccessToProdDynamoDB".to_owned()];
    let problems = draft
        .check_among("222222222222", "us-west-2", &existing)
        .unwrap_err();
    assert!(problems
        .of(DraftField::Name)
        .unwrap()
        .contains("AccessToProdDynamoDB already exists"));
    assert!(problems.blocks(WizardStep::Role));
    // The draft's other problems stay beside the name's, which is said once.
    let mut also_bad = draft.clone();
    also_bad.trusted_account = "1234".into();
    let problems = also_bad
        .check_among("222222222222", "us-west-2", &existing)
        .unwrap_err();
    assert!(
        problems.of(DraftField::TrustedAccount).is_some(),
        "{problems:?}"
    );
    let names = problems.0.iter().filter(|(f, _)| *f == DraftField::Name);
    assert_eq!(names.count(), 1, "{problems:?}");
    draft.name = "AccessToProdBilling".into();
    assert!(draft
        .check_among("222222222222", "us-west-2", &existing)
        .is_ok());
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

/// IAM User Guide, "Configuring MFA-protected API access": a trust policy requires MFA when
/// every Allow asks `Bool` `aws:MultiFactorAuthPresent` true, or bounds
/// `aws:MultiFactorAuthAge`, without `IfExists` (which lets a request without the key through).
#[test]
fn a_trust_policy_requires_mfa_only_when_every_allow_asks_for_it() {
    let requires_mfa = |condition: &str| {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"111111111111"}},"Action":"sts:AssumeRole","Condition":{condition}}}}}"#
        );
        summarise_trust(&PolicyDoc::parse(&text).unwrap().policy).requires_mfa
    };
    for (condition, expected) in [
        (r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#, true),
        (
            r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#,
            true,
        ),
        (r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#, false),
        (
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}"#,
            false,
        ),
        (
            r#"{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}"#,
            false,
        ),
        (r#"{"Bool":{"aws:SecureTransport":"true"}}"#, false),
        (
            r#"{"Bool":{"aws:SecureTransport":"true"},"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}"#,
            false,
        ),
    ] {
        assert_eq!(requires_mfa(condition), expected, "{condition}");
    }
}

#[test]
fn a_policy_owner_is_named_in_a_sentence_by_kind_and_name() {
    assert_eq!(PolicyOwner::Role("Admin".into()).described(), "role Admin");
    assert_eq!(
        PolicyOwner::Group("Developers".into()).described(),
        "group Developers"
    );
}

#[test]
fn the_grant_policy_allows_assume_role_on_the_role_only() {
    let text = grant_switch_policy(" arn:aws:iam::222222222222:role/AccessToProdBilling ").unwrap();
    let doc = PolicyDoc::parse(&text).unwrap();
    doc.policy.check_identity_policy().unwrap();
    assert!(text.contains("\"Resource\": \"arn:aws:iam::222222222222:role/AccessToProdBilling\""));
    assert!(grant_switch_policy("arn:aws:iam::222222222222:user/David").is_err());
    assert!(grant_switch_policy("not an arn").is_err());
    let IamRequest::PutGroupPolicy {
        group,
        name,
        document,
    } = grant_request(
        "Developers",
        "arn:aws:iam::222222222222:role/ops/ProdOperator",
    )
    .unwrap()
    else {
        panic!("a PutGroupPolicy");
    };
    assert_eq!(
        (group.as_str(), name.as_str()),
        ("Developers", "SwitchToProdOperatorIn222222222222")
    );
    assert!(document.contains("role/ops/ProdOperator"));
    assert_eq!(
        grant_request("Developers", "arn:aws:iam::222222222222:user/David").unwrap_err().to_string(),
        "\"arn:aws:iam::222222222222:user/David\" is not a role ARN (arn:aws:iam::123456789012:role/Name)"
    );
}

/// The administrator's walk-through on the engine: ProdAdmin's role for Billing, CorpAdmin's grant
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
            &crate::ops::AssumeRole {
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

/// ProdAdmin's access key, as the demo world gives it.
fn prod_admin() -> crate::ops::Presented<'static> {
    crate::ops::Presented {
        access_key_id: "AKIAEXAMPLEPRODADMIN",
        secret: Some("Pr0dAdm1nSecretKeyExample/ForDemoOnly000"),
        session_token: None,
        origin: None,
    }
}

/// Runs `plan.create` on the demo world as ProdAdmin, through IAM's service (as the mock and
/// the emulator answer), failing the calls whose action `fail` names.
fn create_on_engine(
    world: &mut crate::world::World,
    plan: &RolePlan,
    fail: &[&str],
) -> (Result<(), CreateFailure<String>>, Vec<String>) {
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let now = crate::clock::Timestamp(1_796_040_000);
    let calls = std::cell::RefCell::new(Vec::new());
    let future = plan.create(|request: IamRequest| {
        let action = request.params().0.to_owned();
        calls.borrow_mut().push(action.clone());
        let result = if fail.contains(&action.as_str()) {
            Err(format!("{action} failed (injected)"))
        } else {
            crate::endpoint::iam(world, &mut rng, prod_admin(), request, now, "test")
                .map(drop)
                .map_err(|e| e.to_string())
        };
        std::future::ready(result)
    });
    // Every call is answered at once, so one poll finishes it.
    let result = match std::pin::pin!(future)
        .as_mut()
        .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => panic!("the calls are ready at once"),
    };
    (result, calls.into_inner())
}

fn role_exists(world: &crate::world::World, name: &str) -> bool {
    world
        .account(&"222222222222".parse().unwrap())
        .unwrap()
        .role(name)
        .is_some()
}

#[test]
fn creating_a_role_is_create_role_then_put_role_policy() {
    let mut world = demo_world();
    let plan = billing_draft().check("222222222222", "us-west-2").unwrap();
    let (result, calls) = create_on_engine(&mut world, &plan, &[]);
    result.unwrap();
    assert_eq!(calls, ["CreateRole", "PutRolePolicy"]);
    let prod = world.account(&"222222222222".parse().unwrap()).unwrap();
    let role = prod.role("AccessToProdBilling").unwrap();
    assert!(role
        .policies
        .get("AccessToProdBillingPermissions")
        .is_some());
    // A second time the name is taken: nothing else is sent.
    let (result, calls) = create_on_engine(&mut world, &plan, &[]);
    assert!(
        matches!(result, Err(CreateFailure::NotCreated(ref e)) if e.contains("already exists"))
    );
    assert_eq!(calls, ["CreateRole"]);
}

/// A failure injected between CreateRole and PutRolePolicy leaves no half-made role.
#[test]
fn a_failed_put_role_policy_is_rolled_back() {
    let mut world = demo_world();
    let plan = billing_draft().check("222222222222", "us-west-2").unwrap();
    let (result, calls) = create_on_engine(&mut world, &plan, &["PutRolePolicy"]);
    let failure = result.unwrap_err();
    assert!(matches!(failure, CreateFailure::RolledBack(_)));
    assert!(failure.to_string().contains("nothing was left half-made"));
    assert_eq!(calls, ["CreateRole", "PutRolePolicy", "DeleteRole"]);
    assert!(!role_exists(&world, "AccessToProdBilling"));
    // Nothing stands in the way of trying again.
    let (result, _) = create_on_engine(&mut world, &plan, &[]);
    result.unwrap();
}

/// When the rollback fails too, the role is reported half-made, and sending the permissions
/// again finishes it.
#[test]
fn a_failed_rollback_is_reported_and_the_retry_finishes_the_role() {
    let mut world = demo_world();
    let plan = billing_draft().check("222222222222", "us-west-2").unwrap();
    let (result, _) = create_on_engine(&mut world, &plan, &["PutRolePolicy", "DeleteRole"]);
    let failure = result.unwrap_err();
    assert!(matches!(failure, CreateFailure::HalfMade { .. }));
    assert!(failure.to_string().contains("Retry"));
    assert!(role_exists(&world, "AccessToProdBilling"));
    let retry = plan.permissions_request();
    assert_eq!(retry.params().0, "PutRolePolicy");
    use rand_chacha::rand_core::SeedableRng;
    crate::endpoint::iam(
        &mut world,
        &mut rand_chacha::ChaCha8Rng::seed_from_u64(8),
        prod_admin(),
        retry,
        crate::clock::Timestamp(1_796_040_000),
        "test",
    )
    .unwrap();
    let prod = world.account(&"222222222222".parse().unwrap()).unwrap();
    assert!(prod
        .role("AccessToProdBilling")
        .unwrap()
        .policies
        .get("AccessToProdBillingPermissions")
        .is_some());
}

const CORP_ADMIN: crate::ops::Presented<'static> = crate::ops::Presented {
    access_key_id: "AKIAEXAMPLECORPADMIN",
    secret: Some("C0rpAdm1nSecretKeyExample/ForDemoOnly000"),
    session_token: None,
    origin: None,
};

const PROD_SWITCH: &str = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB";
const SENSITIVE: &str = "arn:aws:iam::111111111111:role/SensitiveDataAccess";

/// The access map of example-corp on the demo world: the roles that trust the account, and
/// for each user the decision AssumeRole would make (IAM User Guide, "Cross-account policy
/// evaluation logic": the identity policy and the trust policy must both allow).
#[test]
fn the_access_map_decides_as_assume_role_would() {
    use crate::ops::access::Access;
    let world = demo_world();
    let now = crate::clock::Timestamp(1_796_040_000);
    let map = world.iam_switch_access(CORP_ADMIN, None, now).unwrap();
    assert_eq!(
        map.roles,
        [SENSITIVE, PROD_SWITCH],
        "roles that trust 111111111111"
    );
    let users: Vec<&str> = map.rows.iter().map(|r| r.user.as_str()).collect();
    assert_eq!(users, ["CorpAdmin", "David", "Maria"]);
    assert_eq!(
        map.cell("David", PROD_SWITCH),
        Some(&Access::AllowedWithMfa)
    );
    assert_eq!(map.cell("David", SENSITIVE), Some(&Access::AllowedWithMfa));
    let maria = map.cell("Maria", PROD_SWITCH).unwrap();
    assert_eq!(maria.label(), "Denied");
    assert_eq!(
        maria.reason(),
        format!("No identity policy allows sts:AssumeRole on {PROD_SWITCH}.")
    );
    // CorpAdmin may (Allow * on *) but has no MFA device: the trust policy's MFA condition
    // can never hold for it.
    assert!(map
        .cell("CorpAdmin", PROD_SWITCH)
        .unwrap()
        .reason()
        .contains("CorpAdmin has no MFA device"));
    assert_eq!(map.rows[1].groups, ["Developers"]);

    // The group's row is what membership alone grants: Developers' policies allow both roles
    // (with MFA, as their trust policies ask).
    let groups: Vec<(&str, &[String])> = map
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.members.as_slice()))
        .collect();
    assert_eq!(groups, [("Developers", &["David".to_owned()][..])]);
    assert_eq!(
        map.group_cell("Developers", PROD_SWITCH),
        Some(&Access::AllowedWithMfa)
    );
    assert_eq!(
        map.group_cell("Developers", SENSITIVE),
        Some(&Access::AllowedWithMfa)
    );
    assert_eq!(
        map.group_cell("David", PROD_SWITCH),
        None,
        "David is a user"
    );

    // ProdAdmin's account: only ProdOperator trusts it, and ProdAdmin may switch without MFA.
    let prod = world.iam_switch_access(prod_admin(), None, now).unwrap();
    assert_eq!(
        prod.roles,
        ["arn:aws:iam::222222222222:role/ops/ProdOperator"]
    );
    assert_eq!(
        prod.cell(
            "ProdAdmin",
            "arn:aws:iam::222222222222:role/ops/ProdOperator"
        ),
        Some(&Access::Allowed)
    );
    // Maria may not ask (no iam:SimulatePrincipalPolicy).
    let maria_key = crate::ops::Presented {
        access_key_id: "AKIAI44QH8DHBEXAMPLE",
        secret: Some("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
        session_token: None,
        origin: None,
    };
    assert_eq!(
        world
            .iam_switch_access(maria_key, None, now)
            .unwrap_err()
            .code,
        crate::fault::ErrorCode::AccessDenied
    );
}

/// A trust policy that names a user rather than the account allows that user, never a group's
/// member as such: a group cannot be a principal (IAM User Guide, "IAM user groups": "A user
/// group can't be identified as a Principal in a resource-based policy"). The stand-in member
/// the group's row is decided for never takes another user's place, whatever its name.
#[test]
fn a_group_row_is_denied_a_role_that_trusts_named_users_only() {
    use crate::ops::access::{Access, WhatIf};
    let world = demo_world();
    let now = crate::clock::Timestamp(1_796_040_000);
    let only_david = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/David"},"Action":"sts:AssumeRole"}]}"#;
    let change = WhatIf::TrustPolicy {
        role_arn: PROD_SWITCH.into(),
        document: only_david.into(),
    };
    let map = world
        .iam_switch_access(CORP_ADMIN, Some(&change), now)
        .unwrap();
    assert_eq!(map.cell("David", PROD_SWITCH), Some(&Access::Allowed));
    let group = map.group_cell("Developers", PROD_SWITCH).unwrap();
    assert_eq!(group.label(), "Denied");
    assert!(
        group.reason().contains("a group cannot be one"),
        "{}",
        group.reason()
    );
    // A user already called like the stand-in does not change the group's row or get lost.
    let mut crowded = demo_world();
    let corp: crate::validation::AccountId = "111111111111".parse().unwrap();
    let mut taken = crowded.account(&corp).unwrap().users[0].clone();
    taken.name = crate::validation::UserName::parse("CROSSROLE-GROUP-MEMBER-0").unwrap();
    taken.groups.clear();
    taken.access_keys.clear();
    crowded
        .accounts
        .iter_mut()
        .find(|a| a.id == corp)
        .unwrap()
        .users
        .push(taken);
    let crowded_map = crowded.iam_switch_access(CORP_ADMIN, None, now).unwrap();
    let plain = world.iam_switch_access(CORP_ADMIN, None, now).unwrap();
    assert_eq!(crowded_map.groups, plain.groups);
    assert!(crowded_map
        .rows
        .iter()
        .any(|r| r.user == "CROSSROLE-GROUP-MEMBER-0"));
}

/// "What if": a draft trust policy or group policy is tried on a copy; the map says which
/// cells it would turn, and the world is untouched.
#[test]
fn what_if_shows_the_cells_a_draft_would_change() {
    use crate::ops::access::WhatIf;
    let world = demo_world();
    let now = crate::clock::Timestamp(1_796_040_000);
    let before = world.iam_switch_access(CORP_ADMIN, None, now).unwrap();

    let no_mfa = trust_document(&"111111111111".parse().unwrap(), false, None).to_string();
    let change = WhatIf::TrustPolicy {
        role_arn: PROD_SWITCH.into(),
        document: no_mfa,
    };
    let after = world
        .iam_switch_access(CORP_ADMIN, Some(&change), now)
        .unwrap();
    let labels = |changes: Vec<crate::ops::access::CellChange>| -> Vec<(String, String, &str)> {
        changes
            .into_iter()
            .map(|c| (c.holder.to_string(), c.role, c.after.label()))
            .collect()
    };
    assert_eq!(
        labels(before.changes(&after)),
        [
            ("CorpAdmin".into(), PROD_SWITCH.into(), "Allowed"),
            ("David".into(), PROD_SWITCH.into(), "Allowed"),
            ("group Developers".into(), PROD_SWITCH.into(), "Allowed"),
        ],
        "Maria's cells stay denied"
    );

    let removal = WhatIf::GroupPolicy {
        group: "Developers".into(),
        name: "AllowSwitchToProdDynamoDB".into(),
        document: None,
    };
    let after = world
        .iam_switch_access(CORP_ADMIN, Some(&removal), now)
        .unwrap();
    assert_eq!(
        labels(before.changes(&after)),
        [
            ("David".into(), PROD_SWITCH.into(), "Denied"),
            ("group Developers".into(), PROD_SWITCH.into(), "Denied"),
        ]
    );
    // An explicit deny names its statement and where it was found.
    let deny = WhatIf::UserPolicy {
        user: "David".into(),
        name: "NoSwitching".into(),
        document: Some(r#"{"Version":"2012-10-17","Statement":{"Sid":"Never","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}}"#.into()),
    };
    let after = world
        .iam_switch_access(CORP_ADMIN, Some(&deny), now)
        .unwrap();
    let reason = after.cell("David", PROD_SWITCH).unwrap().reason();
    assert!(
        reason.starts_with("Explicitly denied by user policy NoSwitching"),
        "{reason}"
    );
    assert!(
        reason.contains("\"Never\"") && reason.contains("(in an identity-based policy)"),
        "{reason}"
    );
    // The world itself did not change.
    assert_eq!(
        world.iam_switch_access(CORP_ADMIN, None, now).unwrap(),
        before
    );

    // A malformed draft is refused with where it is wrong.
    let bad = WhatIf::GroupPolicy {
        group: "Developers".into(),
        name: "Draft".into(),
        document: Some("{\"Version\": \"2012-10-17\", \"Statement\": [}".into()),
    };
    assert_eq!(
        world
            .iam_switch_access(CORP_ADMIN, Some(&bad), now)
            .unwrap_err()
            .code,
        crate::fault::ErrorCode::MalformedPolicyDocument
    );
}
