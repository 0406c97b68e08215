//! Predefined switch-role links: `/switchrole?account=…&roleName=…&displayName=…&color=…`.
//!
//! A link only pre-fills the Switch Role form; it never switches by itself. Parsing is
//! forgiving: unknown parameters are ignored, and an invalid field is reported on its own
//! while every valid field is kept, so the form can show what was right and mark what was not.

use serde::{Deserialize, Serialize};

use crate::colour::Colour;
use crate::validation::{AccountRef, DisplayName, IamPath, InvalidField, RoleName};

/// The path the console serves the Switch Role page at.
pub const SWITCH_ROLE_PATH: &str = "/switchrole";

/// A role as the console names it: optional path plus name (`division/RoleName` in a link).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleRef {
    /// The role's IAM path (`/` when none).
    pub path: IamPath,
    /// The role's name (case-sensitive).
    pub name: RoleName,
}

impl RoleRef {
    /// Parses `name`, `path/name` or `/path/name`; path and name together may have at most
    /// 64 characters (the AWS console's limit).
    pub fn parse(text: &str) -> Result<Self, InvalidField> {
        let text = text.strip_prefix('/').unwrap_or(text);
        let (path, name) = match text.rfind('/') {
            Some(cut) => (
                IamPath::parse(&format!("/{}", &text[..=cut]))?,
                RoleName::parse(&text[cut + 1..])?,
            ),
            None => (IamPath::default(), RoleName::parse(text)?),
        };
        let role = RoleRef { path, name };
        if role.to_text().len() > 64 {
            return Err(InvalidField::RoleTooLong);
        }
        Ok(role)
    }

    /// The link form: `name`, or `path/name` without the leading slash.
    pub fn to_text(&self) -> String {
        format!("{}{}", &self.path.as_str()[1..], self.name)
    }
}

/// The fields of a switch link. Every field is optional: a link may pre-fill only some.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchLink {
    /// The account, by id or alias, as written in the link.
    pub account: Option<AccountRef>,
    /// The role.
    pub role: Option<RoleRef>,
    /// The display name.
    pub display_name: Option<DisplayName>,
    /// The display colour.
    pub colour: Option<Colour>,
    /// Where to go once switched: a path on this site (`/dynamodb?table=GameScores`).
    pub destination: Option<String>,
}

/// A field of a switch link, for reporting which one was invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkField {
    /// `account`.
    Account,
    /// `roleName`.
    RoleName,
    /// `displayName`.
    DisplayName,
    /// `color`.
    Colour,
    /// `destination`.
    Destination,
}

impl LinkField {
    /// Every field, in the order a link writes them.
    pub const ALL: [LinkField; 5] = [
        LinkField::Account,
        LinkField::RoleName,
        LinkField::DisplayName,
        LinkField::Colour,
        LinkField::Destination,
    ];

    /// The query parameter's name.
    pub fn param(self) -> &'static str {
        match self {
            LinkField::Account => "account",
            LinkField::RoleName => "roleName",
            LinkField::DisplayName => "displayName",
            LinkField::Colour => "color",
            LinkField::Destination => "destination",
        }
    }
}

/// Why a link's field was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkFieldError {
    /// The field's text breaks its rule.
    #[error(transparent)]
    Invalid(#[from] InvalidField),
    /// The colour is not one of the palette's five.
    #[error(transparent)]
    Colour(#[from] crate::colour::NotInPalette),
    /// The destination is not a path on this site (an open redirect refused).
    #[error("Destination must be a path on this site, such as /dynamodb?table=GameScores")]
    Destination,
}

/// The result of reading a link: the valid fields, and an error for each invalid one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedLink {
    /// The fields that were valid.
    pub link: SwitchLink,
    /// One entry per field that was present but invalid, in parameter order.
    pub errors: Vec<(LinkField, LinkFieldError)>,
    /// The text of each invalid field, as the link wrote it (so a form can show it).
    pub rejected: Vec<(LinkField, String)>,
}

impl ParsedLink {
    /// The error for `field`, if it was invalid.
    pub fn error(&self, field: LinkField) -> Option<&LinkFieldError> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    /// The text the link gave `field`, if that field was invalid.
    pub fn rejected_text(&self, field: LinkField) -> Option<&str> {
        self.rejected
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, t)| t.as_str())
    }
}

