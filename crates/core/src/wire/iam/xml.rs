//! IAM's XML responses, as AWS writes them: policy documents URL-encoded, lists as `member`
//! elements.

use super::*;

pub(super) fn el(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// A policy document as IAM returns it: JSON, URL-encoded.
pub(super) fn policy_text(document: &serde_json::Value) -> String {
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
    // Each role's current trust policy, encoded as IAM encodes documents.
    let trust = list_xml(
        "TrustPolicies",
        map.roles
            .iter()
            .zip(&map.trust_policies)
            .map(|(role, text)| {
                format!(
                    "<member>{}{}</member>",
                    el("RoleArn", role),
                    el("AssumeRolePolicyDocument", &uri_encode(text, false))
                )
            }),
    );
    format!("{roles}{users}{memberships}{groups}{cells}{trust}")
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

/// A cell's `Access` (and a denial's `Reason`) as the XML writes them; [`access_of`] reads
/// them back.
pub(super) fn access_xml(cell: &Access) -> String {
    match cell {
        Access::Allowed => el("Access", "Allowed"),
        Access::AllowedWithMfa => el("Access", "AllowedWithMfa"),
        Access::Denied(why) => el("Access", "Denied") + &el("Reason", why),
    }
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
            // With a resource policy, IAM also answers per resource.
            let specific = r
                .resource_decision
                .as_ref()
                .map(|d| {
                    format!(
                        "<ResourceSpecificResults><member>{}{}<MatchedStatements>{matched}</MatchedStatements><MissingContextValues>{missing}</MissingContextValues></member></ResourceSpecificResults>",
                        el("EvalResourceName", &r.resource),
                        el("EvalResourceDecision", d),
                    )
                })
                .unwrap_or_default();
            format!(
                "<member>{}{}{}<MatchedStatements>{matched}</MatchedStatements><MissingContextValues>{missing}</MissingContextValues>{org}{boundary}{specific}</member>",
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
