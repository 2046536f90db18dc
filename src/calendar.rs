//! The one calendar: every day fupan reads, stores, compares or writes goes through [`Day`].
//!
//! Articles carry dates as `YYYY-MM-DD` text (`docs/OUTPUT.md`); the index and date filters
//! compare them as the integer `YYYYMMDD`; Parquet stores days since 1970-01-01; metadata may
//! hold Unix timestamps. [`Day`] converts between all of these on top of jiff's civil dates, so
//! no module keeps calendar arithmetic of its own. [`DateRange`] is the `--from`/`--to` and
//! `date:FROM..TO` filter, where a month or a year stands for all its days.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::error::{Error, Result};

/// A day of the proleptic Gregorian calendar (years 1–9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

/// Beijing time, UTC+8 all year: the time of the A-share market and of its news.
pub const BEIJING_OFFSET_HOURS: i8 = 8;

impl Day {
    /// The day, if it exists (`2024-02-30` does not).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        let year = i16::try_from(year).ok()?;
        let month = i8::try_from(month).ok()?;
        let day = i8::try_from(day).ok()?;
        Date::new(year, month, day).ok().map(Day)
    }

    /// Parses exactly `YYYY-MM-DD`, the form of `docs/OUTPUT.md`.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            return None;
        }
        Day::from_ymd(
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..].parse().ok()?,
        )
    }

    /// The day of the integer `YYYYMMDD`.
    pub fn from_number(n: i64) -> Option<Day> {
        let year = i32::try_from(n / 10_000).ok()?;
        Day::from_ymd(year, (n / 100 % 100) as u32, (n % 100) as u32)
    }

    /// The calendar day at `seconds` after 1970-01-01T00:00:00Z, on clocks `offset_hours` ahead
    /// of UTC.
    pub fn from_unix_seconds(seconds: i64, offset_hours: i8) -> Option<Day> {
        let offset = Offset::constant(offset_hours);
        let zone = TimeZone::fixed(offset);
        Timestamp::from_second(seconds)
            .ok()
            .map(|t| Day(t.to_zoned(zone).date()))
    }

    /// Today on the clocks of Beijing: the run's date, the latest an article can be dated.
    pub fn today() -> Day {
        let zone = TimeZone::fixed(Offset::constant(BEIJING_OFFSET_HOURS));
        Day(Timestamp::now().to_zoned(zone).date())
    }

    /// The calendar day of an instant written with its UTC offset (RFC 3339,
    /// `2024-02-29T17:30:00Z`, `2024-03-01 01:30:00+08:00`), on clocks `offset_hours` ahead of
    /// UTC; `None` for text without an offset, whose clock is unknown.
    pub fn from_instant_text(text: &str, offset_hours: i8) -> Option<Day> {
        let instant: Timestamp = text.trim().parse().ok()?;
        Day::from_unix_seconds(instant.as_second(), offset_hours)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year().into()
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month() as u32
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.0.day() as u32
    }

    /// The day as the integer `YYYYMMDD`, the form of the index and of date filters.
    pub fn number(self) -> i64 {
        i64::from(self.year()) * 10_000 + i64::from(self.month()) * 100 + i64::from(self.day())
    }

    /// The day `days` after 1970-01-01 (before it when negative), if in the calendar.
    pub fn from_days_since_epoch(days: i32) -> Option<Day> {
        let epoch = Date::constant(1970, 1, 1);
        epoch
            .checked_add(jiff::Span::new().try_days(days).ok()?)
            .ok()
            .map(Day)
    }

    /// Days since 1970-01-01 (negative before), the Parquet `DATE` representation.
    pub fn days_since_epoch(self) -> i32 {
        let epoch = Date::constant(1970, 1, 1);
        let seconds = self.0.duration_since(epoch).as_secs();
        (seconds / 86_400) as i32
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

/// `YYYYMMDD` (an index value) as `YYYY-MM-DD`.
pub fn number_text(n: i64) -> String {
    match Day::from_number(n) {
        Some(day) => day.to_string(),
        None => format!("{:04}-{:02}-{:02}", n / 10_000, n / 100 % 100, n % 100),
    }
}

/// `YYYY-MM-DD` as the integer `YYYYMMDD`.
pub fn text_number(date: &str) -> Option<i64> {
    Day::parse(date).map(Day::number)
}

/// Inclusive bounds on article dates, as `YYYYMMDD`; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day (inclusive).
    pub from: Option<i64>,
    /// Last day (inclusive).
    pub to: Option<i64>,
}

impl DateRange {
    /// Parses `FROM..TO`, `FROM..`, `..TO` or a single date, month (`YYYY-MM`) or year.
    pub fn parse(text: &str) -> Result<DateRange> {
        let (from, to) = match text.split_once("..") {
            Some((a, b)) => (date_end(a, false, text)?, date_end(b, true, text)?),
            None => (date_end(text, false, text)?, date_end(text, true, text)?),
        };
        if from.is_none() && to.is_none() {
            return Err(Error::query(text, "a date range needs at least one date"));
        }
        DateRange { from, to }.in_order(text)
    }

    /// The range between two optional dates (as for `--from` / `--to`).
    pub fn between(from: Option<&str>, to: Option<&str>) -> Result<Option<DateRange>> {
        let text = format!("{}..{}", from.unwrap_or(""), to.unwrap_or(""));
        let from = from.map(|d| date_end(d, false, d)).transpose()?.flatten();
        let to = to.map(|d| date_end(d, true, d)).transpose()?.flatten();
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        DateRange { from, to }.in_order(&text).map(Some)
    }

