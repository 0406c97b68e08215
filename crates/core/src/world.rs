//! The world: accounts with aliases, users, groups, roles, DynamoDB tables, and the live
//! sessions issued by the operations in [`crate::ops`].
//!
//! A world is loaded from one JSON document (format below, the demo world is
//! `public/demo-world.json`); loading checks every reference and policy, so a world that loads
//! is consistent. Secrets never show in `Debug` output and are compared in constant time.
//!
//! ```json
//! { "format": 1, "region": "us-west-2",
//!   "accounts": [ { "id": "111111111111", "alias": "example-corp",
//!     "users":  [ { "name": "David", "password": "…",
//!                   "accessKeys": [ { "id": "AKIA…", "secret": "…" } ],
//!                   "mfa": { "serial": "arn:aws:iam::111111111111:mfa/David", "seed": "<base32>" },
//!                   "groups": ["Developers"], "policies": { "<name>": <policy document> } } ],
//!     "groups": [ { "name": "Developers", "policies": { "<name>": <policy document> } } ],
//!     "roles":  [ { "name": "SensitiveDataAccess", "path": "/", "maxSessionDuration": 3600,
//!                   "trustPolicy": <policy document>, "policies": { … } } ],
//!     "tables": [ { "name": "DevScores", "hashKey": { "name": "UserId", "type": "S" },
//!                   "rangeKey": { "name": "GameTitle", "type": "S" },
//!                   "items": [ { "UserId": { "S": "101" }, … } ] } ] } ] }
//! ```
//! Items are written in DynamoDB's JSON form (`{"S": "…"}`, `{"N": "…"}`, …).
//!
//! Optional, for every policy type (issue 12): an account's customer managed policies
//! (`"policies": [ { "name", "path", "description", "document" } ]`); on users, groups and
//! roles `"attachedPolicies": ["<managed policy ARN>", …]` (the account's own or
//! `arn:aws:iam::aws:policy/<name>` of [`AWS_MANAGED`]); on users and roles
//! `"permissionsBoundary": "<managed policy ARN>"` and `"tags": { "team": "blue" }`; on roles
//! `"id": "AROA…"`; and at the top an organization:
//!
//! ```json
//! "organization": { "managementAccount": "111111111111",
//!   "policies": [ { "name": "ProtectSwitchRole", "document": <policy document> } ],
//!   "root": { "name": "Root", "policies": ["FullAWSAccess"], "accounts": [ { "id": "111111111111" } ],
//!             "units": [ { "name": "Production", "policies": ["FullAWSAccess", "ProtectSwitchRole"],
//!                          "accounts": [ { "id": "222222222222", "policies": [] } ] } ] } }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::arn::Arn;
use crate::clock::Timestamp;
use crate::policy::{Policy, PolicyError};
use crate::totp::Totp;
use crate::validation::{
    AccountAlias, AccountId, AccountRef, GroupName, IamPath, RoleName, RoleSessionName,
    SerialNumber, UserName,
};

/// The world-file format version this code reads and writes.
pub const WORLD_FORMAT: u32 = 1;

/// A secret (password, secret access key, session token, MFA seed): hidden from `Debug` and
/// `Display`, compared in constant time.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the rare places that must use it (signing, the wire).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Constant-time comparison with `candidate`.
    pub fn matches(&self, candidate: &str) -> bool {
        crate::ct::eq(self.0.as_bytes(), candidate.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A policy document: the JSON as written (returned by IAM reads) and its parsed form.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDoc {
    /// The document as given, as compact JSON text (kept as text, not as a JSON tree: a world
    /// of 100,000 roles holds 200,000 documents).
    source: Box<str>,
    /// The parsed policy.
    pub policy: Policy,
}

impl PolicyDoc {
    /// Parses a document given as JSON.
    pub fn from_value(source: serde_json::Value) -> Result<Self, PolicyError> {
        let text = source.to_string();
        Self::from_value_and_text(&source, text)
    }

    /// Parses `source`, whose compact text `text` already is.
    fn from_value_and_text(source: &serde_json::Value, text: String) -> Result<Self, PolicyError> {
        Ok(Self {
            policy: Policy::from_value(source)?,
            source: text.into_boxed_str(),
        })
    }

    /// The document as compact JSON text.
    pub fn text(&self) -> &str {
        &self.source
    }

    /// The document as JSON.
    pub fn document(&self) -> serde_json::Value {
        serde_json::from_str(&self.source).expect("the text was written from a JSON value")
    }

    /// Parses a document given as JSON text.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let source: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError {
            path: "$".into(),
            message: format!("not JSON: {e}"),
        })?;
        Self::from_value(source)
    }
}

