//! Six-digit stock codes, counted where the context makes them codes: an exchange prefix or
//! suffix, brackets, a 股票代码 label, the stock's name nearby, or a code alone on its line; never
//! when a unit follows or the digits are part of a longer number.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::is_han;
use crate::segment::Doc;

use super::{mention, Entity, MatchHow, Mention, Recognizer};

static CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(sh|sz|bj)\.?)?(\d{6})(?:\.(sh|sz|bj|ss))?").expect("code regex")
});

/// Marks of a listing outside the A-share market inside brackets after a name: `(1681.HK)`,
/// `（00700.HK）`, `(NASDAQ:BIDU)`, `(港股)`, `(美股)`.
const FOREIGN_LISTING: &[&str] = &[
    ".HK",
    "HK:",
    "HK.",
    "HKEX",
    "港股",
    "港交所",
    "H股",
    ".N)",
    ".O)",
    ".US",
    "NYSE",
    "NASDAQ",
    "纳斯达克",
    "纽交所",
    "美股",
    ".SG",
    ".T)",
    ".KS",
];

/// True when brackets right after a name hold a listing outside the A-share market (a Hong Kong
/// or US code, or the market's name): the name is then that company's, not an A-share stock's.
pub(super) fn foreign_listing_after(after: &str) -> bool {
    let Some(inside) = after.strip_prefix('(').or_else(|| after.strip_prefix('（')) else {
        return false;
    };
    // the brackets' content, closing bracket included, within a short reach
    let reach = inside.floor_char_boundary(inside.len().min(24));
    let close = inside[..reach].find([')', '）']);
    let Some(close) = close else {
        return false;
    };
    let content = inside[..close].to_ascii_uppercase() + ")";
    FOREIGN_LISTING.iter().any(|m| content.contains(m))
}

impl Recognizer {
    /// Six-digit codes in code context.
    pub(super) fn find_codes(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        if !has_six_digits(text) {
            return;
        }
        for caps in CODE_RE.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let digits = caps.get(2).expect("digits");
            let Some((idx, stock)) = self.lexicon.stock_by_code(digits.as_str()) else {
                continue;
            };
            // an exchange prefix glued to a longer Latin word (e.g. "tsh600519") is not one
            if caps.get(1).is_some()
                && text[..whole.start()].ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            // part of a longer number, a decimal, or a quantity with a unit
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                || after.is_some_and(|c| c.is_ascii_digit() || c == '.' || is_unit_char(c))
            {
                continue;
            }
            let marked = caps.get(1).is_some() || caps.get(3).is_some();
            // an index's own code in brackets after its name (上证指数(000001), 上证50（000016）)
            // shares its digits with a stock's but is none
            if !marked && before.is_some_and(|c| "(（".contains(c)) {
                let name_before = &text[..whole.start() - before.map_or(0, char::len_utf8)];
                if names_an_index(name_before) {
                    continue;
                }
            }
            let bracketed = before.is_some_and(|c| "(（[【".contains(c))
                || after.is_some_and(|c| ")）]】,，".contains(c));
            let labelled = text[..whole.start()].ends_with("代码")
                || text[..whole.start()].ends_with("代码：")
                || text[..whole.start()].ends_with("代码:")
                || text[..whole.start()].ends_with("行情");
            let window_start = text.floor_char_boundary(whole.start().saturating_sub(24));
            let window_end = text.ceil_char_boundary(whole.end() + 24);
            let named = text[window_start..window_end].contains(stock.name.as_str());
            let listed_alone = before.is_none_or(|c| c == '\n' || c == ' ' || c == '\t')
                && after.is_none_or(|c| c.is_whitespace() || is_han(c));
            if marked || bracketed || labelled || named || listed_alone {
                out.push(mention(
                    Entity::Stock(idx),
                    whole.start(),
                    whole.end(),
                    MatchHow::Code,
                ));
            }
        }
    }
}

/// True when `before` ends with an index's name (上证指数, 沪指, 深成指, 沪深300, 科创50): a code
/// in brackets after it is the index's.
fn names_an_index(before: &str) -> bool {
    ["指数", "指", "300", "50", "500", "1000", "2000"]
        .iter()
        .any(|end| before.ends_with(end))
}

/// True when the text has a run of six ASCII digits (cheap test before the code regex). Every run
/// of six bytes covers exactly one offset that is 5 modulo 6, so only those bytes are tested
/// first, and the run is measured around the digits found there.
fn has_six_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = |i: &usize| bytes[*i].is_ascii_digit();
    (5..bytes.len()).step_by(6).filter(digit).any(|i| {
        let left = (i.saturating_sub(5)..i).rev().take_while(digit).count();
        let right = (i + 1..bytes.len().min(i + 6)).take_while(digit).count();
        left + 1 + right >= 6
    })
}

fn is_unit_char(c: char) -> bool {
    "亿万千百元只股手点%％倍年月日号次家个条人PpTtGgWw".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_listings_after_a_name() {
        let cases: &[(&str, bool)] = &[
            ("（1681.HK）发布公告", true),
            ("(01681.hk)", true),
            ("（00700.HK)", true),
            ("(NASDAQ:BIDU)", true),
            ("（港股）", true),
            ("(603590.SH)", false),
            ("（300510）", false),
            ("(2018年)", false),
            ("发布公告(1681.HK)", false),
            ("(没有闭合的括号1681.HK", false),
            ("(", false),
        ];
        for (after, want) in cases {
            assert_eq!(foreign_listing_after(after), *want, "{after}");
        }
    }

    proptest::proptest! {
        /// The strided test agrees with counting every run, on texts of digits, letters and han
        /// characters in runs of every length.
        #[test]
        fn six_digit_runs_are_found_as_by_scanning_every_byte(
            pieces in proptest::collection::vec((0u8..3, 0usize..9), 0..12)
        ) {
            let text: String = pieces
                .iter()
                .map(|&(what, n)| ["7", "a", "股"][what as usize].repeat(n))
                .collect();
            let mut run = 0;
            let mut plain = false;
            for b in text.bytes() {
                run = if b.is_ascii_digit() { run + 1 } else { 0 };
                plain |= run >= 6;
            }
            proptest::prop_assert_eq!(has_six_digits(&text), plain, "{:?}", text);
        }
    }
}
