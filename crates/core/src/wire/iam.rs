//! The IAM Query protocol: requests as the emulator reads them, XML responses as AWS writes
//! them (policy documents URL-encoded, lists as `member` elements), and the one response the
//! console reads (ListAccountAliases).

use std::collections::BTreeMap;

use quick_xml::escape::escape;

use super::{envelope_in, error_response_in, leaves, number, required, WireError};
use crate::fault::ErrorCode;
use crate::ops::access::{Access, AccessMap, AccessRow, GroupRow, Holder, WhatIf};
use crate::ops::iam::{GroupInfo, NewRole, RoleInfo, UserInfo};
use crate::ops::managed::{Attachee, NewPolicy, PolicyInfo, DEFAULT_VERSION};
use crate::ops::simulate::{EvaluationResult, Simulation};
use crate::sigv4::uri_encode;
use crate::wire::members;

/// The IAM API version every request names.
pub const IAM_VERSION: &str = "2010-05-08";
/// The XML namespace of IAM responses.
pub const IAM_XMLNS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

/// An IAM request.
#[derive(Clone, Debug, PartialEq)]
pub enum IamRequest {
    /// `GetUser` (`UserName` optional: the caller).
    GetUser {
        /// `UserName`.
        user: Option<String>,
    },
    /// `ListAccountAliases`.
    ListAccountAliases,
    /// `GetRole`.
    GetRole {
        /// `RoleName`.
        role: String,
    },
    /// `ListRoles`.
    ListRoles,
    /// `CreateRole`.
    CreateRole(NewRole),
    /// `UpdateAssumeRolePolicy`.
    UpdateAssumeRolePolicy {
        /// `RoleName`.
        role: String,
        /// `PolicyDocument`.
        document: String,
    },
    /// `PutRolePolicy`.
    PutRolePolicy {
        /// `RoleName`.
        role: String,
        /// `PolicyName`.
        name: String,
        /// `PolicyDocument`.
        document: String,
    },
    /// `GetRolePolicy`.
    GetRolePolicy {
        /// `RoleName`.
        role: String,
        /// `PolicyName`.
        name: String,
    },
    /// `DeleteRolePolicy`.
    DeleteRolePolicy {
        /// `RoleName`.
        role: String,
        /// `PolicyName`.
        name: String,
    },
    /// `ListRolePolicies`.
    ListRolePolicies {
        /// `RoleName`.
        role: String,
    },
    /// `DeleteRole`.
    DeleteRole {
        /// `RoleName`.
        role: String,
    },
    /// `PutGroupPolicy`.
    PutGroupPolicy {
        /// `GroupName`.
        group: String,
        /// `PolicyName`.
        name: String,
        /// `PolicyDocument`.
        document: String,
    },
    /// `DeleteGroupPolicy`.
    DeleteGroupPolicy {
        /// `GroupName`.
        group: String,
        /// `PolicyName`.
        name: String,
    },
    /// `ListGroupPolicies`.
    ListGroupPolicies {
        /// `GroupName`.
        group: String,
    },
    /// `GetGroup`: the group and its users.
    GetGroup {
        /// `GroupName`.
        group: String,
    },
    /// `GetGroupPolicy`.
    GetGroupPolicy {
        /// `GroupName`.
        group: String,
        /// `PolicyName`.
        name: String,
    },
    /// `ListGroups`.
    ListGroups,
    /// `CreatePolicy`.
    CreatePolicy(NewPolicy),
    /// `GetPolicy`.
    GetPolicy {
        /// `PolicyArn`.
        arn: String,
    },
    /// `GetPolicyVersion`.
    GetPolicyVersion {
        /// `PolicyArn`.
        arn: String,
        /// `VersionId`.
        version: String,
    },
    /// `ListPolicies`.
    ListPolicies {
        /// `Scope`: `All` (default), `AWS` or `Local`.
        scope: Option<String>,
        /// `OnlyAttached`.
        only_attached: bool,
    },
    /// `AttachRolePolicy`, `AttachUserPolicy`, `AttachGroupPolicy`.
    AttachPolicy {
        /// The role, user or group.
        target: Attachee,
        /// `PolicyArn`.
        arn: String,
    },
    /// `DetachRolePolicy`, `DetachUserPolicy`, `DetachGroupPolicy`.
    DetachPolicy {
        /// The role, user or group.
        target: Attachee,
        /// `PolicyArn`.
        arn: String,
    },
    /// `ListAttachedRolePolicies`, `ListAttachedUserPolicies`, `ListAttachedGroupPolicies`.
    ListAttachedPolicies {
        /// The role, user or group.
        target: Attachee,
    },
    /// `SimulatePrincipalPolicy`.
    SimulatePrincipalPolicy {
        /// `PolicySourceArn`: the user, group or role.
        source: String,
        /// The actions, resources, context and added policies.
        simulation: Simulation,
    },
    /// `SimulateCustomPolicy`.
    SimulateCustomPolicy(Simulation),
    /// `SimulateMySwitches`: whether the caller may switch to each target (crossrole's
    /// extension for reachability marks): `Targets.member.N.Account` and `….Role`.
    SimulateMySwitches {
        /// Each target's account (id or alias) and role (path/name).
        targets: Vec<(String, String)>,
    },
    /// `SimulateSwitchAccess`: crossrole's access map (not an AWS action; see
    /// `crate::ops::access`), with a draft change applied first when given.
    SimulateSwitchAccess {
        /// `WhatIfKind` (`TrustPolicy`, `GroupPolicy`, `UserPolicy`), `WhatIfTarget`,
        /// `PolicyName`, `PolicyDocument` (absent: the policy removed).
        what_if: Option<WhatIf>,
    },
    /// `PutRolePermissionsBoundary`, `PutUserPermissionsBoundary`, and the `Delete…` forms
    /// (`arn` `None`).
    PermissionsBoundary {
        /// The role or user.
        target: Attachee,
        /// `PermissionsBoundary`, or `None` to delete it.
        arn: Option<String>,
    },
}

