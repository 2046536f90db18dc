//! Article dates: from metadata, the file name, the title or the head of the text.

use std::sync::LazyLock;

use regex::Regex;

use crate::calendar::Day;

static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(20\d{2}|19\d{2})\s*(?:年|-|/|\.|_)\s*(\d{1,2})\s*(?:月|-|/|\.|_)\s*(\d{1,2})(?:日|号)?",
    )
    .expect("date regex")
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])(20\d{2})(\d{2})(\d{2})(?:[^\d]|$)").expect("compact")
});
static PARTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.])(\d{1,2})(?:月|\.)(\d{1,2})(?:日|号)?(?:[^\d.%]|$)").expect("partial")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d])(20\d{2})(?:[^\d]|$)").expect("year regex"));

fn valid(y: u32, m: u32, d: u32) -> Option<String> {
    Day::from_ymd(i32::try_from(y).ok()?, m, d).map(|day| day.to_string())
}

/// True when `s` may hold a year: every full date and year pattern needs the ASCII digits 19 or
/// 20, and most titles and text heads have neither. The test is a byte search; the patterns
/// that start with a look-behind (`COMPACT`, `YEAR`) would run over the whole string.
fn may_hold_year(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memmem::find(bytes, b"20").is_some() || memchr::memmem::find(bytes, b"19").is_some()
}

/// The first full date (`2026年3月18日`, `2026-03-18`, `2026/3/18`, `20260318`) in `s`.
pub fn full_date(s: &str) -> Option<String> {
    if !may_hold_year(s) {
        return None;
    }
    for c in FULL.captures_iter(s) {
        let n = |i: usize| c[i].parse::<u32>().ok();
        if let Some(d) = valid(n(1)?, n(2)?, n(3)?) {
            return Some(d);
        }
    }
    for c in COMPACT.captures_iter(s) {
        let n = |i: usize| c[i].parse::<u32>().ok();
        if let Some(d) = valid(n(1)?, n(2)?, n(3)?) {
            return Some(d);
        }
    }
    None
}

/// A month and day without year (`3.25`, `3月25日`) in a title, completed with `year`.
pub fn partial_date(s: &str, year: u32) -> Option<String> {
    // month and day parse only from ASCII digits
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    PARTIAL.captures_iter(s).find_map(|c| {
        let m = c[1].parse().ok()?;
        let d = c[2].parse().ok()?;
        valid(year, m, d)
    })
}

/// A four-digit year in `s`.
pub fn year(s: &str) -> Option<u32> {
    if !may_hold_year(s) {
        return None;
    }
    YEAR.captures(s).and_then(|c| c[1].parse().ok())
}

/// Normalises a metadata date (`2026-03-18 10:00`, `2026/3/18`, `2026年3月18日`, epoch seconds).
pub fn metadata_date(s: &str) -> Option<String> {
    if let Some(d) = full_date(s) {
        return Some(d);
    }
    let t = s.trim();
    if t.len() >= 9 && t.len() <= 13 && t.bytes().all(|b| b.is_ascii_digit()) {
        let mut secs: i64 = t.parse().ok()?;
        if t.len() == 13 {
            secs /= 1000;
        }
        return Day::from_unix_seconds(secs, 0).map(|day| day.to_string());
    }
    None
}

/// The article date by precedence: metadata, file name, title, head of text, then a month/day in
/// the title with the year from the file name or metadata.
pub fn article_date(
    metadata: Option<&str>,
    file_name: &str,
    title: Option<&str>,
    text: &str,
) -> Option<String> {
    if let Some(d) = metadata.and_then(metadata_date) {
        return Some(d);
    }
    if let Some(d) = full_date(file_name) {
        return Some(d);
    }
    if let Some(d) = title.and_then(full_date) {
        return Some(d);
    }
    let head_end = text.floor_char_boundary(300);
    if let Some(d) = full_date(&text[..head_end]) {
        return Some(d);
    }
    let y = metadata.and_then(year).or_else(|| year(file_name))?;
    title.and_then(|t| partial_date(t, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        type Case<'a> = (
            Option<&'a str>,
            &'a str,
            Option<&'a str>,
            &'a str,
            Option<&'a str>,
        );
        let cases: &[Case] = &[
            (
                Some("2026-03-18 10:00:00"),
                "x.txt",
                None,
                "",
                Some("2026-03-18"),
            ),
            (None, "2026-03-18_a.txt", None, "", Some("2026-03-18")),
            (
                None,
                "a.txt",
                Some("2026年3月1日周末复盘"),
                "",
                Some("2026-03-01"),
            ),
            (
                None,
                "2026-recaps/a.txt",
                Some("3.25复盘"),
                "",
                Some("2026-03-25"),
            ),
            (
                None,
                "recap-2024-03.txt",
                Some("摘要:周五午后"),
                "3月20日9点30分",
                None,
            ),
            (None, "a.txt", None, "发布于20260318，", Some("2026-03-18")),
            (None, "a.txt", Some("2026年2月30日"), "", None),
            (Some("1773792000"), "a", None, "", Some("2026-03-18")),
            (None, "2026.txt", Some("增长3.25%"), "", None),
        ];
        for (meta, file, title, text, want) in cases {
            assert_eq!(
                article_date(*meta, file, *title, text).as_deref(),
                *want,
                "{meta:?} {file} {title:?} {text}"
            );
        }
    }
}
