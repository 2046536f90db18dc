//! Periods: when a figure holds. `2024年` → `2024`, `2024年上半年` / `中报` → `2024H1`,
//! `第三季度` / `Q3` / `7-9月` → `2024Q3`, `前三季度` / `1-9月` → `2024Q1-Q3`, `下半年` → `2024H2`,
//! `2019-2023年` → `2019-2023`.
//! A part of a year written without its year takes the nearest year written before it in the
//! paragraph, else the article's date (今年, 去年, or a part that has ended by then).

use std::sync::LazyLock;

use regex::Regex;

use super::structure::Structure;
use crate::calendar::Day;
use crate::number;

/// A part of a year as written after its year (`2024年` + `上半年`, `第2季度`, `1 - 6 月`,
/// `财年` + `第一财季`).
const PART: &str = concat!(
    r"Q1\s?[-—~至到]\s?Q?3|[一1]\s?[至到]\s?[三3]\s?季度|上半年|前半年|下半年|半年末|前三季度|前三季|前\s?3\s?季度?|首三季度?|末季度?|第\s?[一二三四1-4]\s?(?:财季|季度|季)|[一二三四]季度|首季度?|单?Q[1-4]|H[12]|",
    r"(?:1\s?月?\s?[-—~至到]\s?(?:3|6|9|12)|4\s?月?\s?[-—~至到]\s?6|7\s?月?\s?[-—~至到]\s?(?:9|12)|10\s?月?\s?[-—~至到]\s?12)\s?月|",
    r"一季报|中报|半年报|半年度|三季报|年报|全年|中期"
);

/// A part of a year standing alone, its year taken from the text before it or the date.
const LONE_PART: &str = concat!(
    r"Q1\s?[-—~至到]\s?Q?3|[一1]\s?[至到]\s?[三3]\s?季度|上半年|前半年|下半年|半年末|前三季度|前三季|前\s?3\s?季度?|首三季度?|末季度?|第\s?[一二三四1-4]\s?(?:财季|季度|季)|[一二三四]季度|首季度?|单?Q[1-4]|H[12]|中期|",
    r"(?:1\s?月?\s?[-—~至到]\s?(?:3|6|9)|4\s?月?\s?[-—~至到]\s?6|7\s?月?\s?[-—~至到]\s?(?:9|12)|10\s?月?\s?[-—~至到]\s?12)\s?月|",
    r"一季报|中报|半年报|三季报|半年度(?:报告|业绩)|年报|年度报告|年度(?:业绩)?(?:预告|快报)"
);

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        (?P<ended>截[至止]\s?(?P<ey>(?:19|20)\d{{2}}|[二两][零〇○][一二三四五六七八九零〇○]{{2}})\s?年\s?(?P<em>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s?月\s?(?:\d{{1,2}}|[一二三]?十一?|[一二三四五六七八九])\s?日\s?止\s?(?P<elen>(?:三|六|九|十二|3|6|9|12)\s?个月|财政年度|财年|年度|全年)?)
        | (?P<span>(?P<y1>(?:19|20)\s?\d\s?\d)\s?年?\s?(?:[-—~至到])\s?(?P<y2>(?:19|20)\s?\d\s?\d)\s?年)
        | (?P<yyspan>(?P<ya>(?:19|20)?\d{{2}})\s?[-—~至到]\s?(?P<yb>\d{{2}})\s?(?:财年|年))
        | (?P<ylist>(?:(?:19|20)?\d{{2}}E?\s?[/／]\s?)+(?:19|20)?\d{{2}})\s?(?:年|E)
        | (?P<year>(?:19|20)\s?\d\s?\d)
          (?: \s{{0,4}}(?:财年度|财年|年度|年)\s?(?:的)?\s?(?P<part>{PART})?
            | \s?(?P<part2>Q1\s?[-—~至到]\s?Q?3|单?Q[1-4]|H[12]|一季报|中报|半年报|三季报|年报|全年|上半年|前半年|下半年|半年末|前三季度?|前\s?3\s?季度?|首三季度?|第[一二三四](?:财季|季度|季)|[一二三四]季度|首季度?)
            | \s?[、和及与]
            | (?P<ae>[AE]) )
        | (?P<rel>今年|去年|明年|本年|上年)\s?(?:年度|年)?\s?(?:的)?\s?(?P<part3>{PART})?
        | (?P<bq>[1-4]Q|[12]H)\s?(?P<bqy>(?:20)?\d{{2}})(?:[^\d]|$)
        | FY\s?(?P<fy>(?:20)?\d{{2}})(?P<fypart>Q[1-4]|H[12])?
        | (?P<yy>\d{{2}})\s?(?:年)?\s?(?P<yypart>Q1\s?[-—~至到]\s?Q?3|Q[1-4]|H[12]|上半年|前三季度|第[一二三四]季度|[一二三四]季度|年报|全年)
        | (?P<yyonly>\d{{2}})\s?年
        | (?P<lone>{LONE_PART})
        | (?P<next>下一?个?季度)
        | (?P<prev>上一?个?季度?)
        | (?P<month>(?:1[0-2]|[1-9])\s?月份?|当月|单月|本月|上月)
        "
    ))
    .expect("period regex")
});

/// What an interim report states, after 中期 (Hong Kong usage for the half year).
const INTERIM_AFTER: &[&str] = &[
    "业绩",
    "报告",
    "报",
    "收入",
    "营收",
    "营业额",
    "纯利",
    "盈利",
    "溢利",
    "净利",
    "利润",
    "股息",
];