/// A simulation's lists: `ActionNames`, `ResourceArns`, `ContextEntries`, `PolicyInputList`,
/// `PermissionsBoundaryPolicyInputList` (each `….member.N`).
fn simulation(p: &BTreeMap<String, String>) -> Simulation {
    let context = (1..)
        .map_while(|i| {
            let at = format!("ContextEntries.member.{i}");
            let key = p.get(&format!("{at}.ContextKeyName"))?.clone();
            Some((key, members(p, &format!("{at}.ContextKeyValues.member"))))
        })
        .collect();
    Simulation {
        actions: members(p, "ActionNames.member"),
        resources: members(p, "ResourceArns.member"),
        context,
        policies: members(p, "PolicyInputList.member"),
        boundaries: members(p, "PermissionsBoundaryPolicyInputList.member"),
    }
}

fn simulation_params(s: &Simulation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let list = |out: &mut Vec<(String, String)>, name: &str, items: &[String]| {
        for (i, v) in items.iter().enumerate() {
            out.push((format!("{name}.member.{}", i + 1), v.clone()));
        }
    };
    list(&mut out, "ActionNames", &s.actions);
    list(&mut out, "ResourceArns", &s.resources);
    list(&mut out, "PolicyInputList", &s.policies);
    list(
        &mut out,
        "PermissionsBoundaryPolicyInputList",
        &s.boundaries,
    );
    for (i, (key, values)) in s.context.iter().enumerate() {
        let at = format!("ContextEntries.member.{}", i + 1);
        out.push((format!("{at}.ContextKeyName"), key.clone()));
        out.push((format!("{at}.ContextKeyType"), "string".to_owned()));
        list(&mut out, &format!("{at}.ContextKeyValues"), values);
    }
    out
}

/// The role, user or group a managed-policy action names (`RoleName`, `UserName`,
/// `GroupName`), by the action's kind.
fn attachee(kind: &str, p: &BTreeMap<String, String>) -> Result<Attachee, WireError> {
    Ok(match kind {
        "Role" => Attachee::Role(required(p, "RoleName")?),
        "User" => Attachee::User(required(p, "UserName")?),
        _ => Attachee::Group(required(p, "GroupName")?),
    })
}

fn attachee_param(target: &Attachee) -> (&'static str, String) {
    match target {
        Attachee::Role(n) => ("RoleName", n.clone()),
        Attachee::User(n) => ("UserName", n.clone()),
        Attachee::Group(n) => ("GroupName", n.clone()),
    }
}

