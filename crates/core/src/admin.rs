//! The administrator's half, as pure functions the console's IAM pages render: a
//! role draft checked field by field into the exact documents CreateRole and PutRolePolicy
//! will receive, a role's summary (who it trusts, whether MFA or an external id is required),
//! its predefined switch link, and the policy that lets a group switch to a role.
//!
//! ```
//! use crossrole_core::admin::{Permissions, RoleDraft};
//!
//! let draft = RoleDraft {
//!     name: "AccessToProdBilling".into(),
//!     trusted_account: "111111111111".into(),
//!     require_mfa: true,
//!     permissions: Permissions::DynamoDbReadOnly,
//!     tables: vec!["Billing".into()],
//!     ..RoleDraft::default()
//! };
//! let plan = draft.check("222222222222", "us-west-2").unwrap();
//! assert_eq!(plan.arn, "arn:aws:iam::222222222222:role/AccessToProdBilling");
//! assert!(plan.trust_policy.contains("aws:MultiFactorAuthPresent"));
//! assert!(plan.permission_policy.contains("table/Billing"));
//! assert!(plan.warnings.is_empty());
//! ```

use serde_json::{json, Value};

use crate::arn::Arn;
use crate::colour::Colour;
use crate::link::{build_path, RoleRef, SwitchLink};
use crate::ops::iam::NewRole;
use crate::ops::simulate::{EvaluationResult, Simulation};
use crate::policy::{Effect, Operator, Policy, Principal};
use crate::validation::{AccountId, AccountRef, DisplayName, IamPath, RoleName};
use crate::wire::iam::IamRequest;

mod plan;
pub use plan::*;

mod grant;
pub use grant::*;

pub mod activity;

mod code;
pub use code::*;

/// The permissions a new role gets, as the wizard offers them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Permissions {
    /// Every DynamoDB action on the chosen tables (and listing tables).
    #[default]
    DynamoDbFullAccess,
    /// DynamoDB's read actions on the chosen tables (and listing tables).
    DynamoDbReadOnly,
    /// A policy document the administrator writes.
    Custom(String),
}

/// The Create role wizard's fields, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDraft {
    /// "Role name".
    pub name: String,
    /// "Path" (empty: `/`).
    pub path: String,
    /// "Trusted account ID".
    pub trusted_account: String,
    /// "Require MFA".
    pub require_mfa: bool,
    /// "Require external ID": the external ID, when required.
    pub external_id: Option<String>,
    /// "Permissions".
    pub permissions: Permissions,
    /// The tables the template narrows `Resource` to (none: every table, with a warning).
    pub tables: Vec<String>,
    /// "Maximum session duration (hours)", 1–12.
    pub max_session_hours: u32,
    /// "Apply to every resource": the administrator's consent to `"Resource": "*"` (without
    /// it a wildcard resource blocks the step; with it, it stays a warning).
    pub every_resource: bool,
}

impl Default for RoleDraft {
    fn default() -> Self {
        Self {
            name: String::new(),
            path: String::new(),
            trusted_account: String::new(),
            require_mfa: false,
            external_id: None,
            permissions: Permissions::default(),
            tables: Vec::new(),
            max_session_hours: 1,
            every_resource: false,
        }
    }
}

/// A field of the draft, for pointing at its problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DraftField {
    /// "Role name".
    Name,
    /// "Path".
    Path,
    /// "Trusted account ID".
    TrustedAccount,
    /// "External ID".
    ExternalId,
    /// "Policy JSON".
    PolicyJson,
    /// The tables.
    Tables,
    /// "Maximum session duration (hours)".
    MaxSession,
}

/// The Create role wizard's steps, in order; each field belongs to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WizardStep {
    /// Name, path and the trusted entity.
    Role,
    /// The permissions and the longest session.
    Permissions,
    /// The exact documents, then "Create role".
    Review,
}

impl WizardStep {
    /// The step after this one.
    pub fn next(self) -> Self {
        match self {
            WizardStep::Role => WizardStep::Permissions,
            _ => WizardStep::Review,
        }
    }

    /// The step before this one.
    pub fn back(self) -> Self {
        match self {
            WizardStep::Review => WizardStep::Permissions,
            _ => WizardStep::Role,
        }
    }
}

