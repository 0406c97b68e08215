//! Amazon Resource Names for the things crossrole deals in: IAM users, roles, groups, the
//! account root, MFA devices, STS assumed-role sessions and DynamoDB tables.

use std::fmt;
use std::str::FromStr;

use crate::service_name::Service;
use crate::validation::{AccountId, IamPath, RoleName, RoleSessionName};

/// The partition every ARN here belongs to.
pub const PARTITION: &str = "aws";

/// Why text is not an ARN crossrole understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    /// Not `arn:aws:service:region:account:resource`.
    #[error("not an ARN: expected arn:aws:<service>:<region>:<account>:<resource>")]
    Shape,
    /// The account field is not 12 digits.
    #[error("the ARN's account must be a 12-digit ID")]
    Account,
    /// A service or resource type this project does not model.
    #[error("unsupported ARN resource: {0}")]
    Unsupported(String),
    /// A name or path inside the ARN breaks its rule.
    #[error("invalid name in ARN: {0}")]
    Name(String),
}

/// An ARN crossrole can parse, format and reason about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arn {
    /// `arn:aws:iam::<account>:root`.
    Root {
        /// The account.
        account: AccountId,
    },
    /// `arn:aws:iam::<account>:user<path><name>`.
    User {
        /// The account.
        account: AccountId,
        /// The user's path.
        path: IamPath,
        /// The user name.
        name: String,
    },
    /// `arn:aws:iam::<account>:group<path><name>`.
    Group {
        /// The account.
        account: AccountId,
        /// The group's path.
        path: IamPath,
        /// The group name.
        name: String,
    },
    /// `arn:aws:iam::<account>:role<path><name>`.
    Role {
        /// The account.
        account: AccountId,
        /// The role's path.
        path: IamPath,
        /// The role name (case-sensitive).
        name: RoleName,
    },
    /// `arn:aws:iam::<account>:mfa<path><name>`: a virtual MFA device.
    Mfa {
        /// The account.
        account: AccountId,
        /// The device's path.
        path: IamPath,
        /// The device name.
        name: String,
    },
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    AssumedRole {
        /// The role's account.
        account: AccountId,
        /// The role name (without path, as STS writes it).
        role: RoleName,
        /// The session name.
        session: RoleSessionName,
    },
    /// `arn:aws:dynamodb:<region>:<account>:table/<name>`.
    Table {
        /// The region.
        region: String,
        /// The account.
        account: AccountId,
        /// The table name.
        name: String,
    },
}

impl Arn {
    /// The account the resource or principal belongs to.
    pub fn account(&self) -> &AccountId {
        match self {
            Arn::Root { account }
            | Arn::User { account, .. }
            | Arn::Group { account, .. }
            | Arn::Role { account, .. }
            | Arn::Mfa { account, .. }
            | Arn::AssumedRole { account, .. }
            | Arn::Table { account, .. } => account,
        }
    }

    /// The root ARN of `account`.
    pub fn root(account: &AccountId) -> Arn {
        Arn::Root {
            account: account.clone(),
        }
    }

    /// The role ARN for a role with `path` and `name` in `account`.
    pub fn role(account: &AccountId, path: &IamPath, name: &RoleName) -> Arn {
        Arn::Role {
            account: account.clone(),
            path: path.clone(),
            name: name.clone(),
        }
    }
}

/// Splits `<path><name>` (the path starting and ending with `/`) after the last slash.
fn split_path(rest: &str) -> Result<(IamPath, &str), ArnError> {
    let cut = rest.rfind('/').ok_or(ArnError::Shape)?;
    let (path, name) = rest.split_at(cut + 1);
    let path = IamPath::parse(path).map_err(|e| ArnError::Name(e.to_string()))?;
    if name.is_empty() {
        return Err(ArnError::Shape);
    }
    Ok((path, name))
}

/// `s` cut at its first five colons (the resource, last, may hold more), as `splitn(6, ':')`
/// does. By bytes: `splitn`'s character searcher would be a quarter of parsing an ARN, which
/// every AssumeRole decision does.
fn six_fields(s: &str) -> Option<[&str; 6]> {
    let mut fields = [""; 6];
    let mut start = 0;
    let mut found = 0;
    for i in memchr::memchr_iter(b':', s.as_bytes()).take(5) {
        // A colon is ASCII: `start..i` lies on character boundaries.
        fields[found] = &s[start..i];
        start = i + 1;
        found += 1;
    }
    (found == 5).then(|| {
        fields[5] = &s[start..];
        fields
    })
}

/// A role ARN's parts, borrowed from its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RoleArnRef<'a> {
    /// The account id.
    pub account: &'a str,
    /// The path (`/` or `/…/`).
    pub path: &'a str,
    /// The role's name.
    pub name: &'a str,
}

