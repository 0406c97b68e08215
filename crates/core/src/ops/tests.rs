//! The demo world's walk-through (`demo-world.md`), row by row, at the level of the engine's
//! operations, plus sessions, expiry and the finer AssumeRole rules.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::clock::Timestamp;
use crate::link::RoleRef;
use crate::ops::{AssumeRole, GetSessionToken};
use crate::world::demo_world;
use crate::world::{Credentials, Item, Secret, World};

const NOW: Timestamp = Timestamp(1_796_040_000);
const PROD_ROLE: &str = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB";
const SENSITIVE_ROLE: &str = "arn:aws:iam::111111111111:role/SensitiveDataAccess";

struct Demo {
    world: World,
    rng: ChaCha8Rng,
}

fn demo() -> Demo {
    Demo {
        world: demo_world(),
        rng: ChaCha8Rng::seed_from_u64(7),
    }
}

/// An AssumeRole request for `role_arn` as `session`.
pub(super) fn assume(role_arn: &str, session: &str, duration: Option<u32>) -> AssumeRole {
    AssumeRole {
        role_arn: role_arn.to_owned(),
        role_session_name: session.to_owned(),
        duration,
        ..Default::default()
    }
}

/// A long-term access key (the demo's, `crate::demo`) as its holder presents it.
pub(super) fn long_term(k: crate::sigv4::SigningCredentials<'static>) -> Presented<'static> {
    Presented {
        access_key_id: k.access_key_id,
        secret: Some(k.secret_access_key),
        session_token: None,
        origin: None,
    }
}

/// A policy document of one statement, `body` (its members after `Sid`), with the
/// Sid padded so that the document is `size` characters as IAM counts them.
pub(super) fn policy_of_size(body: &str, size: usize) -> String {
    let doc = |pad: usize| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Sid":"S{}",{body}}}}}"#,
            "A".repeat(pad)
        )
    };
    doc(size - crate::ops::iam::policy_size(&doc(0)))
}

fn creds(c: &Credentials) -> Presented<'_> {
    Presented {
        access_key_id: &c.access_key_id,
        secret: Some(c.secret_access_key.expose()),
        session_token: Some(c.session_token.expose()),
        origin: None,
    }
}

impl Demo {
    fn david_code(&self, at: Timestamp) -> String {
        let id = crate::validation::AccountId::parse("111111111111").unwrap();
        let device = self
            .world
            .account(&id)
            .unwrap()
            .user("David")
            .unwrap()
            .mfa
            .clone()
            .unwrap();
        device.totp().code_at(at)
    }

    fn sign_in(&mut self, account: &str, user: &str, password: &str, mfa: bool) -> Credentials {
        let code = mfa.then(|| self.david_code(NOW));
        // The walk-through's sign-ins stand for separate moments, each with its own code; a
        // code reused at the same moment is refused (pinned by `mfa_codes_work_once`).
        self.world.live.mfa_guard = crate::world::MfaGuard::default();
        self.world
            .console_sign_in(&mut self.rng, account, user, password, code.as_deref(), NOW)
            .unwrap_or_else(|e| panic!("{user} signs in: {e}"))
            .credentials
    }

    fn david(&mut self, mfa: bool) -> Credentials {
        self.sign_in("example-corp", "David", "david-Pa55word!", mfa)
    }

    fn switch(&mut self, base: &Credentials, role_arn: &str) -> Result<Issued, ApiError> {
        self.world.sts_assume_role(
            &mut self.rng,
            creds(base),
            &assume(role_arn, "David", None),
            NOW,
        )
    }

    fn scan(&self, c: &Credentials, table: &str) -> Result<Vec<Item>, ApiError> {
        self.world.dynamodb_scan(creds(c), table, NOW)
    }
}

fn denial(result: Result<Issued, ApiError>) -> Denial {
    let e = result.expect_err("the switch is refused");
    assert_eq!(e.code, ErrorCode::AccessDenied, "{e:?}");
    e.denial.expect("a denial says why")
}