/// What stands before 于 when the year after it is when a figure is due or was reached (将于2026年
/// 达到, 已于去年投产); elsewhere 于 compares (高于2023年) or dates a past event (成立于2007年).
const DUE_BY: &[&str] = &[
    "将于",
    "已于",
    "拟于",
    "计划于",
    "预计于",
    "有望于",
    "并于",
    "均于",
];

/// What a two-digit year (24年) is followed by when it is the year of a figure.
const SHORT_YEAR_BEFORE: &[&str] = &[
    "营收", "营业", "收入", "归母", "扣非", "净利", "利润", "业绩", "毛利", "全年", "实现",
];

/// One year of a list of years (`25/26/27年`).
static YEAR_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("year regex"));

/// A day or month after a year (`2023年7月24日`): the year dates an event, it is not the period
/// of a figure, unless the figure is stated as of it (`截至2024年7月`). A month whose figures
/// follow (`2015年12月经营情况`), and months that make no quarter or half (`2024年1-2月`), are
/// read as a month ([`Period::month`](Period#structfield.month)): the year alone would be wrong.
static MONTH_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s?\d{1,2}\s?(?:月|[-—~至到]\s?\d{1,2}\s?月)").expect("month regex")
});

/// Words that make a dated point the time a figure is stated for.
const AS_OF: [&str; 4] = ["截至", "截止", "到", "至"];

/// A period found in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Period {
    pub start: usize,
    pub end: usize,
    /// The normalised period, or None when its year cannot be told.
    pub text: Option<String>,
    /// A span of years (the period of a CAGR).
    pub span: bool,
    /// Where the brackets close that hold the period (`（含…2021年10-12月…的净利润）`), if it
    /// stands in an aside: a figure after them is not of this period.
    pub aside_end: Option<usize>,
    /// A month, or months that make no quarter or half (`2015年12月`, `1月份`, `当月`, `1-2月`):
    /// a figure of it has no period to write (`text` is None), and it takes none from before.
    pub month: bool,
    /// A year after the article's (明年, 2026年 in a text of 2025): the time of a plan or a
    /// forecast, which dates no figure of another sentence.
    pub future: bool,
}

