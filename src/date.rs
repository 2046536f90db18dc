//! Article dates: from metadata, the file name, a sidecar index, the title or the head of the
//! text, each with the [`DateSource`] it came from.
//!
//! Takes what the reader knows of an article ([`DateEvidence`]) and the limits of the run
//! ([`DateBounds`]) and gives its [`Dated`] day. The sources are tried from the most to the least
//! trusted. Metadata, file names and sidecars state when an article was written, so they only
//! have to lie between 1990 and today. A date in the title or the text may be anything the
//! article talks about (a crash in 1987, a target for 2030), so it is taken only when it is
//! plausible as the article's own date: not after the newest date the archive states for
//! itself, and within a year of the year its folder, file name, sidecar or `--year` give. A
//! month and day without a year are dated only when such a year is known, never guessed.
//!
//! Epochs and datetimes without an offset are Beijing time (UTC+8), the clock of the A-share
//! market and its news; a datetime with an offset is moved to Beijing's clock.

use std::sync::LazyLock;

use regex::Regex;

use crate::calendar::{Day, BEIJING_OFFSET_HOURS};
use crate::model::DateSource;

/// The earliest year an article is dated: the Shanghai and Shenzhen exchanges opened in 1990.
pub const EARLIEST_YEAR: i32 = 1990;

/// How many bytes of the text (about 100 han characters) are searched for a date.
const TEXT_HEAD_BYTES: usize = 300;

/// How far (in years) a date from the title or the text may lie from the year of the file's
/// other evidence (folder, file name, sidecar, `--year`).
const NEAR_YEARS: i32 = 1;

static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(20\d{2}|19\d{2})\s*(?:年|-|/|\.|_)\s*(\d{1,2})\s*(?:月|-|/|\.|_)\s*(\d{1,2})(?:日|号)?",
    )
    .expect("date regex")
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])(20\d{2})(\d{2})(\d{2})(?:[^\d]|$)").expect("compact")
});
/// A month and day in a title (`3.25复盘`, `3月25日`), not the end of a full date (`1987年10月16日`).
static PARTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.年])(\d{1,2})(?:月|\.)(\d{1,2})(?:日|号)?(?:[^\d.%]|$)")
        .expect("partial")
});
/// A month and day opening a file name (`1_23_标题`), or written out in it (`1月24日晚间`).
static NAME_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})[_\- ](\d{1,2})(?:[_\- ]|$)|(?:^|[^\d年])(\d{1,2})月(\d{1,2})[日号]")
        .expect("file name month and day")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d])(20\d{2})(?:[^\d]|$)").expect("year regex"));
/// A year in a folder name (`eastmoney_sina_2018`, `taoguba_2026q1`, `2026年复盘`): not glued to
/// a letter or digit before it, so random names such as `.tmp2019ab` hold none.
static FOLDER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^A-Za-z0-9])((?:19|20)\d{2})(?:[^0-9]|$)").expect("folder year regex")
});

/// A day and where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    /// The article's date.
    pub day: Day,
    /// Where it came from.
    pub source: DateSource,
}

/// The limits of a run: no article is dated after `today`, and no date read from running text
/// after `newest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBounds {
    /// The run's date.
    pub today: Day,
    /// The newest date the archive states for itself (file names, sidecars), when known.
    pub newest: Option<Day>,
}

impl DateBounds {
    /// Bounds of a run on `today` over an archive of unknown dates.
    pub fn until(today: Day) -> DateBounds {
        DateBounds {
            today,
            newest: None,
        }
    }

    /// True when any source may give this day: from 1990 to today.
    pub fn allows(&self, day: Day) -> bool {
        day.year() >= EARLIEST_YEAR && day <= self.today
    }

    /// True when a year can be the year of an article: from 1990 to this year.
    fn allows_year(&self, year: i32) -> bool {
        (EARLIEST_YEAR..=self.today.year()).contains(&year)
    }
}

/// What is known of an article that may date it, in the order it is trusted.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateEvidence<'a> {
    /// The record's date field, as written.
    pub metadata: Option<&'a str>,
    /// Where the article came from: folders and file name (`dir/2026-03-18_a.txt`,
    /// `a.zip!m/1_23_标题.txt`).
    pub path: &'a str,
    /// The date a sidecar index gives the file, as written.
    pub sidecar: Option<&'a str>,
    /// A year the sidecar index gives the file (its `year` column, or the one year of all its
    /// dates).
    pub sidecar_year: Option<i32>,
    /// The year asked for on the command line (`--year`).
    pub given_year: Option<i32>,
    /// The title.
    pub title: Option<&'a str>,
    /// The article text.
    pub text: &'a str,
}

