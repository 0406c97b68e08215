//! Condition operators and their evaluation against the request context.

use super::*;

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
    /// The request's IP address is in one of the CIDR ranges (IPv4 or IPv6).
    IpAddress,
    /// Negated `IpAddress`.
    NotIpAddress,
    /// The request's bytes equal a base-64 encoded value.
    BinaryEquals,
}

/// A set operator qualifying an operator for multivalued keys (IAM User Guide, "Set operators
/// for multivalued context keys").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAllValues:` every value of the key satisfies the operator (true when the key is
    /// absent or empty).
    ForAllValues,
    /// `ForAnyValue:` at least one value of the key satisfies it (false when absent or empty).
    ForAnyValue,
}

pub(super) const OPERATORS: [(&str, Operator); 27] = [
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
    ("IpAddress", Operator::IpAddress),
    ("NotIpAddress", Operator::NotIpAddress),
    ("BinaryEquals", Operator::BinaryEquals),
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
                | NotIpAddress
        )
    }

    /// Whether policy values are patterns (`*` and `?`), so that a variable's `${*}` and `${?}`
    /// must stay literal characters in them.
    fn is_pattern(self) -> bool {
        use Operator::*;
        matches!(
            self,
            StringLike | StringNotLike | ArnEquals | ArnNotEquals | ArnLike | ArnNotLike
        )
    }

    /// Whether the operator's values may hold policy variables: string and ARN comparisons
    /// only (IAM User Guide, "Where you can use policy variables").
    pub(super) fn takes_variables(self) -> bool {
        use Operator::*;
        matches!(
            self,
            StringEquals
                | StringNotEquals
                | StringEqualsIgnoreCase
                | StringNotEqualsIgnoreCase
                | StringLike
                | StringNotLike
                | ArnEquals
                | ArnNotEquals
                | ArnLike
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
            IpAddress | NotIpAddress => ip_in_range(request, policy),
            BinaryEquals => binary_equals(request, policy),
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

/// One condition: an operator (perhaps `ForAllValues:`/`ForAnyValue:`, perhaps `…IfExists`)
/// applied to one key with its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The set operator, for multivalued keys.
    pub qualifier: Option<SetQualifier>,
    /// The operator.
    pub operator: Operator,
    /// The `…IfExists` form: an absent key satisfies the condition.
    pub if_exists: bool,
    /// The context key, as written (keys compare case-insensitively).
    pub key: String,
    /// The values; the condition holds when any matches (none, for negated operators).
    pub values: Vec<String>,
    /// Whether the values hold policy variables to resolve (a `2012-10-17` policy only).
    pub variables: bool,
}

impl Condition {
    /// The operator's full name as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn operator_name(&self) -> String {
        format!(
            "{}{}{}",
            match self.qualifier {
                None => "",
                Some(SetQualifier::ForAllValues) => "ForAllValues:",
                Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            },
            self.operator.name(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }

    pub(super) fn holds(&self, context: &dyn ContextKeys) -> bool {
        let present = context.values(&self.key);
        // An empty set of values is no value (IAM User Guide, "Set operators for multivalued
        // context keys": ForAllValues holds and ForAnyValue fails on an empty or absent key).
        let present = present.filter(|values| !values.is_empty());
        if self.operator == Operator::Null {
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            let want_present = self.values.iter().any(|v| v.eq_ignore_ascii_case("false"));
            return (want_absent && present.is_none()) || (want_present && present.is_some());
        }
        let Some(request_values) = present else {
            return self.if_exists
                || match self.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    // An absent key fails a positive operator and satisfies a negated one
                    // (IAM User Guide, "Condition operators": the negated operators).
                    None => self.operator.negated(),
                };
        };
        // The policy's values with their variables resolved: one that cannot be resolved
        // (its key absent or multivalued, no default) equals and is like nothing.
        let resolved: std::borrow::Cow<'_, [String]> = if self.variables {
            std::borrow::Cow::Owned(
                self.values
                    .iter()
                    .filter_map(|v| substitute(v, context, self.operator.is_pattern()))
                    .collect(),
            )
        } else {
            std::borrow::Cow::Borrowed(&self.values)
        };
        // One request value satisfies the operator: a positive operator matches some policy
        // value; a negated one matches none.
        let satisfies = |r: &String| {
            resolved.iter().any(|p| self.operator.matches_one(r, p)) != self.operator.negated()
        };
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => request_values.iter().all(satisfies),
            Some(SetQualifier::ForAnyValue) => request_values.iter().any(satisfies),
            // Without a set operator: a positive operator holds when any value matches; a
            // negated one when no value matches.
            None => {
                let any = request_values
                    .iter()
                    .any(|r| resolved.iter().any(|p| self.operator.matches_one(r, p)));
                any != self.operator.negated()
            }
        }
    }
}

