//! A role's inline permission policies: put, get, list and delete.

use super::*;

impl World {
    /// IAM PutRolePolicy (creates or replaces an inline policy).
    pub fn iam_put_role_policy(
        &mut self,
        presented: Presented<'_>,
        role: &str,
        policy_name: &str,
        policy: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_role_caller(presented, "PutRolePolicy", role, now)?;
        within_inline_quota(
            self.role_mut(&account, role)?.policies.iter(),
            policy_name,
            policy,
            ROLE_INLINE_POLICIES_MAX,
            &format!("role {role}"),
        )?;
        let doc = document(policy, false)?;
        self.role_mut(&account, role)?
            .policies
            .insert(policy_name.to_owned(), doc);
        Ok(())
    }

    /// IAM DeleteRolePolicy.
    pub fn iam_delete_role_policy(
        &mut self,
        presented: Presented<'_>,
        role: &str,
        policy_name: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_role_caller(presented, "DeleteRolePolicy", role, now)?;
        self.role_mut(&account, role)?
            .policies
            .remove(policy_name)
            .map(|_| ())
            .ok_or_else(|| no_such("role policy", policy_name))
    }

    /// IAM GetRolePolicy: the document as written.
    pub fn iam_get_role_policy(
        &self,
        presented: Presented<'_>,
        role: &str,
        policy_name: &str,
        now: Timestamp,
    ) -> Result<Value, ApiError> {
        let account = self.iam_role_caller(presented, "GetRolePolicy", role, now)?;
        let r = self
            .account(&account)
            .and_then(|a| a.role(role))
            .ok_or_else(|| no_such("role", role))?;
        r.policies
            .get(policy_name)
            .map(PolicyDoc::document)
            .ok_or_else(|| no_such("role policy", policy_name))
    }

    /// IAM ListRolePolicies: the inline policy names, sorted.
    pub fn iam_list_role_policies(
        &self,
        presented: Presented<'_>,
        role: &str,
        now: Timestamp,
    ) -> Result<Vec<String>, ApiError> {
        let account = self.iam_role_caller(presented, "ListRolePolicies", role, now)?;
        let r = self
            .account(&account)
            .and_then(|a| a.role(role))
            .ok_or_else(|| no_such("role", role))?;
        Ok(r.policies.keys().cloned().collect())
    }
}
