use super::*;

fn issued() -> Issued {
    Issued {
        credentials: Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("s3cr3t/&<key>"),
            session_token: Secret::new("token+with=chars"),
            expiration: Timestamp(1_796_043_600),
        },
        arn: "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David"
            .parse()
            .unwrap(),
        unique_id: "AROAEXAMPLE:David".into(),
        source_identity: None,
    }
}

#[test]
fn endpoints_resolve_against_the_page() {
    let e = Endpoint::resolve("/", "http://127.0.0.1:8080").unwrap();
    assert_eq!(
        e,
        Endpoint {
            url: "http://127.0.0.1:8080/".into(),
            host: "127.0.0.1:8080".into(),
            path: "/".into()
        }
    );
    let e = Endpoint::resolve("https://sts.example.com", "http://x").unwrap();
    assert_eq!(
        (e.url.as_str(), e.host.as_str(), e.path.as_str()),
        ("https://sts.example.com/", "sts.example.com", "/")
    );
    let e = Endpoint::resolve("http://localhost:5000/aws/", "http://x").unwrap();
    assert_eq!(
        (e.host.as_str(), e.path.as_str()),
        ("localhost:5000", "/aws/")
    );
    for bad in [
        "//evil.example",
        "javascript:alert(1)",
        "sts.example.com",
        "http://",
        "http://h/?a=b",
        "http://user:pw@h/",
        "/a b",
    ] {
        assert!(
            Endpoint::resolve(bad, "http://127.0.0.1:8080").is_err(),
            "{bad}"
        );
    }
}

#[test]
fn requests_round_trip() {
    let requests = [
        StsRequest::GetCallerIdentity,
        StsRequest::GetSessionToken(GetSessionToken {
            duration: Some(3600),
            serial_number: Some("arn:aws:iam::111111111111:mfa/David".into()),
            token_code: Some("123456".into()),
        }),
        StsRequest::GetSessionToken(GetSessionToken {
            duration: None,
            serial_number: None,
            token_code: None,
        }),
        StsRequest::AssumeRole(AssumeRole {
            role_arn: "arn:aws:iam::222222222222:role/AccessToProdDynamoDB".into(),
            role_session_name: "David".into(),
            duration: None,
            ..Default::default()
        }),
        StsRequest::AssumeRole(AssumeRole {
            role_arn: "arn:aws:iam::222222222222:role/AccessToProdDynamoDB".into(),
            role_session_name: "David".into(),
            duration: Some(900),
            external_id: Some("Unique ID 4 the=partner, @corp".into()),
            serial_number: Some("arn:aws:iam::111111111111:mfa/David".into()),
            token_code: Some("123456".into()),
            source_identity: Some("david@example.com".into()),
            policy: Some(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}}"#.into()),
            policy_arns: vec![
                "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
                "arn:aws:iam::222222222222:policy/ProdOperatorBoundary".into(),
            ],
            tags: vec![("team".into(), "blue".into()), ("cost center".into(), "42/a".into())],
            transitive_tag_keys: vec!["team".into()],
        }),
    ];
    for r in requests {
        let form = r.to_form();
        assert!(form.contains("Version=2011-06-15"), "{form}");
        assert_eq!(StsRequest::parse(&form), Ok(r));
    }
}

#[test]
fn bad_requests_say_what_is_wrong() {
    assert!(
        matches!(StsRequest::parse("Version=2011-06-15"), Err(WireError::BadParameter(m)) if m.contains("Action"))
    );
    assert!(
        matches!(StsRequest::parse("Action=AssumeRole&RoleArn=x"), Err(WireError::BadParameter(m)) if m.contains("RoleSessionName"))
    );
    assert!(matches!(
        StsRequest::parse("Action=GetSessionToken&DurationSeconds=soon"),
        Err(WireError::BadParameter(_))
    ));
    assert_eq!(
        StsRequest::parse("Action=GetFederationToken"),
        Err(WireError::UnknownAction("GetFederationToken".into()))
    );
    assert!(matches!(
        StsRequest::parse("Action=DecodeAuthorizationMessage"),
        Err(WireError::BadParameter(m)) if m.contains("EncodedMessage")
    ));
}

#[test]
fn responses_read_back_what_was_written() {
    let i = issued();
    match parse_sts_response(&assume_role_response(&i, "req-1")).unwrap() {
        StsResponse::Credentials { credentials, arn } => {
            assert_eq!(credentials, i.credentials);
            assert_eq!(arn.as_ref(), Some(&i.arn));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse_sts_response(&get_session_token_response(&i, "req-2")).unwrap(),
        StsResponse::Credentials { arn: None, .. }
    ));
    let who = CallerIdentity {
        account: "111111111111".into(),
        arn: "arn:aws:iam::111111111111:user/David".into(),
        user_id: "AIDAEXAMPLE".into(),
    };
    assert_eq!(
        parse_sts_response(&get_caller_identity_response(&who, "r")).unwrap(),
        StsResponse::Identity(who)
    );
    let err = error_response(
        ErrorCode::AccessDenied,
        "User: a is not authorized <to> & so on",
        "r",
    );
    assert!(err.contains("&lt;to&gt; &amp; so on"));
    assert_eq!(
        parse_query_error(&err).unwrap(),
        (
            "AccessDenied".into(),
            "User: a is not authorized <to> & so on".into()
        )
    );
    assert!(parse_sts_response(&err).is_err());
}

