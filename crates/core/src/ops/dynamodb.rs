//! DynamoDB ListTables, DescribeTable, Scan and GetItem under the caller's permissions.

use crate::clock::Timestamp;
use crate::world::{Item, Table, World};

use super::*;

/// What a read asks for beyond its key: the top-level attributes it names
/// (`ProjectionExpression` with its `#names` resolved, or the legacy `AttributesToGet`) and
/// `Select`. They are its `dynamodb:Attributes` and `dynamodb:Select` condition keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Projection {
    /// The attribute names, when the request names any.
    pub attributes: Option<Vec<String>>,
    /// `Select`, as given (`SPECIFIC_ATTRIBUTES` when attributes are named without it).
    pub select: Option<String>,
}

impl Projection {
    /// `item` with only the attributes asked for.
    pub fn apply(&self, item: &Item) -> Item {
        match &self.attributes {
            None => item.clone(),
            Some(names) => item
                .iter()
                .filter(|(k, _)| names.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}

impl World {
    fn table_arn(&self, account: &crate::validation::AccountId, table: &str) -> String {
        Arn::Table {
            region: self.region.clone(),
            account: account.clone(),
            name: table.to_owned(),
        }
        .to_string()
    }

    /// Authenticates, authorises `action` on the table, and finds it; with the table's ARN.
    fn table_for(
        &self,
        presented: Presented<'_>,
        action: &str,
        table: &str,
        now: Timestamp,
    ) -> Result<(&Table, String), ApiError> {
        self.table_for_with(presented, action, table, now, |_| Vec::new())
    }

    /// [`World::table_for`] with the request's own condition keys, which `keys` works out from
    /// the table (when it exists: a missing table is refused after authorising, as ever).
    fn table_for_with(
        &self,
        presented: Presented<'_>,
        action: &str,
        table: &str,
        now: Timestamp,
        keys: impl FnOnce(&Table) -> Vec<(&'static str, Vec<String>)>,
    ) -> Result<(&Table, String), ApiError> {
        let caller = self.authenticate(presented, now)?;
        let account = caller.identity.account().clone();
        let arn = self.table_arn(&account, table);
        let request_keys = self
            .account(&account)
            .and_then(|a| a.table(table))
            .map(keys)
            .unwrap_or_default();
        self.authorize_with(&caller, action, &arn, now, request_keys)?;
        self.account(&account)
            .and_then(|a| a.table(table))
            .map(|t| (t, arn))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ResourceNotFound,
                    format!("Requested resource not found: Table: {table} not found"),
                )
            })
    }

    /// DynamoDB ListTables: the caller's account's table names, sorted.
    pub fn dynamodb_list_tables(
        &self,
        presented: Presented<'_>,
        now: Timestamp,
    ) -> Result<Vec<String>, ApiError> {
        let caller = self.authenticate(presented, now)?;
        self.authorize(&caller, "dynamodb:ListTables", "*", now)?;
        let mut names: Vec<String> = self
            .account(caller.identity.account())
            .map(|a| a.tables.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        names.sort();
        Ok(names)
    }

    /// DynamoDB DescribeTable.
    pub fn dynamodb_describe_table(
        &self,
        presented: Presented<'_>,
        table: &str,
        now: Timestamp,
    ) -> Result<TableDescription, ApiError> {
        let (t, arn) = self.table_for(presented, "dynamodb:DescribeTable", table, now)?;
        Ok(TableDescription {
            name: t.name.clone(),
            arn,
            hash_key: t.hash_key.clone(),
            range_key: t.range_key.clone(),
            item_count: t.items.len(),
        })
    }

    /// DynamoDB Scan: every item.
    pub fn dynamodb_scan(
        &self,
        presented: Presented<'_>,
        table: &str,
        now: Timestamp,
    ) -> Result<Vec<Item>, ApiError> {
        self.dynamodb_scan_projected(presented, table, &Projection::default(), now)
    }

    /// DynamoDB Scan of the attributes `projection` names (`dynamodb:Attributes`,
    /// `dynamodb:Select`).
    pub fn dynamodb_scan_projected(
        &self,
        presented: Presented<'_>,
        table: &str,
        projection: &Projection,
        now: Timestamp,
    ) -> Result<Vec<Item>, ApiError> {
        let (t, _) = self.table_for_with(presented, "dynamodb:Scan", table, now, |_| {
            projection_keys(projection)
        })?;
        Ok(t.items.iter().map(|i| projection.apply(i)).collect())
    }

    /// DynamoDB GetItem: the item whose key attributes equal `key` (DynamoDB JSON), if any.
    pub fn dynamodb_get_item(
        &self,
        presented: Presented<'_>,
        table: &str,
        key: &Item,
        now: Timestamp,
    ) -> Result<Option<Item>, ApiError> {
        self.dynamodb_get_item_projected(presented, table, key, &Projection::default(), now)
    }

    /// DynamoDB GetItem of the attributes `projection` names; its key is
    /// `dynamodb:LeadingKeys`, its attributes `dynamodb:Attributes`.
    pub fn dynamodb_get_item_projected(
        &self,
        presented: Presented<'_>,
        table: &str,
        key: &Item,
        projection: &Projection,
        now: Timestamp,
    ) -> Result<Option<Item>, ApiError> {
        // dynamodb:LeadingKeys is the partition key's value the request names (DynamoDB
        // Developer Guide, "Using IAM policy conditions for fine-grained access control").
        let leading = |t: &Table| {
            let value = key
                .get(&t.hash_key.name)
                .and_then(|v| v.get(&t.hash_key.kind))
                .and_then(|v| v.as_str().map(str::to_owned));
            let mut keys = projection_keys(projection);
            keys.extend(value.map(|v| ("dynamodb:LeadingKeys", vec![v])));
            keys
        };
        let (t, _) = self.table_for_with(presented, "dynamodb:GetItem", table, now, leading)?;
        let key_names: Vec<&str> = std::iter::once(&t.hash_key)
            .chain(&t.range_key)
            .map(|k| k.name.as_str())
            .collect();
        let mut given: Vec<&str> = key.keys().map(String::as_str).collect();
        given.sort_unstable();
        let mut wanted = key_names.clone();
        wanted.sort_unstable();
        if given != wanted {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "The provided key element does not match the schema",
            ));
        }
        Ok(t.items
            .iter()
            .find(|item| key_names.iter().all(|k| item.get(*k) == key.get(*k)))
            .map(|item| projection.apply(item)))
    }
}