    /// The range, or an error when it ends before it starts: such a range holds no day, and a
    /// search or export with it would come back empty without saying why.
    fn in_order(self, text: &str) -> Result<DateRange> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(Error::query(
                text,
                format!(
                    "the range ends before it starts ({} is after {})",
                    number_text(from),
                    number_text(to)
                ),
            )),
            _ => Ok(self),
        }
    }

    /// True when `day` lies in the range.
    pub fn contains(&self, day: Day) -> bool {
        let n = day.number();
        self.from.is_none_or(|f| n >= f) && self.to.is_none_or(|t| n <= t)
    }
}

/// One end of a date range as `YYYYMMDD`: a partial date covers its whole month or year (the
/// upper end of a month is its 31st, which compares correctly whatever the month's length).
fn date_end(text: &str, upper: bool, query: &str) -> Result<Option<i64>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Error::query(
            query,
            "dates are YYYY-MM-DD, YYYY-MM or YYYY (ranges FROM..TO)",
        )
    };
    let parts: Vec<&str> = if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        vec![&text[..4], &text[4..6], &text[6..]]
    } else {
        text.split(['-', '/', '.']).collect()
    };
    let nums: Vec<i64> = parts
        .iter()
        .map(|p| p.parse().map_err(|_| bad()))
        .collect::<Result<_>>()?;
    let (y, m, d) = match nums[..] {
        [y] => (y, if upper { 12 } else { 1 }, if upper { 31 } else { 1 }),
        [y, m] => (y, m, if upper { 31 } else { 1 }),
        [y, m, d] => (y, m, d),
        _ => return Err(bad()),
    };
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(Some(y * 10_000 + m * 100 + d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        let cases = [
            ("2024-03-22", Some((2024, 3, 22))),
            ("2024-02-29", Some((2024, 2, 29))),
            ("2023-02-29", None),
            ("2024-3-22", None),
            ("2024/03/22", None),
            ("2024-13-01", None),
            ("", None),
        ];
        for (text, want) in cases {
            let got = Day::parse(text).map(|d| (d.year(), d.month(), d.day()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn days_since_epoch_match_known_dates() {
        let cases = [
            ("1970-01-01", 0),
            ("1969-12-31", -1),
            ("2000-03-01", 11_017),
            ("2024-03-22", 19_804),
        ];
        for (text, days) in cases {
            assert_eq!(Day::parse(text).unwrap().days_since_epoch(), days, "{text}");
            assert_eq!(Day::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn conversions_agree() {
        let cases = [
            ("1970-01-01", 0),
            ("1969-12-31", -1),
            ("2000-02-29", 11_016),
            ("2024-03-22", 19_804),
        ];
        for (text, days) in cases {
            let day = Day::parse(text).unwrap();
            assert_eq!(day.days_since_epoch(), days, "{text}");
            assert_eq!(day.to_string(), text);
            assert_eq!(Day::from_number(day.number()), Some(day));
            assert_eq!(number_text(day.number()), text);
            assert_eq!(
                Day::from_unix_seconds(i64::from(days) * 86_400, 0),
                Some(day)
            );
        }
    }

    #[test]
    fn unix_seconds_fall_on_the_day_of_the_clock_given() {
        // 2026-03-17T20:00:00Z is 04:00 on the 18th in Beijing.
        let seconds = 1_773_777_600;
        let utc = Day::from_unix_seconds(seconds, 0).unwrap();
        let beijing = Day::from_unix_seconds(seconds, BEIJING_OFFSET_HOURS).unwrap();
        assert_eq!(utc.to_string(), "2026-03-17");
        assert_eq!(beijing.to_string(), "2026-03-18");
    }

    #[test]
    fn instants_with_an_offset_fall_on_the_day_of_the_clock_given() {
        let cases = [
            ("2024-02-29T17:30:00Z", Some("2024-03-01")),
            ("2024-03-01T01:30:00+08:00", Some("2024-03-01")),
            ("2024-02-29 20:00:00-05:00", Some("2024-03-01")),
            ("2024-02-29T15:59:59Z", Some("2024-02-29")),
            ("2024-03-01 01:30:00", None),
            ("2024-03-01", None),
        ];
        for (text, want) in cases {
            let got = Day::from_instant_text(text, BEIJING_OFFSET_HOURS).map(|d| d.to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    #[test]
    fn today_lies_between_two_readings_of_the_clock() {
        let before = Day::from_unix_seconds(jiff::Timestamp::now().as_second(), 8).unwrap();
        let today = Day::today();
        let after = Day::from_unix_seconds(jiff::Timestamp::now().as_second(), 8).unwrap();
        assert!(
            before <= today && today <= after,
            "{before} {today} {after}"
        );
    }

    #[test]
    fn ranges_cover_whole_months_and_years() {
        let r = DateRange::between(Some("2024-03"), None).unwrap().unwrap();
        assert_eq!(r.from, Some(20240301));
        let r = DateRange::parse("2024").unwrap();
        assert_eq!((r.from, r.to), (Some(20240101), Some(20241231)));
        assert!(r.contains(Day::parse("2024-02-29").unwrap()));
        assert!(!r.contains(Day::parse("2025-01-01").unwrap()));
        assert_eq!(DateRange::between(None, None).unwrap(), None);
        assert!(DateRange::between(Some("x"), None).is_err());
        assert!(DateRange::parse("..").is_err());
    }

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(text_number("2024-03-22"), Some(20240322));
        assert_eq!(text_number("2024-03"), None);
        assert_eq!(number_text(20240322), "2024-03-22");
    }
}
