//! Writing a catalog as `~/.aws/config` or AWS Extend Switch Roles' configuration.

use super::*;

/// How an export writes a section's header and its role.
#[derive(Clone, Copy)]
pub(super) enum Flavour {
    AwsConfig,
    Aesr,
}

pub(super) fn export(catalog: &Catalog, flavour: Flavour) -> String {
    let mut out = String::new();
    if let Flavour::Aesr = flavour {
        out.push_str(&bases(catalog));
    }
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
        // AESR lists an entry that names a source only while one signs in to that base
        // account: without the base's section it would never show, so there it names none.
        let source = match flavour {
            Flavour::AwsConfig => e.source_profile.clone(),
            Flavour::Aesr => e
                .source_profile
                .clone()
                .filter(|p| catalog.base(p).is_some()),
        };
        let optional = [
            ("source_profile", source),
            ("mfa_serial", e.mfa_serial.clone()),
            ("region", e.region.clone()),
            (
                "duration_seconds",
                e.duration_seconds.map(|d| d.to_string()),
            ),
            ("external_id", e.external_id.clone()),
            ("role_session_name", e.role_session_name.clone()),
            // The exact hex the entry was given, where it was not the palette's.
            (
                "color",
                e.colour_from
                    .clone()
                    .or_else(|| e.colour.map(|c| c.hex().to_owned())),
            ),
            (
                "display_name",
                (e.display_name.as_str() != e.profile).then(|| e.display_name.to_string()),
            ),
            ("group", e.group.clone()),
            ("favourite", e.favourite.then(|| "true".to_owned())),
        ];
        lines.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        for (k, v) in lines {
            out.push_str(&format!("{k} = {}\n", quoted_if_needed(&v)));
        }
        out.push('\n');
    }
    out
}

/// AESR's base sections for the base accounts the entries name (those no entry names are
/// left out: AESR would show nothing from them).
fn bases(catalog: &Catalog) -> String {
    let mut out = String::new();
    for b in &catalog.bases {
        if !catalog.names_base(&b.profile) {
            continue;
        }
        out.push_str(&format!("[{}]\n", b.profile));
        let lines = [
            ("aws_account_id", Some(b.account.to_string())),
            ("aws_account_alias", b.alias.clone()),
            ("role_name", b.role_name.clone()),
            ("target_role_name", b.target_role_name.clone()),
            ("target_region", b.target_region.clone()),
        ];
        for (k, v) in lines.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))) {
            out.push_str(&format!("{k} = {}\n", quoted_if_needed(&v)));
        }
        out.push('\n');
    }
    out
}

/// `value` as a setting's value that reads back whole: in double quotes when it holds a `#`
/// or `;` (which would start a comment) or starts and ends with a quote (which would be taken
/// off); as it is otherwise.
fn quoted_if_needed(value: &str) -> String {
    let quotes = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    if value.contains(['#', ';']) || quotes {
        format!("\"{value}\"")
    } else {
        value.to_owned()
    }
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
