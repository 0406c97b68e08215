use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::ops::tests::{assume, policy_of_size};
use crate::world::{demo_world, Credentials};

const NOW: Timestamp = Timestamp(1_796_040_000);
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}}"#;

fn creds(c: &Credentials) -> Presented<'_> {
    Presented {
        access_key_id: &c.access_key_id,
        secret: Some(c.secret_access_key.expose()),
        session_token: Some(c.session_token.expose()),
        origin: None,
    }
}

fn signed_in(world: &mut World, account: &str, user: &str, password: &str) -> Credentials {
    // A seed per user: equal seeds would give two users the same access key id.
    let mut rng = ChaCha8Rng::seed_from_u64(user.bytes().map(u64::from).sum());
    world
        .console_sign_in(&mut rng, account, user, password, None, NOW)
        .unwrap()
        .credentials
}

fn admin(world: &mut World) -> Credentials {
    signed_in(world, "example-prod", "ProdAdmin", "prodadmin-Pa55word!")
}

fn david(world: &mut World) -> Credentials {
    signed_in(world, "example-corp", "David", "david-Pa55word!")
}

fn new_role(name: &str) -> NewRole {
    NewRole {
        name: name.into(),
        path: None,
        trust_policy: TRUST.into(),
        description: Some("Reads the Players table.".into()),
        max_session_duration: None,
    }
}

#[test]
fn an_admin_creates_and_manages_a_role() {
    let mut w = demo_world();
    let prod = admin(&mut w);
    let info = w
        .iam_create_role(
            &mut ChaCha8Rng::seed_from_u64(3),
            creds(&prod),
            new_role("PlayersReader"),
            NOW,
        )
        .unwrap();
    assert_eq!(info.arn, "arn:aws:iam::222222222222:role/PlayersReader");
    assert!(info.role_id.starts_with("AROA"));
    let e = w
        .iam_create_role(
            &mut ChaCha8Rng::seed_from_u64(3),
            creds(&prod),
            new_role("playersreader"),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::EntityAlreadyExists);
    w.iam_put_role_policy(
        creds(&prod),
        "PlayersReader",
        "PlayersRead",
        r#"{"Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:us-west-2:222222222222:table/Players"}}"#,
        NOW,
    )
    .unwrap();
    assert_eq!(
        w.iam_list_role_policies(creds(&prod), "PlayersReader", NOW)
            .unwrap(),
        ["PlayersRead"]
    );
    assert_eq!(
        w.iam_get_role(creds(&prod), "PlayersReader", NOW)
            .unwrap()
            .trust_policy["Statement"]["Principal"]["AWS"],
        "111111111111"
    );
    let names: Vec<String> = w
        .iam_list_roles(creds(&prod), NOW)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(
        names,
        ["AccessToProdDynamoDB", "PlayersReader", "ProdOperator"]
    );
    assert_eq!(
        w.iam_list_account_aliases(creds(&prod), NOW).unwrap(),
        ["example-prod"]
    );

    // David's group may only assume the two demo roles: the new role is still refused.
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let david = david(&mut w);
    let e = w
        .sts_assume_role(
            &mut rng,
            creds(&david),
            &assume(&info.arn, "David", None),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);

    // And it survives a save and load of the world (the emulator's --state).
    let again = World::from_json(&w.to_json()).unwrap();
    assert!(again
        .account(&AccountId::parse("222222222222").unwrap())
        .unwrap()
        .role("PlayersReader")
        .is_some());

    let e = w
        .iam_delete_role(creds(&prod), "PlayersReader", NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::DeleteConflict);
}

