//! Quantities: every figure of an article with its unit, found once, before any claim kind looks
//! for the words that make it a claim.
//!
//! A quantity is a number (Arabic with or without thousands separators, full-width already made
//! half-width by normalisation, or a Chinese numeral), an optional 万/亿, an optional 多 or 余
//! (more than the figure: `三千多P` is read as 3000 P), and a unit: a percentage
//! (`%`, 成), a multiple (倍: 增长1.2倍 is +120%), percentage points (a change of a rate, never a
//! growth rate), or compute (P, PFLOPS, PetaFLOPS, E, EFLOPS; 1E = 1000P). A range joins two
//! figures (`50%-80%`, `35%至62.5%`, `1.2倍至1.5倍`, `50-80%`), and a sign written before a figure
//! (`+12.4%`, `-3.8%`, `同比+ 31.07%`) is kept. A doubled `%` as published (`59.18%%到72.59%`) is
//! one. Spacing inside a figure as published (`3000 P`) is
//! allowed. Whether a quantity is a growth rate, a compute amount or neither is decided by the
//! frames around it (`growth.rs`, `compute.rs`), not here.

use std::sync::LazyLock;

use regex::Regex;

use super::Amount;
use crate::number;

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A percentage (`%`, `成` ×10, `倍` ×100 already applied).
    Percent,
    /// Percentage points: a change of a rate (毛利率提升3个百分点), not a growth rate.
    Points,
    /// Compute, in P.
    Compute,
}

/// A figure with its unit, in the normalised text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Quantity {
    /// Byte span of the figure (sign and unit included).
    pub start: usize,
    pub end: usize,
    /// The amount in the unit's normal form (% or P).
    pub amount: Amount,
    pub unit: Unit,
    /// A sign was written before the figure.
    pub signed: bool,
    /// Written as a multiple (倍): `增长1.2倍` is +120%.
    pub times: bool,
    /// A word that is its own change cue (翻倍, 翻番: +100%).
    pub doubling: bool,
}

/// A number as written: Arabic with or without thousands separators and decimals, or Chinese
/// numerals.
pub(super) const NUM: &str =
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)";
const UNIT: &str = r"%|个百分点|百分点|pct|倍|成|EFLOPS|EFlops|Eflops|ExaFLOPS|PFLOPS|PFlops|Pflops|PetaFLOPS|P|E|亿次";

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<manyfold>成倍增)|(?P<double>翻了一番|翻一番|翻倍|翻番|倍增)|(?P<quadruple>翻了两番|翻两番)|(?P<octuple>翻了三番|翻三番)|逾(?P<onefold>倍)|百分之(?P<pct>[零〇一二两三四五六七八九十百点\d.]+)|(?P<sa>[+\-−])?\s?(?P<a>{NUM})\s?(?P<ma>万|亿|[wW])?\s?(?:多|余)?\s?(?:(?P<ua>{UNIT})%?(?:\s?(?:{sep})\s?(?P<sb>[+\-−])?\s?(?P<b>{NUM})\s?(?P<mb>万|亿|[wW])?\s?(?P<ub>{UNIT})%?)?|(?:{sep})\s?(?P<sb2>[+\-−])?\s?(?P<b2>{NUM})\s?(?P<mb2>万|亿|[wW])?\s?(?P<ub2>{UNIT}))",
        sep = number::RANGE_SEP
    ))
    .expect("quantity regex")
});

/// Every quantity of `text` in text order. `separator_ok(i)` says whether the `,` at byte `i`
/// was a thousands separator as written (a full-width `，` made half-width is a list comma:
/// `20，300` is two numbers).
pub(crate) fn quantities(text: &str, separator_ok: impl Fn(usize) -> bool) -> Vec<Quantity> {
    let mut out = Vec::new();
    // every unit has one of these: %, P, E, 倍, 成, 百分点/百分之, 翻倍/翻番
    let units = ["%", "P", "E", "倍", "成", "百分", "翻", "亿次"];
    if !units.iter().any(|u| text.contains(u)) {
        return out;
    }
    let mut from = 0;
    while let Some(c) = QUANTITY.captures_at(text, from) {
        let whole = c.get(0).expect("match");
        from = whole.end().max(whole.start() + 1);
        from = text.ceil_char_boundary(from);
        if c.name("manyfold").is_some() {
            continue; // 成倍增长: no one figure
        }
        if let Some(q) = word_quantity(&c) {
            out.push(q);
            continue;
        }
        let commas_ok = |m: regex::Match| {
            m.as_str()
                .match_indices(',')
                .all(|(i, _)| separator_ok(m.start() + i))
        };
        let b = c.name("b").or_else(|| c.name("b2"));
        if c.name("a").is_some_and(|a| !commas_ok(a)) || b.is_some_and(|b| !commas_ok(b)) {
            // a list comma: read again from after it, so the figures after it are found
            from = text.ceil_char_boundary(whole.start() + 1);
            continue;
        }
        if let Some(q) = quantity(text, &c) {
            out.push(q);
        }
    }
    out
}

