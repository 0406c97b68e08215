//! The rules an entry and a diff answer by themselves: the exact colour shown beside the
//! palette's, the role's ARN, and whether a diff is empty.

use super::*;

fn entry(config: &str) -> CatalogEntry {
    import(config).catalog.entries.remove(0)
}

/// Only a CSS hex colour of three or six digits comes out: the stored text is shown as a style,
/// so anything else (four digits, six letters that are not hex) gives none.
#[test]
fn the_exact_colour_is_three_or_six_hex_digits() {
    let mut e = entry("[p]\naws_account_id = 123456789012\nrole_name = R\ncolor = FA2\n");
    assert_eq!(e.exact_colour().as_deref(), Some("#fa2"));
    e.colour_from = Some("abcd".into());
    assert_eq!(e.exact_colour(), None, "four hex digits are no CSS colour");
    e.colour_from = Some("zzzzzz".into());
    assert_eq!(e.exact_colour(), None, "six letters that are not hex");
}

/// The role's ARN, with its path, as IAM writes a role's ARN (IAM User Guide, "IAM
/// identifiers": `arn:aws:iam::account:role/path/name`); none for an account named by alias,
/// whose id is not known.
#[test]
fn the_role_arn_is_known_only_by_account_id() {
    let by_id = entry("[profile ops]\nrole_arn = arn:aws:iam::222222222222:role/ops/Operator\n");
    assert_eq!(
        by_id.role_arn().as_deref(),
        Some("arn:aws:iam::222222222222:role/ops/Operator")
    );
    let by_alias = entry("[p]\naws_account_id = corp-prod\nrole_name = R\n");
    assert!(matches!(by_alias.account, AccountRef::Alias(_)));
    assert_eq!(by_alias.role_arn(), None);
}

/// A diff is empty only when nothing was added, removed or changed: any one of them alone is
/// a change to show.
#[test]
fn a_diff_with_any_change_is_not_empty() {
    let one = || vec!["p".to_owned()];
    assert!(Changes::default().is_empty());
    for changes in [
        Changes {
            added: one(),
            ..Changes::default()
        },
        Changes {
            removed: one(),
            ..Changes::default()
        },
        Changes {
            changed: one(),
            ..Changes::default()
        },
    ] {
        assert!(!changes.is_empty(), "{changes:?}");
    }
}

fn base(profile: &str, account: &str) -> BaseAccount {
    BaseAccount {
        profile: profile.into(),
        account: AccountRef::parse(account).unwrap(),
        alias: None,
        role_name: None,
        target_role_name: None,
        target_region: None,
    }
}

/// An import adds the entries and base accounts whose profiles are new and keeps the ones
/// already here as they are (the person's edits win over a file read again).
#[test]
fn a_merge_adds_only_new_profiles_of_entries_and_bases() {
    let config = "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n";
    let mut catalog = import(config).catalog;
    catalog.bases.push(base("corp", "111111111111"));
    let incoming = import(
        "[profile a]\nrole_arn = arn:aws:iam::333333333333:role/Other\n\
         [profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\n",
    )
    .catalog;
    let incoming = Catalog {
        bases: vec![base("corp", "999999999999"), base("lab", "444444444444")],
        ..incoming
    };
    assert_eq!(catalog.merge(incoming), 1, "only b is new");
    let profiles: Vec<_> = catalog.entries.iter().map(|e| e.profile.as_str()).collect();
    assert_eq!(profiles, ["a", "b"]);
    assert_eq!(
        catalog.entries[0].role_arn().as_deref(),
        Some("arn:aws:iam::222222222222:role/A")
    );
    let bases: Vec<_> = catalog
        .bases
        .iter()
        .map(|b| (b.profile.as_str(), b.account.to_string()))
        .collect();
    assert_eq!(
        bases,
        [
            ("corp", "111111111111".into()),
            ("lab", "444444444444".into())
        ]
    );
}