/// Every period of `text` in text order, with parts of years completed from the nearest year
/// before them or from the article's date.
pub(crate) fn periods(s: &Structure, date: Option<Day>) -> Vec<Period> {
    let text = s.text;
    let mut out: Vec<Period> = Vec::new();
    let mut years = Years::default();
    // parts of a year whose year an undated article did not tell where they stand: (index in
    // `out`, part, whether to drop the period if no year is found for it later)
    let mut yearless: Vec<(usize, &'static str, bool)> = Vec::new();
    for c in PERIOD.captures_iter(text) {
        let whole = c.get(0).expect("match");
        if text[..whole.start()].ends_with(|ch: char| ch.is_ascii_digit() || ch == '.') {
            continue; // inside a longer number
        }
        if whole.as_str().ends_with("Q1-3")
            && text[whole.end()..]
                .starts_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == '%')
        {
            continue; // Q1 and a signed figure (24Q1-3.5%), no range of quarters
        }
        if c.name("ended").is_some() {
            // 截至2021年9月30日止九个月, as Hong Kong reports name a period by its end and length
            let (Some(year), Some(month)) = (number::parse(&c["ey"]), number::parse(&c["em"]))
            else {
                continue;
            };
            let Some(year) = year_of(&year.to_string()) else {
                continue;
            };
            let month = month as u32;
            let months = c.name("elen").map(|l| {
                let l = l.as_str();
                match l.trim_end_matches("个月").trim() {
                    "三" | "3" => 3,
                    "六" | "6" => 6,
                    "九" | "9" => 9,
                    _ => 12,
                }
            });
            let part = match (months.unwrap_or(12), month) {
                (3, m) if m % 3 == 0 => Some(format!("Q{}", m / 3)),
                (6, 6) => Some("H1".to_string()),
                (6, 12) => Some("H2".to_string()),
                (9, 9) => Some("Q1-Q3".to_string()),
                (12, _) => Some(String::new()),
                _ => None, // a fiscal half or quarter: no calendar period
            };
            years.note(whole.start(), year, date);
            out.push(Period::at(
                whole.start(),
                whole.end(),
                part.map(|p| format!("{year}{p}")),
            ));
            continue;
        }
        if let Some(span) = c.name("span") {
            let (Some(a), Some(b)) = (year_of(&c["y1"]), year_of(&c["y2"])) else {
                continue;
            };
            if a >= b {
                continue;
            }
            out.push(Period {
                start: span.start(),
                end: span.end(),
                text: Some(format!("{a}-{b}")),
                span: true,
                aside_end: None,
                month: false,
                future: false,
            });
            continue;
        }
        if c.name("yyspan").is_some() {
            // 25-27年 and 2021-23年, as broker notes write the years of a forecast; a span of
            // years of a duration (使用寿命10-15年, 3-5年内) is none
            let first = c["ya"].parse::<i32>().unwrap_or(0);
            let a = if first >= 100 { first } else { 2000 + first };
            let b = a - a % 100 + c["yb"].parse::<i32>().unwrap_or(0);
            let after = &text[whole.end()..];
            let duration = ["内", "以", "间", "左右", "期", "时", "的"]
                .iter()
                .any(|w| after.starts_with(w));
            if (2015..=2040).contains(&a) && (1..=5).contains(&(b - a)) && !duration {
                out.push(Period {
                    start: whole.start(),
                    end: whole.end(),
                    text: Some(format!("{a}-{b}")),
                    span: true,
                    aside_end: None,
                    month: false,
                    future: false,
                });
            }
            continue;
        }
        if let Some(list) = c.name("ylist") {
            // 25/26/27年, 2025E/2026E/2027E: one year each
            for item in YEAR_ITEM.find_iter(list.as_str()) {
                let digits = item.as_str();
                let Some(year) = year_of_short(digits) else {
                    continue;
                };
                years.note(list.start() + item.start(), year, date);
                out.push(Period::at(
                    list.start() + item.start(),
                    list.start() + item.end(),
                    Some(year.to_string()),
                ));
            }
            continue;
        }
        let part_m = c
            .name("part")
            .or_else(|| c.name("part2"))
            .or_else(|| c.name("part3"));
        if let Some(y) = c.name("year").or_else(|| c.name("rel")) {
            let numeric = y.as_str().starts_with(|ch: char| ch.is_ascii_digit());
            if numeric && text[y.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
                continue; // part of a longer number
            }
            // 较上年, 去年同期, 较去年底: what a figure is compared with, not its period; a year's
            // end otherwise is the time a figure is stated for (截至去年底, 预计今年底达到)
            let head = &text[..whole.start()];
            // 高于, 不低于: a level a figure is held against
            let held_against = head.ends_with('于') && !DUE_BY.iter().any(|w| head.ends_with(w));
            let compared = head.ends_with(['较', '比', '与'])
                || held_against
                || head.ends_with("相比")
                || (!numeric && text[whole.end()..].starts_with('同'));
            // a part of a year compared with is the figure's own (对比2021年第三季按年升5%) unless
            // it is the whole year (较2020年全年增加) or a level held against (不低于2021年前三季度
            // 水平)
            let whole_year = part_m.is_some_and(|p| matches!(p.as_str().trim(), "全年" | "年报"));
            if compared && (part_m.is_none() || whole_year || held_against) {
                continue;
            }
            let year = match y.as_str() {
                "今年" | "本年" => date.map(|d| d.year()),
                "去年" | "上年" => date.map(|d| d.year() - 1),
                "明年" => date.map(|d| d.year() + 1),
                digits => {
                    let after = text[y.end()..].trim_start();
                    let listed_year = after.starts_with(['、', '和', '及', '与'])
                        && after
                            .chars()
                            .skip(1)
                            .take(5)
                            .collect::<String>()
                            .trim_start()
                            .get(4..)
                            .is_some_and(|t| t.starts_with('年'));
                    // a broker's actual or estimated year (2024A营收, 2025E归母净利润), not the
                    // start of a Latin word (2024AI服务器)
                    let broker_year = c.name("ae").is_some_and(|ae| {
                        !text[ae.end()..].starts_with(|ch: char| ch.is_ascii_alphanumeric())
                    });
                    if c.name("ae").is_some() && !broker_year {
                        continue;
                    }
                    if !after.starts_with([
                        '年', '财', 'Q', 'H', '上', '下', '前', '首', '第', '一', '二', '三', '四',
                        '全', '中',
                    ]) && part_m.is_none()
                        && !listed_year
                        && !broker_year
                    {
                        continue; // a bare four-digit number is not a year
                    }
                    year_of(digits)
                }
            };
            // an undated article's 去年 with a part of the year (`发布2021年业绩预告…单计去年第四季`)
            // is the year its report named last: the report covers last year
            let relative_last = matches!(y.as_str(), "去年" | "上年") && part_m.is_some();
            let year = match year {
                None if relative_last && date.is_none() => {
                    years.for_part_at(s.paragraph_start(whole.start()))
                }
                year => year,
            };
            let Some(year) = year else {
                // 今年上半年 in an undated article: kept only if the article names the half's year
                if let Some(Some(part)) = part_m.map(|p| part_of(p.as_str())) {
                    yearless.push((out.len(), part, true));
                    out.push(Period::at(whole.start(), whole.end(), None));
                }
                continue;
            };
            const FOUNDED: &[&str] = &["以来", "上市", "成立", "创立", "创办", "挂牌", "登陆"];
            if part_m.is_none()
                && FOUNDED
                    .iter()
                    .any(|w| text[whole.end()..].trim_start().starts_with(w))
            {
                // 自2014年以来, 2000年上市以来: since when, not when a figure holds
                continue;
            }
            if part_m.is_none() && dates_a_noun(&text[whole.end()..]) {
                continue; // 2008年计提的存货跌价: when something else was done
            }
            if date.is_some() && matches!(y.as_str(), "去年" | "上年") {
                // a dated article's 去年 is the date's year before; it names the year of its own
                // paragraph, not of parts written further on (胜宏是去年底加的。…上半年营收)
                years.note_here(whole.start(), year);
            } else {
                years.note(whole.start(), year, date);
            }
            if part_m.is_none() {
                if let Some(m) = MONTH_AFTER.find(&text[whole.end()..]) {
                    let head = text[..whole.start()].trim_end();
                    let stated_as_of = AS_OF.iter().any(|w| head.ends_with(w));
                    if !stated_as_of {
                        // the date of an event (2023年7月24日), or a month's figures (2015年12月)
                        let end = whole.end() + m.end();
                        if is_month_of_figures(text, whole.start(), end) {
                            out.push(Period::month(whole.start(), end));
                        }
                        continue;
                    }
                }
            }
            let mut part = part_m.map(|p| part_of(p.as_str()));
            if let Some(Some(quarter)) = part {
                if names_a_report(s, whole.start(), whole.end()) {
                    part = Some(report_period(quarter));
                }
            }
            out.push(Period::at(
                whole.start(),
                whole.end(),
                Some(format!("{year}{}", part.flatten().unwrap_or(""))),
            ));
            continue;
        }
        if let (Some(bq), Some(yy)) = (c.name("bq"), c.name("bqy")) {
            // 3Q25, 1H25: a broker's quarter or half before its year
            if text[..whole.start()].ends_with(|ch: char| ch.is_ascii_alphabetic()) {
                continue;
            }
            let Some(year) = year_of_short(yy.as_str()) else {
                continue;
            };
            years.note(whole.start(), year, date);
            let (n, kind) = bq.as_str().split_at(1);
            out.push(Period::at(
                whole.start(),
                yy.end(),
                Some(format!("{year}{kind}{n}")),
            ));
            continue;
        }
        if let Some(fy) = c.name("fy") {
            // FY2024, FY24Q3: a fiscal year is named by its number, as 2024财年 is
            let Some(year) = year_of_short(fy.as_str()) else {
                continue;
            };
            years.note(whole.start(), year, date);
            let part = c.name("fypart").and_then(|p| part_of(p.as_str()));
            out.push(Period::at(
                whole.start(),
                whole.end(),
                Some(format!("{year}{}", part.unwrap_or(""))),
            ));
            continue;
        }
        if let (Some(yy), Some(part)) = (c.name("yy"), c.name("yypart")) {
            let year = 2000 + yy.as_str().parse::<i32>().unwrap_or(0);
            years.note(whole.start(), year, date);
            let part = match part.as_str() {
                "年报" | "全年" => Some(""),
                p => part_of(p),
            };
            out.push(Period::at(
                whole.start(),
                whole.end(),
                part.map(|p| format!("{year}{p}")),
            ));
            continue;
        }
        if let Some(yy) = c.name("yyonly") {
            // 24年营收: a broker's two-digit year, only right before what a report states (24年
            // alone is as often a duration: 近24年, 第24年)
            let year = 2000 + yy.as_str().parse::<i32>().unwrap_or(0);
            let after = text[whole.end()..].trim_start();
            let before = text[..whole.start()].trim_end();
            let states_figure = SHORT_YEAR_BEFORE.iter().any(|w| after.starts_with(w));
            let duration = [
                "近", "过去", "未来", "第", "前", "后", "每", "多", "数", "几", "十",
            ]
            .iter()
            .any(|w| before.ends_with(w));
            if (2015..=2040).contains(&year) && states_figure && !duration {
                years.note(whole.start(), year, date);
                out.push(Period::at(
                    whole.start(),
                    whole.end(),
                    Some(year.to_string()),
                ));
            }
            continue;
        }
        // 较上一季度: the quarter compared with, not the figure's
        if c.name("prev").is_some() {
            continue;
        }
        if let Some(next) = c.name("next") {
            // 下季度: the quarter after the one named last in the paragraph
            let para = s.paragraph_start(next.start());
            let previous = out
                .iter()
                .rev()
                .take_while(|p| p.start >= para)
                .find_map(|p| p.text.as_deref().and_then(quarter_after));
            if let Some(text) = previous {
                out.push(Period::at(next.start(), next.end(), Some(text)));
            }
            continue;
        }
        if let Some(month) = c.name("month") {
            // the end of a run of months after a year (2024年1-2月) is already read
            let inside = out.last().is_some_and(|p| p.end > month.start());
            // a month right after its year was read with the year (or the year was no period)
            let of_year = text[..month.start()].trim_end().ends_with('年');
            if !inside && !of_year && is_month_of_figures(text, month.start(), month.end()) {
                out.push(Period::month(month.start(), month.end()));
            }
            continue;
        }
        let Some(lone) = c.name("lone") else { continue };
        // H20, H100, AQ1: a chip's or a model's name, not a half or a quarter (a part written in
        // han joins no Latin word: 上半年AI服务器营收)
        let latin_end = lone
            .as_str()
            .ends_with(|ch: char| ch.is_ascii_alphanumeric());
        let latin_start = lone
            .as_str()
            .starts_with(|ch: char| ch.is_ascii_alphanumeric());
        if (latin_end && text[lone.end()..].starts_with(|ch: char| ch.is_ascii_alphanumeric()))
            || (latin_start && text[..lone.start()].ends_with(|ch: char| ch.is_ascii_alphabetic()))
        {
            continue;
        }
        // 较第二季小幅季减3.4%: the quarter compared with, not the figure's
        if compares(&text[..lone.start()]) {
            continue;
        }
        // 中期 is the interim (half-year) report only before what such a report states (中期业绩,
        // 中期收入); elsewhere it is the medium term (中期来看)
        if lone.as_str() == "中期"
            && !INTERIM_AFTER
                .iter()
                .any(|w| text[lone.end()..].starts_with(w))
        {
            continue;
        }
        // an annual report (or its forecast) named without its year is the last year's: one
        // published in January to April reports the year before
        let part = match lone.as_str() {
            "年报" | "年度报告" | "年度业绩预告" | "年度预告" | "年度业绩快报" | "年度快报" => {
                ""
            }
            half if half.starts_with("半年度") => "H1",
            other => match part_of(other) {
                Some(part) => part,
                None => continue,
            },
        };
        let year = years.for_lone_part(s.paragraph_start(lone.start()), date, part);
        if year.is_none() && !part.is_empty() {
            yearless.push((out.len(), part, false));
        }
        out.push(Period::at(
            lone.start(),
            lone.end(),
            year.map(|y| format!("{y}{part}")),
        ));
    }
    if !yearless.is_empty() {
        complete_yearless(&mut out, &yearless);
    }
    // 较去年第四季季减12%: a quarter compared with, written with its year, is not the figure's
    // either (the lone quarter after 较 is left out where it is read)
    out.retain(|p| {
        let quarter = p.text.as_deref().is_some_and(|t| {
            t.len() == 6 && t.as_bytes()[4] == b'Q' && t.as_bytes()[5].is_ascii_digit()
        });
        let head = &text[..p.start];
        // (对比2021年第三季按年升5%) gives that quarter's own change
        !(quarter && compares(head) && !head.trim_end().ends_with("对比"))
    });
    if let Some(date) = date {
        for p in &mut out {
            let year = p
                .text
                .as_deref()
                .and_then(|t| t.get(..4)?.parse::<i32>().ok());
            p.future = year.is_some_and(|y| y > date.year());
        }
    }
    if !out.is_empty() {
        let asides = bracket_spans(text);
        for p in &mut out {
            p.aside_end = asides
                .iter()
                .filter(|&&(open, close)| open < p.start && p.end <= close)
                .map(|&(_, close)| close)
                .min();
        }
    }
    out
}