impl Serialize for PolicyDoc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Written as the JSON it is, not as a string of JSON.
        serde_json::value::RawValue::from_string(self.source.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PolicyDoc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = serde_json::Value::deserialize(d)?;
        PolicyDoc::from_value(source).map_err(serde::de::Error::custom)
    }
}

thread_local! {
    /// While a world loads: the trust documents read so far, by text, so that roles with the
    /// same one share it (worlds often give many roles one trust policy; a generated world of
    /// 100,000 roles would otherwise hold 100,000 copies).
    static SHARED_DOCUMENTS: std::cell::RefCell<Option<std::collections::HashMap<String, std::sync::Arc<PolicyDoc>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Reads a document, sharing it with an identical one read before while a world loads
/// ([`World::from_json`] turns the sharing on; elsewhere every document is its own).
fn shared_document<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::sync::Arc<PolicyDoc>, D::Error> {
    let source = serde_json::Value::deserialize(d)?;
    let text = source.to_string();
    let known =
        SHARED_DOCUMENTS.with_borrow(|cache| cache.as_ref().and_then(|c| c.get(&text).cloned()));
    if let Some(doc) = known {
        return Ok(doc);
    }
    // Serialised once: the same text is the cache's key and the document's own.
    let doc = PolicyDoc::from_value_and_text(&source, text.clone())
        .map(std::sync::Arc::new)
        .map_err(serde::de::Error::custom)?;
    SHARED_DOCUMENTS.with_borrow_mut(|cache| {
        if let Some(c) = cache.as_mut() {
            c.insert(text, doc.clone());
        }
    });
    Ok(doc)
}

/// Turns document sharing on for the current thread until dropped.
pub(crate) struct SharingDocuments(());

impl SharingDocuments {
    pub(crate) fn start() -> Self {
        SHARED_DOCUMENTS.with_borrow_mut(|c| *c = Some(Default::default()));
        SharingDocuments(())
    }
}

impl Drop for SharingDocuments {
    fn drop(&mut self) {
        SHARED_DOCUMENTS.with_borrow_mut(|c| *c = None);
    }
}

/// Named inline policies.
///
/// A sorted list rather than a `BTreeMap`: an entity holds a handful of policies, and a
/// B-tree's node reserves room for eleven (about 1 KB per role in a world of 100,000 roles).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policies(Vec<(String, PolicyDoc)>);

impl Policies {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name))
    }

    /// The policy named `name`.
    pub fn get(&self, name: &str) -> Option<&PolicyDoc> {
        self.position(name).ok().map(|i| &self.0[i].1)
    }

    /// Adds or replaces the policy named `name`; answers the one replaced.
    pub fn insert(&mut self, name: String, doc: PolicyDoc) -> Option<PolicyDoc> {
        match self.position(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, doc)),
            Err(i) => {
                self.0.insert(i, (name, doc));
                None
            }
        }
    }

    /// Removes the policy named `name`; answers it.
    pub fn remove(&mut self, name: &str) -> Option<PolicyDoc> {
        self.position(name).ok().map(|i| self.0.remove(i).1)
    }

    /// The policies by name, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &PolicyDoc)> {
        self.0.iter().map(|(n, d)| (n, d))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(n, _)| n)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Policies {
    type Item = (&'a String, &'a PolicyDoc);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a PolicyDoc)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for Policies {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Policies {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, PolicyDoc>::deserialize(d)?;
        Ok(Policies(map.into_iter().collect()))
    }
}

