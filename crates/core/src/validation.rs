//! Validated values for everything a person or a link can type: account ids and aliases, role
//! names and paths, display names, session names, durations and MFA inputs.
//!
//! Each type can only be built through its `parse`, so holding one is proof the text obeys the
//! AWS rule (`docs/aws-switch-role-facts.md`). A failure is an [`InvalidField`],
//! whose message tells a person what a valid value looks like.
//!
//! ```
//! use crossrole_core::validation::{AccountRef, DisplayName, InvalidField, RoleSessionName};
//!
//! // An account is a 12-digit id or an alias, kept as typed.
//! assert!(matches!(AccountRef::parse("222222222222"), Ok(AccountRef::Id(_))));
//! assert!(matches!(AccountRef::parse("example-prod"), Ok(AccountRef::Alias(_))));
//! let typo = AccountRef::parse("Example Prod").unwrap_err();
//! assert_eq!(typo, InvalidField::Account);
//! println!("{typo}"); // "Account must be a 12-digit ID or an alias of …"
//!
//! // Display names lose control characters and surrounding space; 1–64 characters remain.
//! assert_eq!(DisplayName::parse("  PRODUCTION\u{7}  ").unwrap().as_str(), "PRODUCTION");
//! assert!(RoleSessionName::parse("a").is_err());
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a field's text was refused. The message is meant for the person who typed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InvalidField {
    /// Neither a 12-digit account id nor a valid alias.
    #[error(
        "Account must be a 12-digit ID or an alias of 3–63 lowercase letters, digits and hyphens"
    )]
    Account,
    /// Not exactly 12 digits.
    #[error("Account ID must be exactly 12 digits")]
    AccountId,
    /// Not a valid account alias.
    #[error("Account alias must be 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit")]
    AccountAlias,
    /// Not a valid role name.
    #[error("Role name must be 1–64 letters, digits or any of _+=,.@-")]
    RoleName,
    /// Not a valid IAM path (of a role, user, group or MFA device).
    #[error("Path must be / or start and end with / around 1–510 printable ASCII characters")]
    IamPath,
    /// The role's path and name together are too long for the console.
    #[error("Role path and name together must be at most 64 characters")]
    RoleTooLong,
    /// Empty or too long once control characters are removed.
    #[error("Display name must be 1–64 characters")]
    DisplayName,
    /// Not a valid IAM user name.
    #[error("User name must be 1–64 letters, digits or any of _+=,.@-")]
    UserName,
    /// Not a valid IAM group name.
    #[error("Group name must be 1–128 letters, digits or any of _+=,.@-")]
    GroupName,
    /// Not a managed policy name.
    #[error("Policy name must be 1–128 letters, digits or any of _+=,.@-")]
    PolicyName,
    /// Not a valid role session name.
    #[error("Role session name must be 2–64 letters, digits or any of _+=,.@-")]
    RoleSessionName,
    /// Outside 900–43200 seconds.
    #[error("Duration must be between 900 and 43200 seconds")]
    DurationSeconds,
    /// Not exactly 6 digits.
    #[error("MFA code must be exactly 6 digits")]
    MfaCode,
    /// Not a valid MFA serial number.
    #[error("MFA serial number must be 9–256 letters, digits or any of _+=/:,.@-")]
    SerialNumber,
}

/// IAM's name alphabet (`[\w+=,.@-]`), shared by users, roles, groups, policies and session
/// names.
pub(crate) fn is_name_char(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_name_byte)
}

/// [`is_name_char`] for a byte of UTF-8 text: every byte of a multi-byte character is
/// ≥ 0x80, so none passes, as none of those characters does.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b)
}

fn is_iam_name(s: &str, min: usize, max: usize) -> bool {
    // Bytes, not chars: decoding and a substring search per character would be 10 % of an
    // AssumeRole decision.
    (min..=max).contains(&s.len()) && s.bytes().all(is_name_byte)
}

/// Implements the string plumbing every validated text type shares: `as_str`, `Display`,
/// `AsRef<str>`, and serde as a plain string that is validated again when read back.
macro_rules! text_type {
    ($ty:ident) => {
        impl $ty {
            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $ty {
            type Err = InvalidField;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = InvalidField;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }
    };
}

/// A 12-digit AWS account id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);
text_type!(AccountId);

/// [`AccountId`]'s rule, without making one.
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl AccountId {
    /// Accepts exactly 12 ASCII digits.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_account_id(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::AccountId)
        }
    }

    /// The id as the AWS console shows it, in groups of four: `1111-2222-3333` (copied and
    /// typed without the dashes).
    pub fn grouped(&self) -> String {
        let d = &self.0;
        format!("{}-{}-{}", &d[..4], &d[4..8], &d[8..])
    }
}

