//! Both import formats — valid, invalid and mixed files, real-world samples with comments and
//! odd spacing — and the exports' round trips.

use proptest::prelude::*;

use super::*;

/// A real `~/.aws/config` as people keep it: a default, a base profile with keys (never
/// imported), an SSO profile, role profiles with MFA and odd spacing, comments of both kinds.
const AWS_CONFIG: &str = r#"
# ~/.aws/config
[default]
region = us-west-2
output = json

[profile corp]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region=us-west-2

; production, through corp with MFA
[profile   prod-dynamo ]
role_arn     =   arn:aws:iam::222222222222:role/AccessToProdDynamoDB
source_profile = corp
mfa_serial = arn:aws:iam::111111111111:mfa/David
duration_seconds = 3600
region = us-west-2

[profile ops]
role_arn = arn:aws:iam::222222222222:role/ops/ProdOperator
source_profile = corp
external_id = Partner-42
role_session_name = david

[profile sso-dev]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
"#;

#[test]
fn a_real_aws_config_imports_its_role_profiles_and_refuses_its_keys() {
    let imported = import(AWS_CONFIG);
    let profiles: Vec<&str> = imported
        .catalog
        .entries
        .iter()
        .map(|e| e.profile.as_str())
        .collect();
    assert_eq!(profiles, ["prod-dynamo", "ops"]);
    let prod = &imported.catalog.entries[0];
    assert_eq!(prod.account.as_str(), "222222222222");
    assert_eq!(prod.role.to_text(), "AccessToProdDynamoDB");
    assert_eq!(prod.display_name.as_str(), "prod-dynamo");
    assert_eq!(prod.source_profile.as_deref(), Some("corp"));
    assert_eq!(
        prod.mfa_serial.as_deref(),
        Some("arn:aws:iam::111111111111:mfa/David")
    );
    assert_eq!(prod.duration_seconds, Some(3600));
    let ops = &imported.catalog.entries[1];
    assert_eq!(ops.role.to_text(), "ops/ProdOperator");
    assert_eq!(ops.external_id.as_deref(), Some("Partner-42"));
    assert_eq!(ops.role_session_name.as_deref(), Some("david"));

    let lines: Vec<String> = imported.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "Line 5: output is not a role setting crossrole keeps",
            "Line 8: aws_access_key_id: credentials are never imported",
            "Line 9: aws_secret_access_key: credentials are never imported",
            "Line 27: sso_start_url is not a role setting crossrole keeps",
            "Line 28: sso_region is not a role setting crossrole keeps",
        ]
    );
    let everything = format!("{imported:?}");
    assert!(!everything.contains("wJalrXUtnFEMI") && !everything.contains("AKIAIOSFODNN7EXAMPLE"));
}

/// AWS Extend Switch Roles' configuration, as its README writes it: `role_arn` or
/// `aws_account_id` + `role_name`, `color`, `image`, base accounts with `target_role_name`.
const AESR: &str = r#"
[profile marketingadmin]
role_arn = arn:aws:iam::123456789012:role/marketingadmin
color = ffaa22

[profile dev]
aws_account_id = 123456789012
role_name = developers
region = us-east-1
image = "https://www.example.com/icon.png"

;; base accounts
[organization1]
aws_account_id = example-corp
target_role_name = Developers
target_region = us-west-2

[Org1-Account1]
aws_account_id = 222222222222
source_profile = organization1
color = 83D4E8

[Org1-Account2]
aws_account_id = example-prod
role_name = Override
source_profile = organization1
"#;

