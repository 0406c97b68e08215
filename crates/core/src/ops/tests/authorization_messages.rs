//! Encoded authorization messages: a refusal keeps its decision under a token, and STS
//! DecodeAuthorizationMessage gives it back to whom AWS would.

use super::*;
use crate::demo::{CORP_ADMIN, PROD_ADMIN};
use crate::fault::ErrorCode;
use crate::world::AUTHORIZATION_MESSAGES_MAX;

/// Maria's refused ListTables, kept: its token and the decision's text.
fn maria_refused(d: &mut Demo, maria: &Credentials) -> (String, String) {
    let e = d.world.dynamodb_list_tables(creds(maria), NOW).unwrap_err();
    let message = *e
        .authorization
        .expect("a refusal by Maria's own policies has one");
    let decoded = message.decoded.clone();
    (
        d.world.keep_authorization_message(&mut d.rng, message),
        decoded,
    )
}

/// The demo world keeping authorization messages, and Maria signed in.
fn with_messages() -> (Demo, Credentials) {
    let mut d = demo();
    d.world.live.authorization_messages.enabled = true;
    let maria = d.sign_in("example-corp", "Maria", "maria-Pa55word!", false);
    (d, maria)
}

fn decode(d: &Demo, who: Presented<'_>, token: &str) -> Result<String, ApiError> {
    d.world.sts_decode_authorization_message(who, token, NOW)
}

/// STS API Reference, DecodeAuthorizationMessage: the caller needs
/// `sts:DecodeAuthorizationMessage`, and the message is the refused principal's account's.
#[test]
fn a_kept_message_is_decoded_for_its_own_account_only() {
    let (mut d, maria) = with_messages();
    let (token, decoded) = maria_refused(&mut d, &maria);
    let (second, second_decoded) = maria_refused(&mut d, &maria);
    assert_ne!(token, second, "each refusal has its own token");

    assert_eq!(decode(&d, long_term(CORP_ADMIN), &token), Ok(decoded));
    assert_eq!(
        decode(&d, long_term(CORP_ADMIN), &second),
        Ok(second_decoded)
    );
    // Maria may not decode; another account's admin and an unknown token find nothing.
    let code = |r: Result<String, ApiError>| r.unwrap_err().code;
    assert_eq!(
        code(decode(&d, creds(&maria), &token)),
        ErrorCode::AccessDenied
    );
    for (who, token) in [
        (long_term(PROD_ADMIN), token.as_str()),
        (long_term(CORP_ADMIN), "not-a-token"),
        (long_term(CORP_ADMIN), ""),
    ] {
        assert_eq!(
            code(decode(&d, who, token)),
            ErrorCode::InvalidAuthorizationMessage
        );
    }
}

/// Kept messages are bounded: beyond the bound, the oldest is forgotten.
#[test]
fn the_oldest_message_is_forgotten_beyond_the_bound() {
    let (mut d, maria) = with_messages();
    let (first, _) = maria_refused(&mut d, &maria);
    let (second, _) = maria_refused(&mut d, &maria);
    for _ in 2..AUTHORIZATION_MESSAGES_MAX {
        maria_refused(&mut d, &maria);
    }
    let decodes = |d: &Demo, token: &str| decode(d, long_term(CORP_ADMIN), token).is_ok();
    assert!(decodes(&d, &first), "the bound itself is kept");
    maria_refused(&mut d, &maria);
    assert!(!decodes(&d, &first));
    assert!(decodes(&d, &second));
    assert_eq!(
        d.world.live.authorization_messages.kept.len(),
        AUTHORIZATION_MESSAGES_MAX
    );
}