/// An account alias: 3–63 lowercase letters, digits and single hyphens, not at either end.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountAlias(String);
text_type!(AccountAlias);

impl AccountAlias {
    /// Accepts `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        let b = s.as_bytes();
        let ok_char = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
        let valid = (3..=63).contains(&b.len())
            && b.iter().all(ok_char)
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
            && !s.contains("--");
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::AccountAlias)
        }
    }
}

/// An account as a person names it: by id or by alias, kept exactly as typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AccountRef {
    /// A 12-digit id.
    Id(AccountId),
    /// An alias.
    Alias(AccountAlias),
}

impl AccountRef {
    /// Accepts a 12-digit id or an alias; anything else is [`InvalidField::Account`].
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        AccountId::parse(s)
            .map(Self::Id)
            .or_else(|_| AccountAlias::parse(s).map(Self::Alias))
            .map_err(|_| InvalidField::Account)
    }

    /// The text as typed.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Id(id) => id.as_str(),
            Self::Alias(alias) => alias.as_str(),
        }
    }
}

impl fmt::Display for AccountRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AccountRef {
    type Err = InvalidField;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for AccountRef {
    type Error = InvalidField;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AccountRef> for String {
    fn from(v: AccountRef) -> String {
        v.as_str().to_owned()
    }
}

/// A role name: 1–64 characters of `[A-Za-z0-9_+=,.@-]`, case-sensitive.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleName(String);
text_type!(RoleName);

/// [`RoleName`]'s rule, without making one.
pub(crate) fn is_role_name(s: &str) -> bool {
    is_iam_name(s, 1, 64)
}

impl RoleName {
    /// Accepts IAM's role-name rule.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_role_name(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::RoleName)
        }
    }
}

/// An IAM user name: 1–64 characters of `[A-Za-z0-9_+=,.@-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserName(String);
text_type!(UserName);

impl UserName {
    /// Accepts IAM's user-name rule.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_iam_name(s, 1, 64) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::UserName)
        }
    }
}

/// An IAM group name: 1–128 characters of `[A-Za-z0-9_+=,.@-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupName(String);
text_type!(GroupName);

impl GroupName {
    /// Accepts IAM's group-name rule (IAM API Reference, CreateGroup: `GroupName`).
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_iam_name(s, 1, 128) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::GroupName)
        }
    }
}

/// Whether `id` is an external id as STS accepts it (STS API Reference, AssumeRole:
/// `ExternalId`, 2–1224 characters of `[\w+=,.@:\/-]`, spaces too).
pub fn is_external_id(id: &str) -> bool {
    (2..=1224).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || "_+=,.@:/- ".contains(c))
}

/// A managed policy's name: 1–128 characters of `[A-Za-z0-9_+=,.@-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PolicyName(String);
text_type!(PolicyName);

impl PolicyName {
    /// Accepts IAM's policy-name rule (IAM API Reference, CreatePolicy: `PolicyName`).
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_iam_name(s, 1, 128) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::PolicyName)
        }
    }
}

/// An IAM path (of a role, user, group or MFA device): `/`, or `/` + 1–510 printable ASCII
/// characters + `/`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IamPath(String);
text_type!(IamPath);

impl Default for IamPath {
    fn default() -> Self {
        Self("/".to_owned())
    }
}

/// [`IamPath`]'s rule, without making one.
pub(crate) fn is_iam_path(s: &str) -> bool {
    let printable = s.bytes().all(|b| (0x21..=0x7e).contains(&b));
    s == "/"
        || ((3..=512).contains(&s.len()) && s.starts_with('/') && s.ends_with('/') && printable)
}

impl IamPath {
    /// Accepts IAM's path rule (`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, at most 512).
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_iam_path(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::IamPath)
        }
    }

    /// Whether this is the root path `/`.
    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }
}

// After `text_type!`, which it uses.
mod session;
pub use session::*;

#[cfg(test)]
mod tests;
