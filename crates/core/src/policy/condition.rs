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
}

pub(super) const OPERATORS: [(&str, Operator); 24] = [
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

    pub(super) fn holds(&self, context: &dyn ContextKeys) -> bool {
        let present = context.values(&self.key);
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
