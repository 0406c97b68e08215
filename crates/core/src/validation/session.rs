//! What a session is asked with: its display name and session name, an MFA code and device,
//! and a duration.

use super::*;

/// The text a role is shown by in the console: 1–64 characters, no control characters,
/// trimmed. Always displayed as text, never as HTML.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);
text_type!(DisplayName);

impl DisplayName {
    /// The most characters a display name may have.
    pub const MAX_CHARS: usize = 64;

    /// Removes control characters and trims; refuses an empty or over-long result.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        let cleaned = Self::clean(s);
        let chars = cleaned.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(cleaned))
        } else {
            Err(InvalidField::DisplayName)
        }
    }

    /// Like [`DisplayName::parse`], but cuts an over-long name to 64 characters instead of
    /// refusing it; `None` only when nothing printable is left.
    pub fn truncating(s: &str) -> Option<Self> {
        let cut: String = Self::clean(s).chars().take(Self::MAX_CHARS).collect();
        Self::parse(&cut).ok()
    }

    pub(crate) fn clean(s: &str) -> String {
        let without_controls: String = s.chars().filter(|c| !c.is_control()).collect();
        without_controls.trim().to_owned()
    }
}

/// A role session name: 2–64 characters of `[\w+=,.@-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleSessionName(String);
text_type!(RoleSessionName);

impl RoleSessionName {
    /// Accepts STS's RoleSessionName rule.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if is_iam_name(s, 2, 64) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::RoleSessionName)
        }
    }
}

/// A six-digit MFA code as typed.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MfaCode(String);
text_type!(MfaCode);

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(******)")
    }
}

impl MfaCode {
    /// Accepts exactly six ASCII digits.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::MfaCode)
        }
    }
}

/// An MFA device's serial number (for a virtual device, its ARN): 9–256 of `[\w+=/:,.@-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SerialNumber(String);
text_type!(SerialNumber);

impl SerialNumber {
    /// Accepts STS's SerialNumber rule.
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        let ok = |c: char| is_name_char(c) || c == '/' || c == ':';
        if (9..=256).contains(&s.len()) && s.chars().all(ok) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidField::SerialNumber)
        }
    }
}

/// A requested session length, 900–43200 seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct DurationSeconds(u32);

impl DurationSeconds {
    /// The shortest session STS grants.
    pub const MIN: u32 = 900;
    /// The longest session STS grants.
    pub const MAX: u32 = 43_200;
    /// The default when a request names none (one hour).
    pub const DEFAULT: DurationSeconds = DurationSeconds(3600);

    /// Accepts 900–43200.
    pub fn new(seconds: u32) -> Result<Self, InvalidField> {
        if (Self::MIN..=Self::MAX).contains(&seconds) {
            Ok(Self(seconds))
        } else {
            Err(InvalidField::DurationSeconds)
        }
    }

    /// Parses decimal text, then applies [`DurationSeconds::new`].
    pub fn parse(s: &str) -> Result<Self, InvalidField> {
        s.parse::<u32>()
            .map_err(|_| InvalidField::DurationSeconds)
            .and_then(Self::new)
    }

    /// The number of seconds.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for DurationSeconds {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for DurationSeconds {
    type Error = InvalidField;
    fn try_from(s: u32) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl From<DurationSeconds> for u32 {
    fn from(d: DurationSeconds) -> u32 {
        d.0
    }
}
