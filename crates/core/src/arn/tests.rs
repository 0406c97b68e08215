use super::*;

/// Ids are kept in state files and compared across restarts: the remembered answer is the
/// digest's, the first time, the second time and after the memory is cleared.
#[test]
fn unique_ids_are_the_digest_s_however_often_asked() {
    use sha2::{Digest, Sha256};
    let oracle = |prefix: &str, arn: &str| {
        let text = data_encoding::BASE32_NOPAD.encode(&Sha256::digest(arn.as_bytes()));
        format!("{prefix}{}", &text[..17])
    };
    let arns: Vec<String> = (0..1500)
        .map(|i| format!("arn:aws:iam::111111111111:user/u{i}"))
        .collect();
    for round in 0..2 {
        for (i, arn) in arns.iter().enumerate() {
            let prefix = ["AIDA", "AROA", ""][(i + round) % 3];
            for _asked_again in 0..2 {
                assert_eq!(unique_id(prefix, arn), oracle(prefix, arn), "{arn}");
            }
        }
    }
}

fn round_trip(s: &str) -> Arn {
    let arn: Arn = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(arn.to_string(), s);
    arn
}

// Properties run natively only (proptest does not build for wasm32).
#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    /// The borrowed reading accepts exactly the role ARNs the parser makes, with the same
    /// parts.
    #[test]
    fn role_arn_parts_read_as_the_parser_does(
        s in "arn:aws:(iam|sts|s3)?:(us-west-2)?:(123456789012|12345|1234567890123)?:(role|user|rolex|assumed-role|root)?(/|/a/|//|/b/c/|/ x/)?(Admin|a b|é|[A-Za-z0-9_+=,.@-]{0,70})?"
    ) {
        let parsed = match s.parse::<Arn>() {
            Ok(Arn::Role { account, path, name }) => {
                Some((account.to_string(), path.to_string(), name.to_string()))
            }
            _ => None,
        };
        let borrowed = role_arn_parts(&s)
            .map(|r| (r.account.to_owned(), r.path.to_owned(), r.name.to_owned()));
        proptest::prop_assert_eq!(borrowed, parsed);
    }

    /// The byte-wise cut is `splitn(6, ':')`'s, for any text (ARNs or not).
    #[test]
    fn six_fields_cut_as_splitn_does(s in "(arn|aws|[a-z]{0,3}|:|é|/|[0-9]{1,3}){0,12}") {
        let expected: Vec<&str> = s.splitn(6, ':').collect();
        let got = six_fields(&s);
        proptest::prop_assert_eq!(got.map(|f| f.to_vec()), (expected.len() == 6).then_some(expected));
    }
}

#[test]
fn parses_and_formats_every_kind() {
    assert!(matches!(
        round_trip("arn:aws:iam::111111111111:root"),
        Arn::Root { .. }
    ));
    assert!(matches!(
        round_trip("arn:aws:iam::111111111111:user/David"),
        Arn::User { .. }
    ));
    assert!(matches!(
        round_trip("arn:aws:iam::111111111111:group/Developers"),
        Arn::Group { .. }
    ));
    assert!(matches!(
        round_trip("arn:aws:iam::111111111111:mfa/David"),
        Arn::Mfa { .. }
    ));
    let role = round_trip("arn:aws:iam::222222222222:role/division/AccessToProdDynamoDB");
    let Arn::Role {
        path,
        name,
        account,
    } = role
    else {
        panic!()
    };
    assert_eq!(
        (path.as_str(), name.as_str(), account.as_str()),
        ("/division/", "AccessToProdDynamoDB", "222222222222")
    );
    let assumed = round_trip("arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David");
    assert_eq!(assumed.account().as_str(), "222222222222");
    let table = round_trip("arn:aws:dynamodb:us-west-2:222222222222:table/GameScores");
    assert!(matches!(table, Arn::Table { ref region, .. } if region == "us-west-2"));
}

#[test]
fn refuses_what_it_does_not_know() {
    assert_eq!("nope".parse::<Arn>(), Err(ArnError::Shape));
    assert_eq!(
        "arn:aws:iam::12:root".parse::<Arn>(),
        Err(ArnError::Account)
    );
    assert!(matches!(
        "arn:aws:s3:::bucket".parse::<Arn>(),
        Err(ArnError::Account)
    ));
    assert!(matches!(
        "arn:aws:iam::111111111111:policy/P".parse::<Arn>(),
        Err(ArnError::Unsupported(_))
    ));
    assert!(matches!(
        "arn:aws:iam::111111111111:role/bad name".parse::<Arn>(),
        Err(ArnError::Name(_))
    ));
    assert!(matches!(
        "arn:aws:iam::111111111111:role/".parse::<Arn>(),
        Err(ArnError::Shape)
    ));
    assert!(matches!(
        "arn:aws-cn:iam::111111111111:root".parse::<Arn>(),
        Err(ArnError::Shape)
    ));
}

/// A table ARN names its region and one table: without a region, or with more after the
/// table's name (an index's or a stream's ARN), it is not a table's (DynamoDB Developer
/// Guide, "Resource ARNs": `arn:aws:dynamodb:region:account:table/name`).
#[test]
fn a_table_arn_has_a_region_and_one_name() {
    for bad in [
        "arn:aws:dynamodb::222222222222:table/GameScores",
        "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores/index/ByTop",
        "arn:aws:dynamodb:us-west-2:222222222222:table/",
    ] {
        assert!(
            matches!(bad.parse::<Arn>(), Err(ArnError::Unsupported(_))),
            "{bad}"
        );
    }
}

/// The borrowed reading of a role ARN refuses what the parser refuses, case by case (the
/// property above samples them; these always run).
#[test]
fn role_arn_parts_refuse_a_bad_account_path_or_name() {
    for bad in [
        "arn:aws:iam::12345:role/Admin",
        "arn:aws:iam::123456789012:role/a b/Admin",
        "arn:aws:iam::123456789012:role/bad name",
    ] {
        assert!(role_arn_parts(bad).is_none(), "{bad}");
        assert!(bad.parse::<Arn>().is_err(), "{bad}");
    }
    let ok = role_arn_parts("arn:aws:iam::123456789012:role/ops/Admin").unwrap();
    assert_eq!(
        (ok.account, ok.path, ok.name),
        ("123456789012", "/ops/", "Admin")
    );
}

#[test]
fn builders_match_parsing() {
    let account = AccountId::parse("222222222222").unwrap();
    let name = RoleName::parse("AccessToProdDynamoDB").unwrap();
    assert_eq!(
        Arn::role(&account, &IamPath::default(), &name).to_string(),
        "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
    );
    assert_eq!(
        Arn::root(&account).to_string(),
        "arn:aws:iam::222222222222:root"
    );
}
