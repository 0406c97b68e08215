//! The parts of a record kept in a form that is cheap to record and to keep: JSON elements as
//! shared text, event ids as bytes, times as timestamps, and the texts and identities many
//! records repeat (the caller, the region, the user agent) shared through [`Interned`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

/// A JSON element of a record (its parameters, its answer), kept as its text: written once
/// when the call is recorded, copied as it is into the record's text, and read back only by
/// those who look inside ([`Json::value`]). As a tree of values it was a dozen allocations per
/// record, made and freed under the world's lock; shared, the two accounts' records of one
/// cross-account call hold one copy.
///
/// The hottest record's elements (AssumeRole's) are not written when the call is recorded but
/// when the record is ([`Json::later`]): most records are never read, and writing them was
/// most of what recording a switch cost.
#[derive(Clone, Debug)]
pub struct Json(Inner);

#[derive(Clone, Debug)]
enum Inner {
    Text(Arc<RawValue>),
    Later(Arc<dyn Element>, u8),
}

/// What a record's elements are written from when the record is written ([`Json::later`]).
pub trait Element: std::fmt::Debug + Send + Sync {
    /// The element `part` (which one is the implementor's to say), as JSON text; never
    /// `null`.
    fn write(&self, part: u8) -> Box<RawValue>;
}

impl Json {
    /// `null`.
    pub fn null() -> Self {
        // Every record starts with one or two: one shared `null`.
        static NULL: std::sync::OnceLock<Arc<RawValue>> = std::sync::OnceLock::new();
        Self(Inner::Text(
            NULL.get_or_init(|| Arc::from(RawValue::NULL.to_owned()))
                .clone(),
        ))
    }

    /// `value`'s JSON text (`null` if it cannot be written, which a record's parts never are).
    pub fn of(value: &impl Serialize) -> Self {
        serde_json::value::to_raw_value(value)
            .map_or_else(|_| Self::null(), |raw| Self(Inner::Text(raw.into())))
    }

    /// The element `part` of `from`, written only when the record is.
    pub fn later(from: Arc<dyn Element>, part: u8) -> Self {
        Self(Inner::Later(from, part))
    }

    /// Calls `f` with the element's text.
    fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match &self.0 {
            Inner::Text(raw) => f(raw.get()),
            Inner::Later(from, part) => f(from.write(*part).get()),
        }
    }

    /// The element, read back.
    pub fn value(&self) -> Value {
        self.with_text(|text| serde_json::from_str(text).unwrap_or(Value::Null))
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        match &self.0 {
            Inner::Text(raw) => raw.get() == "null",
            Inner::Later(..) => false,
        }
    }
}

impl Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Inner::Text(raw) => raw.serialize(serializer),
            Inner::Later(from, part) => from.write(*part).serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Arc::<RawValue>::deserialize(deserializer).map(|raw| Self(Inner::Text(raw)))
    }
}

/// An event's id: 16 random bytes, written as a version 4 UUID (the form CloudTrail's event
/// ids take). Kept as bytes so that recording an event formats nothing: the text is written
/// when the record is.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventId([u8; 16]);

impl EventId {
    /// A new random id.
    pub fn random(rng: &mut dyn rand_core::RngCore) -> Self {
        let mut b = [0u8; 16];
        rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        Self(b)
    }

    /// The id `text` writes (lowercase, hyphenated, as [`EventId`]'s text is); `None` for
    /// anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.as_bytes();
        if text.len() != 36 {
            return None;
        }
        let mut out = [0u8; 16];
        let mut digits = text
            .iter()
            .enumerate()
            .filter(|(i, _)| !matches!(i, 8 | 13 | 18 | 23))
            .map(|(_, &c)| match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                _ => None,
            });
        for byte in &mut out {
            *byte = (digits.next()?? << 4) | digits.next()??;
        }
        [8, 13, 18, 23]
            .iter()
            .all(|&i| text[i] == b'-')
            .then_some(Self(out))
    }

    /// The text, in a buffer of its own (no allocation).
    fn write<'a>(&self, buf: &'a mut [u8; 36]) -> &'a str {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut at = 0;
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                buf[at] = b'-';
                at += 1;
            }
            buf[at] = HEX[usize::from(b >> 4)];
            buf[at + 1] = HEX[usize::from(b & 0x0f)];
            at += 2;
        }
        std::str::from_utf8(buf).unwrap_or_default()
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.write(&mut [0; 36]))
    }
}

