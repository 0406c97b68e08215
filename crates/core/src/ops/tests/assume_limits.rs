//! AssumeRole's limits at their edges (STS API Reference, AssumeRole: `Policy` "up to 2,048
//! characters", `PolicyArns` "up to 10", "the plaintext that you use for both inline and
//! managed session policies can't exceed 2,048 characters", `Tags` "up to 50", a tag key 1 to
//! 128 characters, a value up to 256): the limit itself is allowed, one more is not.

use super::*;
use crate::ops::sts::check_options;

fn policy_of(len: usize) -> String {
    let frame = r#"{"Version":"2012-10-17","Statement":{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"}}"#;
    let policy = frame.replace(
        r#""Sid":"""#,
        &format!(r#""Sid":"{}""#, "x".repeat(len - frame.len())),
    );
    assert_eq!(policy.chars().count(), len);
    policy
}

fn refusal(request: &AssumeRole) -> (ErrorCode, String) {
    let e = check_options(request).err().expect("refused");
    (e.code, e.message)
}

const MANAGED: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

#[test]
fn a_session_policy_may_have_2048_characters_not_2049() {
    let at = AssumeRole {
        policy: Some(policy_of(2048)),
        ..AssumeRole::default()
    };
    assert!(check_options(&at).is_ok());
    let over = AssumeRole {
        policy: Some(policy_of(2049)),
        ..AssumeRole::default()
    };
    let (code, message) = refusal(&over);
    assert_eq!(code, ErrorCode::PackedPolicyTooLarge);
    assert!(
        message.contains("session policy is 2049 characters"),
        "{message}"
    );
}

#[test]
fn ten_managed_session_policies_not_eleven() {
    let with = |n: usize| AssumeRole {
        policy_arns: vec![MANAGED.to_owned(); n],
        ..AssumeRole::default()
    };
    assert!(check_options(&with(10)).is_ok());
    assert_eq!(refusal(&with(11)).0, ErrorCode::ValidationError);
}

#[test]
fn inline_and_managed_together_may_have_2048_characters_not_2049() {
    let with = |inline: usize| AssumeRole {
        policy: Some(policy_of(inline)),
        policy_arns: vec![MANAGED.to_owned(); 2],
        ..AssumeRole::default()
    };
    let managed = 2 * MANAGED.len();
    assert!(check_options(&with(2048 - managed)).is_ok());
    let (code, message) = refusal(&with(2049 - managed));
    assert_eq!(code, ErrorCode::PackedPolicyTooLarge);
    assert!(
        message.contains("session policies are 2049 characters"),
        "{message}"
    );
}

#[test]
fn fifty_session_tags_not_fifty_one() {
    let with = |n: usize| AssumeRole {
        tags: (0..n).map(|i| (format!("k{i}"), "v".to_owned())).collect(),
        ..AssumeRole::default()
    };
    assert!(check_options(&with(50)).is_ok());
    assert_eq!(refusal(&with(51)).0, ErrorCode::ValidationError);
}

#[test]
fn tag_keys_have_1_to_128_characters_and_values_up_to_256() {
    let tag = |key: String, value: String| AssumeRole {
        tags: vec![(key, value)],
        ..AssumeRole::default()
    };
    assert!(check_options(&tag("k".repeat(128), "v".repeat(256))).is_ok());
    assert!(check_options(&tag("k".into(), String::new())).is_ok());
    for (key, value) in [
        ("k".repeat(129), "v".to_owned()),
        (String::new(), "v".to_owned()),
        ("k".to_owned(), "v".repeat(257)),
    ] {
        assert_eq!(
            refusal(&tag(key.clone(), value.clone())).0,
            ErrorCode::ValidationError,
            "{} {}",
            key.len(),
            value.len()
        );
    }
}
