//! Each service's operations, called with the checked request's parameters.

use super::*;
use crate::ops::audit::Recorded;
use serde_json::Value;

pub(super) fn sts(
    world: &mut World,
    rng: &mut dyn RngCore,
    presented: Presented<'_>,
    request: StsRequest,
    now: Timestamp,
    request_id: &str,
    explain: bool,
) -> Result<String, Failure> {
    let api = |e: ApiError| Failure::api(&e, explain);
    match request {
        StsRequest::GetCallerIdentity => world
            .sts_get_caller_identity(presented, now)
            .map(|who| wire::get_caller_identity_response(&who, request_id))
            .map_err(api),
        StsRequest::GetSessionToken(request) => world
            .sts_get_session_token(rng, presented, &request, now)
            .map(|i| wire::get_session_token_response(&i, request_id))
            .map_err(api),
        StsRequest::AssumeRole(request) => world
            .sts_assume_role(rng, presented, &request, now)
            .map(|i| wire::assume_role_response(&i, request_id))
            .map_err(api),
        StsRequest::DecodeAuthorizationMessage { encoded_message } => world
            .sts_decode_authorization_message(presented, &encoded_message, now)
            .map(|decoded| wire::decode_authorization_message_response(&decoded, request_id))
            .map_err(api),
    }
}

/// Answers an IAM request with IAM's XML (the emulator's answer, and the in-browser mock's
/// to the console's IAM pages), or the refusal.
///
/// Every write is recorded in the audit trail, and every refused read.
pub fn iam(
    world: &mut World,
    rng: &mut dyn RngCore,
    p: Presented<'_>,
    request: IamRequest,
    now: Timestamp,
    request_id: &str,
) -> Result<String, ApiError> {
    let writes = request.changes_world();
    let (action, params) = request.params();
    let answered = iam_unrecorded(world, rng, p, request, now, request_id);
    let call = || {
        let mut call = Recorded::api("iam.amazonaws.com", action, !writes, IAM_REGION);
        call.request_parameters = crate::world::trail::Json::of(
            &params
                .into_iter()
                .map(|(k, v)| (lower_first(k), Value::from(v)))
                .collect::<serde_json::Map<_, _>>(),
        );
        call.request_id = Some(request_id.to_owned());
        call
    };
    let outcome = answered.as_ref().map(drop);
    if writes {
        // With the trail off, nothing is written for the call.
        if world.live.trail.enabled {
            world.record_call(rng, p, call(), outcome, None, now);
        }
    } else {
        world.record_if_refused(rng, p, call, outcome, now);
    }
    answered
}

/// A Query parameter's name as CloudTrail writes it in `requestParameters` (`RoleName` →
/// `roleName`).
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