#[test]
fn an_aesr_configuration_imports_with_its_base_accounts_and_nearest_colours() {
    let imported = import(AESR);
    let e = &imported.catalog.entries;
    let profiles: Vec<&str> = e.iter().map(|e| e.profile.as_str()).collect();
    assert_eq!(
        profiles,
        ["marketingadmin", "dev", "Org1-Account1", "Org1-Account2"]
    );
    // ffaa22 is not in the palette: the nearest one (yellow, efda95, by RGB distance), and
    // said so.
    assert_eq!(e[0].colour, Some(Colour::Yellow));
    assert_eq!(e[0].colour_from.as_deref(), Some("ffaa22"));
    assert_eq!(e[1].role.name.as_str(), "developers");
    assert_eq!(e[1].region.as_deref(), Some("us-east-1"));
    // The base account gives its role name and region to those without.
    assert_eq!(e[2].role.name.as_str(), "Developers");
    assert_eq!(e[2].region.as_deref(), Some("us-west-2"));
    assert_eq!(e[2].colour, Some(Colour::Blue));
    assert_eq!(
        e[2].colour_from, None,
        "an exact palette colour in any case"
    );
    assert_eq!(e[3].role.name.as_str(), "Override");
    assert_eq!(
        e[3].account.as_str(),
        "example-prod",
        "aliases are accounts too"
    );
    assert_eq!(
        imported
            .skipped
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["Line 10: image: pictures are not shown (crossrole shows only text)"]
    );
}

#[test]
fn a_mixed_file_keeps_the_good_and_names_each_bad_line() {
    let text = "\
stray = value outside any section
[profile good]
role_arn = arn:aws:iam::222222222222:role/Good
[profile bad-arn]
role_arn = arn:aws:iam::222222222222:user/David
[profile bad-account]
aws_account_id = 1234_5
role_name = R
[profile bad-colour]
role_arn = arn:aws:iam::222222222222:role/C
color = not-a-colour
[profile bad-duration]
role_arn = arn:aws:iam::222222222222:role/D
duration_seconds = 60
this line is not a setting
[profile good]
role_arn = arn:aws:iam::222222222222:role/Again
[profile twice]
role_arn = arn:aws:iam::222222222222:role/First
role_arn = arn:aws:iam::222222222222:role/Second
[profile no-role]
source_profile = good
";
    let imported = import(text);
    let profiles: Vec<(&str, &str)> = imported
        .catalog
        .entries
        .iter()
        .map(|e| (e.profile.as_str(), e.role.name.as_str()))
        .collect();
    assert_eq!(profiles, [("good", "Good"), ("twice", "First")]);
    let lines: Vec<usize> = imported.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [1, 5, 7, 11, 14, 15, 16, 20, 21]);
    let text = |line| {
        imported
            .skipped
            .iter()
            .find(|s| s.line == line)
            .unwrap()
            .reason
            .clone()
    };
    assert!(text(5).contains("is not a role ARN"));
    assert!(text(7).starts_with("aws_account_id \"1234_5\""));
    assert!(text(11).contains("not a hex colour"));
    assert!(text(14).contains("900 to 43200"));
    assert!(text(16).contains("defined again"));
    assert!(text(20).contains("given again"));
    assert!(text(21).contains("names no role"));
}

#[test]
fn the_nearest_palette_colour() {
    assert_eq!(nearest_colour("f2b0a9"), Some((Colour::Red, true)));
    assert_eq!(nearest_colour("#F2B0A9"), Some((Colour::Red, true)));
    assert_eq!(nearest_colour("ff0000"), Some((Colour::Red, false)));
    assert_eq!(nearest_colour("00f"), Some((Colour::Blue, false)));
    assert_eq!(nearest_colour("00ff00"), Some((Colour::Green, false)));
    assert_eq!(nearest_colour("red"), None);
    assert_eq!(nearest_colour("12345"), None);
}

#[test]
fn the_stored_form_keeps_valid_entries_and_skips_corrupt_ones() {
    let catalog = import(AWS_CONFIG).catalog;
    let text = catalog.encode();
    assert_eq!(Catalog::decode(&text), Some((catalog.clone(), 0)));
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["entries"][0]["account"] = serde_json::json!("not an account!");
    let (kept, bad) = Catalog::decode(&value.to_string()).unwrap();
    assert_eq!((kept.entries.len(), bad), (1, 1));
    assert_eq!(Catalog::decode("{\"version\": 2, \"entries\": []}"), None);
    assert_eq!(Catalog::decode("not json"), None);
}

#[test]
fn merging_keeps_the_entries_already_there() {
    let mut mine = import("[profile a]\nrole_arn = arn:aws:iam::222222222222:role/Mine\n").catalog;
    let theirs = import(
        "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/Theirs\n\
         [profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\n",
    )
    .catalog;
    assert_eq!(mine.merge(theirs), 1);
    assert_eq!(mine.entries[0].role.name.as_str(), "Mine");
    assert!(mine.remove("b") && !mine.remove("b"));
}

