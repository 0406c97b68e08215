//! IAM's policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy (IAM API
//! Reference; IAM User Guide, "Testing IAM policies with the IAM policy simulator"), on the same
//! engine every request is decided by, so the console can explain a decision before anyone
//! acts.

use super::iam::no_such;
use super::*;
use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{evaluate, missing_context_keys, Context, Policy, Request, Verdict};
use crate::world::{PolicyDoc, PolicySource, World, AWS_MANAGED};

mod resource;
use resource::ResourceSide;

/// What a simulation asks: the actions, the resources (none: `*`), the request context, and
/// policies to add.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// `ActionNames`.
    pub actions: Vec<String>,
    /// `ResourceArns` (empty: `*`).
    pub resources: Vec<String>,
    /// `ContextEntries`: each key and its values.
    pub context: Vec<(String, Vec<String>)>,
    /// `PolicyInputList`: identity policies to evaluate beside (or, for SimulateCustomPolicy,
    /// instead of) the principal's.
    pub policies: Vec<String>,
    /// `PermissionsBoundaryPolicyInputList`: a boundary to use in place of the principal's.
    pub boundaries: Vec<String>,
    /// `ResourcePolicy`: a resource-based policy, treated as attached to every simulated
    /// resource.
    #[serde(default)]
    pub resource_policy: Option<String>,
    /// `ResourceOwner`: the account owning the resources and the resource policy
    /// (`arn:aws:iam::<account>:root`; by default the caller's).
    #[serde(default)]
    pub resource_owner: Option<String>,
    /// `CallerArn`: the IAM user simulated as the caller, whom the resource policy's
    /// `Principal` is matched against.
    #[serde(default)]
    pub caller_arn: Option<String>,
    /// `ResourceHandlingOption`: an EC2 scenario name. Accepted and not used: no EC2 resource
    /// is simulated here.
    #[serde(default)]
    pub resource_handling_option: Option<String>,
}

/// A statement that decided, as the simulator names it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedStatement {
    /// `SourcePolicyId`: the policy's name (or `PolicyInputList.N`).
    pub policy_id: String,
    /// `SourcePolicyType`: `user`, `group`, `role`, `aws-managed`, `user-managed` or `none`.
    pub policy_type: std::borrow::Cow<'static, str>,
}

/// One action on one resource, decided.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationResult {
    /// `EvalActionName`.
    pub action: String,
    /// `EvalResourceName`.
    pub resource: String,
    /// `EvalDecision`: `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: std::borrow::Cow<'static, str>,
    /// `MatchedStatements`.
    pub matched: Vec<MatchedStatement>,
    /// `MissingContextValues`: keys the policies' conditions read that the context lacks.
    pub missing_context: Vec<String>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`, when SCPs apply.
    pub allowed_by_organizations: Option<bool>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`, when a boundary
    /// applies.
    pub allowed_by_boundary: Option<bool>,
    /// `ResourceSpecificResults`' `EvalResourceDecision`, when a resource policy was given.
    #[serde(default)]
    pub resource_decision: Option<std::borrow::Cow<'static, str>>,
}

/// A policy's name and simulator type, joined so that an evaluation's statement names carry
/// both (`|` is in no IAM name).
fn source_name(kind: &str, id: &str) -> String {
    format!("{kind}|{id}")
}

