//! The clock's calendar against `time` 0.3, the library it replaces in the console: the same
//! text for every second of years -9999 to 9999, and the same reading (or refusal) of RFC 3339,
//! bare dates and HTTP dates, for well-formed text and for near misses.
#![cfg(not(target_arch = "wasm32"))]

use crossrole_core::clock::Timestamp;
use proptest::prelude::*;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What `time` made of `text` before: the code this replaced, kept as the oracle.
fn oracle_parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<i64>() {
        return Some(secs);
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let date_only = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &date_only)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp())
}

fn oracle_http(text: &str) -> Option<i64> {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text.trim(), &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

fn oracle_format(seconds: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| "invalid-date".to_owned())
}

/// Near-valid date-times: every field in or just past its range, any separator, fractions,
/// offsets, leap seconds.
fn rfc3339_like() -> impl Strategy<Value = String> {
    (
        0u32..=9999,
        0u32..=13,
        0u32..=32,
        prop_oneof![Just('T'), Just('t'), Just(' '), Just('_')],
        (
            0u32..=24,
            0u32..=60,
            prop_oneof![0u32..=59, Just(60), Just(61)],
        ),
        proptest::option::of("[0-9]{0,12}"),
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            (prop_oneof![Just('+'), Just('-')], 0u32..=25, 0u32..=61)
                .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
            Just(String::new()),
        ],
    )
        .prop_map(|(y, mo, d, sep, (h, mi, s), frac, off)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{off}")
        })
}

fn http_like() -> impl Strategy<Value = String> {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "mon"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "nov",
    ];
    (
        proptest::sample::select(days.to_vec()),
        0u32..=32,
        proptest::sample::select(months.to_vec()),
        1960u32..=2100,
        (0u32..=24, 0u32..=60, 0u32..=61),
    )
        .prop_map(|(wd, d, mo, y, (h, mi, s))| {
            format!("{wd}, {d:02} {mo} {y} {h:02}:{mi:02}:{s:02} GMT")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn formats_every_second_as_time_did(seconds in -400_000_000_000i64..=260_000_000_000) {
        prop_assert_eq!(Timestamp(seconds).to_iso8601(), oracle_format(seconds));
    }

    #[test]
    fn reads_a_formatted_second_back(seconds in -62_167_219_200i64..=253_402_300_799) {
        prop_assert_eq!(Timestamp::parse(&Timestamp(seconds).to_iso8601()), Ok(Timestamp(seconds)));
    }

    #[test]
    fn reads_rfc3339_as_time_did(text in rfc3339_like()) {
        prop_assert_eq!(Timestamp::parse(&text).ok().map(|t| t.0), oracle_parse(&text), "{}", text);
    }

    #[test]
    fn reads_bare_dates_as_time_did(sign in "[+-]?", y in 0u32..=9999, m in 0u32..=13, d in 0u32..=32) {
        let text = format!("{sign}{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(Timestamp::parse(&text).ok().map(|t| t.0), oracle_parse(&text), "{}", text);
    }

    #[test]
    fn reads_http_dates_as_time_did(text in http_like()) {
        prop_assert_eq!(Timestamp::parse_http_date(&text).ok().map(|t| t.0), oracle_http(&text), "{}", text);
    }

    #[test]
    fn any_text_reads_as_time_read_it(text in "\\PC{0,40}") {
        prop_assert_eq!(Timestamp::parse(&text).ok().map(|t| t.0), oracle_parse(&text));
        prop_assert_eq!(Timestamp::parse_http_date(&text).ok().map(|t| t.0), oracle_http(&text));
    }
}

/// The edges a generator may miss: leap seconds only at a month's last UTC second, offsets
/// that move the date, the first and last representable seconds.
#[test]
fn edges_read_as_time_read_them() {
    for text in [
        "2016-12-31T23:59:60Z",
        "2016-12-30T23:59:60Z",
        "2017-01-01T00:59:60+01:00",
        "2016-06-30T23:59:60.5Z",
        "2024-02-29T12:00:00Z",
        "2023-02-29T12:00:00Z",
        "0000-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2026-11-30T12:00:00.123456789123Z",
        "2026-11-30T12:00:00.Z",
        "2026-11-30T12:00:00",
        "2026-11-30T12:00:00Z ",
        "2026-11-30T12:00:00+0100",
        "+2026-11-30",
        "-0001-12-31",
        "2026-11-30 ",
        "Mon, 30 Nov 2026 18:01:07 GMT",
        "Sun, 29 Feb 2032 00:00:00 GMT",
        // Gregorian leap years: every fourth, but not a century unless it divides by 400.
        "1900-02-29T12:00:00Z",
        "2000-02-29T12:00:00Z",
        "2100-02-29T12:00:00Z",
        "2400-02-29",
        "Mon, 29 Feb 2100 00:00:00 GMT",
        "Tue, 29 Feb 2000 00:00:00 GMT",
    ] {
        assert_eq!(
            Timestamp::parse(text).ok().map(|t| t.0),
            oracle_parse(text),
            "{text}"
        );
        assert_eq!(
            Timestamp::parse_http_date(text).ok().map(|t| t.0),
            oracle_http(text),
            "{text}"
        );
    }
    for seconds in [
        -377_705_116_801,
        -377_705_116_800,
        0,
        253_402_300_799,
        253_402_300_800,
    ] {
        assert_eq!(
            Timestamp(seconds).to_iso8601(),
            oracle_format(seconds),
            "{seconds}"
        );
    }
}

/// The calendar's 400-year cycle ends on 29 February of a year divisible by 400 (the cycle's
/// 146,097th day, where Hinnant's algorithm has its one correction), which a sampled second
/// almost never lands on.
#[test]
fn the_last_day_of_each_400_year_cycle_formats_as_time_did() {
    for year in [-400, 0, 400, 1600, 2000, 2400, 9600] {
        let day = time::Date::from_calendar_date(year, time::Month::February, 29).unwrap();
        let midnight = day.midnight().assume_utc().unix_timestamp();
        for seconds in [midnight - 1, midnight, midnight + 43_200, midnight + 86_399] {
            let text = Timestamp(seconds).to_iso8601();
            assert_eq!(text, oracle_format(seconds), "{year}");
            // RFC 3339 has no years before 0000 (and `time` read none).
            if year >= 0 {
                assert_eq!(Timestamp::parse(&text), Ok(Timestamp(seconds)), "{text}");
            }
        }
    }
}
