//! The Switch Role form: the four fields as typed, pre-filled from a predefined link, and
//! checked in one place into the role to switch to or the problem of each field. The console
//! renders what this says; it validates nothing itself.
//!
//! ```
//! use crossrole_core::form::SwitchForm;
//! use crossrole_core::link::parse_query;
//!
//! let link = parse_query("?account=222222222222&roleName=AccessToProdDynamoDB");
//! let form = SwitchForm::from_link(&link);
//! let target = form.check().unwrap();
//! assert_eq!(target.display_name.as_str(), "AccessToProdDynamoDB @ 222222222222");
//!
//! let typo = SwitchForm { account: "Example Prod".into(), ..form };
//! assert!(typo.check().unwrap_err().account.is_some());
//! ```

use crate::colour::Colour;
use crate::history::HistoryEntry;
use crate::link::{default_display_name, LinkField, ParsedLink, RoleRef};
use crate::validation::{AccountRef, DisplayName, InvalidField};

/// Where a switch goes and how it is shown: what a history entry records.
pub type SwitchTarget = HistoryEntry;

/// The Switch Role form's fields, each exactly as typed (or as a link wrote it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwitchForm {
    /// Account id or alias.
    pub account: String,
    /// Role name, optionally with its path (`division/RoleName`).
    pub role: String,
    /// Display name (empty: the default, `RoleName @ account`).
    pub display_name: String,
    /// The colour picked, if any.
    pub colour: Option<Colour>,
}

/// What is wrong with each field, when anything is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormProblems {
    /// The account's problem.
    pub account: Option<InvalidField>,
    /// The role's problem.
    pub role: Option<InvalidField>,
    /// The display name's problem.
    pub display_name: Option<InvalidField>,
}

impl SwitchForm {
    /// The form a predefined link fills: each field as the link wrote it, valid or not (so the
    /// person sees what the link said next to what is wrong with it). A colour outside the
    /// palette fills nothing; its error is in `link`.
    pub fn from_link(link: &ParsedLink) -> SwitchForm {
        let text = |field: LinkField, valid: Option<String>| {
            valid
                .or_else(|| link.rejected_text(field).map(str::to_owned))
                .unwrap_or_default()
        };
        let l = &link.link;
        SwitchForm {
            account: text(
                LinkField::Account,
                l.account.as_ref().map(|a| a.to_string()),
            ),
            role: text(LinkField::RoleName, l.role.as_ref().map(RoleRef::to_text)),
            display_name: text(
                LinkField::DisplayName,
                l.display_name.as_ref().map(|d| d.to_string()),
            ),
            colour: l.colour,
        }
    }

    /// Whether the account, role and display name are all empty.
    pub fn is_blank(&self) -> bool {
        [&self.account, &self.role, &self.display_name]
            .iter()
            .all(|f| f.trim().is_empty())
    }

    /// The role to switch to, or what is wrong with each field. An empty display name
    /// means the default one ([`default_display_name`]).
    pub fn check(&self) -> Result<SwitchTarget, FormProblems> {
        let account = AccountRef::parse(self.account.trim());
        let role = RoleRef::parse(self.role.trim());
        let display = match self.display_name.trim() {
            "" => None,
            _ => Some(DisplayName::parse(&self.display_name)),
        };
        let target = |account, role, display_name| SwitchTarget {
            account,
            role,
            display_name,
            colour: self.colour,
        };
        match (account, role, display) {
            (Ok(account), Ok(role), None) => {
                let name = default_display_name(&role, &account);
                Ok(target(account, role, name))
            }
            (Ok(account), Ok(role), Some(Ok(name))) => Ok(target(account, role, name)),
            (account, role, display) => Err(FormProblems {
                account: account.err(),
                role: role.err(),
                display_name: display.and_then(Result::err),
            }),
        }
    }

