//! Time as a value: the core never reads a clock, callers pass the current [`Timestamp`] in.

use std::fmt;

use serde::{Deserialize, Serialize};

mod civil;

/// A point in time, in whole seconds since the Unix epoch (UTC).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// Text that is not a date and time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a date: expected ISO 8601 like 2026-11-30T12:00:00Z, or seconds since 1970")]
pub struct BadDate;

impl Timestamp {
    /// Seconds since the Unix epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// `self` plus `seconds` (saturating).
    pub fn plus(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// Seconds from `self` until `later` (negative when `later` is earlier).
    pub fn until(self, later: Timestamp) -> i64 {
        later.0.saturating_sub(self.0)
    }

    /// Parses ISO 8601 / RFC 3339 (`2026-11-30T12:00:00Z`, with offset or fraction), a bare
    /// date (`2026-11-30`, midnight UTC) or decimal epoch seconds, as IAM date conditions do.
    pub fn parse(text: &str) -> Result<Timestamp, BadDate> {
        let text = text.trim();
        if let Ok(secs) = text.parse::<i64>() {
            return Ok(Timestamp(secs));
        }
        civil::parse_rfc3339(text)
            .or_else(|| civil::parse_date(text))
            .map(Timestamp)
            .ok_or(BadDate)
    }

    /// Parses an HTTP `Date` header (RFC 9110's IMF-fixdate, `Mon, 30 Nov 2026 18:01:07 GMT`).
    pub fn parse_http_date(text: &str) -> Result<Timestamp, BadDate> {
        civil::parse_http_date(text.trim())
            .map(Timestamp)
            .ok_or(BadDate)
    }

    /// ISO 8601 in UTC with a `Z`, as AWS writes `Expiration` (`2026-11-30T12:00:00Z`).
    pub fn to_iso8601(self) -> String {
        civil::format_iso8601(self.0).unwrap_or_else(|| "invalid-date".to_owned())
    }

    /// SigV4's basic form: `20261130T120000Z`.
    pub fn to_amz_date(self) -> String {
        self.to_iso8601().replace(['-', ':'], "")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_iam_accepts() {
        assert_eq!(
            Timestamp::parse("2026-11-30T12:00:00Z"),
            Ok(Timestamp(1_796_040_000))
        );
        assert_eq!(
            Timestamp::parse("2026-11-30T13:00:00+01:00"),
            Ok(Timestamp(1_796_040_000))
        );
        assert_eq!(Timestamp::parse("2026-11-30"), Ok(Timestamp(1_795_996_800)));
        assert_eq!(Timestamp::parse("1796040000"), Ok(Timestamp(1_796_040_000)));
        assert_eq!(Timestamp::parse("yesterday"), Err(BadDate));
    }

    #[test]
    fn formats_like_aws() {
        let t = Timestamp(1_796_040_000);
        assert_eq!(t.to_iso8601(), "2026-11-30T12:00:00Z");
        assert_eq!(t.to_amz_date(), "20261130T120000Z");
        assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
        assert_eq!(t.plus(3600).seconds() - t.seconds(), 3600);
        assert_eq!(t.until(t.plus(-5)), -5);
    }
}
