//! Every policy type in the evaluation: managed policies (customer and AWS managed),
//! permissions boundaries and service control policies, beside the inline policies.

use super::sessions::role_mut;
use super::*;
use crate::fault::ErrorCode;
use crate::world::{ManagedPolicy, NamedPolicy, OrgAccount, OrgUnit, Organization, PolicyDoc};

fn account_mut<'w>(world: &'w mut World, id: &str) -> &'w mut crate::world::Account {
    let id = crate::validation::AccountId::parse(id).unwrap();
    world.accounts.iter_mut().find(|a| a.id == id).unwrap()
}

fn managed(world: &mut World, account: &str, name: &str, document: &str) -> String {
    let a = account_mut(world, account);
    a.policies.push(ManagedPolicy {
        name: name.into(),
        path: Default::default(),
        description: None,
        document: PolicyDoc::parse(document).unwrap(),
    });
    format!("arn:aws:iam::{account}:policy/{name}")
}

impl Demo {
    fn prod_admin(&mut self) -> Credentials {
        self.sign_in("example-prod", "ProdAdmin", "prodadmin-Pa55word!", false)
    }
}

/// IAM User Guide, "Managed policies and inline policies": a managed policy attached to a
/// role, a user or a group is evaluated like an inline one, and explanations name it.
#[test]
fn managed_policies_count_like_inline_ones() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    assert!(d.scan(&role, "Players").is_err());
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB")
        .attached_policies
        .push("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess".into());
    assert!(
        d.scan(&role, "Players").is_ok(),
        "AWS managed: DynamoDB read-only"
    );

    let arn = managed(
        &mut d.world,
        "222222222222",
        "NoBilling",
        r#"{"Version":"2012-10-17","Statement":{"Sid":"NoBilling","Effect":"Deny","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/Billing"}}"#,
    );
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB")
        .attached_policies
        .push(arn);
    match d.scan(&role, "Billing").unwrap_err().denial {
        Some(Denial::ExplicitDeny { statement }) => {
            assert!(
                statement.contains("managed policy NoBilling"),
                "{statement}"
            )
        }
        other => panic!("{other:?}"),
    }

    // On a group: every member gets it.
    let arn = managed(
        &mut d.world,
        "111111111111",
        "NoSensitiveData",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/SensitiveDataAccess"}}"#,
    );
    account_mut(&mut d.world, "111111111111").groups[0]
        .attached_policies
        .push(arn);
    assert!(matches!(
        denial(d.switch(&base, SENSITIVE_ROLE)),
        Denial::ExplicitDeny { .. }
    ));
    assert!(d.switch(&base, PROD_ROLE).is_ok());
}