/// A long-term access key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    /// The access key id (`AKIA…`).
    pub id: String,
    /// The secret access key.
    pub secret: Secret,
}

/// A virtual MFA device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaDevice {
    /// Its serial number (the device ARN).
    pub serial: SerialNumber,
    /// The base32 TOTP seed.
    pub seed: Secret,
}

impl MfaDevice {
    /// The device's code generator.
    pub fn totp(&self) -> Totp {
        Totp::from_base32(self.seed.expose()).expect("seed checked when the world was loaded")
    }
}

/// An IAM user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    /// The user name.
    pub name: UserName,
    /// The user's path.
    #[serde(default)]
    pub path: IamPath,
    /// The console password, if the user may sign in to the console.
    #[serde(default)]
    pub password: Option<Secret>,
    /// Long-term access keys.
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// The MFA device, if one is assigned.
    #[serde(default)]
    pub mfa: Option<MfaDevice>,
    /// Names of the groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<GroupName>,
    /// Tags: `aws:PrincipalTag/…` of the user's requests.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Managed policies attached (ARNs: the account's own or AWS managed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The permissions boundary (a managed policy's ARN), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Inline policies.
    #[serde(default)]
    pub policies: Policies,
}

/// An IAM group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    /// The group name.
    pub name: GroupName,
    /// The group's path.
    #[serde(default)]
    pub path: IamPath,
    /// Inline policies.
    #[serde(default)]
    pub policies: Policies,
    /// Managed policies attached (ARNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
}

fn default_max_session() -> u32 {
    3600
}

/// An IAM role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// The role name (case-sensitive).
    pub name: RoleName,
    /// The role's unique id (`AROA…`): random for a role CreateRole made; for one a world file
    /// gives without an id, derived from its ARN (stable across loads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The role's path.
    #[serde(default)]
    pub path: IamPath,
    /// A description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The longest session it grants, 3600–43200 seconds.
    #[serde(default = "default_max_session")]
    pub max_session_duration: u32,
    /// Who may assume it. Roles with the same trust document share one copy (see
    /// [`shared_document`]).
    #[serde(deserialize_with = "shared_document")]
    pub trust_policy: std::sync::Arc<PolicyDoc>,
    /// What a session of it may do (inline policies).
    #[serde(default)]
    pub policies: Policies,
    /// Tags: `aws:PrincipalTag/…` of its sessions' requests, below their session tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Managed policies attached (ARNs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The permissions boundary (a managed policy's ARN), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// When a session of it was last started (IAM's `RoleLastUsed.LastUsedDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<crate::clock::Timestamp>,
}

impl Role {
    /// The role's unique id (`AROA…`).
    pub fn unique_id(&self, account: &AccountId) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => crate::ops::unique_id(
                "AROA",
                &Arn::role(account, &self.path, &self.name).to_string(),
            ),
        }
    }
}

/// An IAM user's or role's tags, `{"team": "blue"}` in the world file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tags(pub std::collections::BTreeMap<String, String>);

impl Tags {
    /// The tag `key` (IAM tag keys compare case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

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

/// The root user's sign-in, when the world gives one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootUser {
    /// The e-mail address root signs in with.
    pub email: String,
    /// Root's password.
    pub password: Secret,
}

/// An AWS account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    /// The 12-digit id.
    pub id: AccountId,
    /// The root user's sign-in, if root may sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<RootUser>,
    /// The alias, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<AccountAlias>,
    /// Users.
    #[serde(default)]
    pub users: Vec<User>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// DynamoDB tables.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Customer managed policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<ManagedPolicy>,
}

