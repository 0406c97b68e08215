use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::clock::Timestamp;
use crate::ops::{AssumeRole, Presented};
use crate::world::demo_world;

const NOW: Timestamp = Timestamp(1_796_040_000);
const PROD_ROLE: &str = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB";

/// `c` as a caller presents it.
fn presented(c: &crate::world::Credentials) -> Presented<'_> {
    Presented {
        access_key_id: &c.access_key_id,
        secret: Some(c.secret_access_key.expose()),
        session_token: Some(c.session_token.expose()),
        origin: None,
    }
}

/// The walk-through's morning: David signs in with MFA and switches to production; Maria
/// signs in and is refused; the rows of David's and Maria's account, newest first.
fn morning() -> Vec<ActivityRow> {
    rows_of(&morning_world(), "111111111111")
}

/// Account `account`'s rows of `w`'s trail, newest first.
fn rows_of(w: &crate::world::World, account: &str) -> Vec<ActivityRow> {
    w.live
        .trail
        .events()
        .rev()
        .filter(|e| &*e.recipient_account_id == account)
        .map(ActivityRow::of)
        .collect()
}

/// The world after that morning.
fn morning_world() -> crate::world::World {
    let mut w = demo_world();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let seed = crate::demo::DAVID_MFA_SEED;
    let code = crate::totp::Totp::from_base32(seed).unwrap().code_at(NOW);
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
    let maria = w
        .console_sign_in(
            &mut rng,
            "example-corp",
            "Maria",
            "maria-Pa55word!",
            None,
            NOW,
        )
        .unwrap()
        .credentials;
    let switch = AssumeRole {
        role_arn: PROD_ROLE.into(),
        role_session_name: "console".into(),
        ..Default::default()
    };
    for c in [&david, &maria] {
        let _ = w.console_switch_role(&mut rng, presented(c), &switch, NOW);
    }
    w
}

#[test]
fn records_read_as_who_did_what_with_mfa_and_why_refused() {
    let rows = morning();
    let said: Vec<_> = rows
        .iter()
        .map(|r| (r.who.as_str(), r.what.as_str(), r.mfa, r.refused.is_some()))
        .collect();
    let to_prod = "AccessToProdDynamoDB in 2222-2222-2222";
    assert_eq!(
        said,
        [
            (
                "Maria",
                &*format!("Switched role in the console to {to_prod}"),
                Some(false),
                true
            ),
            (
                "Maria",
                &*format!("Assumed role {to_prod}"),
                Some(false),
                true
            ),
            (
                "David",
                &*format!("Switched role in the console to {to_prod}"),
                Some(true),
                false
            ),
            (
                "David",
                &*format!("Assumed role {to_prod}"),
                Some(true),
                false
            ),
            ("Maria", "Signed in to the console", Some(false), false),
            ("David", "Signed in to the console", Some(true), false),
        ]
    );
    assert!(rows[0]
        .refused
        .as_deref()
        .unwrap()
        .contains("sts:AssumeRole"));
    assert_eq!(rows[0].from, "127.0.0.1");
    assert_eq!(rows[0].role_arn.as_deref(), Some(PROD_ROLE));
}

#[test]
fn the_page_keeps_rows_by_role_and_outcome_and_asks_the_server_by_person() {
    let rows = morning();
    let kept = |f: &ActivityFilter| rows.iter().filter(|r| f.keeps(r)).count();
    assert_eq!(kept(&ActivityFilter::default()), 6);
    let refused = ActivityFilter {
        outcome: Outcome::Refused,
        ..Default::default()
    };
    assert_eq!(kept(&refused), 2);
    let allowed = ActivityFilter {
        outcome: Outcome::Allowed,
        ..Default::default()
    };
    assert_eq!(kept(&allowed), 4);
    for role in ["AccessToProdDynamoDB", PROD_ROLE] {
        let by_role = ActivityFilter {
            role: Some(role.into()),
            ..Default::default()
        };
        assert_eq!(kept(&by_role), 4, "{role}");
    }
    let by_person = ActivityFilter {
        person: Some(" David ".into()),
        ..Default::default()
    };
    let request = by_person.request(Some("t".into()));
    assert_eq!(
        request.attributes,
        [LookupAttribute {
            key: "Username".into(),
            value: "David".into()
        }]
    );
    assert_eq!(
        (request.next_token.as_deref(), request.max_results),
        (Some("t"), Some(ACTIVITY_PAGE))
    );
    for outcome in [Outcome::All, Outcome::Allowed, Outcome::Refused] {
        assert_eq!(Outcome::parse(outcome.as_str()), outcome);
    }
    assert_eq!(Outcome::parse("nonsense"), Outcome::All);
}

#[test]
fn the_filter_is_the_url() {
    let f = ActivityFilter {
        person: Some("David Smith".into()),
        role: Some(PROD_ROLE.into()),
        outcome: Outcome::Refused,
    };
    let path = f.path();
    assert_eq!(
        path,
        "/activity?person=David+Smith&role=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAccessToProdDynamoDB&outcome=refused"
    );
    assert_eq!(
        ActivityFilter::from_query(path.split_once('?').unwrap().1),
        f
    );
    assert_eq!(
        ActivityFilter::from_query("person=+&outcome=x"),
        ActivityFilter::default()
    );
    assert_eq!(ActivityFilter::default().path(), "/activity");
}

#[test]
fn a_role_s_recent_sessions_are_its_assume_role_calls() {
    let request = sessions_request(PROD_ROLE);
    assert_eq!(request.attributes[0].key, "ResourceName");
    // One page: a role's page shows its latest sessions, not its whole history.
    assert_eq!(request.max_results, Some(ACTIVITY_PAGE));
    let w = morning_world();
    let events: Vec<_> = w
        .live
        .trail
        .events()
        .rev()
        .filter(|e| &*e.recipient_account_id == "222222222222")
        .cloned()
        .collect();
    let rows = recent_sessions(&events, 5);
    let said: Vec<_> = rows
        .iter()
        .map(|r| (r.who.as_str(), r.session.as_deref(), r.refused.is_some()))
        .collect();
    // Maria's refusal, then David's switch: as the role's account sees them.
    assert_eq!(
        said,
        [
            ("someone in account 1111-1111-1111", Some("console"), true),
            ("someone in account 1111-1111-1111", Some("console"), false),
        ]
    );
    assert_eq!(recent_sessions(&events, 1).len(), 1);
    assert_eq!(
        rows_of(&w, "222222222222").len(),
        4,
        "and their SwitchRole records"
    );
}