#[test]
fn a_removed_entry_is_put_back_at_its_place_by_undo() {
    let mut catalog = import(
        "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n\
         [profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\n\
         [profile c]\nrole_arn = arn:aws:iam::222222222222:role/C\n",
    )
    .catalog;
    let profiles = |c: &Catalog| {
        c.entries
            .iter()
            .map(|e| e.profile.clone())
            .collect::<Vec<_>>()
    };
    let (at, taken) = catalog.take("b").unwrap();
    assert_eq!(
        (at, profiles(&catalog)),
        (1, vec!["a".to_owned(), "c".to_owned()])
    );
    assert!(catalog.take("b").is_none());
    // An import took the profile since: the entry there now stays.
    let mut again = catalog.clone();
    again.merge(import("[profile b]\nrole_arn = arn:aws:iam::222222222222:role/Other\n").catalog);
    assert!(!again.restore(at, taken.clone()));
    assert_eq!(again.entries[2].role.name.as_str(), "Other");
    assert!(catalog.restore(at, taken));
    assert_eq!(profiles(&catalog), ["a", "b", "c"]);
}

fn account() -> impl Strategy<Value = AccountRef> {
    prop_oneof![
        "[0-9]{12}".prop_map(|s| AccountRef::parse(&s).unwrap()),
        "[a-z][a-z0-9]{2,10}".prop_map(|s| AccountRef::parse(&s).unwrap()),
    ]
}

fn entry() -> impl Strategy<Value = CatalogEntry> {
    let account = account();
    let role = ("(/[a-z]{1,5}){0,2}/", "[A-Za-z0-9+=,.@_-]{1,30}")
        .prop_map(|(p, n)| RoleRef::parse(&format!("{p}{n}")).unwrap());
    let text = "[A-Za-z0-9_.-]{1,12}";
    (
        (
            account,
            role,
            "[A-Za-z0-9_.-]{1,20}",
            // `#` and `;` start comments: such values go out in quotes and come back whole.
            proptest::option::of("[A-Za-z0-9 ()_.#;-]{0,20}[A-Za-z0-9]"),
        ),
        (
            // A palette colour, or any hex AESR may hold (kept exactly, shown as the nearest).
            proptest::option::of(prop_oneof![
                proptest::sample::select(Colour::ALL.to_vec()).prop_map(|c| c.hex().to_owned()),
                "[0-9a-f]{6}",
            ]),
            proptest::option::of(text),
            any::<bool>(),
            proptest::option::of("(us|eu)-(west|east)-[12]"),
            proptest::option::of(text),
            proptest::option::of(900u32..=43_200),
            proptest::option::of(text),
            proptest::option::of(text),
        ),
    )
        .prop_map(
            |(
                (account, role, profile, display),
                (hex, group, favourite, region, source, duration, external, session),
            )| {
                let (colour, colour_from) = match hex.as_deref().and_then(nearest_colour) {
                    None => (None, None),
                    Some((c, true)) => (Some(c), None),
                    Some((c, false)) => (Some(c), hex),
                };
                CatalogEntry {
                    display_name: DisplayName::parse(display.as_deref().unwrap_or(&profile))
                        .unwrap(),
                    profile,
                    account,
                    role,
                    colour,
                    colour_from,
                    group,
                    favourite,
                    region,
                    source_profile: source,
                    mfa_serial: None,
                    duration_seconds: duration,
                    external_id: external,
                    role_session_name: session,
                }
            },
        )
}

