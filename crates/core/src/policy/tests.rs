use super::*;

fn policy(json: &str) -> Policy {
    Policy::parse(json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn ctx(pairs: &[(&str, &str)]) -> Context {
    let mut c = Context::new();
    for (k, v) in pairs {
        c.set(k, *v);
    }
    c
}

/// A request without a caller (identity policies only).
fn request<'a>(action: &'a str, resource: &'a str, context: &'a Context) -> Request<'a> {
    Request {
        action,
        resource,
        caller: None,
        context,
    }
}

fn decide(p: &Policy, action: &str, resource: &str, context: &Context) -> Decision {
    evaluate([("p", p)], &request(action, resource, context))
}

fn allowed(p: &Policy, action: &str, resource: &str, context: &Context) -> bool {
    decide(p, action, resource, context).allowed()
}

/// A one-statement Allow on everything with one condition.
fn cond(op: &str, key: &str, values: &str) -> Policy {
    policy(&format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{{"{op}":{{"{key}":{values}}}}}}}}}"#
    ))
}

fn holds(op: &str, key: &str, values: &str, context: &[(&str, &str)]) -> bool {
    allowed(
        &cond(op, key, values),
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &ctx(context),
    )
}

#[test]
fn single_statement_or_list_and_string_or_list_values() {
    let single =
        policy(r#"{"Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#);
    assert_eq!(single.statements.len(), 1);
    let list = policy(
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Action":["dynamodb:Scan","dynamodb:GetItem"],"Resource":["arn:aws:dynamodb:us-west-2:1:table/x"]},
            {"Effect":"Deny","NotAction":"iam:*","NotResource":"*"}]}"#,
    );
    assert_eq!(list.statements.len(), 2);
    assert_eq!(list.statements[0].action.items.len(), 2);
    assert!(list.statements[1].action.negated);
}

#[test]
fn explicit_deny_beats_allow_beats_implicit_deny() {
    let p = policy(
        r#"{"Statement":[
            {"Sid":"All","Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
            {"Sid":"NoPayroll","Effect":"Deny","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/Payroll"}]}"#,
    );
    let c = Context::new();
    let d = decide(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:111111111111:table/Payroll",
        &c,
    );
    assert_eq!(d.verdict, Verdict::ExplicitDeny);
    assert_eq!(d.by[0].sid.as_deref(), Some("NoPayroll"));
    let d = decide(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:111111111111:table/DevScores",
        &c,
    );
    assert_eq!(d.verdict, Verdict::Allow);
    assert_eq!(d.by[0].to_string(), "p (statement \"All\")");
    let d = decide(&p, "s3:GetObject", "arn:aws:s3:::b", &c);
    assert_eq!(d.verdict, Verdict::ImplicitDeny);
    assert!(d.by.is_empty());
}

