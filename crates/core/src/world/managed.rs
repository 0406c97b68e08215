//! Managed policies: an account's own, and the AWS managed ones crossrole knows.

use serde::{Deserialize, Serialize};

use super::PolicyDoc;
use crate::validation::{AccountId, IamPath};

/// A customer managed policy (its default version).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagedPolicy {
    /// The policy name (1–128 characters, `[\w+=,.@-]`).
    pub name: String,
    /// Its path.
    #[serde(default)]
    pub path: IamPath,
    /// A description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document (the policy's one version, `v1`).
    pub document: PolicyDoc,
}

impl ManagedPolicy {
    /// Its ARN in `account`.
    pub fn arn(&self, account: &AccountId) -> String {
        format!("arn:aws:iam::{account}:policy{}{}", self.path, self.name)
    }
}

/// The AWS managed policies crossrole knows, by name: what AWS's documents of the same name
/// grant for the services crossrole serves (STS, IAM, DynamoDB), written here (AWS's own
/// documents list hundreds of services' actions).
pub const AWS_MANAGED: [(&str, &str); 5] = [
    (
        "AdministratorAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:BatchGet*","dynamodb:Describe*","dynamodb:Get*","dynamodb:List*","dynamodb:PartiQLSelect","dynamodb:Query","dynamodb:Scan","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","sts:GetCallerIdentity"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonDynamoDBFullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:*"],"Effect":"Allow","Resource":"*"}]}"#,
    ),
    (
        "AmazonDynamoDBReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:BatchGetItem","dynamodb:Describe*","dynamodb:List*","dynamodb:GetAbacStatus","dynamodb:GetItem","dynamodb:GetResourcePolicy","dynamodb:Query","dynamodb:Scan","dynamodb:PartiQLSelect"],"Effect":"Allow","Resource":"*"}]}"#,
    ),
    (
        "IAMReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}"#,
    ),
];

/// The ARN prefix of AWS managed policies.
pub const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// The AWS managed policy named by `arn`, parsed once.
pub fn aws_managed(arn: &str) -> Option<&'static PolicyDoc> {
    static PARSED: std::sync::OnceLock<Vec<PolicyDoc>> = std::sync::OnceLock::new();
    let name = arn.strip_prefix(AWS_MANAGED_PREFIX)?;
    let index = AWS_MANAGED.iter().position(|(n, _)| *n == name)?;
    let docs = PARSED.get_or_init(|| {
        AWS_MANAGED
            .iter()
            .map(|(_, text)| PolicyDoc::parse(text).expect("the built-in policies are valid"))
            .collect()
    });
    docs.get(index)
}

/// The SCP AWS attaches everywhere by default: allows everything.
pub const FULL_AWS_ACCESS: &str = "FullAWSAccess";

/// `FullAWSAccess`, parsed once.
pub fn aws_full_access() -> &'static PolicyDoc {
    static PARSED: std::sync::OnceLock<PolicyDoc> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        PolicyDoc::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .expect("FullAWSAccess is valid")
    })
}
