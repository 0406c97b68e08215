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

/// The languages a role is written in as code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeFormat {
    /// An AWS CloudFormation template (YAML).
    CloudFormation,
    /// Terraform for the `aws` provider (HCL).
    Terraform,
}

impl CodeFormat {
    /// The `Format` parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeFormat::CloudFormation => "CloudFormation",
            CodeFormat::Terraform => "Terraform",
        }
    }

    /// Reads the `Format` parameter.
    pub fn parse(text: &str) -> Option<Self> {
        [CodeFormat::CloudFormation, CodeFormat::Terraform]
            .into_iter()
            .find(|f| f.as_str() == text)
    }
}

mod read;
pub use read::*;

mod xml;
pub use xml::*;

mod request;
pub use request::*;

mod simulation;
use simulation::*;

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
    /// `GetRoleAsCode`: a role, its inline policies, managed policies and boundary as a
    /// CloudFormation template or Terraform (crossrole's extension; not an AWS action).
    GetRoleAsCode {
        /// `RoleName`.
        role: String,
        /// `Format`.
        format: CodeFormat,
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

#[cfg(test)]
mod tests;
