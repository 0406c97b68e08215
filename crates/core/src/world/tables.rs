//! DynamoDB tables and their items.

use serde::{Deserialize, Serialize};

/// A DynamoDB key attribute: its name and scalar type (`S`, `N` or `B`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyAttribute {
    /// The attribute name.
    pub name: String,
    /// `S`, `N` or `B`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A DynamoDB item in DynamoDB JSON (`{"Attr": {"S": "…"}}`).
pub type Item = serde_json::Map<String, serde_json::Value>;

/// An attribute value as a person reads it: strings and numbers as written, booleans and
/// null as words, anything else (sets, maps, lists, binary) as compact JSON.
pub fn attribute_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    let single = value
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.iter().next());
    match single {
        Some((kind, Value::String(s))) if kind == "S" || kind == "N" => s.clone(),
        Some((kind, Value::Bool(b))) if kind == "BOOL" => b.to_string(),
        Some((kind, Value::Bool(true))) if kind == "NULL" => "null".to_owned(),
        _ => value.to_string(),
    }
}

/// The attribute names of `items` for a table's columns: the key attributes first, then the
/// others in first-seen order.
pub fn item_columns(table_keys: &[&str], items: &[Item]) -> Vec<String> {
    let mut columns: Vec<String> = table_keys.iter().map(|k| (*k).to_owned()).collect();
    for item in items {
        for name in item.keys() {
            if !columns.iter().any(|c| c == name) {
                columns.push(name.clone());
            }
        }
    }
    columns.retain(|c| items.is_empty() || items.iter().any(|i| i.contains_key(c)));
    columns
}

/// A DynamoDB table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Table {
    /// The table name.
    pub name: String,
    /// The partition key.
    pub hash_key: KeyAttribute,
    /// The sort key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_key: Option<KeyAttribute>,
    /// The items.
    #[serde(default)]
    pub items: Vec<Item>,
}