#[test]
fn deny_in_another_policy_wins_too() {
    let allow = policy(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
    let deny =
        policy(r#"{"Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}}"#);
    let c = Context::new();
    let req = request("sts:AssumeRole", "arn:aws:iam::2:role/R", &c);
    let d = evaluate([("allow", &allow), ("deny", &deny)], &req);
    assert_eq!(d.verdict, Verdict::ExplicitDeny);
    assert_eq!(d.by[0].policy, "deny");
}

#[test]
fn wildcards_and_case() {
    assert!(wildcard_match("dynamodb:*", "dynamodb:Scan", false));
    assert!(wildcard_match(
        "dynamodb:Get?tem",
        "dynamodb:GetItem",
        false
    ));
    assert!(!wildcard_match(
        "dynamodb:Get?tem",
        "dynamodb:GetIItem",
        false
    ));
    assert!(wildcard_match("*a*b*c", "xxaxxbxxbxc", false));
    assert!(!wildcard_match("a*b", "acbd", false));
    assert!(wildcard_match("", "", false) && !wildcard_match("", "x", false));
    assert!(wildcard_match("**", "", false));
    // Ignoring case folds Unicode, not only ASCII (the Kelvin sign lowercases to `k`), on
    // either side; and two different non-ASCII texts stay different.
    assert!(wildcard_match("\u{212A}ey", "key", true));
    assert!(wildcard_match("key", "\u{212A}ey", true));
    assert!(!wildcard_match("\u{212A}ey", "key", false));
    assert!(!wildcard_match("caf\u{e9}", "cafe", true));
    assert!(!wildcard_match("caf\u{e9}", "CAF\u{c8}", true));
    // A text's own `*` is matched only by a pattern's `*` wildcard or a literal `${*}`, not
    // by a letter (here on the path for non-ASCII texts).
    assert!(!wildcard_match("\u{e9}a?", "\u{e9}*b", false));
    // Action names are case-insensitive, resources are not.
    let p = policy(
        r#"{"Statement":{"Effect":"Allow","Action":"DynamoDB:scan","Resource":"arn:aws:dynamodb:*:*:table/Game*"}}"#,
    );
    let c = Context::new();
    assert!(allowed(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:2:table/GameScores",
        &c
    ));
    assert!(!allowed(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:2:table/gamescores",
        &c
    ));
    assert!(!allowed(
        &p,
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-west-2:2:table/GameScores",
        &c
    ));
}

#[test]
fn not_action_and_not_resource() {
    let p = policy(
        r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:dynamodb:*:*:table/Payroll"}}"#,
    );
    let c = Context::new();
    assert!(allowed(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:1:table/DevScores",
        &c
    ));
    assert!(!allowed(&p, "iam:CreateRole", "arn:aws:iam::1:role/X", &c));
    assert!(!allowed(
        &p,
        "dynamodb:Scan",
        "arn:aws:dynamodb:us-west-2:1:table/Payroll",
        &c
    ));
    let deny_all_but = policy(
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","NotAction":["sts:GetCallerIdentity","dynamodb:List*"],"Resource":"*"}]}"#,
    );
    assert!(allowed(&deny_all_but, "dynamodb:ListTables", "*", &c));
    assert_eq!(
        decide(&deny_all_but, "dynamodb:Scan", "*", &c).verdict,
        Verdict::ExplicitDeny
    );
}

#[test]
fn principal_matching() {
    let trust = policy(
        r#"{"Statement":[
            {"Sid":"Corp","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"},
            {"Sid":"Bob","Effect":"Allow","Principal":{"AWS":["444444444444","arn:aws:iam::555555555555:user/Bob"]},"Action":"sts:AssumeRole"},
            {"Sid":"Svc","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    let c = Context::new();
    // Leaked: each test caller borrows its account for the rest of the test run.
    let who = |account: &str, arn: &str| Caller {
        account: Box::leak(Box::new(AccountId::parse(account).unwrap())),
        arns: vec![arn.to_owned()],
    };
    let check = |caller: &Caller| {
        evaluate(
            [("trust policy", &trust)],
            &Request {
                action: "sts:AssumeRole",
                resource: "arn:aws:iam::2:role/R",
                caller: Some(caller),
                context: &c,
            },
        )
    };
    assert!(check(&who("111111111111", "arn:aws:iam::111111111111:user/David")).allowed());
    assert!(check(&who("444444444444", "arn:aws:iam::444444444444:user/Any")).allowed());
    assert!(check(&who("555555555555", "arn:aws:iam::555555555555:user/Bob")).allowed());
    assert!(!check(&who("555555555555", "arn:aws:iam::555555555555:user/Eve")).allowed());
    let d = check(&who(
        "333333333333",
        "arn:aws:iam::333333333333:user/Mallory",
    ));
    assert_eq!(d.verdict, Verdict::ImplicitDeny);
    let anyone =
        policy(r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}"#);
    let req = Request {
        action: "sts:AssumeRole",
        resource: "*",
        caller: Some(&who("333333333333", "x")),
        context: &c,
    };
    assert!(evaluate([("t", &anyone)], &req).allowed());
    let not_mallory = policy(
        r#"{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111111111111"},"Action":"*"}}"#,
    );
    assert_eq!(
        evaluate([("t", &not_mallory)], &req).verdict,
        Verdict::ExplicitDeny
    );
    // Without a caller, a statement with a principal never applies.
    let no_caller = Request {
        caller: None,
        ..req
    };
    assert_eq!(
        evaluate([("t", &anyone)], &no_caller).verdict,
        Verdict::ImplicitDeny
    );
}

/// A near miss is an Allow that a condition kept from applying: what the person could change
/// to be allowed (the Switch Role page names it). A Deny kept off by its condition is no near
/// miss: meeting its condition would refuse, not allow.
#[test]
fn only_an_allow_held_back_by_a_condition_is_a_near_miss() {
    let deny = policy(
        r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}"#,
    );
    let with = ctx(&[("aws:MultiFactorAuthPresent", "true")]);
    let d = decide(&deny, "x:Y", "*", &with);
    assert_eq!(d.verdict, Verdict::ImplicitDeny);
    assert!(d.near_misses.is_empty(), "{:?}", d.near_misses);
}

/// A decision names each policy that applied as it was named, whatever form the name came in.
#[test]
fn a_decision_names_its_policies_as_given() {
    let allow = policy(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
    let c = Context::new();
    let req = request("sts:AssumeRole", "arn:aws:iam::2:role/R", &c);
    let d = evaluate([(String::from("ProdAccess"), &allow)], &req);
    assert_eq!(d.by[0].policy, "ProdAccess");
}

/// The simulator's `MissingContextValues`: the keys that statements covering the request read
/// and the context lacks, each once (keys are case-insensitive), and none the context has.
#[test]
fn missing_context_keys_are_the_absent_ones_once() {
    let p = policy(
        r#"{"Statement":[
            {"Effect":"Allow","Action":"*","Resource":"*","Condition":{
                "Bool":{"aws:MultiFactorAuthPresent":"true"},
                "IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
            {"Effect":"Allow","Action":"*","Resource":"*","Condition":{
                "IpAddress":{"AWS:SourceIP":"198.51.100.0/24"}}}]}"#,
    );
    let c = ctx(&[("aws:MultiFactorAuthPresent", "true")]);
    let req = request("s3:GetObject", "*", &c);
    assert_eq!(missing_context_keys([&p], &req), ["aws:SourceIp"]);
}

#[test]
fn bool_and_mfa_near_miss() {
    let p = cond("Bool", "aws:MultiFactorAuthPresent", r#""true""#);
    let with = ctx(&[("aws:MultiFactorAuthPresent", "true")]);
    let without = ctx(&[("aws:MultiFactorAuthPresent", "false")]);
    assert!(allowed(&p, "x:Y", "*", &with));
    let d = decide(&p, "x:Y", "*", &without);
    assert_eq!(d.verdict, Verdict::ImplicitDeny);
    assert_eq!(d.near_misses.len(), 1);
    assert_eq!(
        d.near_misses[0].1.to_string(),
        "Bool aws:MultiFactorAuthPresent = true"
    );
    // Keys are case-insensitive; Bool values too; JSON booleans are accepted.
    assert!(holds(
        "Bool",
        "AWS:multifactorauthpresent",
        "true",
        &[("aws:MultiFactorAuthPresent", "TRUE")]
    ));
    // Absent key: Bool fails, BoolIfExists passes.
    assert!(!holds(
        "Bool",
        "aws:MultiFactorAuthPresent",
        r#""true""#,
        &[]
    ));
    assert!(holds(
        "BoolIfExists",
        "aws:MultiFactorAuthPresent",
        r#""true""#,
        &[]
    ));
    assert!(!holds(
        "BoolIfExists",
        "aws:MultiFactorAuthPresent",
        r#""true""#,
        &[("aws:MultiFactorAuthPresent", "false")]
    ));
}

#[test]
fn string_operators() {
    let k = "aws:username";
    assert!(holds(
        "StringEquals",
        k,
        r#"["Maria","David"]"#,
        &[(k, "David")]
    ));
    assert!(!holds("StringEquals", k, r#""david""#, &[(k, "David")]));
    assert!(holds(
        "StringEqualsIgnoreCase",
        k,
        r#""david""#,
        &[(k, "David")]
    ));
    assert!(!holds(
        "StringNotEqualsIgnoreCase",
        k,
        r#""david""#,
        &[(k, "David")]
    ));
    assert!(holds("StringNotEquals", k, r#""Maria""#, &[(k, "David")]));
    assert!(!holds(
        "StringNotEquals",
        k,
        r#"["Maria","David"]"#,
        &[(k, "David")]
    ));
    assert!(
        holds("StringNotEquals", k, r#""Maria""#, &[]),
        "absent key satisfies a negated operator"
    );
    assert!(holds("StringLike", k, r#""Da*""#, &[(k, "David")]));
    assert!(holds("StringLike", k, r#""D?vid""#, &[(k, "David")]));
    assert!(!holds("StringLike", k, r#""da*""#, &[(k, "David")]));
    assert!(holds("StringNotLike", k, r#""M*""#, &[(k, "David")]));
    assert!(!holds("StringNotLike", k, r#""D*""#, &[(k, "David")]));
    assert!(!holds("StringLike", k, r#""*""#, &[]));
    assert!(holds("StringLikeIfExists", k, r#""M*""#, &[]));
    assert!(!holds("StringEqualsIfExists", k, r#""M""#, &[(k, "David")]));
}

#[test]
fn arn_operators() {
    let k = "aws:SourceArn";
    let arn = "arn:aws:iam::111111111111:user/David";
    assert!(holds("ArnEquals", k, &format!("{arn:?}"), &[(k, arn)]));
    assert!(holds(
        "ArnLike",
        k,
        r#""arn:aws:iam::111111111111:user/*""#,
        &[(k, arn)]
    ));
    assert!(holds(
        "ArnLike",
        k,
        r#""arn:aws:iam::*:user/D?vid""#,
        &[(k, arn)]
    ));
    assert!(
        !holds("ArnLike", k, r#""arn:aws:iam::*""#, &[(k, arn)]),
        "wildcards stay within a component"
    );
    assert!(holds(
        "ArnNotLike",
        k,
        r#""arn:aws:iam::222222222222:*""#,
        &[(k, arn)]
    ));
    assert!(!holds("ArnNotEquals", k, &format!("{arn:?}"), &[(k, arn)]));
}

#[test]
fn numeric_operators() {
    let k = "aws:MultiFactorAuthAge";
    assert!(holds("NumericLessThan", k, r#""3600""#, &[(k, "120")]));
    assert!(!holds("NumericLessThan", k, r#""3600""#, &[(k, "3600")]));
    assert!(holds("NumericLessThanEquals", k, "3600", &[(k, "3600")]));
    assert!(holds("NumericGreaterThan", k, r#""60""#, &[(k, "61")]));
    assert!(!holds("NumericGreaterThan", k, r#""60""#, &[(k, "60")]));
    assert!(holds(
        "NumericGreaterThanEquals",
        k,
        r#""60""#,
        &[(k, "60")]
    ));
    assert!(holds("NumericEquals", k, r#""60""#, &[(k, "60.0")]));
    assert!(holds("NumericNotEquals", k, r#""60""#, &[(k, "61")]));
    assert!(!holds("NumericLessThan", k, r#""3600""#, &[(k, "soon")]));
    assert!(!holds("NumericLessThan", k, r#""3600""#, &[]));
    assert!(holds("NumericLessThanIfExists", k, r#""3600""#, &[]));
}

#[test]
fn date_operators() {
    let k = "aws:CurrentTime";
    let now = "2026-11-30T12:00:00Z";
    assert!(holds(
        "DateLessThan",
        k,
        r#""2027-01-01T00:00:00Z""#,
        &[(k, now)]
    ));
    assert!(!holds("DateLessThan", k, r#""2026-01-01""#, &[(k, now)]));
    assert!(holds("DateGreaterThan", k, r#""2026-01-01""#, &[(k, now)]));
    assert!(!holds(
        "DateGreaterThan",
        k,
        &format!("{now:?}"),
        &[(k, now)]
    ));
    assert!(holds(
        "DateGreaterThanEquals",
        k,
        &format!("{now:?}"),
        &[(k, now)]
    ));
    assert!(holds(
        "DateLessThanEquals",
        k,
        r#""1796040000""#,
        &[(k, now)]
    ));
    assert!(holds(
        "DateEquals",
        k,
        r#""2026-11-30T13:00:00+01:00""#,
        &[(k, now)]
    ));
    assert!(holds("DateNotEquals", k, r#""2026-11-30""#, &[(k, now)]));
    assert!(!holds("DateLessThan", k, r#""not a date""#, &[(k, now)]));
}

#[test]
fn null_operator() {
    let k = "aws:TokenIssueTime";
    assert!(holds("Null", k, r#""true""#, &[]));
    assert!(!holds("Null", k, r#""true""#, &[(k, "x")]));
    assert!(holds("Null", k, "false", &[(k, "x")]));
    assert!(!holds("Null", k, "false", &[]));
}

#[test]
fn all_conditions_must_hold() {
    let p = policy(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
            "Bool":{"aws:MultiFactorAuthPresent":"true"},
            "NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}}"#,
    );
    let both = ctx(&[
        ("aws:MultiFactorAuthPresent", "true"),
        ("aws:MultiFactorAuthAge", "10"),
    ]);
    let old = ctx(&[
        ("aws:MultiFactorAuthPresent", "true"),
        ("aws:MultiFactorAuthAge", "7200"),
    ]);
    assert!(allowed(&p, "a:B", "*", &both));
    let d = decide(&p, "a:B", "*", &old);
    assert!(!d.allowed());
    assert_eq!(d.near_misses[0].1.key, "aws:MultiFactorAuthAge");
}

#[test]
fn malformed_documents_name_the_bad_element() {
    let cases = [
        ("not json", "$"),
        ("[]", "$"),
        (r#"{"Version":"2012-10-17"}"#, "$"),
        (r#"{"Version":"2020-01-01","Statement":[]}"#, "Version"),
        (r#"{"Statement":[]}"#, "Statement"),
        (r#"{"Statemnt":{}}"#, "Statemnt"),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Maybe","Action":"*"}]}"#,
            "Statement[1].Effect",
        ),
        (r#"{"Statement":{"Action":"*"}}"#, "Statement"),
        (r#"{"Statement":{"Effect":"Allow"}}"#, "Statement"),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*"}}"#,
            "Statement",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":["s3:Get",42]}}"#,
            "Statement.Action[1]",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"GetItem"}}"#,
            "Statement.Action[0]",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":[]}}"#,
            "Statement.Action",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Bool":{"aws:x":{}}}}}"#,
            "Statement.Condition.Bool.aws:x",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Sometimes":{"k":"v"}}}}"#,
            "Statement.Condition.Sometimes",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"NullIfExists":{"k":"v"}}}}"#,
            "Statement.Condition.NullIfExists",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"Bool":{}}}}"#,
            "Statement.Condition.Bool",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":{"AWS":"someone"}}}"#,
            "Statement.Principal.AWS[0]",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":{"Alien":"x"}}}"#,
            "Statement.Principal.Alien",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":"someone"}}"#,
            "Statement.Principal",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"*","Colour":"red"}}"#,
            "Statement.Colour",
        ),
        (
            r#"{"Statement":{"Sid":1,"Effect":"Allow","Action":"*"}}"#,
            "Statement.Sid",
        ),
    ];
    for (doc, path) in cases {
        let e = Policy::parse(doc).expect_err(doc);
        assert_eq!(e.path, path, "{doc}: {e}");
        assert!(!e.message.is_empty());
    }
    let e = Policy::parse(r#"{"Statement":{"Effect":"Maybe","Action":"*"}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Statement.Effect: must be \"Allow\" or \"Deny\""
    );
}

#[test]
fn identity_and_trust_policy_shapes() {
    let no_resource = policy(r#"{"Statement":{"Effect":"Allow","Action":"*"}}"#);
    assert_eq!(
        no_resource.check_identity_policy().unwrap_err().path,
        "Statement[0]"
    );
    assert_eq!(
        no_resource.check_trust_policy().unwrap_err().path,
        "Statement[0]"
    );
    let trust =
        policy(r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}"#);
    assert!(trust.check_trust_policy().is_ok());
    assert!(trust.check_identity_policy().is_err());
}

/// IAM User Guide, "IAM policy elements: Variables and tags", "Specifying default values": a
/// variable may have a default, `${key, 'text'}`, where the text is quoted and may hold any
/// character, `}` included; a key with a space, or an empty key, is no variable at all.
#[test]
fn variable_defaults_are_quoted_text_and_keys_have_no_spaces() {
    use super::condition::substitute;
    let named = ctx(&[("aws:username", "David")]);
    let nobody = ctx(&[]);
    assert_eq!(
        substitute("home/${aws:username, 'a}b'}/x", &named, false).as_deref(),
        Some("home/David/x")
    );
    assert_eq!(
        substitute("home/${aws:username, 'a}b'}/x", &nobody, false).as_deref(),
        Some("home/a}b/x")
    );
    assert_eq!(
        substitute("${aws:username, 'it''s'}", &nobody, false).as_deref(),
        Some("it's")
    );
    for not_a_variable in ["${aws: username, 'x'}", "${ , 'x'}", "${aws:username, x}"] {
        assert_eq!(
            substitute(not_a_variable, &named, false),
            None,
            "{not_a_variable}"
        );
    }
    // Without a default, a missing key makes the value unusable.
    assert_eq!(substitute("${aws:username}", &nobody, false), None);
}
