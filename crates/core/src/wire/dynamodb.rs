//! The DynamoDB JSON 1.0 protocol: the operation is named by `X-Amz-Target`, the body is
//! JSON, errors are `{"__type": "…#Code", "message": "…"}`. Both sides: the emulator reads
//! requests and writes answers; the console writes requests and reads answers.

use serde::Deserialize;
use serde_json::{json, Value};

use super::WireError;
use crate::ops::{Projection, TableDescription};
use crate::world::Item;

/// The `X-Amz-Target` prefix of DynamoDB's API version.
pub const TARGET_PREFIX: &str = "DynamoDB_20120810.";
/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// The prefix of an error's `__type`.
const ERROR_PREFIX: &str = "com.amazonaws.dynamodb.v20120810#";

/// A DynamoDB request.
#[derive(Clone, Debug, PartialEq)]
pub enum DynamoRequest {
    /// `ListTables`.
    ListTables,
    /// `DescribeTable`.
    DescribeTable {
        /// `TableName`.
        table: String,
    },
    /// `Scan`.
    Scan {
        /// `TableName`.
        table: String,
        /// The attributes asked for, and `Select`.
        projection: Projection,
    },
    /// `GetItem`.
    GetItem {
        /// `TableName`.
        table: String,
        /// `Key`, in DynamoDB JSON.
        key: Item,
        /// The attributes asked for.
        projection: Projection,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Body {
    table_name: Option<String>,
    key: Option<Item>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<std::collections::BTreeMap<String, String>>,
    attributes_to_get: Option<Vec<String>>,
    select: Option<String>,
}

/// The request's projection (DynamoDB API Reference, Scan and GetItem: `ProjectionExpression`,
/// `ExpressionAttributeNames`, `AttributesToGet`, `Select`).
fn projection(body: &Body) -> Result<Projection, WireError> {
    let invalid = |m: &str| WireError::BadParameter(m.to_owned());
    let attributes = match (&body.projection_expression, &body.attributes_to_get) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
            ))
        }
        (None, Some(names)) => Some(names.clone()),
        (Some(expression), None) => {
            let mut names = Vec::new();
            for path in expression.split(',') {
                // The top-level attribute a document path starts with.
                let top = path
                    .trim()
                    .split(['.', '['])
                    .next()
                    .unwrap_or_default()
                    .trim();
                let name = match top.strip_prefix('#') {
                    Some(_) => body
                        .expression_attribute_names
                        .as_ref()
                        .and_then(|n| n.get(top))
                        .cloned()
                        .ok_or_else(|| {
                            invalid(&format!("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: {top}"))
                        })?,
                    None if top.is_empty() => {
                        return Err(invalid(
                            "Invalid ProjectionExpression: The expression can not be empty",
                        ))
                    }
                    None => top.to_owned(),
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            Some(names)
        }
        (None, None) => None,
    };
    let select = match &body.select {
        Some(s)
            if ![
                "ALL_ATTRIBUTES",
                "ALL_PROJECTED_ATTRIBUTES",
                "SPECIFIC_ATTRIBUTES",
                "COUNT",
            ]
            .contains(&s.as_str()) =>
        {
            return Err(invalid(&format!(
                "1 validation error detected: Value '{s}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
            )))
        }
        Some(s) => Some(s.clone()),
        None => attributes.as_ref().map(|_| "SPECIFIC_ATTRIBUTES".to_owned()),
    };
    Ok(Projection { attributes, select })
}