/// The parts of `s` when it reads as [`Arn::Role`] (the same rules, checked in the same
/// order), copying nothing: every AssumeRole decision reads its role ARN this way, where three
/// allocations would be a tenth of its time.
pub(crate) fn role_arn_parts(s: &str) -> Option<RoleArnRef<'_>> {
    let ["arn", PARTITION, "iam", "", account, res] = six_fields(s)? else {
        return None;
    };
    let rest = res.strip_prefix("role")?;
    let cut = rest.rfind('/')?;
    let (path, name) = rest.split_at(cut + 1);
    (rest.starts_with('/')
        && crate::validation::is_account_id(account)
        && crate::validation::is_iam_path(path)
        && crate::validation::is_role_name(name))
    .then_some(RoleArnRef {
        account,
        path,
        name,
    })
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some(["arn", PARTITION, service, region, account, res]) = six_fields(s) else {
            return Err(ArnError::Shape);
        };
        let account = AccountId::parse(account).map_err(|_| ArnError::Account)?;
        let name_err = |e: crate::validation::InvalidField| ArnError::Name(e.to_string());
        match (Service::from_name(service), region) {
            (Some(Service::Iam), "") => {
                if res == "root" {
                    return Ok(Arn::Root { account });
                }
                let (kind, rest) = res.split_at(res.find('/').ok_or(ArnError::Shape)?);
                let (path, name) = split_path(rest)?;
                match kind {
                    "user" => Ok(Arn::User {
                        account,
                        path,
                        name: name.to_owned(),
                    }),
                    "group" => Ok(Arn::Group {
                        account,
                        path,
                        name: name.to_owned(),
                    }),
                    "mfa" => Ok(Arn::Mfa {
                        account,
                        path,
                        name: name.to_owned(),
                    }),
                    "role" => Ok(Arn::Role {
                        account,
                        path,
                        name: RoleName::parse(name).map_err(name_err)?,
                    }),
                    _ => Err(ArnError::Unsupported(res.to_owned())),
                }
            }
            (Some(Service::Sts), "") => {
                let rest = res
                    .strip_prefix("assumed-role/")
                    .ok_or_else(|| ArnError::Unsupported(res.to_owned()))?;
                let (role, session) = rest.split_once('/').ok_or(ArnError::Shape)?;
                Ok(Arn::AssumedRole {
                    account,
                    role: RoleName::parse(role).map_err(name_err)?,
                    session: RoleSessionName::parse(session).map_err(name_err)?,
                })
            }
            (Some(Service::DynamoDb), region) if !region.is_empty() => {
                let name = res
                    .strip_prefix("table/")
                    .filter(|n| !n.is_empty() && !n.contains('/'))
                    .ok_or_else(|| ArnError::Unsupported(res.to_owned()))?;
                Ok(Arn::Table {
                    region: region.to_owned(),
                    account,
                    name: name.to_owned(),
                })
            }
            _ => Err(ArnError::Unsupported(format!("{service}:{res}"))),
        }
    }
}

/// An ARN travels as its text (`arn:aws:…`), as AWS writes it.
impl serde::Serialize for Arn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Arn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arn::Root { account } => write!(f, "arn:{PARTITION}:iam::{account}:root"),
            Arn::User {
                account,
                path,
                name,
            } => {
                write!(f, "arn:{PARTITION}:iam::{account}:user{path}{name}")
            }
            Arn::Group {
                account,
                path,
                name,
            } => {
                write!(f, "arn:{PARTITION}:iam::{account}:group{path}{name}")
            }
            Arn::Role {
                account,
                path,
                name,
            } => {
                write!(f, "arn:{PARTITION}:iam::{account}:role{path}{name}")
            }
            Arn::Mfa {
                account,
                path,
                name,
            } => {
                write!(f, "arn:{PARTITION}:iam::{account}:mfa{path}{name}")
            }
            Arn::AssumedRole {
                account,
                role,
                session,
            } => write!(
                f,
                "arn:{PARTITION}:sts::{account}:assumed-role/{role}/{session}"
            ),
            Arn::Table {
                region,
                account,
                name,
            } => write!(
                f,
                "arn:{PARTITION}:dynamodb:{region}:{account}:table/{name}"
            ),
        }
    }
}

/// A stable, opaque unique id for an IAM entity (`AIDA…`, `AROA…`), derived from its ARN.
pub fn unique_id(prefix: &str, arn: &str) -> String {
    // Asked on every request for its caller (policy variables, audit records, answers): the
    // digest of a name seen before is remembered, per thread, for the few entities a world has.
    const REMEMBERED: usize = 1024;
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<Box<str>, [u8; 17]>> =
            Default::default();
    }
    let tail = KNOWN.with_borrow_mut(|known| {
        if let Some(tail) = known.get(arn) {
            return *tail;
        }
        let tail = digest_tail(arn);
        if known.len() >= REMEMBERED {
            known.clear();
        }
        known.insert(arn.into(), tail);
        tail
    });
    let mut id = String::with_capacity(prefix.len() + tail.len());
    id.push_str(prefix);
    id.push_str(std::str::from_utf8(&tail).unwrap_or_default());
    id
}

/// The first 17 characters of the base32 of `arn`'s SHA-256.
fn digest_tail(arn: &str) -> [u8; 17] {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(arn.as_bytes());
    let mut text = [0u8; 56];
    data_encoding::BASE32_NOPAD.encode_mut(&digest, &mut text[..52]);
    let mut tail = [0u8; 17];
    tail.copy_from_slice(&text[..17]);
    tail
}

#[cfg(test)]
mod tests;