/// A customer managed policy (its default version).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagedPolicy {
    /// The policy name (1–128 characters, `[\w+=,.@-]`).
    pub name: String,
    /// Its path.
    #[serde(default)]
    pub path: IamPath,
    /// A description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document (the policy's one version, `v1`).
    pub document: PolicyDoc,
}

impl ManagedPolicy {
    /// Its ARN in `account`.
    pub fn arn(&self, account: &AccountId) -> String {
        format!("arn:aws:iam::{account}:policy{}{}", self.path, self.name)
    }
}

/// The AWS managed policies crossrole knows, by name: what AWS's documents of the same name
/// grant for the services crossrole serves (STS, IAM, DynamoDB), written here (AWS's own
/// documents list hundreds of services' actions).
pub const AWS_MANAGED: [(&str, &str); 5] = [
    (
        "AdministratorAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:BatchGet*","dynamodb:Describe*","dynamodb:Get*","dynamodb:List*","dynamodb:PartiQLSelect","dynamodb:Query","dynamodb:Scan","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","sts:GetCallerIdentity"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonDynamoDBFullAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:*"],"Effect":"Allow","Resource":"*"}]}"#,
    ),
    (
        "AmazonDynamoDBReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Action":["dynamodb:BatchGetItem","dynamodb:Describe*","dynamodb:List*","dynamodb:GetAbacStatus","dynamodb:GetItem","dynamodb:GetResourcePolicy","dynamodb:Query","dynamodb:Scan","dynamodb:PartiQLSelect"],"Effect":"Allow","Resource":"*"}]}"#,
    ),
    (
        "IAMReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}"#,
    ),
];

/// The ARN prefix of AWS managed policies.
pub const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// The AWS managed policy named by `arn`, parsed once.
pub fn aws_managed(arn: &str) -> Option<&'static PolicyDoc> {
    static PARSED: std::sync::OnceLock<Vec<PolicyDoc>> = std::sync::OnceLock::new();
    let name = arn.strip_prefix(AWS_MANAGED_PREFIX)?;
    let index = AWS_MANAGED.iter().position(|(n, _)| *n == name)?;
    let docs = PARSED.get_or_init(|| {
        AWS_MANAGED
            .iter()
            .map(|(_, text)| PolicyDoc::parse(text).expect("the built-in policies are valid"))
            .collect()
    });
    docs.get(index)
}

/// The SCP AWS attaches everywhere by default: allows everything.
pub const FULL_AWS_ACCESS: &str = "FullAWSAccess";

/// `FullAWSAccess`, parsed once.
pub fn aws_full_access() -> &'static PolicyDoc {
    static PARSED: std::sync::OnceLock<PolicyDoc> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        PolicyDoc::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .expect("FullAWSAccess is valid")
    })
}

/// An AWS Organization the world's accounts belong to: organizational units, where service
/// control policies are attached, and the management account, which SCPs never restrict
/// (AWS Organizations User Guide, "Service control policies").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organization {
    /// The management account.
    pub management_account: AccountId,
    /// The service control policies by name (`FullAWSAccess` is built in).
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
    /// The root, its units and their accounts.
    pub root: OrgUnit,
}

/// A named policy document (an SCP).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedPolicy {
    /// The policy name.
    pub name: String,
    /// The document.
    pub document: PolicyDoc,
}

/// The root or an organizational unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgUnit {
    /// Its name (`Root` for the root).
    pub name: String,
    /// The SCPs attached to it (none listed: `FullAWSAccess`, as AWS attaches by default).
    #[serde(default)]
    pub policies: Vec<String>,
    /// The accounts directly in it.
    #[serde(default)]
    pub accounts: Vec<OrgAccount>,
    /// Its child units.
    #[serde(default)]
    pub units: Vec<OrgUnit>,
}

/// An account's place in the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgAccount {
    /// The account.
    pub id: AccountId,
    /// The SCPs attached to the account itself (none listed: `FullAWSAccess`).
    #[serde(default)]
    pub policies: Vec<String>,
}

