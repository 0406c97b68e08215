//! The mock's protocol, as the worker and the in-page host both run it: text in, text out.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use super::*;
use crate::demo::DAVID_MFA_SEED;
use crate::fault::ErrorCode;
use crate::ops::Denial;
use crate::totp::Totp;
use crate::world::trail::TrailEvent;

const NOW: Timestamp = Timestamp(1_796_040_000);

/// A host and the console's side of the conversation, through text only.
struct Conversation {
    host: MockHost,
    rng: ChaCha20Rng,
    next_id: u64,
    /// The trail as the page keeps it.
    kept: KeptTrail,
}

impl Conversation {
    fn new() -> Self {
        Self {
            host: MockHost::new(),
            rng: ChaCha20Rng::seed_from_u64(7),
            next_id: 0,
            kept: KeptTrail::default(),
        }
    }

    /// The page reloaded: it saves its trail, and a new worker starts from it.
    fn reload(mut self) -> Self {
        self.kept.take_unsaved();
        let saved = self.kept.saved().map(ToOwned::to_owned);
        let mut next = Self::new();
        next.kept = KeptTrail::loaded(saved.clone());
        next.send(MockCall::Start {
            protocol: PROTOCOL,
            world: None,
            sessions: None,
            source_ip: None,
            iam: None,
            trail: saved,
        });
        next
    }

    /// What the page would save now, read.
    fn page_trail(&mut self) -> Vec<TrailEvent> {
        self.kept.take_unsaved();
        self.kept
            .saved()
            .map_or_else(Vec::new, |t| serde_json::from_str(t.get()).unwrap())
    }

    /// The engine's trail, read.
    fn engine_trail(&self) -> Vec<TrailEvent> {
        let world = self.host.world.as_ref().expect("started");
        world.live.trail.events().cloned().collect()
    }

    /// CloudTrail LookupEvents by `who`: the events' names, newest first.
    fn look_up(&mut self, who: Credentials) -> Vec<String> {
        let body =
            crate::wire::cloudtrail::request_body(&crate::ops::trail::LookupEvents::default());
        let reply = self.send(MockCall::CloudTrail {
            credentials: who,
            body,
        });
        let Ok(MockAnswer::CloudTrail(json)) = reply.result else {
            panic!("{:?}", reply.result)
        };
        let page = crate::client::read_lookup_events(200, &json).unwrap();
        page.events
            .iter()
            .map(|e| e.event_name.to_string())
            .collect()
    }

    fn send(&mut self, call: MockCall) -> MockReply {
        self.next_id += 1;
        let request = MockRequest {
            id: self.next_id,
            now: NOW,
            call,
        };
        let reply = MockReply::from_text(&self.host.handle(&mut self.rng, &request.to_text()))
            .expect("the host's reply reads back");
        if let Some(recorded) = &reply.recorded {
            self.kept.add(recorded);
        }
        assert_eq!(reply.id, self.next_id, "the reply names its request");
        reply
    }

    fn start(&mut self, world: Option<String>, sessions: Option<Sessions>) -> MockReply {
        self.send(MockCall::Start {
            protocol: PROTOCOL,
            world,
            sessions: sessions.map(|s| serde_json::value::to_raw_value(&s).unwrap()),
            source_ip: None,
            iam: None,
            trail: None,
        })
    }

    fn sign_in_david(&mut self) -> (Issued, Sessions) {
        let code = Totp::from_base32(DAVID_MFA_SEED).unwrap().code_at(NOW);
        let reply = self.send(MockCall::SignIn {
            account: "example-corp".into(),
            user: "David".into(),
            password: "david-Pa55word!".into(),
            mfa_code: Some(code),
        });
        match reply.result {
            Ok(MockAnswer::Issued(ref issued)) => {
                (issued.clone(), reply.sessions().expect("sessions kept"))
            }
            other => panic!("David signs in: {other:?}"),
        }
    }