impl IamRequest {
    /// Reads a Query request's parameters.
    pub fn from_params(p: &BTreeMap<String, String>) -> Result<IamRequest, WireError> {
        // Every name and document is checked against IAM's constraints before any work (the
        // IAM API Reference gives each parameter's length and pattern).
        for (k, v) in p {
            check_parameter(k, v)?;
        }
        let req = |k: &str| required(p, k);
        let action = req("Action")?;
        Ok(match action.as_str() {
            "GetUser" => IamRequest::GetUser {
                user: p.get("UserName").cloned(),
            },
            "ListAccountAliases" => IamRequest::ListAccountAliases,
            "GetRole" => IamRequest::GetRole {
                role: req("RoleName")?,
            },
            "ListRoles" => IamRequest::ListRoles,
            "CreateRole" => IamRequest::CreateRole(NewRole {
                name: req("RoleName")?,
                path: p.get("Path").cloned(),
                trust_policy: req("AssumeRolePolicyDocument")?,
                description: p.get("Description").cloned(),
                max_session_duration: number(p, "MaxSessionDuration", "maxSessionDuration")?,
            }),
            "UpdateAssumeRolePolicy" => IamRequest::UpdateAssumeRolePolicy {
                role: req("RoleName")?,
                document: req("PolicyDocument")?,
            },
            "PutRolePolicy" => IamRequest::PutRolePolicy {
                role: req("RoleName")?,
                name: req("PolicyName")?,
                document: req("PolicyDocument")?,
            },
            "GetRolePolicy" => IamRequest::GetRolePolicy {
                role: req("RoleName")?,
                name: req("PolicyName")?,
            },
            "DeleteRolePolicy" => IamRequest::DeleteRolePolicy {
                role: req("RoleName")?,
                name: req("PolicyName")?,
            },
            "ListRolePolicies" => IamRequest::ListRolePolicies {
                role: req("RoleName")?,
            },
            "DeleteRole" => IamRequest::DeleteRole {
                role: req("RoleName")?,
            },
            "PutGroupPolicy" => IamRequest::PutGroupPolicy {
                group: req("GroupName")?,
                name: req("PolicyName")?,
                document: req("PolicyDocument")?,
            },
            "DeleteGroupPolicy" => IamRequest::DeleteGroupPolicy {
                group: req("GroupName")?,
                name: req("PolicyName")?,
            },
            "ListGroupPolicies" => IamRequest::ListGroupPolicies {
                group: req("GroupName")?,
            },
            "GetGroup" => IamRequest::GetGroup {
                group: req("GroupName")?,
            },
            "GetGroupPolicy" => IamRequest::GetGroupPolicy {
                group: req("GroupName")?,
                name: req("PolicyName")?,
            },
            "ListGroups" => IamRequest::ListGroups,
            "CreatePolicy" => IamRequest::CreatePolicy(NewPolicy {
                name: req("PolicyName")?,
                path: p.get("Path").cloned(),
                document: req("PolicyDocument")?,
                description: p.get("Description").cloned(),
            }),
            "GetPolicy" => IamRequest::GetPolicy {
                arn: req("PolicyArn")?,
            },
            "GetPolicyVersion" => IamRequest::GetPolicyVersion {
                arn: req("PolicyArn")?,
                version: req("VersionId")?,
            },
            "ListPolicies" => IamRequest::ListPolicies {
                scope: p.get("Scope").cloned(),
                only_attached: p.get("OnlyAttached").is_some_and(|v| v == "true"),
            },
            "AttachRolePolicy" | "AttachUserPolicy" | "AttachGroupPolicy" => {
                IamRequest::AttachPolicy {
                    target: attachee(&action[6..action.len() - 6], p)?,
                    arn: req("PolicyArn")?,
                }
            }
            "DetachRolePolicy" | "DetachUserPolicy" | "DetachGroupPolicy" => {
                IamRequest::DetachPolicy {
                    target: attachee(&action[6..action.len() - 6], p)?,
                    arn: req("PolicyArn")?,
                }
            }
            "ListAttachedRolePolicies"
            | "ListAttachedUserPolicies"
            | "ListAttachedGroupPolicies" => IamRequest::ListAttachedPolicies {
                target: attachee(&action[12..action.len() - 8], p)?,
            },
            "SimulatePrincipalPolicy" => IamRequest::SimulatePrincipalPolicy {
                source: req("PolicySourceArn")?,
                simulation: simulation(p),
            },
            "SimulateCustomPolicy" => IamRequest::SimulateCustomPolicy(simulation(p)),
            "SimulateMySwitches" => IamRequest::SimulateMySwitches {
                targets: (1..)
                    .map_while(|i| {
                        let at = format!("Targets.member.{i}");
                        Some((
                            p.get(&format!("{at}.Account"))?.clone(),
                            p.get(&format!("{at}.Role"))?.clone(),
                        ))
                    })
                    .take(1000)
                    .collect(),
            },
            "SimulateSwitchAccess" => IamRequest::SimulateSwitchAccess {
                what_if: match p.get("WhatIfKind").map(String::as_str) {
                    None => None,
                    Some("TrustPolicy") => Some(WhatIf::TrustPolicy {
                        role_arn: req("WhatIfTarget")?,
                        document: req("PolicyDocument")?,
                    }),
                    Some("GroupPolicy") => Some(WhatIf::GroupPolicy {
                        group: req("WhatIfTarget")?,
                        name: req("PolicyName")?,
                        document: p.get("PolicyDocument").cloned(),
                    }),
                    Some("UserPolicy") => Some(WhatIf::UserPolicy {
                        user: req("WhatIfTarget")?,
                        name: req("PolicyName")?,
                        document: p.get("PolicyDocument").cloned(),
                    }),
                    Some(other) => {
                        return Err(WireError::BadParameter(format!(
                        "WhatIfKind must be TrustPolicy, GroupPolicy or UserPolicy, not {other:?}"
                    )))
                    }
                },
            },
            "PutRolePermissionsBoundary" | "PutUserPermissionsBoundary" => {
                IamRequest::PermissionsBoundary {
                    target: attachee(&action[3..7], p)?,
                    arn: Some(req("PermissionsBoundary")?),
                }
            }
            "DeleteRolePermissionsBoundary" | "DeleteUserPermissionsBoundary" => {
                IamRequest::PermissionsBoundary {
                    target: attachee(&action[6..10], p)?,
                    arn: None,
                }
            }
            other => return Err(WireError::UnknownAction(other.to_owned())),
        })
    }