impl Organization {
    /// The SCP levels governing `account`, root first: at each level the names attached. `None`
    /// for the management account or an account outside the organization (no SCP applies).
    pub fn levels(&self, account: &AccountId) -> Option<Vec<(&str, &[String])>> {
        if *account == self.management_account {
            return None;
        }
        fn walk<'o>(
            unit: &'o OrgUnit,
            account: &AccountId,
            path: &mut Vec<(&'o str, &'o [String])>,
        ) -> bool {
            path.push((unit.name.as_str(), unit.policies.as_slice()));
            if let Some(a) = unit.accounts.iter().find(|a| a.id == *account) {
                path.push((a.id.as_str(), a.policies.as_slice()));
                return true;
            }
            if unit.units.iter().any(|u| walk(u, account, path)) {
                return true;
            }
            path.pop();
            false
        }
        let mut path = Vec::new();
        walk(&self.root, account, &mut path).then_some(path)
    }

    /// The organization's id (`o-` and ten characters), derived from its management account.
    pub fn id(&self) -> String {
        let unique = crate::ops::unique_id("", self.management_account.as_str());
        format!("o-{}", unique[..10].to_ascii_lowercase())
    }

    /// The SCP named `name`.
    pub fn policy(&self, name: &str) -> Option<&PolicyDoc> {
        self.policies
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.document)
    }
}

impl Account {
    /// The user named `name` (exact case).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name.as_str() == name)
    }

    /// The group named `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name.as_str() == name)
    }

    /// The role named `name` (exact case: role names are case-sensitive here).
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name.as_str() == name)
    }

    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Who acts in a session or with a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Identity {
    /// The account's root user: every permission in its account, but no role switching.
    Root {
        /// The account.
        account: AccountId,
    },
    /// An IAM user.
    User {
        /// The account.
        account: AccountId,
        /// The user name.
        name: UserName,
    },
    /// A session of an assumed role.
    AssumedRole {
        /// The role's account.
        account: AccountId,
        /// The role name.
        role: RoleName,
        /// The session name.
        session: RoleSessionName,
    },
}

impl Identity {
    /// The identity's account.
    pub fn account(&self) -> &AccountId {
        match self {
            Identity::Root { account }
            | Identity::User { account, .. }
            | Identity::AssumedRole { account, .. } => account,
        }
    }

    /// The ARN STS reports for it.
    pub fn arn(&self, world: &World) -> Arn {
        match self {
            Identity::Root { account } => Arn::root(account),
            Identity::User { account, name } => Arn::User {
                account: account.clone(),
                path: world
                    .account(account)
                    .and_then(|a| a.user(name.as_str()))
                    .map(|u| u.path.clone())
                    .unwrap_or_default(),
                name: name.to_string(),
            },
            Identity::AssumedRole {
                account,
                role,
                session,
            } => Arn::AssumedRole {
                account: account.clone(),
                role: role.clone(),
                session: session.clone(),
            },
        }
    }
}

/// How a session came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionKind {
    /// Console sign-in with a password.
    Console,
    /// `sts:GetSessionToken` with a long-term key.
    SessionToken,
    /// `sts:AssumeRole`.
    AssumedRole,
}

/// Temporary credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When they stop working.
    pub expiration: Timestamp,
}

impl Credentials {
    /// Whether they have stopped working at `now` (AWS: at their `Expiration`).
    pub fn expired(&self, now: Timestamp) -> bool {
        now >= self.expiration
    }
}

/// A live session: temporary credentials and what they stand for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The credentials.
    pub credentials: Credentials,
    /// Who acts with them.
    pub identity: Identity,
    /// How the session began.
    pub kind: SessionKind,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When MFA was last proven for the chain of sessions leading here, if ever.
    pub mfa_at: Option<Timestamp>,
    /// The role's path, for role sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_path: Option<IamPath>,
    /// The role's unique id (`AROA…`) when the session began: a role deleted and created
    /// again under the same name is another role, whose permissions the session never gets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// What AssumeRole's optional parameters gave a role session (shared, not copied, by
    /// every request that authenticates with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extras: Option<std::sync::Arc<SessionExtras>>,
}

