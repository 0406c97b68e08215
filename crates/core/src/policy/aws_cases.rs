//! The engine against AWS's documentation, one row per case: a policy, a request, its context
//! and the decision with the statement that decides it, each row naming the AWS page (IAM User
//! Guide unless said otherwise) it comes from. Policies quoted from AWS's example pages are
//! kept as AWS prints them (account ids and names aside), so that they also prove those
//! policies load.

use super::*;

/// What AWS decides, and by which statement (its `Sid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allow(&'static str),
    Deny(&'static str),
    Implicit,
}
use Expect::{Allow, Deny, Implicit};

struct Case {
    source: &'static str,
    policy: &'static str,
    action: &'static str,
    resource: &'static str,
    context: &'static [(&'static str, &'static [&'static str])],
    expect: Expect,
}

// The pages the rows cite.
const EVAL: &str = "Policy evaluation logic (reference_policies_evaluation-logic.html)";
const ACTION: &str = "IAM JSON policy elements: Action / NotAction";
const RESOURCE: &str = "IAM JSON policy elements: Resource / NotResource";
const OPS: &str = "IAM JSON policy elements: Condition operators";
const IF_EXISTS: &str = "Condition operators: ...IfExists condition operators";
const NULL: &str = "Condition operators: Condition operator to check existence of condition keys";
const MULTI: &str = "Single-valued vs. multivalued context keys; set operators (reference_policies_condition-single-vs-multi-valued-context-keys.html)";
const VARS: &str = "IAM policy elements: Variables and tags (reference_policies_variables.html)";
const VERSION: &str = "IAM JSON policy elements: Version";
const EX_DATE: &str = "Example policies: AWS: Allows access based on date and time";
const EX_IP: &str = "Example policies: AWS: Denies access to AWS based on the source IP";
const EX_REGION: &str = "Example policies: AWS: Denies access to AWS based on the requested Region";
const EX_MFA: &str =
    "Example policies: AWS: Allows MFA-authenticated IAM users to manage their own credentials";
const EX_OWN_KEYS: &str =
    "Example policies: IAM: Allows IAM users to rotate their own access keys (aws:username)";
const EX_DDB_TABLE: &str = "Example policies: Amazon DynamoDB: Allows access to a specific table";
const EX_DDB_ITEMS: &str = "Example policies: Amazon DynamoDB: Allows access to specific items based on a principal ID (dynamodb:LeadingKeys)";
const EX_TAGS: &str = "Controlling access to and for IAM users and roles using tags (aws:PrincipalTag, aws:RequestTag, aws:TagKeys)";

const TABLE: &str = "arn:aws:dynamodb:us-west-2:222222222222:table/GameScores";
const OTHER_TABLE: &str = "arn:aws:dynamodb:us-west-2:222222222222:table/Billing";

const ALLOW_SCAN_GAMESCORES: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Scan","Effect":"Allow","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:us-west-2:222222222222:table/GameScores"}]}"#;

const ALLOW_ALL_DENY_BILLING: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},
  {"Sid":"NoBilling","Effect":"Deny","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/Billing"}]}"#;

/// Quoted from the example page (the dates as AWS prints them).
const DATE_WINDOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Window","Effect":"Allow","Action":"service-prefix:action-name","Resource":"*",
  "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}}]}"#;

/// Quoted from the example page.
const SOURCE_IP: &str = r#"{"Version":"2012-10-17","Statement":{"Sid":"DenyOutside","Effect":"Deny","Action":"*","Resource":"*",
  "Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}}"#;

/// Quoted from the example page (its NotAction list shortened).
const REGIONS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllOutsideRequestedRegions","Effect":"Deny",
  "NotAction":["cloudfront:*","iam:*","route53:*","support:*"],"Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}]}"#;

/// The deny-without-MFA statement of the example page, with an allow for everything beside it.
const MFA: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"},
  {"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny",
   "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],
   "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;

/// Quoted from the example page.
const OWN_KEYS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ManageOwnAccessKeys","Effect":"Allow",
  "Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:GetAccessKeyLastUsed","iam:GetUser","iam:ListAccessKeys","iam:UpdateAccessKey","iam:TagUser"],
  "Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;

