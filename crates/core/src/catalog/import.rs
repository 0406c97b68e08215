//! Reading a catalog from `~/.aws/config` or AWS Extend Switch Roles' configuration: one INI
//! reader for both, naming every line it skips and why.

use super::*;

/// Keys whose values are secrets: refused, never kept.
pub(super) const SECRET_KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// One `[section]` as read.
#[derive(Default)]
pub(super) struct Section {
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
pub(super) fn sections(text: &str, skipped: &mut Vec<Skipped>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = without_comment(raw).trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let inner = inner.trim();
            // `[profile x]` (AWS config, AESR; AESR takes `Profile` and any spacing too) or
            // `[x]` (AESR, and the CLI's `[default]`); `[profilex]` is a profile "profilex".
            let name = match inner.get(..7).zip(inner.get(7..)) {
                Some((word, rest))
                    if word.eq_ignore_ascii_case("profile")
                        && rest.starts_with(char::is_whitespace) =>
                {
                    rest.trim()
                }
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
        if value.is_empty() {
            // `color = #83d4e8` is a comment after `color =` in AESR's grammar.
            let reason = if raw.contains(['#', ';']) {
                format!("{key} has no value: from # or ; on, a line is a comment (write a color's hex without #)")
            } else {
                format!("{key} has no value")
            };
            skipped.push(Skipped { line, reason });
            continue;
        }
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

/// A line without its comment: from the first `#` or `;` to the end, wherever it stands —
/// after a section header or a value too — as AESR's loader reads it (its
/// `load_aws_config.js` strips `[;#].*$` from every line; its README's example is
/// `role_name = Manager ; overrides target role name`). One addition: inside double quotes
/// neither starts a comment, so that a value crossrole exports in quotes (a display name with a
/// `#`) reads back whole.
pub(super) fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => return &line[..at],
            _ => {}
        }
    }
    line
}

/// AESR writes some values in quotes (`image = "https://…"`).
pub(super) fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
}

/// The settings an entry reads; anything else is reported.
pub(super) const KNOWN_KEYS: [&str; 16] = [
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
        // AESR's base accounts: an account (and perhaps the role signed in as) named by
        // aws_account_id that names no source itself — with no role, or with one that other
        // profiles name as their source (AESR lists such a profile as a base, not as a role
        // to switch to). A CLI profile with role_arn that others name stays an entry (role
        // chaining).
        let referenced = sections.iter().any(|other| {
            other.get("source_profile").map(|(n, _)| n) == Some(section.name.as_str())
        });
        if !names_source
            && section.get("role_arn").is_none()
            && section.get("aws_account_id").is_some()
            && (!has_role(section) || referenced)
        {
            match base_of(section) {
                Ok(b) => catalog.bases.push(b),
                Err(problem) => skipped.push(problem),
            }
            continue;
        }
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

/// A base account's section read (see [`BaseAccount`]).
fn base_of(s: &Section) -> Result<BaseAccount, Skipped> {
    let (account, line) = s.get("aws_account_id").ok_or_else(|| Skipped {
        line: s.line,
        reason: "aws_account_id is missing".into(),
    })?;
    let account = AccountRef::parse(account).map_err(|e| Skipped {
        line,
        reason: format!("aws_account_id {account:?}: {e}"),
    })?;
    let text = |key: &str| s.get(key).map(|(v, _)| v.to_owned());
    Ok(BaseAccount {
        profile: s.name.clone(),
        account,
        alias: text("aws_account_alias"),
        role_name: text("role_name"),
        target_role_name: text("target_role_name"),
        target_region: text("target_region"),
    })
}

pub(super) fn entry_of<'a>(
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
