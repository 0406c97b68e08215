//! Sessions, expiry, credentials and MFA codes, and the finer AssumeRole rules.

use super::*;

#[test]
fn sessions_last_as_asked_and_never_outlive_the_base_session() {
    let mut d = demo();
    let base = d.david(true);
    assert_eq!(base.expiration, NOW.plus(CONSOLE_SESSION_SECONDS));
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    assert_eq!(role.expiration, NOW.plus(3600));
    let short = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", Some(900)),
            NOW,
        )
        .unwrap();
    assert_eq!(short.credentials.expiration, NOW.plus(900));
    // Late in the sign-in session, the role session ends with it.
    let late = NOW.plus(CONSOLE_SESSION_SECONDS - 600);
    let code = d.david_code(late);
    let _ = code;
    let capped = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", None),
            late,
        )
        .unwrap();
    assert_eq!(capped.credentials.expiration, base.expiration);
}

#[test]
fn expired_credentials_are_expired_token() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    let later = role.expiration;
    let e = d
        .world
        .dynamodb_scan(creds(&role), "GameScores", later)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ExpiredToken);
    assert!(d
        .world
        .dynamodb_scan(creds(&role), "GameScores", later.plus(-1))
        .is_ok());
    let e = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", None),
            base.expiration,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ExpiredToken);
    d.world.purge_expired(base.expiration.plus(10), 0);
    assert_eq!(
        d.world
            .dynamodb_scan(creds(&role), "GameScores", later)
            .unwrap_err()
            .code,
        ErrorCode::InvalidClientTokenId
    );
}

#[test]
fn switching_from_role_to_role_uses_the_base_session() {
    let mut d = demo();
    let base = d.david(true);
    let prod = d.switch(&base, PROD_ROLE).unwrap();
    let sensitive = d.switch(&base, SENSITIVE_ROLE).unwrap();
    assert_ne!(
        prod.credentials.access_key_id,
        sensitive.credentials.access_key_id
    );
    // With the role's own credentials it would be role chaining: the prod role may not switch.
    let chained = d.world.sts_assume_role(
        &mut d.rng,
        creds(&prod.credentials),
        &assume(SENSITIVE_ROLE, "David", None),
        NOW,
    );
    assert!(matches!(denial(chained), Denial::NoPermission { .. }));
}

#[test]
fn credentials_must_match() {
    let mut d = demo();
    let base = d.david(true);
    let wrong_token = Presented {
        session_token: Some("nope"),
        origin: None,
        ..creds(&base)
    };
    assert_eq!(
        d.world
            .dynamodb_list_tables(wrong_token, NOW)
            .unwrap_err()
            .code,
        ErrorCode::InvalidClientTokenId
    );
    let wrong_secret = Presented {
        secret: Some("nope"),
        ..creds(&base)
    };
    assert_eq!(
        d.world
            .dynamodb_list_tables(wrong_secret, NOW)
            .unwrap_err()
            .code,
        ErrorCode::InvalidClientTokenId
    );
    let unknown = Presented {
        access_key_id: "ASIAUNKNOWN",
        secret: None,
        session_token: None,
        origin: None,
    };
    assert_eq!(
        d.world.dynamodb_list_tables(unknown, NOW).unwrap_err().code,
        ErrorCode::InvalidClientTokenId
    );
    assert!(d.world.end_session(&base.access_key_id));
    assert_eq!(
        d.world
            .dynamodb_list_tables(creds(&base), NOW)
            .unwrap_err()
            .code,
        ErrorCode::InvalidClientTokenId
    );
}

#[test]
fn console_sign_in_failures_reveal_nothing() {
    let mut d = demo();
    for (account, user, password) in [
        ("example-corp", "David", "wrong"),
        ("example-corp", "Nobody", "david-Pa55word!"),
        ("nowhere", "David", "david-Pa55word!"),
        ("not an account", "David", "david-Pa55word!"),
        ("222222222222", "David", "david-Pa55word!"),
    ] {
        let e = d
            .world
            .console_sign_in(&mut d.rng, account, user, password, None, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::SignInFailed, "{account} {user}");
        assert_eq!(
            e.message,
            "Your authentication information is incorrect. Please try again."
        );
    }
    let mut refused = |user: &str, password: &str, code: &str| {
        d.world
            .console_sign_in(&mut d.rng, "example-corp", user, password, Some(code), NOW)
            .unwrap_err()
            .code
    };
    assert_eq!(
        refused("David", "david-Pa55word!", "000000"),
        ErrorCode::InvalidMfa
    );
    assert_eq!(
        refused("Maria", "maria-Pa55word!", "123456"),
        ErrorCode::InvalidMfa
    );
    assert_eq!(
        refused("David", "david-Pa55word!", "12"),
        ErrorCode::ValidationError
    );
    // A code from one step ago still works (clock drift).
    let code = d.david_code(NOW.plus(-30));
    assert!(d
        .world
        .console_sign_in(
            &mut d.rng,
            "111111111111",
            "David",
            "david-Pa55word!",
            Some(&code),
            NOW
        )
        .is_ok());
}