    /// The predefined link for this form as it stands (its valid fields), going on to
    /// `destination` after the switch; `None` until the account and role are valid.
    pub fn share_link(&self, destination: Option<&str>) -> Option<String> {
        Some(crate::link::build_path(&crate::link::SwitchLink {
            account: Some(AccountRef::parse(self.account.trim()).ok()?),
            role: Some(RoleRef::parse(self.role.trim()).ok()?),
            display_name: match self.display_name.trim() {
                "" => None,
                typed => DisplayName::parse(typed).ok(),
            },
            colour: self.colour,
            destination: destination
                .and_then(crate::link::safe_destination)
                .map(str::to_owned),
        }))
    }

    /// The display name shown when none is typed: `RoleName @ account`, once the account
    /// and role are valid.
    pub fn suggested_display_name(&self) -> Option<DisplayName> {
        let account = AccountRef::parse(self.account.trim()).ok()?;
        let role = RoleRef::parse(self.role.trim()).ok()?;
        Some(default_display_name(&role, &account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_shares_its_link_with_a_destination() {
        let form = SwitchForm {
            account: "example-prod".into(),
            role: "AccessToProdDynamoDB".into(),
            display_name: String::new(),
            colour: Some(Colour::Red),
        };
        assert_eq!(
            form.share_link(Some("/dynamodb?table=GameScores")).as_deref(),
            Some("/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&color=f2b0a9&destination=%2Fdynamodb%3Ftable%3DGameScores")
        );
        assert_eq!(
            form.share_link(Some("https://evil.example")).as_deref(),
            Some("/switchrole?account=example-prod&roleName=AccessToProdDynamoDB&color=f2b0a9"),
            "an off-site destination is left out"
        );
        let unfinished = SwitchForm {
            role: String::new(),
            ..form
        };
        assert_eq!(unfinished.share_link(None), None);
    }
    use crate::link::parse_query;

    #[test]
    fn a_link_fills_the_form_as_written_and_a_valid_form_is_a_target() {
        let link = parse_query(
            "account=example-prod&roleName=ops/ProdOperator&displayName=Ops&color=f2b0a9",
        );
        let form = SwitchForm::from_link(&link);
        assert_eq!(
            form,
            SwitchForm {
                account: "example-prod".into(),
                role: "ops/ProdOperator".into(),
                display_name: "Ops".into(),
                colour: Some(Colour::Red),
            }
        );
        let target = form.check().unwrap();
        assert_eq!(target.role.path.as_str(), "/ops/");
        assert_eq!(target.display_name.as_str(), "Ops");
    }

    #[test]
    fn invalid_link_fields_are_kept_as_written_with_their_problem() {
        let link = parse_query("account=Example%20Prod&roleName=Bad%20Name&color=123456");
        let form = SwitchForm::from_link(&link);
        assert_eq!(
            (form.account.as_str(), form.role.as_str()),
            ("Example Prod", "Bad Name")
        );
        assert_eq!(form.colour, None);
        assert!(link.error(LinkField::Colour).is_some());
        let problems = form.check().unwrap_err();
        assert_eq!(problems.account, Some(InvalidField::Account));
        assert_eq!(problems.role, Some(InvalidField::RoleName));
        assert_eq!(problems.display_name, None);
    }

    #[test]
    fn the_display_name_defaults_and_is_checked_when_typed() {
        let mut form = SwitchForm {
            account: " 222222222222 ".into(),
            role: "AccessToProdDynamoDB".into(),
            ..SwitchForm::default()
        };
        assert_eq!(
            form.check().unwrap().display_name.as_str(),
            "AccessToProdDynamoDB @ 222222222222"
        );
        assert_eq!(
            form.suggested_display_name().unwrap().as_str(),
            "AccessToProdDynamoDB @ 222222222222"
        );
        form.display_name = "x".repeat(65);
        assert_eq!(
            form.check().unwrap_err().display_name,
            Some(InvalidField::DisplayName)
        );
        assert!(!form.is_blank());
        assert!(SwitchForm::default().is_blank());
        assert_eq!(SwitchForm::default().suggested_display_name(), None);
    }
}