#[test]
fn real_aws_shaped_documents_parse() {
    let aws = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
<SourceIdentity>DevUser123</SourceIdentity>
<AssumedRoleUser>
  <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
  <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
</AssumedRoleUser>
<Credentials>
  <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
  <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>
  <Expiration>2019-11-09T13:34:41Z</Expiration>
</Credentials>
<PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;
    let StsResponse::Credentials { credentials, arn } = parse_sts_response(aws).unwrap() else {
        panic!()
    };
    assert_eq!(credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(
        credentials.expiration,
        Timestamp::parse("2019-11-09T13:34:41Z").unwrap()
    );
    assert_eq!(
        arn.map(|a| a.to_string()).as_deref(),
        Some("arn:aws:sts::123456789012:assumed-role/demo/John")
    );
}

#[test]
fn malformed_responses_are_errors_not_panics() {
    for bad in [
        "",
        "not xml",
        "<AssumeRoleResponse>",
        "<AssumeRoleResponse></AssumeRoleResponse>",
        "<Other/>",
        "<ErrorResponse><Error><Message>x</Message></Error></ErrorResponse>",
        "<GetCallerIdentityResponse><Arn>&bogus;</Arn></GetCallerIdentityResponse>",
    ] {
        assert!(
            matches!(parse_sts_response(bad), Err(WireError::Malformed(_))),
            "{bad:?}"
        );
    }
}

/// XML 1.0: a CDATA section and character and entity references are text like any other, and
/// an empty element (`<Description/>`) is a field with empty text.
#[test]
fn text_reads_the_same_in_any_of_xml_s_forms() {
    let (root, fields) = leaves("<R><A><![CDATA[a<b]]></A><B>x&amp;&#65;</B></R>").unwrap();
    assert_eq!(root, "R");
    assert_eq!((fields["A"].as_str(), fields["B"].as_str()), ("a<b", "x&A"));
    let members = records(
        "<R><Roles><member><RoleName><![CDATA[Ops]]></RoleName><Description/></member>\
         <member>Solo</member><member> </member><member><A>x</A> tail</member></Roles></R>",
        "Roles",
        "member",
    )
    .unwrap();
    assert_eq!(members.len(), 4);
    assert_eq!(members[0]["RoleName"], "Ops");
    assert_eq!(members[0].get("Description").map(String::as_str), Some(""));
    // Text alone is the item's value; beside fields, or blank, it is nothing.
    assert_eq!(members[1]["member"], "Solo");
    assert!(members[2].is_empty(), "{:?}", members[2]);
    assert_eq!(members[3].len(), 1, "{:?}", members[3]);
}

/// DynamoDB API Reference, "DescribeTable", "Scan" and "GetItem": the answers' shapes boto3
/// reads (the console reads only ListTables and Scan's items, so no client of core's reads
/// these back).
#[test]
fn dynamodb_answers_have_the_api_reference_s_shape() {
    use crate::ops::TableDescription;
    use crate::world::KeyAttribute;
    use dynamodb::{describe_table_response, get_item_response, scan_count_response};
    let key = |name: &str, kind: &str| KeyAttribute {
        name: name.into(),
        kind: kind.into(),
    };
    let table = TableDescription {
        name: "GameScores".into(),
        arn: "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores".into(),
        hash_key: key("UserId", "S"),
        range_key: Some(key("GameTitle", "S")),
        item_count: 3,
    };
    let described: serde_json::Value =
        serde_json::from_str(&describe_table_response(&table)).unwrap();
    assert_eq!(
        described,
        serde_json::json!({"Table": {
            "TableName": "GameScores",
            "TableArn": "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores",
            "TableStatus": "ACTIVE",
            "ItemCount": 3,
            "KeySchema": [
                {"AttributeName": "UserId", "KeyType": "HASH"},
                {"AttributeName": "GameTitle", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "UserId", "AttributeType": "S"},
                {"AttributeName": "GameTitle", "AttributeType": "S"},
            ],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        }})
    );
    let counted: serde_json::Value = serde_json::from_str(&scan_count_response(7)).unwrap();
    assert_eq!(counted, serde_json::json!({"Count": 7, "ScannedCount": 7}));
    let item: crate::world::Item =
        serde_json::from_str(r#"{"UserId": {"S": "101"}, "TopScore": {"N": "5842"}}"#).unwrap();
    let found: serde_json::Value = serde_json::from_str(&get_item_response(Some(&item))).unwrap();
    assert_eq!(found, serde_json::json!({"Item": item}));
    // No such item: an empty object, not an error.
    assert_eq!(get_item_response(None), "{}");
}

/// The access map as IAM's Query XML and back: each cell, and each trust policy, stays with
/// its own role (two roles whose cells and documents differ, so a mix-up shows).
#[test]
fn an_access_map_reads_back_cell_by_cell() {
    use crate::wire::iam::{parse_switch_access, switch_access_xml};
    let map = crate::ops::access::two_role_map();
    assert_eq!(parse_switch_access(&switch_access_xml(&map)).unwrap(), map);
}

/// IAM API Reference, "GetPolicy" and "GetPolicyVersion": a managed policy's fields as boto3
/// reads them (its one version `v1`, attachable, the description only when there is one), and
/// the version's document URL-encoded (no client of core's reads these back).
#[test]
fn managed_policies_are_written_as_iam_writes_them() {
    use crate::ops::managed::PolicyInfo;
    use crate::wire::iam::{managed_policy_xml, policy_version_xml};
    let document = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}
    ]});
    let info = PolicyInfo {
        name: "ReadScores".into(),
        policy_id: "ANPAEXAMPLEREADSCORES".into(),
        arn: "arn:aws:iam::222222222222:policy/team/ReadScores".into(),
        path: "/team/".into(),
        description: Some("Read <scores> & more".into()),
        attachment_count: 2,
        document: document.clone(),
    };
    let (root, fields) = leaves(&managed_policy_xml("Policy", &info)).unwrap();
    assert_eq!(root, "Policy");
    for (name, text) in [
        ("PolicyName", "ReadScores"),
        ("PolicyId", "ANPAEXAMPLEREADSCORES"),
        ("Arn", "arn:aws:iam::222222222222:policy/team/ReadScores"),
        ("Path", "/team/"),
        ("DefaultVersionId", "v1"),
        ("AttachmentCount", "2"),
        ("IsAttachable", "true"),
        ("Description", "Read <scores> & more"),
    ] {
        assert_eq!(fields.get(name).map(String::as_str), Some(text), "{name}");
    }
    let bare = PolicyInfo {
        description: None,
        ..info
    };
    let (root, fields) = leaves(&managed_policy_xml("member", &bare)).unwrap();
    assert_eq!(root, "member");
    assert!(!fields.contains_key("Description"));

    let (root, version) = leaves(&policy_version_xml(&document)).unwrap();
    assert_eq!(root, "PolicyVersion");
    assert_eq!(version["VersionId"], "v1");
    assert_eq!(version["IsDefaultVersion"], "true");
    let decoded: String = form_urlencoded::parse(format!("d={}", version["Document"]).as_bytes())
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&decoded).unwrap(),
        document
    );
}