/// The first value of `key` in a query string (with or without the leading `?`), decoded
/// once. (The router's own query map decodes values a second time, so `%2541` would arrive as
/// `A`; a link's text must arrive exactly as written.)
pub fn query_param(query: &str, key: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Reads a link's query string (with or without the leading `?`). Values are decoded once and
/// trimmed; the first occurrence of a parameter wins; empty parameters count as absent;
/// unknown ones are ignored.
///
/// ```
/// use crossrole_core::link::{build_path, parse_query, LinkField};
///
/// let parsed = parse_query("?account=example-prod&roleName=ops/ProdOperator&color=purple");
/// assert_eq!(parsed.link.role.as_ref().unwrap().path.as_str(), "/ops/");
/// assert!(parsed.error(LinkField::Colour).is_some());
/// // Built back, the valid fields make the same link.
/// assert_eq!(
///     build_path(&parsed.link),
///     "/switchrole?account=example-prod&roleName=ops%2FProdOperator"
/// );
/// ```
pub fn parse_query(query: &str) -> ParsedLink {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut seen = Vec::new();
    let mut parsed = ParsedLink::default();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim();
        // Parameter names are the AWS console's, exactly (case-sensitive).
        let Some(field) = LinkField::ALL.into_iter().find(|f| f.param() == key) else {
            continue;
        };
        if seen.contains(&field) || value.is_empty() {
            continue;
        }
        seen.push(field);
        let link = &mut parsed.link;
        let result: Result<(), LinkFieldError> = match field {
            LinkField::Account => AccountRef::parse(value)
                .map(|v| link.account = Some(v))
                .map_err(Into::into),
            LinkField::RoleName => RoleRef::parse(value)
                .map(|v| link.role = Some(v))
                .map_err(Into::into),
            LinkField::DisplayName => DisplayName::parse(value)
                .map(|v| link.display_name = Some(v))
                .map_err(Into::into),
            LinkField::Colour => Colour::from_hex(value)
                .map(|v| link.colour = Some(v))
                .map_err(Into::into),
            LinkField::Destination => safe_destination(value)
                .map(|v| link.destination = Some(v.to_owned()))
                .ok_or(LinkFieldError::Destination),
        };
        if let Err(e) = result {
            parsed.errors.push((field, e));
            parsed.rejected.push((field, value.to_owned()));
        }
    }
    parsed
}

/// The query string (without `?`) for `link`: its present fields, percent-encoded, in the
/// order AWS writes them; `parse_query(&build_query(x)).link == x`.
pub fn build_query(link: &SwitchLink) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(account) = &link.account {
        query.append_pair("account", account.as_str());
    }
    if let Some(role) = &link.role {
        query.append_pair("roleName", &role.to_text());
    }
    if let Some(name) = &link.display_name {
        query.append_pair("displayName", name.as_str());
    }
    if let Some(colour) = link.colour {
        query.append_pair("color", colour.hex());
    }
    if let Some(destination) = &link.destination {
        query.append_pair("destination", destination);
    }
    query.finish()
}

/// The same-origin path of the Switch Role page pre-filled with `link`.
pub fn build_path(link: &SwitchLink) -> String {
    let query = build_query(link);
    if query.is_empty() {
        SWITCH_ROLE_PATH.to_owned()
    } else {
        format!("{SWITCH_ROLE_PATH}?{query}")
    }
}

/// `target` if it is a safe place to return to after sign-in: a same-origin absolute path
/// (`/switchrole?…`), never another origin (`//evil.example`, `https:…`, `/\\evil`), so the
/// console has no open redirect.
pub fn safe_return_path(target: &str) -> Option<&str> {
    let safe = target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && !target.chars().any(char::is_control)
        && target.len() <= 2048;
    safe.then_some(target)
}

/// `target` if a switch may go there afterwards: a safe same-origin path
/// ([`safe_return_path`]) that is not the sign-in page (which would sign the person out of
/// their way).
pub fn safe_destination(target: &str) -> Option<&str> {
    safe_return_path(target).filter(|t| {
        let path = t.split(['?', '#']).next().unwrap_or(t);
        path != SIGN_IN_PATH
    })
}

