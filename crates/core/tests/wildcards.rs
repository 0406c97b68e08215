//! The wildcard matcher policies use (`*` any run, `?` any one character: IAM User Guide,
//! "IAM JSON policy elements: Resource", "Including wildcards (*) in resource ARNs"), held
//! against the rule written as plainly as it can be: a recursion over the two texts.
#![cfg(not(target_arch = "wasm32"))]

use crossrole_core::policy::wildcard_match;
use proptest::prelude::*;

/// The rule itself, exponential but obvious: `*` matches nothing or one more character,
/// `?` any one, anything else itself.
fn reference(p: &[char], t: &[char]) -> bool {
    match (p.split_first(), t.split_first()) {
        (None, None) => true,
        (None, Some(_)) => false,
        (Some(('*', rest)), _) => reference(rest, t) || (!t.is_empty() && reference(p, &t[1..])),
        (Some(_), None) => false,
        (Some((&c, rest)), Some((&d, more))) => (c == '?' || c == d) && reference(rest, more),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Over a small alphabet, so that stars have to backtrack often; ASCII and non-ASCII
    /// texts take different paths through the matcher, and both are checked.
    #[test]
    fn the_matcher_follows_the_rule(
        pattern in "[ab*?é]{0,8}",
        text in "[abé*]{0,10}",
    ) {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        prop_assert_eq!(wildcard_match(&pattern, &text, false), reference(&p, &t));
    }
}
