//! The audit trail, as the IAM User Guide's "Logging IAM and AWS STS API calls with AWS
//! CloudTrail" shows it: a cross-account AssumeRole in both accounts with one `sharedEventID`,
//! the caller as an `AWSAccount` in the role's account, refusals with their error, no secret.

use super::*;
use crate::world::trail::TrailEvent;

fn events<'a>(world: &'a World, account: &str) -> Vec<&'a TrailEvent> {
    world
        .live
        .trail
        .events()
        .filter(|e| &*e.recipient_account_id == account)
        .collect()
}

/// No record of `world`'s trail holds any of `secrets`.
fn assert_no_secret(world: &World, secrets: &[&str]) {
    let text: String = world.live.trail.events().map(TrailEvent::to_json).collect();
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in the trail");
    }
}

#[test]
fn a_cross_account_switch_is_recorded_in_both_accounts_with_one_shared_id() {
    let mut d = demo();
    let base = d.david(true);
    let issued = d.switch(&base, PROD_ROLE).expect("allowed");
    let theirs: Vec<_> = events(&d.world, "222222222222")
        .into_iter()
        .filter(|e| &*e.event_name == "AssumeRole")
        .collect();
    let ours: Vec<_> = events(&d.world, "111111111111")
        .into_iter()
        .filter(|e| &*e.event_name == "AssumeRole")
        .collect();
    let ([theirs], [ours]) = (theirs.as_slice(), ours.as_slice()) else {
        panic!("one record in each account: {theirs:?} {ours:?}");
    };
    assert!(ours.shared_event_id.is_some());
    assert_eq!(ours.shared_event_id, theirs.shared_event_id);
    assert_ne!(ours.event_id, theirs.event_id);
    assert_eq!(ours.user_identity.kind, "IAMUser");
    assert_eq!(ours.user_identity.user_name.as_deref(), Some("David"));
    let context = ours.user_identity.session_context.as_ref().unwrap();
    assert_eq!(context.attributes.mfa_authenticated, "true");
    assert_eq!(theirs.user_identity.kind, "AWSAccount");
    assert_eq!(theirs.user_identity.account_id, "111111111111");
    assert_eq!(theirs.user_identity.arn, None);
    // The caller's principal id, as the caller's own record has it (the role's account sees
    // who, not their ARN).
    assert!(ours.user_identity.principal_id.is_some());
    assert_eq!(
        theirs.user_identity.principal_id,
        ours.user_identity.principal_id
    );
    assert_eq!(ours.request_parameters.value()["roleArn"], PROD_ROLE);
    assert_eq!(
        ours.response_elements.value()["credentials"]["accessKeyId"],
        issued.credentials.access_key_id.as_str()
    );
    assert_eq!(
        ours.response_elements.value()["assumedRoleUser"]["arn"],
        "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"
    );
    assert_eq!(ours.resources[0].kind, "AWS::IAM::Role");
    assert_eq!(ours.error_code, None);
    assert!(!ours.read_only);
    // No secret of either session is in any record.
    assert_no_secret(
        &d.world,
        &[
            base.secret_access_key.expose(),
            base.session_token.expose(),
            issued.credentials.secret_access_key.expose(),
            issued.credentials.session_token.expose(),
        ],
    );
}

#[test]
fn a_refused_switch_is_recorded_with_its_error_in_both_accounts() {
    let mut d = demo();
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    d.world
        .sts_assume_role(
            &mut d.rng,
            creds(&maria),
            &assume(PROD_ROLE, "Maria", None),
            NOW,
        )
        .expect_err("refused");
    for account in ["111111111111", "222222222222"] {
        let refused: Vec<_> = events(&d.world, account)
            .into_iter()
            .filter(|e| &*e.event_name == "AssumeRole")
            .collect();
        assert_eq!(refused.len(), 1, "{account}: {refused:?}");
        assert_eq!(refused[0].error_code.as_deref(), Some("AccessDenied"));
        assert!(refused[0]
            .error_message
            .as_deref()
            .unwrap()
            .contains("sts:AssumeRole"));
        assert!(refused[0].response_elements.is_null());
    }
}

#[test]
fn a_trail_turned_off_records_nothing() {
    let mut d = demo();
    d.world.live.trail.enabled = false;
    let base = d.david(true);
    d.switch(&base, PROD_ROLE).expect("allowed");
    assert!(d.world.live.trail.is_empty());
}