/// True when the words after a year make it the date of a thing done then (`2008年计提的存货跌价`,
/// `2021年收购的子公司`): a verb, 的, and a noun that is no figure's metric. The year dates that
/// thing, not the figures around it (`2024年实现的营收` still dates the revenue).
fn dates_a_noun(after: &str) -> bool {
    static DONE_THEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s?(\p{Han}{1,4}?)的(\p{Han}{2})").expect("dated noun regex")
    });
    const FIGURES: &[&str] = &[
        "营收", "营业", "收入", "净利", "利润", "业绩", "归母", "扣非", "毛利", "盈利", "算力",
        "销售", "经营", "增长", "增速", "同比", "规模", "年报", "财报", "数据", "财务", "总营",
        "整体",
    ];
    let Some(c) = DONE_THEN.captures(after) else {
        return false;
    };
    let verb = &c[1];
    // 2024年度的, 2024年全年的, 2024年末的: still the year itself
    if [
        "度", "全年", "末", "底", "初", "中", "内", "以来", "前", "后",
    ]
    .iter()
    .any(|w| verb.starts_with(w) || verb == *w)
    {
        return false;
    }
    !FIGURES.iter().any(|w| c[2].starts_with(w))
}

/// True when the month at `start..end` is the time of figures (`1月销售收入`, `2015年12月经营情况`,
/// `当月实现`), not a point in time: a day (`7月24日`), its end or start (`6月底`, `月初`), a
/// starting point (`3月以来`, `5月起`) or the end of a stretch (`截至9月`, `1-3月` is a quarter).
fn is_month_of_figures(text: &str, start: usize, end: usize) -> bool {
    const POINT_AFTER: &[&str] = &[
        "日", "号", "底", "末", "初", "中", "上旬", "中旬", "下旬", "以来", "起", "开始", "前",
        "后", "至", "到", "-", "—", "~", "内", "间",
    ];
    // as of a month (截至9月, see AS_OF), or since one
    const SINCE: &[&str] = &["自", "从", "于"];
    let after = text[end..].trim_start();
    let before = text[..start].trim_end();
    let digit_after = after.starts_with(|c: char| c.is_ascii_digit());
    let digit_before = before.ends_with(|c: char| c.is_ascii_digit() || c == '.');
    !digit_after
        && !digit_before
        && !POINT_AFTER.iter().any(|w| after.starts_with(w))
        && !AS_OF.iter().chain(SINCE).any(|w| before.ends_with(w))
}

