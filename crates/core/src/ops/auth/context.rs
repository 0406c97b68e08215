//! The request context a caller's call is evaluated with: the policy types that apply, the
//! caller's principal ARNs, and the global condition keys.

use super::*;

/// Which kind of policy decided, as AWS's refusal messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PolicyKind {
    /// A service control policy of the account's organization.
    Scp,
    /// The caller's identity-based policies.
    Identity,
    /// The caller's permissions boundary.
    Boundary,
    /// The session policy given to AssumeRole.
    Session,
}

impl PolicyKind {
    /// As in "because no identity-based policy allows …".
    pub(crate) fn name(self) -> &'static str {
        match self {
            PolicyKind::Scp => "service control policy",
            PolicyKind::Identity => "identity-based policy",
            PolicyKind::Boundary => "permissions boundary",
            PolicyKind::Session => "session policy",
        }
    }

    /// As in "with an explicit deny in an identity-based policy".
    pub(crate) fn a_policy(self) -> &'static str {
        match self {
            PolicyKind::Scp => "a service control policy",
            PolicyKind::Identity => "an identity-based policy",
            PolicyKind::Boundary => "a permissions boundary",
            PolicyKind::Session => "a session policy",
        }
    }
}

/// `aws:PrincipalArn`: the user's ARN, or for a role session the role's ARN.
pub(crate) fn principal_arn(world: &World, identity: &Identity) -> String {
    match identity {
        Identity::Root { .. } | Identity::User { .. } => identity.arn(world).to_string(),
        Identity::AssumedRole { account, role, .. } => {
            let path = world
                .account(account)
                .and_then(|a| a.role(role.as_str()))
                .map(|r| r.path.clone())
                .unwrap_or_default();
            Arn::role(account, &path, role).to_string()
        }
    }
}

/// The ARNs a trust policy may name the caller by: its own, and for a role session the
/// role's too.
pub(crate) fn principal_arns(world: &World, identity: &Identity) -> Vec<String> {
    let own = identity.arn(world).to_string();
    match identity {
        Identity::AssumedRole { .. } => vec![own, principal_arn(world, identity)],
        Identity::Root { .. } | Identity::User { .. } => vec![own],
    }
}

/// The global condition keys of a caller's request (IAM User Guide, "AWS global condition
/// context keys"), each computed only when a condition reads it.
pub(crate) struct CallerContext<'w> {
    pub(crate) world: &'w World,
    pub(crate) caller: &'w Authenticated,
    pub(crate) now: Timestamp,
}

/// `true` or `false` as a key's values, made once: a boolean key (MFA present, above all) costs
/// a decision no allocation.
pub(crate) fn boolean(value: bool) -> std::borrow::Cow<'static, [String]> {
    static VALUES: std::sync::LazyLock<[[String; 1]; 2]> =
        std::sync::LazyLock::new(|| [["false".to_owned()], ["true".to_owned()]]);
    std::borrow::Cow::Borrowed(&VALUES[usize::from(value)])
}

impl ContextKeys for CallerContext<'_> {
    fn values(&self, key: &str) -> Option<std::borrow::Cow<'_, [String]>> {
        // Keys are case-insensitive: one lowercase copy on the stack, then a `match`
        // (a jump on length, one comparison), instead of a case-insensitive comparison with
        // each name in turn (10 % of an AssumeRole decision under callgrind).
        let mut buf = [0u8; 32];
        let lower = match buf.get_mut(..key.len()) {
            Some(b) => {
                b.copy_from_slice(key.as_bytes());
                b.make_ascii_lowercase();
                // ASCII lowercasing keeps UTF-8 valid: this never falls back.
                std::str::from_utf8(b).unwrap_or_default()
            }
            None => "",
        };
        let identity = &self.caller.identity;
        let session = self.caller.session.as_ref();
        let value = match lower {
            "aws:currenttime" => self.now.to_iso8601(),
            "aws:epochtime" => self.now.seconds().to_string(),
            "aws:principalaccount" => identity.account().to_string(),
            "aws:principalarn" => principal_arn(self.world, identity),
            "aws:principaltype" => match identity {
                Identity::Root { .. } => "Account",
                Identity::User { .. } => "User",
                Identity::AssumedRole { .. } => "AssumedRole",
            }
            .to_owned(),
            "aws:userid" => {
                // IAM User Guide, "Request information that you can use for policy variables":
                // the account id for root, the user's unique id, `role-id:session-name` for a role.
                match identity {
                    Identity::Root { account } => account.to_string(),
                    Identity::User { .. } => {
                        unique_id("AIDA", &identity.arn(self.world).to_string())
                    }
                    Identity::AssumedRole { session, .. } => {
                        format!("{}:{session}", self.world.session_role_id(self.caller))
                    }
                }
            }
            "aws:principalisawsservice" | "aws:viaawsservice" => {
                // Every caller of crossrole is a principal of an account, calling directly.
                return Some(boolean(false));
            }
            "aws:principalorgid" => {
                // The organization's id, for principals of its accounts ("AWS global condition
                // context keys": aws:PrincipalOrgID).
                let org = self.world.organization.as_ref()?;
                let account = identity.account();
                let member = *account == org.management_account || org.levels(account).is_some();
                member.then(|| org.id())?
            }
            "aws:sourceip" => self.caller.origin.source_ip?.to_string(),
            "aws:securetransport" => return Some(boolean(self.caller.origin.secure_transport?)),
            "aws:requestedregion" => self.caller.origin.requested_region.clone()?,
            "aws:sourceidentity" => session?.extras.as_deref()?.source_identity.clone()?,
            "aws:username" => match identity {
                Identity::User { name, .. } => name.to_string(),
                _ => return None,
            },
            // As in AWS: long-term keys carry no MFA keys at all; sessions say whether MFA was
            // used.
            "aws:tokenissuetime" => session?.issued_at.to_iso8601(),
            "aws:multifactorauthpresent" => return Some(boolean(session?.mfa_at.is_some())),
            "aws:multifactorauthage" => session?.mfa_at?.until(self.now).max(0).to_string(),
            // Last: literal arms are tried before a guard is evaluated.
            _ if key
                .get(..17)
                .is_some_and(|p| p.eq_ignore_ascii_case("aws:PrincipalTag/")) =>
            {
                // (`get`: a key from a policy may have a multi-byte character at byte 17.)
                // A session's tags over its role's; a user's own tags ("Passing session tags in
                // AWS STS": session tags override the role's tags with the same key).
                let tag = &key[17..];
                let extras = session.and_then(|s| s.extras.as_deref());
                match identity {
                    Identity::User { account, name } => self
                        .world
                        .account(account)
                        .and_then(|a| a.user(name.as_str()))
                        .and_then(|u| u.tags.get(tag))?
                        .to_owned(),
                    Identity::AssumedRole { account, role, .. } => extras
                        .and_then(|e| e.tag(tag))
                        .or_else(|| {
                            self.world
                                .account(account)
                                .and_then(|a| a.role(role.as_str()))
                                .and_then(|r| r.tags.get(tag))
                        })?
                        .to_owned(),
                    Identity::Root { .. } => return None,
                }
            }
            _ => return None,
        };
        Some(std::borrow::Cow::Owned(vec![value]))
    }
}
