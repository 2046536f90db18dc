//! Snippets: the stretches of a hit's stored text around its matches, with highlights.

use super::searcher::Snippet;

/// Target length of a snippet, in bytes (about 80 Chinese characters).
const SNIPPET_BYTES: usize = 240;
/// Context kept before a snippet's first match, in bytes.
const CONTEXT_BYTES: usize = 45;
/// Snippets per hit, at most.
pub(super) const MAX_SNIPPETS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Bit `i` set when the span covers query term `i`.
    pub terms: u64,
}

/// Up to `max` snippets of `text` around `matches` (sorted by start), in text order. The best
/// window has the most distinct terms, then the most terms side by side (an exact phrase), then
/// the most matches. Without matches, the start of the text.
pub fn snippets(text: &str, matches: &[Match], max: usize) -> Vec<Snippet> {
    let merged = merge_adjacent(matches);
    if merged.is_empty() {
        let end = text.floor_char_boundary(SNIPPET_BYTES);
        return vec![snippet(text, 0, end, &[])];
    }
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    while out.len() < max {
        let Some((first, last)) = best_window(&merged, &taken) else {
            break;
        };
        let (start, end) = bounds(text, &merged[first], &merged[last], &taken);
        taken.push((start, end));
        out.push(snippet(text, start, end, &merged));
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Matches that touch or overlap joined into one, so `在手` + `算力` shows as `【在手算力】`.
fn merge_adjacent(matches: &[Match]) -> Vec<Match> {
    let mut out: Vec<Match> = Vec::with_capacity(matches.len());
    for m in matches {
        match out.last_mut() {
            Some(last) if m.start <= last.end => {
                last.end = last.end.max(m.end);
                last.terms |= m.terms;
            }
            _ => out.push(*m),
        }
    }
    out
}

/// The run of matches `[first, last]` that makes the best snippet, outside snippets taken.
fn best_window(matches: &[Match], taken: &[(usize, usize)]) -> Option<(usize, usize)> {
    let free = |m: &Match| !taken.iter().any(|&(s, e)| m.start < e && m.end > s);
    let mut best: Option<(u32, usize, usize)> = None;
    for (i, first) in matches.iter().enumerate().filter(|(_, m)| free(m)) {
        let limit = first.start + SNIPPET_BYTES - CONTEXT_BYTES;
        let (mut last, mut terms, mut widest) = (i, first.terms, first.terms.count_ones());
        for (j, m) in matches.iter().enumerate().skip(i + 1) {
            if m.end > limit || !free(m) {
                break;
            }
            (last, terms, widest) = (j, terms | m.terms, widest.max(m.terms.count_ones()));
        }
        let score = terms.count_ones() * 1000 + widest * 100 + (last - i + 1) as u32;
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, i, last));
        }
    }
    best.map(|(_, first, last)| (first, last))
}

/// Byte bounds of a snippet around matches `first..=last`: some context before, filled up to
/// the target length after, kept within the line and clear of other snippets.
fn bounds(text: &str, first: &Match, last: &Match, taken: &[(usize, usize)]) -> (usize, usize) {
    let mut start = text.floor_char_boundary(first.start.saturating_sub(CONTEXT_BYTES));
    if let Some(nl) = text[start..first.start].rfind('\n') {
        start += nl + 1;
    }
    let mut end = text
        .floor_char_boundary(start + SNIPPET_BYTES)
        .max(last.end);
    if let Some(nl) = text[last.end..end].find('\n') {
        end = last.end + nl;
    }
    for &(s, e) in taken {
        if e <= first.start && start < e {
            start = e;
        }
        if s >= last.end && end > s {
            end = s;
        }
    }
    let lead = text[start..first.start].len() - text[start..first.start].trim_start().len();
    let trail = text[last.end..end].len() - text[last.end..end].trim_end().len();
    (start + lead, end - trail)
}

fn snippet(text: &str, start: usize, end: usize, matches: &[Match]) -> Snippet {
    let shown: String = text[start..end]
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let highlights: Vec<[usize; 2]> = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| [m.start - start, m.end - start])
        .collect();
    let chars = |bytes: usize| shown[..bytes].chars().count();
    Snippet {
        char_highlights: highlights
            .iter()
            .map(|&[s, e]| [chars(s), chars(e)])
            .collect(),
        char_start: text[..start].chars().count(),
        text: shown,
        highlights,
        start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, term: u32) -> Match {
        Match {
            start,
            end,
            terms: 1 << term,
        }
    }

    #[test]
    fn adjacent_matches_merge_into_one_highlight() {
        let text = "要看实际在手算力。";
        let s = "要看实际".len();
        let matches = [m(s, s + 6, 0), m(s + 6, s + 12, 1)];
        let got = snippets(text, &matches, 2);
        assert_eq!(got.len(), 1);
        let [a, b] = got[0].highlights[0];
        assert_eq!(&got[0].text[a..b], "在手算力");
    }

    #[test]
    fn the_window_with_the_phrase_wins() {
        let filler = "。".repeat(200);
        let text = format!("在手{filler}算力{filler}实际在手算力{filler}");
        let at = |needle: &str, from: usize| from + text[from..].find(needle).unwrap();
        let far = at("算力", 0);
        let near = at("在手算力", far + "算力".len());
        let matches = [
            m(0, 6, 0),
            m(far, far + 6, 1),
            m(near, near + 6, 0),
            m(near + 6, near + 12, 1),
        ];
        let got = snippets(&text, &matches, 1);
        assert_eq!(got.len(), 1);
        let [a, b] = got[0].highlights[0];
        assert_eq!(&got[0].text[a..b], "在手算力");
    }

    #[test]
    fn snippets_keep_offsets_and_boundaries() {
        let text = "第一行\n利通电子——平台回复在手3000P，在芯片进口受限后\n第三行";
        let s = text.find("在手").unwrap();
        let got = snippets(text, &[m(s, s + 6, 0)], 2);
        let snip = &got[0];
        assert_eq!(
            &text[snip.start..snip.start + snip.text.len()],
            snip.text.as_str()
        );
        assert!(snip.text.starts_with("利通电子"), "{:?}", snip.text);
        assert!(
            !snip.text.contains('第'),
            "kept within the line: {:?}",
            snip.text
        );
    }

    #[test]
    fn no_matches_gives_the_lead() {
        let got = snippets("短文。", &[], 2);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "短文。");
        assert!(got[0].highlights.is_empty());
    }
}