/// The article's date by precedence: metadata, the file name (a full date, then a month and day
/// with a known year), the sidecar, a full date in the title, one in the head of the text, then a
/// month and day in the title with a known year. Problems with a stated date (unreadable,
/// out of bounds) are pushed to `warnings`.
pub fn article_date(
    e: &DateEvidence,
    bounds: &DateBounds,
    warnings: &mut Vec<String>,
) -> Option<Dated> {
    let dated = |day, source| Some(Dated { day, source });
    if let Some(day) = e
        .metadata
        .and_then(|m| stated(m, "metadata", bounds, warnings))
    {
        return dated(day, DateSource::Metadata);
    }
    let path = PathParts::new(e.path);
    if let Some(day) = path.stated_date(bounds) {
        return dated(day, DateSource::FileName);
    }
    if let Some(day) = e
        .sidecar
        .and_then(|s| stated(s, "sidecar", bounds, warnings))
    {
        return dated(day, DateSource::Sidecar);
    }
    let year = year_hint(e, &path, bounds);
    let fits = |day: &Day| plausible_in_text(*day, bounds, year);
    if let Some(day) = year.and_then(|y| month_days(path.stem, y, &NAME_MONTH_DAY).find(fits)) {
        return dated(day, DateSource::FileName);
    }
    if let Some(day) = e.title.and_then(|t| full_dates(t).find(fits)) {
        return dated(day, DateSource::Title);
    }
    let head = &e.text[..e.text.floor_char_boundary(TEXT_HEAD_BYTES)];
    if let Some(day) = full_dates(head).find(fits) {
        return dated(day, DateSource::Text);
    }
    let title = e.title?;
    let day = month_days(title, year?, &PARTIAL).find(fits)?;
    dated(day, DateSource::Title)
}

/// A date stated by metadata or a sidecar, if readable and within the run's bounds; why not,
/// in `warnings`.
fn stated(
    written: &str,
    what: &str,
    bounds: &DateBounds,
    warnings: &mut Vec<String>,
) -> Option<Day> {
    let Some(day) = metadata_date(written) else {
        warnings.push(format!("unrecognised {what} date {written:?}"));
        return None;
    };
    if !bounds.allows(day) {
        warnings.push(format!(
            "{what} date {written:?} is {day}, outside {EARLIEST_YEAR}-01-01 to {} (not used)",
            bounds.today
        ));
        return None;
    }
    Some(day)
}

/// True when a date read from running text (or completed with a guessed year) can be the
/// article's own: within the run's bounds, not after the archive's newest date, and near the
/// year of the file's other evidence.
fn plausible_in_text(day: Day, bounds: &DateBounds, year: Option<i32>) -> bool {
    bounds.allows(day)
        && bounds.newest.is_none_or(|newest| day <= newest)
        && year.is_none_or(|y| (day.year() - y).abs() <= NEAR_YEARS)
}

/// The year the file's other evidence gives: `--year`, else its folder names, else the sidecar,
/// else a year in its file name.
fn year_hint(e: &DateEvidence, path: &PathParts, bounds: &DateBounds) -> Option<i32> {
    [
        e.given_year,
        path.folder_year(),
        e.sidecar_year,
        path.name_year(),
    ]
    .into_iter()
    .flatten()
    .find(|&y| bounds.allows_year(y))
}

/// The folders and the file name of a source path.
struct PathParts<'a> {
    /// Folder names, nearest first.
    folders: Vec<&'a str>,
    /// The file name without its extension.
    stem: &'a str,
}