    /// The action's name and its parameters, as [`IamRequest::from_params`] reads them.
    pub fn params(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let s = |v: &String| v.clone();
        match self {
            IamRequest::GetUser { user } => {
                ("GetUser", user.iter().map(|u| ("UserName", s(u))).collect())
            }
            IamRequest::ListAccountAliases => ("ListAccountAliases", vec![]),
            IamRequest::GetRole { role } => ("GetRole", vec![("RoleName", s(role))]),
            IamRequest::ListRoles => ("ListRoles", vec![]),
            IamRequest::CreateRole(new) => {
                let mut p = vec![
                    ("RoleName", s(&new.name)),
                    ("AssumeRolePolicyDocument", s(&new.trust_policy)),
                ];
                p.extend(new.path.iter().map(|v| ("Path", s(v))));
                p.extend(new.description.iter().map(|v| ("Description", s(v))));
                p.extend(
                    new.max_session_duration
                        .map(|d| ("MaxSessionDuration", d.to_string())),
                );
                ("CreateRole", p)
            }
            IamRequest::UpdateAssumeRolePolicy { role, document } => (
                "UpdateAssumeRolePolicy",
                vec![("RoleName", s(role)), ("PolicyDocument", s(document))],
            ),
            IamRequest::PutRolePolicy {
                role,
                name,
                document,
            } => (
                "PutRolePolicy",
                vec![
                    ("RoleName", s(role)),
                    ("PolicyName", s(name)),
                    ("PolicyDocument", s(document)),
                ],
            ),
            IamRequest::GetRolePolicy { role, name } => (
                "GetRolePolicy",
                vec![("RoleName", s(role)), ("PolicyName", s(name))],
            ),
            IamRequest::DeleteRolePolicy { role, name } => (
                "DeleteRolePolicy",
                vec![("RoleName", s(role)), ("PolicyName", s(name))],
            ),
            IamRequest::ListRolePolicies { role } => {
                ("ListRolePolicies", vec![("RoleName", s(role))])
            }
            IamRequest::DeleteRole { role } => ("DeleteRole", vec![("RoleName", s(role))]),
            IamRequest::PutGroupPolicy {
                group,
                name,
                document,
            } => (
                "PutGroupPolicy",
                vec![
                    ("GroupName", s(group)),
                    ("PolicyName", s(name)),
                    ("PolicyDocument", s(document)),
                ],
            ),
            IamRequest::DeleteGroupPolicy { group, name } => (
                "DeleteGroupPolicy",
                vec![("GroupName", s(group)), ("PolicyName", s(name))],
            ),
            IamRequest::ListGroupPolicies { group } => {
                ("ListGroupPolicies", vec![("GroupName", s(group))])
            }
            IamRequest::GetGroup { group } => ("GetGroup", vec![("GroupName", s(group))]),
            IamRequest::GetGroupPolicy { group, name } => (
                "GetGroupPolicy",
                vec![("GroupName", s(group)), ("PolicyName", s(name))],
            ),
            IamRequest::ListGroups => ("ListGroups", vec![]),
            IamRequest::CreatePolicy(new) => {
                let mut p = vec![
                    ("PolicyName", s(&new.name)),
                    ("PolicyDocument", s(&new.document)),
                ];
                p.extend(new.path.iter().map(|v| ("Path", s(v))));
                p.extend(new.description.iter().map(|v| ("Description", s(v))));
                ("CreatePolicy", p)
            }
            IamRequest::GetPolicy { arn } => ("GetPolicy", vec![("PolicyArn", s(arn))]),
            IamRequest::GetPolicyVersion { arn, version } => (
                "GetPolicyVersion",
                vec![("PolicyArn", s(arn)), ("VersionId", s(version))],
            ),
            IamRequest::ListPolicies {
                scope,
                only_attached,
            } => {
                let mut p: Vec<_> = scope.iter().map(|v| ("Scope", s(v))).collect();
                if *only_attached {
                    p.push(("OnlyAttached", "true".to_owned()));
                }
                ("ListPolicies", p)
            }
            IamRequest::AttachPolicy { target, arn } => (
                match target.kind() {
                    "Role" => "AttachRolePolicy",
                    "User" => "AttachUserPolicy",
                    _ => "AttachGroupPolicy",
                },
                vec![attachee_param(target), ("PolicyArn", s(arn))],
            ),
            IamRequest::DetachPolicy { target, arn } => (
                match target.kind() {
                    "Role" => "DetachRolePolicy",
                    "User" => "DetachUserPolicy",
                    _ => "DetachGroupPolicy",
                },
                vec![attachee_param(target), ("PolicyArn", s(arn))],
            ),
            IamRequest::ListAttachedPolicies { target } => (
                match target.kind() {
                    "Role" => "ListAttachedRolePolicies",
                    "User" => "ListAttachedUserPolicies",
                    _ => "ListAttachedGroupPolicies",
                },
                vec![attachee_param(target)],
            ),
            // Their lists' names are numbered: `to_form` writes them.
            IamRequest::SimulatePrincipalPolicy { source, .. } => (
                "SimulatePrincipalPolicy",
                vec![("PolicySourceArn", s(source))],
            ),
            IamRequest::SimulateCustomPolicy(_) => ("SimulateCustomPolicy", vec![]),
            // Its list's names are numbered: `to_form` writes them.
            IamRequest::SimulateMySwitches { .. } => ("SimulateMySwitches", vec![]),
            IamRequest::SimulateSwitchAccess { what_if } => (
                "SimulateSwitchAccess",
                match what_if {
                    None => vec![],
                    Some(WhatIf::TrustPolicy { role_arn, document }) => vec![
                        ("WhatIfKind", "TrustPolicy".into()),
                        ("WhatIfTarget", s(role_arn)),
                        ("PolicyDocument", s(document)),
                    ],
                    Some(
                        WhatIf::GroupPolicy {
                            group: target,
                            name,
                            document,
                        }
                        | WhatIf::UserPolicy {
                            user: target,
                            name,
                            document,
                        },
                    ) => {
                        let kind = if matches!(what_if, Some(WhatIf::GroupPolicy { .. })) {
                            "GroupPolicy"
                        } else {
                            "UserPolicy"
                        };
                        let mut p = vec![
                            ("WhatIfKind", kind.into()),
                            ("WhatIfTarget", s(target)),
                            ("PolicyName", s(name)),
                        ];
                        p.extend(document.iter().map(|d| ("PolicyDocument", s(d))));
                        p
                    }
                },
            ),
            IamRequest::PermissionsBoundary { target, arn } => {
                let action = match (target.kind(), arn) {
                    ("Role", Some(_)) => "PutRolePermissionsBoundary",
                    ("Role", None) => "DeleteRolePermissionsBoundary",
                    (_, Some(_)) => "PutUserPermissionsBoundary",
                    (_, None) => "DeleteUserPermissionsBoundary",
                };
                let mut p = vec![attachee_param(target)];
                p.extend(arn.iter().map(|a| ("PermissionsBoundary", s(a))));
                (action, p)
            }
        }
    }

