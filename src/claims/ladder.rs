//! Ladder sections of 涨停 reviews: a heading line (首板, 二板, 二板晋级, 三板, N连板, 二进三)
//! applies to every stock listed on the lines under it, until the next heading or a line that
//! opens another kind of section (复盘, 总结, 情绪 …).

use std::sync::LazyLock;

use regex::Regex;

use super::structure::{self, Structure};
use super::{Amount, Candidate, Who};
use crate::model::ClaimKind;
use crate::number;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<pre>[一二三四五六七八九十\d]{1,2}[、.．]\s*)?(?:(?P<first>首板|一板)|(?P<n>[二三四五六七八九十两\d]{1,3})(?:连板|板)|(?P<from>[一二三四五六七八九十\d]{1,2})进(?P<to>[二三四五六七八九十\d]{1,2}))(?:晋级|梯队|个股)?(?P<end>\s|[:：(（，,]|$)",
    )
    .expect("ladder heading regex")
});

const SECTION_WORDS: &[&str] = &[
    "复盘", "总结", "情绪", "策略", "展望", "思考", "计划", "操作", "观点", "心得", "分析",
];

/// The board count a heading line announces (1 for 首板).
pub(crate) fn heading(line: &str) -> Option<u32> {
    let c = HEADING.captures(line.trim())?;
    // a comment after a comma makes a heading only of a numbered section (`一、五板，明牌三自爆`):
    // prose opens with `四进五，中南文化…` too
    if matches!(&c["end"], "，" | ",") && c.name("pre").is_none() {
        return None;
    }
    if c.name("first").is_some() {
        return Some(1);
    }
    let n = c.name("to").or(c.name("n"))?.as_str();
    number::parse(n)
        .map(|v| v as u32)
        .filter(|&v| (1..=30).contains(&v))
}

/// Claims for the stocks listed under ladder headings.
pub(crate) fn find(s: &Structure, out: &mut Vec<Candidate>) {
    let mut current: Option<u32> = None;
    for (start, end) in structure::line_spans(s.text) {
        let line = &s.text[start..end];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let mut from = start;
        if let Some(n) = heading(trimmed) {
            current = Some(n);
            // a stock in a heading's comment (一、六板，一字首开破掌阅高度) is named in passing
            out.retain(|c| {
                !(matches!(c.kind, ClaimKind::LimitUp | ClaimKind::LimitUpStreak)
                    && (start..end).contains(&c.start))
            });
            // `2板：法尔胜、杭电股份` lists its stocks on the heading line itself.
            match line.find(['：', ':']) {
                Some(i) => from = start + i,
                None => continue,
            }
        }
        let Some(n) = current else { continue };
        let stocks = s.stocks_in(from, end).to_vec();
        if stocks.is_empty() {
            if trimmed.chars().count() <= 12 && SECTION_WORDS.iter().any(|w| trimmed.contains(w)) {
                current = None;
            }
            continue;
        }
        let list = is_list_line(s.text, from, end, &stocks);
        let members: Vec<_> = if list {
            // a later stock that words follow (`东方新能，华辽跟涨`) is the subject of a comment
            stocks
                .into_iter()
                .enumerate()
                .filter(|&(i, st)| i == 0 || !followed_by_words(s.text, st.end))
                .map(|(_, st)| st)
                .collect()
        } else {
            // a numbered item's stocks lead its first segments; once other words have come
            // between (`12.正泰电源 江苏 光伏逆变器 阳光电源刺激`: a province, a theme), a stock
            // leading a later segment is the comment's
            let numbered = trimmed.starts_with(|c: char| c.is_ascii_digit())
                && trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with(['.', '、', '．']);
            let mut after = from;
            stocks
                .into_iter()
                .filter(|st| leads_segment(s.text, from, st.start))
                .take_while(|st| {
                    let first = !numbered || count_content(&s.text[after..st.start]) == 0;
                    after = st.end;
                    first
                })
                .collect()
        };
        for m in members {
            // a stock the item says fell to its limit (`1雪龙跌停，荣晟自爆`) did not seal one
            if out.iter().any(|c| {
                c.kind == ClaimKind::LimitDown
                    && c.subject == Who::Stock(m.stock)
                    && (start..end).contains(&c.start)
            }) {
                continue;
            }
            // a limit or a board count of another stock in an item's comment (咱们这长飞…今天被
            // 光纤低位刺激上板) is said in passing, on a day the comment does not say
            let limit = |k: ClaimKind| matches!(k, ClaimKind::LimitUp | ClaimKind::LimitUpStreak);
            // and a board count that qualifies a group in the item's own comment (按理是指引
            // 二板锂电) is no count of the item's
            let qualifies = |c: &Candidate| {
                c.kind == ClaimKind::LimitUpStreak
                    && s.text[c.end..]
                        .chars()
                        .next()
                        .is_some_and(|ch| crate::lexicon::is_han(ch) && !"了的后也".contains(ch))
            };
            out.retain(|c| {
                let other = c.subject != Who::Stock(m.stock);
                let in_comment = !list && (m.end..end).contains(&c.start);
                !(in_comment && ((other && limit(c.kind)) || (!other && qualifies(c))))
            });
            let f = if n == 1 {
                Candidate::new(ClaimKind::LimitUp, Who::Stock(m.stock), m.start, m.end)
            } else {
                Candidate::new(
                    ClaimKind::LimitUpStreak,
                    Who::Stock(m.stock),
                    m.start,
                    m.end,
                )
                .amount(Amount::One(n as f64), "板")
            };
            out.push(f);
        }
    }
}