/// Quoted from the example page (account and table named).
const DDB_TABLE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ListAndDescribe","Effect":"Allow",
  "Action":["dynamodb:List*","dynamodb:DescribeReservedCapacity*","dynamodb:DescribeLimits","dynamodb:DescribeTimeToLive"],"Resource":"*"},
  {"Sid":"SpecificTable","Effect":"Allow","Action":["dynamodb:BatchGet*","dynamodb:DescribeStream","dynamodb:DescribeTable","dynamodb:Get*","dynamodb:Query","dynamodb:Scan","dynamodb:BatchWrite*","dynamodb:CreateTable","dynamodb:Delete*","dynamodb:Update*","dynamodb:PutItem"],
   "Resource":"arn:aws:dynamodb:*:*:table/GameScores"}]}"#;

/// Quoted from the example page.
const DDB_ITEMS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAccessToOnlyItemsMatchingUserID","Effect":"Allow",
  "Action":["dynamodb:GetItem","dynamodb:BatchGetItem","dynamodb:Query","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:DeleteItem","dynamodb:BatchWriteItem"],
  "Resource":["arn:aws:dynamodb:us-west-2:123456789012:table/GameScores"],
  "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${www.amazon.com:user_id}"],"dynamodb:Attributes":["UserId","GameTitle","Wins","Losses","TopScore","TopScoreDateTime"]},
               "StringEqualsIfExists":{"dynamodb:Select":"SPECIFIC_ATTRIBUTES"}}}]}"#;
const DDB_ITEMS_TABLE: &str = "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores";

/// One-statement policies for the operators, each allowing everything when its condition holds.
macro_rules! when {
    ($cond:literal) => {
        concat!(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"C","Effect":"Allow","Action":"*","Resource":"*","Condition":"#,
            $cond,
            "}}"
        )
    };
}