    /// The form-encoded body for this request.
    pub fn to_form(&self) -> String {
        let (action, params) = self.params();
        let mut f = form_urlencoded::Serializer::new(String::new());
        f.append_pair("Action", action);
        for (k, v) in &params {
            f.append_pair(k, v);
        }
        if let IamRequest::SimulatePrincipalPolicy { simulation, .. }
        | IamRequest::SimulateCustomPolicy(simulation) = self
        {
            for (k, v) in simulation_params(simulation) {
                f.append_pair(&k, &v);
            }
        }
        if let IamRequest::SimulateMySwitches { targets } = self {
            for (i, (account, role)) in targets.iter().enumerate() {
                f.append_pair(&format!("Targets.member.{}.Account", i + 1), account);
                f.append_pair(&format!("Targets.member.{}.Role", i + 1), role);
            }
        }
        f.append_pair("Version", IAM_VERSION);
        f.finish()
    }

    /// Whether the request changes the world (and so the emulator's saved state).
    pub fn changes_world(&self) -> bool {
        matches!(
            self,
            IamRequest::CreateRole(_)
                | IamRequest::UpdateAssumeRolePolicy { .. }
                | IamRequest::PutRolePolicy { .. }
                | IamRequest::DeleteRolePolicy { .. }
                | IamRequest::DeleteRole { .. }
                | IamRequest::PutGroupPolicy { .. }
                | IamRequest::DeleteGroupPolicy { .. }
                | IamRequest::CreatePolicy(_)
                | IamRequest::AttachPolicy { .. }
                | IamRequest::DetachPolicy { .. }
                | IamRequest::PermissionsBoundary { .. }
        )
    }
}

