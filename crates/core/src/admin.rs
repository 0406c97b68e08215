//! The administrator's half, as pure functions the console's IAM pages render (issue 13): a
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
use crate::policy::{Effect, Operator, Policy, Principal};
use crate::validation::{AccountId, AccountRef, DisplayName, IamPath, RoleName};
use crate::wire::iam::IamRequest;

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

/// What the review step shows and the Create role step sends: the exact documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolePlan {
    /// The role name.
    pub name: RoleName,
    /// Its path.
    pub path: IamPath,
    /// Its ARN in the account it is created in.
    pub arn: String,
    /// The trust policy, as CreateRole receives it (pretty JSON).
    pub trust_policy: String,
    /// The permission policy, as PutRolePolicy receives it (pretty JSON).
    pub permission_policy: String,
    /// The name of that inline policy.
    pub permission_policy_name: String,
    /// MaxSessionDuration, in seconds.
    pub max_session_duration: u32,
    /// What to know before creating it.
    pub warnings: Vec<Warning>,
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

/// How creating a role from a [`RolePlan`] failed; `E` is the backend's error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreateFailure<E: std::fmt::Display> {
    /// CreateRole was refused: nothing was made.
    #[error("The role was not created. {0}")]
    NotCreated(E),
    /// PutRolePolicy was refused, and the role was deleted again: nothing was left half-made.
    #[error("The role's permissions could not be added, so the role was deleted again and nothing was left half-made. {0}")]
    RolledBack(E),
    /// PutRolePolicy was refused and deleting the role failed too: the role exists without
    /// its permissions until [`RolePlan::permissions_request`] is sent again.
    #[error("The role was created but its permissions could not be added ({put}), and it could not be deleted again ({rollback}). Retry to finish it.")]
    HalfMade {
        /// Why PutRolePolicy failed.
        put: E,
        /// Why DeleteRole failed.
        rollback: E,
    },
}

impl RolePlan {
    /// The CreateRole call: name, path, trust policy, longest session.
    pub fn create_request(&self) -> IamRequest {
        IamRequest::CreateRole(NewRole {
            name: self.name.to_string(),
            path: Some(self.path.to_string()),
            trust_policy: self.trust_policy.clone(),
            description: None,
            max_session_duration: Some(self.max_session_duration),
        })
    }

    /// The PutRolePolicy call that gives the role its permissions.
    pub fn permissions_request(&self) -> IamRequest {
        IamRequest::PutRolePolicy {
            role: self.name.to_string(),
            name: self.permission_policy_name.clone(),
            document: self.permission_policy.clone(),
        }
    }

    /// The DeleteRole call that takes a role without its permissions back.
    pub fn rollback_request(&self) -> IamRequest {
        IamRequest::DeleteRole {
            role: self.name.to_string(),
        }
    }

    /// Creates the role through `call` (one IAM call each): CreateRole, then PutRolePolicy;
    /// when the second fails, DeleteRole, so that no role is left without the permissions
    /// the review showed. Only when that fails too is the role left, for a retry of
    /// [`RolePlan::permissions_request`] to finish.
    pub async fn create<E, F, Fut>(&self, mut call: F) -> Result<(), CreateFailure<E>>
    where
        E: std::fmt::Display,
        F: FnMut(IamRequest) -> Fut,
        Fut: std::future::Future<Output = Result<(), E>>,
    {
        call(self.create_request())
            .await
            .map_err(CreateFailure::NotCreated)?;
        let Err(put) = call(self.permissions_request()).await else {
            return Ok(());
        };
        match call(self.rollback_request()).await {
            Ok(()) => Err(CreateFailure::RolledBack(put)),
            Err(rollback) => Err(CreateFailure::HalfMade { put, rollback }),
        }
    }

    /// The predefined switch link for the role in `account` (a path on the console's site).
    pub fn switch_link(
        &self,
        account: &AccountRef,
        display_name: Option<&DisplayName>,
        colour: Option<Colour>,
    ) -> String {
        switch_link(account, &self.path, &self.name, display_name, colour)
    }
}

/// The predefined switch link for role `path`+`name` in `account`, built by the link builder.
pub fn switch_link(
    account: &AccountRef,
    path: &IamPath,
    name: &RoleName,
    display_name: Option<&DisplayName>,
    colour: Option<Colour>,
) -> String {
    build_path(&SwitchLink {
        account: Some(account.clone()),
        role: Some(RoleRef {
            path: path.clone(),
            name: name.clone(),
        }),
        display_name: display_name.cloned(),
        colour,
        destination: None,
    })
}

