//! The role catalog: the roles a person keeps beyond the five-entry history,
//! imported from and exported to the two formats people already keep them in — the AWS CLI's
//! `~/.aws/config` (`[profile x]` with `role_arn`, `source_profile`, `mfa_serial`, …) and AWS
//! Extend Switch Roles' configuration (`aws_account_id` + `role_name`, `color`, base-account
//! sections with `target_role_name`) — by one forgiving INI reader that reports every line it
//! could not use, with its number, and keeps the rest.
//!
//! A catalog never holds a secret: access keys, secret keys and session tokens in an imported
//! file are refused line by line, and their values are never kept.
//!
//! ```
//! use crossrole_core::catalog::{export_aesr, import};
//!
//! let imported = import(
//!     "[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB\n\
//!      color = ffaa22\naws_secret_access_key = wJalr\n",
//! );
//! let entry = &imported.catalog.entries[0];
//! assert_eq!(entry.role.name.as_str(), "AccessToProdDynamoDB");
//! assert_eq!(entry.colour_from.as_deref(), Some("ffaa22"), "kept exactly, shown as the nearest palette colour");
//! assert_eq!(imported.skipped[0].line, 4, "the secret is refused");
//! assert!(!format!("{imported:?}").contains("wJalr"));
//! // An export read back is the same catalog, the exact colour too.
//! assert_eq!(import(&export_aesr(&imported.catalog)).catalog, imported.catalog);
//! ```

use serde::{Deserialize, Serialize};

use crate::arn::Arn;
use crate::colour::Colour;
use crate::link::RoleRef;
use crate::validation::{AccountRef, DisplayName};

mod export;
pub use export::*;

mod import;
pub use import::*;

pub mod search;

/// The version of the stored catalog this code writes.
pub const CATALOG_FORMAT: u32 = 1;

/// One saved role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// The profile (section) name: the entry's key, unique in a catalog.
    pub profile: String,
    /// The account, by id or alias.
    pub account: AccountRef,
    /// The role.
    pub role: RoleRef,
    /// What the console shows (the profile name unless given).
    pub display_name: DisplayName,
    /// The colour: always the palette's.
    #[serde(rename = "color", default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<Colour>,
    /// The foreign hex an imported colour was mapped from (shown, so the person knows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour_from: Option<String>,
    /// A group to sort it under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Whether it is a favourite.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    /// `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `source_profile`: the base profile it is assumed from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_profile: Option<String>,
    /// `mfa_serial`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_serial: Option<String>,
    /// `duration_seconds` (900–43200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// `external_id` (not a secret: AWS says so of external ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// `role_session_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_session_name: Option<String>,
}

impl CatalogEntry {
    /// What a switch to this entry asks for (as the Switch Role form would).
    pub fn target(&self) -> crate::form::SwitchTarget {
        crate::form::SwitchTarget {
            account: self.account.clone(),
            role: self.role.clone(),
            display_name: self.display_name.clone(),
            colour: self.colour,
        }
    }

    /// The predefined link to this entry (the Switch Role page pre-filled with its account,
    /// role, display name and colour), opening `destination` after the switch. A destination
    /// that is not a safe path on this site ([`crate::link::safe_destination`]) is left out.
    pub fn link(&self, destination: Option<&str>) -> String {
        crate::link::build_path(&crate::link::SwitchLink {
            account: Some(self.account.clone()),
            role: Some(self.role.clone()),
            display_name: Some(self.display_name.clone()),
            colour: self.colour,
            destination: destination
                .and_then(crate::link::safe_destination)
                .map(str::to_owned),
        })
    }

    /// The exact colour the entry was given, as CSS (`#ffaa22`), when it is not a palette
    /// colour: shown where the entry is shown (the navigation bar keeps the palette's
    /// nearest). Only hex digits ever come out, whatever the store held.
    pub fn exact_colour(&self) -> Option<String> {
        let hex = self.colour_from.as_deref()?;
        let valid = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
        valid.then(|| format!("#{}", hex.to_ascii_lowercase()))
    }