/// 翻倍 / 倍增 (+100%), 翻两番 (+300%), 逾倍 (over +100%) and 百分之十五 (15%): figures written in
/// words. 成倍增长 (many-fold) gives no figure.
fn word_quantity(c: &regex::Captures) -> Option<Quantity> {
    let whole = c.get(0)?;
    if let Some(fold) = c.name("onefold") {
        // 增长逾倍: more than one time over, the figure where 倍 stands so 逾 stays its bound
        return Some(Quantity {
            start: fold.start(),
            end: fold.end(),
            amount: Amount::One(100.0),
            unit: Unit::Percent,
            signed: false,
            times: true,
            doubling: false,
        });
    }
    let (value, doubling) = if c.name("double").is_some() {
        (100.0, true)
    } else if c.name("quadruple").is_some() {
        (300.0, true) // doubled twice: four times the base
    } else if c.name("octuple").is_some() {
        (700.0, true)
    } else {
        let words = c.name("pct")?.as_str();
        let value = match words.split_once('点') {
            Some((int, frac)) => {
                let digits: String = frac
                    .chars()
                    .map(|ch| {
                        number::parse(&ch.to_string())
                            .map_or('0', |d| char::from_digit(d as u32, 10).unwrap_or('0'))
                    })
                    .collect();
                number::parse(int)? + format!("0.{digits}").parse::<f64>().ok()?
            }
            None => number::parse(words)?,
        };
        (value, false)
    };
    Some(Quantity {
        start: whole.start(),
        end: whole.end(),
        amount: Amount::One(value),
        unit: Unit::Percent,
        signed: false,
        times: doubling,
        doubling,
    })
}

fn quantity(text: &str, c: &regex::Captures) -> Option<Quantity> {
    let whole = c.get(0)?;
    // the second figure of a range: after a unit (50%-80%) or without one before it (50-80%)
    let second = |name: &str| c.name(name).or_else(|| c.name(&format!("{name}2")));
    let (ua, ub) = (c.name("ua"), second("ub"));
    let unit_text = ub.or(ua)?.as_str();
    // one side without a unit takes the other's (50-80%); both must agree otherwise
    if let (Some(a), Some(b)) = (ua, ub) {
        if unit_kind(a.as_str()) != unit_kind(b.as_str()) {
            return None;
        }
    }
    let a_text = c.name("a")?.as_str();
    if a_text.chars().all(|ch| !ch.is_ascii_digit()) && ua.is_none() && second("b").is_none() {
        // a bare Chinese numeral with no unit is no figure
        return None;
    }
    let kind = unit_kind(unit_text)?;
    if unit_text == "成" && (c.name("ma").is_some() || chengyu_after(text, whole.end())) {
        return None;
    }
    let (start, end) = trim_span(text, whole.start(), whole.end());
    if ascii_glued(text, start, end) && kind == UnitKind::Compute {
        return None;
    }
    if unit_text == "亿次"
        && (!counts_operations(text, start, end)
            || !a_text.contains(|ch: char| ch.is_ascii_digit()))
    {
        // 调用量达100亿次: calls, not operations a second; (每秒百亿亿次浮点运算) glosses a unit
        return None;
    }
    let a = figure(
        c.name("sa").map(|m| m.as_str()),
        a_text,
        c.name("ma").map(|m| m.as_str()),
        ua.map_or(unit_text, |m| m.as_str()),
    )?;
    let amount = match second("b") {
        Some(b) => {
            let b = figure(
                second("sb").map(|m| m.as_str()),
                b.as_str(),
                second("mb").map(|m| m.as_str()),
                unit_text,
            )?;
            Amount::Range(a, b)
        }
        None if ua.is_some() => Amount::One(a),
        None => return None,
    };
    Some(Quantity {
        start,
        end,
        amount,
        unit: match kind {
            UnitKind::Percent | UnitKind::Times => Unit::Percent,
            UnitKind::Points => Unit::Points,
            UnitKind::Compute => Unit::Compute,
        },
        signed: c.name("sa").is_some(),
        times: kind == UnitKind::Times,
        doubling: false,
    })
}

/// True when a count of 亿次 at `start..end` is of floating-point operations a second
/// (`每秒670亿亿次浮点运算`), the way Chinese writes FLOPS.
fn counts_operations(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start();
    let after = after.strip_prefix('的').unwrap_or(after);
    // 300亿亿次/秒 and 亿亿次每秒 write the second as 每秒 before the figure does
    ["浮点", "运算", "计算", "/秒", "每秒"]
        .iter()
        .any(|w| after.starts_with(w))
        || text[..start].trim_end().ends_with("每秒")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Percent,
    Times,
    Points,
    Compute,
}