    /// CorpAdmin's credentials (a password sign-in, no MFA).
    fn sign_in_corp_admin(&mut self) -> Credentials {
        self.sign_in_corp_admin_replied().0
    }

    /// CorpAdmin's credentials, and the whole reply that issued them.
    fn sign_in_corp_admin_replied(&mut self) -> (Credentials, MockReply) {
        let reply = self.send(MockCall::SignIn {
            account: "example-corp".into(),
            user: "CorpAdmin".into(),
            password: "corpadmin-Pa55word!".into(),
            mfa_code: None,
        });
        match &reply.result {
            Ok(MockAnswer::Issued(issued)) => (issued.credentials.clone(), reply),
            other => panic!("CorpAdmin signs in: {other:?}"),
        }
    }

    fn switch(&mut self, credentials: &Credentials, account: &str, role: &str) -> MockReply {
        self.send(MockCall::SwitchRole {
            credentials: credentials.clone(),
            account: account.parse().unwrap(),
            role: RoleRef::parse(role).unwrap(),
            session_name: "David".into(),
        })
    }
}

#[test]
fn the_worker_says_it_is_ready_with_id_zero() {
    let ready = MockReply::from_text(&MockReply::ready()).unwrap();
    assert_eq!(ready.id, 0);
    assert_eq!(ready.result, Ok(MockAnswer::Ready));
}

#[test]
fn the_walk_through_runs_through_text() {
    let mut c = Conversation::new();
    assert_eq!(c.start(None, None).result, Ok(MockAnswer::Started));
    let (base, _) = c.sign_in_david();
    assert_eq!(base.arn.to_string(), "arn:aws:iam::111111111111:user/David");

    let reply = c.switch(&base.credentials, "example-prod", "AccessToProdDynamoDB");
    let role = match &reply.result {
        Ok(MockAnswer::Issued(ref role)) => role.clone(),
        other => panic!("the switch is allowed: {other:?}"),
    };
    assert!(role
        .arn
        .to_string()
        .starts_with("arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"));
    let sessions = reply.sessions().expect("a switch changes the sessions");
    assert!(sessions.get(&role.credentials.access_key_id).is_some());

    let tables = c.send(MockCall::ListTables {
        credentials: role.credentials.clone(),
    });
    assert!(
        matches!(tables.result, Ok(MockAnswer::Tables(ref t)) if t.contains(&"GameScores".to_owned()))
    );
    assert!(tables.sessions.is_none(), "reads leave the sessions alone");

    let items = c.send(MockCall::Scan {
        credentials: role.credentials.clone(),
        table: "GameScores".into(),
    });
    assert!(matches!(items.result, Ok(MockAnswer::Items(ref i)) if !i.is_empty()));

    // Denials keep their explanation across the text.
    let denied = c.send(MockCall::Scan {
        credentials: role.credentials.clone(),
        table: "Billing".into(),
    });
    match denied.result {
        Err(MockFault::Refused(e)) => {
            assert_eq!(e.code, ErrorCode::AccessDenied);
            assert!(e.denial.is_some(), "{e:?}");
        }
        other => panic!("Billing is denied: {other:?}"),
    }

    let out = c.send(MockCall::SignOut {
        access_key_id: role.credentials.access_key_id.clone(),
    });
    assert_eq!(out.result, Ok(MockAnswer::SignedOut));
    assert!(out
        .sessions()
        .expect("sign-out changes the sessions")
        .get(&role.credentials.access_key_id)
        .is_none());
    let after = c.send(MockCall::ListTables {
        credentials: role.credentials,
    });
    assert!(
        matches!(after.result, Err(MockFault::Refused(ref e)) if e.code == ErrorCode::InvalidClientTokenId),
        "{after:?}"
    );
}