/// What AssumeRole's optional parameters add to a role session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionExtras {
    /// `SourceIdentity`, set by this session or inherited through a role chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// The session policies (the inline one and the managed ones, as they were at the
    /// switch): the session may do only what one of them also allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session_policies: Vec<PolicyDoc>,
    /// Session tags (`aws:PrincipalTag/…`, over the role's own tags), with those inherited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// The tag keys that pass on to sessions this one starts by chaining.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitive_tag_keys: Vec<String>,
}

impl SessionExtras {
    /// The session tag `key` (tag keys compare case-insensitively, as IAM's do).
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// Where an identity policy comes from, as explanations name it (`user policy P`, `group G
/// policy P`, `role R policy P`). Written out only when a statement of it decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource<'a> {
    /// An inline policy of the user.
    User(&'a str),
    /// An inline policy of one of the user's groups: the group, the policy.
    Group(&'a str, &'a str),
    /// An inline policy of the role: the role, the policy.
    Role(&'a str, &'a str),
    /// A managed policy attached to the user, one of its groups, or the role: its name.
    Managed(&'a str),
}

impl PolicySource<'_> {
    /// The words of its name, e.g. `group Developers policy AllowSwitch`.
    fn words(&self) -> [&str; 4] {
        match self {
            PolicySource::User(p) => ["user policy ", p, "", ""],
            PolicySource::Group(g, p) => ["group ", g, " policy ", p],
            PolicySource::Role(r, p) => ["role ", r, " policy ", p],
            PolicySource::Managed(p) => ["managed policy ", p, "", ""],
        }
    }
}

impl fmt::Display for PolicySource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.words().iter().try_for_each(|w| f.write_str(w))
    }
}

/// Written in one allocation of the exact size: a decision names the policy of each
/// statement that applied, and through `Display` the text grew four times (issue 11).
impl crate::policy::PolicyName for PolicySource<'_> {
    fn policy_name(&self) -> String {
        self.words().concat()
    }
}

/// The whole simulated AWS: its accounts and the live sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct World {
    /// The format version ([`WORLD_FORMAT`]).
    pub format: u32,
    /// The one region the world lives in.
    pub region: String,
    /// The accounts.
    pub accounts: Vec<Account>,
    /// The organization the accounts belong to, if any (service control policies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Live sessions by access key id (runtime state: never written to a world file).
    #[serde(skip)]
    pub sessions: crate::sessions::Sessions,
    /// MFA codes used and failures, per device (runtime state: never written to a world file).
    #[serde(skip)]
    pub mfa_guard: crate::ops::MfaGuard,
    /// Authorization messages refusals carried (runtime state: never written to a world file).
    #[serde(skip)]
    pub authorization_messages: crate::ops::AuthorizationMessages,
}