#[test]
fn users_and_groups() {
    let mut w = demo_world();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let corp = signed_in(&mut w, "example-corp", "CorpAdmin", "corpadmin-Pa55word!");
    let me = w.iam_get_user(creds(&corp), None, NOW).unwrap();
    assert_eq!(me.arn, "arn:aws:iam::111111111111:user/CorpAdmin");
    assert!(me.user_id.starts_with("AIDA"));
    let david_info = w.iam_get_user(creds(&corp), Some("David"), NOW).unwrap();
    assert_eq!(david_info.name, "David");
    assert_eq!(
        w.iam_get_user(creds(&corp), Some("Nobody"), NOW)
            .unwrap_err()
            .code,
        ErrorCode::NoSuchEntity
    );
    let groups = w.iam_list_groups(creds(&corp), NOW).unwrap();
    assert_eq!(groups[0].arn, "arn:aws:iam::111111111111:group/Developers");
    assert!(groups[0].group_id.starts_with("AGPA"));

    // David may not read IAM, not even himself (IAM asks for iam:GetUser on oneself too).
    let code = w
        .account(&AccountId::parse("111111111111").unwrap())
        .and_then(|a| a.user("David"))
        .and_then(|u| u.mfa.as_ref())
        .unwrap()
        .totp()
        .code_at(NOW);
    let david = w
        .console_sign_in(
            &mut rng,
            "example-corp",
            "David",
            "david-Pa55word!",
            Some(&code),
            NOW,
        )
        .unwrap()
        .credentials;
    let e = w.iam_get_user(creds(&david), None, NOW).unwrap_err();
    assert!(e.message.contains("iam:GetUser"), "{}", e.message);

    // An admin takes away the Developers' switch to prod: David is refused from then on.
    let before = w.sts_assume_role(
        &mut rng,
        creds(&david),
        &assume(
            "arn:aws:iam::222222222222:role/AccessToProdDynamoDB",
            "David",
            None,
        ),
        NOW,
    );
    assert!(before.is_ok(), "{before:?}");
    let deny = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}}"#;
    w.iam_put_group_policy(creds(&corp), "Developers", "NoSwitching", deny, NOW)
        .unwrap();
    assert_eq!(
        w.iam_get_group_policy(creds(&corp), "Developers", "NoSwitching", NOW)
            .unwrap()["Statement"]["Effect"],
        "Deny"
    );
    let after = w
        .sts_assume_role(
            &mut rng,
            creds(&david),
            &assume(
                "arn:aws:iam::222222222222:role/AccessToProdDynamoDB",
                "David",
                None,
            ),
            NOW,
        )
        .unwrap_err();
    assert!(matches!(
        after.denial,
        Some(crate::ops::Denial::ExplicitDeny { .. })
    ));
    assert_eq!(
        w.iam_put_group_policy(creds(&corp), "Nope", "P", deny, NOW)
            .unwrap_err()
            .code,
        ErrorCode::NoSuchEntity
    );
    assert_eq!(
        w.iam_put_group_policy(creds(&david), "Developers", "P", deny, NOW)
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
}

