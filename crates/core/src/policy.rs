//! IAM policy documents: parsing (with the path to any bad element) and evaluation with AWS's
//! rule: an explicit deny wins, otherwise an allow grants, otherwise the request is implicitly
//! denied. A [`Decision`] names the statements that decided it, and the statements that would
//! have allowed but for a condition, so the console can explain a denial.

use std::collections::BTreeMap;
use std::fmt;

use crate::clock::Timestamp;
use crate::validation::AccountId;

/// A malformed policy document: where (`Statement[1].Condition.Bool`) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    /// The path to the offending element, `$` for the document itself.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

fn err<T>(path: &str, message: impl Into<String>) -> Result<T, PolicyError> {
    Err(PolicyError {
        path: path.to_owned(),
        message: message.into(),
    })
}

/// Allow or Deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Grants when everything matches.
    Allow,
    /// Refuses when everything matches, whatever else allows.
    Deny,
}

/// A list element that may be negated: `Action` / `NotAction` and the like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block<T> {
    /// True for the `Not…` form: the statement applies to everything NOT listed.
    pub negated: bool,
    /// The listed items.
    pub items: Vec<T>,
}

/// A principal named in a resource policy (here: a role's trust policy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    Anyone,
    /// Every principal of an account (`"111111111111"` or `arn:aws:iam::111111111111:root`),
    /// provided the account's own policies also let it act.
    Account(AccountId),
    /// One IAM user, role or session by ARN.
    Arn(String),
    /// A service, federated or canonical-user principal: never a crossrole caller.
    Other(String),
}

mod condition;
mod parse;

pub use condition::{substitute, Condition, Operator, SetQualifier};

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Its `Sid`, if any.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal` (resource policies only).
    pub principal: Option<Block<Principal>>,
    /// `Action` / `NotAction` patterns (`service:Action`, wildcards allowed).
    pub action: Block<String>,
    /// `Resource` / `NotResource` patterns; absent in trust policies.
    pub resource: Option<Block<String>>,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// Whether its `Resource`/`NotResource` hold policy variables (a `2012-10-17` policy only).
    pub resource_variables: bool,
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `Version`, if given (`2012-10-17` or `2008-10-17`).
    pub version: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

/// Matches `text` against `pattern` where `*` is any run and `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // The common shapes without any allocation: `*`, and a pattern with no wildcard.
    if pattern == "*" {
        return true;
    }
    // A pattern may hold a policy variable's literal `*` or `?` (`${*}`, `${?}`).
    let literals = !pattern.is_ascii()
        && pattern.contains([condition::LITERAL_STAR, condition::LITERAL_QUESTION]);
    // A byte search (SIMD; the wildcards are ASCII): far cheaper than a char-set search.
    if !literals && memchr::memchr2(b'*', b'?', pattern.as_bytes()).is_none() {
        return if ignore_case {
            // Exact first: policies mostly write actions as AWS does, and a byte comparison
            // is many times cheaper than a case-folding one.
            pattern == text
                || pattern.eq_ignore_ascii_case(text)
                || (!pattern.is_ascii() || !text.is_ascii())
                    && pattern.to_lowercase() == text.to_lowercase()
        } else {
            pattern == text
        };
    }
    if pattern.is_ascii() && text.is_ascii() {
        let same = |a: u8, b: u8| {
            if ignore_case {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        };
        return glob(pattern.as_bytes(), text.as_bytes(), b'*', b'?', same);
    }
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    glob(&fold(pattern), &fold(text), '*', '?', |p, t| {
        p == t
            || (p == condition::LITERAL_STAR && t == '*')
            || (p == condition::LITERAL_QUESTION && t == '?')
    })
}