/// True when words other than a board's form follow a stock's name directly (`华辽跟涨`, not
/// `华辽一字` or `华辽（6板）`).
fn followed_by_words(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    rest.starts_with(crate::lexicon::is_han)
        && !["一字", "1字", "秒板", "回封", "首板", "涨停", "封板", "等"]
            .iter()
            .any(|w| rest.starts_with(w))
}

/// A line that is mostly stock names with separators.
fn is_list_line(
    text: &str,
    start: usize,
    end: usize,
    stocks: &[super::structure::StockAt],
) -> bool {
    let mut rest = 0usize;
    let mut pos = start;
    for st in stocks {
        rest += count_content(&text[pos..st.start]);
        pos = st.end;
    }
    rest += count_content(&text[pos..end]);
    let total = text[start..end].chars().count();
    rest <= 2 || rest * 4 <= total
}

fn count_content(s: &str) -> usize {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !"，,、;；/|.。:：()（）-—".contains(*c) && !c.is_ascii_digit()
        })
        .count()
}

/// A stock that opens a segment of the line (`新金路，金属身位。 锡业股份，踏空板。`): only an
/// item number or white space lies between it and the line start or the previous sentence end.
fn leads_segment(text: &str, line_start: usize, stock_start: usize) -> bool {
    let lead = &text[line_start..stock_start];
    let seg = lead
        .rfind(['。', '！', '；', ';', ' ', '\t', '\u{3000}'])
        .map_or(0, |i| {
            i + lead[i..].chars().next().map_or(1, char::len_utf8)
        });
    lead[seg..]
        .chars()
        .all(|c| c.is_whitespace() || c.is_ascii_digit() || ".、．)）:：".contains(c))
}

#[cfg(test)]
mod tests {
    use super::heading;

    #[test]
    fn headings() {
        let cases = [
            ("首板", Some(1)),
            ("二板", Some(2)),
            ("二板晋级", Some(2)),
            ("一、三板 豫能七板节点", Some(3)),
            ("一、五板，明牌三自爆", Some(5)),
            ("四进五，中南文化，昨天风电发酵", None),
            ("八板晋级：", Some(8)),
            ("四连板", Some(4)),
            ("二进三", Some(3)),
            ("二板晋级率很高", None),
            ("三板块轮动", None),
            ("首板这里，豫能断板节点", None),
        ];
        for (line, want) in cases {
            assert_eq!(heading(line), want, "{line}");
        }
    }
}
