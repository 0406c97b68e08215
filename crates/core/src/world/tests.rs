use super::*;
use crate::validation::UserName;

#[test]
fn the_demo_world_loads() {
    let w = demo_world();
    assert_eq!(w.region, "us-west-2");
    assert_eq!(w.accounts.len(), 3);
    let corp = w
        .resolve(&AccountRef::parse("example-corp").unwrap())
        .unwrap();
    assert_eq!(corp.id.as_str(), "111111111111");
    let prod = w
        .resolve(&AccountRef::parse("222222222222").unwrap())
        .unwrap();
    assert_eq!(prod.alias.as_ref().unwrap().as_str(), "example-prod");
    assert!(w
        .resolve(&AccountRef::parse("333333333333").unwrap())
        .unwrap()
        .alias
        .is_none());
    let (account, user, _) = w.access_key("AKIAIOSFODNN7EXAMPLE").unwrap();
    assert_eq!(
        (account.id.as_str(), user.name.as_str()),
        ("111111111111", "David")
    );
    assert!(user.mfa.is_some());
    assert_eq!(
        prod.role("AccessToProdDynamoDB")
            .unwrap()
            .max_session_duration,
        3600
    );
    assert!(
        prod.role("accesstoproddynamodb").is_none(),
        "role names are case-sensitive"
    );
    let david = Identity::User {
        account: corp.id.clone(),
        name: UserName::parse("David").unwrap(),
    };
    let names: Vec<String> = w
        .identity_policies(&david)
        .into_iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names
        .iter()
        .all(|n| n.starts_with("group Developers policy ")));
}

#[test]
fn secrets_never_show_in_debug() {
    let w = demo_world();
    let shown = format!("{w:?}");
    for secret in [
        "david-Pa55word!",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW",
        "Pr0dAdm1nSecretKeyExample",
    ] {
        assert!(!shown.contains(secret), "Debug shows {secret}");
    }
    assert!(shown.contains("<redacted>"));
    assert!(
        Secret::new("abc").matches("abc")
            && !Secret::new("abc").matches("abd")
            && !Secret::new("abc").matches("ab")
    );
}

#[test]
fn round_trips_through_json() {
    let w = demo_world();
    let again = World::from_json(&w.to_json()).unwrap();
    assert_eq!(again, w);
}

/// IAM API Reference, CreateRole, `MaxSessionDuration`: "If you do not specify a value for this
/// setting, the default value of one hour is applied." A world's role without one gets 3600.
#[test]
fn a_role_without_a_longest_session_gets_one_hour() {
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_WORLD_JSON).unwrap();
    let role = &mut doc["accounts"][1]["roles"][0];
    role.as_object_mut().unwrap().remove("maxSessionDuration");
    let name = role["name"].as_str().unwrap().to_owned();
    let world = World::from_json(&doc.to_string()).unwrap();
    assert_eq!(
        world.accounts[1].role(&name).unwrap().max_session_duration,
        3600
    );
}

/// A role's inline policies: one per name, a second put under a name replacing the first.
#[test]
fn inline_policies_are_counted_once_per_name() {
    let doc = |action: &str| {
        PolicyDoc::parse(&format!(
            r#"{{"Statement":{{"Effect":"Allow","Action":"{action}","Resource":"*"}}}}"#
        ))
        .unwrap()
    };
    let mut policies = Policies::default();
    assert_eq!((policies.len(), policies.is_empty()), (0, true));
    assert!(policies.insert("b".into(), doc("s3:GetObject")).is_none());
    assert!(policies.insert("a".into(), doc("s3:ListBucket")).is_none());
    assert_eq!((policies.len(), policies.is_empty()), (2, false));
    assert!(policies.insert("b".into(), doc("s3:PutObject")).is_some());
    assert_eq!(policies.len(), 2);
    assert_eq!(policies.keys().collect::<Vec<_>>(), ["a", "b"]);
}