/// A base account for each source profile the entries name, for some of them (the others
/// name a base the catalog does not know).
fn catalog() -> impl Strategy<Value = Catalog> {
    let base = (
        any::<bool>(),
        account(),
        proptest::option::of("[a-z][a-z0-9-]{2,10}[a-z0-9]"),
        proptest::option::of("[A-Za-z0-9_-]{1,12}"),
    );
    (
        proptest::collection::vec(entry(), 0..8),
        proptest::collection::vec(base, 8),
    )
        .prop_map(|(entries, bases)| {
            let mut catalog = Catalog::default();
            catalog.merge(Catalog {
                entries,
                bases: Vec::new(),
            });
            // A source that is an entry's own profile would make that entry a base.
            let profiles: Vec<String> = catalog.entries.iter().map(|e| e.profile.clone()).collect();
            for e in &mut catalog.entries {
                e.source_profile = e.source_profile.take().filter(|p| !profiles.contains(p));
            }
            let mut sources: Vec<String> = catalog
                .entries
                .iter()
                .filter_map(|e| e.source_profile.clone())
                .collect();
            sources.dedup();
            sources.sort();
            sources.dedup();
            for (profile, (known, account, alias, role_name)) in sources.into_iter().zip(bases) {
                if known {
                    catalog.bases.push(BaseAccount {
                        profile,
                        account,
                        alias,
                        role_name,
                        target_role_name: None,
                        target_region: None,
                    });
                }
            }
            catalog
        })
}

proptest! {
    /// Importing an export gives the same catalog, in both formats, with nothing skipped.
    #[test]
    fn import_of_an_export_is_the_same_catalog(catalog in catalog()) {
        // The CLI's config keeps every source_profile and writes no base account (its base
        // profiles hold the person's keys); AESR's writes the base accounts, and names a
        // source only where the base is known (AESR would never list the entry otherwise).
        let cli = Catalog { bases: Vec::new(), ..catalog.clone() };
        let mut aesr = catalog.clone();
        for e in &mut aesr.entries {
            e.source_profile = e.source_profile.take().filter(|p| catalog.base(p).is_some());
        }
        for (text, expected) in [(export_aws_config(&catalog), cli), (export_aesr(&catalog), aesr)] {
            let imported = import(&text);
            prop_assert_eq!(&imported.skipped, &Vec::<Skipped>::new(), "{}", text);
            prop_assert_eq!(&imported.catalog, &expected, "{}", text);
        }
    }

    /// An entry's link is a predefined link that reads back as the entry (account, role,
    /// display name, colour) with the destination it was given.
    #[test]
    fn an_entry_link_reads_back_as_the_entry(entry in entry()) {
        let link = entry.link(Some("/dynamodb?table=GameScores"));
        let query = link.strip_prefix("/switchrole?").expect("the Switch Role page");
        let parsed = crate::link::parse_query(query);
        prop_assert!(parsed.errors.is_empty(), "{}", link);
        prop_assert_eq!(parsed.link.account.as_ref(), Some(&entry.account));
        prop_assert_eq!(parsed.link.role.as_ref(), Some(&entry.role));
        prop_assert_eq!(parsed.link.display_name.as_ref(), Some(&entry.display_name));
        prop_assert_eq!(parsed.link.colour, entry.colour);
        prop_assert_eq!(parsed.link.destination.as_deref(), Some("/dynamodb?table=GameScores"));
    }

    /// No input makes the import panic, and every skipped line is a line of the input.
    #[test]
    fn any_text_imports_without_panicking(text in "(\\PC{0,40}\n){0,12}") {
        let imported = import(&text);
        let lines = text.lines().count();
        prop_assert!(imported.skipped.iter().all(|s| (1..=lines).contains(&s.line)));
    }
}

/// A catalog entry's copied link opens only a page of crossrole after the switch: another
/// site, or the sign-in page, is left out rather than linked (no open redirect).
#[test]
fn an_entry_link_leaves_out_an_unsafe_destination() {
    let entry =
        import("[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB\n")
            .catalog
            .entries
            .remove(0);
    assert_eq!(
        entry.link(None),
        "/switchrole?account=222222222222&roleName=AccessToProdDynamoDB&displayName=prod"
    );
    for unsafe_destination in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil",
        "/signin?next=/",
    ] {
        assert_eq!(
            entry.link(Some(unsafe_destination)),
            entry.link(None),
            "{unsafe_destination}"
        );
    }
    assert!(entry
        .link(Some("/dynamodb?table=Billing"))
        .ends_with("&destination=%2Fdynamodb%3Ftable%3DBilling"));
}