impl std::fmt::Debug for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl PartialEq<str> for EventId {
    fn eq(&self, text: &str) -> bool {
        self.write(&mut [0; 36]) == text
    }
}

impl Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.write(&mut [0; 36]))
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("not an event id"))
    }
}

/// A record's time, kept as a [`Timestamp`] and written as CloudTrail does (ISO 8601, UTC,
/// seconds): formatting waits until the record is written.
pub(super) mod iso8601 {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::clock::Timestamp;

    pub(crate) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_iso8601())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Default for Json {
    fn default() -> Self {
        Self::null()
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        self.with_text(|ours| other.with_text(|theirs| ours == theirs))
    }
}

/// Values many records repeat, kept once and shared: a trail of thousands of events holds a
/// handful of callers, regions and user agents, and each record points at them instead of
/// holding copies (every copy was an allocation to make under the world's lock and a block of
/// memory to keep).
///
/// The last `N` distinct values are remembered and compared in turn, not hashed: comparing a
/// few short texts costs less than hashing one, and a caller who sends a new user agent with
/// every request only ever costs `N` comparisons (no hash for a hostile text to collide).
#[derive(Debug)]
pub struct Interned<T: ?Sized, const N: usize> {
    recent: Vec<Arc<T>>,
    /// The slot the next new value replaces, once all `N` are taken.
    next: usize,
}

impl<T: ?Sized, const N: usize> Clone for Interned<T, N> {
    fn clone(&self) -> Self {
        Self {
            recent: self.recent.clone(),
            next: self.next,
        }
    }
}

impl<T: ?Sized, const N: usize> Default for Interned<T, N> {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            next: 0,
        }
    }
}

impl<T: ?Sized, const N: usize> Interned<T, N> {
    /// The first recent value `matches` accepts.
    pub(super) fn find_by(&self, matches: impl Fn(&T) -> bool) -> Option<&Arc<T>> {
        self.recent.iter().find(|k| matches(k))
    }

    /// Keeps `made` among the recent values, in place of the oldest once all `N` are taken.
    pub(super) fn remember(&mut self, made: Arc<T>) -> Arc<T> {
        if self.recent.len() < N {
            self.recent.push(made.clone());
        } else if let Some(slot) = self.recent.get_mut(self.next) {
            *slot = made.clone();
            self.next = (self.next + 1) % N;
        }
        made
    }

    /// How many values are remembered.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.recent.len()
    }

    /// Keeps `made` in place of the first recent value `matches` accepts, or as a new one.
    pub(super) fn replace_or_remember(&mut self, matches: impl Fn(&T) -> bool, made: Arc<T>) {
        match self.recent.iter_mut().find(|k| matches(k)) {
            Some(same) => *same = made,
            None => {
                self.remember(made);
            }
        }
    }
}

impl<T: ?Sized + PartialEq, const N: usize> Interned<T, N> {
    /// The shared value equal to `value`, made by `make` if none of the recent ones is.
    pub fn share(&mut self, value: &T, make: impl FnOnce() -> Arc<T>) -> Arc<T> {
        match self.find(value) {
            Some(known) => known,
            None => self.remember(make()),
        }
    }

    /// The recent value equal to `value` (the same allocation is found without comparing).
    fn find(&self, value: &T) -> Option<Arc<T>> {
        self.find_by(|k| std::ptr::eq(k, value) || *k == *value)
            .cloned()
    }