/// IAM API Reference, each action's "Request Parameters": RoleName and UserName 1–64
/// characters, PolicyName and GroupName 1–128, all of `[\w+=,.@-]`; Path and PathPrefix up to
/// 512; PolicyDocument and AssumeRolePolicyDocument up to 131,072; Description up to 1,000;
/// PolicyArn and PermissionsBoundary 20–2,048 (and crossrole's WhatIfTarget 1–2,048). Each
/// bound holds exactly: its last allowed length passes, one more is refused, naming the
/// parameter.
#[test]
fn iam_parameters_are_held_to_the_api_reference_s_lengths() {
    use crate::wire::iam::{check_parameter, DOCUMENT_MAX_CHARS};
    let of = |n: usize| "a".repeat(n);
    for (key, shortest, longest) in [
        ("RoleName", 1, 64),
        ("UserName", 1, 64),
        ("PolicyName", 1, 128),
        ("GroupName", 1, 128),
        ("Path", 0, 512),
        ("PathPrefix", 0, 512),
        ("PolicyDocument", 0, DOCUMENT_MAX_CHARS),
        ("AssumeRolePolicyDocument", 0, DOCUMENT_MAX_CHARS),
        ("Description", 0, 1000),
        ("WhatIfTarget", 1, 2048),
        ("PolicyArn", 20, 2048),
        ("PermissionsBoundary", 20, 2048),
    ] {
        assert_eq!(check_parameter(key, &of(longest)), Ok(()), "{key}");
        assert_eq!(check_parameter(key, &of(shortest)), Ok(()), "{key}");
        let long = check_parameter(key, &of(longest + 1))
            .unwrap_err()
            .to_string();
        assert!(long.contains(&format!("at '{key}'")), "{long}");
        assert!(
            long.contains(&format!("less than or equal to {longest}")),
            "{long}"
        );
        if shortest > 0 {
            let short = check_parameter(key, &of(shortest - 1))
                .unwrap_err()
                .to_string();
            assert!(
                short.contains(&format!("greater than or equal to {shortest}")),
                "{short}"
            );
        }
    }
    for key in ["RoleName", "UserName", "PolicyName", "GroupName"] {
        let refused = check_parameter(key, "no spaces").unwrap_err().to_string();
        assert!(refused.contains("regular expression pattern"), "{refused}");
        assert_eq!(check_parameter(key, "a+b=c,d.e@f-g_h"), Ok(()), "{key}");
    }
    // Other parameters are the operation's to check.
    assert_eq!(check_parameter("MaxItems", &of(5000)), Ok(()));
    assert_eq!(check_parameter("Marker", "no spaces"), Ok(()));
}