/// Checks a table name against DynamoDB's rules (Developer Guide, "Supported data types and
/// naming rules": 3–255 characters of `a-z A-Z 0-9 _ - .`), before any work.
pub fn check_table_name(name: &str) -> Result<(), WireError> {
    let shown: String = name.chars().take(64).collect();
    let bad = |constraint: &str| {
        Err(WireError::BadParameter(format!(
            "1 validation error detected: Value '{shown}' at 'tableName' failed to satisfy constraint: {constraint}"
        )))
    };
    if !(3..=255).contains(&name.len()) {
        return bad(
            "Member must have length less than or equal to 255 and greater than or equal to 3",
        );
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    {
        return bad("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    Ok(())
}

impl DynamoRequest {
    /// Reads a request from its `X-Amz-Target` header and JSON body.
    pub fn parse(target: &str, body: &str) -> Result<DynamoRequest, WireError> {
        let operation = target
            .strip_prefix(TARGET_PREFIX)
            .ok_or_else(|| WireError::UnknownAction(target.to_owned()))?;
        let body: Body = serde_json::from_str(if body.trim().is_empty() { "{}" } else { body })
            .map_err(|e| WireError::BadParameter(format!("Malformed request body: {e}")))?;
        let table = || {
            let name = body.table_name.clone().ok_or_else(|| {
                WireError::BadParameter(
                    "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null".into(),
                )
            })?;
            check_table_name(&name)?;
            Ok::<String, WireError>(name)
        };
        Ok(match operation {
            "ListTables" => DynamoRequest::ListTables,
            "DescribeTable" => DynamoRequest::DescribeTable { table: table()? },
            "Scan" => DynamoRequest::Scan {
                table: table()?,
                projection: projection(&body)?,
            },
            "GetItem" => DynamoRequest::GetItem {
                table: table()?,
                key: body.key.clone().ok_or_else(|| {
                    WireError::BadParameter(
                        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null".into(),
                    )
                })?,
                projection: projection(&body)?,
            },
            other => return Err(WireError::UnknownAction(other.to_owned())),
        })
    }

    /// The operation's name (`Scan`).
    pub fn operation(&self) -> &'static str {
        match self {
            DynamoRequest::ListTables => "ListTables",
            DynamoRequest::DescribeTable { .. } => "DescribeTable",
            DynamoRequest::Scan { .. } => "Scan",
            DynamoRequest::GetItem { .. } => "GetItem",
        }
    }

    /// The call as the audit trail records it (the table's name; never a key or an item).
    pub fn audit_record(&self, region: &str) -> crate::ops::audit::Recorded {
        let mut call = crate::ops::audit::Recorded::api(
            "dynamodb.amazonaws.com",
            self.operation(),
            true,
            region,
        );
        if let DynamoRequest::DescribeTable { table }
        | DynamoRequest::Scan { table, .. }
        | DynamoRequest::GetItem { table, .. } = self
        {
            call.request_parameters = crate::world::trail::Json::of(&json!({ "tableName": table }));
        }
        call
    }

    /// The `X-Amz-Target` header value.
    pub fn target(&self) -> String {
        format!("{TARGET_PREFIX}{}", self.operation())
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        match self {
            DynamoRequest::ListTables => json!({}),
            DynamoRequest::DescribeTable { table } => json!({ "TableName": table }),
            DynamoRequest::Scan { table, projection } => {
                with_projection(json!({ "TableName": table }), projection)
            }
            DynamoRequest::GetItem {
                table,
                key,
                projection,
            } => with_projection(json!({ "TableName": table, "Key": key }), projection),
        }
        .to_string()
    }
}

/// `body` with the projection's `AttributesToGet` and `Select`.
fn with_projection(mut body: Value, projection: &Projection) -> Value {
    if let Some(names) = &projection.attributes {
        body["AttributesToGet"] = json!(names);
    }
    if let Some(select) = &projection.select {
        body["Select"] = json!(select);
    }
    body
}

/// ListTables' answer.
pub fn list_tables_response(names: &[String]) -> String {
    json!({ "TableNames": names }).to_string()
}

/// DescribeTable's answer.
pub fn describe_table_response(t: &TableDescription) -> String {
    let keys: Vec<(&crate::world::KeyAttribute, &str)> = std::iter::once((&t.hash_key, "HASH"))
        .chain(t.range_key.iter().map(|k| (k, "RANGE")))
        .collect();
    json!({
        "Table": {
            "TableName": t.name,
            "TableArn": t.arn,
            "TableStatus": "ACTIVE",
            "ItemCount": t.item_count,
            "KeySchema": keys.iter().map(|(k, kind)| json!({"AttributeName": k.name, "KeyType": kind})).collect::<Vec<_>>(),
            "AttributeDefinitions": keys.iter().map(|(k, _)| json!({"AttributeName": k.name, "AttributeType": k.kind})).collect::<Vec<_>>(),
            "BillingModeSummary": { "BillingMode": "PAY_PER_REQUEST" },
        }
    })
    .to_string()
}

/// Scan's answer.
pub fn scan_response(items: &[Item]) -> String {
    json!({ "Items": items, "Count": items.len(), "ScannedCount": items.len() }).to_string()
}

/// Scan's answer to `Select: COUNT`: the count alone.
pub fn scan_count_response(count: usize) -> String {
    json!({ "Count": count, "ScannedCount": count }).to_string()
}

/// GetItem's answer (`{}` when there is no such item, as DynamoDB answers).
pub fn get_item_response(item: Option<&Item>) -> String {
    match item {
        Some(item) => json!({ "Item": item }).to_string(),
        None => "{}".to_owned(),
    }
}

/// An error body for `code` (`AccessDeniedException`).
pub fn error_body(code: &str, message: &str) -> String {
    json!({ "__type": format!("{ERROR_PREFIX}{code}"), "message": message }).to_string()
}

/// What a DynamoDB error body says: the code (without its namespace) and message.
pub fn parse_error(body: &str) -> Result<(String, String), WireError> {
    let v: Value = serde_json::from_str(body).map_err(|e| WireError::Malformed(e.to_string()))?;
    let kind = v["__type"]
        .as_str()
        .ok_or_else(|| WireError::Malformed("error without __type".into()))?;
    let code = kind.rsplit('#').next().unwrap_or(kind).to_owned();
    // DynamoDB writes `message`; some endpoints write `Message`.
    let message = v["message"]
        .as_str()
        .or(v["Message"].as_str())
        .unwrap_or_default()
        .to_owned();
    Ok((code, message))
}

/// ListTables' table names.
pub fn parse_list_tables(body: &str) -> Result<Vec<String>, WireError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        table_names: Vec<String>,
    }
    serde_json::from_str::<Answer>(body)
        .map(|a| a.table_names)
        .map_err(|e| WireError::Malformed(e.to_string()))
}