/// Whether `address` lies in `range` (`203.0.113.0/24`, `2001:db8::/32`, or one address).
fn ip_in_range(address: &str, range: &str) -> bool {
    let Ok(address) = address.trim().parse::<std::net::IpAddr>() else {
        return false;
    };
    let Some((network, bits)) = parse_cidr(range) else {
        return false;
    };
    match (address, network) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(n)) => {
            prefix_equal(&a.octets(), &n.octets(), bits)
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(n)) => {
            prefix_equal(&a.octets(), &n.octets(), bits)
        }
        _ => false,
    }
}

/// A CIDR range or a single address (a full-length prefix).
pub(super) fn parse_cidr(range: &str) -> Option<(std::net::IpAddr, u32)> {
    let (address, bits) = match range.trim().split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().ok()?)),
        None => (range.trim(), None),
    };
    let address = address.parse::<std::net::IpAddr>().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((address, bits))
}

/// Whether the first `bits` bits of `a` and `b` are the same.
fn prefix_equal(a: &[u8], b: &[u8], bits: u32) -> bool {
    let whole = (bits / 8) as usize;
    let rest = bits % 8;
    a[..whole] == b[..whole]
        && (rest == 0 || {
            let mask = 0xffu8 << (8 - rest);
            a[whole] & mask == b[whole] & mask
        })
}

/// BinaryEquals: the request's value (its bytes) against the policy's base-64 text.
fn binary_equals(request: &str, policy: &str) -> bool {
    data_encoding::BASE64
        .decode(policy.trim().as_bytes())
        .is_ok_and(|bytes| bytes == request.as_bytes())
}

/// Stands for a literal `*` (`${*}`) in a pattern, where `*` itself is a wildcard.
pub(super) const LITERAL_STAR: char = '\u{E000}';
/// Stands for a literal `?` (`${?}`) in a pattern.
pub(super) const LITERAL_QUESTION: char = '\u{E001}';

/// `text` with its policy variables resolved from `context` (IAM User Guide, "IAM policy
/// elements: Variables and tags"): `${key}` is the key's one value; `${key, 'default'}` the
/// default when the key is absent (`''` is a quote in it); `${*}`, `${?}`, `${$}` the
/// characters themselves (literal, even in a pattern). `None` when a variable cannot be
/// resolved (absent or multivalued key without a default, or malformed): the element then
/// matches nothing, as AWS documents for variables without a value.
pub fn substitute(text: &str, context: &dyn ContextKeys, pattern: bool) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let body_start = &rest[start + 2..];
        let (body, after) = variable_body(body_start)?;
        match body.trim() {
            "*" => out.push(if pattern { LITERAL_STAR } else { '*' }),
            "?" => out.push(if pattern { LITERAL_QUESTION } else { '?' }),
            "$" => out.push('$'),
            inner => {
                let (key, default) = match inner.split_once(',') {
                    Some((key, default)) => (key.trim(), Some(quoted(default.trim())?)),
                    None => (inner, None),
                };
                if key.is_empty() || key.contains(char::is_whitespace) {
                    return None;
                }
                match context.values(key) {
                    Some(values) if values.len() == 1 => out.push_str(&values[0]),
                    _ => out.push_str(&default?),
                }
            }
        }
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// The text up to the variable's closing brace (not one inside its quoted default), and what
/// follows it.
fn variable_body(text: &str) -> Option<(&str, &str)> {
    let mut in_quote = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '}' if !in_quote => return Some((&text[..i], &text[i + 1..])),
            _ => {}
        }
    }
    None
}

/// A default value: `'text'`, where `''` stands for one quote.
fn quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside the quotes a quote only ever comes doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
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
