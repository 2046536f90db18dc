//! Near names for a 404 page: the stocks or concepts a mistyped name most likely meant.
//!
//! A name is scored by the characters it shares with what was typed (in order counts more), a
//! code by the digits it shares from the start; only names sharing at least half of what was
//! typed are offered. The dictionaries hold a few thousand names, so a scan per miss is cheap.

use crate::lexicon::Lexicon;
use crate::normalize::NormText;

use super::archive::Suggestion;
use super::url::path_segment;

/// Names offered at most.
const MAX_SUGGESTIONS: usize = 6;

/// Stocks whose name or code is near `typed`.
pub(super) fn stocks(lexicon: &Lexicon, typed: &str) -> Vec<Suggestion> {
    let typed = NormText::new(typed.trim()).text;
    let digits = !typed.is_empty() && typed.bytes().all(|b| b.is_ascii_digit());
    let scored = lexicon.stocks.iter().filter(|s| s.listed).map(|s| {
        let score = if digits {
            let shared = common_prefix(&s.code, &typed);
            if shared >= 3 {
                shared * 10
            } else {
                0
            }
        } else {
            closeness(&s.name, &typed)
        };
        (score, s.code.as_str(), s.name.as_str())
    });
    best(scored, |code, name| Suggestion {
        label: format!("{name} {code}"),
        href: format!("/stock/{code}"),
    })
}

/// Concepts whose name is near `typed`.
pub(super) fn concepts(lexicon: &Lexicon, typed: &str) -> Vec<Suggestion> {
    let typed = NormText::new(typed.trim()).text;
    let scored = lexicon
        .concepts
        .iter()
        .map(|c| (closeness(&c.name, &typed), c.name.as_str(), c.name.as_str()));
    best(scored, |name, _| Suggestion {
        label: name.to_string(),
        href: format!("/concept/{}", path_segment(name)),
    })
}

fn best<'a>(
    scored: impl Iterator<Item = (usize, &'a str, &'a str)>,
    make: impl Fn(&str, &str) -> Suggestion,
) -> Vec<Suggestion> {
    let mut scored: Vec<_> = scored.filter(|(score, _, _)| *score > 0).collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, key, name)| make(key, name))
        .collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// How near `name` is to `typed`: 0 when they share fewer than half of the typed characters;
/// else shared characters, with those in the same order (a common subsequence) counted twice
/// and a length difference taken off.
fn closeness(name: &str, typed: &str) -> usize {
    let (n, t): (Vec<char>, Vec<char>) = (name.chars().collect(), typed.chars().collect());
    if t.is_empty() {
        return 0;
    }
    let shared = t.iter().filter(|c| n.contains(c)).count();
    if shared * 2 < t.len() {
        return 0;
    }
    let ordered = common_subsequence(&n, &t);
    (shared + ordered) * 10 - n.len().abs_diff(t.len()).min(9)
}

/// Length of the longest common subsequence.
fn common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_score_above_far_ones() {
        let cases = [
            ("利通电子", "利通电了", "中国平安"),
            ("利通电子", "利通", "电信"),
            ("算力租赁", "算力租", "租赁"),
        ];
        for (name, near, far) in cases {
            assert!(
                closeness(name, near) > closeness(name, far),
                "{name}: {near} vs {far}"
            );
        }
        assert_eq!(closeness("利通电子", "平安银行"), 0);
        assert_eq!(common_subsequence(&['a', 'b', 'c'], &['a', 'c']), 2);
    }
}