/// Iterative glob with backtracking to the last star (no recursion): `O(p·t)` at worst,
/// linear for the patterns policies hold.
fn glob<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    star: T,
    any: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] != star && (p[pi] == any || same(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star {
            last_star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = last_star {
            pi = sp + 1;
            ti = st + 1;
            last_star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == star)
}

/// ArnLike: the six colon-separated components match one by one (wildcards stay within a
/// component, except in the last, which may itself contain colons).
fn arn_like(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == 6 && a.len() == 6 && p.iter().zip(&a).all(|(p, a)| wildcard_match(p, a, false))
}

/// Where conditions read the request's context keys (case-insensitive). A [`Context`] holds
/// them; the operations resolve them on demand instead, since most requests meet no condition
/// that reads most keys.
pub trait ContextKeys {
    /// The values of `key`, if the request has it.
    fn values(&self, key: &str) -> Option<std::borrow::Cow<'_, [String]>>;
}

impl ContextKeys for Context {
    fn values(&self, key: &str) -> Option<std::borrow::Cow<'_, [String]>> {
        self.get(key).map(std::borrow::Cow::Borrowed)
    }
}

/// A request's own keys (AssumeRole's `sts:RoleSessionName`, `sts:ExternalId`,
/// `aws:RequestTag/…`) over the caller's context; a key set here hides the caller's.
pub struct WithKeys<'a> {
    keys: Vec<(String, Vec<String>)>,
    base: &'a dyn ContextKeys,
}

impl std::fmt::Debug for WithKeys<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithKeys")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl<'a> WithKeys<'a> {
    /// No keys of its own yet, over `base`.
    pub fn new(base: &'a dyn ContextKeys) -> Self {
        Self {
            keys: Vec::new(),
            base,
        }
    }

    /// Sets `key` to `values` (several for a multivalued key such as `aws:TagKeys`).
    pub fn set(&mut self, key: impl Into<String>, values: Vec<String>) -> &mut Self {
        self.keys.push((key.into(), values));
        self
    }
}

impl ContextKeys for WithKeys<'_> {
    fn values(&self, key: &str) -> Option<std::borrow::Cow<'_, [String]>> {
        match self.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, values)) => Some(std::borrow::Cow::Borrowed(values)),
            None => self.base.values(key),
        }
    }
}

/// The request context: condition keys (case-insensitive) and their values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, Vec<String>>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to one value.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.values.insert(key.to_lowercase(), vec![value.into()]);
        self
    }

    /// Sets `key` to several values (a multivalued key such as `aws:TagKeys`; none at all is
    /// an empty set, which set operators treat as absent).
    pub fn set_values(&mut self, key: &str, values: Vec<String>) -> &mut Self {
        self.values.insert(key.to_lowercase(), values);
        self
    }

    /// The values of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.values.get(&key.to_lowercase()).map(Vec::as_slice)
    }
}

/// Who is asking, as a resource policy's `Principal` sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller<'a> {
    /// The caller's account (borrowed: a decision copies nothing of the caller's).
    pub account: &'a AccountId,
    /// The ARNs that name the caller: the user's, or the session's and its role's.
    pub arns: Vec<String>,
}

impl Caller<'_> {
    fn matched_by(&self, p: &Principal) -> bool {
        match p {
            Principal::Anyone => true,
            Principal::Account(a) => a == self.account,
            Principal::Arn(arn) => self.arns.iter().any(|x| x == arn),
            Principal::Other(_) => false,
        }
    }
}

/// One request to authorise.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// `service:Action`, e.g. `sts:AssumeRole`.
    pub action: &'a str,
    /// The resource ARN, or `*` for actions without resource-level permissions.
    pub resource: &'a str,
    /// The caller, for resource policies that name principals.
    pub caller: Option<&'a Caller<'a>>,
    /// The condition context.
    pub context: &'a dyn ContextKeys,
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("action", &self.action)
            .field("resource", &self.resource)
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

/// A statement, by where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementRef {
    /// The name of the policy it is in (e.g. `AllowSwitchToProdDynamoDB`, `trust policy`).
    pub policy: String,
    /// Its index in the policy.
    pub index: usize,
    /// Its `Sid`, if any.
    pub sid: Option<String>,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) => write!(f, "{} (statement {sid:?})", self.policy),
            None => write!(f, "{} (statement {})", self.policy, self.index + 1),
        }
    }
}