impl Period {
    /// A period (not a span of years) found at `start..end`, outside any aside until
    /// [`periods`] marks the brackets.
    fn at(start: usize, end: usize, text: Option<String>) -> Period {
        Period {
            start,
            end,
            text,
            span: false,
            aside_end: None,
            month: false,
            future: false,
        }
    }

    /// A month at `start..end` (see [`Period::month`](Period#structfield.month)).
    fn month(start: usize, end: usize) -> Period {
        Period {
            month: true,
            ..Period::at(start, end, None)
        }
    }
}

/// True when `head` (the text before a period) ends in a word of comparison (较, 比, 相比, 相较):
/// the period after it is the one compared with.
fn compares(head: &str) -> bool {
    let head = head.trim_end();
    head.ends_with(['较', '比']) || head.ends_with("相较")
}

/// The spans of matched brackets (（）, (), 【】, []) as (opening, closing) byte offsets; a
/// bracket left open or closed without its pair makes no span.
fn bracket_spans(text: &str) -> Vec<(usize, usize)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut spans = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '【' | '[' => open.push((i, c)),
            '）' | ')' | '】' | ']' => {
                let pair = match c {
                    '）' | ')' => ['（', '('],
                    '】' => ['【', '【'],
                    _ => ['[', '['],
                };
                if let Some(at) = open.iter().rposition(|&(_, o)| pair.contains(&o)) {
                    spans.push((open[at].0, i));
                    open.truncate(at);
                }
            }
            '\n' => open.clear(),
            _ => {}
        }
    }
    spans
}

/// A report's heading after a period (`2025 Q2 - 季度财报`, `2024Q4报告`).
static REPORT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s?[-—–:：]?\s?(?:季度)?(?:财报|报告|季报)").expect("report regex")
});

/// True when the period at `start..end` names the report of an A-share stock named before it on
/// its line (`首都在线(300846) - 2025 Q2 - 季度财报`).
fn names_a_report(s: &Structure, start: usize, end: usize) -> bool {
    REPORT_AFTER.is_match(&s.text[end..])
        && !s.stocks_in(s.paragraph_start(start), start).is_empty()
}