#[test]
fn get_session_token_with_mfa_then_assume_role() {
    let mut d = demo();
    let key = Presented {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret: Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: None,
        origin: None,
    };
    // Long-term keys carry no MFA: the trust policy's condition fails.
    assert_eq!(
        denial(
            d.world
                .sts_assume_role(&mut d.rng, key, &assume(PROD_ROLE, "David", None), NOW)
        ),
        Denial::MfaRequired
    );
    let serial = "arn:aws:iam::111111111111:mfa/David";
    let code = d.david_code(NOW);
    let e = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            key,
            &GetSessionToken {
                duration: None,
                serial_number: Some(serial.to_string()),
                token_code: Some("000000".into()),
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidMfa);
    let session = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            key,
            &GetSessionToken {
                duration: Some(3600),
                serial_number: Some(serial.to_string()),
                token_code: Some(code.to_string()),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(session.credentials.expiration, NOW.plus(3600));
    assert!(d.switch(&session.credentials, PROD_ROLE).is_ok());
    let e = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            creds(&session.credentials),
            &GetSessionToken {
                duration: None,
                ..Default::default()
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AccessDenied);
    let e = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            key,
            &GetSessionToken {
                duration: Some(100),
                ..Default::default()
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ValidationError);
}

#[test]
fn mfa_age_and_explicit_deny() {
    let mut d = demo();
    let role = role_mut(&mut d.world, "222222222222", "AccessToProdDynamoDB");
    role.trust_policy = crate::world::PolicyDoc::parse(
        r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole",
             "Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}},
            {"Sid":"NoMaria","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:user/Maria"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap()
    .into();
    let base = d.david(true);
    assert!(d.switch(&base, PROD_ROLE).is_ok());
    let late = NOW.plus(601);
    let e = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", None),
            late,
        )
        .unwrap_err();
    assert_eq!(e.denial, Some(Denial::MfaRequired));
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    assert!(matches!(
        denial(d.switch(&maria, PROD_ROLE)),
        Denial::ExplicitDeny { .. }
    ));
}

#[test]
fn same_account_trust_naming_the_user_needs_no_identity_policy() {
    let mut d = demo();
    let role = role_mut(&mut d.world, "111111111111", "SensitiveDataAccess");
    role.trust_policy = crate::world::PolicyDoc::parse(
        r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/Maria"},"Action":"sts:AssumeRole"}}"#,
    )
    .unwrap()
    .into();
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    assert!(
        d.switch(&maria, SENSITIVE_ROLE).is_ok(),
        "named directly: the trust policy suffices"
    );
    let david = d.david(true);
    assert!(matches!(
        denial(d.switch(&david, SENSITIVE_ROLE)),
        Denial::NotTrusted { .. }
    ));
}

#[test]
fn caller_identity_and_dynamodb_reads() {
    let mut d = demo();
    let base = d.david(true);
    let me = d.world.sts_get_caller_identity(creds(&base), NOW).unwrap();
    assert_eq!(
        (me.account.as_str(), me.arn.as_str()),
        ("111111111111", "arn:aws:iam::111111111111:user/David")
    );
    assert!(me.user_id.starts_with("AIDA"));
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    let me = d.world.sts_get_caller_identity(creds(&role), NOW).unwrap();
    assert_eq!(
        me.arn,
        "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"
    );
    assert!(me.user_id.starts_with("AROA") && me.user_id.ends_with(":David"));
    let described = d
        .world
        .dynamodb_describe_table(creds(&role), "GameScores", NOW)
        .unwrap();
    assert_eq!(
        described.arn,
        "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores"
    );
    assert_eq!(described.item_count, 4);
    let key: Item =
        serde_json::from_str(r#"{"UserId":{"S":"101"},"GameTitle":{"S":"Galaxy Invaders"}}"#)
            .unwrap();
    let item = d
        .world
        .dynamodb_get_item(creds(&role), "GameScores", &key, NOW)
        .unwrap()
        .unwrap();
    assert_eq!(item["TopScore"], serde_json::json!({"N": "5842"}));
    let missing: Item =
        serde_json::from_str(r#"{"UserId":{"S":"999"},"GameTitle":{"S":"x"}}"#).unwrap();
    assert_eq!(
        d.world
            .dynamodb_get_item(creds(&role), "GameScores", &missing, NOW)
            .unwrap(),
        None
    );
    let bad: Item = serde_json::from_str(r#"{"UserId":{"S":"101"}}"#).unwrap();
    assert_eq!(
        d.world
            .dynamodb_get_item(creds(&role), "GameScores", &bad, NOW)
            .unwrap_err()
            .code,
        ErrorCode::ValidationError
    );
    // The role may touch GameScores* only; a missing table it may not touch is still denied.
    assert_eq!(
        d.world
            .dynamodb_scan(creds(&role), "Nope", NOW)
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
    let admin = d.sign_in("example-prod", "ProdAdmin", "prodadmin-Pa55word!", false);
    assert_eq!(
        d.world
            .dynamodb_scan(creds(&admin), "Nope", NOW)
            .unwrap_err()
            .code,
        ErrorCode::ResourceNotFound
    );
}

#[test]
fn root_has_its_account_but_cannot_switch() {
    let mut d = demo();
    give_production_a_root(&mut d.world);
    let e = d
        .world
        .console_root_sign_in(&mut d.rng, "root@example-prod.example", "wrong", NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignInFailed);
    let root = d
        .world
        .console_root_sign_in(
            &mut d.rng,
            "ROOT@example-prod.example",
            "root-Pa55word!",
            NOW,
        )
        .unwrap();
    assert_eq!(root.arn.to_string(), "arn:aws:iam::222222222222:root");
    // Root's unique id is its account's id, as GetCallerIdentity answers for it (STS API
    // Reference, GetCallerIdentity, "UserId").
    assert_eq!(root.unique_id, "222222222222");
    let root = root.credentials;
    assert_eq!(d.scan(&root, "Players").unwrap().len(), 2);
    assert_eq!(denial(d.switch(&root, PROD_ROLE)), Denial::RootCannotSwitch);
    let me = d.world.sts_get_caller_identity(creds(&root), NOW).unwrap();
    assert_eq!(me.user_id, "222222222222");
}

#[test]
fn a_repeating_generator_never_reuses_a_live_key() {
    let mut world = demo_world();
    let mut a = ChaCha8Rng::seed_from_u64(9);
    let mut b = ChaCha8Rng::seed_from_u64(9);
    let first = world
        .console_sign_in(
            &mut a,
            "example-corp",
            "David",
            "david-Pa55word!",
            None,
            NOW,
        )
        .unwrap();
    let second = world
        .console_sign_in(
            &mut b,
            "example-corp",
            "Maria",
            "maria-Pa55word!",
            None,
            NOW,
        )
        .unwrap();
    assert_ne!(
        first.credentials.access_key_id,
        second.credentials.access_key_id
    );
    let me = world
        .sts_get_caller_identity(creds(&first.credentials), NOW)
        .unwrap();
    assert_eq!(me.arn, "arn:aws:iam::111111111111:user/David");
}

/// A code works once per device, as AWS refuses a TOTP code already used
/// (the IAM User Guide, "Using a virtual MFA device", describes the 30-second codes but not the
/// exact replay rule; ours, documented in the README: each step's code once per device, at
/// the console and through GetSessionToken alike; the next step's code still works).
#[test]
fn mfa_codes_work_once() {
    let mut d = demo();
    let code = d.david_code(NOW);
    let sign_in = |d: &mut Demo, code: &str| {
        d.world.console_sign_in(
            &mut d.rng,
            "example-corp",
            "David",
            "david-Pa55word!",
            Some(code),
            NOW,
        )
    };
    assert!(sign_in(&mut d, &code).is_ok());
    let again = sign_in(&mut d, &code).expect_err("replayed");
    assert_eq!(again.code, ErrorCode::InvalidMfa);
    // The console says why the code the device still shows is refused, and how long to wait.
    let left = 30 - u64::try_from(NOW.seconds()).unwrap() % 30;
    assert_eq!(again.message, crate::ops::mfa_code_used(left));
    assert!(again.message.contains(&format!("in about {left} seconds")));
    let key = Presented {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret: Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        session_token: None,
        origin: None,
    };
    let serial = "arn:aws:iam::111111111111:mfa/David";
    let replay = d
        .world
        .sts_get_session_token(
            &mut d.rng,
            key,
            &GetSessionToken {
                duration: None,
                serial_number: Some(serial.to_string()),
                token_code: Some(code.to_string()),
            },
            NOW,
        )
        .expect_err("the same code through STS");
    assert_eq!(replay.code, ErrorCode::InvalidMfa);
    let next = d.david_code(NOW.plus(30));
    assert!(d
        .world
        .sts_get_session_token(
            &mut d.rng,
            key,
            &GetSessionToken {
                duration: None,
                serial_number: Some(serial.to_string()),
                token_code: Some(next.to_string())
            },
            NOW
        )
        .is_ok());
}

/// Repeated wrong codes lock the device for a while, even for the right
/// code; four do not (AWS documents no number; ours is MFA_MAX_FAILURES within MFA_FAILURE_WINDOW_SECONDS,
/// written out here as 5 and 300).
#[test]
fn repeated_wrong_codes_lock_the_device_for_five_minutes() {
    let mut d = demo();
    let right = d.david_code(NOW);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let try_code = david_with_code;
    // Four do not lock it (and a right code clears the count).
    for _ in 0..4 {
        assert!(try_code(&mut d, wrong, NOW).is_err());
    }
    assert!(try_code(&mut d, &right, NOW).is_ok());
    for _ in 0..5 {
        assert!(try_code(&mut d, wrong, NOW).is_err());
    }
    let locked = try_code(&mut d, &right, NOW).expect_err("locked");
    assert!(locked.message.contains("Too many"), "{}", locked.message);
    // Still locked at the window's last second.
    let last = NOW.plus(299);
    let code = d.david_code(last);
    let still = try_code(&mut d, &code, last).expect_err("still locked");
    assert!(still.message.contains("Too many"), "{}", still.message);
    // After the window, the right code of that moment works again.
    let later = NOW.plus(300);
    let code = d.david_code(later);
    assert!(try_code(&mut d, &code, later).is_ok());
}

/// A long-term access key never comes with a session token: presented with one, even the
/// right key and secret are refused as an invalid token (STS API Reference, Common Errors:
/// InvalidClientTokenId), as AWS refuses a token it did not issue for that key.
#[test]
fn a_long_term_key_with_a_session_token_is_refused() {
    let d = demo();
    let david = crate::demo::DAVID;
    let with_token = Presented {
        access_key_id: david.access_key_id,
        secret: Some(david.secret_access_key),
        session_token: Some("FwoGZXIvYXdzEanything"),
        origin: None,
    };
    assert_eq!(
        d.world.authenticate(with_token, NOW).unwrap_err().code,
        ErrorCode::InvalidClientTokenId
    );
    let without = Presented {
        session_token: None,
        ..with_token
    };
    assert!(d.world.authenticate(without, NOW).is_ok());
}

/// David signs in to the console with MFA `code` at `at`.
fn david_with_code(d: &mut Demo, code: &str, at: Timestamp) -> Result<(), ApiError> {
    d.world
        .console_sign_in(
            &mut d.rng,
            "example-corp",
            "David",
            "david-Pa55word!",
            Some(code),
            at,
        )
        .map(drop)
}

/// A code stays used while it is still accepted (a code is good one step early or late), also
/// after a newer code was used; and only those steps are remembered, however many sign-ins.
#[test]
fn a_used_code_stays_used_after_a_newer_one_and_the_memory_stays_small() {
    let mut d = demo();
    let sign_in = david_with_code;
    let first = d.david_code(NOW);
    assert!(sign_in(&mut d, &first, NOW).is_ok());
    let next = NOW.plus(30);
    let second = d.david_code(next);
    assert!(sign_in(&mut d, &second, next).is_ok());
    // The first code is still within its window one step later: refused as used.
    assert_eq!(
        sign_in(&mut d, &first, next).unwrap_err().code,
        ErrorCode::InvalidMfa
    );
    for step in 2..40 {
        let at = NOW.plus(30 * step);
        let code = d.david_code(at);
        assert!(sign_in(&mut d, &code, at).is_ok(), "step {step}");
    }
    let serial = "arn:aws:iam::111111111111:mfa/David";
    let kept = d.world.live.mfa_guard.used[serial].len();
    assert!(kept <= 3, "{kept} steps remembered");
}

/// Gives account 222222222222 a root user (`root@example-prod.example`, `root-Pa55word!`):
/// the demo world has none.
pub(super) fn give_production_a_root(world: &mut World) {
    let id = crate::validation::AccountId::parse("222222222222").unwrap();
    let account = world.accounts.iter_mut().find(|a| a.id == id).unwrap();
    account.root = Some(crate::world::RootUser {
        email: "root@example-prod.example".into(),
        password: Secret::new("root-Pa55word!"),
    });
}

/// The role `name` of account `id`, to change for a test.
pub(super) fn role_mut<'w>(
    world: &'w mut World,
    id: &str,
    name: &str,
) -> &'w mut crate::world::Role {
    let id = crate::validation::AccountId::parse(id).unwrap();
    let account = world.accounts.iter_mut().find(|a| a.id == id).unwrap();
    account
        .roles
        .iter_mut()
        .find(|r| r.name.as_str() == name)
        .unwrap()
}
