//! The role catalog (issue 14): the roles a person keeps beyond the five-entry history,
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
//! assert_eq!(entry.colour_from.as_deref(), Some("ffaa22"), "the nearest palette colour, shown so");
//! assert_eq!(imported.skipped[0].line, 4, "the secret is refused");
//! assert!(!format!("{imported:?}").contains("wJalr"));
//! assert_eq!(import(&export_aesr(&imported.catalog)).catalog, {
//!     let mut c = imported.catalog.clone();
//!     c.entries[0].colour_from = None;
//!     c
//! });
//! ```

use serde::{Deserialize, Serialize};

use crate::arn::Arn;
use crate::colour::Colour;
use crate::link::RoleRef;
use crate::validation::{AccountRef, DisplayName};

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

    /// The role's ARN, when the account is given by id.
    pub fn role_arn(&self) -> Option<String> {
        match &self.account {
            AccountRef::Id(id) => Some(Arn::role(id, &self.role.path, &self.role.name).to_string()),
            AccountRef::Alias(_) => None,
        }
    }
}

/// A person's catalog, in the order imported or added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The entries; profile names are unique.
    pub entries: Vec<CatalogEntry>,
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

/// Keys whose values are secrets: refused, never kept.
const SECRET_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// One `[section]` as read.
#[derive(Default)]
struct Section {
    name: String,
    line: usize,
    values: Vec<(String, String, usize)>,
}

impl Section {
    fn get(&self, key: &str) -> Option<(&str, usize)> {
        self.values
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, line)| (v.as_str(), *line))
    }
}

/// Reads the INI text both formats share into sections, reporting what is not INI.
fn sections(text: &str, skipped: &mut Vec<Skipped>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let inner = inner.trim();
            // `[profile x]` (AWS config, AESR) or `[x]` (AESR, and the CLI's `[default]`).
            let name = match inner.strip_prefix("profile") {
                Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim(),
                _ => inner,
            };
            if name.is_empty() || name.contains(['[', ']']) {
                skipped.push(Skipped {
                    line,
                    reason: "not a section name".into(),
                });
                continue;
            }
            if out.iter().any(|s| s.name == name) {
                skipped.push(Skipped {
                    line,
                    reason: format!("profile {name:?} is defined again (the first is kept)"),
                });
                // Its settings go nowhere: an unnamed section nobody reads.
                out.push(Section {
                    name: String::new(),
                    line,
                    values: Vec::new(),
                });
                continue;
            }
            out.push(Section {
                name: name.to_owned(),
                line,
                values: Vec::new(),
            });
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            skipped.push(Skipped {
                line,
                reason: "not a setting (key = value) or a [section]".into(),
            });
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = unquote(value.trim());
        let Some(section) = out.last_mut() else {
            skipped.push(Skipped {
                line,
                reason: "a setting outside any [profile] section".into(),
            });
            continue;
        };
        if section.name.is_empty() {
            continue;
        }
        if SECRET_KEYS.contains(&key.as_str()) {
            skipped.push(Skipped {
                line,
                reason: format!("{key}: credentials are never imported"),
            });
            continue;
        }
        if section.get(&key).is_some() {
            skipped.push(Skipped {
                line,
                reason: format!("{key} is given again (the first is kept)"),
            });
            continue;
        }
        section.values.push((key, value.to_owned(), line));
    }
    out.retain(|s| !s.name.is_empty());
    out
}

/// AESR writes some values in quotes (`image = "https://…"`).
fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
}

/// The settings an entry reads; anything else is reported.
const KNOWN_KEYS: [&str; 16] = [
    "role_arn",
    "aws_account_id",
    "role_name",
    "source_profile",
    "mfa_serial",
    "region",
    "duration_seconds",
    "external_id",
    "role_session_name",
    "color",
    "display_name",
    "group",
    "favourite",
    "aws_account_alias",
    "target_role_name",
    "target_region",
];

