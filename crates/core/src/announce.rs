//! What the console tells a person about whom it acts as: the document's title, and what a
//! screen reader hears when that changes (a switch, Back, sign-in, sign-out).

use crate::link::{parse_query, safe_return_path, SWITCH_ROLE_PATH};
use crate::validation::{AccountId, AccountRef};
use crate::PRODUCT_NAME;

/// Whom the console acts as, as far as a person is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// Nobody is signed in.
    Nobody,
    /// The signed-in user, in their own account.
    User {
        /// The user name.
        name: String,
        /// The user's account.
        account: AccountId,
    },
    /// A role the user switched to.
    Role {
        /// The name shown in the navigation bar.
        display: String,
        /// The role's name.
        role: String,
        /// The role's account.
        account: AccountId,
    },
}

impl Who {
    /// The name the navigation bar shows, if someone is signed in.
    pub fn shown_name(&self) -> Option<&str> {
        match self {
            Who::Nobody => None,
            Who::User { name, .. } => Some(name),
            Who::Role { display, .. } => Some(display),
        }
    }
}

/// The document's title: the page, whom the console acts as, the product, as in
/// "DynamoDB tables · PRODUCTION · crossrole" (tabs and window lists tell tabs apart by it).
pub fn page_title(page: &str, who: &Who) -> String {
    match who.shown_name() {
        Some(name) => format!("{page} · {name} · {PRODUCT_NAME}"),
        None => format!("{page} · {PRODUCT_NAME}"),
    }
}

/// What is announced when the console stops acting as `before` and acts as `after`; `None`
/// when that is no change.
pub fn announcement(before: &Who, after: &Who) -> Option<String> {
    if before == after {
        return None;
    }
    Some(match after {
        Who::Role {
            display,
            role,
            account,
        } => format!(
            "Now acting as {display}: role {role} in account {}.",
            account.grouped()
        ),
        Who::User { name, account } if matches!(before, Who::Role { .. }) => {
            format!("Back to {name} in account {}.", account.grouped())
        }
        Who::User { name, account } => {
            format!("Signed in as {name} in account {}.", account.grouped())
        }
        Who::Nobody => "Signed out.".to_owned(),
    })
}

/// An account as the console shows it: an id grouped in fours, an alias as written.
pub fn shown_account(account: &AccountRef) -> String {
    match account {
        AccountRef::Id(id) => id.grouped(),
        AccountRef::Alias(alias) => alias.to_string(),
    }
}

/// What the sign-in page says of where the person goes once signed in (`next`, the page that
/// sent them to sign in), so that a predefined link opened signed out keeps its context;
/// `None` for home, or for a `next` the console would not follow.
pub fn headed_for(next: &str) -> Option<String> {
    let next = safe_return_path(next)?;
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    if path == "/" {
        return None;
    }
    if path != SWITCH_ROLE_PATH {
        return Some(format!("After you sign in, you go on to {next}."));
    }
    let link = parse_query(query).link;
    Some(match (link.role, link.account) {
        (Some(role), Some(account)) => {
            let shown = link
                .display_name
                .map(|d| format!(", shown as {d}"))
                .unwrap_or_default();
            format!(
                "You opened a link to switch to role {} in account {}{shown}. Sign in, then confirm the switch on the form it fills in.",
                role.to_text(),
                shown_account(&account),
            )
        }
        _ => {
            "After you sign in, the Switch Role form opens with what the link filled in.".to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str) -> AccountId {
        AccountId::parse(id).unwrap()
    }

    fn david() -> Who {
        Who::User {
            name: "David".into(),
            account: account("111122223333"),
        }
    }

    fn production() -> Who {
        Who::Role {
            display: "PRODUCTION".into(),
            role: "AccessToProdDynamoDB".into(),
            account: account("222222222222"),
        }
    }

    #[test]
    fn account_ids_are_grouped_in_fours_as_the_aws_console_shows_them() {
        assert_eq!(account("123456789012").grouped(), "1234-5678-9012");
    }

    #[test]
    fn the_title_names_the_page_and_whom_the_console_acts_as() {
        assert_eq!(
            page_title("DynamoDB tables", &production()),
            "DynamoDB tables · PRODUCTION · crossrole"
        );
        assert_eq!(
            page_title("Console Home", &david()),
            "Console Home · David · crossrole"
        );
        assert_eq!(page_title("Sign in", &Who::Nobody), "Sign in · crossrole");
    }

    #[test]
    fn each_change_of_identity_is_announced_once() {
        assert_eq!(
            announcement(&david(), &production()).as_deref(),
            Some("Now acting as PRODUCTION: role AccessToProdDynamoDB in account 2222-2222-2222.")
        );
        assert_eq!(
            announcement(&production(), &david()).as_deref(),
            Some("Back to David in account 1111-2222-3333.")
        );
        assert_eq!(
            announcement(&Who::Nobody, &david()).as_deref(),
            Some("Signed in as David in account 1111-2222-3333.")
        );
        assert_eq!(
            announcement(&production(), &Who::Nobody).as_deref(),
            Some("Signed out.")
        );
        assert_eq!(announcement(&david(), &david()), None);
    }

    #[test]
    fn the_sign_in_page_says_where_a_predefined_link_was_going() {
        assert_eq!(
            headed_for("/switchrole?account=222222222222&roleName=AccessToProdDynamoDB&displayName=PRODUCTION&color=f2b0a9").as_deref(),
            Some("You opened a link to switch to role AccessToProdDynamoDB in account 2222-2222-2222, shown as PRODUCTION. Sign in, then confirm the switch on the form it fills in.")
        );
        assert_eq!(
            headed_for("/switchrole?account=example-prod&roleName=ops/Admin").as_deref(),
            Some("You opened a link to switch to role ops/Admin in account example-prod. Sign in, then confirm the switch on the form it fills in.")
        );
        assert_eq!(
            headed_for("/switchrole?displayName=x").as_deref(),
            Some("After you sign in, the Switch Role form opens with what the link filled in.")
        );
        assert_eq!(
            headed_for("/dynamodb?table=GameScores").as_deref(),
            Some("After you sign in, you go on to /dynamodb?table=GameScores.")
        );
    }

    #[test]
    fn home_and_unsafe_returns_say_nothing() {
        assert_eq!(headed_for("/"), None);
        assert_eq!(headed_for("//evil.example/switchrole"), None);
        assert_eq!(headed_for("https://evil.example/"), None);
    }
}