/// AWS CloudTrail User Guide, "Working with CloudTrail Event history": the past 90 days of
/// events. One exactly 90 days old is kept; a second older, it is gone.
#[test]
fn events_are_kept_ninety_days() {
    let mut d = demo();
    d.david(true);
    let kept = d.world.live.trail.len();
    assert!(kept > 0);
    let ninety_days = 90 * 24 * 3600;
    d.world.live.trail.expire(NOW.plus(ninety_days));
    assert_eq!(d.world.live.trail.len(), kept);
    assert!(!d.world.live.trail.is_empty());
    d.world.live.trail.expire(NOW.plus(ninety_days + 1));
    assert!(d.world.live.trail.is_empty());
}

/// The new events go to their taker (the emulator's files) once each, as the very events the
/// trail keeps (shared, not copied); a trail that keeps no new events hands over none.
#[test]
fn new_events_are_handed_over_once_and_shared_not_copied() {
    for keep_new in [true, false] {
        let mut d = demo();
        d.world.live.trail.keep_new = keep_new;
        d.david(true);
        let trail = &mut d.world.live.trail;
        let shared = trail.shared();
        assert!(!shared.is_empty());
        assert_eq!(shared.len(), trail.len());
        assert!(shared
            .iter()
            .zip(trail.events())
            .all(|(a, b)| std::ptr::eq(&**a, b)));
        let new = trail.take_new();
        if keep_new {
            assert_eq!(new.events.len(), shared.len());
            assert!(new
                .events
                .iter()
                .zip(&shared)
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b)));
        } else {
            assert!(new.events.is_empty());
        }
        assert!(trail.take_new().events.is_empty());
    }
}

/// What waits for the owner is bounded, should it forget to take it: calls past the bound are
/// assembled at once, and events pushed out past it are freed at once.
#[test]
fn work_left_for_the_owner_is_bounded() {
    use crate::world::trail::{Trail, PENDING_MAX, RETIRED_MAX};
    let mut d = demo();
    d.world.live.trail = Trail::with_max(1);
    d.world.live.trail.work_outside = true;
    d.david(true);
    let call = d.world.live.trail.take_pending().pop().expect("a call");
    let trail = &mut d.world.live.trail;
    assert!(trail.is_empty());
    for _ in 0..=PENDING_MAX {
        trail.add(call.clone());
    }
    assert_eq!(trail.take_pending().len(), PENDING_MAX);
    assert_eq!(
        trail.len(),
        1,
        "the call past the bound is assembled at once"
    );
    let event = trail.shared().pop().unwrap();
    for _ in 0..=RETIRED_MAX {
        trail.record(event.clone());
    }
    assert_eq!(trail.retired_len(), RETIRED_MAX);
}

/// A trail whose owner works outside its lock (the emulator's) keeps each call waiting until
/// the owner assembles it, then holds the same records a trail that records at once holds (ids
/// and times aside: both drawn for each call); the events the bound pushes out wait to be
/// freed by the owner, and only there.
#[test]
fn work_taken_outside_makes_the_same_records_and_frees_only_when_asked() {
    let walk = |work_outside: bool, max: usize| {
        let mut d = demo();
        d.world.live.trail = crate::world::trail::Trail::with_max(max);
        d.world.live.trail.work_outside = work_outside;
        let base = d.david(true);
        for _ in 0..3 {
            d.switch(&base, PROD_ROLE).expect("allowed");
        }
        let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
        d.switch(&maria, PROD_ROLE).expect_err("refused");
        let mut sharing = crate::world::trail::Sharing::default();
        let trail = &mut d.world.live.trail;
        let pending = trail.take_pending();
        assert_eq!(pending.is_empty(), !work_outside);
        for call in pending {
            trail.record_call(call.assemble(&mut sharing));
        }
        assert_eq!(trail.len(), max.min(10));
        let waiting = trail.retired_len();
        assert_eq!(waiting > 0, work_outside && max < 10, "{waiting} waiting");
        drop(trail.take_retired());
        assert_eq!(trail.retired_len(), 0);
        trail
            .events()
            .map(|e| {
                let mut record: serde_json::Value =
                    serde_json::from_str(&e.to_json()).expect("JSON");
                for id in ["eventID", "sharedEventID"] {
                    record[id] = serde_json::Value::Null;
                }
                record
            })
            .collect::<Vec<_>>()
    };
    let at_once = walk(false, 100);
    assert_eq!(walk(true, 100), at_once);
    assert!(at_once.iter().any(|r| r["errorCode"] == "AccessDenied"));
    assert_eq!(walk(true, 3), walk(false, 3));
}