impl<'a> PathParts<'a> {
    fn new(path: &'a str) -> PathParts<'a> {
        let mut parts: Vec<&str> = path
            .split(['/', '\\', '!'])
            .filter(|p| !p.is_empty())
            .collect();
        let name = parts.pop().unwrap_or("");
        let stem = match name.rfind('.') {
            Some(dot) if dot > 0 => &name[..dot],
            _ => name,
        };
        parts.reverse();
        PathParts {
            folders: parts,
            stem,
        }
    }

    /// A full date in the file name, else in the nearest folder name that has one.
    fn stated_date(&self, bounds: &DateBounds) -> Option<Day> {
        std::iter::once(self.stem)
            .chain(self.folders.iter().copied())
            .find_map(|part| full_dates(part).find(|d| bounds.allows(*d)))
    }

    /// The year of the nearest folder name that has one.
    fn folder_year(&self) -> Option<i32> {
        self.folders
            .iter()
            .find_map(|f| FOLDER_YEAR.captures(f).and_then(|c| c[1].parse().ok()))
    }

    /// A year in the file name.
    fn name_year(&self) -> Option<i32> {
        year(self.stem).and_then(|y| i32::try_from(y).ok())
    }
}

/// The date a source path states for itself: a full date in its file name, else in the
/// nearest folder name that has one, within the run's bounds.
pub fn path_date(path: &str, bounds: &DateBounds) -> Option<Day> {
    PathParts::new(path).stated_date(bounds)
}

/// Every full date in `s` (`2026年3月18日`, `2026-03-18`, `2026/3/18`, then `20260318`), in
/// order; impossible days (`2026-02-30`) are skipped.
pub fn full_dates(s: &str) -> impl Iterator<Item = Day> + '_ {
    let searched = may_hold_year(s).then_some(s);
    let spelled = searched.into_iter().flat_map(|s| FULL.captures_iter(s));
    let compact = searched.into_iter().flat_map(|s| COMPACT.captures_iter(s));
    spelled.chain(compact).filter_map(|c| ymd(&c, 1, 2, 3))
}

/// The days of every month and day `pattern` finds in `s`, in the given year. `pattern` has
/// one or two alternatives of two groups (month, day).
fn month_days<'s>(s: &'s str, year: i32, pattern: &'s Regex) -> impl Iterator<Item = Day> + 's {
    // months and days parse only from ASCII digits
    let searched = s.bytes().any(|b| b.is_ascii_digit()).then_some(s);
    searched
        .into_iter()
        .flat_map(|s| pattern.captures_iter(s))
        .filter_map(move |c| {
            let group = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            let (m, d) = match (group(1), group(2)) {
                (Some(m), Some(d)) => (m, d),
                _ => (group(3)?, group(4)?),
            };
            Day::from_ymd(year, m, d)
        })
}

fn ymd(c: &regex::Captures, y: usize, m: usize, d: usize) -> Option<Day> {
    let n = |i: usize| c[i].parse::<u32>().ok();
    Day::from_ymd(i32::try_from(n(y)?).ok()?, n(m)?, n(d)?)
}

/// True when `s` may hold a year: every full date and year pattern needs the ASCII digits 19 or
/// 20, and most titles and text heads have neither. The test is a byte search; the patterns
/// that start with a look-behind (`COMPACT`, `YEAR`) would run over the whole string.
fn may_hold_year(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memmem::find(bytes, b"20").is_some() || memchr::memmem::find(bytes, b"19").is_some()
}

/// A four-digit year in `s`.
pub fn year(s: &str) -> Option<u32> {
    if !may_hold_year(s) {
        return None;
    }
    YEAR.captures(s).and_then(|c| c[1].parse().ok())
}

/// A metadata date: Unix seconds or milliseconds (Beijing time), a datetime with its offset
/// (moved to Beijing's clock), or a date or naive datetime as written (`2026-03-18 10:00`,
/// `2026/3/18`, `2026年3月18日`, `20260318`), which is Beijing time already.
pub fn metadata_date(s: &str) -> Option<Day> {
    let t = s.trim();
    if let Some(day) = epoch_date(t) {
        return Some(day);
    }
    if let Some(day) = Day::from_instant_text(t, BEIJING_OFFSET_HOURS) {
        return Some(day);
    }
    full_dates(t).next()
}

/// Unix seconds (9–11 digits) or milliseconds (12–13 digits), with an optional fraction, on
/// Beijing's clock.
fn epoch_date(t: &str) -> Option<Day> {
    let whole = t.split_once('.').map_or(t, |(w, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) {
            w
        } else {
            ""
        }
    });
    if !(9..=13).contains(&whole.len()) || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = whole.parse().ok()?;
    let seconds = if whole.len() >= 12 { n / 1000 } else { n };
    Day::from_unix_seconds(seconds, BEIJING_OFFSET_HOURS)
}