fn iam_unrecorded(
    world: &mut World,
    rng: &mut dyn RngCore,
    p: Presented<'_>,
    request: IamRequest,
    now: Timestamp,
    request_id: &str,
) -> Result<String, ApiError> {
    use iam_wire::*;
    // The action's name as the request spelled it (one variant serves Role, User and Group).
    let action = request.params().0;
    let (action, result) = match request {
        IamRequest::GetUser { user } => (
            "GetUser",
            user_xml("User", &world.iam_get_user(p, user.as_deref(), now)?),
        ),
        IamRequest::ListAccountAliases => (
            "ListAccountAliases",
            names_xml("AccountAliases", &world.iam_list_account_aliases(p, now)?),
        ),
        IamRequest::GetRole { role } => (
            "GetRole",
            role_with_last_used_xml(&world.iam_get_role(p, &role, now)?, &world.region),
        ),
        IamRequest::ListRoles => (
            "ListRoles",
            list_xml(
                "Roles",
                world
                    .iam_list_roles(p, now)?
                    .iter()
                    .map(|r| role_xml("member", r)),
            ),
        ),
        IamRequest::CreateRole(new) => (
            "CreateRole",
            role_xml("Role", &world.iam_create_role(rng, p, new, now)?),
        ),
        IamRequest::UpdateAssumeRolePolicy { role, document } => {
            world.iam_update_assume_role_policy(p, &role, &document, now)?;
            ("UpdateAssumeRolePolicy", String::new())
        }
        IamRequest::PutRolePolicy {
            role,
            name,
            document,
        } => {
            world.iam_put_role_policy(p, &role, &name, &document, now)?;
            ("PutRolePolicy", String::new())
        }
        IamRequest::DeleteRolePolicy { role, name } => {
            world.iam_delete_role_policy(p, &role, &name, now)?;
            ("DeleteRolePolicy", String::new())
        }
        IamRequest::GetRolePolicy { role, name } => {
            let doc = world.iam_get_role_policy(p, &role, &name, now)?;
            ("GetRolePolicy", policy_xml("RoleName", &role, &name, &doc))
        }
        IamRequest::ListRolePolicies { role } => (
            "ListRolePolicies",
            names_xml("PolicyNames", &world.iam_list_role_policies(p, &role, now)?),
        ),
        IamRequest::DeleteRole { role } => {
            world.iam_delete_role(p, &role, now)?;
            ("DeleteRole", String::new())
        }
        IamRequest::PutGroupPolicy {
            group,
            name,
            document,
        } => {
            world.iam_put_group_policy(p, &group, &name, &document, now)?;
            ("PutGroupPolicy", String::new())
        }
        IamRequest::DeleteGroupPolicy { group, name } => {
            world.iam_delete_group_policy(p, &group, &name, now)?;
            ("DeleteGroupPolicy", String::new())
        }
        IamRequest::ListGroupPolicies { group } => (
            "ListGroupPolicies",
            names_xml(
                "PolicyNames",
                &world.iam_list_group_policies(p, &group, now)?,
            ),
        ),
        IamRequest::GetGroup { group } => {
            let (info, members) = world.iam_get_group(p, &group, now)?;
            (
                "GetGroup",
                format!(
                    "{}{}",
                    group_xml_as("Group", &info),
                    list_xml("Users", members.iter().map(|u| user_xml("member", u)))
                ),
            )
        }
        IamRequest::GetGroupPolicy { group, name } => {
            let doc = world.iam_get_group_policy(p, &group, &name, now)?;
            (
                "GetGroupPolicy",
                policy_xml("GroupName", &group, &name, &doc),
            )
        }
        IamRequest::ListGroups => (
            "ListGroups",
            list_xml(
                "Groups",
                world.iam_list_groups(p, now)?.iter().map(group_xml),
            ),
        ),
        IamRequest::CreatePolicy(new) => (
            "CreatePolicy",
            managed_policy_xml("Policy", &world.iam_create_policy(p, new, now)?),
        ),
        IamRequest::GetPolicy { arn } => (
            "GetPolicy",
            managed_policy_xml("Policy", &world.iam_get_policy(p, &arn, now)?),
        ),
        IamRequest::GetPolicyVersion { arn, version } => (
            "GetPolicyVersion",
            policy_version_xml(&world.iam_get_policy_version(p, &arn, &version, now)?),
        ),
        IamRequest::ListPolicies {
            scope,
            only_attached,
        } => (
            "ListPolicies",
            list_xml(
                "Policies",
                world
                    .iam_list_policies(p, scope.as_deref(), only_attached, now)?
                    .iter()
                    .map(|info| managed_policy_xml("member", info)),
            ),
        ),
        IamRequest::AttachPolicy {
            ref target,
            ref arn,
        } => {
            world.iam_attach_policy(p, target, arn, now)?;
            (action, String::new())
        }
        IamRequest::DetachPolicy {
            ref target,
            ref arn,
        } => {
            world.iam_detach_policy(p, target, arn, now)?;
            (action, String::new())
        }
        IamRequest::ListAttachedPolicies { ref target } => (
            action,
            attached_xml(&world.iam_list_attached_policies(p, target, now)?),
        ),
        IamRequest::SimulatePrincipalPolicy {
            ref source,
            ref simulation,
        } => (
            action,
            evaluation_results_xml(
                &world.iam_simulate_principal_policy(p, source, simulation, now)?,
            ),
        ),
        IamRequest::SimulateCustomPolicy(ref simulation) => (
            action,
            evaluation_results_xml(&world.iam_simulate_custom_policy(p, simulation, now)?),
        ),
        IamRequest::GetRoleAsCode { ref role, format } => {
            let text = role_as_code(world, p, role, now)?.text(format);
            (
                action,
                format!(
                    "<Format>{}</Format><Template>{}</Template>",
                    format.as_str(),
                    quick_xml::escape::escape(&text)
                ),
            )
        }
        IamRequest::SimulateMySwitches { ref targets } => (
            action,
            my_switches_xml(&world.iam_my_switch_access(p, targets, now)?),
        ),
        IamRequest::SimulateSwitchAccess { ref what_if } => (
            action,
            switch_access_xml(&world.iam_switch_access(p, what_if.as_ref(), now)?),
        ),
        IamRequest::PermissionsBoundary {
            ref target,
            ref arn,
        } => {
            world.iam_set_permissions_boundary(p, target, arn.as_deref(), now)?;
            (action, String::new())
        }
    };
    Ok(response(action, &result, request_id))
}

/// A role as code, read as the caller may read it: GetRole, ListRolePolicies and GetRolePolicy
/// for each, ListAttachedRolePolicies — each authorised as that action is (a caller who may not
/// read a part gets that action's refusal).
fn role_as_code(
    world: &mut World,
    p: Presented<'_>,
    role: &str,
    now: Timestamp,
) -> Result<crate::admin::RoleAsCode, ApiError> {
    let info = world.iam_get_role(p, role, now)?;
    let inline = world
        .iam_list_role_policies(p, role, now)?
        .into_iter()
        .map(|name| {
            let document = world.iam_get_role_policy(p, role, &name, now)?;
            Ok((name, document))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let attached = world
        .iam_list_attached_policies(
            p,
            &crate::ops::managed::Attachee::Role(role.to_owned()),
            now,
        )?
        .into_iter()
        .map(|(_, arn)| arn)
        .collect();
    Ok(crate::admin::RoleAsCode::from_role(&info, inline, attached))
}

pub(super) fn dynamo(
    world: &World,
    p: Presented<'_>,
    request: DynamoRequest,
    now: Timestamp,
) -> Result<String, ApiError> {
    Ok(match request {
        DynamoRequest::ListTables => {
            dynamodb::list_tables_response(&world.dynamodb_list_tables(p, now)?)
        }
        DynamoRequest::DescribeTable { table } => {
            dynamodb::describe_table_response(&world.dynamodb_describe_table(p, &table, now)?)
        }
        DynamoRequest::Scan { table, projection } => {
            let items = world.dynamodb_scan_projected(p, &table, &projection, now)?;
            if projection.select.as_deref() == Some("COUNT") {
                dynamodb::scan_count_response(items.len())
            } else {
                dynamodb::scan_response(&items)
            }
        }
        DynamoRequest::GetItem {
            table,
            key,
            projection,
        } => dynamodb::get_item_response(
            world
                .dynamodb_get_item_projected(p, &table, &key, &projection, now)?
                .as_ref(),
        ),
    })
}