/// What an A-share company's report for a quarter covers: there are no second- and
/// fourth-quarter reports, the half-year and annual reports stand in their place and state the
/// half year's and the year's figures.
fn report_period(quarter: &'static str) -> Option<&'static str> {
    match quarter {
        "Q2" => Some("H1"),
        "Q4" => None,
        other => Some(other),
    }
}

/// The quarter after a one-quarter period (`2026Q1` → `2026Q2`, `2025Q4` → `2026Q1`).
fn quarter_after(period: &str) -> Option<String> {
    let (year, quarter) = period.split_once('Q')?;
    let (year, quarter): (i32, u32) = (year.parse().ok()?, quarter.parse().ok()?);
    match quarter {
        1..=3 => Some(format!("{year}Q{}", quarter + 1)),
        4 => Some(format!("{}Q1", year + 1)),
        _ => None,
    }
}

/// Completes the parts of a year that an undated article wrote without their year where it
/// names the same part with its year elsewhere, and always with the same year (`Q1营收…` and
/// `2025年第1季营收…`): the article tells which year it means. A part left without a year that
/// stood after 今年 is dropped, as a 今年 of an undated article is.
fn complete_yearless(out: &mut Vec<Period>, yearless: &[(usize, &'static str, bool)]) {
    let year_of_part = |part: &str| -> Option<String> {
        let mut years = out.iter().filter(|p| !p.span).filter_map(|p| {
            let text = p.text.as_deref()?;
            let (year, rest) = text.split_at_checked(4)?;
            (rest == part && year.bytes().all(|b| b.is_ascii_digit())).then_some(year)
        });
        let first = years.next()?;
        years.all(|y| y == first).then(|| format!("{first}{part}"))
    };
    let found: Vec<Option<String>> = yearless
        .iter()
        .map(|&(_, part, _)| year_of_part(part))
        .collect();
    let mut drop = Vec::new();
    for (&(at, _, drop_if_none), text) in yearless.iter().zip(found) {
        match text {
            Some(text) => out[at].text = Some(text),
            None if drop_if_none => drop.push(at),
            None => {}
        }
    }
    for at in drop.into_iter().rev() {
        out.remove(at);
    }
}

/// The years an article has named so far, for a part of a year written without its own.
#[derive(Default)]
struct Years {
    /// The latest year named (not after the article's own year): a report names the year it
    /// covers and earlier years it compares with.
    latest: Option<i32>,
    /// The year named last, and where.
    last: Option<(usize, i32)>,
}

impl Years {
    fn note(&mut self, at: usize, year: i32, date: Option<Day>) {
        if date.is_some_and(|d| year > d.year()) {
            return;
        }
        self.last = Some((at, year));
        if self.latest.is_none_or(|y| year > y) {
            self.latest = Some(year);
        }
    }

    /// The year of a part written alone in a paragraph starting at `paragraph`: the year named
    /// last in that paragraph; else the latest year named before it or, in a dated article, the
    /// year of the last such part ended by the date, whichever is later. A paragraph on last
    /// year's annual report does not date the first quarter reported beside it
    /// (`2024年全年营收…。` then `一季度营收…` in an article of 2025-04-29 → `2025Q1`).
    fn for_lone_part(&self, paragraph: usize, date: Option<Day>, part: &str) -> Option<i32> {
        match self.last {
            Some((at, year)) if at >= paragraph => Some(year),
            // None orders below any year: the later of the two, or whichever there is
            _ => self.latest.max(date.map(|d| year_before(d, part))),
        }
    }

    /// A year that holds in its own paragraph only.
    fn note_here(&mut self, at: usize, year: i32) {
        self.last = Some((at, year));
    }

    /// The year of a part written in a paragraph starting at `paragraph`: the year named last in
    /// that paragraph (`2022年…。其中四季度…`), else the latest year named before it.
    fn for_part_at(&self, paragraph: usize) -> Option<i32> {
        match self.last {
            Some((at, year)) if at >= paragraph => Some(year),
            _ => self.latest,
        }
    }
}

/// The normalised suffix of a part of a year (`H1`, `Q3`, `Q1-Q3`), `None` for a whole year.
fn part_of(part: &str) -> Option<&'static str> {
    let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(range) = part.strip_suffix('月') {
        // a range of months (1-9月, 7月至9月): the quarters and halves it covers
        let mut ends = range.split(['-', '—', '~', '至', '到']);
        if let (Some(a), Some(b), None) = (ends.next(), ends.next(), ends.next()) {
            return match (a.trim_end_matches('月'), b) {
                ("1", "3") => Some("Q1"),
                ("1", "6") => Some("H1"),
                ("1", "9") => Some("Q1-Q3"),
                ("4", "6") => Some("Q2"),
                ("7", "9") => Some("Q3"),
                ("10", "12") => Some("Q4"),
                ("7", "12") => Some("H2"),
                _ => None, // 1-12月: the whole year
            };
        }
    }
    let part: String = part
        .chars()
        .filter(|c| !matches!(c, '单' | '第' | '财'))
        .map(|c| match c {
            '1' => '一',
            '2' => '二',
            '3' => '三',
            '4' => '四',
            c => c,
        })
        .collect();
    Some(match part.trim_end_matches('度') {
        "上半年" | "前半年" | "中报" | "半年报" | "半年" | "半年末" | "H一" => {
            "H1"
        }
        "下半年" | "H二" => "H2",
        "前三季" | "首三季" | "三季报" | "Q一-Q三" | "Q一—Q三" | "Q一~Q三" | "Q一至Q三"
        | "Q一到Q三" | "Q一-三" | "Q一—三" | "Q一~三" | "Q一至三" | "Q一到三" | "一至三季"
        | "一到三季" => "Q1-Q3",
        "中期" => "H1",
        "一季" | "首季" | "一季报" | "Q一" => "Q1",
        "二季" | "Q二" => "Q2",
        "三季" | "Q三" => "Q3",
        "四季" | "末季" | "Q四" => "Q4",
        _ => return None,
    })
}

/// The year a part of a year written without one most likely means on `date`: this year when
/// the part has ended by then, else last year.
fn year_before(date: Day, part: &str) -> i32 {
    let last_month = match part {
        "Q1" => 3,
        "H1" | "Q2" => 6,
        "Q1-Q3" | "Q3" => 9,
        _ => 12,
    };
    if date.month() > last_month {
        date.year()
    } else {
        date.year() - 1
    }
}

/// A year written with two digits (`25` in `25/26年`, `FY24`) or four.
fn year_of_short(digits: &str) -> Option<i32> {
    if digits.len() == 2 {
        year_of(&format!("20{digits}"))
    } else {
        year_of(digits)
    }
}

fn year_of(digits: &str) -> Option<i32> {
    let d: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
    let y: i32 = d.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// The period nearest before `pos` within `from..pos`, if any, months left out.
/// A period in brackets that close before `pos` is an aside's, not the figure's.
pub(crate) fn before(periods: &[Period], from: usize, pos: usize) -> Option<&Period> {
    before_matching(periods, from, pos, |p| !p.month)
}

/// The latest period in `from..pos` that `keep` accepts, as [`before`] finds it.
pub(crate) fn before_matching(
    periods: &[Period],
    from: usize,
    pos: usize,
    keep: impl Fn(&Period) -> bool,
) -> Option<&Period> {
    periods
        .iter()
        .filter(|p| p.start >= from && p.end <= pos && p.aside_end.is_none_or(|e| e > pos))
        .filter(|p| keep(p))
        .max_by_key(|p| p.end)
}

/// The periods listed in `from..pos`, for a distributive sentence: `2021、2022年`, or the years
/// of a span (`2025-2027年` → 2025, 2026, 2027).
pub(crate) fn listed(periods: &[Period], from: usize, pos: usize) -> Vec<Period> {
    let inside: Vec<&Period> = periods
        .iter()
        .filter(|p| p.start >= from && p.end <= pos && !p.month)
        .collect();
    let Some(&last) = inside.last() else {
        return Vec::new();
    };
    if last.span {
        let years = last.text.as_deref().and_then(|t| {
            let (a, b) = t.split_once('-')?;
            Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?))
        });
        return match years {
            Some((a, b)) if b - a <= 10 => (a..=b)
                .map(|y| Period {
                    start: last.start,
                    end: last.end,
                    text: Some(y.to_string()),
                    span: false,
                    aside_end: None,
                    month: false,
                    future: last.future,
                })
                .collect(),
            _ => vec![last.clone()],
        };
    }
    // the run of single periods that ends with the last one (`2021、2022年`, `2023年和2024年`)
    let mut run = vec![last.clone()];
    for pair in inside.windows(2).rev() {
        let (before, after) = (pair[0], pair[1]);
        if before.span || after.start != run[0].start {
            break;
        }
        // what stands between them is at most a list mark or 年 (two characters)
        if after.start.saturating_sub(before.end) > 6 {
            break;
        }
        run.insert(0, before.clone());
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, date: Option<&str>) -> Vec<Option<String>> {
        let s = Structure::new(text, &[]);
        periods(&s, date.and_then(Day::parse))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn periods_normalise() {
        let some = |t: &str| Some(t.to_string());
        type Case<'a> = (&'a str, Option<&'a str>, Vec<Option<String>>);
        let cases: &[Case] = &[
            ("2024年营收", None, vec![some("2024")]),
            ("2024年上半年", None, vec![some("2024H1")]),
            ("2024年前三季度", None, vec![some("2024Q1-Q3")]),
            ("2024年1-9月", None, vec![some("2024Q1-Q3")]),
            ("2024Q3单季", None, vec![some("2024Q3")]),
            ("3Q25营收", None, vec![some("2025Q3")]),
            ("截至2021年9月30日止九个月", None, vec![some("2021Q1-Q3")]),
            ("截至2025年6月30日止三个月", None, vec![some("2025Q2")]),
            (
                "截至二零二一年十二月三十一日止年度",
                None,
                vec![some("2021")],
            ),
            (
                "截至2021年6月30日止六个月的中期",
                None,
                vec![some("2021H1")],
            ),
            ("截至二零二一年十一月三十日止六个月", None, vec![None]),
            (
                "1H25营收，4Q24净利",
                None,
                vec![some("2025H1"), some("2024Q4")],
            ),
            ("H20芯片出货", None, vec![]),
            ("2025年一至三季度", None, vec![some("2025Q1-Q3")]),
            ("2025年Q1-Q3营收", None, vec![some("2025Q1-Q3")]),
            ("2024Q1-Q3营收", None, vec![some("2024Q1-Q3")]),
            ("24Q1-3营收", None, vec![some("2024Q1-Q3")]),
            ("2024Q1~Q3营收", None, vec![some("2024Q1-Q3")]),
            ("24Q1-3.5%", None, vec![]),
            (
                "预计2021年净利润增长，创2000年上市以来最好业绩；第四季度净利润增长",
                None,
                vec![some("2021"), some("2021Q4")],
            ),
            (
                "2025年第三季年增260%，较第二季季减3.4%",
                None,
                vec![some("2025Q3")],
            ),
            (
                "2024A营收，2025E归母净利润",
                None,
                vec![some("2024"), some("2025")],
            ),
            ("2024AI服务器", None, vec![]),
            ("2024年首三季纯利", None, vec![some("2024Q1-Q3")]),
            ("2025年前3季度营收", None, vec![some("2025Q1-Q3")]),
            ("2017半年末资管业务收入", None, vec![some("2017H1")]),
            ("截至2025年半年末", None, vec![some("2025H1")]),
            ("前3季累计营收", Some("2025-11-01"), vec![some("2025Q1-Q3")]),
            ("公布中期业绩", Some("2025-08-30"), vec![some("2025H1")]),
            ("中期来看", Some("2025-08-30"), vec![]),
            ("去年末季收入", Some("2022-02-20"), vec![some("2021Q4")]),
            ("2024年7月至9月", None, vec![some("2024Q3")]),
            // months that make no quarter or half: no period, and none taken from before
            ("2024年1-2月", None, vec![None]),
            ("2015年12月经营情况：当月营收", None, vec![None, None]),
            ("1月份，公司销售收入", None, vec![None]),
            ("12月票房收入", None, vec![None]),
            (
                "截至6月底，3月以来，5月起，1月14日晚间，3个月",
                None,
                vec![],
            ),
            (
                "2024年营收。下半年",
                None,
                vec![some("2024"), some("2024H2")],
            ),
            (
                "25/26/27年营收",
                None,
                vec![some("2025"), some("2026"), some("2027")],
            ),
            ("2025E/2026E营收", None, vec![some("2025"), some("2026")]),
            ("25-27年归母净利润", None, vec![some("2025-2027")]),
            ("2021-23年营收", None, vec![some("2021-2023")]),
            ("自2014年以来最高。第四季", None, vec![None]),
            ("2014年以来最高。2021年第四季", None, vec![some("2021Q4")]),
            ("使用寿命10-15年", None, vec![]),
            ("预计20-25年内", None, vec![]),
            ("2019-2023年复合增长率", None, vec![some("2019-2023")]),
            ("今年上半年", Some("2025-08-20"), vec![some("2025H1")]),
            ("去年", Some("2026-02-01"), vec![some("2025")]),
            ("截至去年底", Some("2025-10-30"), vec![some("2024")]),
            ("预计今年底达到", Some("2025-10-30"), vec![some("2025")]),
            ("较去年底增长", Some("2025-10-30"), vec![]),
            ("去年同期", Some("2025-10-30"), vec![]),
            ("20 24年", None, vec![some("2024")]),
            (
                "2024年报告显示。第三季度",
                None,
                vec![some("2024"), some("2024Q3")],
            ),
            ("第三季度", None, vec![None]),
            ("前三季度", Some("2025-10-30"), vec![some("2025Q1-Q3")]),
            ("营收3000万元", None, vec![]),
            ("2024 年 1 - 6 月营收", None, vec![some("2024H1")]),
            ("2026财年第一财季营收", None, vec![some("2026Q1")]),
            ("2024财年营收同比增长35%", None, vec![some("2024")]),
            ("2025年第2季度", None, vec![some("2025Q2")]),
            ("FY2024营收", None, vec![some("2024")]),
            ("FY25Q3营收", None, vec![some("2025Q3")]),
            ("2024全年营收", None, vec![some("2024")]),
            ("今年1-6月营收", Some("2025-09-01"), vec![some("2025H1")]),
            ("发布年报，营收", Some("2025-04-28"), vec![some("2024")]),
            (
                "发布半年度业绩预告",
                Some("2025-07-10"),
                vec![some("2025H1")],
            ),
            ("2025年半年度报告", None, vec![some("2025H1")]),
            ("今年的首季", Some("2023-04-30"), vec![some("2023Q1")]),
            ("首季营收年增3成", Some("2025-06-30"), vec![some("2025Q1")]),
            ("24年营收同比+20%", None, vec![some("2024")]),
            ("算力规模将于2026年达到2万P", None, vec![some("2026")]),
            ("高于2023年", None, vec![]),
            ("近24年营收", None, vec![]),
            ("24年来首次", None, vec![]),
            ("2023年7月24日收购", None, vec![]),
            ("成立于2007年7月", None, vec![]),
            ("截至2024年7月", None, vec![some("2024")]),
            (
                "2026财年第一财季营收增长17%，预计下季度营收环比增速约20%",
                None,
                vec![some("2026Q1"), some("2026Q2")],
            ),
            (
                "2025年四季度毛利率提升，下一季度",
                None,
                vec![some("2025Q4"), some("2026Q1")],
            ),
            ("预计下季度增长", None, vec![]),
            (
                "2023年营收。2022年营收。其中四季度",
                None,
                vec![some("2023"), some("2022"), some("2022Q4")],
            ),
            (
                "2023年营收。\n2022年营收。\n四季度",
                None,
                vec![some("2023"), some("2022"), some("2023Q4")],
            ),
            // an undated article's lone part takes the year it names for the same part elsewhere
            (
                "Q1营收。2025年第1季营收",
                None,
                vec![some("2025Q1"), some("2025Q1")],
            ),
            (
                "今年上半年营收。2025年上半年",
                None,
                vec![some("2025H1"), some("2025H1")],
            ),
            (
                "Q1营收。2024年Q1，2025年Q1",
                None,
                vec![None, some("2024Q1"), some("2025Q1")],
            ),
            ("今年上半年营收。2025年全年", None, vec![some("2025")]),
            (
                "今年上半年营收。2025年上半年",
                Some("2024-08-01"),
                vec![some("2024H1"), some("2025H1")],
            ),
        ];
        for (text, date, want) in cases {
            assert_eq!(&found(text, *date), want, "{text}");
        }
    }
}