/// A user's and a role's tags (their `aws:PrincipalTag/…`) are kept by a save and a load; an
/// entity without tags is written without the field.
#[test]
fn tags_survive_a_save_and_a_load() {
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_WORLD_JSON).unwrap();
    doc["accounts"][0]["users"][0]["tags"] = serde_json::json!({"team": "payments"});
    doc["accounts"][1]["roles"][0]["tags"] = serde_json::json!({"CostCenter": "42"});
    let world = World::from_json(&doc.to_string()).unwrap();
    let again = World::from_json(&world.to_json()).unwrap();
    assert_eq!(
        again.accounts[0].users[0].tags.get("team"),
        Some("payments")
    );
    assert_eq!(
        again.accounts[1].roles[0].tags.get("costcenter"),
        Some("42")
    );
    let written: serde_json::Value = serde_json::from_str(&again.to_json()).unwrap();
    let maria = &written["accounts"][0]["users"][1];
    assert_eq!(maria["name"], "Maria");
    assert!(maria.get("tags").is_none());
}

fn load_err(edit: impl FnOnce(&mut serde_json::Value)) -> WorldError {
    let mut doc: serde_json::Value = serde_json::from_str(DEMO_WORLD_JSON).unwrap();
    edit(&mut doc);
    World::from_json(&doc.to_string()).expect_err("refused")
}

/// Names are unique within an account (IAM: "names must be unique within the account"), and
/// a world that repeats one is refused where it does.
#[test]
fn a_name_given_twice_in_an_account_is_refused() {
    for list in ["users", "groups", "roles", "tables"] {
        let e = load_err(|d| {
            let items = d["accounts"][0][list].as_array_mut().unwrap();
            let mut again = items[0].clone();
            if list == "users" {
                // Its keys are unique in the world, so only the name repeats.
                again["accessKeys"] = serde_json::json!([]);
            }
            items.push(again);
        });
        assert_eq!(e.path, format!("accounts[0].{list}"), "{e}");
        assert!(e.message.starts_with("duplicate name"), "{e}");
    }
}

#[test]
fn bad_worlds_are_refused_with_a_path() {
    let e = load_err(|d| d["format"] = 2.into());
    assert_eq!(e.path, "format");
    let e = load_err(|d| d["accounts"][0]["id"] = "1234".into());
    assert_eq!(e.path, "accounts[0].id", "{e}");
    let e = load_err(|d| d["accounts"][1]["id"] = "111111111111".into());
    assert_eq!(e.path, "accounts[1].id");
    let e = load_err(|d| d["accounts"][1]["alias"] = "example-corp".into());
    assert_eq!(e.path, "accounts[1].alias");
    let e = load_err(|d| d["accounts"][0]["users"][0]["groups"] = serde_json::json!(["Nope"]));
    assert_eq!(e.path, "accounts[0].users[0].groups");
    let e = load_err(|d| {
        d["accounts"][0]["users"][1]["accessKeys"][0]["id"] = "AKIAIOSFODNN7EXAMPLE".into()
    });
    assert_eq!(e.path, "accounts[0].users[1].accessKeys");
    let e = load_err(|d| d["accounts"][0]["users"][0]["mfa"]["seed"] = "not base32!".into());
    assert_eq!(e.path, "accounts[0].users[0].mfa.seed");
    let e = load_err(|d| d["accounts"][0]["roles"][0]["maxSessionDuration"] = 100.into());
    assert_eq!(e.path, "accounts[0].roles[0].maxSessionDuration");
    let e = load_err(|d| {
        d["accounts"][0]["roles"][0]["trustPolicy"]["Statement"][0]["Effect"] = "Perhaps".into()
    });
    assert!(
        e.path.starts_with("accounts[0].roles[0].trustPolicy"),
        "{e}"
    );
    assert!(e.message.contains("Statement[0].Effect"), "{e}");
    let e = load_err(|d| {
        d["accounts"][0]["roles"][0]["trustPolicy"]["Statement"][0]
            .as_object_mut()
            .unwrap()
            .remove("Principal");
    });
    assert_eq!(e.path, "accounts[0].roles[0].trustPolicy.Statement[0]");
    let e = load_err(|d| {
        d["accounts"][0]["groups"][0]["policies"]["DayToDay"]["Statement"][0]
            .as_object_mut()
            .unwrap()
            .remove("Resource");
    });
    assert_eq!(
        e.path,
        "accounts[0].groups[0].policies.DayToDay.Statement[0]"
    );
    let e = load_err(|d| {
        d["accounts"][0]["tables"][0]["items"][0]
            .as_object_mut()
            .unwrap()
            .remove("UserId")
            .map(|_| ())
            .unwrap()
    });
    assert_eq!(e.path, "accounts[0].tables[0].items[0]");
    let e = load_err(|d| d["accounts"][0]["colour"] = "red".into());
    assert!(e.message.contains("unknown field"), "{e}");
    let e = World::from_json("{").unwrap_err();
    assert!(!e.message.is_empty());
}

