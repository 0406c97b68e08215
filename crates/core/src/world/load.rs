//! Loading a world document: parsing with the path to any bad element, and the checks
//! serde cannot make (format, uniqueness, references, policy shapes, seeds).

use std::collections::BTreeSet;

use super::*;

/// Why a world document could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WorldError {
    /// Where in the document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn world_err(path: impl Into<String>, message: impl Into<String>) -> WorldError {
    WorldError {
        path: path.into(),
        message: message.into(),
    }
}

impl World {
    /// Loads and checks a world document.
    pub fn from_json(text: &str) -> Result<World, WorldError> {
        let _sharing = SharingDocuments::start();
        let mut de = serde_json::Deserializer::from_str(text);
        let world: World = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            world_err(path, e.into_inner().to_string())
        })?;
        world.check()?;
        Ok(world)
    }

    /// The world as a document (without sessions), pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a world always serialises")
    }

    /// Checks everything serde cannot: format, uniqueness, references, policy shapes, seeds.
    pub fn check(&self) -> Result<(), WorldError> {
        if self.format != WORLD_FORMAT {
            return Err(world_err(
                "format",
                format!("unsupported format {}", self.format),
            ));
        }
        let mut ids = BTreeSet::new();
        let mut aliases = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (ai, account) in self.accounts.iter().enumerate() {
            let at = format!("accounts[{ai}]");
            if !ids.insert(&account.id) {
                return Err(world_err(format!("{at}.id"), "duplicate account id"));
            }
            if let Some(alias) = &account.alias {
                if !aliases.insert(alias) {
                    return Err(world_err(format!("{at}.alias"), "duplicate account alias"));
                }
            }
            unique(
                account.users.iter().map(|u| u.name.as_str()),
                &format!("{at}.users"),
            )?;
            unique(
                account.groups.iter().map(|g| g.name.as_str()),
                &format!("{at}.groups"),
            )?;
            unique(
                account.roles.iter().map(|r| r.name.as_str()),
                &format!("{at}.roles"),
            )?;
            unique(
                account.tables.iter().map(|t| t.name.as_str()),
                &format!("{at}.tables"),
            )?;
            for (ui, user) in account.users.iter().enumerate() {
                let at = format!("{at}.users[{ui}]");
                for group in &user.groups {
                    if account.group(group.as_str()).is_none() {
                        return Err(world_err(
                            format!("{at}.groups"),
                            format!("no group {:?} in this account", group.as_str()),
                        ));
                    }
                }
                for key in &user.access_keys {
                    if !keys.insert(key.id.clone()) {
                        return Err(world_err(
                            format!("{at}.accessKeys"),
                            format!("duplicate access key id {}", key.id),
                        ));
                    }
                }
                if let Some(mfa) = &user.mfa {
                    Totp::from_base32(mfa.seed.expose())
                        .map_err(|e| world_err(format!("{at}.mfa.seed"), e.to_string()))?;
                }
                identity_policies(&user.policies, &format!("{at}.policies"))?;
                self.check_attached(&user.attached_policies, &at)?;
                self.check_boundary(user.permissions_boundary.as_deref(), &at)?;
            }
            for (gi, group) in account.groups.iter().enumerate() {
                identity_policies(&group.policies, &format!("{at}.groups[{gi}].policies"))?;
                self.check_attached(&group.attached_policies, &format!("{at}.groups[{gi}]"))?;
            }
            unique(
                account.policies.iter().map(|p| p.name.as_str()),
                &format!("{at}.policies"),
            )?;
            for (pi, policy) in account.policies.iter().enumerate() {
                let at = format!("{at}.policies[{pi}]");
                crate::validation::PolicyName::parse(&policy.name)
                    .map_err(|e| world_err(format!("{at}.name"), e.to_string()))?;
                policy
                    .document
                    .policy
                    .check_identity_policy()
                    .map_err(|e| world_err(format!("{at}.document.{}", e.path), e.message))?;
            }
            for (ri, role) in account.roles.iter().enumerate() {
                let at = format!("{at}.roles[{ri}]");
                if !(3600..=43_200).contains(&role.max_session_duration) {
                    return Err(world_err(
                        format!("{at}.maxSessionDuration"),
                        "must be 3600–43200 seconds",
                    ));
                }
                role.trust_policy
                    .policy
                    .check_trust_policy()
                    .map_err(|e| world_err(format!("{at}.trustPolicy.{}", e.path), e.message))?;
                identity_policies(&role.policies, &format!("{at}.policies"))?;
                self.check_attached(&role.attached_policies, &at)?;
                self.check_boundary(role.permissions_boundary.as_deref(), &at)?;
            }
            for (ti, table) in account.tables.iter().enumerate() {
                let at = format!("{at}.tables[{ti}]");
                for (ii, item) in table.items.iter().enumerate() {
                    for key in std::iter::once(&table.hash_key).chain(&table.range_key) {
                        let typed = item.get(&key.name).and_then(|v| v.get(&key.kind));
                        if typed.is_none() {
                            return Err(world_err(
                                format!("{at}.items[{ii}]"),
                                format!("missing key attribute {} of type {}", key.name, key.kind),
                            ));
                        }
                    }
                }
            }
        }
        if let Some(org) = &self.organization {
            self.check_organization(org)?;
        }
        Ok(())
    }

    fn check_attached(&self, arns: &[String], at: &str) -> Result<(), WorldError> {
        for (i, arn) in arns.iter().enumerate() {
            if self.managed_policy(arn).is_none() {
                return Err(world_err(
                    format!("{at}.attachedPolicies[{i}]"),
                    format!("no managed policy {arn}"),
                ));
            }
        }
        Ok(())
    }

    fn check_boundary(&self, arn: Option<&str>, at: &str) -> Result<(), WorldError> {
        match arn {
            Some(arn) if self.managed_policy(arn).is_none() => Err(world_err(
                format!("{at}.permissionsBoundary"),
                format!("no managed policy {arn}"),
            )),
            _ => Ok(()),
        }
    }

    fn check_organization(&self, org: &crate::world::Organization) -> Result<(), WorldError> {
        if self.account(&org.management_account).is_none() {
            return Err(world_err(
                "organization.managementAccount",
                "not an account of this world",
            ));
        }
        unique(
            org.policies.iter().map(|p| p.name.as_str()),
            "organization.policies",
        )?;
        for (i, p) in org.policies.iter().enumerate() {
            p.document.policy.check_identity_policy().map_err(|e| {
                world_err(
                    format!("organization.policies[{i}].document.{}", e.path),
                    e.message,
                )
            })?;
        }
        let mut seen = BTreeSet::new();
        fn walk<'o>(
            world: &World,
            org: &'o crate::world::Organization,
            unit: &'o crate::world::OrgUnit,
            at: &str,
            seen: &mut BTreeSet<&'o crate::validation::AccountId>,
        ) -> Result<(), WorldError> {
            let known = |names: &[String], at: &str| {
                for (i, name) in names.iter().enumerate() {
                    if name != crate::world::FULL_AWS_ACCESS && org.policy(name).is_none() {
                        return Err(world_err(
                            format!("{at}.policies[{i}]"),
                            format!("no SCP {name:?}"),
                        ));
                    }
                }
                Ok(())
            };
            known(&unit.policies, at)?;
            for (i, a) in unit.accounts.iter().enumerate() {
                let at = format!("{at}.accounts[{i}]");
                if world.account(&a.id).is_none() {
                    return Err(world_err(
                        format!("{at}.id"),
                        "not an account of this world",
                    ));
                }
                if !seen.insert(&a.id) {
                    return Err(world_err(
                        format!("{at}.id"),
                        "the account is elsewhere in the organization too",
                    ));
                }
                known(&a.policies, &at)?;
            }
            for (i, u) in unit.units.iter().enumerate() {
                walk(world, org, u, &format!("{at}.units[{i}]"), seen)?;
            }
            Ok(())
        }
        walk(self, org, &org.root, "organization.root", &mut seen)
    }
}

fn unique<'a>(names: impl Iterator<Item = &'a str>, path: &str) -> Result<(), WorldError> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(world_err(path, format!("duplicate name {name:?}")));
        }
    }
    Ok(())
}

fn identity_policies(policies: &Policies, path: &str) -> Result<(), WorldError> {
    for (name, doc) in policies {
        doc.policy
            .check_identity_policy()
            .map_err(|e| world_err(format!("{path}.{name}.{}", e.path), e.message))?;
    }
    Ok(())
}

/// The demo world every test starts from (`public/demo-world.json`).
pub const DEMO_WORLD_JSON: &str = include_str!("../../../../public/demo-world.json");

/// Loads the demo world.
pub fn demo_world() -> World {
    World::from_json(DEMO_WORLD_JSON).expect("the demo world is valid")
}