/// Scan's items.
pub fn parse_scan(body: &str) -> Result<Vec<Item>, WireError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        items: Vec<Item>,
    }
    serde_json::from_str::<Answer>(body)
        .map(|a| a.items)
        .map_err(|e| WireError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip() {
        let mut key = Item::new();
        key.insert("UserId".into(), json!({"S": "u1"}));
        for r in [
            DynamoRequest::ListTables,
            DynamoRequest::DescribeTable {
                table: "Tab".into(),
            },
            DynamoRequest::Scan {
                table: "Tab".into(),
                projection: Projection::default(),
            },
            DynamoRequest::Scan {
                table: "Tab".into(),
                projection: Projection {
                    attributes: Some(vec!["UserId".into(), "TopScore".into()]),
                    select: Some("SPECIFIC_ATTRIBUTES".into()),
                },
            },
            DynamoRequest::GetItem {
                table: "Tab".into(),
                key,
                projection: Projection::default(),
            },
        ] {
            assert_eq!(DynamoRequest::parse(&r.target(), &r.body()), Ok(r));
        }
        // ProjectionExpression: top-level names, #names resolved, Select implied.
        let r = DynamoRequest::parse(
            "DynamoDB_20120810.Scan",
            r##"{"TableName":"Tab","ProjectionExpression":"UserId, #s, Games[0].Title, #s.x","ExpressionAttributeNames":{"#s":"TopScore"}}"##,
        );
        assert_eq!(
            r,
            Ok(DynamoRequest::Scan {
                table: "Tab".into(),
                projection: Projection {
                    attributes: Some(vec!["UserId".into(), "TopScore".into(), "Games".into()]),
                    select: Some("SPECIFIC_ATTRIBUTES".into()),
                },
            })
        );
        for bad in [
            r##"{"TableName":"Tab","ProjectionExpression":"#missing"}"##,
            r#"{"TableName":"Tab","ProjectionExpression":"A","AttributesToGet":["A"]}"#,
            r#"{"TableName":"Tab","Select":"EVERYTHING"}"#,
            r#"{"TableName":"Tab","ProjectionExpression":" , A"}"#,
        ] {
            assert!(
                matches!(
                    DynamoRequest::parse("DynamoDB_20120810.Scan", bad),
                    Err(WireError::BadParameter(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            DynamoRequest::parse("DynamoDB_20120810.ListTables", ""),
            Ok(DynamoRequest::ListTables)
        );
    }

    #[test]
    fn bad_requests_are_named() {
        assert!(matches!(
            DynamoRequest::parse("DynamoDB_20120810.Scan", "{}"),
            Err(WireError::BadParameter(m)) if m.contains("tableName")
        ));
        assert!(matches!(
            DynamoRequest::parse("DynamoDB_20120810.Scan", "{"),
            Err(WireError::BadParameter(_))
        ));
        assert_eq!(
            DynamoRequest::parse("DynamoDB_20120810.DeleteTable", "{}"),
            Err(WireError::UnknownAction("DeleteTable".into()))
        );
        assert!(matches!(
            DynamoRequest::parse("Other.Scan", "{}"),
            Err(WireError::UnknownAction(_))
        ));
    }

    #[test]
    fn answers_read_back() {
        let names = vec!["A".to_owned(), "B".to_owned()];
        assert_eq!(parse_list_tables(&list_tables_response(&names)), Ok(names));
        let mut item = Item::new();
        item.insert("Score".into(), json!({"N": "7"}));
        assert_eq!(
            parse_scan(&scan_response(std::slice::from_ref(&item))),
            Ok(vec![item])
        );
        assert_eq!(
            parse_error(&error_body("AccessDeniedException", "User: x <y>")),
            Ok(("AccessDeniedException".into(), "User: x <y>".into()))
        );
        for bad in ["", "[]", "{\"TableNames\": 3}"] {
            assert!(parse_list_tables(bad).is_err(), "{bad}");
            assert!(parse_error(bad).is_err(), "{bad}");
        }
    }
}