/// A read's `dynamodb:Attributes` and `dynamodb:Select` (DynamoDB Developer Guide, "Using IAM
/// policy conditions for fine-grained access control"); absent when the read names none.
fn projection_keys(projection: &Projection) -> Vec<(&'static str, Vec<String>)> {
    let mut keys = Vec::new();
    if let Some(names) = &projection.attributes {
        keys.push(("dynamodb:Attributes", names.clone()));
    }
    if let Some(select) = &projection.select {
        keys.push(("dynamodb:Select", vec![select.clone()]));
    }
    keys
}

/// What DescribeTable reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDescription {
    /// The table name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The partition key.
    pub hash_key: crate::world::KeyAttribute,
    /// The sort key.
    pub range_key: Option<crate::world::KeyAttribute>,
    /// How many items it holds.
    pub item_count: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access
    /// control": a read's attributes are `dynamodb:Attributes` and its Select
    /// `dynamodb:Select`; a read that names neither has neither key.
    #[test]
    fn a_read_s_projection_is_its_condition_keys() {
        let projection = Projection {
            attributes: Some(vec!["Player".into(), "Score".into()]),
            select: Some("SPECIFIC_ATTRIBUTES".into()),
        };
        assert_eq!(
            projection_keys(&projection),
            [
                (
                    "dynamodb:Attributes",
                    vec!["Player".to_owned(), "Score".to_owned()]
                ),
                ("dynamodb:Select", vec!["SPECIFIC_ATTRIBUTES".to_owned()]),
            ]
        );
        assert!(projection_keys(&Projection::default()).is_empty());
    }
}