impl DraftField {
    /// The step the field is filled in.
    pub fn step(self) -> WizardStep {
        match self {
            DraftField::Name
            | DraftField::Path
            | DraftField::TrustedAccount
            | DraftField::ExternalId => WizardStep::Role,
            DraftField::PolicyJson | DraftField::Tables | DraftField::MaxSession => {
                WizardStep::Permissions
            }
        }
    }
}

/// Every problem of a draft, by field, each a sentence for the person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftProblems(pub Vec<(DraftField, String)>);

impl DraftProblems {
    /// The problem of `field`, if any.
    pub fn of(&self, field: DraftField) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether `step` (or one before it) has a problem: the wizard cannot go past it.
    pub fn blocks(&self, step: WizardStep) -> bool {
        self.0.iter().any(|(f, _)| f.step() <= step)
    }
}

/// Something the administrator should know but may go ahead with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The permissions apply to every resource (`"Resource": "*"`).
    EveryResource,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::EveryResource => f.write_str(
                "The permissions apply to every resource (\"Resource\": \"*\"): choose the tables to narrow them.",
            ),
        }
    }
}

/// DynamoDB's read actions, as AWS's AmazonDynamoDBReadOnlyAccess names them.
const DYNAMODB_READ: [&str; 6] = [
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PartiQLSelect",
];

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

impl RoleDraft {
    /// Checks every field with IAM's rules and builds the documents, or says what is wrong
    /// with each field at once.
    pub fn check(&self, account: &str, region: &str) -> Result<RolePlan, DraftProblems> {
        let mut problems = Vec::new();
        let name = RoleName::parse(self.name.trim())
            .map_err(|e| problems.push((DraftField::Name, e.to_string())))
            .ok();
        let path = match self.path.trim() {
            "" => Some(IamPath::default()),
            p => IamPath::parse(p)
                .map_err(|e| problems.push((DraftField::Path, e.to_string())))
                .ok(),
        };
        let trusted = AccountId::parse(self.trusted_account.trim())
            .map_err(|e| problems.push((DraftField::TrustedAccount, e.to_string())))
            .ok();
        let external_id = match self.external_id.as_deref().map(str::trim) {
            Some(id) if !crate::validation::is_external_id(id) => {
                problems.push((
                    DraftField::ExternalId,
                    "External ID must be 2–1224 letters, digits, spaces or any of _+=,.@:/-".into(),
                ));
                None
            }
            other => other,
        };
        let mut tables = Vec::new();
        for t in &self.tables {
            match crate::wire::dynamodb::check_table_name(t) {
                Ok(()) => tables.push(t.clone()),
                Err(_) => problems.push((DraftField::Tables, format!("{t:?} is not a table name"))),
            }
        }
        if !(1..=12).contains(&self.max_session_hours) {
            problems.push((
                DraftField::MaxSession,
                "Maximum session duration must be 1 to 12 hours".into(),
            ));
        }
        let (permission_policy, warnings) = match &self.permissions {
            Permissions::Custom(text) => match crate::world::PolicyDoc::parse(text)
                .and_then(|d| d.policy.check_identity_policy().map(|()| d))
            {
                Ok(doc) => {
                    let every = doc.policy.statements.iter().any(|s| {
                        s.effect == Effect::Allow
                            && s.resource
                                .as_ref()
                                .is_some_and(|r| !r.negated && r.items.iter().any(|i| i == "*"))
                            && !only_unscoped_actions(&s.action)
                    });
                    (
                        Some(pretty(&doc.document())),
                        if every {
                            vec![Warning::EveryResource]
                        } else {
                            Vec::new()
                        },
                    )
                }
                Err(e) => {
                    problems.push((DraftField::PolicyJson, e.to_string()));
                    (None, Vec::new())
                }
            },
            template => {
                let doc = template_policy(
                    template == &Permissions::DynamoDbReadOnly,
                    &tables,
                    account,
                    region,
                );
                (
                    Some(doc),
                    if tables.is_empty() {
                        vec![Warning::EveryResource]
                    } else {
                        Vec::new()
                    },
                )
            }
        };
        if warnings.contains(&Warning::EveryResource) && !self.every_resource {
            problems.push(match self.permissions {
                Permissions::Custom(_) => (
                    DraftField::PolicyJson,
                    "The policy allows every resource (\"Resource\": \"*\"): name the resources' ARNs, or choose \"Apply to every resource\"."
                        .into(),
                ),
                _ => (
                    DraftField::Tables,
                    "The permissions would apply to every table (\"Resource\": \"*\"): choose the tables, or choose \"Apply to every resource\"."
                        .into(),
                ),
            });
        }
        let (Some(name), Some(path), Some(trusted), Some(permission_policy), true) =
            (name, path, trusted, permission_policy, problems.is_empty())
        else {
            problems.sort_by_key(|(f, _)| *f);
            return Err(DraftProblems(problems));
        };
        let account_id = AccountId::parse(account)
            .map_err(|e| DraftProblems(vec![(DraftField::TrustedAccount, e.to_string())]))?;
        let trust_policy = pretty(&trust_document(&trusted, self.require_mfa, external_id));
        Ok(RolePlan {
            arn: Arn::role(&account_id, &path, &name).to_string(),
            permission_policy_name: format!("{name}Permissions"),
            name,
            path,
            trust_policy,
            permission_policy,
            max_session_duration: self.max_session_hours * 3600,
            warnings,
            trusted_account: trusted,
            require_mfa: self.require_mfa,
        })
    }
}

