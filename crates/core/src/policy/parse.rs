//! Reading policy documents, with the path to any bad element.

use serde_json::Value;

use super::condition::OPERATORS;
use super::*;

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

/// Whether `text` holds a policy variable, `${…}`.
fn has_variable(text: &str) -> bool {
    text.contains("${")
}

fn parse_conditions(
    value: &Value,
    path: &str,
    variables: bool,
) -> Result<Vec<Condition>, PolicyError> {
    let Some(ops) = value.as_object() else {
        return err(path, "must be an object of operators");
    };
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let p = format!("{path}.{op_name}");
        let (qualifier, unqualified) = match op_name.split_once(':') {
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some(_) => {
                return err(
                    &p,
                    "unknown set operator (use ForAllValues: or ForAnyValue:)",
                )
            }
            None => (None, op_name.as_str()),
        };
        let (base, if_exists) = match unqualified.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (unqualified, false),
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
            let vpath = format!("{p}.{key}");
            let values = strings(values, &vpath)?;
            check_values(operator, &values, &vpath)?;
            out.push(Condition {
                qualifier,
                operator,
                if_exists,
                key: key.clone(),
                variables: variables
                    && operator.takes_variables()
                    && values.iter().any(|v| has_variable(v)),
                values,
            });
        }
    }
    Ok(out)
}

/// Values an operator can never compare with fail at parse time, as IAM refuses them, rather
/// than silently never matching.
fn check_values(operator: Operator, values: &[String], path: &str) -> Result<(), PolicyError> {
    for (i, v) in values.iter().enumerate() {
        let at = || {
            if values.len() == 1 {
                path.to_owned()
            } else {
                format!("{path}[{i}]")
            }
        };
        match operator {
            Operator::IpAddress | Operator::NotIpAddress if condition::parse_cidr(v).is_none() => {
                return err(&at(), format!("{v:?} is not an IP address or CIDR range"));
            }
            Operator::BinaryEquals if data_encoding::BASE64.decode(v.as_bytes()).is_err() => {
                return err(&at(), format!("{v:?} is not base-64"));
            }
            Operator::Null | Operator::Bool
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                return err(&at(), format!("{v:?} is not true or false"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn parse_statement(value: &Value, path: &str, variables: bool) -> Result<Statement, PolicyError> {
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
        Some(c) => parse_conditions(c, &format!("{path}.Condition"), variables)?,
        None => Vec::new(),
    };
    let resource_variables = variables
        && resource
            .as_ref()
            .is_some_and(|b| b.items.iter().any(|r| has_variable(r)));
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
        resource_variables,
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
        // Policy variables exist only in the 2012-10-17 language; in 2008-10-17 (the default
        // when Version is absent) `${…}` is literal text (IAM User Guide, "IAM JSON policy
        // elements: Version").
        let variables = version.as_deref() == Some("2012-10-17");
        let statements = match obj.get("Statement") {
            None => return err("$", "is missing Statement"),
            Some(Value::Array(list)) if list.is_empty() => {
                return err("Statement", "must not be empty")
            }
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, s)| parse_statement(s, &format!("Statement[{i}]"), variables))
                .collect::<Result<_, _>>()?,
            Some(single) => vec![parse_statement(single, "Statement", variables)?],
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

    /// Refuses a statement without `Principal`, or with `NotPrincipal`: what IAM requires of a
    /// role's trust policy (IAM User Guide, "AWS JSON policy elements: NotPrincipal": it is
    /// not supported in role trust policies, and not with Allow).
    pub fn check_trust_policy(&self) -> Result<(), PolicyError> {
        for (i, s) in self.statements.iter().enumerate() {
            match &s.principal {
                None => {
                    return err(&format!("Statement[{i}]"), "is missing Principal");
                }
                Some(b) if b.negated => {
                    return err(
                        &format!("Statement[{i}].NotPrincipal"),
                        "NotPrincipal is not supported in a role trust policy",
                    );
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}
