//! What the console tells a person about whom it acts as: the document's title, and what a
//! screen reader hears when that changes (a switch, Back, sign-in, sign-out).

use crate::validation::AccountId;
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
}
