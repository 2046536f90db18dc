//! Numbers as recaps write them: Arabic (already half-width after normalisation), Chinese
//! numerals (十三, 两, 二十, 一万), mixed forms (1.86w, 1.2万亿), with unit scaling for money
//! (to 亿元) and compute (to P). One parser for every claim kind.

/// The regex fragment matching one number in any supported form.
pub const NUMBER: &str = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)";

/// [`NUMBER`], also with thousands separators (`8,326`, `1,100.9`): for the market's figures
/// (turnover, counts of stocks), where two numbers never stand joined by a comma.
pub const GROUPED_NUMBER: &str =
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)";

/// The regex alternatives of the words that make a figure approximate or a bound (约, 超过 …),
/// for a `(?P<q>…)` group; 超过 comes before 超 so the longer word wins.
pub const APPROX: &str = "约|超过|超|逾|近";

/// The regex alternatives that join the two ends of a range (`50%-80%`, `35%至62.5%`).
pub const RANGE_SEP: &str = "到|至|-|–|~|—|－|～|〜";

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parses a Chinese numeral below 10^8 (十三 → 13, 二十 → 20, 一万 → 10000, 一百零五 → 105).
pub fn chinese_numeral(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0; // completed 万 groups
    let mut section: u64 = 0; // below 万
    let mut current: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = Some(current.unwrap_or(0) * 10 + d as u64);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if unit == 10_000 {
            section += current.take().unwrap_or(0);
            total += section.max(1) * 10_000;
            section = 0;
        } else {
            section += current.take().unwrap_or(1) * unit;
        }
    }
    Some((total + section + current.unwrap_or(0)) as f64)
}

/// Parses an Arabic or Chinese number.
pub fn parse(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', "");
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return s.parse().ok();
    }
    chinese_numeral(&s)
}

/// Scales an amount written with a money multiplier to 亿元 (`万亿`/`w亿` ×10000, `亿` ×1,
/// `千万` ×0.1, `万` ×0.0001, plain 元 ×1e-8).
pub fn to_yi(value: f64, multiplier: &str) -> f64 {
    let m = multiplier.trim().to_lowercase();
    let factor = match m.as_str() {
        "万亿" | "w亿" | "万亿元" | "w亿元" => 10_000.0,
        "千亿" => 1000.0,
        "百亿" => 100.0,
        "亿" | "亿元" => 1.0,
        "千万" | "千万元" => 0.1,
        "百万" | "百万元" => 0.01,
        "万" | "万元" | "w" => 0.0001,
        "元" | "" => 1e-8,
        _ => 1.0,
    };
    round(value * factor)
}

/// Scales a compute amount to P (PFLOPS): E / EFLOPS ×1000, P ×1, T ×0.001, a count of 亿次
/// operations a second ×10⁻⁷.
pub fn to_p(value: f64, unit: &str) -> f64 {
    let u = unit.trim().to_ascii_uppercase();
    let factor = if u == "亿次" {
        1e-7 // 1亿次 operations a second is 10^8 FLOPS; 1P is 10^15
    } else if u.starts_with('E') {
        1000.0
    } else if u.starts_with('T') {
        0.001
    } else {
        1.0
    };
    round(value * factor)
}

/// Removes binary noise from scaled values (1.86 × 10000 = 18600.000000000004).
pub fn round(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let cases: &[(&str, f64)] = &[
            ("3000", 3000.0),
            ("31.38", 31.38),
            ("十三", 13.0),
            ("四", 4.0),
            ("两", 2.0),
            ("二十", 20.0),
            ("一万", 10000.0),
            ("十", 10.0),
            ("一百零五", 105.0),
            ("三千五百", 3500.0),
            ("10,973", 10973.0),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), Some(*want), "{s}");
        }
        assert_eq!(parse("abc"), None);
        assert_eq!(to_yi(1.86, "w亿"), 18600.0);
        assert_eq!(to_yi(1.2, "万亿"), 12000.0);
        assert_eq!(to_yi(5000.0, "万元"), 0.5);
        assert_eq!(to_yi(31.38, "亿元"), 31.38);
        assert_eq!(to_p(1.2, "EFLOPS"), 1200.0);
        assert_eq!(to_p(5000.0, "PFlops"), 5000.0);
    }
}
