use super::*;
use crate::wire::query_params;

#[test]
fn requests_write_what_they_read() {
    let requests = [
        IamRequest::ListAccountAliases,
        IamRequest::GetUser { user: None },
        IamRequest::GetUser {
            user: Some("David".into()),
        },
        IamRequest::CreateRole(NewRole {
            name: "R".into(),
            path: Some("/admin/".into()),
            trust_policy: "{\"Statement\": []}".into(),
            description: Some("a & b".into()),
            max_session_duration: Some(7200),
        }),
        IamRequest::PutGroupPolicy {
            group: "Developers".into(),
            name: "P".into(),
            document: "{}".into(),
        },
        IamRequest::GetRolePolicy {
            role: "R".into(),
            name: "P".into(),
        },
        IamRequest::DeleteRolePolicy {
            role: "R".into(),
            name: "P".into(),
        },
        IamRequest::DeleteGroupPolicy {
            group: "G".into(),
            name: "P".into(),
        },
        IamRequest::ListGroupPolicies { group: "G".into() },
        IamRequest::GetGroup { group: "G".into() },
        IamRequest::CreatePolicy(NewPolicy {
            name: "ScanOnly".into(),
            path: Some("/team/".into()),
            document: "{}".into(),
            description: Some("Scans".into()),
        }),
        IamRequest::GetPolicy {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
        },
        IamRequest::GetPolicyVersion {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            version: "v1".into(),
        },
        IamRequest::ListPolicies {
            scope: Some("Local".into()),
            only_attached: true,
        },
        IamRequest::ListPolicies {
            scope: None,
            only_attached: false,
        },
        IamRequest::SimulatePrincipalPolicy {
            source: "arn:aws:iam::111111111111:user/David".into(),
            simulation: Simulation {
                actions: vec!["sts:AssumeRole".into(), "dynamodb:Scan".into()],
                resources: vec!["arn:aws:iam::222222222222:role/AccessToProdDynamoDB".into()],
                context: vec![
                    ("aws:MultiFactorAuthPresent".into(), vec!["true".into()]),
                    ("aws:TagKeys".into(), vec!["a".into(), "b".into()]),
                ],
                policies: vec!["{}".into()],
                boundaries: vec!["{}".into()],
                resource_policy: Some("{\"Statement\":[]}".into()),
                resource_owner: Some("arn:aws:iam::222222222222:root".into()),
                caller_arn: Some("arn:aws:iam::111111111111:user/David".into()),
                resource_handling_option: Some("EC2-VPC-InstanceStore".into()),
            },
        },
        IamRequest::GetRoleAsCode {
            role: "ProdOperator".into(),
            format: CodeFormat::Terraform,
        },
        IamRequest::SimulateCustomPolicy(Simulation {
            actions: vec!["s3:GetObject".into()],
            policies: vec!["{}".into()],
            ..Default::default()
        }),
    ];
    let policy = "arn:aws:iam::222222222222:policy/ScanOnly".to_owned();
    let targets = [
        Attachee::Role("R".into()),
        Attachee::User("U".into()),
        Attachee::Group("G".into()),
    ];
    let requests = requests.into_iter().chain(targets.iter().flat_map(|t| {
        let mut each = vec![
            IamRequest::AttachPolicy {
                target: t.clone(),
                arn: policy.clone(),
            },
            IamRequest::DetachPolicy {
                target: t.clone(),
                arn: policy.clone(),
            },
            IamRequest::ListAttachedPolicies { target: t.clone() },
        ];
        if !matches!(t, Attachee::Group(_)) {
            each.push(IamRequest::PermissionsBoundary {
                target: t.clone(),
                arn: Some(policy.clone()),
            });
            each.push(IamRequest::PermissionsBoundary {
                target: t.clone(),
                arn: None,
            });
        }
        each
    }));
    for r in requests {
        let form = r.to_form();
        assert!(form.ends_with("Version=2010-05-08"), "{form}");
        assert_eq!(IamRequest::from_params(&query_params(&form)), Ok(r));
    }
}

#[test]
fn requests_read_their_parameters() {
    let p = query_params("Action=CreateRole&RoleName=R&AssumeRolePolicyDocument=%7B%7D&MaxSessionDuration=7200&Version=2010-05-08");
    let IamRequest::CreateRole(new) = IamRequest::from_params(&p).unwrap() else {
        panic!()
    };
    assert_eq!((new.name.as_str(), new.trust_policy.as_str()), ("R", "{}"));
    assert_eq!(new.max_session_duration, Some(7200));
    assert!(IamRequest::CreateRole(new).changes_world());
    let missing = IamRequest::from_params(&query_params("Action=GetRole")).unwrap_err();
    assert!(missing.to_string().contains("RoleName"), "{missing}");
    assert_eq!(
        IamRequest::from_params(&query_params("Action=CreateUser")).unwrap_err(),
        WireError::UnknownAction("CreateUser".into())
    );
    assert!(!IamRequest::from_params(&query_params("Action=ListRoles"))
        .unwrap()
        .changes_world());
}

#[test]
fn documents_are_url_encoded_and_aliases_read_back() {
    let doc = serde_json::json!({"Statement": {"Effect": "Allow", "Action": "s3:*"}});
    let xml = policy_xml("RoleName", "R&D", "P", &doc);
    assert!(xml.contains("<RoleName>R&amp;D</RoleName>"), "{xml}");
    assert!(xml.contains("%7B%22Statement%22%3A"), "{xml}");
    let list = response(
        "ListAccountAliases",
        &names_xml("AccountAliases", &["example-corp".into()]),
        "r",
    );
    assert_eq!(
        parse_account_aliases(&list).unwrap(),
        Some("example-corp".into())
    );
    let none = response("ListAccountAliases", &names_xml("AccountAliases", &[]), "r");
    assert_eq!(parse_account_aliases(&none).unwrap(), None);
    let err = error_response(ErrorCode::AccessDenied, "no", "r");
    assert_eq!(
        crate::wire::parse_query_error(&err).unwrap(),
        ("AccessDenied".into(), "no".into())
    );
    assert!(parse_account_aliases(&err).is_err());
    assert!(parse_account_aliases("<x").is_err());
}

#[test]
fn a_role_as_code_reads_back_its_template_text() {
    let xml = r#"<GetRoleAsCodeResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleAsCodeResult><Format>Terraform</Format><Template>name = "a&amp;b" &lt;&lt;-EOT
</Template></GetRoleAsCodeResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleAsCodeResponse>"#;
    assert_eq!(parse_role_as_code(xml).unwrap(), "name = \"a&b\" <<-EOT\n");
    let other = xml.replace("GetRoleAsCodeResponse", "GetRoleResponse");
    assert!(parse_role_as_code(&other).is_err());
    let without = xml.replace("Template", "Body");
    assert!(parse_role_as_code(&without).is_err());
}
