//! A role as the administrator reads it (its trust, its switch link) and the grant of switch
//! access to a group.

use super::*;

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
/// [`grant_switch_policy`], named as [`grant_policy`] names it.
pub fn grant_request(group: &str, role_arn: &str) -> Result<IamRequest, NotARoleArn> {
    let (name, document) = grant_policy(role_arn)?;
    Ok(IamRequest::PutGroupPolicy {
        group: group.to_owned(),
        name,
        document,
    })
}

/// The name and document of the policy that grants the switch to `role_arn`: named
/// `SwitchTo<Role>In<account>` (one per role, so granting again replaces rather than piles up;
/// IAM policy names allow 128 characters, a role name 64).
pub fn grant_policy(role_arn: &str) -> Result<(String, String), NotARoleArn> {
    let document = grant_switch_policy(role_arn)?;
    let Ok(Arn::Role { account, name, .. }) = role_arn.trim().parse::<Arn>() else {
        return Err(NotARoleArn(role_arn.trim().to_owned()));
    };
    Ok((format!("SwitchTo{name}In{account}"), document))
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

    /// The action that removes one of its inline policies.
    pub fn delete_action(&self) -> &'static str {
        match self {
            PolicyOwner::Role(_) => "iam:DeleteRolePolicy",
            PolicyOwner::Group(_) => "iam:DeleteGroupPolicy",
        }
    }

    /// How the owner is named in a sentence: "role Admin", "group Developers".
    pub fn described(&self) -> String {
        match self {
            PolicyOwner::Role(name) => format!("role {name}"),
            PolicyOwner::Group(name) => format!("group {name}"),
        }
    }

    /// The simulator's question before Remove is offered: may `acting` remove an inline
    /// policy of this owner, whose ARN is `owner_arn`? ([`permission_check`].)
    pub fn removal_check(&self, acting: &str, owner_arn: &str) -> IamRequest {
        permission_check(acting, &[self.delete_action()], owner_arn)
    }
}

/// The simulator's question before an action is offered: may `acting` (the user's ARN, or the
/// role's for a role session) do each of `actions` on `resource`? The simulator decides with
/// the identity's policies, its boundary and the organization's SCPs, as the request itself
/// would be (IAM API Reference, SimulatePrincipalPolicy). Read the answer with
/// [`refused_because`] for each result.
pub fn permission_check(acting: &str, actions: &[&str], resource: &str) -> IamRequest {
    IamRequest::SimulatePrincipalPolicy {
        source: acting.to_owned(),
        simulation: Simulation {
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            resources: vec![resource.to_owned()],
            ..Simulation::default()
        },
    }
}

/// The first refusal among a simulation's results, as [`refused_because`] says it; `None`
/// when every action is allowed.
pub fn first_refusal(results: &[EvaluationResult]) -> Option<String> {
    results.iter().find_map(refused_because)
}

/// Why the simulator says an action would be refused, as a sentence that says what decided
/// it; `None` when it is allowed. (IAM User Guide, "Policy evaluation logic": an explicit deny
/// in an SCP, then a boundary that does not allow, then no identity policy that allows.)
pub fn refused_because(result: &EvaluationResult) -> Option<String> {
    let action = &result.action;
    match result.decision.as_ref() {
        "allowed" => None,
        _ if result.allowed_by_organizations == Some(false) => Some(format!(
            "A service control policy of the organization denies {action} here."
        )),
        _ if result.allowed_by_boundary == Some(false) => Some(format!(
            "Your permissions boundary does not allow {action}."
        )),
        "explicitDeny" => Some(format!(
            "An explicit deny in your policies refuses {action}."
        )),
        _ => Some(format!("No policy of yours allows {action}.")),
    }
}