/// The DynamoDB template's permission policy (read-only or every action) narrowed to `tables`
/// of `account` in `region`, or on every table when none is named; listing tables is always
/// allowed, since ListTables takes no resource. Pretty JSON, as the review shows it and as
/// "Custom policy" starts from.
pub fn template_policy(read_only: bool, tables: &[String], account: &str, region: &str) -> String {
    let actions: Value = if read_only {
        json!(DYNAMODB_READ)
    } else {
        json!("dynamodb:*")
    };
    let resources: Value = if tables.is_empty() {
        json!("*")
    } else {
        json!(tables
            .iter()
            .map(|t| format!("arn:aws:dynamodb:{region}:{account}:table/{t}"))
            .collect::<Vec<_>>())
    };
    pretty(&json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "ListTables", "Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*" },
            { "Sid": "Tables", "Effect": "Allow", "Action": actions, "Resource": resources },
        ],
    }))
}

/// Actions that take no resource, so that `"Resource": "*"` is the only way to allow them
/// (Service Authorization Reference, "Actions, resources, and condition keys for Amazon
/// DynamoDB" and "… for AWS Security Token Service": no resource type). A statement of these
/// alone is not a wildcard worth a warning.
const UNSCOPED_ACTIONS: [&str; 5] = [
    "dynamodb:ListTables",
    "dynamodb:ListGlobalTables",
    "dynamodb:DescribeLimits",
    "dynamodb:DescribeEndpoints",
    "sts:GetCallerIdentity",
];

fn only_unscoped_actions(actions: &crate::policy::Block<String>) -> bool {
    !actions.negated
        && actions
            .items
            .iter()
            .all(|a| UNSCOPED_ACTIONS.iter().any(|u| u.eq_ignore_ascii_case(a)))
}

impl RoleDraft {
    /// [`RoleDraft::check`], and that no role in the account already has the name (IAM:
    /// "Role names are not distinguished by case", CreateRole in the IAM API Reference).
    pub fn check_among(
        &self,
        account: &str,
        region: &str,
        existing: &[String],
    ) -> Result<RolePlan, DraftProblems> {
        let taken = existing
            .iter()
            .find(|n| n.eq_ignore_ascii_case(self.name.trim()));
        match (self.check(account, region), taken) {
            (result, None) => result,
            (result, Some(taken)) => {
                let mut problems = result.err().unwrap_or_default();
                problems.0.retain(|(f, _)| *f != DraftField::Name);
                problems.0.push((
                    DraftField::Name,
                    format!("A role named {taken} already exists in this account (names are not distinguished by case)."),
                ));
                problems.0.sort_by_key(|(f, _)| *f);
                Err(problems)
            }
        }
    }
}

/// A trust policy letting `account`'s principals (whom their own policies allow) assume the
/// role, with MFA and an external id when asked.
pub fn trust_document(account: &AccountId, require_mfa: bool, external_id: Option<&str>) -> Value {
    let mut condition = serde_json::Map::new();
    if require_mfa {
        condition.insert(
            "Bool".into(),
            json!({ "aws:MultiFactorAuthPresent": "true" }),
        );
    }
    if let Some(id) = external_id {
        condition.insert("StringEquals".into(), json!({ "sts:ExternalId": id }));
    }
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
        "Action": "sts:AssumeRole",
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    json!({ "Version": "2012-10-17", "Statement": [statement] })
}

#[cfg(test)]
mod tests;