/// A reload starts a new worker: the sessions the console kept from the last reply still work.
#[test]
fn sessions_survive_a_new_worker() {
    let mut first = Conversation::new();
    first.start(None, None);
    let (base, sessions) = first.sign_in_david();

    let mut second = Conversation::new();
    second.start(None, Some(sessions));
    let reply = second.switch(&base.credentials, "222222222222", "AccessToProdDynamoDB");
    assert!(
        matches!(reply.result, Ok(MockAnswer::Issued(_))),
        "{reply:?}"
    );

    let mut fresh = Conversation::new();
    fresh.start(None, None);
    let reply = fresh.switch(&base.credentials, "222222222222", "AccessToProdDynamoDB");
    assert!(
        matches!(reply.result, Err(MockFault::Refused(_))),
        "{reply:?}"
    );
}

/// Stored sessions that do not read (tampered with, another version's) sign the tab out;
/// the mock still starts.
#[test]
fn unreadable_stored_sessions_are_dropped() {
    let mut c = Conversation::new();
    let reply = c.send(MockCall::Start {
        protocol: PROTOCOL,
        world: None,
        sessions: Some(RawValue::from_string(r#"{"not": "sessions"}"#.into()).unwrap()),
        source_ip: None,
        iam: None,
        trail: None,
    });
    assert_eq!(reply.result, Ok(MockAnswer::Started));
    assert_eq!(reply.sessions(), Some(Sessions::default()));
}

#[test]
fn switching_without_permission_is_denied_with_the_reason() {
    let mut c = Conversation::new();
    c.start(None, None);
    let reply = c.send(MockCall::SignIn {
        account: "example-corp".into(),
        user: "Maria".into(),
        password: "maria-Pa55word!".into(),
        mfa_code: None,
    });
    let Ok(MockAnswer::Issued(maria)) = reply.result else {
        panic!("Maria signs in: {reply:?}");
    };
    let reply = c.switch(&maria.credentials, "222222222222", "AccessToProdDynamoDB");
    match reply.result {
        Err(MockFault::Refused(e)) => {
            assert_eq!(e.code, ErrorCode::AccessDenied);
            assert!(
                matches!(e.denial, Some(Denial::NoPermission { .. })),
                "{e:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(reply.sessions.is_none(), "a refusal changes nothing");
}

#[test]
fn calls_before_the_world_is_loaded_are_refused() {
    let mut c = Conversation::new();
    assert_eq!(
        c.send(MockCall::DemoUsers).result,
        Err(MockFault::NotStarted)
    );
}

#[test]
fn a_worker_from_another_build_says_so() {
    let mut c = Conversation::new();
    let reply = c.send(MockCall::Start {
        protocol: PROTOCOL + 1,
        world: None,
        sessions: None,
        source_ip: None,
        iam: None,
        trail: None,
    });
    assert_eq!(reply.result, Err(MockFault::OtherVersion(PROTOCOL)));
    assert_eq!(
        c.send(MockCall::DemoUsers).result,
        Err(MockFault::NotStarted)
    );
}

#[test]
fn a_bad_world_file_is_reported_and_nothing_is_loaded() {
    let mut c = Conversation::new();
    let reply = c.start(Some(r#"{"accounts": [{"id": "12"}]}"#.into()), None);
    match reply.result {
        Err(MockFault::BadWorld(message)) => assert!(!message.is_empty()),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.send(MockCall::DemoUsers).result,
        Err(MockFault::NotStarted)
    );

    let world = include_str!("../../../../public/demo-world.json");
    assert_eq!(
        c.start(Some(world.into()), None).result,
        Ok(MockAnswer::Started)
    );
}

#[test]
fn unreadable_calls_are_answered_not_dropped() {
    let mut c = Conversation::new();
    let text = c.host.handle(
        &mut c.rng,
        r#"{"id": 42, "now": 0, "call": {"call": "fly"}}"#,
    );
    let reply = MockReply::from_text(&text).unwrap();
    assert_eq!(reply.id, 42, "the caller still hears back");
    assert!(matches!(reply.result, Err(MockFault::Unreadable(_))));

    let text = c.host.handle(&mut c.rng, "not json at all");
    let reply = MockReply::from_text(&text).unwrap();
    assert_eq!(reply.id, 0);
    assert!(matches!(reply.result, Err(MockFault::Unreadable(_))));
}

#[test]
fn demo_users_have_the_current_mfa_code() {
    let mut c = Conversation::new();
    c.start(None, None);
    let Ok(MockAnswer::DemoUsers(users)) = c.send(MockCall::DemoUsers).result else {
        panic!("demo users");
    };
    let david = users.iter().find(|u| u.user == "David").expect("David");
    assert_eq!(david.account, "example-corp");
    assert_eq!(david.password, "david-Pa55word!");
    assert_eq!(
        david.mfa_code.as_deref(),
        Some(
            Totp::from_base32(DAVID_MFA_SEED)
                .unwrap()
                .code_at(NOW)
                .as_str()
        )
    );
    assert!(users
        .iter()
        .any(|u| u.user == "Maria" && u.mfa_code.is_none()));
    assert!(
        !users.iter().any(|u| u.user == "ProdOps"),
        "no password, not offered"
    );
}

/// The credentials a call carries travel as JSON, but never show in `Debug` output.
#[test]
fn calls_printed_hide_their_secrets() {
    let mut c = Conversation::new();
    c.start(None, None);
    let (base, _) = c.sign_in_david();
    let call = MockCall::ListTables {
        credentials: base.credentials.clone(),
    };
    let shown = format!("{call:?}");
    assert!(
        !shown.contains(base.credentials.secret_access_key.expose()),
        "{shown}"
    );
    assert!(
        !shown.contains(base.credentials.session_token.expose()),
        "{shown}"
    );
}

/// The mock serves IAM's simulator too, so the console can explain a decision before anyone
/// acts, on the same engine as the emulator.
#[test]
fn the_simulator_answers_through_the_protocol() {
    let mut c = Conversation::new();
    c.start(None, None);
    let reply = c.send(MockCall::SignIn {
        account: "example-corp".into(),
        user: "CorpAdmin".into(),
        password: "corpadmin-Pa55word!".into(),
        mfa_code: None,
    });
    let Ok(MockAnswer::Issued(admin)) = reply.result else {
        panic!("CorpAdmin signs in: {reply:?}");
    };
    let reply = c.send(MockCall::Simulate {
        credentials: admin.credentials,
        source: Some("arn:aws:iam::111111111111:user/David".into()),
        simulation: crate::ops::simulate::Simulation {
            actions: vec!["sts:AssumeRole".into()],
            resources: vec!["arn:aws:iam::222222222222:role/AccessToProdDynamoDB".into()],
            ..Default::default()
        },
    });
    match reply.result {
        Ok(MockAnswer::Evaluation(results)) => {
            assert_eq!(results[0].decision, "allowed");
            assert_eq!(results[0].matched[0].policy_id, "AllowSwitchToProdDynamoDB");
        }
        other => panic!("{other:?}"),
    }
}

/// A configured source address is every call's aws:SourceIp ("AWS global condition context
/// keys"); without one the key is absent.
#[test]
fn the_configured_source_ip_is_aws_source_ip() {
    let mut world = demo_world();
    let corp = world
        .accounts
        .iter_mut()
        .find(|a| a.id.as_str() == "111111111111")
        .unwrap();
    corp.groups[0].policies.insert(
        "OfficeOnly".into(),
        crate::world::PolicyDoc::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"dynamodb:ListTables","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}}"#,
        )
        .unwrap(),
    );
    let text = world.to_json();
    let list_tables_from = |source_ip: Option<&str>| {
        let mut c = Conversation::new();
        let reply = c.send(MockCall::Start {
            protocol: PROTOCOL,
            world: Some(text.clone()),
            sessions: None,
            source_ip: source_ip.map(|ip| ip.parse().unwrap()),
            iam: None,
            trail: None,
        });
        assert_eq!(reply.result, Ok(MockAnswer::Started));
        let (base, _) = c.sign_in_david();
        c.send(MockCall::ListTables {
            credentials: base.credentials,
        })
        .result
    };
    assert!(matches!(
        list_tables_from(Some("203.0.113.7")),
        Ok(MockAnswer::Tables(_))
    ));
    assert!(matches!(
        list_tables_from(Some("198.51.100.1")),
        Err(MockFault::Refused(_))
    ));
    assert!(
        matches!(list_tables_from(None), Err(MockFault::Refused(_))),
        "absent: NotIpAddress holds"
    );
}

/// The console's IAM pages ask the mock in IAM's own form and read its XML with the client's
/// readers, exactly as they read the emulator's.
#[test]
fn iam_calls_answer_in_iam_s_xml() {
    use crate::wire::iam::IamRequest;
    let mut c = Conversation::new();
    c.start(None, None);
    let reply = c.send(MockCall::SignIn {
        account: "example-prod".into(),
        user: "ProdAdmin".into(),
        password: "prodadmin-Pa55word!".into(),
        mfa_code: None,
    });
    let Ok(MockAnswer::Issued(admin)) = reply.result else {
        panic!("ProdAdmin signs in: {reply:?}");
    };
    let reply = c.send(MockCall::Iam {
        credentials: admin.credentials.clone(),
        form: IamRequest::ListRoles.to_form(),
    });
    let Ok(MockAnswer::Iam(xml)) = reply.result else {
        panic!("{reply:?}");
    };
    let roles = crate::client::read_roles(200, &xml).unwrap();
    assert_eq!(roles.len(), 2);
    assert!(
        reply.sessions.is_none(),
        "IAM calls leave the sessions alone"
    );

    let (base, _) = c.sign_in_david();
    let reply = c.send(MockCall::Iam {
        credentials: base.credentials,
        form: IamRequest::ListRoles.to_form(),
    });
    assert!(
        matches!(reply.result, Err(MockFault::Refused(ref e)) if e.code == ErrorCode::AccessDenied),
        "{reply:?}"
    );
    let reply = c.send(MockCall::Iam {
        credentials: admin.credentials,
        form: "Action=Nope&Version=2010-05-08".into(),
    });
    assert!(
        matches!(reply.result, Err(MockFault::Refused(_))),
        "{reply:?}"
    );
}

/// The administrator's changes come back with the reply that made them (an
/// `IamState`, holding no secret), and a later start restores them; a state that does not fit
/// is dropped and the shipped world starts.
#[test]
fn the_administrators_changes_are_kept_and_restored_without_secrets() {
    let mut c = Conversation::new();
    c.start(None, None);
    let admin = c.sign_in_corp_admin();
    let grant = crate::admin::grant_request(
        "Developers",
        "arn:aws:iam::222222222222:role/AccessToProdDynamoDB",
    )
    .unwrap();
    let reply = c.send(MockCall::Iam {
        credentials: admin.clone(),
        form: grant.to_form(),
    });
    let kept = reply.iam.expect("an IAM write sends the state to keep");
    for secret in [
        "david-Pa55word!",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        DAVID_MFA_SEED,
        "AKIAIOSFODNN7EXAMPLE",
        "corpadmin-Pa55word!",
    ] {
        assert!(
            !kept.get().contains(secret),
            "the kept state holds no {secret}"
        );
    }
    assert!(kept
        .get()
        .contains("SwitchToAccessToProdDynamoDBIn222222222222"));
    // A read sends nothing to keep.
    let read = c.send(MockCall::Iam {
        credentials: admin,
        form: crate::wire::iam::IamRequest::ListGroups.to_form(),
    });
    assert!(read.iam.is_none());

    let names_after_restart = |iam: Option<Box<RawValue>>| {
        let mut fresh = Conversation::new();
        fresh.send(MockCall::Start {
            protocol: PROTOCOL,
            world: None,
            sessions: None,
            source_ip: None,
            iam,
            trail: None,
        });
        let world = fresh.host.world.as_ref().unwrap();
        let corp = world.account(&"111111111111".parse().unwrap()).unwrap();
        let developers = corp.group("Developers").unwrap();
        developers
            .policies
            .get("SwitchToAccessToProdDynamoDBIn222222222222")
            .is_some()
    };
    assert!(names_after_restart(Some(kept)), "restored after a reload");
    let tampered = RawValue::from_string(
        r#"{"format":1,"accounts":[{"id":"111111111111","roles":[{"name":"bad name!"}],"groups":[],"policies":[]}]}"#.into(),
    )
    .unwrap();
    assert!(
        !names_after_restart(Some(tampered)),
        "a tampered state is dropped"
    );
    assert!(!names_after_restart(None), "reset: the shipped world");
}

/// Two tabs, each with its own engine, share the kept changes: when one keeps a change, the
/// other takes it (`FollowIam`, sent on the storage event) before its own next change, so
/// neither overwrites the other; a reset in one tab brings the other back to the shipped world.
#[test]
fn a_tab_follows_another_tabs_administrators_changes() {
    let grant_for = |c: &mut Conversation, role: &str| {
        let admin = c.sign_in_corp_admin();
        let grant = crate::admin::grant_request("Developers", role).unwrap();
        c.send(MockCall::Iam {
            credentials: admin,
            form: grant.to_form(),
        })
        .iam
        .expect("a write sends the state to keep")
    };
    let developers_policies = |c: &Conversation| -> Vec<String> {
        let world = c.host.world.as_ref().unwrap();
        let corp = world.account(&"111111111111".parse().unwrap()).unwrap();
        corp.group("Developers")
            .unwrap()
            .policies
            .keys()
            .filter(|k| k.starts_with("SwitchTo"))
            .map(ToString::to_string)
            .collect()
    };
    let (mut a, mut b) = (Conversation::new(), Conversation::new());
    a.start(None, None);
    b.start(None, None);
    let kept_by_a = grant_for(
        &mut a,
        "arn:aws:iam::222222222222:role/AccessToProdDynamoDB",
    );
    assert_eq!(
        b.send(MockCall::FollowIam {
            iam: Some(kept_by_a)
        })
        .result,
        Ok(MockAnswer::Followed)
    );
    let kept_by_b = grant_for(&mut b, "arn:aws:iam::222222222222:role/ops/ProdOperator");
    assert!(
        kept_by_b
            .get()
            .contains("SwitchToAccessToProdDynamoDBIn222222222222")
            && kept_by_b
                .get()
                .contains("SwitchToProdOperatorIn222222222222"),
        "b's change keeps a's: {}",
        kept_by_b.get()
    );
    // Following sends nothing back to keep (no echo between tabs).
    let echo = a.send(MockCall::FollowIam {
        iam: Some(kept_by_b),
    });
    assert!(echo.iam.is_none());
    assert_eq!(developers_policies(&a).len(), 2);
    // Another tab's reset, or a state that does not read, in turn.
    let garbled = RawValue::from_string(r#"{"format":1,"accounts":"no"}"#.into()).unwrap();
    a.send(MockCall::FollowIam { iam: Some(garbled) });
    assert_eq!(developers_policies(&a).len(), 2, "nothing taken from it");
    a.send(MockCall::FollowIam { iam: None });
    assert!(developers_policies(&a).is_empty(), "the shipped world");
}

/// The audit trail outlives a reload: each reply carries the records its call added, the page
/// keeps them with those it loaded, the next start takes them back unread (the first call
/// after a reload waits for none of them), and CorpAdmin looks them up as CloudTrail's JSON.
#[test]
fn the_trail_is_kept_across_a_reload_and_looked_up() {
    let mut c = Conversation::new();
    c.start(None, None);
    let (david, _) = c.sign_in_david();
    let switched = c.switch(&david.credentials, "222222222222", "AccessToProdDynamoDB");
    let added: Vec<TrailEvent> =
        serde_json::from_str(switched.recorded.expect("a switch records").get()).unwrap();
    let names: Vec<_> = added.iter().map(|e| e.event_name.as_ref()).collect();
    assert_eq!(
        names,
        ["AssumeRole", "AssumeRole", "SwitchRole", "SwitchRole"],
        "its own records only (each in both accounts)"
    );
    let listed = c.send(MockCall::DemoUsers);
    assert!(listed.recorded.is_none(), "a call that records nothing");
    let before = c.engine_trail();
    assert_eq!(c.page_trail(), before);

    let mut fresh = c.reload();
    assert!(fresh.host.trail_text.has_unread(), "the start read none");
    assert!(fresh.engine_trail().is_empty());
    let (admin, signed_in) = fresh.sign_in_corp_admin_replied();
    let added: Vec<TrailEvent> =
        serde_json::from_str(signed_in.recorded.expect("a sign-in records").get()).unwrap();
    assert_eq!(added.len(), 1, "the sign-in's record, not the kept ones");
    // Refused (David may not look events up): read for nobody.
    let (david, _) = fresh.sign_in_david();
    let body = crate::wire::cloudtrail::request_body(&crate::ops::trail::LookupEvents::default());
    let refused = fresh.send(MockCall::CloudTrail {
        credentials: david.credentials,
        body,
    });
    assert!(
        matches!(&refused.result, Err(MockFault::Refused(e)) if e.code == ErrorCode::AccessDenied),
        "{:?}",
        refused.result
    );
    assert!(fresh.host.trail_text.has_unread(), "not read for a refusal");
    assert_eq!(
        fresh.look_up(admin),
        [
            "ConsoleLogin",
            "ConsoleLogin",
            "SwitchRole",
            "AssumeRole",
            "ConsoleLogin"
        ],
        "David's and CorpAdmin's sign-ins, then David's switch and sign-in, newest first"
    );
    assert!(!fresh.host.trail_text.has_unread());
    assert_eq!(fresh.engine_trail()[..before.len()], before[..]);
    assert_eq!(
        fresh.page_trail(),
        fresh.engine_trail(),
        "the page keeps the same"
    );
}

/// The page and the engine keep the same [`MOCK_TRAIL_MAX`] records, the oldest left out,
/// across reloads whether or not the trail was read in between.
#[test]
fn the_page_and_the_engine_keep_the_same_bounded_trail() {
    let mut busy = Conversation::new();
    busy.start(None, None);
    for _ in 0..MOCK_TRAIL_MAX + 5 {
        busy.sign_in_corp_admin();
    }
    assert_eq!(busy.engine_trail().len(), MOCK_TRAIL_MAX);
    assert_eq!(busy.page_trail(), busy.engine_trail());
    let newest = busy.engine_trail().pop();
    // Reloaded, three records added unread, reloaded again, read.
    let mut reloaded = busy.reload();
    for _ in 0..3 {
        reloaded.sign_in_corp_admin();
    }
    let mut again = reloaded.reload();
    let admin = again.sign_in_corp_admin();
    let found = again.look_up(admin);
    assert_eq!(found.len(), crate::ops::trail::MAX_RESULTS as usize);
    let engine = again.engine_trail();
    assert_eq!(engine.len(), MOCK_TRAIL_MAX);
    assert_eq!(
        engine[MOCK_TRAIL_MAX - 5],
        newest.unwrap(),
        "four sign-ins after it"
    );
    assert_eq!(again.page_trail(), engine);
}
