//! Policy evaluation speed, for `scripts/bench.sh` (not a test): the demo world's AssumeRole
//! decision (David with MFA → AccessToProdDynamoDB: authentication, context, identity and
//! trust policies), and one evaluation against a policy of 1, 10, 100 and 1,000 statements
//! where only the last matches (how cost grows with size). Each figure is the median of 15
//! batches of about 0.2 s. Prints one JSON object.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crossrole_core::clock::Timestamp;
use crossrole_core::demo::{DAVID, DAVID_MFA_SEED, DAVID_MFA_SERIAL, PROD_ROLE};
use crossrole_core::ops::Presented;
use crossrole_core::ops::{AssumeRole, GetSessionToken};
use crossrole_core::policy::{evaluate, Context, Policy, Request};
use crossrole_core::totp::Totp;
use crossrole_core::world::demo_world;
use rand_chacha::rand_core::SeedableRng;

/// Nanoseconds per call of `f`: the median over 15 batches.
fn ns_per_call(mut f: impl FnMut()) -> f64 {
    // Size a batch to about 0.2 s.
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() > Duration::from_millis(50) {
            n = (n as f64 * 200.0 / t.elapsed().as_millis().max(1) as f64) as u64 + 1;
            break;
        }
        n *= 2;
    }
    let mut batches: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_nanos() as f64 / n as f64
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    batches[batches.len() / 2]
}

fn policy_of(statements: usize) -> Policy {
    let list: Vec<String> = (0..statements)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:us-west-2:111111111111:table/T{i}"}}"#
            )
        })
        .collect();
    Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        list.join(",")
    ))
    .expect("a valid policy")
}

fn main() {
    let now = Timestamp(1_796_040_000);
    let mut world = demo_world();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let code = Totp::from_base32(DAVID_MFA_SEED).unwrap().code_at(now);
    let session = world
        .sts_get_session_token(
            &mut rng,
            Presented {
                access_key_id: DAVID.access_key_id,
                secret: Some(DAVID.secret_access_key),
                session_token: None,
                origin: None,
            },
            &GetSessionToken {
                duration: None,
                serial_number: Some(DAVID_MFA_SERIAL.into()),
                token_code: Some(code),
            },
            now,
        )
        .expect("David signs in with MFA")
        .credentials;
    let presented = Presented {
        access_key_id: &session.access_key_id,
        secret: None,
        session_token: Some(session.session_token.expose()),
        origin: None,
    };
    world
        .sts_may_assume_role(presented, PROD_ROLE, now)
        .expect("David may switch");
    let decision = ns_per_call(|| {
        black_box(world.sts_may_assume_role(black_box(presented), PROD_ROLE, now)).ok();
    });

    // A whole AssumeRole (David's session into production: a cross-account call, so two
    // records), with the audit trail full (each record also retires the oldest) and without.
    let request = AssumeRole {
        role_arn: PROD_ROLE.to_owned(),
        role_session_name: "bench".to_owned(),
        ..AssumeRole::default()
    };
    let mut assume = |world: &mut crossrole_core::world::World| {
        ns_per_call(|| {
            black_box(world.sts_assume_role(&mut rng, black_box(presented), &request, now)).ok();
        })
    };
    let mut with_trail = world.clone();
    with_trail.live.trail = crossrole_core::world::trail::Trail::with_max(1_000);
    let trail_on = assume(&mut with_trail);
    let mut without = world.clone();
    without.live.trail.enabled = false;
    let trail_off = assume(&mut without);

    let context = Context::new();
    let growth: Vec<(usize, f64)> = [1usize, 10, 100, 1000]
        .into_iter()
        .map(|n| {
            let policy = policy_of(n);
            let resource = format!("arn:aws:dynamodb:us-west-2:111111111111:table/T{}", n - 1);
            let request = Request {
                action: "dynamodb:Scan",
                resource: &resource,
                caller: None,
                context: &context,
            };
            let ns = ns_per_call(|| {
                black_box(evaluate([("p", &policy)], black_box(&request)));
            });
            (n, ns)
        })
        .collect();
    let growth_json: Vec<String> = growth
        .iter()
        .map(|(n, ns)| format!(r#"{{"statements":{n},"ns":{ns:.1}}}"#))
        .collect();
    println!(
        r#"{{"assumeRoleDecisionNs":{decision:.1},"decisionsPerSecond":{:.0},"assumeRoleNs":{{"trailOn":{trail_on:.1},"trailOff":{trail_off:.1}}},"growth":[{}]}}"#,
        1e9 / decision,
        growth_json.join(",")
    );
}