    /// The role's ARN, when the account is given by id.
    pub fn role_arn(&self) -> Option<String> {
        match &self.account {
            AccountRef::Id(id) => Some(Arn::role(id, &self.role.path, &self.role.name).to_string()),
            AccountRef::Alias(_) => None,
        }
    }
}

/// An AESR base account: the account (and, where given, the role) one signs in to, which
/// entries name as their `source_profile`. AESR lists those entries only while the signed-in
/// account is this one (by id or by alias) — the rule Export AESR must keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseAccount {
    /// The profile (section) name entries refer to.
    pub profile: String,
    /// `aws_account_id`: the account by id, or by alias.
    pub account: AccountRef,
    /// `aws_account_alias`: the alias, beside an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// `role_name`: the role signed in as, when the base is a role (AESR matches it too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// `target_role_name`: the role of its entries that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_role_name: Option<String>,
    /// `target_region`: the region of its entries that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_region: Option<String>,
}

/// A person's catalog, in the order imported or added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The entries; profile names are unique.
    pub entries: Vec<CatalogEntry>,
    /// The base accounts the entries name as `source_profile` (AESR's); profile names are
    /// unique.
    #[serde(default)]
    pub bases: Vec<BaseAccount>,
}

/// A line an import could not use, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Its number, from 1.
    pub line: usize,
    /// Why, for the person.
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Line {}: {}", self.line, self.reason)
    }
}

/// What an import made of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The entries read.
    pub catalog: Catalog,
    /// The lines that could not be used.
    pub skipped: Vec<Skipped>,
}

