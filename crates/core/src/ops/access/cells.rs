//! The access map's cells, rows and what-if drafts: what the engine answers and the page shows.

use super::*;

/// One cell of the map: whether a user may switch to a role from a console sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    /// Allowed, with or without MFA.
    Allowed,
    /// Allowed only from a sign-in with MFA (and the user has an MFA device).
    AllowedWithMfa,
    /// Denied; why, naming the deciding statement or policy.
    Denied(String),
}

impl Access {
    /// The cell's text: "Allowed", "Allowed with MFA" or "Denied".
    pub fn label(&self) -> &'static str {
        match self {
            Access::Allowed => "Allowed",
            Access::AllowedWithMfa => "Allowed with MFA",
            Access::Denied(_) => "Denied",
        }
    }

    /// Why, in a sentence, for the cell's description.
    pub fn reason(&self) -> String {
        match self {
            Access::Allowed => "Allowed by the user's policies and the role's trust policy.".into(),
            Access::AllowedWithMfa => {
                "Allowed from a sign-in with MFA: without it, the role's trust policy refuses."
                    .into()
            }
            Access::Denied(why) => why.clone(),
        }
    }
}

/// A user's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessRow {
    /// The user name.
    pub user: String,
    /// The groups the user is in.
    pub groups: Vec<String>,
    /// One cell per role, in the map's role order.
    pub cells: Vec<Access>,
}

/// A group's row: what membership alone grants, i.e. the decision for a member with no
/// policy, boundary or tag of its own and with an MFA device. A group is not a principal (IAM
/// User Guide, "IAM user groups": a user group cannot be identified as a `Principal`), so a
/// role whose trust policy names particular users is denied here even when it allows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    /// The group name.
    pub group: String,
    /// The users in the group.
    pub members: Vec<String>,
    /// One cell per role, in the map's role order.
    pub cells: Vec<Access>,
}

/// Whose row a cell is in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Holder {
    /// A user's row.
    User(String),
    /// A group's row.
    Group(String),
}

impl std::fmt::Display for Holder {
    /// A user by name; a group as "group Developers", so the two can never be confused.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Holder::User(name) => f.write_str(name),
            Holder::Group(name) => write!(f, "group {name}"),
        }
    }
}

/// A cell a draft would turn, and what it would become.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellChange {
    /// The row.
    pub holder: Holder,
    /// The column (the role's ARN).
    pub role: String,
    /// The cell under the draft.
    pub after: Access,
}

/// Who of the caller's account may switch to which role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessMap {
    /// The roles (ARNs), sorted: every role whose trust policy lets the account, one of its
    /// principals, or anyone, ask.
    pub roles: Vec<String>,
    /// The account's users, by name.
    pub rows: Vec<AccessRow>,
    /// The account's groups, by name.
    #[serde(default)]
    pub groups: Vec<GroupRow>,
    /// Each role's trust policy as it stands (JSON text), in the order of `roles`: where a
    /// what-if draft of it starts, so that trying it unedited changes nothing. (The map
    /// already tells the caller's account that these roles trust it, and how.)
    #[serde(default)]
    pub trust_policies: Vec<String>,
}

impl AccessMap {
    /// The column of `role` (an ARN on the map).
    fn column(&self, role: &str) -> Option<usize> {
        self.roles.iter().position(|r| r == role)
    }

    /// The current trust policy of `role` (an ARN on the map).
    pub fn trust_policy(&self, role: &str) -> Option<&str> {
        let column = self.column(role)?;
        self.trust_policies.get(column).map(String::as_str)
    }

    /// The cell of `user` and `role`, if both are on the map.
    pub fn cell(&self, user: &str, role: &str) -> Option<&Access> {
        self.cell_of(&Holder::User(user.to_owned()), role)
    }

    /// The cell of `group` and `role`, if both are on the map.
    pub fn group_cell(&self, group: &str, role: &str) -> Option<&Access> {
        self.cell_of(&Holder::Group(group.to_owned()), role)
    }

