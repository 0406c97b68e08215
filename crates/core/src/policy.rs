//! IAM policy documents: parsing (with the path to any bad element) and evaluation with AWS's
//! rule: an explicit deny wins, otherwise an allow grants, otherwise the request is implicitly
//! denied. A [`Decision`] names the statements that decided it, and the statements that would
//! have allowed but for a condition, so the console can explain a denial.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

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

/// A condition operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// Case-sensitive equality.
    StringEquals,
    /// Negated `StringEquals`.
    StringNotEquals,
    /// Case-insensitive equality.
    StringEqualsIgnoreCase,
    /// Negated `StringEqualsIgnoreCase`.
    StringNotEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?`.
    StringLike,
    /// Negated `StringLike`.
    StringNotLike,
    /// Numeric equality.
    NumericEquals,
    /// Numeric inequality.
    NumericNotEquals,
    /// `<`.
    NumericLessThan,
    /// `<=`.
    NumericLessThanEquals,
    /// `>`.
    NumericGreaterThan,
    /// `>=`.
    NumericGreaterThanEquals,
    /// Same instant.
    DateEquals,
    /// Different instant.
    DateNotEquals,
    /// Before.
    DateLessThan,
    /// Before or at.
    DateLessThanEquals,
    /// After.
    DateGreaterThan,
    /// At or after.
    DateGreaterThanEquals,
    /// `true` / `false`, case-insensitive.
    Bool,
    /// ARN equality (component-wise, so the same as `ArnLike` without wildcards).
    ArnEquals,
    /// ARN match, component-wise, with `*` and `?`.
    ArnLike,
    /// Negated `ArnEquals`.
    ArnNotEquals,
    /// Negated `ArnLike`.
    ArnNotLike,
    /// `true`: the key is absent; `false`: it is present.
    Null,
}

const OPERATORS: [(&str, Operator); 24] = [
    ("StringEquals", Operator::StringEquals),
    ("StringNotEquals", Operator::StringNotEquals),
    ("StringEqualsIgnoreCase", Operator::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        Operator::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", Operator::StringLike),
    ("StringNotLike", Operator::StringNotLike),
    ("NumericEquals", Operator::NumericEquals),
    ("NumericNotEquals", Operator::NumericNotEquals),
    ("NumericLessThan", Operator::NumericLessThan),
    ("NumericLessThanEquals", Operator::NumericLessThanEquals),
    ("NumericGreaterThan", Operator::NumericGreaterThan),
    (
        "NumericGreaterThanEquals",
        Operator::NumericGreaterThanEquals,
    ),
    ("DateEquals", Operator::DateEquals),
    ("DateNotEquals", Operator::DateNotEquals),
    ("DateLessThan", Operator::DateLessThan),
    ("DateLessThanEquals", Operator::DateLessThanEquals),
    ("DateGreaterThan", Operator::DateGreaterThan),
    ("DateGreaterThanEquals", Operator::DateGreaterThanEquals),
    ("Bool", Operator::Bool),
    ("ArnEquals", Operator::ArnEquals),
    ("ArnLike", Operator::ArnLike),
    ("ArnNotEquals", Operator::ArnNotEquals),
    ("ArnNotLike", Operator::ArnNotLike),
    ("Null", Operator::Null),
];

impl Operator {
    /// The operator's name as written in a policy.
    pub fn name(self) -> &'static str {
        OPERATORS
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(n, _)| *n)
            .expect("every operator is in the table")
    }

    fn negated(self) -> bool {
        use Operator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// Whether one request value matches one policy value (before negation).
    fn matches_one(self, request: &str, policy: &str) -> bool {
        use Operator::*;
        let num = |s: &str| s.trim().parse::<f64>().ok();
        let date = |s: &str| Timestamp::parse(s).ok();
        match self {
            StringEquals | StringNotEquals => request == policy,
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                request.to_lowercase() == policy.to_lowercase()
            }
            StringLike | StringNotLike => wildcard_match(policy, request, false),
            ArnEquals | ArnNotEquals | ArnLike | ArnNotLike => arn_like(policy, request),
            Bool => request.eq_ignore_ascii_case(policy),
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => match (num(request), num(policy)) {
                (Some(r), Some(p)) => compare(self, r.partial_cmp(&p)),
                _ => false,
            },
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => match (date(request), date(policy)) {
                (Some(r), Some(p)) => compare(self, Some(r.cmp(&p))),
                _ => false,
            },
            Null => false,
        }
    }
}

fn compare(op: Operator, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    use Operator::*;
    let Some(ord) = ord else { return false };
    match op {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ord == Equal,
        NumericLessThan | DateLessThan => ord == Less,
        NumericLessThanEquals | DateLessThanEquals => ord != Greater,
        NumericGreaterThan | DateGreaterThan => ord == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}

/// One condition: an operator (perhaps `…IfExists`) applied to one key with its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The `…IfExists` form: an absent key satisfies the condition.
    pub if_exists: bool,
    /// The context key, as written (keys compare case-insensitively).
    pub key: String,
    /// The values; the condition holds when any matches (none, for negated operators).
    pub values: Vec<String>,
}

impl Condition {
    /// The operator's full name as written, e.g. `BoolIfExists`.
    pub fn operator_name(&self) -> String {
        format!(
            "{}{}",
            self.operator.name(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }

    fn holds(&self, context: &Context) -> bool {
        let present = context.get(&self.key);
        if self.operator == Operator::Null {
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            let want_present = self.values.iter().any(|v| v.eq_ignore_ascii_case("false"));
            return (want_absent && present.is_none()) || (want_present && present.is_some());
        }
        let Some(request_values) = present else {
            // AWS: an absent key fails a positive operator and satisfies a negated one.
            return self.if_exists || self.operator.negated();
        };
        let any = request_values
            .iter()
            .any(|r| self.values.iter().any(|p| self.operator.matches_one(r, p)));
        any != self.operator.negated()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} = {}",
            self.operator_name(),
            self.key,
            self.values.join(" | ")
        )
    }
}

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
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `Version`, if given (`2012-10-17` or `2008-10-17`).
    pub version: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

fn strings(value: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    let scalar = |v: &Value, p: &str| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => err(p, "must be a string"),
    };
    match value {
        Value::Array(items) if items.is_empty() => err(path, "must not be an empty list"),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| scalar(v, &format!("{path}[{i}]")))
            .collect(),
        other => Ok(vec![scalar(other, path)?]),
    }
}

/// Reads `Name` / `NotName`, refusing both at once.
fn negatable<'a>(
    obj: &'a serde_json::Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<(bool, &'a Value, String)>, PolicyError> {
    let not = format!("Not{name}");
    match (obj.get(name), obj.get(&not)) {
        (Some(_), Some(_)) => err(path, format!("has both {name} and {not}")),
        (Some(v), None) => Ok(Some((false, v, format!("{path}.{name}")))),
        (None, Some(v)) => Ok(Some((true, v, format!("{path}.{not}")))),
        (None, None) => Ok(None),
    }
}

fn parse_principal(value: &Value, path: &str) -> Result<Vec<Principal>, PolicyError> {
    if value.as_str() == Some("*") {
        return Ok(vec![Principal::Anyone]);
    }
    let Some(obj) = value.as_object() else {
        return err(
            path,
            "must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111111111111:root\"}",
        );
    };
    let mut out = Vec::new();
    for (kind, v) in obj {
        let p = format!("{path}.{kind}");
        for (i, s) in strings(v, &p)?.into_iter().enumerate() {
            out.push(match kind.as_str() {
                "AWS" => aws_principal(&s).ok_or_else(|| PolicyError {
                    path: format!("{p}[{i}]"),
                    message: format!("{s:?} is not \"*\", an account ID or an IAM ARN"),
                })?,
                "Service" | "Federated" | "CanonicalUser" => {
                    Principal::Other(format!("{kind}:{s}"))
                }
                _ => {
                    return err(
                        &p,
                        "unknown principal type (use AWS, Service, Federated or CanonicalUser)",
                    )
                }
            });
        }
    }
    if out.is_empty() {
        return err(path, "names no principal");
    }
    Ok(out)
}

fn aws_principal(s: &str) -> Option<Principal> {
    if s == "*" {
        return Some(Principal::Anyone);
    }
    if let Ok(id) = AccountId::parse(s) {
        return Some(Principal::Account(id));
    }
    match s.parse::<crate::arn::Arn>() {
        Ok(crate::arn::Arn::Root { account }) => Some(Principal::Account(account)),
        Ok(_) => Some(Principal::Arn(s.to_owned())),
        Err(_) => None,
    }
}

fn parse_conditions(value: &Value, path: &str) -> Result<Vec<Condition>, PolicyError> {
    let Some(ops) = value.as_object() else {
        return err(path, "must be an object of operators");
    };
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let p = format!("{path}.{op_name}");
        let (base, if_exists) = match op_name.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (op_name.as_str(), false),
        };
        let Some(&(_, operator)) = OPERATORS.iter().find(|(n, _)| *n == base) else {
            return err(&p, "unknown condition operator");
        };
        if operator == Operator::Null && if_exists {
            return err(&p, "Null has no IfExists form");
        }
        let Some(keys) = keys.as_object().filter(|k| !k.is_empty()) else {
            return err(&p, "must be an object of condition keys");
        };
        for (key, values) in keys {
            out.push(Condition {
                operator,
                if_exists,
                key: key.clone(),
                values: strings(values, &format!("{p}.{key}"))?,
            });
        }
    }
    Ok(out)
}

fn parse_statement(value: &Value, path: &str) -> Result<Statement, PolicyError> {
    let Some(obj) = value.as_object() else {
        return err(path, "must be an object");
    };
    const KNOWN: [&str; 10] = [
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Id",
    ];
    if let Some(unknown) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return err(&format!("{path}.{unknown}"), "unknown element");
    }
    let sid = match obj.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return err(&format!("{path}.Sid"), "must be a string"),
    };
    let effect = match obj.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(_) => return err(&format!("{path}.Effect"), "must be \"Allow\" or \"Deny\""),
        None => return err(path, "is missing Effect"),
    };
    let Some((negated, actions, apath)) = negatable(obj, "Action", path)? else {
        return err(path, "is missing Action or NotAction");
    };
    let actions = strings(actions, &apath)?;
    for (i, a) in actions.iter().enumerate() {
        if a != "*" && !a.contains(':') {
            return err(
                &format!("{apath}[{i}]"),
                format!("{a:?} is not service:Action"),
            );
        }
    }
    let action = Block {
        negated,
        items: actions,
    };
    let resource = negatable(obj, "Resource", path)?
        .map(|(negated, v, p)| strings(v, &p).map(|items| Block { negated, items }))
        .transpose()?;
    let principal = negatable(obj, "Principal", path)?
        .map(|(negated, v, p)| parse_principal(v, &p).map(|items| Block { negated, items }))
        .transpose()?;
    let conditions = match obj.get("Condition") {
        Some(c) => parse_conditions(c, &format!("{path}.Condition"))?,
        None => Vec::new(),
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

impl Policy {
    /// Parses a policy document from JSON text.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(text).map_err(|e| PolicyError {
            path: "$".into(),
            message: format!("not JSON: {e}"),
        })?;
        Self::from_value(&value)
    }

    /// Parses a policy document already read as JSON.
    pub fn from_value(value: &Value) -> Result<Policy, PolicyError> {
        let Some(obj) = value.as_object() else {
            return err("$", "must be a JSON object");
        };
        if let Some(unknown) = obj
            .keys()
            .find(|k| !["Version", "Statement", "Id"].contains(&k.as_str()))
        {
            return err(unknown, "unknown element");
        }
        let version = match obj.get("Version") {
            None => None,
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => Some(v.clone()),
            Some(_) => return err("Version", "must be \"2012-10-17\" or \"2008-10-17\""),
        };
        let statements = match obj.get("Statement") {
            None => return err("$", "is missing Statement"),
            Some(Value::Array(list)) if list.is_empty() => {
                return err("Statement", "must not be empty")
            }
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, s)| parse_statement(s, &format!("Statement[{i}]")))
                .collect::<Result<_, _>>()?,
            Some(single) => vec![parse_statement(single, "Statement")?],
        };
        Ok(Policy {
            version,
            statements,
        })
    }
}

impl Policy {
    /// Refuses a statement without `Resource`/`NotResource` or with a principal: what IAM
    /// requires of identity (user, group and role permission) policies.
    pub fn check_identity_policy(&self) -> Result<(), PolicyError> {
        for (i, s) in self.statements.iter().enumerate() {
            if s.resource.is_none() {
                return err(
                    &format!("Statement[{i}]"),
                    "is missing Resource or NotResource",
                );
            }
            if s.principal.is_some() {
                return err(
                    &format!("Statement[{i}]"),
                    "an identity policy cannot name a Principal",
                );
            }
        }
        Ok(())
    }

    /// Refuses a statement without `Principal`/`NotPrincipal`: what IAM requires of a role's
    /// trust policy.
    pub fn check_trust_policy(&self) -> Result<(), PolicyError> {
        for (i, s) in self.statements.iter().enumerate() {
            if s.principal.is_none() {
                return err(
                    &format!("Statement[{i}]"),
                    "is missing Principal or NotPrincipal",
                );
            }
        }
        Ok(())
    }
}

/// Matches `text` against `pattern` where `*` is any run and `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, t) = (fold(pattern), fold(text));
    // Iterative glob with backtracking to the last star: linear in practice, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// ArnLike: the six colon-separated components match one by one (wildcards stay within a
