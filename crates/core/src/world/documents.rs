//! What a world's entities hold that needs care: secrets, and policy documents kept as
//! written beside their parsed form.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::policy::{Policy, PolicyError};

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
pub(super) fn shared_document<'de, D: serde::Deserializer<'de>>(
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