/// AESR lists a base account's entries only when some entry names it as its
/// `source_profile`; one no entry names names nothing.
#[test]
fn a_base_is_named_only_by_an_entry_that_names_it() {
    let catalog = import(
        "[corp]\naws_account_id = 111111111111\n\
         [dev]\naws_account_id = 222222222222\nrole_name = Dev\nsource_profile = corp\n",
    )
    .catalog;
    assert!(catalog.names_base("corp"));
    assert!(!catalog.names_base("lab"));
}

/// Removing answers whether there was an entry to remove.
#[test]
fn removing_says_whether_anything_was_removed() {
    let mut catalog = import("[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n").catalog;
    assert!(!catalog.remove("nobody"));
    assert_eq!(catalog.entries.len(), 1);
    assert!(catalog.remove("a"));
    assert!(catalog.entries.is_empty());
}

/// A stored catalog with one profile twice (edited by hand, or two tabs' writes mixed) keeps
/// the first and counts the second as an entry it could not use.
#[test]
fn a_stored_profile_twice_keeps_the_first() {
    let first = import("[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n").catalog;
    let second = import("[profile a]\nrole_arn = arn:aws:iam::333333333333:role/Other\n").catalog;
    let entries = [first.entries[0].clone(), second.entries[0].clone()];
    let stored = serde_json::json!({ "version": CATALOG_FORMAT, "entries": entries }).to_string();
    let (decoded, bad) = Catalog::decode(&stored).unwrap();
    assert_eq!(bad, 1);
    assert_eq!(decoded.entries, first.entries);
}

/// A value is written as it is unless reading it back would change it: quoted when it holds
/// `#` or `;` (a comment would start) or is itself in quotes (they would be taken off). A
/// value with one quote only stays as it is, so other tools read the same text.
#[test]
fn an_exported_value_is_quoted_only_when_it_must_be() {
    let shown = |name: &str| {
        let mut catalog = import("[p]\naws_account_id = 123456789012\nrole_name = R\n").catalog;
        catalog.entries[0].display_name = DisplayName::parse(name).unwrap();
        let text = export_aesr(&catalog);
        let line = text
            .lines()
            .find(|l| l.starts_with("display_name"))
            .map(str::to_owned);
        let back = import(&text).catalog.entries.remove(0).display_name;
        assert_eq!(back.as_str(), name, "{text}");
        line.unwrap_or_default()
    };
    assert_eq!(shown("\"Prod\""), "display_name = \"\"Prod\"\"");
    assert_eq!(shown("\"Prod"), "display_name = \"Prod");
    assert_eq!(shown("Prod\""), "display_name = Prod\"");
    assert_eq!(shown("Prod # rw"), "display_name = \"Prod # rw\"");
    assert_eq!(shown("Prod"), "display_name = Prod");
}

/// `[]` names no section: its lines are skipped, with the reason, rather than read as a
/// profile without a name.
#[test]
fn an_empty_section_name_is_skipped() {
    let imported = import("[]\naws_account_id = 123456789012\nrole_name = R\n");
    assert!(imported.catalog.entries.is_empty());
    assert_eq!(imported.skipped[0].line, 1);
    assert_eq!(imported.skipped[0].reason, "not a section name");
}

/// `favourite` is `true` or `false` (any case); anything else is refused with its line.
#[test]
fn favourite_reads_true_and_false() {
    let read = |v: &str| {
        import(&format!(
            "[p]\naws_account_id = 123456789012\nrole_name = R\nfavourite = {v}\n"
        ))
    };
    assert!(read("TRUE").catalog.entries[0].favourite);
    assert!(!read("false").catalog.entries[0].favourite);
    assert!(read("maybe").catalog.entries.is_empty());
}

/// Every palette colour's own hex is that colour, exactly.
#[test]
fn each_palette_colour_is_its_own_nearest() {
    for colour in crate::colour::Colour::ALL {
        assert_eq!(
            nearest_colour(colour.hex()),
            Some((colour, true)),
            "{colour:?}"
        );
    }
}
