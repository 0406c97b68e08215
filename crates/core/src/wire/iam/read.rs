//! Reading IAM's XML responses, as the console and the tests do.

use super::*;

/// What SimulateMySwitches answered.
pub fn parse_my_switches(xml: &str) -> Result<Vec<Access>, WireError> {
    Ok(crate::wire::records(xml, "Cells", "member")?
        .into_iter()
        .map(|c| access_of(c.get("Access").map(String::as_str), c.get("Reason")))
        .collect())
}

/// A cell's access as the XML writes it.
pub(super) fn access_of(access: Option<&str>, reason: Option<&String>) -> Access {
    match access {
        Some("Allowed") => Access::Allowed,
        Some("AllowedWithMfa") => Access::AllowedWithMfa,
        _ => Access::Denied(reason.cloned().unwrap_or_default()),
    }
}

/// What SimulateSwitchAccess answered.
pub fn parse_switch_access(xml: &str) -> Result<AccessMap, WireError> {
    let roles: Vec<String> = crate::wire::records(xml, "Roles", "member")?
        .into_iter()
        .filter_map(|m| m.into_values().next())
        .collect();
    let memberships = crate::wire::records(xml, "Memberships", "member")?;
    let cells = crate::wire::records(xml, "Cells", "member")?;
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
    let rows = crate::wire::records(xml, "Users", "member")?
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
    let groups = crate::wire::records(xml, "Groups", "member")?
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
    let trust = crate::wire::records(xml, "TrustPolicies", "member")?;
    // In role order; a role without one (an older server) starts its draft empty.
    let trust_policies = roles
        .iter()
        .map(|role| {
            trust
                .iter()
                .find(|t| t.get("RoleArn") == Some(role))
                .and_then(|t| t.get("AssumeRolePolicyDocument"))
                .map(|d| document_of(d, "a trust policy").map(|v| v.to_string()))
                .transpose()
                .map(Option::unwrap_or_default)
        })
        .collect::<Result<Vec<_>, WireError>>()?;
    Ok(AccessMap {
        roles,
        rows,
        groups,
        trust_policies,
    })
}

/// A role as IAM's XML describes it (ListRoles' members, GetRole's and CreateRole's `Role`).
pub(super) fn role_of(r: &BTreeMap<String, String>) -> Result<RoleInfo, WireError> {
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
pub(super) fn document_of(encoded: &str, what: &str) -> Result<serde_json::Value, WireError> {
    let decoded: String =
        form_urlencoded::parse(format!("d={}", encoded.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
    serde_json::from_str(&decoded)
        .map_err(|e| WireError::Malformed(format!("{what} that is not JSON: {e}")))
}

/// GetRoleAsCode's answer (crossrole's IAM extension): the template's text, its lines each
/// ended as in a file (the leaf reader trims the last line break).
pub fn parse_role_as_code(xml: &str) -> Result<String, WireError> {
    let (root, mut fields) = leaves(xml)?;
    if root != "GetRoleAsCodeResponse" {
        return Err(WireError::Malformed(format!("unexpected response {root}")));
    }
    let mut text = fields
        .remove("Template")
        .ok_or_else(|| WireError::Malformed("a role as code without its Template".into()))?;
    text.push('\n');
    Ok(text)
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
    crate::wire::records(xml, "Roles", "member")?
        .iter()
        .map(role_of)
        .collect()
}

/// What GetRole or CreateRole answered.
pub fn parse_role(xml: &str) -> Result<RoleInfo, WireError> {
    let roles = crate::wire::records(xml, "GetRoleResult", "Role")?;
    let roles = if roles.is_empty() {
        crate::wire::records(xml, "CreateRoleResult", "Role")?
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
    crate::wire::records(xml, "Groups", "member")?
        .iter()
        .map(group_of)
        .collect()
}

pub(super) fn group_of(g: &BTreeMap<String, String>) -> Result<GroupInfo, WireError> {
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
    Ok(crate::wire::records(xml, "Users", "member")?
        .into_iter()
        .filter_map(|u| u.get("UserName").cloned())
        .collect())
}

/// What a ListAttached…Policies answered: each policy's name and ARN.
pub fn parse_attached_policies(xml: &str) -> Result<Vec<(String, String)>, WireError> {
    crate::wire::records(xml, "AttachedPolicies", "member")?
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
    Ok(crate::wire::records(xml, "PolicyNames", "member")?
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

/// What SimulatePrincipalPolicy or SimulateCustomPolicy answered: each action on each
/// resource, decided, with what the organization's SCPs and the boundary said. (The matched
/// statements are not read back: the console says which kind of policy decided, not which
/// statement.)
pub fn parse_evaluation_results(xml: &str) -> Result<Vec<EvaluationResult>, WireError> {
    crate::wire::records(xml, "EvaluationResults", "member")?
        .into_iter()
        .map(|r| {
            let field = |k: &str| {
                r.get(k).cloned().ok_or_else(|| {
                    WireError::Malformed(format!("an evaluation result without {k}"))
                })
            };
            let flag = |k: &str| r.get(k).map(|v| v == "true");
            Ok(EvaluationResult {
                action: field("EvalActionName")?,
                resource: field("EvalResourceName")?,
                decision: field("EvalDecision")?.into(),
                matched: Vec::new(),
                missing_context: Vec::new(),
                allowed_by_organizations: flag("AllowedByOrganizations"),
                allowed_by_boundary: flag("AllowedByPermissionsBoundary"),
                resource_decision: r.get("EvalResourceDecision").cloned().map(Into::into),
            })
        })
        .collect()
}
