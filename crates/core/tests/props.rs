//! Property tests: round trips hold and no input panics.
#![cfg(not(target_arch = "wasm32"))]

use crossrole_core::colour::Colour;
use crossrole_core::history::{History, HistoryEntry};
use crossrole_core::link::{build_query, parse_query, RoleRef, SwitchLink};
use crossrole_core::validation::*;
use proptest::prelude::*;

fn account() -> impl Strategy<Value = AccountRef> {
    prop_oneof!["[0-9]{12}", "[a-z0-9]([a-z0-9]|-[a-z0-9]){1,30}[a-z0-9]",]
        .prop_map(|s| AccountRef::parse(&s).unwrap())
}

fn role() -> impl Strategy<Value = RoleRef> {
    (
        "[A-Za-z0-9_+=,.@-]{1,30}",
        proptest::option::of("[!-.0-~]{1,20}"),
    )
        .prop_map(|(name, path)| {
            let text = match path {
                Some(p) => format!("{p}/{name}"),
                None => name,
            };
            RoleRef::parse(&text).unwrap()
        })
}

fn display_name() -> impl Strategy<Value = DisplayName> {
    "\\PC{1,64}".prop_filter_map("needs printable text", |s| DisplayName::parse(&s).ok())
}

fn colour() -> impl Strategy<Value = Colour> {
    proptest::sample::select(Colour::ALL.to_vec())
}

fn link() -> impl Strategy<Value = SwitchLink> {
    (
        proptest::option::of(account()),
        proptest::option::of(role()),
        proptest::option::of(display_name()),
        proptest::option::of(colour()),
        proptest::option::of("(/[a-z]{1,8}){1,3}(\\?table=[A-Za-z0-9]{1,8})?"),
    )
        .prop_map(
            |(account, role, display_name, colour, destination)| SwitchLink {
                account,
                role,
                display_name,
                colour,
                destination,
            },
        )
}

fn entry() -> impl Strategy<Value = HistoryEntry> {
    (
        account(),
        role(),
        display_name(),
        proptest::option::of(colour()),
    )
        .prop_map(|(account, role, display_name, colour)| HistoryEntry {
            account,
            role,
            display_name,
            colour,
        })
}

proptest! {
    #[test]
    fn validators_never_panic_and_agree_with_their_rules(s in "\\PC{0,80}|[0-9]{10,14}|[a-z-]{1,70}") {
        let id_ok = AccountId::parse(&s).is_ok();
        prop_assert_eq!(id_ok, s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()));
        if let Ok(a) = AccountRef::parse(&s) {
            prop_assert_eq!(a.as_str(), s.as_str());
            prop_assert!((3..=63).contains(&s.len()));
        }
        if let Ok(r) = RoleName::parse(&s) {
            prop_assert_eq!(r.as_str(), s.as_str());
            prop_assert!((1..=64).contains(&s.len()));
        }
        let _ = IamPath::parse(&s);
        let _ = RoleSessionName::parse(&s);
        let _ = MfaCode::parse(&s);
        let _ = SerialNumber::parse(&s);
        let _ = DurationSeconds::parse(&s);
        let _ = RoleRef::parse(&s);
        let _ = Colour::from_hex(&s);
    }

    #[test]
    fn display_names_are_clean(s in "\\PC{0,80}|[\\x00-\\x1f a-z]{0,80}") {
        match DisplayName::parse(&s) {
            Ok(d) => {
                let t = d.as_str();
                prop_assert!(!t.chars().any(char::is_control));
                prop_assert_eq!(t, t.trim());
                prop_assert!((1..=64).contains(&t.chars().count()));
                prop_assert_eq!(DisplayName::parse(t).unwrap(), d.clone());
            }
            Err(e) => prop_assert_eq!(e, InvalidField::DisplayName),
        }
        if let Some(d) = DisplayName::truncating(&s) {
            prop_assert!(d.as_str().chars().count() <= 64);
        }
    }

    #[test]
    fn any_query_parses_without_panic(q in "\\PC{0,120}|([a-zA-Z]{1,12}=[%0-9A-Za-z&/#+]{0,20}&?){0,6}") {
        let parsed = parse_query(&q);
        // Whatever was kept is valid and survives a round trip on its own.
        prop_assert_eq!(parse_query(&build_query(&parsed.link)).link, parsed.link);
    }

    #[test]
    fn links_round_trip(l in link()) {
        let q = build_query(&l);
        let parsed = parse_query(&q);
        prop_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        prop_assert_eq!(parsed.link, l);
    }

    #[test]
    fn history_invariants(entries in proptest::collection::vec(entry(), 0..20), cap in 1usize..8) {
        let mut h = History::new(cap);
        for e in &entries {
            h.record(e.clone());
            prop_assert_eq!(&h.entries()[0], e);
        }
        prop_assert!(h.entries().len() <= cap);
        for (i, a) in h.entries().iter().enumerate() {
            for b in &h.entries()[i + 1..] {
                prop_assert!(!(a.account == b.account && a.role == b.role), "duplicate key");
            }
        }
        let decoded = History::decode(&h.encode(), cap).unwrap();
        prop_assert_eq!(decoded.skipped, 0);
        prop_assert_eq!(decoded.history, h);
    }

    #[test]
    fn history_decoder_never_panics(s in "\\PC{0,200}") {
        let _ = History::decode(&s, 5);
        let wrapped = format!(r#"{{"version":1,"entries":[{s}]}}"#);
        let _ = History::decode(&wrapped, 5);
    }
}