/// The author a file name gives: `2026-03-18_author_id.txt` (the 淘股吧 export: date, author,
/// post id of letters and digits); the date may be `20260318`.
pub fn file_name_author(path: &str) -> Option<String> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:19|20)\d{2}-\d{1,2}-\d{1,2}|(?:19|20)\d{6})_(.+)_([A-Za-z0-9]{6,})$")
            .expect("file name author regex")
    });
    let parts = PathParts::new(path);
    let c = NAME.captures(parts.stem)?;
    let id = &c[2];
    let author = c[1].trim();
    (id.bytes().any(|b| b.is_ascii_digit()) && !author.is_empty()).then(|| author.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    /// A run on 2026-12-02 over an archive whose newest stated date is unknown.
    fn bounds() -> DateBounds {
        DateBounds::until(day("2026-12-02"))
    }

    fn date_of(e: &DateEvidence, bounds: &DateBounds) -> Option<(String, DateSource)> {
        article_date(e, bounds, &mut Vec::new()).map(|d| (d.day.to_string(), d.source))
    }

    #[test]
    fn each_source_in_turn() {
        use DateSource::*;
        let e = |metadata, path, title, text| DateEvidence {
            metadata,
            path,
            title,
            text,
            ..DateEvidence::default()
        };
        let cases: &[(DateEvidence, Option<(&str, DateSource)>)] = &[
            (
                e(Some("2026-03-18 10:00:00"), "x.txt", None, ""),
                Some(("2026-03-18", Metadata)),
            ),
            (
                e(None, "2026-03-18_a.txt", None, ""),
                Some(("2026-03-18", FileName)),
            ),
            (
                e(None, "recaps/2026-03-18/早盘.txt", None, ""),
                Some(("2026-03-18", FileName)),
            ),
            (
                e(None, "a.txt", Some("2026年3月1日周末复盘"), ""),
                Some(("2026-03-01", Title)),
            ),
            (
                e(None, "2026-recaps/a.txt", Some("3.25复盘"), ""),
                Some(("2026-03-25", Title)),
            ),
            (
                e(
                    None,
                    "recap-2024-03.txt",
                    Some("摘要:周五午后"),
                    "3月20日9点30分",
                ),
                None,
            ),
            (
                e(None, "a.txt", None, "发布于20260318，"),
                Some(("2026-03-18", Text)),
            ),
            (e(None, "a.txt", Some("2026年2月30日"), ""), None),
            (
                e(Some("1773792000"), "a", None, ""),
                Some(("2026-03-18", Metadata)),
            ),
            (e(None, "2026.txt", Some("增长3.25%"), ""), None),
        ];
        for (evidence, want) in cases {
            let want = want.map(|(d, s)| (d.to_string(), s));
            assert_eq!(date_of(evidence, &bounds()), want, "{evidence:?}");
        }
    }

    #[test]
    fn epochs_and_naive_datetimes_are_beijing_time() {
        // 2024-03-01T01:30:00+08:00 is 2024-02-29T17:30:00Z
        let cases = [
            ("1709227800", "2024-03-01"),
            ("1709227800000", "2024-03-01"),
            ("1709227800.5", "2024-03-01"),
            ("2024-03-01 01:30:00", "2024-03-01"),
            ("2024-02-29T17:30:00Z", "2024-03-01"),
            ("2024-03-01T01:30:00+08:00", "2024-03-01"),
            ("20240301", "2024-03-01"),
            ("2024年3月1日", "2024-03-01"),
        ];
        for (written, want) in cases {
            let got = metadata_date(written).map(|d| d.to_string());
            assert_eq!(got.as_deref(), Some(want), "{written}");
        }
        for junk in ["12345", "1709227800x", "昨天", "17092278001234567"] {
            assert_eq!(metadata_date(junk), None, "{junk}");
        }
    }

    #[test]
    fn text_dates_must_be_plausible() {
        let text = |path, title, text| DateEvidence {
            path,
            title,
            text,
            ..DateEvidence::default()
        };
        let b = bounds();
        let cases: &[(DateEvidence, Option<&str>)] = &[
            // a target year after today; the next candidate is taken
            (
                text("a.txt", None, "到2030年12月31日完成，2021年3月5日公告"),
                Some("2021-03-05"),
            ),
            (text("a.txt", Some("2030年12月31日前建成"), ""), None),
            // nor is the month and day of a rejected full date taken for the folder's year
            (
                text("sina_2018/a.txt", Some("回顾1987年10月16日"), ""),
                None,
            ),
            // before 1990
            (text("a.txt", None, "回顾1987年10月16日的股灾"), None),
            // decades from the folder's year
            (
                text(
                    "sina_2018/a.txt",
                    None,
                    "1998年10月16日的股灾；2018年1月5日",
                ),
                Some("2018-01-05"),
            ),
            (
                text("sina_2018/a.txt", None, "2015年6月15日开始的股灾"),
                None,
            ),
            (
                text("sina_2018/a.txt", None, "2017年12月29日收盘"),
                Some("2017-12-29"),
            ),
        ];
        for (evidence, want) in cases {
            let got = date_of(evidence, &b).map(|(d, _)| d);
            assert_eq!(got.as_deref(), *want, "{evidence:?}");
        }
        let newest = DateBounds {
            newest: Some(day("2026-03-31")),
            ..b
        };
        let e = text("a.txt", None, "2026年6月30日前，2026年3月2日发布");
        assert_eq!(
            date_of(&e, &newest),
            Some(("2026-03-02".into(), DateSource::Text))
        );
    }

    #[test]
    fn stated_dates_out_of_bounds_are_warned_about_and_skipped() {
        let e = DateEvidence {
            metadata: Some("2030-12-31"),
            path: "1987-10-16_a.txt",
            sidecar: Some("明天"),
            text: "2026年3月2日",
            ..DateEvidence::default()
        };
        let mut warnings = Vec::new();
        let got = article_date(&e, &bounds(), &mut warnings).unwrap();
        assert_eq!(
            (got.day.to_string(), got.source),
            ("2026-03-02".into(), DateSource::Text)
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("2030-12-31"), "{warnings:?}");
        assert!(warnings[1].contains("明天"), "{warnings:?}");
    }

    #[test]
    fn month_and_day_file_names_need_a_known_year() {
        let e = |path, given_year, sidecar_year| DateEvidence {
            path,
            given_year,
            sidecar_year,
            text: "大盘会涨吗",
            ..DateEvidence::default()
        };
        let cases: &[(DateEvidence, Option<&str>)] = &[
            (
                e("em_2018/1_23_十大名博看后市.txt", None, None),
                Some("2018-01-23"),
            ),
            (e("em/1_23_十大名博看后市.txt", None, None), None),
            (
                e("em/1_23_十大名博看后市.txt", Some(2019), None),
                Some("2019-01-23"),
            ),
            (
                e("em_2018/1_23_十大名博看后市.txt", Some(2019), None),
                Some("2019-01-23"),
            ),
            (
                e("em/1_23_十大名博看后市.txt", None, Some(2017)),
                Some("2017-01-23"),
            ),
            (
                e("em_2018/1月24日晚间消息速递.txt", None, None),
                Some("2018-01-24"),
            ),
            (e("em_2018/2_30_x.txt", None, None), None),
            (e("em_2018/11连阳为何.txt", None, None), None),
            (e("em_2018/1987年10月16日重演.txt", None, None), None),
            // a random temporary folder holds no year
            (e("/tmp/.tmp2019ab/1_23_x.txt", None, None), None),
        ];
        for (evidence, want) in cases {
            let got = date_of(evidence, &bounds());
            let want = want.map(|d| (d.to_string(), DateSource::FileName));
            assert_eq!(got, want, "{evidence:?}");
        }
    }

    #[test]
    fn sidecar_dates_come_after_the_file_name() {
        let e = |path| DateEvidence {
            path,
            sidecar: Some("2026-01-05"),
            text: "2026年1月1日",
            ..DateEvidence::default()
        };
        assert_eq!(
            date_of(&e("a/x.txt"), &bounds()),
            Some(("2026-01-05".into(), DateSource::Sidecar))
        );
        assert_eq!(
            date_of(&e("a/2026-01-04_x.txt"), &bounds()),
            Some(("2026-01-04".into(), DateSource::FileName))
        );
    }

    #[test]
    fn authors_from_file_names() {
        let cases = [
            (
                "t/2026-02-24_jl韭菜抄家_2pGgGzroJ5a.txt",
                Some("jl韭菜抄家"),
            ),
            (
                "2026-02-24_涅槃重生2018_2pHFC8d6qGo.txt",
                Some("涅槃重生2018"),
            ),
            ("20260224_小宝1105_2pHFC8d6qGo.txt", Some("小宝1105")),
            (
                "a.zip!x/2026-02-24_短狙作手_2pI7drvjilp.md",
                Some("短狙作手"),
            ),
            ("2026-03-18_a.txt", None),
            ("2026-03-18_复盘_final.txt", None),
            ("复盘_张三_2pGgGzroJ5a.txt", None),
        ];
        for (path, want) in cases {
            assert_eq!(file_name_author(path).as_deref(), want, "{path}");
        }
    }
}
