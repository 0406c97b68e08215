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
mod tests {
    use super::*;

    /// Ids are kept in state files and compared across restarts: the remembered answer is the
    /// digest's, the first time, the second time and after the memory is cleared.
    #[test]
    fn unique_ids_are_the_digest_s_however_often_asked() {
        use sha2::{Digest, Sha256};
        let oracle = |prefix: &str, arn: &str| {
            let text = data_encoding::BASE32_NOPAD.encode(&Sha256::digest(arn.as_bytes()));
            format!("{prefix}{}", &text[..17])
        };
        let arns: Vec<String> = (0..1500)
            .map(|i| format!("arn:aws:iam::111111111111:user/u{i}"))
            .collect();
        for round in 0..2 {
            for (i, arn) in arns.iter().enumerate() {
                let prefix = ["AIDA", "AROA", ""][(i + round) % 3];
                for _asked_again in 0..2 {
                    assert_eq!(unique_id(prefix, arn), oracle(prefix, arn), "{arn}");
                }
            }
        }
    }

    fn round_trip(s: &str) -> Arn {
        let arn: Arn = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(arn.to_string(), s);
        arn
    }

    // Properties run natively only (proptest does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The borrowed reading accepts exactly the role ARNs the parser makes, with the same
        /// parts.
        #[test]
        fn role_arn_parts_read_as_the_parser_does(
            s in "arn:aws:(iam|sts|s3)?:(us-west-2)?:(123456789012|12345|1234567890123)?:(role|user|rolex|assumed-role|root)?(/|/a/|//|/b/c/|/ x/)?(Admin|a b|é|[A-Za-z0-9_+=,.@-]{0,70})?"
        ) {
            let parsed = match s.parse::<Arn>() {
                Ok(Arn::Role { account, path, name }) => {
                    Some((account.to_string(), path.to_string(), name.to_string()))
                }
                _ => None,
            };
            let borrowed = role_arn_parts(&s)
                .map(|r| (r.account.to_owned(), r.path.to_owned(), r.name.to_owned()));
            proptest::prop_assert_eq!(borrowed, parsed);
        }

        /// The byte-wise cut is `splitn(6, ':')`'s, for any text (ARNs or not).
        #[test]
        fn six_fields_cut_as_splitn_does(s in "(arn|aws|[a-z]{0,3}|:|é|/|[0-9]{1,3}){0,12}") {
            let expected: Vec<&str> = s.splitn(6, ':').collect();
            let got = six_fields(&s);
            proptest::prop_assert_eq!(got.map(|f| f.to_vec()), (expected.len() == 6).then_some(expected));
        }
    }

    #[test]
    fn parses_and_formats_every_kind() {
        assert!(matches!(
            round_trip("arn:aws:iam::111111111111:root"),
            Arn::Root { .. }
        ));
        assert!(matches!(
            round_trip("arn:aws:iam::111111111111:user/David"),
            Arn::User { .. }
        ));
        assert!(matches!(
            round_trip("arn:aws:iam::111111111111:group/Developers"),
            Arn::Group { .. }
        ));
        assert!(matches!(
            round_trip("arn:aws:iam::111111111111:mfa/David"),
            Arn::Mfa { .. }
        ));
        let role = round_trip("arn:aws:iam::222222222222:role/division/AccessToProdDynamoDB");
        let Arn::Role {
            path,
            name,
            account,
        } = role
        else {
            panic!()
        };
        assert_eq!(
            (path.as_str(), name.as_str(), account.as_str()),
            ("/division/", "AccessToProdDynamoDB", "222222222222")
        );
        let assumed =
            round_trip("arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/David");
        assert_eq!(assumed.account().as_str(), "222222222222");
        let table = round_trip("arn:aws:dynamodb:us-west-2:222222222222:table/GameScores");
        assert!(matches!(table, Arn::Table { ref region, .. } if region == "us-west-2"));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert_eq!("nope".parse::<Arn>(), Err(ArnError::Shape));
        assert_eq!(
            "arn:aws:iam::12:root".parse::<Arn>(),
            Err(ArnError::Account)
        );
        assert!(matches!(
            "arn:aws:s3:::bucket".parse::<Arn>(),
            Err(ArnError::Account)
        ));
        assert!(matches!(
            "arn:aws:iam::111111111111:policy/P".parse::<Arn>(),
            Err(ArnError::Unsupported(_))
        ));
        assert!(matches!(
            "arn:aws:iam::111111111111:role/bad name".parse::<Arn>(),
            Err(ArnError::Name(_))
        ));
        assert!(matches!(
            "arn:aws:iam::111111111111:role/".parse::<Arn>(),
            Err(ArnError::Shape)
        ));
        assert!(matches!(
            "arn:aws-cn:iam::111111111111:root".parse::<Arn>(),
            Err(ArnError::Shape)
        ));
    }

    #[test]
    fn builders_match_parsing() {
        let account = AccountId::parse("222222222222").unwrap();
        let name = RoleName::parse("AccessToProdDynamoDB").unwrap();
        assert_eq!(
            Arn::role(&account, &IamPath::default(), &name).to_string(),
            "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
        );
        assert_eq!(
            Arn::root(&account).to_string(),
            "arn:aws:iam::222222222222:root"
        );
    }
}