/// IAM User Guide, "Permissions boundaries for IAM entities": the effective permissions are
/// what both the identity policies and the boundary allow; a Deny in the boundary wins.
#[test]
fn a_permissions_boundary_caps_a_role_and_a_user() {
    let mut d = demo();
    let boundary = managed(
        &mut d.world,
        "222222222222",
        "ScanOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:Scan","dynamodb:ListTables"],"Resource":"*"},
            {"Sid":"NeverBilling","Effect":"Deny","Action":"*","Resource":"arn:aws:dynamodb:*:*:table/Billing"}]}"#,
    );
    role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB").permissions_boundary =
        Some(boundary);
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    assert!(d.scan(&role, "GameScores").is_ok(), "both allow");
    let e = d
        .world
        .dynamodb_describe_table(creds(&role), "GameScores", NOW)
        .unwrap_err();
    assert!(
        e.message
            .contains("because no permissions boundary allows the dynamodb:DescribeTable action"),
        "{}",
        e.message
    );
    // The boundary alone grants nothing: Players is not in the role's policy.
    let e = d.scan(&role, "Players").unwrap_err();
    assert!(
        e.message.contains("no identity-based policy"),
        "{}",
        e.message
    );
    let e = d.scan(&role, "Billing").unwrap_err();
    assert!(
        e.message
            .contains("explicit deny in a permissions boundary"),
        "{}",
        e.message
    );

    // A user's boundary limits what the user may switch to.
    let only_prod = managed(
        &mut d.world,
        "111111111111",
        "OnlyProd",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::222222222222:role/*"}}"#,
    );
    account_mut(&mut d.world, "111111111111").users[0].permissions_boundary = Some(only_prod);
    assert!(d.switch(&base, PROD_ROLE).is_ok());
    assert!(matches!(
        denial(d.switch(&base, SENSITIVE_ROLE)),
        Denial::NoPermission { .. }
    ));
}

fn organization(world: &mut World) {
    world.organization = Some(Organization {
        management_account: "111111111111".parse().unwrap(),
        policies: vec![
            NamedPolicy {
                name: "NoRoleDeletion".into(),
                document: PolicyDoc::parse(
                    r#"{"Version":"2012-10-17","Statement":{"Sid":"NoRoleDeletion","Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}}"#,
                )
                .unwrap(),
            },
            NamedPolicy {
                name: "NoDescribe".into(),
                document: PolicyDoc::parse(
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"dynamodb:DescribeTable","Resource":"*"}}"#,
                )
                .unwrap(),
            },
            NamedPolicy {
                name: "DynamoDBOnly".into(),
                document: PolicyDoc::parse(
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}}"#,
                )
                .unwrap(),
            },
        ],
        root: OrgUnit {
            name: "Root".into(),
            policies: vec!["FullAWSAccess".into(), "NoRoleDeletion".into()],
            accounts: vec![OrgAccount {
                id: "111111111111".parse().unwrap(),
                policies: vec![],
            }],
            units: vec![
                OrgUnit {
                    name: "Production".into(),
                    policies: vec!["FullAWSAccess".into(), "NoDescribe".into()],
                    accounts: vec![OrgAccount {
                        id: "222222222222".parse().unwrap(),
                        policies: vec![],
                    }],
                    units: vec![],
                },
                OrgUnit {
                    name: "Sandbox".into(),
                    policies: vec!["DynamoDBOnly".into()],
                    accounts: vec![OrgAccount {
                        id: "333333333333".parse().unwrap(),
                        policies: vec![],
                    }],
                    units: vec![],
                },
            ],
        },
    });
    world.check().expect("the organization is valid");
}

/// AWS Organizations User Guide, "Service control policies" and "SCP evaluation": a Deny at
/// any level wins even over AdministratorAccess; every level must allow; the management
/// account is never restricted.
#[test]
fn service_control_policies_bound_member_accounts() {
    let mut d = demo();
    organization(&mut d.world);
    let admin = d.prod_admin();
    let e = d
        .world
        .iam_delete_role(creds(&admin), "ProdOperator", NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(
        e.message
            .contains("explicit deny in a service control policy"),
        "{}",
        e.message
    );
    assert!(
        matches!(&e.denial, Some(Denial::ExplicitDeny { statement }) if statement.contains("NoRoleDeletion at Root")),
        "{e:?}"
    );

    // The role session in production: allowed by the role, denied by the OU's SCP.
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    assert!(d.scan(&role, "GameScores").is_ok());
    let e = d
        .world
        .dynamodb_describe_table(creds(&role), "GameScores", NOW)
        .unwrap_err();
    assert!(
        e.message.contains("service control policy"),
        "{}",
        e.message
    );

    // The management account: SCPs never apply (CorpAdmin may delete its roles).
    let corp = d.sign_in("example-corp", "CorpAdmin", "corpadmin-Pa55word!", false);
    let corp_role = d
        .world
        .iam_get_role(creds(&corp), "SensitiveDataAccess", NOW);
    assert!(corp_role.is_ok());

    // Sandbox allows only DynamoDB at its level: Mallory's switch is refused there, whatever
    // her own policy says.
    let mallory = d.sign_in("333333333333", "Mallory", "mallory-Pa55word!", false);
    let e = d.switch(&mallory, PROD_ROLE).unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(
        matches!(e.denial, Some(Denial::NoPermission { .. })),
        "{e:?}"
    );
}

/// A world file names managed policies, attachments, boundaries and the organization; wrong
/// references are refused with their path.
#[test]
fn world_files_refuse_dangling_references() {
    let mut w = crate::world::demo_world();
    role_mut(&mut w, "222222222222", "ProdOperator")
        .attached_policies
        .push("arn:aws:iam::222222222222:policy/Missing".into());
    let e = w.check().unwrap_err();
    assert!(e.to_string().contains("attachedPolicies[1]"), "{e}");

    let mut w = crate::world::demo_world();
    role_mut(&mut w, "222222222222", "ProdOperator").permissions_boundary =
        Some("arn:aws:iam::aws:policy/NoSuchPolicy".into());
    assert!(w
        .check()
        .unwrap_err()
        .to_string()
        .contains("permissionsBoundary"));

    let mut w = crate::world::demo_world();
    organization(&mut w);
    w.organization.as_mut().unwrap().root.units[1].policies = vec!["Nope".into()];
    assert!(w.check().unwrap_err().to_string().contains("no SCP"));

    let mut w = crate::world::demo_world();
    organization(&mut w);
    let again = w.organization.as_ref().unwrap().root.units[0].accounts[0].clone();
    w.organization.as_mut().unwrap().root.units[1]
        .accounts
        .push(again);
    assert!(w.check().unwrap_err().to_string().contains("elsewhere"));

    // A world with all of them round-trips through its JSON.
    let mut w = crate::world::demo_world();
    organization(&mut w);
    let arn = managed(
        &mut w,
        "222222222222",
        "ScanOnly",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#,
    );
    role_mut(&mut w, "222222222222", "ProdOperator").permissions_boundary = Some(arn);
    let again = World::from_json(&w.to_json()).unwrap();
    assert_eq!(again.organization, w.organization);
    assert_eq!(again.accounts, w.accounts);
}

/// The demo world (docs/demo-world.md): ProdOperator has AmazonDynamoDBReadOnlyAccess attached
/// but a permissions boundary that allows reading GameScores only; the Production unit's SCP
/// protects the switch role even from ProdAdmin.
#[test]
fn the_demo_world_s_boundary_and_scp() {
    let mut d = demo();
    let admin = d.prod_admin();
    let operator = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&admin),
            &assume(
                "arn:aws:iam::222222222222:role/ops/ProdOperator",
                "ops",
                None,
            ),
            NOW,
        )
        .unwrap()
        .credentials;
    assert!(d.scan(&operator, "GameScores").is_ok());
    let e = d.scan(&operator, "Players").unwrap_err();
    assert!(
        e.message.contains("no permissions boundary allows"),
        "{}",
        e.message
    );
    assert_eq!(
        d.world.dynamodb_list_tables(creds(&operator), NOW).unwrap(),
        ["Billing", "GameScores", "Players"]
    );
    let e = d
        .world
        .iam_delete_role(creds(&admin), "AccessToProdDynamoDB", NOW)
        .unwrap_err();
    assert!(
        matches!(&e.denial, Some(Denial::ExplicitDeny { statement }) if statement.contains("ProtectSwitchRole at Production")),
        "{e:?}"
    );
}

/// AWS Organizations User Guide, "Service control policies": an SCP restricts a member
/// account's root user too; what it does not deny, root may do in its own account.
#[test]
fn service_control_policies_bound_a_member_account_s_root() {
    let mut d = demo();
    super::sessions::give_production_a_root(&mut d.world);
    let root = d
        .world
        .console_root_sign_in(
            &mut d.rng,
            "root@example-prod.example",
            "root-Pa55word!",
            NOW,
        )
        .unwrap()
        .credentials;
    let e = d
        .world
        .iam_delete_role(creds(&root), "AccessToProdDynamoDB", NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(
        matches!(&e.denial, Some(Denial::ExplicitDeny { statement }) if statement.contains("ProtectSwitchRole at Production")),
        "{e:?}"
    );
    assert!(
        e.message.contains("arn:aws:iam::222222222222:root")
            && e.message
                .contains("explicit deny in a service control policy"),
        "{}",
        e.message
    );
    // What the SCP does not deny, root may do, with no policy of its own.
    let r = d
        .world
        .iam_get_role(creds(&root), "AccessToProdDynamoDB", NOW);
    assert!(r.is_ok(), "{r:?}");
}

/// IAM User Guide, "Testing IAM policies with the IAM policy simulator" (SimulatePrincipalPolicy,
/// SimulateCustomPolicy): the same decision a request gets, with the statements that decided,
/// the context keys the policies read but were not given, and the boundary's and SCPs' say.
#[test]
fn the_simulator_decides_as_requests_are_decided() {
    use crate::ops::simulate::Simulation;
    let mut d = demo();
    let corp = d.sign_in("example-corp", "CorpAdmin", "corpadmin-Pa55word!", false);
    let david = "arn:aws:iam::111111111111:user/David";
    let results = d
        .world
        .iam_simulate_principal_policy(
            creds(&corp),
            david,
            &Simulation {
                actions: vec!["sts:AssumeRole".into(), "dynamodb:Scan".into()],
                resources: vec![PROD_ROLE.into()],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].decision, "allowed");
    assert_eq!(results[0].matched[0].policy_id, "AllowSwitchToProdDynamoDB");
    assert_eq!(results[0].matched[0].policy_type, "group");
    assert_eq!(
        results[0].allowed_by_organizations, None,
        "the management account"
    );
    assert_eq!(results[1].decision, "implicitDeny");
    assert!(results[1].matched.is_empty());

    // ProdOperator in production: the AWS managed policy allows Players, the boundary does not.
    let admin = d.prod_admin();
    let players = "arn:aws:dynamodb:us-west-2:222222222222:table/Players";
    let games = "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores";
    let results = d
        .world
        .iam_simulate_principal_policy(
            creds(&admin),
            "arn:aws:iam::222222222222:role/ops/ProdOperator",
            &Simulation {
                actions: vec!["dynamodb:Scan".into()],
                resources: vec![players.into(), games.into()],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(results[0].decision, "implicitDeny");
    assert_eq!(results[0].allowed_by_boundary, Some(false));
    assert!(results[0]
        .matched
        .iter()
        .any(|m| m.policy_id == "AmazonDynamoDBReadOnlyAccess" && m.policy_type == "aws-managed"));
    assert_eq!(results[0].allowed_by_organizations, Some(true));
    assert_eq!(results[1].decision, "allowed");

    // A custom policy: missing context keys are named; an explicit deny wins.
    let results = d
        .world
        .iam_simulate_custom_policy(
            creds(&admin),
            &Simulation {
                actions: vec!["sts:AssumeRole".into()],
                policies: vec![
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#.into(),
                ],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(results[0].decision, "implicitDeny");
    assert_eq!(results[0].missing_context, ["aws:MultiFactorAuthPresent"]);
    assert_eq!(results[0].resource, "*");
    let with_mfa = Simulation {
        actions: vec!["sts:AssumeRole".into()],
        context: vec![("aws:MultiFactorAuthPresent".into(), vec!["true".into()])],
        policies: vec![
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#.into(),
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:*","Resource":"arn:aws:iam::*:role/Sensitive*"}}"#.into(),
        ],
        resources: vec![PROD_ROLE.into(), SENSITIVE_ROLE.into()],
        ..Default::default()
    };
    let results = d
        .world
        .iam_simulate_custom_policy(creds(&admin), &with_mfa, NOW)
        .unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r.decision.as_ref())
            .collect::<Vec<_>>(),
        ["allowed", "explicitDeny"]
    );
    assert_eq!(results[1].matched[0].policy_id, "PolicyInputList.2");

    // Only principals of the caller's own account.
    let e = d
        .world
        .iam_simulate_principal_policy(creds(&admin), david, &with_mfa, NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
}

/// STS API Reference, DecodeAuthorizationMessage: the decoded message says whether the
/// request was allowed, whether an explicit deny decided (and by which statements), who asked
/// (id, name, ARN), for which action and resource, and the request's context keys.
#[test]
fn a_refusal_s_authorization_message_says_what_decided() {
    let mut d = demo();
    d.world.live.authorization_messages.enabled = true;
    let decoded = |e: ApiError| -> serde_json::Value {
        serde_json::from_str(&e.authorization.expect("a message").decoded).unwrap()
    };
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    let e = d
        .world
        .dynamodb_list_tables(creds(&maria), NOW)
        .unwrap_err();
    let m = decoded(e);
    assert_eq!(
        (m["allowed"].as_bool(), m["explicitDeny"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(m["matchedStatements"]["items"], serde_json::json!([]));
    let context = &m["context"];
    assert_eq!(context["action"], "dynamodb:ListTables");
    assert_eq!(context["principal"]["name"], "Maria");
    assert_eq!(
        context["principal"]["arn"],
        "arn:aws:iam::111111111111:user/Maria"
    );
    assert!(context["principal"]["id"]
        .as_str()
        .unwrap()
        .starts_with("AIDA"));
    let keys: Vec<&str> = context["conditions"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    for key in [
        "aws:CurrentTime",
        "aws:PrincipalType",
        "aws:username",
        "aws:userid",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }

    let admin = d.prod_admin();
    let e = d
        .world
        .iam_delete_role(creds(&admin), "AccessToProdDynamoDB", NOW)
        .unwrap_err();
    let m = decoded(e);
    assert_eq!(
        (m["allowed"].as_bool(), m["explicitDeny"].as_bool()),
        (Some(false), Some(true))
    );
    let statement = &m["matchedStatements"]["items"][0];
    assert_eq!(statement["effect"], "DENY");
    assert!(
        statement["source"]
            .as_str()
            .unwrap()
            .contains("ProtectSwitchRole"),
        "{statement}"
    );
    assert_eq!(
        m["context"]["resource"],
        "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
    );
    assert_eq!(m["context"]["principal"]["name"], "ProdAdmin");
}