#[test]
fn iam_is_authorised_and_validated() {
    let mut w = demo_world();
    let david = david(&mut w);
    let e = w
        .iam_create_role(
            &mut ChaCha8Rng::seed_from_u64(3),
            creds(&david),
            new_role("Sneaky"),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(e.message.contains("iam:CreateRole"), "{}", e.message);
    let prod = admin(&mut w);
    let mut bad = new_role("Broken");
    bad.trust_policy = r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#.into();
    assert_eq!(
        w.iam_create_role(&mut ChaCha8Rng::seed_from_u64(3), creds(&prod), bad, NOW)
            .unwrap_err()
            .code,
        ErrorCode::MalformedPolicyDocument
    );
    let mut bad = new_role("bad name");
    bad.trust_policy = TRUST.into();
    assert_eq!(
        w.iam_create_role(&mut ChaCha8Rng::seed_from_u64(3), creds(&prod), bad, NOW)
            .unwrap_err()
            .code,
        ErrorCode::ValidationError
    );
    assert_eq!(
        w.iam_get_role(creds(&prod), "Nope", NOW).unwrap_err().code,
        ErrorCode::NoSuchEntity
    );
    assert_eq!(
        w.iam_update_assume_role_policy(creds(&prod), "ProdOperator", "{", NOW)
            .unwrap_err()
            .code,
        ErrorCode::MalformedPolicyDocument
    );
    w.iam_update_assume_role_policy(creds(&prod), "ProdOperator", TRUST, NOW)
        .unwrap();
    // The demo organization's SCP protects the switch role, even from ProdAdmin.
    let e = w
        .iam_update_assume_role_policy(creds(&prod), "AccessToProdDynamoDB", TRUST, NOW)
        .unwrap_err();
    assert!(
        e.message.contains("service control policy"),
        "{}",
        e.message
    );
    assert_eq!(
        w.iam_get_role_policy(creds(&prod), "AccessToProdDynamoDB", "Nope", NOW)
            .unwrap_err()
            .code,
        ErrorCode::NoSuchEntity
    );
    assert!(w
        .iam_get_role_policy(
            creds(&prod),
            "AccessToProdDynamoDB",
            "GameScoresFullAccess",
            NOW
        )
        .is_ok());
    w.iam_create_role(
        &mut ChaCha8Rng::seed_from_u64(3),
        creds(&prod),
        new_role("Empty"),
        NOW,
    )
    .unwrap();
    w.iam_delete_role(creds(&prod), "Empty", NOW).unwrap();
    assert_eq!(
        w.iam_get_role(creds(&prod), "Empty", NOW).unwrap_err().code,
        ErrorCode::NoSuchEntity
    );
}

/// IAM authorises actions on a role against its full ARN, path included (IAM User Guide, "IAM
/// identifiers", "IAM ARNs"): ProdOps's policy on `role/ops/*` covers `/ops/ProdOperator` and
/// not a role at the root path, and its Deny by path wins over its Allow.
#[test]
fn role_actions_are_authorised_by_the_role_s_path() {
    let mut w = demo_world();
    let ops = Presented {
        access_key_id: "AKIAEXAMPLEPRODOPS01",
        secret: Some("Pr0dOpsSecretKeyExample/ForDemoOnly00000"),
        session_token: None,
        origin: None,
    };
    let role = w.iam_get_role(ops, "ProdOperator", NOW).unwrap();
    assert_eq!(role.arn, "arn:aws:iam::222222222222:role/ops/ProdOperator");
    assert_eq!(
        w.iam_list_role_policies(ops, "ProdOperator", NOW).unwrap(),
        ["GameScoresReadOnly"]
    );
    let denied = w
        .iam_get_role(ops, "AccessToProdDynamoDB", NOW)
        .unwrap_err();
    assert_eq!(denied.code, ErrorCode::AccessDenied);
    let denied = w.iam_delete_role(ops, "ProdOperator", NOW).unwrap_err();
    assert!(
        matches!(denied.denial, Some(crate::ops::Denial::ExplicitDeny { .. })),
        "{denied:?}"
    );
    assert!(
        denied.message.contains("role/ops/ProdOperator"),
        "{}",
        denied.message
    );
}

/// IAM User Guide, "IAM identifiers", unique identifiers: a role deleted and created again
/// under the same name gets a new unique id, and sessions of the old role never get the new
/// role's permissions (`aws:userid` names the old id).
#[test]
fn sessions_are_bound_to_the_role_s_unique_id() {
    let mut w = demo_world();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let prod = admin(&mut w);
    let mut trust_own_account = new_role("Recreated");
    trust_own_account.trust_policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole"}}"#.into();
    let scan = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#;
    let first = w
        .iam_create_role(&mut rng, creds(&prod), trust_own_account.clone(), NOW)
        .unwrap();
    w.iam_put_role_policy(creds(&prod), "Recreated", "Scan", scan, NOW)
        .unwrap();
    let old = w
        .sts_assume_role(
            &mut rng,
            creds(&prod),
            &assume(&first.arn, "old", None),
            NOW,
        )
        .unwrap();
    assert_eq!(old.unique_id, format!("{}:old", first.role_id));
    assert!(w
        .dynamodb_scan(creds(&old.credentials), "GameScores", NOW)
        .is_ok());

    w.iam_delete_role_policy(creds(&prod), "Recreated", "Scan", NOW)
        .unwrap();
    w.iam_delete_role(creds(&prod), "Recreated", NOW).unwrap();
    let second = w
        .iam_create_role(&mut rng, creds(&prod), trust_own_account, NOW)
        .unwrap();
    w.iam_put_role_policy(creds(&prod), "Recreated", "Scan", scan, NOW)
        .unwrap();
    assert_eq!(first.arn, second.arn);
    assert_ne!(first.role_id, second.role_id, "another role");
    let e = w
        .dynamodb_scan(creds(&old.credentials), "GameScores", NOW)
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::AccessDenied,
        "the old session is not revived"
    );
    let me = w
        .sts_get_caller_identity(creds(&old.credentials), NOW)
        .unwrap();
    assert_eq!(me.user_id, format!("{}:old", first.role_id));
    let new = w
        .sts_assume_role(
            &mut rng,
            creds(&prod),
            &assume(&second.arn, "new", None),
            NOW,
        )
        .unwrap();
    assert!(w
        .dynamodb_scan(creds(&new.credentials), "GameScores", NOW)
        .is_ok());
    assert_eq!(
        w.iam_delete_role_policy(creds(&prod), "Recreated", "Missing", NOW)
            .unwrap_err()
            .code,
        ErrorCode::NoSuchEntity
    );
}

