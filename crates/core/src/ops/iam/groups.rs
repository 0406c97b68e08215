//! IAM's users and groups: reading them, and the groups' inline policies.

use super::*;

impl World {
    /// IAM DeleteGroupPolicy.
    pub fn iam_delete_group_policy(
        &mut self,
        presented: Presented<'_>,
        group: &str,
        policy_name: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_group_caller(presented, "DeleteGroupPolicy", group, now)?;
        self.accounts
            .iter_mut()
            .find(|a| a.id == account)
            .and_then(|a| a.groups.iter_mut().find(|g| g.name.as_str() == group))
            .ok_or_else(|| no_such("group", group))?
            .policies
            .remove(policy_name)
            .map(|_| ())
            .ok_or_else(|| no_such("group policy", policy_name))
    }

    /// IAM ListGroupPolicies: the group's inline policy names, sorted.
    pub fn iam_list_group_policies(
        &self,
        presented: Presented<'_>,
        group: &str,
        now: Timestamp,
    ) -> Result<Vec<String>, ApiError> {
        let account = self.iam_group_caller(presented, "ListGroupPolicies", group, now)?;
        self.account(&account)
            .and_then(|a| a.group(group))
            .map(|g| g.policies.keys().cloned().collect())
            .ok_or_else(|| no_such("group", group))
    }

    /// IAM GetGroup: the group and its members.
    pub fn iam_get_group(
        &self,
        presented: Presented<'_>,
        group: &str,
        now: Timestamp,
    ) -> Result<(GroupInfo, Vec<UserInfo>), ApiError> {
        let account = self.iam_group_caller(presented, "GetGroup", group, now)?;
        let a = self
            .account(&account)
            .ok_or_else(|| no_such("group", group))?;
        let g = a.group(group).ok_or_else(|| no_such("group", group))?;
        let mut members: Vec<UserInfo> = a
            .users
            .iter()
            .filter(|u| u.groups.iter().any(|n| n.as_str() == group))
            .map(|u| user_info(&account, u))
            .collect();
        members.sort_by(|x, y| x.name.cmp(&y.name));
        Ok((group_info(&account, g), members))
    }

    /// IAM GetUser: the named user of the caller's account, or without a name the calling
    /// user itself (a role session must name one, as in IAM).
    pub fn iam_get_user(
        &self,
        presented: Presented<'_>,
        name: Option<&str>,
        now: Timestamp,
    ) -> Result<UserInfo, ApiError> {
        let caller = self.authenticate(presented, now)?;
        let name = match (name, &caller.identity) {
            (Some(n), _) => n.to_owned(),
            (None, Identity::User { name, .. }) => name.to_string(),
            (None, _) => {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "Must specify userName when calling with non-User credentials",
                ))
            }
        };
        let account = caller.identity.account().clone();
        let found = self.account(&account).and_then(|a| a.user(&name));
        let path = found.map(|u| u.path.clone()).unwrap_or_default();
        let arn = user_arn(&account, &path, &name);
        self.authorize(&caller, "iam:GetUser", &arn, now)?;
        found
            .map(|u| user_info(&account, u))
            .ok_or_else(|| no_such("user", &name))
    }

    /// IAM ListGroups, sorted by name.
    pub fn iam_list_groups(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Vec<GroupInfo>, ApiError> {
        let account = self.iam_caller(
            presented,
            "ListGroups",
            |a| format!("arn:aws:iam::{a}:group/*"),
            now,
        )?;
        let mut groups: Vec<GroupInfo> = self
            .account(&account)
            .map(|a| a.groups.iter().map(|g| group_info(&account, g)).collect())
            .unwrap_or_default();
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(groups)
    }

    /// Authorises `iam:<action>` on the group `name` of the caller's account; answers the
    /// account, or NoSuchEntity when there is no such group.
    pub(crate) fn iam_group_caller(
        &self,
        presented: Presented<'_>,
        action: &str,
        name: &str,
        now: Timestamp,
    ) -> Result<AccountId, ApiError> {
        let group_in = |a: &AccountId| self.account(a).and_then(|acc| acc.group(name));
        let account = self.iam_caller(
            presented,
            action,
            |a| {
                let path = group_in(a).map(|g| g.path.clone()).unwrap_or_default();
                group_arn(a, &path, name)
            },
            now,
        )?;
        group_in(&account)
            .map(|_| account.clone())
            .ok_or_else(|| no_such("group", name))
    }

    /// IAM PutGroupPolicy (creates or replaces a group's inline policy).
    pub fn iam_put_group_policy(
        &mut self,
        presented: Presented<'_>,
        group: &str,
        policy_name: &str,
        policy: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let account = self.iam_group_caller(presented, "PutGroupPolicy", group, now)?;
        if let Some(g) = self.account(&account).and_then(|a| a.group(group)) {
            within_inline_quota(
                g.policies.iter(),
                policy_name,
                policy,
                GROUP_INLINE_POLICIES_MAX,
                &format!("group {group}"),
            )?;
        }
        let doc = document(policy, false)?;
        if let Some(g) = self
            .accounts
            .iter_mut()
            .find(|a| a.id == account)
            .and_then(|a| a.groups.iter_mut().find(|g| g.name.as_str() == group))
        {
            g.policies.insert(policy_name.to_owned(), doc);
        }
        Ok(())
    }

    /// IAM GetGroupPolicy: the document as written.
    pub fn iam_get_group_policy(
        &self,
        presented: Presented<'_>,
        group: &str,
        policy_name: &str,
        now: Timestamp,
    ) -> Result<Value, ApiError> {
        let account = self.iam_group_caller(presented, "GetGroupPolicy", group, now)?;
        self.account(&account)
            .and_then(|a| a.group(group))
            .and_then(|g| g.policies.get(policy_name))
            .map(PolicyDoc::document)
            .ok_or_else(|| no_such("group policy", policy_name))
    }
}