#[test]
fn walkthrough_david_with_mfa_switches_to_prod_by_id_and_by_alias() {
    let mut d = demo();
    let base = d.david(true);
    for account in ["222222222222", "example-prod"] {
        let arn = d
            .world
            .role_arn(
                &AccountRef::parse(account).unwrap(),
                &RoleRef::parse("AccessToProdDynamoDB").unwrap(),
            )
            .unwrap();
        assert_eq!(arn, PROD_ROLE);
        let issued = d.switch(&base, &arn).expect("allowed");
        assert_eq!(
            issued.arn.to_string(),
            "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"
        );
        assert!(issued.credentials.access_key_id.starts_with("ASIA"));
        assert!(issued.unique_id.starts_with("AROA") && issued.unique_id.ends_with(":David"));
        let role = issued.credentials;
        let items = d.scan(&role, "GameScores").expect("GameScores readable");
        assert_eq!(items.len(), 4);
        for denied in ["Players", "Billing"] {
            let e = d.scan(&role, denied).expect_err("denied");
            assert_eq!(e.code, ErrorCode::AccessDenied);
            assert!(
                matches!(e.denial, Some(Denial::NoPermission { .. })),
                "{e:?}"
            );
            assert!(
                e.message.contains(&format!("table/{denied}")),
                "{}",
                e.message
            );
        }
        assert_eq!(
            d.world.dynamodb_list_tables(creds(&role), NOW).unwrap(),
            ["Billing", "GameScores", "Players"]
        );
    }
}

#[test]
fn walkthrough_david_without_mfa_is_refused_for_mfa() {
    let mut d = demo();
    let base = d.david(false);
    assert_eq!(denial(d.switch(&base, PROD_ROLE)), Denial::MfaRequired);
    assert_eq!(
        Denial::MfaRequired.to_string(),
        "the role's trust policy requires MFA at sign-in"
    );
    // Same account, same rule: a trust policy that names the account needs its condition met.
    assert_eq!(denial(d.switch(&base, SENSITIVE_ROLE)), Denial::MfaRequired);
}

#[test]
fn walkthrough_david_with_mfa_switches_to_sensitive_data() {
    let mut d = demo();
    let base = d.david(true);
    let role = d
        .switch(&base, SENSITIVE_ROLE)
        .expect("allowed")
        .credentials;
    assert_eq!(d.scan(&role, "Payroll").unwrap().len(), 3);
    let e = d
        .scan(&role, "DevScores")
        .expect_err("the role's permissions replace David's");
    assert!(matches!(e.denial, Some(Denial::NoPermission { .. })));
}

#[test]
fn walkthrough_david_without_a_role() {
    let mut d = demo();
    let base = d.david(false);
    assert_eq!(d.scan(&base, "DevScores").unwrap().len(), 3);
    let e = d.scan(&base, "Payroll").expect_err("denied");
    assert_eq!(e.code, ErrorCode::AccessDenied);
    assert!(e.message.starts_with(
        "User: arn:aws:iam::111111111111:user/David is not authorized to perform: dynamodb:Scan"
    ));
}

#[test]
fn walkthrough_maria_has_no_assume_role_permission() {
    let mut d = demo();
    let base = d.sign_in("111111111111", "Maria", "maria-Pa55word!", false);
    let denied = denial(d.switch(&base, PROD_ROLE));
    assert_eq!(
        denied,
        Denial::NoPermission {
            action: "sts:AssumeRole".into(),
            resource: PROD_ROLE.into()
        }
    );
}

#[test]
fn walkthrough_mallory_is_not_trusted() {
    let mut d = demo();
    let base = d.sign_in("333333333333", "Mallory", "mallory-Pa55word!", false);
    assert_eq!(
        denial(d.switch(&base, PROD_ROLE)),
        Denial::NotTrusted {
            account: "333333333333".into()
        }
    );
}

#[test]
fn walkthrough_missing_or_wrong_case_role_is_access_denied() {
    let mut d = demo();
    let base = d.david(true);
    for arn in [
        "arn:aws:iam::222222222222:role/NoSuchRole",
        "arn:aws:iam::222222222222:role/accesstoproddynamodb",
        "arn:aws:iam::222222222222:role/team/AccessToProdDynamoDB",
        "arn:aws:iam::999999999999:role/AccessToProdDynamoDB",
    ] {
        let e = d.switch(&base, arn).expect_err(arn);
        assert_eq!(e.code, ErrorCode::AccessDenied, "{arn}");
        assert_eq!(e.denial, Some(Denial::NoSuchRole));
        // What AWS says never reveals that the role is missing.
        assert_eq!(
            e.message,
            format!("User: arn:aws:iam::111111111111:user/David is not authorized to perform: sts:AssumeRole on resource: {arn}")
        );
    }
    let e = d
        .world
        .role_arn(
            &AccountRef::parse("no-such-alias").unwrap(),
            &RoleRef::parse("R").unwrap(),
        )
        .unwrap_err();
    assert_eq!(e.denial, Some(Denial::NoSuchAccount));
}