/// IAM User Guide, "AWS JSON policy elements: NotPrincipal" (not in role trust policies) and
/// "Principal" (IAM refuses a principal that does not exist when the policy is written).
#[test]
fn trust_policies_refuse_not_principal_and_missing_principals() {
    let mut w = demo_world();
    let prod = admin(&mut w);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for (trust, fragment) in [
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/David"},"Action":"sts:AssumeRole"}}"#,
            "NotPrincipal",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/Nobody"},"Action":"sts:AssumeRole"}}"#,
            "Invalid principal",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Ghost"},"Action":"sts:AssumeRole"}}"#,
            "Invalid principal",
        ),
    ] {
        let mut role = new_role("Checked");
        role.trust_policy = trust.into();
        let e = w
            .iam_create_role(&mut rng, creds(&prod), role, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedPolicyDocument, "{trust}");
        assert!(e.message.contains(fragment), "{}", e.message);
        let e = w
            .iam_update_assume_role_policy(creds(&prod), "ProdOperator", trust, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedPolicyDocument, "{trust}");
    }
    // Existing users and roles, and accounts the world does not hold, are accepted.
    let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:user/David","arn:aws:iam::222222222222:role/ops/ProdOperator","arn:aws:iam::999999999999:user/Partner"]},"Action":"sts:AssumeRole"}}"#;
    w.iam_update_assume_role_policy(creds(&prod), "ProdOperator", trust, NOW)
        .unwrap();
}

/// IAM User Guide, "IAM JSON policy elements: Sid": letters and digits only, unique in a policy.
#[test]
fn statement_ids_are_alphanumeric_and_unique() {
    let mut w = demo_world();
    let prod = admin(&mut w);
    for sid_pair in [r#""Sid":"has-dash""#, r#""Sid":"Same""#] {
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{{sid_pair},"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}},{{"Sid":"Same","Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}}]}}"#
        );
        let e = w
            .iam_put_role_policy(creds(&prod), "ProdOperator", "P", &doc, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedPolicyDocument, "{doc}");
    }
    let ok = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Scan1","Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}]}"#;
    w.iam_put_role_policy(creds(&prod), "ProdOperator", "P", ok, NOW)
        .unwrap();
}

/// IAM and AWS STS quotas: a trust policy of 2,048 characters, and inline policies up to the
/// quota in all, are allowed; one character more is `LimitExceeded`. A policy being replaced
/// does not count twice.
#[test]
fn sizes_at_the_quota_are_allowed_and_one_more_is_not() {
    let trust = |size: usize| {
        policy_of_size(
            r#""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole""#,
            size,
        )
    };
    let at = trust(TRUST_POLICY_MAX);
    assert_eq!(policy_size(&at), TRUST_POLICY_MAX);
    assert!(trust_document(&at).is_ok());
    let over = trust_document(&trust(TRUST_POLICY_MAX + 1));
    assert_eq!(over.unwrap_err().code, ErrorCode::LimitExceeded);

    let old = PolicyDoc::parse(&trust(300)).unwrap();
    let others = [("p".to_owned(), old)];
    let sized = trust(1000);
    let within = |name: &str, max: usize| {
        within_inline_quota(
            others.iter().map(|(n, d)| (n, d)),
            name,
            &sized,
            max,
            "role R",
        )
    };
    assert!(within("p", 1000).is_ok(), "replacing p");
    assert_eq!(within("p", 999).unwrap_err().code, ErrorCode::LimitExceeded);
    let both = 1000 + policy_size(others[0].1.text());
    assert!(within("q", both).is_ok());
    assert_eq!(
        within("q", both - 1).unwrap_err().code,
        ErrorCode::LimitExceeded
    );
}

/// IAM authorises ListRoles on `role/*`, and an action on a role that does not exist on the
/// ARN it would have (IAM Service Authorization Reference: ListRoles' resource is the role
/// type); the refusal names that resource.
#[test]
fn role_actions_are_refused_on_the_role_s_arn() {
    let mut world = demo_world();
    let d = david(&mut world);
    let list = world.iam_list_roles(creds(&d), NOW).unwrap_err();
    assert!(
        list.message
            .contains("on resource: arn:aws:iam::111111111111:role/* "),
        "{}",
        list.message
    );
    let get = world.iam_get_role(creds(&d), "Nope", NOW).unwrap_err();
    assert!(
        get.message
            .contains("on resource: arn:aws:iam::111111111111:role/Nope "),
        "{}",
        get.message
    );
}