fn el(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// The longest a policy document may be on the wire (IAM API Reference: PolicyDocument,
/// AssumeRolePolicyDocument: 131,072 characters); the quotas on what is kept are smaller.
pub const DOCUMENT_MAX_CHARS: usize = 131_072;

/// Checks one IAM parameter against the API Reference's length and pattern: names of roles
/// and users (1–64), policies and groups (1–128) of `[\w+=,.@-]`; paths up to 512; documents
/// up to [`DOCUMENT_MAX_CHARS`]. Other parameters pass (the operation checks them).
pub fn check_parameter(key: &str, value: &str) -> Result<(), WireError> {
    let name_max = match key {
        "RoleName" | "UserName" => Some(64),
        "PolicyName" | "GroupName" => Some(128),
        _ => None,
    };
    let len = value.chars().count();
    let bad = |constraint: &str| {
        let shown: String = value.chars().take(64).collect();
        Err(WireError::BadParameter(format!(
            "1 validation error detected: Value '{shown}' at '{key}' failed to satisfy constraint: {constraint}"
        )))
    };
    if let Some(max) = name_max {
        if !(1..=max).contains(&len) {
            return bad(&format!(
                "Member must have length less than or equal to {max} and greater than or equal to 1"
            ));
        }
        if !value.chars().all(crate::validation::is_name_char) {
            return bad("Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
    }
    match key {
        "Path" | "PathPrefix" if len > 512 => {
            bad("Member must have length less than or equal to 512")
        }
        "PolicyDocument" | "AssumeRolePolicyDocument" if len > DOCUMENT_MAX_CHARS => bad(&format!(
            "Member must have length less than or equal to {DOCUMENT_MAX_CHARS}"
        )),
        "Description" if len > 1000 => bad("Member must have length less than or equal to 1000"),
        "WhatIfTarget" if !(1..=2048).contains(&len) => {
            bad("Member must have length less than or equal to 2048 and greater than or equal to 1")
        }
        "PolicyArn" | "PermissionsBoundary" if !(20..=2048).contains(&len) => bad(
            "Member must have length less than or equal to 2048 and greater than or equal to 20",
        ),
        _ => Ok(()),
    }
}

/// A policy document as IAM returns it: JSON, URL-encoded.
fn policy_text(document: &serde_json::Value) -> String {
    uri_encode(&document.to_string(), false)
}

/// `<User>…</User>` (or `member`) for a user.
pub fn user_xml(tag: &str, u: &UserInfo) -> String {
    format!(
        "<{tag}>{}{}{}{}</{tag}>",
        el("Path", &u.path),
        el("UserName", &u.name),
        el("UserId", &u.user_id),
        el("Arn", &u.arn)
    )
}

/// `<Role>…</Role>` (or `member`) for a role.
pub fn role_xml(tag: &str, r: &RoleInfo) -> String {
    let description = r
        .description
        .as_deref()
        .map(|d| el("Description", d))
        .unwrap_or_default();
    let boundary = r
        .permissions_boundary
        .as_deref()
        .map(|arn| {
            format!(
                "<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>{}</PermissionsBoundary>",
                el("PermissionsBoundaryArn", arn)
            )
        })
        .unwrap_or_default();
    format!(
        "<{tag}>{}{}{}{}{}{description}{}{boundary}</{tag}>",
        el("Path", &r.path),
        el("RoleName", &r.name),
        el("RoleId", &r.role_id),
        el("Arn", &r.arn),
        el("AssumeRolePolicyDocument", &policy_text(&r.trust_policy)),
        el("MaxSessionDuration", &r.max_session_duration.to_string()),
    )
}

/// GetRole's `<Role>`: [`role_xml`] with `RoleLastUsed` (empty when never used; its region the
/// world's one region), which IAM gives GetRole and not ListRoles.
pub fn role_with_last_used_xml(r: &RoleInfo, region: &str) -> String {
    let used = r
        .last_used
        .map(|t| {
            format!(
                "{}{}",
                el("LastUsedDate", &t.to_iso8601()),
                el("Region", region)
            )
        })
        .unwrap_or_default();
    let role = role_xml("Role", r);
    let end = role.len() - "</Role>".len();
    format!("{}<RoleLastUsed>{used}</RoleLastUsed></Role>", &role[..end])
}

/// `<Policy>…</Policy>` (or `member`) for a managed policy.
pub fn managed_policy_xml(tag: &str, p: &PolicyInfo) -> String {
    let description = p
        .description
        .as_deref()
        .map(|d| el("Description", d))
        .unwrap_or_default();
    format!(
        "<{tag}>{}{}{}{}{}{}<IsAttachable>true</IsAttachable>{description}</{tag}>",
        el("PolicyName", &p.name),
        el("PolicyId", &p.policy_id),
        el("Arn", &p.arn),
        el("Path", &p.path),
        el("DefaultVersionId", DEFAULT_VERSION),
        el("AttachmentCount", &p.attachment_count.to_string()),
    )
}

/// `<PolicyVersion>` of GetPolicyVersion.
pub fn policy_version_xml(document: &serde_json::Value) -> String {
    format!(
        "<PolicyVersion>{}{}<IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>",
        el("Document", &policy_text(document)),
        el("VersionId", DEFAULT_VERSION),
    )
}

/// `<AttachedPolicies>` of ListAttached…Policies: each policy's name and ARN.
pub fn attached_xml(attached: &[(String, String)]) -> String {
    list_xml(
        "AttachedPolicies",
        attached.iter().map(|(name, arn)| {
            format!(
                "<member>{}{}</member>",
                el("PolicyName", name),
                el("PolicyArn", arn)
            )
        }),
    )
}

/// SimulateSwitchAccess's result: the roles, the users with their groups, the groups, and one
/// record per cell, a user's named by `UserName` and a group's by `GroupName` (flat lists, so
/// that the one record reader reads them back).
pub fn switch_access_xml(map: &AccessMap) -> String {
    let roles = names_xml("Roles", &map.roles);
    let users = list_xml(
        "Users",
        map.rows
            .iter()
            .map(|r| format!("<member>{}</member>", el("UserName", &r.user))),
    );
    let memberships = list_xml(
        "Memberships",
        map.rows.iter().flat_map(|r| {
            r.groups.iter().map(|g| {
                format!(
                    "<member>{}{}</member>",
                    el("UserName", &r.user),
                    el("GroupName", g)
                )
            })
        }),
    );
    let groups = list_xml(
        "Groups",
        map.groups
            .iter()
            .map(|g| format!("<member>{}</member>", el("GroupName", &g.group))),
    );
    let cells = list_xml(
        "Cells",
        map.rows_with_cells().flat_map(|(holder, cells)| {
            let row = match holder {
                Holder::User(name) => el("UserName", &name),
                Holder::Group(name) => el("GroupName", &name),
            };
            map.roles.iter().zip(cells).map(move |(role, cell)| {
                format!(
                    "<member>{row}{}{}</member>",
                    el("RoleArn", role),
                    access_xml(cell)
                )
            })
        }),
    );
    format!("{roles}{users}{memberships}{groups}{cells}")
}

/// SimulateMySwitches's result: one record per target, in order.
pub fn my_switches_xml(cells: &[Access]) -> String {
    list_xml(
        "Cells",
        cells
            .iter()
            .map(|cell| format!("<member>{}</member>", access_xml(cell))),
    )
}

/// What SimulateMySwitches answered.
pub fn parse_my_switches(xml: &str) -> Result<Vec<Access>, WireError> {
    Ok(super::records(xml, "Cells", "member")?
        .into_iter()
        .map(|c| access_of(c.get("Access").map(String::as_str), c.get("Reason")))
        .collect())
}

/// A cell's `Access` (and a denial's `Reason`) as the XML writes them; [`access_of`] reads
/// them back.
fn access_xml(cell: &Access) -> String {
    match cell {
        Access::Allowed => el("Access", "Allowed"),
        Access::AllowedWithMfa => el("Access", "AllowedWithMfa"),
        Access::Denied(why) => el("Access", "Denied") + &el("Reason", why),
    }
}

/// A cell's access as the XML writes it.
fn access_of(access: Option<&str>, reason: Option<&String>) -> Access {
    match access {
        Some("Allowed") => Access::Allowed,
        Some("AllowedWithMfa") => Access::AllowedWithMfa,
        _ => Access::Denied(reason.cloned().unwrap_or_default()),
    }
}

/// What SimulateSwitchAccess answered.
pub fn parse_switch_access(xml: &str) -> Result<AccessMap, WireError> {
    let roles: Vec<String> = super::records(xml, "Roles", "member")?
        .into_iter()
        .filter_map(|m| m.into_values().next())
        .collect();
    let memberships = super::records(xml, "Memberships", "member")?;
    let cells = super::records(xml, "Cells", "member")?;
    let field = |r: &BTreeMap<String, String>, k: &str| {
        r.get(k)
            .cloned()
            .ok_or_else(|| WireError::Malformed(format!("an access map record without {k}")))
    };
    // A row's cells, in role order: those whose `key` (UserName or GroupName) is `name`.
    let row_cells = |key: &str, name: &String| {
        roles
            .iter()
            .map(|role| {
                let cell = cells
                    .iter()
                    .find(|c| c.get(key) == Some(name) && c.get("RoleArn") == Some(role))
                    .ok_or_else(|| {
                        WireError::Malformed(format!("no cell for {name} and {role}"))
                    })?;
                Ok(access_of(
                    Some(field(cell, "Access")?.as_str()),
                    cell.get("Reason"),
                ))
            })
            .collect::<Result<Vec<_>, WireError>>()
    };
    // Those of `key` in the memberships whose `other` is `name`: a user's groups, a group's
    // members.
    let related = |other: &str, name: &String, key: &str| {
        memberships
            .iter()
            .filter(|m| m.get(other) == Some(name))
            .filter_map(|m| m.get(key).cloned())
            .collect()
    };
    let rows = super::records(xml, "Users", "member")?
        .iter()
        .map(|u| {
            let user = field(u, "UserName")?;
            Ok(AccessRow {
                groups: related("UserName", &user, "GroupName"),
                cells: row_cells("UserName", &user)?,
                user,
            })
        })
        .collect::<Result<_, WireError>>()?;
    let groups = super::records(xml, "Groups", "member")?
        .iter()
        .map(|g| {
            let group = field(g, "GroupName")?;
            Ok(GroupRow {
                members: related("GroupName", &group, "UserName"),
                cells: row_cells("GroupName", &group)?,
                group,
            })
        })
        .collect::<Result<_, WireError>>()?;
    Ok(AccessMap {
        roles,
        rows,
        groups,
    })
}

/// `<EvaluationResults>` of SimulatePrincipalPolicy and SimulateCustomPolicy, in IAM's shape.
pub fn evaluation_results_xml(results: &[EvaluationResult]) -> String {
    list_xml(
        "EvaluationResults",
        results.iter().map(|r| {
            let matched: String = r
                .matched
                .iter()
                .map(|m| {
                    format!(
                        "<member>{}{}</member>",
                        el("SourcePolicyId", &m.policy_id),
                        el("SourcePolicyType", &m.policy_type)
                    )
                })
                .collect();
            let missing: String = r.missing_context.iter().map(|k| el("member", k)).collect();
            let org = r
                .allowed_by_organizations
                .map(|a| {
                    format!(
                        "<OrganizationsDecisionDetail>{}</OrganizationsDecisionDetail>",
                        el("AllowedByOrganizations", &a.to_string())
                    )
                })
                .unwrap_or_default();
            let boundary = r
                .allowed_by_boundary
                .map(|a| {
                    format!(
                        "<PermissionsBoundaryDecisionDetail>{}</PermissionsBoundaryDecisionDetail>",
                        el("AllowedByPermissionsBoundary", &a.to_string())
                    )
                })
                .unwrap_or_default();
            format!(
                "<member>{}{}{}<MatchedStatements>{matched}</MatchedStatements><MissingContextValues>{missing}</MissingContextValues>{org}{boundary}</member>",
                el("EvalActionName", &r.action),
                el("EvalResourceName", &r.resource),
                el("EvalDecision", &r.decision),
            )
        }),
    )
}

/// `<member>…</member>` for a group (or `<Group>` with `tag`).
pub fn group_xml(g: &GroupInfo) -> String {
    group_xml_as("member", g)
}

/// `<tag>…</tag>` for a group.
pub fn group_xml_as(tag: &str, g: &GroupInfo) -> String {
    format!(
        "<{tag}>{}{}{}{}</{tag}>",
        el("Path", &g.path),
        el("GroupName", &g.name),
        el("GroupId", &g.group_id),
        el("Arn", &g.arn)
    )
}

/// A list element of `member`s, with IAM's `IsTruncated`.
pub fn list_xml(tag: &str, members: impl IntoIterator<Item = String>) -> String {
    let members: String = members.into_iter().collect();
    format!("<{tag}>{members}</{tag}><IsTruncated>false</IsTruncated>")
}

/// Names as `member` elements.
pub fn names_xml(tag: &str, names: &[String]) -> String {
    list_xml(tag, names.iter().map(|n| el("member", n)))
}

/// An inline policy's answer (GetRolePolicy, GetGroupPolicy): the owner element, the name
/// and the document.
pub fn policy_xml(
    owner_tag: &str,
    owner: &str,
    name: &str,
    document: &serde_json::Value,
) -> String {
    format!(
        "{}{}{}",
        el(owner_tag, owner),
        el("PolicyName", name),
        el("PolicyDocument", &policy_text(document))
    )
}

/// An IAM response document for `action` with `result` (empty: none).
pub fn response(action: &str, result: &str, request_id: &str) -> String {
    envelope_in(IAM_XMLNS, action, result, request_id)
}

/// An IAM error document.
pub fn error_response(code: ErrorCode, message: &str, request_id: &str) -> String {
    error_response_in(IAM_XMLNS, code, message, request_id)
}

/// A role as IAM's XML describes it (ListRoles' members, GetRole's and CreateRole's `Role`).
fn role_of(r: &BTreeMap<String, String>) -> Result<RoleInfo, WireError> {
    let field = |k: &str| {
        r.get(k)
            .cloned()
            .ok_or_else(|| WireError::Malformed(format!("a role without {k}")))
    };
    let trust_policy = document_of(&field("AssumeRolePolicyDocument")?, "a trust policy")?;
    Ok(RoleInfo {
        name: field("RoleName")?,
        path: field("Path")?,
        arn: field("Arn")?,
        role_id: field("RoleId")?,
        trust_policy,
        description: r.get("Description").cloned(),
        max_session_duration: r
            .get("MaxSessionDuration")
            .and_then(|d| d.parse().ok())
            .unwrap_or(3600),
        permissions_boundary: r.get("PermissionsBoundaryArn").cloned(),
        last_used: r
            .get("LastUsedDate")
            .and_then(|d| crate::clock::Timestamp::parse(d).ok()),
    })
}

/// A policy document as IAM's XML carries it: URL-encoded JSON (IAM API Reference, GetRole:
/// "The policy is returned as a URL-encoded JSON string").
fn document_of(encoded: &str, what: &str) -> Result<serde_json::Value, WireError> {
    let decoded: String =
        form_urlencoded::parse(format!("d={}", encoded.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
    serde_json::from_str(&decoded)
        .map_err(|e| WireError::Malformed(format!("{what} that is not JSON: {e}")))
}

/// What GetRolePolicy or GetGroupPolicy answered: the policy's name and document.
pub fn parse_policy_document(xml: &str) -> Result<(String, serde_json::Value), WireError> {
    let (root, fields) = leaves(xml)?;
    if root != "GetRolePolicyResponse" && root != "GetGroupPolicyResponse" {
        return Err(WireError::Malformed(format!("unexpected response {root}")));
    }
    let field = |k: &str| {
        fields
            .get(k)
            .ok_or_else(|| WireError::Malformed(format!("a policy without {k}")))
    };
    Ok((
        field("PolicyName")?.clone(),
        document_of(field("PolicyDocument")?, "a policy")?,
    ))
}

/// What ListRoles answered.
pub fn parse_roles(xml: &str) -> Result<Vec<RoleInfo>, WireError> {
    super::records(xml, "Roles", "member")?
        .iter()
        .map(role_of)
        .collect()
}

/// What GetRole or CreateRole answered.
pub fn parse_role(xml: &str) -> Result<RoleInfo, WireError> {
    let roles = super::records(xml, "GetRoleResult", "Role")?;
    let roles = if roles.is_empty() {
        super::records(xml, "CreateRoleResult", "Role")?
    } else {
        roles
    };
    roles
        .first()
        .map(role_of)
        .unwrap_or_else(|| Err(WireError::Malformed("no Role in the answer".into())))
}

/// What ListGroups answered.
pub fn parse_groups(xml: &str) -> Result<Vec<GroupInfo>, WireError> {
    super::records(xml, "Groups", "member")?
        .iter()
        .map(group_of)
        .collect()
}

fn group_of(g: &BTreeMap<String, String>) -> Result<GroupInfo, WireError> {
    let field = |k: &str| {
        g.get(k)
            .cloned()
            .ok_or_else(|| WireError::Malformed(format!("a group without {k}")))
    };
    Ok(GroupInfo {
        name: field("GroupName")?,
        path: field("Path")?,
        group_id: field("GroupId")?,
        arn: field("Arn")?,
    })
}

/// What GetGroup answered: the group's members' names.
pub fn parse_group_members(xml: &str) -> Result<Vec<String>, WireError> {
    Ok(super::records(xml, "Users", "member")?
        .into_iter()
        .filter_map(|u| u.get("UserName").cloned())
        .collect())
}

/// What a ListAttached…Policies answered: each policy's name and ARN.
pub fn parse_attached_policies(xml: &str) -> Result<Vec<(String, String)>, WireError> {
    super::records(xml, "AttachedPolicies", "member")?
        .into_iter()
        .map(|m| match (m.get("PolicyName"), m.get("PolicyArn")) {
            (Some(name), Some(arn)) => Ok((name.clone(), arn.clone())),
            _ => Err(WireError::Malformed(
                "an attached policy without its name or ARN".into(),
            )),
        })
        .collect()
}

/// What a List…Policies answered: the names.
pub fn parse_policy_names(xml: &str) -> Result<Vec<String>, WireError> {
    Ok(super::records(xml, "PolicyNames", "member")?
        .into_iter()
        .filter_map(|m| m.into_values().next())
        .collect())
}

/// What ListAccountAliases answered: the alias (an account has at most one).
pub fn parse_account_aliases(xml: &str) -> Result<Option<String>, WireError> {
    let (root, fields) = leaves(xml)?;
    match root.as_str() {
        "ListAccountAliasesResponse" => Ok(fields.get("member").cloned()),
        other => Err(WireError::Malformed(format!("unexpected response {other}"))),
    }
}

#[cfg(test)]
mod tests {
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
                },
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
}
