//! The proleptic Gregorian calendar in UTC, and the three text forms crossrole reads and
//! writes: RFC 3339 (`2026-11-30T12:00:00Z`), a bare date, and HTTP's IMF-fixdate.
//!
//! Written here rather than taken from `time`: these fixed forms are all the console needs, and
//! `time`'s general format-description machinery was some 40 kB of the console's first
//! download. The rules are `time` 0.3's for the same forms (its RFC 3339 parser and the
//! descriptions the console used before), which the property tests hold it to.

/// Days from 1970-01-01 to `year-month-day` (Howard Hinnant's `days_from_civil`).
pub(super) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// How many days `month` of `year` has.
fn month_length(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The first and last second `time` represents (years -9999 to 9999).
const FIRST: i64 = -377_705_116_800;
const LAST: i64 = 253_402_300_799;

/// `[year]-[month]-[day]T[hour]:[minute]:[second]Z`, or `None` outside years -9999 to 9999.
pub(super) fn format_iso8601(seconds: i64) -> Option<String> {
    if !(FIRST..=LAST).contains(&seconds) {
        return None;
    }
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400);
    // Written digit by digit: every response, log line and audit record carries a time, and
    // the formatting machinery cost more than all the rest of writing one.
    let mut out = String::with_capacity(21);
    if year < 0 {
        out.push('-');
    }
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    let year = year.unsigned_abs() as u32;
    // `two` writes a number's last two digits.
    two(&mut out, year / 100);
    two(&mut out, year);
    out.push('-');
    two(&mut out, month);
    out.push('-');
    two(&mut out, day);
    out.push('T');
    let time = time as u32;
    two(&mut out, time / 3600);
    out.push(':');
    two(&mut out, time / 60 % 60);
    out.push(':');
    two(&mut out, time % 60);
    out.push('Z');
    Some(out)
}

/// Reads text byte by byte.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// Exactly `n` ASCII digits, as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let (head, rest) = self.0.split_at_checked(n)?;
        let mut value = 0u32;
        for &b in head {
            value = value * 10 + u32::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        }
        self.0 = rest;
        Some(value)
    }

    /// The byte `b`.
    fn byte(&mut self, b: u8) -> Option<()> {
        let (&first, rest) = self.0.split_first()?;
        (first == b).then(|| self.0 = rest)
    }

    /// Any one byte.
    fn any(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    /// `text`, exactly.
    fn literal(&mut self, text: &str) -> Option<()> {
        self.0 = self.0.strip_prefix(text.as_bytes())?;
        Some(())
    }

    fn done(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }

    /// A year of four digits with an optional sign, as `time`'s `[year]` reads it.
    fn signed_year(&mut self) -> Option<i64> {
        let sign = if self.byte(b'-').is_some() {
            -1
        } else {
            self.byte(b'+');
            1
        };
        Some(sign * i64::from(self.digits(4)?))
    }

    /// `-MM-DD` after a year.
    fn month_day(&mut self) -> Option<(u32, u32)> {
        self.byte(b'-')?;
        let month = self.digits(2)?;
        self.byte(b'-')?;
        Some((month, self.digits(2)?))
    }

    /// `hh:mm:ss`, unchecked.
    fn clock(&mut self) -> Option<(u32, u32, u32)> {
        let hour = self.digits(2)?;
        self.byte(b':')?;
        let minute = self.digits(2)?;
        self.byte(b':')?;
        Some((hour, minute, self.digits(2)?))
    }
}

/// `year-month-day` when it is a real date.
fn date(year: i64, month: u32, day: u32) -> Option<i64> {
    ((1..=12).contains(&month) && (1..=month_length(year, month)).contains(&day))
        .then(|| days_from_civil(year, month, day))
}

/// `hour:minute:second` as seconds of the day.
fn time_of_day((hour, minute, second): (u32, u32, u32)) -> Option<i64> {
    (hour <= 23 && minute <= 59 && second <= 59)
        .then(|| i64::from(hour * 3600 + minute * 60 + second))
}

/// RFC 3339: `YYYY-MM-DD`, any one separator, `hh:mm:ss`, an optional fraction (ignored: whole
/// seconds), then `Z` or `±hh:mm`. A second of 60 is a leap second, allowed only at 23:59:60
/// UTC on a month's last day, and read as 23:59:59.
pub(super) fn parse_rfc3339(text: &str) -> Option<i64> {
    let mut c = Cursor(text.as_bytes());
    let year = i64::from(c.digits(4)?);
    let (month, day) = c.month_day()?;
    c.any()?;
    let (hour, minute, second) = c.clock()?;
    if c.byte(b'.').is_some() {
        c.digits(1)?;
        while c.digits(1).is_some() {}
    }
    let offset = if c.byte(b'Z').or_else(|| c.byte(b'z')).is_some() {
        0
    } else {
        let sign = match c.any()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = c.digits(2)?;
        c.byte(b':')?;
        let minutes = c.digits(2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        sign * i64::from(hours * 3600 + minutes * 60)
    };
    c.done()?;
    if second > 60 {
        return None;
    }
    let leap = second == 60;
    let local = date(year, month, day)? * 86_400 + time_of_day((hour, minute, second.min(59)))?;
    let utc = local - offset;
    if leap {
        let (y, m, d) = civil_from_days(utc.div_euclid(86_400));
        let last_second_of_month = utc.rem_euclid(86_400) == 86_399 && d == month_length(y, m);
        if !last_second_of_month {
            return None;
        }
    }
    Some(utc)
}

/// A bare date, `[+|-]YYYY-MM-DD`, at midnight UTC.
pub(super) fn parse_date(text: &str) -> Option<i64> {
    let mut c = Cursor(text.as_bytes());
    let year = c.signed_year()?;
    let (month, day) = c.month_day()?;
    c.done()?;
    Some(date(year, month, day)? * 86_400)
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// HTTP's IMF-fixdate (RFC 9110): `Mon, 30 Nov 2026 18:01:07 GMT`. The weekday must be one of
/// the seven names but need not be the date's (as `time` read it).
pub(super) fn parse_http_date(text: &str) -> Option<i64> {
    let mut c = Cursor(text.as_bytes());
    WEEKDAYS.iter().find(|w| c.literal(w).is_some())?;
    c.literal(", ")?;
    let day = c.digits(2)?;
    c.byte(b' ')?;
    let month = MONTHS.iter().position(|m| c.literal(m).is_some())? as u32 + 1;
    c.byte(b' ')?;
    let year = c.signed_year()?;
    c.byte(b' ')?;
    let clock = c.clock()?;
    c.literal(" GMT")?;
    c.done()?;
    Some(date(year, month, day)? * 86_400 + time_of_day(clock)?)
}