#[test]
fn a_history_entry_pins_under_a_unique_profile() {
    let mut catalog = Catalog::default();
    let h = crate::history::HistoryEntry {
        account: AccountRef::parse("222222222222").unwrap(),
        role: RoleRef::parse("AccessToProdDynamoDB").unwrap(),
        display_name: DisplayName::parse("PRODUCTION (rw)").unwrap(),
        colour: Some(Colour::Red),
    };
    assert!(!catalog.holds(&h.account, &h.role));
    let first = catalog.entry_for(&h);
    assert_eq!(first.profile, "PRODUCTION--rw");
    assert_eq!(first.colour, Some(Colour::Red));
    catalog.merge(Catalog {
        entries: vec![first],
        bases: Vec::new(),
    });
    assert!(catalog.holds(&h.account, &h.role));
    // Each pin again has a profile of its own (`-2`, `-3`, …).
    let second = catalog.entry_for(&h);
    assert_eq!(second.profile, "PRODUCTION--rw-2");
    catalog.entries.push(second);
    assert_eq!(catalog.entry_for(&h).profile, "PRODUCTION--rw-3");
    // The catalog holds exactly the roles pinned: not the same role in another account, nor
    // another role in the same one.
    let elsewhere = AccountRef::parse("333333333333").unwrap();
    assert!(!catalog.holds(&elsewhere, &h.role));
    assert!(!catalog.holds(&h.account, &RoleRef::parse("AccessToProdBilling").unwrap()));
}

/// The team catalog's diff view: what was added, removed and changed since last seen.
#[test]
fn changes_since_the_version_seen() {
    let seen = import(
        "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n\
         [profile b]\nrole_arn = arn:aws:iam::222222222222:role/B\n\
         [profile c]\nrole_arn = arn:aws:iam::222222222222:role/C\n",
    )
    .catalog;
    let now = import(
        "[profile a]\nrole_arn = arn:aws:iam::222222222222:role/A\n\
         [profile b]\nrole_arn = arn:aws:iam::222222222222:role/B2\n\
         [profile d]\nrole_arn = arn:aws:iam::222222222222:role/D\n",
    )
    .catalog;
    let changes = now.changes_since(&seen);
    assert_eq!(changes.added, ["d"]);
    assert_eq!(changes.removed, ["c"]);
    assert_eq!(changes.changed, ["b"]);
    assert!(now.changes_since(&now).is_empty());
}

/// AESR's grammar, rule by rule, with the cases of its own loader tests
/// (`src/js/lib/load_aws_config.test.js` in tilfinltd/aws-extend-switch-roles: "comments and
/// spaces are everywhere", "Complex Configuration") and its README's
/// `role_name = Manager ; overrides target role name`.
mod aesr_grammar {
    use super::*;

    /// Asserts that `text` imports with nothing skipped as exactly `expected`: each entry's
    /// profile, account and role.
    fn reads_as(text: &str, expected: &[(&str, &str, &str)]) {
        let imported = import(text);
        assert_eq!(imported.skipped, [], "{text}");
        let read: Vec<(&str, &str, String)> = imported
            .catalog
            .entries
            .iter()
            .map(|e| (e.profile.as_str(), e.account.as_str(), e.role.to_text()))
            .collect();
        let expected: Vec<(&str, &str, String)> = expected
            .iter()
            .map(|(p, a, r)| (*p, *a, (*r).to_owned()))
            .collect();
        assert_eq!(read, expected, "{text}");
    }

    #[test]
    fn a_comment_may_follow_a_section_header_or_a_value_with_either_mark() {
        reads_as(
            "[profile a]# comment\n; comment\nrole_arn = arn:aws:iam::123456789012:role/roleA  #\n\n  [profile B] # comment\nrole_arn = arn:aws:iam::123456789012:role/role-b;\n  # comment\n[profileC];comment\n# comment\n  role_arn = arn:aws:iam::123456789012:role/c  ;comment\n  ; comment\n",
            &[
                ("a", "123456789012", "roleA"),
                ("B", "123456789012", "role-b"),
                ("profileC", "123456789012", "c"),
            ],
        );
    }

