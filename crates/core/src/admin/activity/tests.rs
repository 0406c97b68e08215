use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::clock::Timestamp;
use crate::ops::{AssumeRole, Presented};
use crate::world::demo_world;

const NOW: Timestamp = Timestamp(1_796_040_000);
const PROD_ROLE: &str = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB";

/// The walk-through's morning: David signs in with MFA and switches to production; Maria
/// signs in and is refused; the rows of David's and Maria's account, newest first.
fn morning() -> Vec<ActivityRow> {
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
        let presented = Presented {
            access_key_id: &c.access_key_id,
            secret: Some(c.secret_access_key.expose()),
            session_token: Some(c.session_token.expose()),
            origin: None,
        };
        let _ = w.console_switch_role(&mut rng, presented, &switch, NOW);
    }
    w.live
        .trail
        .events()
        .rev()
        .filter(|e| e.recipient_account_id == "111111111111")
        .map(ActivityRow::of)
        .collect()
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
    assert_eq!(request.next_token.as_deref(), Some("t"));
    assert_eq!(Outcome::parse(Outcome::Refused.as_str()), Outcome::Refused);
    assert_eq!(Outcome::parse("nonsense"), Outcome::All);
}