/// A caller's records share one `userIdentity` (built once, not for every call), equal to the
/// one built for it; another caller's is its own.
#[test]
fn a_caller_s_records_share_its_identity() {
    let mut d = demo();
    let base = d.david(true);
    d.switch(&base, PROD_ROLE).expect("allowed");
    d.switch(&base, PROD_ROLE).expect("allowed");
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    d.switch(&maria, PROD_ROLE).expect_err("refused");
    let ours: Vec<_> = events(&d.world, "111111111111")
        .into_iter()
        .filter(|e| &*e.event_name == "AssumeRole")
        .collect();
    assert_eq!(ours.len(), 3);
    assert!(std::sync::Arc::ptr_eq(
        &ours[0].user_identity,
        &ours[1].user_identity
    ));
    assert!(!std::sync::Arc::ptr_eq(
        &ours[1].user_identity,
        &ours[2].user_identity
    ));
    assert_eq!(ours[0].user_identity.arn, ours[1].user_identity.arn);
    assert_ne!(ours[1].user_identity.arn, ours[2].user_identity.arn);
    assert!(ours[2]
        .user_identity
        .arn
        .as_deref()
        .is_some_and(|a| a.ends_with("user/Maria")));
    // Remembered by key: the next call of David's session takes it from there.
    let david = d.world.authenticate(creds(&base), NOW).expect("David");
    let began = david.session.as_ref().map(|s| s.issued_at);
    let remembered = d
        .world
        .live
        .trail
        .callers
        .get(&base.access_key_id, &david.identity, began);
    assert!(remembered.is_some_and(|r| std::sync::Arc::ptr_eq(&r, &ours[1].user_identity)));
}

#[test]
fn console_sign_ins_are_recorded_as_console_login_without_the_password_or_code() {
    let mut d = demo();
    d.david(true);
    let code = d.david_code(NOW);
    d.world
        .console_sign_in(
            &mut d.rng,
            "example-corp",
            "David",
            "wrong-Pa55word!",
            None,
            NOW,
        )
        .expect_err("wrong password");
    d.world
        .console_sign_in(
            &mut d.rng,
            "example-corp",
            "Nobody",
            "david-Pa55word!",
            None,
            NOW,
        )
        .expect_err("no such user");
    d.world
        .console_sign_in(&mut d.rng, "999999999999", "David", "x", None, NOW)
        .expect_err("no such account: nothing to record in");
    let logins = events(&d.world, "111111111111");
    let outcome = |e: &&TrailEvent| {
        (
            e.user_identity.user_name.clone().unwrap_or_default(),
            e.response_elements.value()["ConsoleLogin"]
                .as_str()
                .unwrap()
                .to_owned(),
            e.additional_event_data.as_ref().unwrap().value()["MFAUsed"].clone(),
            e.error_message.clone(),
        )
    };
    assert_eq!(
        logins.iter().map(outcome).collect::<Vec<_>>(),
        [
            ("David".into(), "Success".into(), "Yes".into(), None),
            (
                "David".into(),
                "Failure".into(),
                "No".into(),
                Some("Failed authentication".into())
            ),
            (
                crate::ops::audit::HIDDEN_USER_NAME.into(),
                "Failure".into(),
                "No".into(),
                Some("Failed authentication".into())
            ),
        ]
    );
    assert!(logins
        .iter()
        .all(|e| e.event_source == "signin.amazonaws.com"
            && e.event_type == "AwsConsoleSignIn"
            && &*e.event_name == "ConsoleLogin"));
    // CloudTrail User Guide, "AWS Management Console sign-in events": the user as an IAMUser
    // with its id and ARN; a user name that is no user's, hidden, with neither.
    let who = |e: &TrailEvent| {
        let u = &e.user_identity;
        (
            u.kind.to_string(),
            u.principal_id.clone(),
            u.arn.clone(),
            u.account_id.to_string(),
        )
    };
    let david = "arn:aws:iam::111111111111:user/David";
    assert_eq!(
        who(logins[1]),
        (
            "IAMUser".into(),
            Some(crate::arn::unique_id("AIDA", david)),
            Some(david.into()),
            "111111111111".into()
        )
    );
    assert_eq!(
        who(logins[2]),
        ("IAMUser".into(), None, None, "111111111111".into())
    );
    assert_no_secret(
        &d.world,
        &["david-Pa55word!", "wrong-Pa55word!", code.as_str()],
    );
    assert_eq!(d.world.live.trail.len(), 3);
}