    #[test]
    fn a_comment_mark_inside_a_value_ends_it() {
        reads_as(
            "[AnotherRole]\nrole_name = SomeOtherRole#comment\naws_account_id = account-3-alias\n\n[base]\naws_account_id = 111111111111\ntarget_role_name = Admin\n[m]\naws_account_id = 222222222222\nrole_name = Manager ; overrides target role name\nsource_profile = base\n",
            &[
                ("AnotherRole", "account-3-alias", "SomeOtherRole"),
                ("m", "222222222222", "Manager"),
            ],
        );
    }

    #[test]
    fn the_profile_prefix_takes_any_case_and_spacing() {
        reads_as(
            "[Profile  upper]\nrole_arn = arn:aws:iam::123456789012:role/A\n[profile\tTab]\nrole_arn = arn:aws:iam::123456789012:role/B\n[ profile spaced ]\nrole_arn = arn:aws:iam::123456789012:role/C\n",
            &[
                ("upper", "123456789012", "A"),
                ("Tab", "123456789012", "B"),
                ("spaced", "123456789012", "C"),
            ],
        );
    }

    #[test]
    fn a_hex_colour_written_with_a_mark_is_a_comment_and_said_so() {
        let imported =
            import("[p]\naws_account_id = 123456789012\nrole_name = R\ncolor = #83d4e8\n");
        assert_eq!(imported.catalog.entries[0].colour, None);
        assert_eq!(
            imported.skipped.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["Line 4: color has no value: from # or ; on, a line is a comment (write a color's hex without #)"]
        );
    }

    #[test]
    fn a_duplicate_key_is_reported_and_the_first_kept() {
        // AESR refuses the whole file ("duplicate definition of role_arn"); crossrole keeps
        // the first and names the line, as for every other problem.
        let imported = import(
            "[profile A]\nrole_arn = arn:aws:iam::123456789012:role/roleA\n\n;[ignored]\nrole_arn = arn:aws:iam::123456789012:role/role-B\n",
        );
        assert_eq!(imported.catalog.entries[0].role.to_text(), "roleA");
        assert_eq!(
            imported
                .skipped
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["Line 5: role_arn is given again (the first is kept)"]
        );
    }

    #[test]
    fn a_value_with_a_mark_is_exported_in_quotes_and_reads_back_whole() {
        let mut catalog = import("[p]\naws_account_id = 123456789012\nrole_name = R\n").catalog;
        catalog.entries[0].display_name = DisplayName::parse("Team #1; prod").unwrap();
        catalog.entries[0].group = Some("a;b".into());
        for text in [export_aesr(&catalog), export_aws_config(&catalog)] {
            assert!(text.contains("display_name = \"Team #1; prod\""), "{text}");
            let back = import(&text);
            assert_eq!(back.skipped, [], "{text}");
            assert_eq!(back.catalog, catalog, "{text}");
        }
    }
}