    /// The cell of a user's or a group's row and `role`.
    pub fn cell_of(&self, holder: &Holder, role: &str) -> Option<&Access> {
        let column = self.column(role)?;
        let cells = match holder {
            Holder::User(name) => &self.rows.iter().find(|r| &r.user == name)?.cells,
            Holder::Group(name) => &self.groups.iter().find(|g| &g.group == name)?.cells,
        };
        cells.get(column)
    }

    /// Every row, users first, with its cells.
    pub fn rows_with_cells(&self) -> impl Iterator<Item = (Holder, &[Access])> {
        let users = self
            .rows
            .iter()
            .map(|r| (Holder::User(r.user.clone()), r.cells.as_slice()));
        let groups = self
            .groups
            .iter()
            .map(|g| (Holder::Group(g.group.clone()), g.cells.as_slice()));
        users.chain(groups)
    }

    /// The cells `other` decides differently (a row and a role on both maps, or new in
    /// `other`): what a "what if" would change, each with the cell it would become.
    pub fn changes(&self, other: &AccessMap) -> Vec<CellChange> {
        let mut out = Vec::new();
        for (holder, cells) in other.rows_with_cells() {
            for (role, after) in other.roles.iter().zip(cells) {
                if self
                    .cell_of(&holder, role)
                    .is_none_or(|before| before.label() != after.label())
                {
                    out.push(CellChange {
                        holder: holder.clone(),
                        role: role.clone(),
                        after: after.clone(),
                    });
                }
            }
        }
        out
    }
}

/// A draft change to try on the map before it is saved. `document: None` removes the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WhatIf {
    /// A role's trust policy replaced (any account of the world).
    TrustPolicy {
        /// The role's ARN.
        role_arn: String,
        /// The draft trust policy.
        document: String,
    },
    /// An inline policy of one of the caller's account's groups, written or removed.
    GroupPolicy {
        /// The group.
        group: String,
        /// The policy's name.
        name: String,
        /// The draft, or `None` to remove it.
        document: Option<String>,
    },
    /// An inline policy of one of the caller's account's users, written or removed.
    UserPolicy {
        /// The user.
        user: String,
        /// The policy's name.
        name: String,
        /// The draft, or `None` to remove it.
        document: Option<String>,
    },
}

/// A map of two roles whose cells and trust policies all differ (so that a column mixed up
/// with another shows), for tests.
#[cfg(test)]
pub fn two_role_map() -> AccessMap {
    let trust = |account: &str| {
        format!(
            // Written as IAM's XML reads it back: keys in order, no spaces.
            r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}}}}],"Version":"2012-10-17"}}"#
        )
    };
    AccessMap {
        roles: vec![
            "arn:aws:iam::222222222222:role/A".into(),
            "arn:aws:iam::222222222222:role/B".into(),
        ],
        rows: vec![AccessRow {
            user: "David".into(),
            groups: vec!["Developers".into()],
            cells: vec![
                Access::AllowedWithMfa,
                Access::Denied("No identity policy allows sts:AssumeRole on B.".into()),
            ],
        }],
        groups: vec![GroupRow {
            group: "Developers".into(),
            members: vec!["David".into()],
            cells: vec![
                Access::Denied("The trust policy of A refuses.".into()),
                Access::Allowed,
            ],
        }],
        trust_policies: vec![trust("111111111111"), trust("333333333333")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each column's own trust policy and cells, and none for a role not on the map.
    #[test]
    fn a_role_s_column_holds_its_own_trust_policy_and_cells() {
        let map = two_role_map();
        let [a, b] = [&map.roles[0], &map.roles[1]];
        assert!(map.trust_policy(a).unwrap().contains("111111111111"));
        assert!(map.trust_policy(b).unwrap().contains("333333333333"));
        assert_eq!(
            map.cell("David", b),
            Some(&Access::Denied(
                "No identity policy allows sts:AssumeRole on B.".into()
            ))
        );
        assert_eq!(map.group_cell("Developers", b), Some(&Access::Allowed));
        assert_eq!(map.trust_policy("arn:aws:iam::222222222222:role/C"), None);
        assert_eq!(map.cell("David", "arn:aws:iam::222222222222:role/C"), None);
    }
}