/// A destination as a person types it: nothing (`None`), or a safe path on this site
/// ([`safe_destination`]); anything else is refused, never linked.
///
/// ```
/// use crossrole_core::link::{parse_destination, LinkFieldError};
///
/// assert_eq!(parse_destination("  "), Ok(None));
/// assert_eq!(parse_destination(" /dynamodb?table=Billing "), Ok(Some("/dynamodb?table=Billing".into())));
/// assert_eq!(parse_destination("https://evil.example/"), Err(LinkFieldError::Destination));
/// ```
pub fn parse_destination(text: &str) -> Result<Option<String>, LinkFieldError> {
    match text.trim() {
        "" => Ok(None),
        typed => safe_destination(typed)
            .map(|d| Some(d.to_owned()))
            .ok_or(LinkFieldError::Destination),
    }
}

/// The path of the sign-in page that returns to `pathname` with `search` (`?…` or empty)
/// once signed in: `/signin?next=<the path, percent-encoded>`.
///
/// ```
/// use crossrole_core::link::{query_param, safe_return_path, sign_in_path};
///
/// let path = sign_in_path("/switchrole", "?account=222222222222&roleName=Admin");
/// assert_eq!(path, "/signin?next=%2Fswitchrole%3Faccount%3D222222222222%26roleName%3DAdmin");
/// let next = query_param(&path["/signin".len()..], "next").unwrap();
/// assert_eq!(safe_return_path(&next), Some("/switchrole?account=222222222222&roleName=Admin"));
/// ```
pub fn sign_in_path(pathname: &str, search: &str) -> String {
    let search = search.trim_start_matches('?');
    let here = if search.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{search}")
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &here)
        .finish();
    format!("{SIGN_IN_PATH}?{query}")
}

/// The path the console serves the sign-in page at.
pub const SIGN_IN_PATH: &str = "/signin";

/// The console's page a federated sign-in lands on: the federation endpoint's `login`
/// redirects there with the sign-in token and the destination in the fragment (which no
/// server, log or `Referer` sees), and the page exchanges the token for the session.
pub const FEDERATED_SIGN_IN_PATH: &str = "/federated-signin";

/// The federation endpoint's path (IAM User Guide: `https://signin.aws.amazon.com/federation`).
pub const FEDERATION_PATH: &str = "/federation";