#[test]
fn attributes_read_as_text() {
    let v = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(attribute_text(&v(r#"{"S":"Galaxy <b>"}"#)), "Galaxy <b>");
    assert_eq!(attribute_text(&v(r#"{"N":"5842"}"#)), "5842");
    assert_eq!(attribute_text(&v(r#"{"BOOL":false}"#)), "false");
    assert_eq!(attribute_text(&v(r#"{"NULL":true}"#)), "null");
    assert_eq!(
        attribute_text(&v(r#"{"SS":["a","b"]}"#)),
        r#"{"SS":["a","b"]}"#
    );
    // Binary is base64 text, not a string to read; a value of no DynamoDB type is shown as
    // written.
    assert_eq!(attribute_text(&v(r#"{"B":"aGk="}"#)), r#"{"B":"aGk="}"#);
    assert_eq!(attribute_text(&v(r#"{"X":true}"#)), r#"{"X":true}"#);
}

#[test]
fn columns_put_keys_first() {
    let items: Vec<Item> = vec![
        serde_json::from_str(r#"{"TopScore":{"N":"1"},"UserId":{"S":"1"},"GameTitle":{"S":"g"}}"#)
            .unwrap(),
        serde_json::from_str(r#"{"UserId":{"S":"2"},"GameTitle":{"S":"h"},"Wins":{"N":"3"}}"#)
            .unwrap(),
    ];
    assert_eq!(
        item_columns(&["UserId", "GameTitle"], &items),
        ["UserId", "GameTitle", "TopScore", "Wins"]
    );
    assert_eq!(item_columns(&["UserId"], &[]), ["UserId"]);
}

/// The sharing lasts only while a world loads: a role read afterwards, on the same thread,
/// has its own document (the load's table of documents is gone, not kept for ever).
#[test]
fn trust_documents_are_shared_only_within_one_load() {
    let world = demo_world();
    let loaded = world.accounts[1].role("AccessToProdDynamoDB").unwrap();
    let text = serde_json::to_string(loaded).unwrap();
    let alone: super::Role = serde_json::from_str(&text).unwrap();
    assert_eq!(alone.trust_policy.text(), loaded.trust_policy.text());
    assert!(!std::sync::Arc::ptr_eq(
        &alone.trust_policy,
        &loaded.trust_policy
    ));
}

/// Roles with the same trust document share one copy once loaded (a world of
/// 100,000 roles is otherwise mostly copies), and changing one role's trust policy leaves the
/// others as they were.
#[test]
fn identical_trust_documents_are_shared_and_stay_independent() {
    let mut world = demo_world();
    let corp = &world.accounts[0];
    let prod = &world.accounts[1];
    let sensitive = corp.role("SensitiveDataAccess").unwrap();
    let prod_role = prod.role("AccessToProdDynamoDB").unwrap();
    // Both trust account 111111111111 with MFA, written identically in the demo world.
    assert_eq!(sensitive.trust_policy.text(), prod_role.trust_policy.text());
    assert!(std::sync::Arc::ptr_eq(
        &sensitive.trust_policy,
        &prod_role.trust_policy
    ));
    let operator = prod.role("ProdOperator").unwrap();
    assert!(!std::sync::Arc::ptr_eq(
        &operator.trust_policy,
        &prod_role.trust_policy
    ));

    let open = PolicyDoc::parse(
        r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"333333333333"},"Action":"sts:AssumeRole"}}"#,
    )
    .unwrap();
    world.accounts[0].roles[0].trust_policy = open.into();
    let again = demo_world();
    assert_eq!(
        world.accounts[1]
            .role("AccessToProdDynamoDB")
            .unwrap()
            .trust_policy,
        again.accounts[1]
            .role("AccessToProdDynamoDB")
            .unwrap()
            .trust_policy
    );
    // Saved and read back, the documents are the same.
    let reloaded = World::from_json(&world.to_json()).unwrap();
    assert_eq!(reloaded.accounts, world.accounts);
}