#[test]
fn a_console_switch_is_recorded_as_switch_role_beside_its_assume_role() {
    let mut d = demo();
    let base = d.david(true);
    d.world
        .console_switch_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", None),
            NOW,
        )
        .expect("allowed");
    let switch = |account| {
        events(&d.world, account)
            .into_iter()
            .filter(|e| &*e.event_name == "SwitchRole")
            .cloned()
            .collect::<Vec<_>>()
    };
    let (ours, theirs) = (switch("111111111111"), switch("222222222222"));
    assert_eq!((ours.len(), theirs.len()), (1, 1));
    assert_eq!(ours[0].shared_event_id, theirs[0].shared_event_id);
    assert_eq!(ours[0].response_elements.value()["SwitchRole"], "Success");
    let data = ours[0].additional_event_data.as_ref().unwrap().value();
    assert_eq!(data["SwitchFrom"], "arn:aws:iam::111111111111:user/David");
    assert_eq!(data["SwitchTo"], PROD_ROLE);
    assert_eq!(ours[0].event_type, "AwsConsoleSignIn");
}

#[test]
fn reads_are_recorded_only_when_refused_and_get_session_token_always() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).expect("allowed").credentials;
    let before = d.world.live.trail.len();
    d.scan(&role, "GameScores").expect("readable");
    assert_eq!(
        d.world.live.trail.len(),
        before,
        "a read that worked is not recorded"
    );
    // The endpoint and the mock record a refused read; the operation alone does not.
    d.scan(&role, "Players").expect_err("refused");
    assert_eq!(d.world.live.trail.len(), before);
    let key = crate::world::Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    let david_key = Presented {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret: Some(key.expose()),
        session_token: None,
        origin: None,
    };
    let asked = GetSessionToken {
        duration: Some(900),
        ..GetSessionToken::default()
    };
    let issued = d
        .world
        .sts_get_session_token(&mut d.rng, david_key, &asked, NOW)
        .expect("a session");
    let last = d.world.live.trail.events().last().unwrap();
    assert_eq!(&*last.event_name, "GetSessionToken");
    // What was asked, and only that (no serial number was given).
    assert_eq!(
        last.request_parameters.value(),
        serde_json::json!({ "durationSeconds": 900 })
    );
    assert_eq!(
        last.response_elements.value()["credentials"]["accessKeyId"],
        issued.credentials.access_key_id.as_str()
    );
    assert_eq!(
        last.user_identity.access_key_id.as_deref(),
        Some("AKIAIOSFODNN7EXAMPLE")
    );
    assert_no_secret(
        &d.world,
        &[
            key.expose(),
            issued.credentials.secret_access_key.expose(),
            issued.credentials.session_token.expose(),
        ],
    );
}

/// AssumeRole's `requestParameters` as CloudTrail writes them (the IAM User Guide's "Example
/// cross-account AWS STS API events": `roleArn`, `roleSessionName`, then what the request
/// set, tags as `{key, value}`), never the MFA code; and every record reads back from its text
/// unchanged (LookupEvents and the audit log carry the text).
#[test]
fn assume_role_parameters_are_written_as_cloudtrail_does_and_records_read_back() {
    let mut d = demo();
    let base = d.david(true);
    let mut request = assume(PROD_ROLE, "David", Some(900));
    request.external_id = Some("ext-1".into());
    request.serial_number = Some("arn:aws:iam::111111111111:mfa/David".into());
    request.token_code = Some("123456".into());
    request.source_identity = Some("david".into());
    request.tags = vec![("team".into(), "data \"core\"".into())];
    request.transitive_tag_keys = vec!["team".into()];
    let _ = d
        .world
        .sts_assume_role(&mut d.rng, creds(&base), &request, NOW);
    let ours = events(&d.world, "111111111111");
    let last = ours.last().expect("recorded");
    assert_eq!(&*last.event_name, "AssumeRole");
    assert_eq!(
        last.request_parameters.value(),
        serde_json::json!({
            "roleArn": PROD_ROLE,
            "roleSessionName": "David",
            "durationSeconds": 900,
            "externalId": "ext-1",
            "serialNumber": "arn:aws:iam::111111111111:mfa/David",
            "sourceIdentity": "david",
            "tags": [{"key": "team", "value": "data \"core\""}],
            "transitiveTagKeys": ["team"],
        })
    );
    assert_no_secret(&d.world, &["123456"]);
    for event in d.world.live.trail.events() {
        let again: TrailEvent = serde_json::from_str(&event.to_json()).expect("a record");
        assert_eq!(&again, event);
    }
}