/// AESR's own reading of a configuration, as its published code does it: the loader
/// (`src/js/lib/load_aws_config.js`: comments stripped from `;` or `#`, `[profile x]` or `[x]`,
/// `role_arn` split into `aws_account_id` and `role_name`) and the profile set
/// (`createProfileSet` in `profile_set.test.js`, `findTargetProfiles` in `target_profiles.js`):
/// the profiles shown to someone signed in to `account` (as `role`, if a role) are the
/// singles — a role naming no source that no profile names as its source — then the targets
/// of the first base profile whose `aws_account_id` or `aws_account_alias` is `account` (and
/// whose `role_name`, if any, is `role`). Written here from those files, independently of
/// crossrole's reader, to check what Export AESR makes AESR show.
fn aesr_shown(text: &str, account: &str, role: Option<&str>) -> Vec<String> {
    let mut profiles: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for raw in text.lines() {
        let line = raw.find([';', '#']).map_or(raw, |at| &raw[..at]).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            let name = match name.get(..7) {
                Some(p)
                    if p.eq_ignore_ascii_case("profile")
                        && name[7..].starts_with(char::is_whitespace) =>
                {
                    name[7..].trim()
                }
                _ => name,
            };
            profiles.push((name.to_owned(), Vec::new()));
        } else if let (Some((_, values)), Some((k, v))) =
            (profiles.last_mut(), line.split_once('='))
        {
            values.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let get = |values: &[(String, String)], key: &str| {
        values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let has_role = |values: &[(String, String)]| {
        get(values, "role_name").is_some() || get(values, "role_arn").is_some()
    };
    let referenced = |name: &str| {
        profiles
            .iter()
            .any(|(_, v)| get(v, "source_profile").as_deref() == Some(name))
    };
    let mut shown: Vec<String> = profiles
        .iter()
        .filter(|(name, v)| get(v, "source_profile").is_none() && !referenced(name) && has_role(v))
        .map(|(name, _)| name.clone())
        .collect();
    let base = profiles.iter().find(|(name, v)| {
        get(v, "source_profile").is_none()
            && referenced(name)
            && (get(v, "aws_account_id").as_deref() == Some(account)
                || get(v, "aws_account_alias").as_deref() == Some(account))
            && get(v, "role_name").is_none_or(|r| Some(r.as_str()) == role)
    });
    if let Some((base, _)) = base {
        shown.extend(
            profiles
                .iter()
                .filter(|(_, v)| get(v, "source_profile").as_deref() == Some(base.as_str()))
                .map(|(name, _)| name.clone()),
        );
    }
    shown
}

#[test]
fn aesrs_reading_is_as_its_own_tests_say() {
    // profile_set.test.js, "base aws account is number" and "base account has role_name".
    let config = "[target1]\naws_account_id = 111122223334\nrole_name = role1\nsource_profile = base1\n[target2]\naws_account_id = 111122223335\nrole_name = role2\nsource_profile = base1\n[base1]\naws_account_id = 111100003333\n[base2]\naws_account_id = 222200001111\n[targetex]\naws_account_id = 333300001112\nrole_name = roleex\n[target4]\naws_account_id = 222200001112\nrole_name = role3\nsource_profile = base2\n";
    assert_eq!(
        aesr_shown(config, "111100003333", None),
        ["targetex", "target1", "target2"]
    );
    assert_eq!(
        aesr_shown(config, "222200001111", None),
        ["targetex", "target4"]
    );
    assert_eq!(aesr_shown(config, "999999999999", None), ["targetex"]);
    let with_role = "[base-c-1]\naws_account_id = 777711112222\nrole_name = entry-role-c-1\n[c-1-stg]\naws_account_id = 888811113333\nrole_name = stg-role\nsource_profile = base-c-1\n[base-c-2]\naws_account_id = 777711112222\nrole_name = entry-role-c-2\n[c-2-stg]\naws_account_id = 999911113333\nrole_name = stg-role\nsource_profile = base-c-2\n";
    assert_eq!(
        aesr_shown(with_role, "777711112222", Some("entry-role-c-1")),
        ["c-1-stg"]
    );
    assert_eq!(
        aesr_shown(with_role, "777711112222", Some("entry-role-c-2")),
        ["c-2-stg"]
    );
}

/// What the catalog holds for someone signed in to base `b`: the entries naming no known
/// base, then those of the first base the export lists that matches `b`'s account (and role),
/// as AESR takes the first.
fn catalog_shows(catalog: &Catalog, b: &BaseAccount) -> Vec<String> {
    let first = catalog
        .bases
        .iter()
        .filter(|o| catalog.names_base(&o.profile))
        .find(|o| {
            (o.account == b.account || o.alias.as_deref() == Some(b.account.as_str()))
                && o.role_name
                    .as_ref()
                    .is_none_or(|r| Some(r) == b.role_name.as_ref())
        });
    let known = |e: &CatalogEntry| {
        e.source_profile
            .as_deref()
            .and_then(|p| catalog.base(p))
            .is_some()
    };
    catalog
        .entries
        .iter()
        .filter(|e| !known(e))
        .chain(catalog.entries.iter().filter(|e| {
            first.is_some_and(|f| e.source_profile.as_deref() == Some(f.profile.as_str()))
        }))
        .map(|e| e.profile.clone())
        .collect()
}

#[test]
fn the_exact_colour_is_hex_only() {
    let mut e = import("[p]\naws_account_id = 123456789012\nrole_name = R\ncolor = FFAA22\n")
        .catalog
        .entries
        .remove(0);
    assert_eq!(e.exact_colour().as_deref(), Some("#ffaa22"));
    e.colour_from = Some("f2b0a9;background:url(x)".into());
    assert_eq!(e.exact_colour(), None, "a tampered store gives no CSS");
    e.colour_from = None;
    assert_eq!(e.exact_colour(), None, "a palette colour has no exact one");
}

#[test]
fn a_real_aesr_configuration_imports_every_profile_aesr_lists() {
    // AESR's README's shapes: comments everywhere, base accounts by id and by alias, a base
    // with target_role_name and target_region, a value overriding it with a comment.
    let config = "\
; my AESR configuration
[organization1] ; the base by alias
aws_account_id = example-corp
target_role_name = Developers
target_region = us-west-2

[Org1-Account1]
aws_account_id = 222222222222
source_profile = organization1
color = 83d4e8 # blue

[Org1-Account2]
aws_account_id = 333333333333
role_name = Manager ; overrides target role name
source_profile = organization1

[baseaccount2]
aws_account_id = 444444444444
aws_account_alias = second-base

[profile Base2/Role1]
role_arn = arn:aws:iam::555555555555:role/Role1
source_profile = baseaccount2
color = ffaa22

[marketingadmin] # a single
aws_account_id = 123456789012
role_name = marketingadmin
";
    let imported = import(config);
    assert_eq!(imported.skipped, []);
    let catalog = &imported.catalog;
    assert_eq!(catalog.bases.len(), 2);
    for b in &catalog.bases {
        let shown = aesr_shown(config, b.account.as_str(), b.role_name.as_deref());
        assert_eq!(
            catalog_shows(catalog, b),
            shown,
            "signed in to {}",
            b.account
        );
        if let Some(alias) = &b.alias {
            assert_eq!(
                aesr_shown(config, alias, None),
                shown,
                "by its alias {alias}"
            );
        }
    }
    assert_eq!(
        aesr_shown(config, "example-corp", None),
        ["marketingadmin", "Org1-Account1", "Org1-Account2"]
    );
    let account1 = &catalog.entries[0];
    assert_eq!(
        (account1.role.to_text(), account1.region.as_deref()),
        ("Developers".to_owned(), Some("us-west-2"))
    );
    assert_eq!(catalog.entries[1].role.to_text(), "Manager");
    // The exact hex AESR keeps, beside the nearest palette colour.
    assert_eq!(catalog.entries[2].colour_from.as_deref(), Some("ffaa22"));
    // Export AESR, then import: the same entries, colours and base accounts.
    let back = import(&export_aesr(catalog));
    assert_eq!(back.skipped, []);
    assert_eq!(&back.catalog, catalog);
}

proptest! {
    /// What AESR shows from Export AESR, signed in to each base account the catalog knows, is
    /// what the catalog holds for it: the entries naming no source, then that base's own.
    #[test]
    fn aesr_shows_from_the_export_what_the_catalog_holds_for_each_base(catalog in catalog()) {
        let text = export_aesr(&catalog);
        for b in &catalog.bases {
            prop_assert_eq!(aesr_shown(&text, b.account.as_str(), b.role_name.as_deref()), catalog_shows(&catalog, b), "{}", text);
        }
    }
}

/// A session that did not come from a switch (a sign-in link) is shown as the catalog shows
/// its role, or by the default name without a colour.
#[test]
fn a_role_is_shown_as_its_catalog_entry_or_by_default() {
    let catalog = import(AWS_CONFIG).catalog;
    let account = AccountRef::parse("222222222222").unwrap();
    let ops = RoleRef::parse("ops/ProdOperator").unwrap();
    let entry = catalog
        .entries
        .iter()
        .find(|e| e.role == ops)
        .cloned()
        .unwrap();
    assert_eq!(catalog.target_for(&account, &ops), entry.target());
    let other = RoleRef::parse("Unlisted").unwrap();
    let shown = catalog.target_for(&account, &other);
    assert_eq!(shown.display_name.to_string(), "Unlisted @ 222222222222");
    assert_eq!(shown.colour, None);
}