/// The display name the console suggests when none is given: `RoleName @ account`, cut to
/// 64 characters.
pub fn default_display_name(role: &RoleRef, account: &AccountRef) -> DisplayName {
    DisplayName::truncating(&format!("{} @ {}", role.name, account))
        .expect("a role name is never empty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_link() {
        let parsed = parse_query(
            "?account=222222222222&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9",
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let link = parsed.link;
        assert_eq!(link.account.unwrap().as_str(), "222222222222");
        let role = link.role.unwrap();
        assert_eq!(
            (role.path.as_str(), role.name.as_str()),
            ("/", "AccessToProdDynamoDB")
        );
        assert_eq!(link.display_name.unwrap().as_str(), "PRODUCTION");
        assert_eq!(link.colour, Some(Colour::Red));
    }

    #[test]
    fn role_paths_and_colour_forms() {
        let link = parse_query("roleName=division_abc/subdivision_efg/Admin&color=%23B7CA9D").link;
        let role = link.role.unwrap();
        assert_eq!(role.path.as_str(), "/division_abc/subdivision_efg/");
        assert_eq!(role.name.as_str(), "Admin");
        assert_eq!(role.to_text(), "division_abc/subdivision_efg/Admin");
        assert_eq!(link.colour, Some(Colour::Green));
        assert_eq!(
            parse_query("roleName=/p/R")
                .link
                .role
                .unwrap()
                .path
                .as_str(),
            "/p/"
        );
    }

    #[test]
    fn invalid_fields_are_reported_and_valid_ones_kept() {
        let parsed =
            parse_query("account=Not%20Valid&roleName=Good&color=ff0000&displayName=%00&x=1");
        assert_eq!(parsed.link.role.as_ref().unwrap().name.as_str(), "Good");
        assert_eq!(parsed.link.account, None);
        assert_eq!(
            parsed.error(LinkField::Account),
            Some(&LinkFieldError::Invalid(InvalidField::Account))
        );
        assert!(matches!(
            parsed.error(LinkField::Colour),
            Some(LinkFieldError::Colour(_))
        ));
        assert_eq!(
            parsed.error(LinkField::DisplayName),
            Some(&LinkFieldError::Invalid(InvalidField::DisplayName))
        );
        assert_eq!(parsed.error(LinkField::RoleName), None);
        assert_eq!(parsed.errors.len(), 3);
    }

    /// A destination is a path on this site only: an off-site one is refused (no open
    /// redirect), and the link's other fields are kept.
    #[test]
    fn destinations_stay_on_this_site() {
        let parsed = parse_query(
            "account=222222222222&roleName=R&destination=%2Fdynamodb%3Ftable%3DGameScores",
        );
        assert_eq!(
            parsed.link.destination.as_deref(),
            Some("/dynamodb?table=GameScores")
        );
        for bad in [
            "https%3A%2F%2Fevil.example%2F",
            "%2F%2Fevil.example",
            "%2F%5Cevil.example",
            "javascript%3Aalert(1)",
            "%2Fsignin%3Fnext%3D%2F",
            "dynamodb",
        ] {
            let parsed = parse_query(&format!("roleName=R&destination={bad}"));
            assert_eq!(parsed.link.destination, None, "{bad}");
            assert_eq!(
                parsed.error(LinkField::Destination),
                Some(&LinkFieldError::Destination),
                "{bad}"
            );
            assert!(parsed.link.role.is_some());
        }
    }

    #[test]
    fn too_long_role_and_duplicates_and_empties() {
        let long = format!("{}/{}", "p".repeat(30), "R".repeat(34));
        assert_eq!(RoleRef::parse(&long), Err(InvalidField::RoleTooLong));
        let parsed = parse_query("account=&roleName=First&roleName=Second");
        assert_eq!(parsed.link.role.unwrap().name.as_str(), "First");
        assert_eq!(parsed.link.account, None);
        assert!(parsed.errors.is_empty());
    }

    #[test]
    fn build_encodes_and_parses_back() {
        let link = SwitchLink {
            account: Some(AccountRef::parse("example-prod").unwrap()),
            role: Some(RoleRef::parse("team/Admin").unwrap()),
            display_name: Some(DisplayName::parse("Prod & <friends> 100%").unwrap()),
            colour: Some(Colour::Blue),
            destination: Some("/dynamodb?table=GameScores".into()),
        };
        let path = build_path(&link);
        assert!(
            path.starts_with("/switchrole?account=example-prod&roleName=team%2FAdmin&"),
            "{path}"
        );
        assert!(!path.contains('<') && !path.contains(' '), "{path}");
        assert_eq!(parse_query(path.split_once('?').unwrap().1).link, link);
        assert_eq!(build_path(&SwitchLink::default()), "/switchrole");
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        for good in [
            "/",
            "/switchrole?account=222222222222&roleName=R",
            "/dynamodb?table=GameScores",
        ] {
            assert_eq!(safe_return_path(good), Some(good));
        }
        for bad in [
            "",
            "//evil.example/x",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/x\ny",
            "switchrole",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn default_display_names() {
        let role = RoleRef::parse("AccessToProdDynamoDB").unwrap();
        let account = AccountRef::parse("222222222222").unwrap();
        assert_eq!(
            default_display_name(&role, &account).as_str(),
            "AccessToProdDynamoDB @ 222222222222"
        );
        let long = RoleRef::parse(&"R".repeat(64)).unwrap();
        assert_eq!(default_display_name(&long, &account).as_str().len(), 64);
    }

    /// Query values are decoded exactly once, so what a link says is what is shown.
    #[test]
    fn query_values_are_decoded_once() {
        let q = "?displayName=%253Cscript%253E&account=%2541&account=second&x=1";
        assert_eq!(
            query_param(q, "displayName").as_deref(),
            Some("%3Cscript%3E")
        );
        assert_eq!(query_param(q, "account").as_deref(), Some("%41"));
        assert_eq!(query_param(q, "roleName"), None);
        assert_eq!(
            query_param("next=%2F%2Fevil.example", "next").as_deref(),
            Some("//evil.example")
        );
    }
}