/// Reads a catalog from either format (they share one grammar: see the module's doc). Base
/// profiles (no role: the account one signs in to) are not entries; their
/// `target_role_name` and `target_region` fill the entries that name them as
/// `source_profile`, as AESR does.
pub fn import(text: &str) -> Imported {
    let mut skipped = Vec::new();
    let sections = sections(text, &mut skipped);
    let mut catalog = Catalog::default();
    let has_role = |s: &Section| s.get("role_arn").is_some() || s.get("role_name").is_some();
    for section in &sections {
        for (key, _, line) in &section.values {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                let reason = if key == "image" {
                    "image: pictures are not shown (crossrole shows only text)".to_owned()
                } else {
                    format!("{key} is not a role setting crossrole keeps")
                };
                skipped.push(Skipped {
                    line: *line,
                    reason,
                });
            }
        }
        let base = section
            .get("source_profile")
            .and_then(|(name, _)| sections.iter().find(|s| s.name == name));
        let inherited = |key: &str| base.and_then(|b| b.get(key)).map(|(v, _)| v);
        let names_source = section.get("source_profile").is_some();
        if !has_role(section) && section.get("aws_account_id").is_none() && !names_source {
            continue; // a base profile, or the CLI's [default]
        }
        if !has_role(section) && inherited("target_role_name").is_none() {
            if names_source {
                skipped.push(Skipped {
                    line: section.line,
                    reason: format!(
                        "profile {:?} names no role (role_arn, or aws_account_id and role_name)",
                        section.name
                    ),
                });
            }
            continue; // an AESR base account
        }
        match entry_of(section, inherited) {
            Ok(entry) => catalog.entries.push(entry),
            Err(problem) => skipped.push(problem),
        }
    }
    skipped.sort_by_key(|s| s.line);
    Imported { catalog, skipped }
}

fn entry_of<'a>(
    s: &Section,
    inherited: impl Fn(&str) -> Option<&'a str>,
) -> Result<CatalogEntry, Skipped> {
    let at = |line: usize, reason: String| Skipped { line, reason };
    let (account, role) = match s.get("role_arn") {
        Some((arn, line)) => match arn.parse::<Arn>() {
            Ok(Arn::Role {
                account,
                path,
                name,
            }) => (AccountRef::Id(account), RoleRef { path, name }),
            _ => return Err(at(line, format!("role_arn {arn:?} is not a role ARN"))),
        },
        None => {
            let (account, line) = s
                .get("aws_account_id")
                .ok_or_else(|| at(s.line, "aws_account_id is missing".into()))?;
            let account = AccountRef::parse(account)
                .map_err(|e| at(line, format!("aws_account_id {account:?}: {e}")))?;
            let (name, line) = s
                .get("role_name")
                .or_else(|| inherited("target_role_name").map(|n| (n, s.line)))
                .ok_or_else(|| at(s.line, "role_name is missing".into()))?;
            let role =
                RoleRef::parse(name).map_err(|e| at(line, format!("role_name {name:?}: {e}")))?;
            (account, role)
        }
    };
    let text = |key: &str| s.get(key).map(|(v, _)| v.to_owned());
    let display_name = match s.get("display_name") {
        Some((d, line)) => {
            DisplayName::parse(d).map_err(|e| at(line, format!("display_name: {e}")))?
        }
        None => DisplayName::truncating(&s.name)
            .unwrap_or_else(|| crate::link::default_display_name(&role, &account)),
    };
    let (colour, colour_from) = match s.get("color") {
        None => (None, None),
        Some((hex, line)) => match nearest_colour(hex) {
            Some((c, true)) => (Some(c), None),
            Some((c, false)) => (
                Some(c),
                Some(hex.trim_start_matches('#').to_ascii_lowercase()),
            ),
            None => return Err(at(line, format!("color {hex:?} is not a hex colour"))),
        },
    };
    let duration_seconds = match s.get("duration_seconds") {
        None => None,
        Some((d, line)) => match d.parse::<u32>() {
            Ok(n) if (900..=43_200).contains(&n) => Some(n),
            _ => {
                return Err(at(
                    line,
                    format!("duration_seconds {d:?} must be 900 to 43200"),
                ))
            }
        },
    };
    let favourite = match s.get("favourite") {
        None => false,
        Some((v, line)) => match v.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(at(line, format!("favourite {v:?} must be true or false"))),
        },
    };
    Ok(CatalogEntry {
        profile: s.name.clone(),
        account,
        role,
        display_name,
        colour,
        colour_from,
        group: text("group"),
        favourite,
        region: text("region").or_else(|| inherited("target_region").map(str::to_owned)),
        source_profile: text("source_profile"),
        mfa_serial: text("mfa_serial"),
        duration_seconds,
        external_id: text("external_id"),
        role_session_name: text("role_session_name"),
    })
}

