//! A role session's countdown, as the Identity menu shows it: "Expires in M:SS",
//! a warning in its last five minutes, and expired at its `Expiration` (as AWS ends it).

use crate::clock::Timestamp;

/// How long before expiry the console warns (and offers Renew).
pub const WARNING_SECONDS: i64 = 5 * 60;

/// Where a session stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Countdown {
    /// Seconds left (0 once expired).
    pub left: i64,
    /// Within the warning window.
    pub warning: bool,
    /// Past its expiration.
    pub expired: bool,
}

impl Countdown {
    /// The countdown at `now` of a session expiring at `expiration`.
    pub fn at(now: Timestamp, expiration: Timestamp) -> Countdown {
        let left = now.until(expiration).max(0);
        Countdown {
            left,
            warning: left <= WARNING_SECONDS,
            expired: left == 0,
        }
    }

    /// "Expires in M:SS" (minutes may pass 59: a twelve-hour session starts at 720:00).
    pub fn text(&self) -> String {
        format!("Expires in {}:{:02}", self.left / 60, self.left % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_warns_in_the_last_five_minutes_and_expires_at_expiration() {
        let exp = Timestamp(10_000);
        let c = Countdown::at(Timestamp(10_000 - 3600), exp);
        assert_eq!(
            (c.text().as_str(), c.warning, c.expired),
            ("Expires in 60:00", false, false)
        );
        let c = Countdown::at(Timestamp(10_000 - 301), exp);
        assert_eq!((c.text().as_str(), c.warning), ("Expires in 5:01", false));
        let c = Countdown::at(Timestamp(10_000 - 300), exp);
        assert_eq!((c.text().as_str(), c.warning), ("Expires in 5:00", true));
        let c = Countdown::at(Timestamp(10_000 - 9), exp);
        assert_eq!(c.text(), "Expires in 0:09");
        let c = Countdown::at(Timestamp(10_000), exp);
        assert!(c.expired && c.warning && c.left == 0);
        assert!(Countdown::at(Timestamp(20_000), exp).expired);
    }
}