/// The outcome of evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// At least one Allow applied and no Deny did.
    Allow,
    /// A Deny applied.
    ExplicitDeny,
    /// Nothing applied.
    ImplicitDeny,
}

/// A decision and what decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Allow, explicit deny or implicit deny.
    pub verdict: Verdict,
    /// The statements that decided it: the Denies that applied, or else the Allows; empty
    /// for an implicit deny.
    pub by: Vec<StatementRef>,
    /// Allow statements that matched the principal, action and resource but whose condition
    /// failed, with the first failing condition: the reason behind many implicit denies.
    pub near_misses: Vec<(StatementRef, Condition)>,
}

impl Decision {
    /// Whether the request is allowed.
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allow
    }
}

/// Whether a statement's principal, action and resource cover the request (conditions aside).
fn covers(s: &Statement, req: &Request<'_>) -> bool {
    fn block<T>(b: &Block<T>, hit: impl Fn(&T) -> bool) -> bool {
        b.items.iter().any(hit) != b.negated
    }
    let principal_ok = match (&s.principal, req.caller) {
        (None, _) => true,
        (Some(b), Some(caller)) => block(b, |p| caller.matched_by(p)),
        (Some(_), None) => false,
    };
    let resource = |r: &String| {
        if s.resource_variables {
            // A resource whose variable cannot be resolved matches nothing (IAM User Guide,
            // "Policy variables with no value").
            substitute(r, req.context, true)
                .is_some_and(|r| wildcard_match(&r, req.resource, false))
        } else {
            wildcard_match(r, req.resource, false)
        }
    };
    principal_ok
        && block(&s.action, |a| wildcard_match(a, req.action, true))
        && s.resource.as_ref().is_none_or(|b| block(b, resource))
}

/// The condition keys that statements covering `req` read and its context lacks (what IAM's
/// simulator reports as `MissingContextValues`), each once, in order of appearance.
pub fn missing_context_keys<'p>(
    policies: impl IntoIterator<Item = &'p Policy>,
    req: &Request<'_>,
) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for policy in policies {
        for s in policy.statements.iter().filter(|s| covers(s, req)) {
            for c in &s.conditions {
                let absent = req.context.values(&c.key).is_none();
                if absent && !missing.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                    missing.push(c.key.clone());
                }
            }
        }
    }
    missing
}

/// A policy's name, as a decision writes it beside each statement that applied.
pub trait PolicyName {
    /// The name, written out (only for statements that apply).
    fn policy_name(&self) -> String;
}

impl PolicyName for &str {
    fn policy_name(&self) -> String {
        (*self).to_owned()
    }
}

impl PolicyName for String {
    fn policy_name(&self) -> String {
        self.clone()
    }
}

/// Evaluates `req` against named policies: explicit deny > allow > implicit deny.
pub fn evaluate<'p, N: PolicyName>(
    policies: impl IntoIterator<Item = (N, &'p Policy)>,
    req: &Request<'_>,
) -> Decision {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let mut near_misses = Vec::new();
    for (name, policy) in policies {
        for (index, s) in policy.statements.iter().enumerate() {
            if !covers(s, req) {
                continue;
            }
            // The policy's name is written out only for statements that apply.
            let at = || StatementRef {
                policy: name.policy_name(),
                index,
                sid: s.sid.clone(),
            };
            match s.conditions.iter().find(|c| !c.holds(req.context)) {
                None if s.effect == Effect::Deny => denies.push(at()),
                None => allows.push(at()),
                Some(failed) if s.effect == Effect::Allow => {
                    near_misses.push((at(), failed.clone()))
                }
                Some(_) => {}
            }
        }
    }
    let (verdict, by) = if !denies.is_empty() {
        (Verdict::ExplicitDeny, denies)
    } else if !allows.is_empty() {
        (Verdict::Allow, allows)
    } else {
        (Verdict::ImplicitDeny, Vec::new())
    };
    Decision {
        verdict,
        by,
        near_misses,
    }
}

#[cfg(test)]
mod aws_cases;
#[cfg(test)]
mod tests;