/// CloudTrail User Guide, "CloudTrail record contents": `eventID` is a GUID, `eventTime` is
/// `yyyy-MM-DDTHH:mm:ssZ` (UTC). Kept as bytes and a timestamp, both are written as that text,
/// and read back only from that text.
#[test]
fn event_ids_and_times_are_written_as_cloudtrail_writes_them() {
    use crate::world::trail::EventId;
    let mut d = demo();
    let base = d.david(true);
    d.switch(&base, PROD_ROLE).expect("allowed");
    let event = d.world.live.trail.events().last().expect("recorded");
    let record: serde_json::Value = serde_json::from_str(&event.to_json()).expect("JSON");
    let id = record["eventID"].as_str().expect("an id");
    let shape = uuid_shape(id);
    assert_eq!(shape, "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx", "{id}");
    assert!(event.event_id == *id);
    assert_eq!(EventId::parse(id), Some(event.event_id));
    assert_eq!(record["eventTime"], NOW.to_iso8601());
    assert_eq!(
        record["sharedEventID"].as_str().map(EventId::parse),
        Some(event.shared_event_id)
    );
    for bad in [
        id.to_uppercase(),
        id.replace('-', "_"),
        id[1..].to_owned(),
        format!("{id}0"),
        "not-an-id".to_owned(),
    ] {
        assert_eq!(EventId::parse(&bad), None, "{bad}");
        assert!(event.event_id != *bad.as_str());
    }
    let mut wrong = record.clone();
    wrong["eventTime"] = "yesterday".into();
    assert!(serde_json::from_value::<TrailEvent>(wrong).is_err());
}

/// A UUID's shape: hex digits as `x`, the version digit as itself, the variant digit (8, 9, a
/// or b) as `V`.
fn uuid_shape(id: &str) -> String {
    id.char_indices()
        .map(|(i, c)| match (i, c) {
            (_, '-') => '-',
            (14, c) => c,
            (19, '8' | '9' | 'a' | 'b') => 'V',
            (_, '0'..='9' | 'a'..='f') => 'x',
            _ => '?',
        })
        .collect()
}

/// A read is recorded only when refused (AccessDenied), and a role session's caller with its
/// `sessionIssuer`: the role it belongs to (CloudTrail User Guide, "CloudTrail userIdentity
/// element").
#[test]
fn a_refused_read_is_recorded_with_the_role_session_s_issuer() {
    let mut d = demo();
    let base = d.david(true);
    let role = d.switch(&base, PROD_ROLE).unwrap().credentials;
    let refused = d.scan(&role, "Players").unwrap_err();
    let call =
        || crate::world::trail::Recorded::api("dynamodb.amazonaws.com", "Scan", true, "us-west-2");
    let before = d.world.live.trail.len();
    let missing = ApiError::new(crate::fault::ErrorCode::ResourceNotFound, "no such table");
    d.world
        .record_if_refused(&mut d.rng, creds(&role), call, Err(&missing), NOW);
    assert_eq!(d.world.live.trail.len(), before, "only refusals");
    d.world
        .record_if_refused(&mut d.rng, creds(&role), call, Err(&refused), NOW);
    let last = d.world.live.trail.events().last().unwrap();
    assert!(last
        .error_code
        .as_deref()
        .unwrap()
        .starts_with("AccessDenied"));
    assert_eq!(last.user_identity.kind, "AssumedRole");
    let context = last.user_identity.session_context.as_ref().unwrap();
    let issuer = context
        .session_issuer
        .as_ref()
        .expect("a role session's issuer");
    assert_eq!(
        (
            &*issuer.kind,
            issuer.arn.as_str(),
            issuer.account_id.as_str()
        ),
        ("Role", PROD_ROLE, "222222222222")
    );
    assert_eq!(issuer.user_name, "AccessToProdDynamoDB");
    assert!(
        issuer.principal_id.starts_with("AROA"),
        "{}",
        issuer.principal_id
    );
}