impl World {
    /// The account with id `id`.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| &a.id == id)
    }

    /// The account `reference` names: by id, or by alias.
    pub fn resolve(&self, reference: &AccountRef) -> Option<&Account> {
        match reference {
            AccountRef::Id(id) => self.account(id),
            AccountRef::Alias(alias) => self
                .accounts
                .iter()
                .find(|a| a.alias.as_ref() == Some(alias)),
        }
    }

    /// The user and account owning long-term access key `key_id`.
    pub fn access_key(&self, key_id: &str) -> Option<(&Account, &User, &AccessKey)> {
        self.accounts.iter().find_map(|a| {
            a.users.iter().find_map(|u| {
                u.access_keys
                    .iter()
                    .find(|k| k.id == key_id)
                    .map(|k| (a, u, k))
            })
        })
    }

    /// The identity policies that apply to `identity`: a user's own and its groups', or the
    /// role's permission policies; each with a name that says where it comes from.
    pub fn identity_policies(
        &self,
        identity: &Identity,
    ) -> Vec<(PolicySource<'_>, &crate::policy::Policy)> {
        let Some(account) = self.account(identity.account()) else {
            return Vec::new();
        };
        match identity {
            // Root is not governed by identity policies (see `ops`).
            Identity::Root { .. } => Vec::new(),
            Identity::User { name, .. } => {
                let Some(user) = account.user(name.as_str()) else {
                    return Vec::new();
                };
                let own = user
                    .policies
                    .iter()
                    .map(|(n, d)| (PolicySource::User(n), &d.policy))
                    .chain(self.attached(&user.attached_policies));
                let groups = user
                    .groups
                    .iter()
                    .filter_map(|g| account.group(g.as_str()))
                    .flat_map(|g| {
                        g.policies
                            .iter()
                            .map(move |(n, d)| (PolicySource::Group(g.name.as_str(), n), &d.policy))
                            .chain(self.attached(&g.attached_policies))
                    });
                own.chain(groups).collect()
            }
            Identity::AssumedRole { role, .. } => account
                .role(role.as_str())
                .map(|r| {
                    r.policies
                        .iter()
                        .map(|(n, d)| (PolicySource::Role(r.name.as_str(), n), &d.policy))
                        .chain(self.attached(&r.attached_policies))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The managed policies `arns` names that exist, as evaluation sources.
    fn attached<'w>(
        &'w self,
        arns: &'w [String],
    ) -> impl Iterator<Item = (PolicySource<'w>, &'w crate::policy::Policy)> + 'w {
        arns.iter().filter_map(|arn| {
            self.managed_policy(arn)
                .map(|(name, doc)| (PolicySource::Managed(name), &doc.policy))
        })
    }

    /// The managed policy at `arn` (AWS managed, or a customer managed policy of an account of
    /// this world) and its name.
    pub fn managed_policy<'w>(&'w self, arn: &'w str) -> Option<(&'w str, &'w PolicyDoc)> {
        if let Some(name) = arn.strip_prefix(AWS_MANAGED_PREFIX) {
            return aws_managed(arn).map(|doc| (name, doc));
        }
        let rest = arn.strip_prefix("arn:aws:iam::")?;
        let (account, path_and_name) = rest.split_once(":policy")?;
        let account = self.account(&AccountId::parse(account).ok()?)?;
        account
            .policies
            .iter()
            .find(|p| {
                path_and_name
                    .strip_prefix(p.path.as_str())
                    .is_some_and(|name| name == p.name)
            })
            .map(|p| (p.name.as_str(), &p.document))
    }

    /// The permissions boundary of `identity` (a user's, or a role session's role's), if set.
    pub fn permissions_boundary(&self, identity: &Identity) -> Option<(&str, &PolicyDoc)> {
        let account = self.account(identity.account())?;
        let arn = match identity {
            Identity::Root { .. } => None,
            Identity::User { name, .. } => {
                account.user(name.as_str())?.permissions_boundary.as_deref()
            }
            Identity::AssumedRole { role, .. } => {
                account.role(role.as_str())?.permissions_boundary.as_deref()
            }
        }?;
        self.managed_policy(arn)
    }
}

impl World {
    /// This world's region and organization with `accounts` and no runtime state (no
    /// sessions): a draft to try a change on, or to check before keeping it.
    pub(crate) fn with_accounts(&self, accounts: Vec<Account>) -> World {
        World {
            format: self.format,
            region: self.region.clone(),
            accounts,
            organization: self.organization.clone(),
            sessions: Default::default(),
            mfa_guard: Default::default(),
            authorization_messages: Default::default(),
        }
    }
}

mod iam_state;
mod load;
pub use iam_state::{AccountIam, IamState, IAM_STATE_FORMAT};
pub use load::{demo_world, WorldError, DEMO_WORLD_JSON};

#[cfg(test)]
mod tests;