/// The palette colour nearest to a hex colour (`ffaa22`, `#FA2`) by distance in RGB, and
/// whether it is exactly that colour; `None` when the text is not a colour.
pub fn nearest_colour(hex: &str) -> Option<(Colour, bool)> {
    let digits = hex.trim().trim_start_matches('#');
    let full: String = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_owned(),
        _ => return None,
    };
    let rgb = |h: &str| -> Option<[i32; 3]> {
        let n = u32::from_str_radix(h, 16).ok()?;
        Some([
            (n >> 16) as i32 & 255,
            (n >> 8) as i32 & 255,
            n as i32 & 255,
        ])
    };
    let target = rgb(&full)?;
    Colour::ALL
        .into_iter()
        .map(|c| {
            let p = rgb(c.hex()).expect("the palette is hex");
            let d: i32 = p.iter().zip(target).map(|(a, b)| (a - b) * (a - b)).sum();
            (c, d)
        })
        .min_by_key(|(_, d)| *d)
        .map(|(c, d)| (c, d == 0))
}

/// How an export writes a section's header and its role.
#[derive(Clone, Copy)]
enum Flavour {
    AwsConfig,
    Aesr,
}

fn export(catalog: &Catalog, flavour: Flavour) -> String {
    let mut out = String::new();
    for e in &catalog.entries {
        let mut lines: Vec<(&str, String)> = Vec::new();
        match (flavour, &e.account) {
            (Flavour::AwsConfig, AccountRef::Id(id)) => {
                out.push_str(&format!("[profile {}]\n", e.profile));
                lines.push((
                    "role_arn",
                    Arn::role(id, &e.role.path, &e.role.name).to_string(),
                ));
            }
            (Flavour::AwsConfig, AccountRef::Alias(_)) => {
                // The CLI needs an account id; the alias is kept as AESR writes it.
                out.push_str("; the AWS CLI needs the account id in role_arn for this profile\n");
                out.push_str(&format!("[profile {}]\n", e.profile));
                lines.push(("aws_account_id", e.account.to_string()));
                lines.push(("role_name", e.role.to_text()));
            }
            (Flavour::Aesr, account) => {
                out.push_str(&format!("[{}]\n", e.profile));
                lines.push(("aws_account_id", account.to_string()));
                lines.push(("role_name", e.role.to_text()));
            }
        }
        let optional = [
            ("source_profile", e.source_profile.clone()),
            ("mfa_serial", e.mfa_serial.clone()),
            ("region", e.region.clone()),
            (
                "duration_seconds",
                e.duration_seconds.map(|d| d.to_string()),
            ),
            ("external_id", e.external_id.clone()),
            ("role_session_name", e.role_session_name.clone()),
            ("color", e.colour.map(|c| c.hex().to_owned())),
            (
                "display_name",
                (e.display_name.as_str() != e.profile).then(|| e.display_name.to_string()),
            ),
            ("group", e.group.clone()),
            ("favourite", e.favourite.then(|| "true".to_owned())),
        ];
        lines.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        for (k, v) in lines {
            out.push_str(&format!("{k} = {v}\n"));
        }
        out.push('\n');
    }
    out
}

/// The catalog as `~/.aws/config` profiles (`[profile x]`, `role_arn`, …; crossrole's own
/// `color`, `display_name`, `group` and `favourite`, which the CLI ignores).
pub fn export_aws_config(catalog: &Catalog) -> String {
    export(catalog, Flavour::AwsConfig)
}

/// The catalog in AWS Extend Switch Roles' format (`[x]`, `aws_account_id`, `role_name`,
/// `color`, …).
pub fn export_aesr(catalog: &Catalog) -> String {
    export(catalog, Flavour::Aesr)
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
        self.entries.len() - before
    }

    /// Removes the entry of `profile`; answers whether there was one.
    pub fn remove(&mut self, profile: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.profile != profile);
        self.entries.len() != before
    }

    /// The stored form: versioned JSON.
    pub fn encode(&self) -> String {
        serde_json::json!({ "version": CATALOG_FORMAT, "entries": self.entries }).to_string()
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
        Some((catalog, bad))
    }
}

// Property tests run natively only (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
