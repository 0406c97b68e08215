use super::*;

#[test]
fn account_ids() {
    assert!(AccountId::parse("222222222222").is_ok());
    for bad in [
        "",
        "22222222222",
        "2222222222222",
        "22222222222a",
        "２２２２２２２２２２２２",
    ] {
        assert_eq!(
            AccountId::parse(bad),
            Err(InvalidField::AccountId),
            "{bad:?}"
        );
    }
}

#[test]
fn account_aliases() {
    for good in ["example-corp", "abc", "a-b", "a1-2b-c3", &"a".repeat(63)] {
        assert!(AccountAlias::parse(good).is_ok(), "{good:?}");
    }
    for bad in [
        "ab",
        "-abc",
        "abc-",
        "a--b",
        "Example",
        "exa_mple",
        "ex ample",
        &"a".repeat(64),
    ] {
        assert_eq!(
            AccountAlias::parse(bad),
            Err(InvalidField::AccountAlias),
            "{bad:?}"
        );
    }
}

#[test]
fn account_refs_keep_what_was_typed() {
    assert_eq!(
        AccountRef::parse("222222222222").unwrap(),
        AccountRef::Id(AccountId::parse("222222222222").unwrap())
    );
    assert_eq!(
        AccountRef::parse("example-prod").unwrap().as_str(),
        "example-prod"
    );
    // 12 digits is an id, but other all-digit text is a valid alias.
    assert!(matches!(
        AccountRef::parse("1234"),
        Ok(AccountRef::Alias(_))
    ));
    let err = AccountRef::parse("Not An Account").unwrap_err();
    assert_eq!(err, InvalidField::Account);
    assert_eq!(
        err.to_string(),
        "Account must be a 12-digit ID or an alias of 3–63 lowercase letters, digits and hyphens"
    );
}

#[test]
fn role_names_and_user_names() {
    for good in ["AccessToProdDynamoDB", "a", "r_+=,.@-9", &"R".repeat(64)] {
        assert!(RoleName::parse(good).is_ok(), "{good:?}");
        assert!(UserName::parse(good).is_ok(), "{good:?}");
    }
    for bad in ["", "has space", "slash/", "ünï", &"R".repeat(65)] {
        assert_eq!(RoleName::parse(bad), Err(InvalidField::RoleName), "{bad:?}");
        assert_eq!(UserName::parse(bad), Err(InvalidField::UserName), "{bad:?}");
    }
}

#[test]
fn role_paths() {
    for good in [
        "/",
        "/a/",
        "/division_abc/subdivision_efg/",
        &format!("/{}/", "p".repeat(510)),
    ] {
        assert!(IamPath::parse(good).is_ok(), "{good:?}");
    }
    for bad in [
        "",
        "//",
        "a/",
        "/a",
        "/a b/",
        "/é/",
        &format!("/{}/", "p".repeat(511)),
    ] {
        assert_eq!(IamPath::parse(bad), Err(InvalidField::IamPath), "{bad:?}");
    }
    assert!(IamPath::default().is_root());
    assert!(!IamPath::parse("/ops/").unwrap().is_root());
}

#[test]
fn display_names_are_cleaned_and_bounded() {
    assert_eq!(
        DisplayName::parse("  PRODUCTION \n").unwrap().as_str(),
        "PRODUCTION"
    );
    assert_eq!(
        DisplayName::parse("PR\u{0}OD\u{7}").unwrap().as_str(),
        "PROD"
    );
    assert_eq!(DisplayName::parse("<b>x</b>").unwrap().as_str(), "<b>x</b>");
    assert_eq!(
        DisplayName::parse(&"é".repeat(64))
            .unwrap()
            .as_str()
            .chars()
            .count(),
        64
    );
    assert_eq!(
        DisplayName::parse(" \t\u{1b} "),
        Err(InvalidField::DisplayName)
    );
    assert_eq!(
        DisplayName::parse(&"x".repeat(65)),
        Err(InvalidField::DisplayName)
    );
    assert_eq!(
        DisplayName::truncating(&"x".repeat(65))
            .unwrap()
            .as_str()
            .len(),
        64
    );
    assert_eq!(DisplayName::truncating("\u{0}"), None);
}

#[test]
fn session_names_codes_serials_durations() {
    assert!(RoleSessionName::parse("David").is_ok());
    assert_eq!(
        RoleSessionName::parse("D"),
        Err(InvalidField::RoleSessionName)
    );
    assert!(MfaCode::parse("012345").is_ok());
    for bad in ["12345", "1234567", "12345a", ""] {
        assert_eq!(MfaCode::parse(bad), Err(InvalidField::MfaCode), "{bad:?}");
    }
    assert_eq!(
        format!("{:?}", MfaCode::parse("123456").unwrap()),
        "MfaCode(******)"
    );
    assert!(SerialNumber::parse("arn:aws:iam::111111111111:mfa/David").is_ok());
    assert_eq!(
        SerialNumber::parse("short"),
        Err(InvalidField::SerialNumber)
    );
    assert_eq!(DurationSeconds::parse("3600").unwrap().get(), 3600);
    assert_eq!(DurationSeconds::default().get(), 3600);
    for bad in ["899", "43201", "-1", "1h", ""] {
        assert_eq!(
            DurationSeconds::parse(bad),
            Err(InvalidField::DurationSeconds),
            "{bad:?}"
        );
    }
    assert!(DurationSeconds::new(900).is_ok() && DurationSeconds::new(43_200).is_ok());
}

#[test]
fn serde_validates_on_the_way_in() {
    let id: AccountRef = serde_json::from_str("\"example-corp\"").unwrap();
    assert_eq!(id.as_str(), "example-corp");
    assert!(serde_json::from_str::<RoleName>("\"bad name\"").is_err());
    assert!(serde_json::from_str::<DurationSeconds>("100").is_err());
    assert_eq!(serde_json::to_string(&IamPath::default()).unwrap(), "\"/\"");
}

/// An MFA serial number is 9–256 of `[\w+=/:,.@-]` (STS API Reference, AssumeRole,
/// "SerialNumber": the pattern); a space or a letter outside ASCII is refused.
#[test]
fn a_serial_number_keeps_to_its_alphabet() {
    let good = "arn:aws:iam::111111111111:mfa/david+work=1,a.b@c-d_e";
    assert!(SerialNumber::parse(good).is_ok());
    for bad in [
        "arn:aws:iam::111111111111:mfa/da vid",
        "arn:aws:iam::111111111111:mfa/dav\u{e9}",
        "arn:aws:iam::111111111111:mfa/david!",
    ] {
        assert_eq!(
            SerialNumber::parse(bad),
            Err(InvalidField::SerialNumber),
            "{bad:?}"
        );
    }
}

/// A duration is stored as its number of seconds, and a stored number outside 900–43200 is
/// refused when read back, as a request's would be.
#[test]
fn a_duration_is_stored_as_its_seconds() {
    let d = DurationSeconds::new(1800).unwrap();
    assert_eq!(serde_json::to_string(&d).unwrap(), "1800");
    assert_eq!(serde_json::from_str::<DurationSeconds>("1800").unwrap(), d);
    assert!(serde_json::from_str::<DurationSeconds>("60").is_err());
}
