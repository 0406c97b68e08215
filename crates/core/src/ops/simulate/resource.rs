//! The resource side of a simulation: a resource-based policy given as `ResourcePolicy`, the
//! account owning the resources (`ResourceOwner`) and the IAM user simulated as the caller
//! (`CallerArn`), as the IAM API Reference's SimulateCustomPolicy and SimulatePrincipalPolicy
//! describe them; and how its decision joins the identity side's.

use super::*;
use crate::policy::Caller;
use crate::validation::AccountId;

/// A resource policy in a simulation, and whom its `Principal` is matched against.
#[derive(Debug)]
pub(super) struct ResourceSide {
    /// The policy, treated as attached to every simulated resource.
    pub(super) doc: PolicyDoc,
    /// The simulated caller's account.
    caller_account: AccountId,
    /// The simulated caller: an IAM user's ARN.
    caller_arn: String,
    /// The account owning the resources and the policy.
    owner: AccountId,
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

impl ResourceSide {
    /// The resource side `simulation` asks for, if it gives a `ResourcePolicy`. `default_caller`
    /// is the policy source when it is a user (SimulatePrincipalPolicy's default `CallerArn`).
    /// Refused as IAM refuses them: no caller; a caller that is not an IAM user ("You can
    /// specify only the ARN of an IAM user"); an owner that is not an account's root ARN; a
    /// policy that is not a resource policy (it must name a `Principal`).
    pub(super) fn of(
        simulation: &Simulation,
        default_caller: Option<&str>,
    ) -> Result<Option<Self>, ApiError> {
        let Some(text) = simulation.resource_policy.as_deref() else {
            return Ok(None);
        };
        let doc = PolicyDoc::parse(text).map_err(|e| {
            ApiError::new(
                ErrorCode::MalformedPolicyDocument,
                format!("ResourcePolicy: {e}"),
            )
        })?;
        if doc.policy.statements.iter().any(|s| s.principal.is_none()) {
            return Err(ApiError::new(
                ErrorCode::MalformedPolicyDocument,
                "ResourcePolicy: every statement of a resource-based policy names a Principal",
            ));
        }
        let caller_arn = simulation
            .caller_arn
            .as_deref()
            .or(default_caller)
            .ok_or_else(|| {
                invalid("CallerArn is required with a ResourcePolicy unless the policy source is an IAM user".into())
            })?;
        let Ok(Arn::User { account, .. }) = caller_arn.parse::<Arn>() else {
            return Err(invalid(format!(
                "CallerArn {caller_arn} is not an IAM user's ARN: only a user can be the simulated caller"
            )));
        };
        let owner = match simulation.resource_owner.as_deref() {
            None => account.clone(),
            Some(owner) => match owner.parse::<Arn>() {
                Ok(Arn::Root { account }) => account,
                _ => {
                    return Err(invalid(format!(
                    "ResourceOwner {owner} is not an account's ARN (arn:aws:iam::<account>:root)"
                )))
                }
            },
        };
        Ok(Some(Self {
            doc,
            caller_account: account,
            caller_arn: caller_arn.to_owned(),
            owner,
        }))
    }

    /// The caller, as the policy's `Principal` is matched against it.
    pub(super) fn caller(&self) -> Caller<'_> {
        Caller {
            account: &self.caller_account,
            arns: vec![self.caller_arn.clone()],
        }
    }

    /// Whether the caller and the resource are in one account.
    pub(super) fn same_account(&self) -> bool {
        self.caller_account == self.owner
    }
}

/// Whether a request with no explicit deny anywhere is allowed, from what allows it (IAM User
/// Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic"): the
/// organization's SCPs must allow it in every case. Without a resource policy the identity
/// side decides (its policies, and its boundary if any). Within one account either side
/// suffices: the identity side, or the resource policy — which grants to the user named as
/// caller, so an implicit deny of a boundary does not limit it. Across accounts both must.
pub(super) fn allowed(
    identity: bool,
    boundary: bool,
    organization: bool,
    resource: Option<(bool, bool)>,
) -> bool {
    let identity_side = identity && boundary;
    organization
        && match resource {
            None => identity_side,
            Some((allows, true)) => identity_side || allows,
            Some((allows, false)) => identity_side && allows,
        }
}