fn unit_kind(unit: &str) -> Option<UnitKind> {
    Some(match unit {
        "%" | "成" => UnitKind::Percent,
        "倍" => UnitKind::Times,
        u if u.contains("百分点") || u == "pct" => UnitKind::Points,
        _ => UnitKind::Compute,
    })
}

/// One figure in its unit's normal form: % (成 ×10, 倍 ×100) or P (万 ×10000, E ×1000).
fn figure(sign: Option<&str>, number: &str, mult: Option<&str>, unit: &str) -> Option<f64> {
    let mut v = number::parse(number)?;
    v *= match mult {
        Some("万" | "w" | "W") => 10_000.0,
        Some("亿") => 100_000_000.0,
        _ => 1.0,
    };
    v = match unit_kind(unit)? {
        UnitKind::Percent if unit == "成" => v * 10.0,
        UnitKind::Percent | UnitKind::Points => v,
        UnitKind::Times => v * 100.0,
        UnitKind::Compute => number::to_p(v, unit),
    };
    if matches!(sign, Some("-" | "−")) {
        v = -v;
    }
    Some(number::round(v))
}

/// True when the 成 of a figure starts a word (成交, 成本, 成功 …) rather than meaning tenths.
fn chengyu_after(text: &str, end: usize) -> bool {
    text[end..].starts_with(['交', '本', '功', '为', '立', '员', '熟', '长', '品', '型'])
}

/// The span without the spaces the pattern allowed at its ends.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (start + lead, end - trail)
}

/// True when the figure is glued to Latin letters or digits around it (`PE`, `3000P2`, `H800`).
fn ascii_glued(text: &str, start: usize, end: usize) -> bool {
    text[end..].starts_with(|c: char| c.is_ascii_alphanumeric())
        || text[..start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(Amount, Unit)> {
        quantities(text, |_| true)
            .into_iter()
            .map(|q| (q.amount, q.unit))
            .collect()
    }

    #[test]
    fn figures_with_units_signs_and_ranges() {
        use Amount::{One, Range};
        use Unit::{Compute, Percent, Points};
        let cases: &[(&str, Vec<(Amount, Unit)>)] = &[
            ("同比增长46%", vec![(One(46.0), Percent)]),
            ("同比+ 31.07%", vec![(One(31.07), Percent)]),
            ("下降-3.8%", vec![(One(-3.8), Percent)]),
            ("预增50%-80%", vec![(Range(50.0, 80.0), Percent)]),
            ("预增50-80%", vec![(Range(50.0, 80.0), Percent)]),
            ("增长35%至62.5%", vec![(Range(35.0, 62.5), Percent)]),
            (
                "同比减少59.18%%到72.59%",
                vec![(Range(59.18, 72.59), Percent)],
            ),
            ("增长1.2倍至1.5倍", vec![(Range(120.0, 150.0), Percent)]),
            ("增长三成", vec![(One(30.0), Percent)]),
            ("算力12,800P", vec![(One(12_800.0), Compute)]),
            ("1.5万P", vec![(One(15_000.0), Compute)]),
            ("61.3 EFLOPS", vec![(One(61_300.0), Compute)]),
            ("提升20个百分点", vec![(One(20.0), Points)]),
            ("增长百分之十五", vec![(One(15.0), Percent)]),
            ("增长百分之十二点五", vec![(One(12.5), Percent)]),
            ("同比翻倍", vec![(One(100.0), Percent)]),
            ("营收翻了两番", vec![(One(300.0), Percent)]),
            ("净利润增长逾倍", vec![(One(100.0), Percent)]),
            ("增长逾3倍", vec![(One(300.0), Percent)]),
            ("在手1.2wP", vec![(One(12_000.0), Compute)]),
            ("每秒670亿亿次浮点运算", vec![(One(6_700.0), Compute)]),
            ("算力达每秒300亿亿次", vec![(One(3_000.0), Compute)]),
            ("日均调用量超过100亿次", vec![]),
            (
                "2万PFLOPS(千万亿次浮点运算/秒)",
                vec![(One(20_000.0), Compute)],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&amounts(text), want, "{text}");
        }
    }

    #[test]
    fn list_commas_split_numbers() {
        let text = "20,300P";
        assert_eq!(amounts(text), vec![(Amount::One(20_300.0), Unit::Compute)]);
        let got: Vec<Amount> = quantities(text, |_| false)
            .into_iter()
            .map(|q| q.amount)
            .collect();
        assert_eq!(got, vec![Amount::One(300.0)]);
    }

    #[test]
    fn latin_words_are_not_compute() {
        assert!(amounts("市盈率PE为30倍，H800芯片")
            .iter()
            .all(|(_, u)| *u != Unit::Compute));
    }
}