/// Who a trust policy lets switch, as the Roles table shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustSummary {
    /// The accounts its Allow statements name (an account, or principals of it), sorted.
    pub accounts: Vec<String>,
    /// Whether every Allow requires MFA (`aws:MultiFactorAuthPresent` true, or an MFA age).
    pub requires_mfa: bool,
    /// Whether an Allow requires an external id.
    pub requires_external_id: bool,
    /// Whether anyone at all may ask (`"*"`).
    pub anyone: bool,
}

/// Summarises a trust policy for the Roles table.
pub fn summarise_trust(policy: &Policy) -> TrustSummary {
    let mut summary = TrustSummary::default();
    let allows: Vec<_> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .collect();
    for s in &allows {
        for p in s
            .principal
            .iter()
            .filter(|b| !b.negated)
            .flat_map(|b| &b.items)
        {
            match p {
                Principal::Anyone => summary.anyone = true,
                Principal::Account(a) => summary.accounts.push(a.to_string()),
                Principal::Arn(arn) => {
                    if let Ok(parsed) = arn.parse::<Arn>() {
                        summary.accounts.push(parsed.account().to_string());
                    }
                }
                Principal::Other(_) => {}
            }
        }
        if s.conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case("sts:ExternalId"))
        {
            summary.requires_external_id = true;
        }
    }
    let needs_mfa = |s: &&crate::policy::Statement| {
        s.conditions.iter().any(|c| {
            let key = c.key.to_ascii_lowercase();
            (key == "aws:multifactorauthpresent"
                && c.operator == Operator::Bool
                && !c.if_exists
                && c.values.iter().all(|v| v.eq_ignore_ascii_case("true")))
                || (key == "aws:multifactorauthage" && !c.if_exists)
        })
    };
    summary.requires_mfa = !allows.is_empty() && allows.iter().all(needs_mfa);
    summary.accounts.sort();
    summary.accounts.dedup();
    summary
}

/// A role ARN the Grant page was given that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a role ARN (arn:aws:iam::123456789012:role/Name)")]
pub struct NotARoleArn(pub String);

/// The identity policy that lets a group's members switch to `role_arn` (in this or another
/// account), as the Grant switch access page attaches it (PutGroupPolicy).
pub fn grant_switch_policy(role_arn: &str) -> Result<String, NotARoleArn> {
    match role_arn.trim().parse::<Arn>() {
        Ok(Arn::Role { .. }) => Ok(pretty(&json!({
            "Version": "2012-10-17",
            "Statement": [
                { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn.trim() }
            ],
        }))),
        _ => Err(NotARoleArn(role_arn.trim().to_owned())),
    }
}

/// The PutGroupPolicy call that grants `group` the switch to `role_arn`: the policy of
/// [`grant_switch_policy`], named `SwitchTo<Role>In<account>` (one per role, so granting again
/// replaces rather than piles up; IAM policy names allow 128 characters, a role name 64).
pub fn grant_request(group: &str, role_arn: &str) -> Result<IamRequest, NotARoleArn> {
    let document = grant_switch_policy(role_arn)?;
    let Ok(Arn::Role { account, name, .. }) = role_arn.trim().parse::<Arn>() else {
        return Err(NotARoleArn(role_arn.trim().to_owned()));
    };
    Ok(IamRequest::PutGroupPolicy {
        group: group.to_owned(),
        name: format!("SwitchTo{name}In{account}"),
        document,
    })
}

/// Whose inline policies a page lists and removes: a role's or a group's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyOwner {
    /// A role, by name.
    Role(String),
    /// A group, by name.
    Group(String),
}

impl PolicyOwner {
    /// ListRolePolicies or ListGroupPolicies.
    pub fn list_request(&self) -> IamRequest {
        match self.clone() {
            PolicyOwner::Role(role) => IamRequest::ListRolePolicies { role },
            PolicyOwner::Group(group) => IamRequest::ListGroupPolicies { group },
        }
    }

    /// GetRolePolicy or GetGroupPolicy for `policy`.
    pub fn get_request(&self, policy: &str) -> IamRequest {
        let name = policy.to_owned();
        match self.clone() {
            PolicyOwner::Role(role) => IamRequest::GetRolePolicy { role, name },
            PolicyOwner::Group(group) => IamRequest::GetGroupPolicy { group, name },
        }
    }

    /// DeleteRolePolicy or DeleteGroupPolicy for `policy`.
    pub fn delete_request(&self, policy: &str) -> IamRequest {
        let name = policy.to_owned();
        match self.clone() {
            PolicyOwner::Role(role) => IamRequest::DeleteRolePolicy { role, name },
            PolicyOwner::Group(group) => IamRequest::DeleteGroupPolicy { group, name },
        }
    }
}

#[cfg(test)]
mod tests;