const ANY: &str = "s3:GetObject";
const ANYWHERE: &str = "arn:aws:s3:::bucket/key";

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- evaluation logic -------------------------------------------------------------------
    Case { source: EVAL, policy: ALLOW_SCAN_GAMESCORES, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("Scan") },
    Case { source: EVAL, policy: ALLOW_SCAN_GAMESCORES, action: "dynamodb:Scan", resource: OTHER_TABLE, context: &[], expect: Implicit },
    Case { source: EVAL, policy: ALLOW_SCAN_GAMESCORES, action: "dynamodb:PutItem", resource: TABLE, context: &[], expect: Implicit },
    Case { source: EVAL, policy: ALLOW_ALL_DENY_BILLING, action: "dynamodb:Scan", resource: OTHER_TABLE, context: &[], expect: Deny("NoBilling") },
    Case { source: EVAL, policy: ALLOW_ALL_DENY_BILLING, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("All") },
    Case { source: EVAL, policy: ALLOW_ALL_DENY_BILLING, action: "s3:GetObject", resource: "arn:aws:s3:::Billing", context: &[], expect: Allow("All") },
    Case { source: EVAL, policy: r#"{"Version":"2012-10-17","Statement":[{"Sid":"D","Effect":"Deny","Action":"*","Resource":"*"}]}"#, action: ANY, resource: ANYWHERE, context: &[], expect: Deny("D") },
    // --- Action and NotAction -------------------------------------------------------------------
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"dynamodb:*","Resource":"*"}}"#, action: "dynamodb:DescribeTable", resource: TABLE, context: &[], expect: Allow("A") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"DynamoDB:scan","Resource":"*"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("A") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"dynamodb:Get*","Resource":"*"}}"#, action: "dynamodb:GetItem", resource: TABLE, context: &[], expect: Allow("A") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"dynamodb:Get*","Resource":"*"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Implicit },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}}"#, action: "iam:CreateAccessKey", resource: "*", context: &[], expect: Allow("A") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"dynamodb:?etItem","Resource":"*"}}"#, action: "dynamodb:GetItem", resource: TABLE, context: &[], expect: Allow("A") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"N","Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("N") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"N","Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#, action: "iam:CreateUser", resource: "*", context: &[], expect: Implicit },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"N","Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}"#, action: "s3:GetObject", resource: ANYWHERE, context: &[], expect: Deny("N") },
    Case { source: ACTION, policy: r#"{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"N","Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}"#, action: "iam:GetUser", resource: "*", context: &[], expect: Allow("All") },
    // --- Resource and NotResource ---------------------------------------------------------------
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:222222222222:table/*"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("R") },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:111111111111:table/*"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Implicit },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:222222222222:table/gamescores"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Implicit },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:222222222222:table/Game?cores"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("R") },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","NotResource":"arn:aws:dynamodb:*:*:table/Billing"}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("R") },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","NotResource":"arn:aws:dynamodb:*:*:table/Billing"}}"#, action: "dynamodb:Scan", resource: OTHER_TABLE, context: &[], expect: Implicit },
    Case { source: RESOURCE, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"dynamodb:*","Resource":["arn:aws:dynamodb:*:*:table/Players","arn:aws:dynamodb:*:*:table/GameScores"]}}"#, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("R") },
    // --- example pages, quoted -----------------------------------------------------------------
    Case { source: EX_DDB_TABLE, policy: DDB_TABLE, action: "dynamodb:ListTables", resource: "*", context: &[], expect: Allow("ListAndDescribe") },
    Case { source: EX_DDB_TABLE, policy: DDB_TABLE, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Allow("SpecificTable") },
    Case { source: EX_DDB_TABLE, policy: DDB_TABLE, action: "dynamodb:Scan", resource: OTHER_TABLE, context: &[], expect: Implicit },
    Case { source: EX_DDB_TABLE, policy: DDB_TABLE, action: "dynamodb:UpdateItem", resource: TABLE, context: &[], expect: Allow("SpecificTable") },
    Case { source: EX_DATE, policy: DATE_WINDOW, action: "service-prefix:action-name", resource: "*", context: &[("aws:CurrentTime", &["2020-05-15T12:00:00Z"])], expect: Allow("Window") },
    Case { source: EX_DATE, policy: DATE_WINDOW, action: "service-prefix:action-name", resource: "*", context: &[("aws:CurrentTime", &["2020-07-01T00:00:00Z"])], expect: Implicit },
    Case { source: EX_DATE, policy: DATE_WINDOW, action: "service-prefix:action-name", resource: "*", context: &[("aws:CurrentTime", &["2020-04-01T00:00:00Z"])], expect: Implicit },
    Case { source: EX_DATE, policy: DATE_WINDOW, action: "service-prefix:action-name", resource: "*", context: &[], expect: Implicit },
    Case { source: EX_IP, policy: SOURCE_IP, action: ANY, resource: ANYWHERE, context: &[ ("aws:SourceIp", &["198.51.100.7"]), ("aws:ViaAWSService", &["false"]), ], expect: Deny("DenyOutside") },
    Case { source: EX_IP, policy: SOURCE_IP, action: ANY, resource: ANYWHERE, context: &[ ("aws:SourceIp", &["192.0.2.44"]), ("aws:ViaAWSService", &["false"]), ], expect: Implicit },
    Case { source: EX_IP, policy: SOURCE_IP, action: ANY, resource: ANYWHERE, context: &[ ("aws:SourceIp", &["203.0.113.255"]), ("aws:ViaAWSService", &["false"]), ], expect: Implicit },
    Case { source: EX_IP, policy: SOURCE_IP, action: ANY, resource: ANYWHERE, context: &[ ("aws:SourceIp", &["198.51.100.7"]), ("aws:ViaAWSService", &["true"]), ], expect: Implicit },
    Case { source: EX_REGION, policy: REGIONS, action: "dynamodb:Scan", resource: TABLE, context: &[("aws:RequestedRegion", &["us-west-2"])], expect: Deny("DenyAllOutsideRequestedRegions") },
    Case { source: EX_REGION, policy: REGIONS, action: "dynamodb:Scan", resource: TABLE, context: &[("aws:RequestedRegion", &["eu-west-1"])], expect: Implicit },
    Case { source: EX_REGION, policy: REGIONS, action: "iam:CreateRole", resource: "*", context: &[("aws:RequestedRegion", &["us-east-1"])], expect: Implicit },
    Case { source: EX_MFA, policy: MFA, action: "dynamodb:Scan", resource: TABLE, context: &[("aws:MultiFactorAuthPresent", &["false"])], expect: Deny("DenyAllExceptListedIfNoMFA") },
    Case { source: EX_MFA, policy: MFA, action: "dynamodb:Scan", resource: TABLE, context: &[], expect: Deny("DenyAllExceptListedIfNoMFA") },
    Case { source: EX_MFA, policy: MFA, action: "dynamodb:Scan", resource: TABLE, context: &[("aws:MultiFactorAuthPresent", &["true"])], expect: Allow("Everything") },
    Case { source: EX_MFA, policy: MFA, action: "sts:GetSessionToken", resource: "*", context: &[], expect: Allow("Everything") },
    Case { source: EX_OWN_KEYS, policy: OWN_KEYS, action: "iam:CreateAccessKey", resource: "arn:aws:iam::111111111111:user/David", context: &[("aws:username", &["David"])], expect: Allow("ManageOwnAccessKeys") },
    Case { source: EX_OWN_KEYS, policy: OWN_KEYS, action: "iam:CreateAccessKey", resource: "arn:aws:iam::111111111111:user/Maria", context: &[("aws:username", &["David"])], expect: Implicit },
    Case { source: EX_OWN_KEYS, policy: OWN_KEYS, action: "iam:CreateAccessKey", resource: "arn:aws:iam::111111111111:user/David", context: &[], expect: Implicit },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[ ("www.amazon.com:user_id", &["u-1"]), ("dynamodb:LeadingKeys", &["u-1"]), ], expect: Allow("AllowAccessToOnlyItemsMatchingUserID") },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[ ("www.amazon.com:user_id", &["u-1"]), ("dynamodb:LeadingKeys", &["u-2"]), ], expect: Implicit },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[ ("www.amazon.com:user_id", &["u-1"]), ("dynamodb:LeadingKeys", &["u-1"]), ("dynamodb:Attributes", &["UserId", "TopScore"]), ], expect: Allow("AllowAccessToOnlyItemsMatchingUserID") },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[ ("www.amazon.com:user_id", &["u-1"]), ("dynamodb:LeadingKeys", &["u-1"]), ("dynamodb:Attributes", &["UserId", "Password"]), ], expect: Implicit },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[ ("www.amazon.com:user_id", &["u-1"]), ("dynamodb:LeadingKeys", &["u-1"]), ("dynamodb:Select", &["ALL_ATTRIBUTES"]), ], expect: Implicit },
    Case { source: EX_DDB_ITEMS, policy: DDB_ITEMS, action: "dynamodb:GetItem", resource: DDB_ITEMS_TABLE, context: &[("dynamodb:LeadingKeys", &["u-1"])], expect: Implicit },
    // --- string operators -----------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["Blue"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringEquals":{"AWS:PRINCIPALTAG/TEAM":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["red"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringNotEquals":{"aws:PrincipalTag/team":["red","blue"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["red"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["blue"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/team", &["green"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringLike":{"sts:RoleSessionName":"ci-*"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["ci-build-7"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringLike":{"sts:RoleSessionName":"ci-*"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["CI-build-7"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringLike":{"sts:RoleSessionName":"ci-??"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["ci-42"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringLike":{"sts:RoleSessionName":"ci-??"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["ci-421"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"StringNotLike":{"sts:RoleSessionName":"ci-*"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["David"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"StringNotLike":{"sts:RoleSessionName":"ci-*"}}"#), action: ANY, resource: ANYWHERE, context: &[("sts:RoleSessionName", &["ci-1"])], expect: Implicit },
    // --- numeric operators ----------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:MultiFactorAuthAge", &["120"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:MultiFactorAuthAge", &["3600"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:MultiFactorAuthAge", &["3600"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericGreaterThan":{"dynamodb:ReturnValues":"10"}}"#), action: ANY, resource: ANYWHERE, context: &[("dynamodb:ReturnValues", &["10.5"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:max-keys", &["9"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"NumericEquals":{"s3:max-keys":"10"}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:max-keys", &["10.0"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:max-keys", &["11"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericEquals":{"s3:max-keys":10}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:max-keys", &["10"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:MultiFactorAuthAge", &["soon"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Implicit },
    // --- date operators -------------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"DateLessThan":{"aws:TokenIssueTime":"2026-11-30T12:00:00Z"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TokenIssueTime", &["2026-11-30T11:59:59Z"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"DateLessThan":{"aws:TokenIssueTime":"2026-11-30T12:00:00Z"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TokenIssueTime", &["2026-11-30T12:00:00Z"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"DateLessThanEquals":{"aws:TokenIssueTime":"2026-11-30T12:00:00Z"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TokenIssueTime", &["2026-11-30T12:00:00Z"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"DateGreaterThan":{"aws:CurrentTime":"2026-11-30"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:CurrentTime", &["2026-11-30T00:00:01Z"])], expect: Allow("C") },
    Case { source: OPS, policy: when!( r#"{"DateGreaterThanEquals":{"aws:CurrentTime":"2026-11-30T13:00:00+01:00"}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:CurrentTime", &["2026-11-30T12:00:00Z"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"DateEquals":{"aws:EpochTime":"1796040000"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:EpochTime", &["2026-11-30T12:00:00Z"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"DateNotEquals":{"aws:CurrentTime":"2026-11-30T12:00:00Z"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:CurrentTime", &["2026-11-30T12:00:01Z"])], expect: Allow("C") },
    // --- Bool ----------------------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"Bool":{"aws:SecureTransport":"true"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SecureTransport", &["true"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"Bool":{"aws:SecureTransport":"true"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SecureTransport", &["false"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"Bool":{"aws:SecureTransport":true}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SecureTransport", &["TRUE"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"Bool":{"aws:SecureTransport":"true"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Implicit },
    // --- binary ---------------------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#), action: ANY, resource: ANYWHERE, context: &[("key", &["BinaryValueInBase64"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#), action: ANY, resource: ANYWHERE, context: &[("key", &["binaryvalueinbase64"])], expect: Implicit },
    // --- IP address -----------------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["203.0.113.9"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["203.0.114.9"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["203.0.113.7"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/9"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["10.127.255.255"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/9"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["10.128.0.0"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["2001:db8:1234:5678:abcd::1"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["2001:db8:1234:5679::1"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["2001:db8::1"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["198.51.100.1"])], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:SourceIp", &["203.0.113.1"])], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    // --- ARN operators --------------------------------------------------------------------------
    Case { source: OPS, policy: when!(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/ops/*"}}"#), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::111111111111:role/ops/Deployer"], )], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/ops/*"}}"#), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::222222222222:role/ops/Deployer"], )], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}}"#), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::333333333333:role/Admin"], )], expect: Allow("C") },
    Case { source: OPS, policy: when!( r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:user/David"}}"# ), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::111111111111:user/David"], )], expect: Allow("C") },
    Case { source: OPS, policy: when!(r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}"#), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::111111111111:user/David"], )], expect: Allow("C") },
    Case { source: OPS, policy: when!( r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:user/David"}}"# ), action: ANY, resource: ANYWHERE, context: &[( "aws:PrincipalArn", &["arn:aws:iam::111111111111:user/David"], )], expect: Implicit },
    Case { source: OPS, policy: when!(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:*"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalArn", &["not an arn"])], expect: Implicit },
    // --- ...IfExists ----------------------------------------------------------------------------
    Case { source: IF_EXISTS, policy: when!(r#"{"StringEqualsIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: IF_EXISTS, policy: when!(r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}"#), action: ANY, resource: ANYWHERE, context: &[("ec2:InstanceType", &["m5.large"])], expect: Implicit },
    Case { source: IF_EXISTS, policy: when!(r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}"#), action: ANY, resource: ANYWHERE, context: &[("ec2:InstanceType", &["t2.micro"])], expect: Allow("C") },
    Case { source: IF_EXISTS, policy: when!(r#"{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"300"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: IF_EXISTS, policy: when!(r#"{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    // --- Null -----------------------------------------------------------------------------------
    Case { source: NULL, policy: when!(r#"{"Null":{"aws:TokenIssueTime":"true"}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: NULL, policy: when!(r#"{"Null":{"aws:TokenIssueTime":"true"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TokenIssueTime", &["2026-11-30T12:00:00Z"])], expect: Implicit },
    Case { source: NULL, policy: when!(r#"{"Null":{"aws:TokenIssueTime":"false"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TokenIssueTime", &["2026-11-30T12:00:00Z"])], expect: Allow("C") },
    Case { source: NULL, policy: when!(r#"{"Null":{"aws:TokenIssueTime":false}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Implicit },
    // --- set operators on multivalued keys ------------------------------------------------------
    Case { source: MULTI, policy: when!( r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["environment"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!( r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["environment", "cost-center"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!( r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["environment", "owner"])], expect: Implicit },
    Case { source: MULTI, policy: when!( r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: MULTI, policy: when!( r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &[])], expect: Allow("C") },
    Case { source: MULTI, policy: when!( r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["owner", "environment"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!( r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["owner"])], expect: Implicit },
    Case { source: MULTI, policy: when!( r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[], expect: Implicit },
    Case { source: MULTI, policy: when!( r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &[])], expect: Implicit },
    Case { source: MULTI, policy: when!(r#"{"ForAllValues:StringLike":{"aws:TagKeys":["key1*"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["key1a", "key1b"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"ForAllValues:StringLike":{"aws:TagKeys":["key1*"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["key1a", "key2"])], expect: Implicit },
    Case { source: MULTI, policy: when!(r#"{"ForAnyValue:StringLike":{"aws:TagKeys":["key1*"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["key1a", "key2"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["a", "b"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["a", "secret"])], expect: Implicit },
    Case { source: MULTI, policy: when!(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["a", "secret"])], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["secret"])], expect: Implicit },
    Case { source: MULTI, policy: when!(r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}"#), action: ANY, resource: ANYWHERE, context: &[], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"ForAnyValue:StringEquals":{"aws:CalledVia":["athena.amazonaws.com"]}}"#), action: ANY, resource: ANYWHERE, context: &[( "aws:CalledVia", &["athena.amazonaws.com", "glue.amazonaws.com"], )], expect: Allow("C") },
    Case { source: MULTI, policy: when!(r#"{"StringEquals":{"aws:TagKeys":["a"]}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:TagKeys", &["b", "a"])], expect: Allow("C") },
    Case { source: EX_TAGS, policy: when!( r#"{"StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}"# ), action: "iam:TagRole", resource: ANYWHERE, context: &[ ("aws:RequestTag/team", &["blue"]), ("aws:TagKeys", &["team"]), ], expect: Allow("C") },
    Case { source: EX_TAGS, policy: when!( r#"{"StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}"# ), action: "iam:TagRole", resource: ANYWHERE, context: &[ ("aws:RequestTag/team", &["blue"]), ("aws:TagKeys", &["team", "admin"]), ], expect: Implicit },
    // --- policy variables -----------------------------------------------------------------------
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:username}-*"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/David-scores", context: &[("aws:username", &["David"])], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:username}-*"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/Maria-scores", context: &[("aws:username", &["David"])], expect: Implicit },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/blue", context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/", context: &[], expect: Implicit },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team, 'shared'}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/shared", context: &[], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team, 'shared'}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/blue", context: &[("aws:PrincipalTag/team", &["blue"])], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${ aws:PrincipalTag/team , 'it''s' }"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/it's", context: &[], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${AWS:USERNAME}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/David", context: &[("aws:username", &["David"])], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:TagKeys}"}}"#, action: "dynamodb:Scan", resource: "arn:aws:dynamodb:us-west-2:1:table/a", context: &[("aws:TagKeys", &["a", "b"])], expect: Implicit },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/*", context: &[], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/anything", context: &[], expect: Implicit },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/why${?}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/why?", context: &[], expect: Allow("V") },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/why${?}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/whyX", context: &[], expect: Implicit },
    Case { source: VARS, policy: r#"{"Version":"2012-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${$}{literal}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/${literal}", context: &[], expect: Allow("V") },
    Case { source: VARS, policy: when!( r#"{"StringEquals":{"aws:PrincipalTag/project":"${aws:ResourceTag/project}"}}"# ), action: ANY, resource: ANYWHERE, context: &[ ("aws:PrincipalTag/project", &["apollo"]), ("aws:ResourceTag/project", &["apollo"]), ], expect: Allow("C") },
    Case { source: VARS, policy: when!( r#"{"StringEquals":{"aws:PrincipalTag/project":"${aws:ResourceTag/project}"}}"# ), action: ANY, resource: ANYWHERE, context: &[ ("aws:PrincipalTag/project", &["apollo"]), ("aws:ResourceTag/project", &["gemini"]), ], expect: Implicit },
    Case { source: VARS, policy: when!( r#"{"StringEquals":{"aws:PrincipalTag/project":"${aws:ResourceTag/project}"}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/project", &["apollo"])], expect: Implicit },
    Case { source: VARS, policy: when!( r#"{"StringNotEquals":{"aws:PrincipalTag/project":"${aws:ResourceTag/project}"}}"# ), action: ANY, resource: ANYWHERE, context: &[("aws:PrincipalTag/project", &["apollo"])], expect: Allow("C") },
    Case { source: VARS, policy: when!(r#"{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}"#), action: ANY, resource: ANYWHERE, context: &[ ("s3:prefix", &["home/David/notes"]), ("aws:username", &["David"]), ], expect: Allow("C") },
    Case { source: VARS, policy: when!(r#"{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}"#), action: ANY, resource: ANYWHERE, context: &[ ("s3:prefix", &["home/Maria/notes"]), ("aws:username", &["David"]), ], expect: Implicit },
    Case { source: VARS, policy: when!(r#"{"StringLike":{"s3:prefix":["${*}"]}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:prefix", &["anything"])], expect: Implicit },
    Case { source: VARS, policy: when!(r#"{"StringEquals":{"s3:prefix":["${*}"]}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:prefix", &["*"])], expect: Allow("C") },
    Case { source: VARS, policy: when!(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}"#), action: ANY, resource: ANYWHERE, context: &[ ( "aws:PrincipalArn", &["arn:aws:iam::111111111111:user/David"], ), ("aws:username", &["David"]), ], expect: Allow("C") },
    Case { source: VARS, policy: when!(r#"{"StringEquals":{"aws:userid":"${aws:userid}"}}"#), action: ANY, resource: ANYWHERE, context: &[("aws:userid", &["AROAEXAMPLE:David"])], expect: Allow("C") },
    Case { source: VARS, policy: when!(r#"{"StringEquals":{"key":"${unclosed"}}"#), action: ANY, resource: ANYWHERE, context: &[("key", &["${unclosed"])], expect: Implicit },
    Case { source: VARS, policy: when!(r#"{"NumericEquals":{"s3:max-keys":"${aws:username}"}}"#), action: ANY, resource: ANYWHERE, context: &[("s3:max-keys", &["1"]), ("aws:username", &["1"])], expect: Implicit },
    // --- Version: variables only in 2012-10-17 --------------------------------------------------
    Case { source: VERSION, policy: r#"{"Version":"2008-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/David", context: &[("aws:username", &["David"])], expect: Implicit },
    Case { source: VERSION, policy: r#"{"Version":"2008-10-17","Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/${aws:username}", context: &[("aws:username", &["David"])], expect: Allow("V") },
    Case { source: VERSION, policy: r#"{"Statement":{"Sid":"V","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}"}}"#, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/David", context: &[("aws:username", &["David"])], expect: Implicit },
];

/// Evaluates one case, describing it on failure.
fn run(case: &Case) -> Result<(), String> {
    let policy = Policy::parse(case.policy).map_err(|e| format!("does not load: {e}"))?;
    let mut context = Context::new();
    for (key, values) in case.context {
        context.set_values(key, values.iter().map(|v| (*v).to_owned()).collect());
    }
    let decision = evaluate(
        [("policy", &policy)],
        &Request {
            action: case.action,
            resource: case.resource,
            caller: None,
            context: &context,
        },
    );
    let sid = decision
        .by
        .first()
        .and_then(|s| s.sid.clone())
        .unwrap_or_default();
    let got = match decision.verdict {
        Verdict::Allow => format!("Allow({sid:?})"),
        Verdict::ExplicitDeny => format!("Deny({sid:?})"),
        Verdict::ImplicitDeny => "Implicit".to_owned(),
    };
    let expected = format!("{:?}", case.expect);
    if got == expected {
        Ok(())
    } else {
        Err(format!("expected {expected}, got {got}"))
    }
}

#[test]
fn every_case_decides_as_aws_documents() {
    let failures: Vec<String> = CASES
        .iter()
        .enumerate()
        .filter_map(|(i, case)| {
            run(case).err().map(|why| {
                format!(
                    "case {i} ({}): {} {} with {:?}: {why}",
                    case.source, case.action, case.resource, case.context
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every row's policy must load, and rows must differ: a table of copies proves nothing.
#[test]
fn the_table_is_what_it_claims() {
    let mut seen = std::collections::BTreeSet::new();
    for case in CASES {
        assert!(!case.source.is_empty());
        let context: Vec<String> = case
            .context
            .iter()
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        assert!(
            seen.insert((case.policy, case.action, case.resource, context.join(","))),
            "a duplicated row: {} {}",
            case.action,
            case.resource
        );
    }
    let decided = |e: fn(&Expect) -> bool| CASES.iter().filter(|c| e(&c.expect)).count();
    assert!(decided(|e| matches!(e, Allow(_))) > 20);
    assert!(decided(|e| matches!(e, Deny(_))) > 5);
    assert!(decided(|e| matches!(e, Implicit)) > 20);
}

/// Malformed conditions fail closed when the policy is written, with the element's path.
#[test]
fn malformed_conditions_are_refused_with_their_path() {
    for (condition, path) in [
        (
            r#"{"StringEqualz":{"k":"v"}}"#,
            "Statement.Condition.StringEqualz",
        ),
        (
            r#"{"ForSomeValues:StringEquals":{"k":"v"}}"#,
            "Statement.Condition.ForSomeValues:StringEquals",
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/33"}}"#,
            "Statement.Condition.IpAddress.aws:SourceIp",
        ),
        (
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","somewhere"]}}"#,
            "Statement.Condition.IpAddress.aws:SourceIp[1]",
        ),
        (
            r#"{"BinaryEquals":{"k":"not base64!"}}"#,
            "Statement.Condition.BinaryEquals.k",
        ),
        (
            r#"{"Bool":{"aws:SecureTransport":"yes"}}"#,
            "Statement.Condition.Bool.aws:SecureTransport",
        ),
        (r#"{"Null":{"k":"maybe"}}"#, "Statement.Condition.Null.k"),
        (
            r#"{"NullIfExists":{"k":"true"}}"#,
            "Statement.Condition.NullIfExists",
        ),
    ] {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}}}"#
        );
        let e = Policy::parse(&text).expect_err(condition);
        assert_eq!(e.path, path, "{condition}: {e}");
    }
}