/// CloudTrail API Reference, LookupEvents: each lookup attribute keeps exactly the events
/// whose record has that value (checked here against the records' JSON, as LookupEvents'
/// callers read them), and a page's token is bound to its lookup.
#[test]
fn each_lookup_attribute_keeps_exactly_its_events() {
    use crate::ops::trail::{LookupAttribute, LookupEvents};
    let mut d = demo();
    let base = d.david(true);
    d.switch(&base, PROD_ROLE).expect("allowed");
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    d.switch(&maria, PROD_ROLE).expect_err("refused");
    let admin = long_term(crate::demo::CORP_ADMIN);
    let look_up = |key: &str, value: &str, max: Option<i64>, token: Option<String>| {
        let request = LookupEvents {
            attributes: vec![LookupAttribute {
                key: key.into(),
                value: value.into(),
            }],
            max_results: max,
            next_token: token,
            ..LookupEvents::default()
        };
        d.world.cloudtrail_lookup_events(admin, &request, NOW)
    };
    let json =
        |e: &TrailEvent| -> serde_json::Value { serde_json::from_str(&e.to_json()).unwrap() };
    let all: Vec<serde_json::Value> = events(&d.world, "111111111111")
        .into_iter()
        .map(json)
        .collect();
    let assume = all.iter().find(|e| e["eventName"] == "AssumeRole").unwrap();
    type Holds = fn(&serde_json::Value, &str) -> bool;
    let cases: [(&str, String, Holds); 9] = [
        (
            "EventId",
            assume["eventID"].as_str().unwrap().into(),
            |e, v| e["eventID"] == v,
        ),
        ("EventName", "AssumeRole".into(), |e, v| e["eventName"] == v),
        ("ReadOnly", "false".into(), |e, v| {
            e["readOnly"].as_bool() == Some(v == "true")
        }),
        ("ReadOnly", "true".into(), |e, v| {
            e["readOnly"].as_bool() == Some(v == "true")
        }),
        ("Username", "Maria".into(), |e, v| {
            e["userIdentity"]["userName"] == v
        }),
        ("ResourceType", "AWS::IAM::Role".into(), |e, v| {
            e["resources"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["type"] == v))
        }),
        ("ResourceName", PROD_ROLE.into(), |e, v| {
            e["resources"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["ARN"] == v))
        }),
        ("EventSource", "signin.amazonaws.com".into(), |e, v| {
            e["eventSource"] == v
        }),
        (
            "AccessKeyId",
            assume["userIdentity"]["accessKeyId"]
                .as_str()
                .unwrap()
                .into(),
            |e, v| e["userIdentity"]["accessKeyId"] == v,
        ),
    ];
    for (key, value, holds) in cases {
        let found = look_up(key, &value, None, None).unwrap().events;
        let expected = all.iter().filter(|e| holds(e, &value)).count();
        assert_eq!(found.len(), expected, "{key}={value}");
        assert!(
            found.iter().all(|e| holds(&json(e), &value)),
            "{key}={value}"
        );
        assert!(
            expected > 0 || key == "ReadOnly",
            "{key}={value} finds something"
        );
    }
    // A token is for the lookup that gave it, even one that finds the same events.
    let first = look_up("EventName", "AssumeRole", Some(1), None).unwrap();
    let token = first.next_token.expect("a second AssumeRole");
    let second = look_up("EventName", "AssumeRole", Some(1), Some(token.clone())).unwrap();
    let both = look_up("EventName", "AssumeRole", None, None)
        .unwrap()
        .events;
    assert_eq!(
        [first.events, second.events].concat(),
        both,
        "the pages are the lookup in order"
    );
    let other = look_up("ResourceName", PROD_ROLE, Some(1), Some(token)).unwrap_err();
    assert_eq!(other.code, crate::fault::ErrorCode::InvalidNextToken);
}

/// CloudTrail API Reference, LookupEvents: `StartTime` after `EndTime` is
/// `InvalidTimeRangeException`; equal times are a range of one second.
#[test]
fn a_lookup_s_range_may_be_one_second_but_not_reversed() {
    use crate::ops::trail::LookupEvents;
    let mut d = demo();
    d.david(true);
    let admin = long_term(crate::demo::CORP_ADMIN);
    let range = |start: Timestamp, end: Timestamp| {
        let request = LookupEvents {
            start: Some(start),
            end: Some(end),
            ..LookupEvents::default()
        };
        d.world.cloudtrail_lookup_events(admin, &request, NOW)
    };
    assert_eq!(range(NOW, NOW).unwrap().events.len(), 1, "David's sign-in");
    assert_eq!(
        range(NOW.plus(1), NOW).unwrap_err().code,
        crate::fault::ErrorCode::InvalidTimeRange
    );
}