/// Only a caller the role trusts and who may switch learns about MaxSessionDuration; anyone
/// else gets the AccessDenied a missing role gets, so nothing about the role leaks.
///  AWS's "Policy evaluation logic" authenticates and authorises a request before the
/// operation looks at its parameters against the resource.
#[test]
fn walkthrough_duration_above_max_session_is_a_validation_error() {
    let mut d = demo();
    let base = d.david(true);
    let e = d
        .world
        .sts_assume_role(
            &mut d.rng,
            creds(&base),
            &assume(PROD_ROLE, "David", Some(7200)),
            NOW,
        )
        .expect_err("too long");
    assert_eq!(e.code, ErrorCode::ValidationError);
    assert_eq!(
        e.message,
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    );
    let missing = "arn:aws:iam::222222222222:role/NoSuchRole";
    for (who, base) in [
        (
            "Maria",
            d.sign_in("example-corp", "Maria", "maria-Pa55word!", false),
        ),
        (
            "Mallory",
            d.sign_in("333333333333", "Mallory", "mallory-Pa55word!", false),
        ),
        // Trusted by the account but without MFA: the trust policy does not allow yet.
        ("David", d.david(false)),
    ] {
        let existing = d
            .world
            .sts_assume_role(
                &mut d.rng,
                creds(&base),
                &assume(PROD_ROLE, who, Some(7200)),
                NOW,
            )
            .expect_err("not authorised");
        let absent = d
            .world
            .sts_assume_role(
                &mut d.rng,
                creds(&base),
                &assume(missing, who, Some(7200)),
                NOW,
            )
            .expect_err("not authorised");
        assert_eq!(existing.code, ErrorCode::AccessDenied, "{who}");
        assert_eq!(absent.code, ErrorCode::AccessDenied, "{who}");
        assert_eq!(
            existing.message.replace(PROD_ROLE, "ROLE"),
            absent.message.replace(missing, "ROLE"),
            "{who}: an existing and a missing role must look the same"
        );
    }
    let base = d.david(true);
    for bad in [899, 43_201] {
        let e = d
            .world
            .sts_assume_role(
                &mut d.rng,
                creds(&base),
                &assume(PROD_ROLE, "David", Some(bad)),
                NOW,
            )
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationError);
    }
}

mod assume;
mod assume_limits;
mod attachments;
mod authorization_messages;
mod context;
mod federation;
mod policy_types;
mod resource_policies;
mod sessions;
mod trail;

/// Every denial says what to do next, in one sentence; the ones the walk-through meets name
/// the step AWS's "Troubleshoot IAM roles" page gives.
#[test]
fn every_denial_names_a_next_step() {
    let all = [
        Denial::NoPermission {
            action: "sts:AssumeRole".into(),
            resource: "arn:aws:iam::222222222222:role/R".into(),
        },
        Denial::ExplicitDeny {
            statement: "Deny *".into(),
        },
        Denial::NotTrusted {
            account: "333333333333".into(),
        },
        Denial::MfaRequired,
        Denial::ConditionFailed {
            condition: "aws:SourceIp".into(),
        },
        Denial::NoSuchRole,
        Denial::NoSuchAccount,
        Denial::RootCannotSwitch,
    ];
    for denial in &all {
        let next = denial.next_step();
        assert!(next.ends_with('.'), "{denial:?}: {next}");
        assert!(next.len() > 20, "{denial:?}: {next}");
    }
    assert!(Denial::NoSuchRole.next_step().contains("case-sensitive"));
    assert!(Denial::MfaRequired.next_step().contains("MFA code"));
    assert!(Denial::NotTrusted {
        account: "333333333333".into()
    }
    .next_step()
    .contains("trust yours"));
}