/// What changed in a catalog since a version seen before (the team catalog's diff view).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Profiles that are new.
    pub added: Vec<String>,
    /// Profiles that are gone.
    pub removed: Vec<String>,
    /// Profiles whose role, account, name, colour or settings changed.
    pub changed: Vec<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl Catalog {
    /// What changed from `seen` to this catalog, by profile.
    pub fn changes_since(&self, seen: &Catalog) -> Changes {
        let find = |c: &Catalog, p: &str| c.entries.iter().find(|e| e.profile == p).cloned();
        let mut changes = Changes::default();
        for e in &self.entries {
            match find(seen, &e.profile) {
                None => changes.added.push(e.profile.clone()),
                Some(before) if before != *e => changes.changed.push(e.profile.clone()),
                Some(_) => {}
            }
        }
        for e in &seen.entries {
            if find(self, &e.profile).is_none() {
                changes.removed.push(e.profile.clone());
            }
        }
        changes
    }

    /// A catalog entry for a role from the history ("Pin to catalog"): its profile name made
    /// from the display name (letters, digits and `-`, unique here).
    pub fn entry_for(&self, h: &crate::history::HistoryEntry) -> CatalogEntry {
        let base: String = h
            .display_name
            .as_str()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .trim_matches('-')
            .to_owned();
        let base = if base.is_empty() {
            h.role.name.to_string()
        } else {
            base
        };
        let mut profile = base.clone();
        let mut n = 2;
        while self.entries.iter().any(|e| e.profile == profile) {
            profile = format!("{base}-{n}");
            n += 1;
        }
        CatalogEntry {
            profile,
            account: h.account.clone(),
            role: h.role.clone(),
            display_name: h.display_name.clone(),
            colour: h.colour,
            colour_from: None,
            group: None,
            favourite: false,
            region: None,
            source_profile: None,
            mfa_serial: None,
            duration_seconds: None,
            external_id: None,
            role_session_name: None,
        }
    }

    /// What a session of `role` in `account` is shown as: the catalog's entry for it (its
    /// display name and colour), or the default name without a colour.
    pub fn target_for(&self, account: &AccountRef, role: &RoleRef) -> crate::form::SwitchTarget {
        self.entries
            .iter()
            .find(|e| &e.account == account && &e.role == role)
            .map(CatalogEntry::target)
            .unwrap_or_else(|| crate::form::SwitchTarget {
                account: account.clone(),
                role: role.clone(),
                display_name: crate::link::default_display_name(role, account),
                colour: None,
            })
    }

    /// Whether the catalog holds `account` and `role` already.
    pub fn holds(&self, account: &AccountRef, role: &RoleRef) -> bool {
        self.entries
            .iter()
            .any(|e| &e.account == account && &e.role == role)
    }

    /// Adds `imported` beneath the entries kept: a profile already here is kept as it is.
    /// Answers how many were added.
    pub fn merge(&mut self, imported: Catalog) -> usize {
        let before = self.entries.len();
        for e in imported.entries {
            if !self.entries.iter().any(|k| k.profile == e.profile) {
                self.entries.push(e);
            }
        }
        // Base accounts likewise: one already here is kept.
        for b in imported.bases {
            if !self.bases.iter().any(|k| k.profile == b.profile) {
                self.bases.push(b);
            }
        }
        self.entries.len() - before
    }

    /// The base account named `profile`, if the catalog knows it.
    pub fn base(&self, profile: &str) -> Option<&BaseAccount> {
        self.bases.iter().find(|b| b.profile == profile)
    }

    /// Whether an entry names the base account `profile` as its `source_profile` (AESR shows
    /// nothing from a base no entry names).
    pub fn names_base(&self, profile: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.source_profile.as_deref() == Some(profile))
    }

    /// Removes the entry of `profile` and hands it back with its place, for an Undo
    /// ([`Catalog::restore`]).
    pub fn take(&mut self, profile: &str) -> Option<(usize, CatalogEntry)> {
        let at = self.entries.iter().position(|e| e.profile == profile)?;
        Some((at, self.entries.remove(at)))
    }

    /// Puts back an entry [`Catalog::take`] removed, at its place (or last), unless its
    /// profile is taken again (an import since): the entry there now stays.
    pub fn restore(&mut self, at: usize, entry: CatalogEntry) -> bool {
        if self.entries.iter().any(|e| e.profile == entry.profile) {
            return false;
        }
        self.entries.insert(at.min(self.entries.len()), entry);
        true
    }

    /// Removes the entry of `profile`; answers whether there was one.
    pub fn remove(&mut self, profile: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.profile != profile);
        self.entries.len() != before
    }

    /// The stored form: versioned JSON.
    pub fn encode(&self) -> String {
        serde_json::json!({ "version": CATALOG_FORMAT, "entries": self.entries, "bases": self.bases })
            .to_string()
    }

    /// Reads the stored form, keeping every valid entry (a corrupt one is skipped); `None` when
    /// it is not a catalog at all or from a newer version.
    pub fn decode(text: &str) -> Option<(Catalog, usize)> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        if value.get("version")?.as_u64()? != u64::from(CATALOG_FORMAT) {
            return None;
        }
        let mut catalog = Catalog::default();
        let mut bad = 0;
        for e in value.get("entries")?.as_array()? {
            match serde_json::from_value::<CatalogEntry>(e.clone()) {
                Ok(e) if !catalog.entries.iter().any(|k| k.profile == e.profile) => {
                    catalog.entries.push(e)
                }
                _ => bad += 1,
            }
        }
        // Base accounts: an unreadable one is dropped (its entries show as AESR would
        // without it), and not counted as an entry lost.
        for b in value
            .get("bases")
            .and_then(|b| b.as_array())
            .into_iter()
            .flatten()
        {
            if let Ok(b) = serde_json::from_value::<BaseAccount>(b.clone()) {
                if catalog.base(&b.profile).is_none() {
                    catalog.bases.push(b);
                }
            }
        }
        Some((catalog, bad))
    }
}

// Property tests run natively only (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

#[cfg(test)]
mod entry_tests;