fn matched(by: &[crate::policy::StatementRef]) -> Vec<MatchedStatement> {
    let mut out: Vec<MatchedStatement> = Vec::new();
    for s in by {
        let (kind, id) = s.policy.split_once('|').unwrap_or(("none", &s.policy));
        let policy_type = match kind {
            "user" => "user",
            "group" => "group",
            "role" => "role",
            "aws-managed" => "aws-managed",
            "user-managed" => "user-managed",
            "resource" => "resource",
            _ => "none",
        };
        let m = MatchedStatement {
            policy_id: id.to_owned(),
            policy_type: policy_type.into(),
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

fn input_documents(texts: &[String], field: &str) -> Result<Vec<PolicyDoc>, ApiError> {
    texts
        .iter()
        .map(|t| {
            PolicyDoc::parse(t).map_err(|e| {
                ApiError::new(ErrorCode::MalformedPolicyDocument, format!("{field}: {e}"))
            })
        })
        .collect()
}

impl World {
    /// IAM SimulatePrincipalPolicy: the policies of the user, group or role at `source` (its
    /// identity policies, a user's groups' too, its permissions boundary, its account's SCPs),
    /// plus any given, decide each action on each resource.
    pub fn iam_simulate_principal_policy(
        &self,
        presented: Presented<'_>,
        source: &str,
        simulation: &Simulation,
        now: Timestamp,
    ) -> Result<Vec<EvaluationResult>, ApiError> {
        let caller_account = self.iam_caller(
            presented,
            "SimulatePrincipalPolicy",
            |_| source.to_owned(),
            now,
        )?;
        let invalid = || {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "Invalid Entity Arn: {source} does not clearly define entity type and name."
                ),
            )
        };
        let arn: Arn = source.parse().map_err(|_| invalid())?;
        // A principal of the caller's own account only, as IAM's simulator allows.
        if arn.account() != &caller_account {
            return Err(ApiError::new(
                ErrorCode::AccessDenied,
                format!("{source} is not in the caller's account {caller_account}"),
            ));
        }
        let (account_id, identity_sources, boundary_arn): (
            _,
            Vec<(String, &Policy)>,
            Option<&str>,
        ) = match &arn {
            Arn::User { account, name, .. } => {
                let a = self.account(account).ok_or_else(|| no_such("user", name))?;
                let user = a.user(name).ok_or_else(|| no_such("user", name))?;
                let identity = crate::world::Identity::User {
                    account: account.clone(),
                    name: user.name.clone(),
                };
                (
                    account.clone(),
                    self.named_sources(&identity),
                    user.permissions_boundary.as_deref(),
                )
            }
            Arn::Role { account, name, .. } => {
                let a = self
                    .account(account)
                    .ok_or_else(|| no_such("role", name.as_str()))?;
                let role = a
                    .role(name.as_str())
                    .ok_or_else(|| no_such("role", name.as_str()))?;
                let identity = crate::world::Identity::AssumedRole {
                    account: account.clone(),
                    role: role.name.clone(),
                    session: crate::validation::RoleSessionName::parse("simulation")
                        .expect("a valid session name"),
                };
                (
                    account.clone(),
                    self.named_sources(&identity),
                    role.permissions_boundary.as_deref(),
                )
            }
            Arn::Group { account, name, .. } => {
                let a = self
                    .account(account)
                    .ok_or_else(|| no_such("group", name))?;
                let group = a.group(name).ok_or_else(|| no_such("group", name))?;
                let inline = group
                    .policies
                    .iter()
                    .map(|(n, d)| (source_name("group", n), &d.policy));
                let attached = group.attached_policies.iter().filter_map(|arn| {
                    self.managed_policy(arn)
                        .map(|(n, d)| (source_name(managed_kind(arn), n), &d.policy))
                });
                (account.clone(), inline.chain(attached).collect(), None)
            }
            _ => return Err(invalid()),
        };
        let boundary = match (simulation.boundaries.is_empty(), boundary_arn) {
            (false, _) => Some(input_documents(
                &simulation.boundaries,
                "PermissionsBoundaryPolicyInputList",
            )?),
            (true, Some(arn)) => self.managed_policy(arn).map(|(_, d)| vec![d.clone()]),
            (true, None) => None,
        };
        let default_caller = matches!(arn, Arn::User { .. }).then_some(source);
        self.simulate(
            Some(&account_id),
            identity_sources,
            boundary,
            simulation,
            default_caller,
        )
    }

    /// IAM SimulateCustomPolicy: the given policies alone (and a given boundary) decide.
    pub fn iam_simulate_custom_policy(
        &self,
        presented: Presented<'_>,
        simulation: &Simulation,
        now: Timestamp,
    ) -> Result<Vec<EvaluationResult>, ApiError> {
        self.iam_caller(presented, "SimulateCustomPolicy", |_| "*".to_owned(), now)?;
        if simulation.policies.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "PolicyInputList must name at least one policy",
            ));
        }
        let boundary = (!simulation.boundaries.is_empty())
            .then(|| input_documents(&simulation.boundaries, "PermissionsBoundaryPolicyInputList"))
            .transpose()?;
        self.simulate(None, Vec::new(), boundary, simulation, None)
    }

    /// The identity policies of `identity` named for the simulator.
    fn named_sources(&self, identity: &crate::world::Identity) -> Vec<(String, &Policy)> {
        self.identity_policies(identity)
            .into_iter()
            .map(|(source, policy)| {
                let name = match source {
                    PolicySource::User(p) => source_name("user", p),
                    PolicySource::Group(_, p) => source_name("group", p),
                    PolicySource::Role(_, p) => source_name("role", p),
                    PolicySource::Managed(p) => source_name(
                        if AWS_MANAGED.iter().any(|(n, _)| *n == p) {
                            "aws-managed"
                        } else {
                            "user-managed"
                        },
                        p,
                    ),
                };
                (name, policy)
            })
            .collect()
    }

    fn simulate(
        &self,
        account: Option<&crate::validation::AccountId>,
        principal_sources: Vec<(String, &Policy)>,
        boundary: Option<Vec<PolicyDoc>>,
        simulation: &Simulation,
        default_caller: Option<&str>,
    ) -> Result<Vec<EvaluationResult>, ApiError> {
        if simulation.actions.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "ActionNames must name at least one action",
            ));
        }
        let inputs = input_documents(&simulation.policies, "PolicyInputList")?;
        let resource_side = ResourceSide::of(simulation, default_caller)?;
        let caller = resource_side.as_ref().map(ResourceSide::caller);
        let mut sources: Vec<(String, &Policy)> = principal_sources;
        for (i, doc) in inputs.iter().enumerate() {
            sources.push((
                source_name("none", &format!("PolicyInputList.{}", i + 1)),
                &doc.policy,
            ));
        }
        let mut context = Context::new();
        for (key, values) in &simulation.context {
            context.set_values(key, values.clone());
        }
        let star = ["*".to_owned()];
        let resources: &[String] = if simulation.resources.is_empty() {
            &star
        } else {
            &simulation.resources
        };
        let mut results = Vec::new();
        for action in &simulation.actions {
            for resource in resources {
                let request = Request {
                    action,
                    resource,
                    caller: None,
                    context: &context,
                };
                let identity = evaluate(sources.iter().map(|(n, p)| (n.as_str(), *p)), &request);
                let boundary_decision = boundary.as_ref().map(|docs| {
                    evaluate(
                        docs.iter().map(|d| ("permissions boundary", &d.policy)),
                        &request,
                    )
                });
                let org = account.and_then(|a| self.scp_decision(a, &request));
                // The resource policy's Principal is matched against the simulated caller.
                let resource_decision = resource_side.as_ref().map(|side| {
                    let with_caller = Request {
                        caller: caller.as_ref(),
                        ..request
                    };
                    let named = source_name("resource", "ResourcePolicy");
                    (
                        evaluate([(named.as_str(), &side.doc.policy)], &with_caller),
                        side.same_account(),
                    )
                });
                let explicit = [
                    Some(&identity),
                    boundary_decision.as_ref(),
                    org.as_ref(),
                    resource_decision.as_ref().map(|(d, _)| d),
                ]
                .into_iter()
                .flatten()
                .any(|d| d.verdict == Verdict::ExplicitDeny);
                let allowed = resource::allowed(
                    identity.allowed(),
                    boundary_decision.as_ref().is_none_or(|d| d.allowed()),
                    org.as_ref().is_none_or(|d| d.allowed()),
                    resource_decision
                        .as_ref()
                        .map(|(d, same)| (d.allowed(), *same)),
                );
                let decision = if explicit {
                    "explicitDeny"
                } else if allowed {
                    "allowed"
                } else {
                    "implicitDeny"
                };
                let mut missing = missing_context_keys(sources.iter().map(|(_, p)| *p), &request);
                if let Some(docs) = &boundary {
                    for key in missing_context_keys(docs.iter().map(|d| &d.policy), &request) {
                        if !missing.iter().any(|k| k.eq_ignore_ascii_case(&key)) {
                            missing.push(key);
                        }
                    }
                }
                let mut by = identity.by.clone();
                if let Some((d, _)) = &resource_decision {
                    by.extend(d.by.iter().cloned());
                }
                results.push(EvaluationResult {
                    action: action.clone(),
                    resource: resource.clone(),
                    decision: decision.into(),
                    resource_decision: resource_decision.as_ref().map(|_| decision.into()),
                    matched: matched(&by),
                    missing_context: missing,
                    allowed_by_organizations: org.map(|d| d.allowed()),
                    allowed_by_boundary: boundary_decision.map(|d| d.allowed()),
                });
            }
        }
        Ok(results)
    }
}

fn managed_kind(arn: &str) -> &'static str {
    if arn.starts_with(crate::world::AWS_MANAGED_PREFIX) {
        "aws-managed"
    } else {
        "user-managed"
    }
}