    /// The shared value equal to `value` (itself, if it is one of the recent ones), which
    /// becomes it if none of the recent ones is.
    pub fn share_arc(&mut self, value: Arc<T>) -> Arc<T> {
        match self.find(&value) {
            Some(known) => known,
            None => self.remember(value),
        }
    }
}

impl<T: PartialEq, const N: usize> Interned<T, N> {
    /// The shared value equal to `value`, which becomes it if none of the recent ones is.
    pub fn share_owned(&mut self, value: T) -> Arc<T> {
        match self.find(&value) {
            Some(known) => known,
            None => self.remember(Arc::new(value)),
        }
    }
}

impl<const N: usize> Interned<str, N> {
    /// The shared text equal to `text`.
    pub fn text(&mut self, text: &str) -> Arc<str> {
        self.share(text, || Arc::from(text))
    }
}

/// A cache is not part of a trail's value.
impl<T: ?Sized, const N: usize> PartialEq for Interned<T, N> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal values share one allocation; a value new among the last `N` gets its own; values
    /// handed out stay whole when the cache forgets them.
    #[test]
    fn recent_values_are_shared_and_forgetting_loses_nothing() {
        let mut texts: Interned<str, 2> = Interned::default();
        let a = texts.text("us-west-2");
        let again = texts.text(&String::from("us-west-2"));
        assert!(Arc::ptr_eq(&a, &again));
        let b = texts.text("eu-west-1");
        assert!(!Arc::ptr_eq(&a, &b));
        assert!(Arc::ptr_eq(&b, &texts.text("eu-west-1")));
        // A third value pushes out the oldest: asking for it again makes a new one.
        let c = texts.text("ap-south-1");
        let a2 = texts.text("us-west-2");
        assert!(!Arc::ptr_eq(&a, &a2));
        assert_eq!((&*a, &*a2, &*c), ("us-west-2", "us-west-2", "ap-south-1"));
        // The two most recent are still shared.
        assert!(Arc::ptr_eq(&a2, &texts.text("us-west-2")));
        assert!(Arc::ptr_eq(&c, &texts.text("ap-south-1")));
        assert_eq!(texts.recent.len(), 2);
    }

    /// EventId's text and its reading agree for any 16 bytes with the version and variant set.
    #[test]
    fn event_ids_read_back_from_their_text() {
        use rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        for _ in 0..1000 {
            let id = EventId::random(&mut rng);
            let text = id.to_string();
            assert_eq!(EventId::parse(&text), Some(id), "{text}");
            assert!(id == *text.as_str());
        }
    }

    /// RFC 4122, section 4.4: a random UUID has version 4 in byte 6's high nibble and the
    /// variant `10` in byte 8's two high bits; every other bit is random (so both bytes' other
    /// bits still differ from id to id).
    #[test]
    fn event_ids_are_version_4_uuids_with_their_other_bits_random() {
        use rand_core::SeedableRng;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
        let ids: Vec<[u8; 16]> = (0..256).map(|_| EventId::random(&mut rng).0).collect();
        assert!(ids.iter().all(|b| b[6] >> 4 == 4 && b[8] >> 6 == 0b10));
        let low_6: std::collections::BTreeSet<u8> = ids.iter().map(|b| b[6] & 0x0f).collect();
        let low_8: std::collections::BTreeSet<u8> = ids.iter().map(|b| b[8] & 0x3f).collect();
        // 256 draws: nearly every value of each (a constant would be one).
        assert!(low_6.len() > 12, "{low_6:?}");
        assert!(low_8.len() > 48, "{low_8:?}");
    }

    /// A copy of the cache shares what the original shares.
    #[test]
    fn a_copied_cache_answers_the_same_values() {
        let mut texts: Interned<str, 4> = Interned::default();
        let a = texts.text("us-west-2");
        let mut copy = texts.clone();
        assert!(Arc::ptr_eq(&a, &copy.text("us-west-2")));
    }
}
