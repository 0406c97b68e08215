//! Reading and writing an IAM request's Query parameters.

use super::*;

/// The role, user or group a managed-policy action names (`RoleName`, `UserName`,
/// `GroupName`), by the action's kind.
pub(super) fn attachee(kind: &str, p: &BTreeMap<String, String>) -> Result<Attachee, WireError> {
    Ok(match kind {
        "Role" => Attachee::Role(required(p, "RoleName")?),
        "User" => Attachee::User(required(p, "UserName")?),
        _ => Attachee::Group(required(p, "GroupName")?),
    })
}

pub(super) fn attachee_param(target: &Attachee) -> (&'static str, String) {
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
            "GetRoleAsCode" => {
                let format = req("Format")?;
                IamRequest::GetRoleAsCode {
                    role: req("RoleName")?,
                    format: CodeFormat::parse(&format).ok_or_else(|| {
                        WireError::BadParameter(format!(
                            "Format must be CloudFormation or Terraform, not {format:?}"
                        ))
                    })?,
                }
            }
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
            IamRequest::GetRoleAsCode { role, format } => (
                "GetRoleAsCode",
                vec![
                    ("RoleName", s(role)),
                    ("Format", format.as_str().to_owned()),
                ],
            ),
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