/// component, except in the last, which may itself contain colons).
fn arn_like(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == 6 && a.len() == 6 && p.iter().zip(&a).all(|(p, a)| wildcard_match(p, a, false))
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

    /// The values of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.values.get(&key.to_lowercase()).map(Vec::as_slice)
    }
}

/// Who is asking, as a resource policy's `Principal` sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The caller's account.
    pub account: AccountId,
    /// The ARNs that name the caller: the user's, or the session's and its role's.
    pub arns: Vec<String>,
}

impl Caller {
    fn matched_by(&self, p: &Principal) -> bool {
        match p {
            Principal::Anyone => true,
            Principal::Account(a) => *a == self.account,
            Principal::Arn(arn) => self.arns.iter().any(|x| x == arn),
            Principal::Other(_) => false,
        }
    }
}

/// One request to authorise.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `service:Action`, e.g. `sts:AssumeRole`.
    pub action: &'a str,
    /// The resource ARN, or `*` for actions without resource-level permissions.
    pub resource: &'a str,
    /// The caller, for resource policies that name principals.
    pub caller: Option<&'a Caller>,
    /// The condition context.
    pub context: &'a Context,
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
    principal_ok
        && block(&s.action, |a| wildcard_match(a, req.action, true))
        && s.resource
            .as_ref()
            .is_none_or(|b| block(b, |r| wildcard_match(r, req.resource, false)))
}

/// Evaluates `req` against named policies: explicit deny > allow > implicit deny.
pub fn evaluate<'p>(
    policies: impl IntoIterator<Item = (&'p str, &'p Policy)>,
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
            let at = || StatementRef {
                policy: name.to_owned(),
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
mod tests;
