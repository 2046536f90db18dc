//! Normalisation for matching: full-width ASCII to half-width and traditional to simplified script,
//! with a map from every normalised byte offset back to the original text.
//!
//! Takes the article text and gives a [`NormText`]. Recognition and claims work on the normalised
//! text (so 恆潤股份 matches 恒润股份 and ３０００Ｐ parses as 3000P) but report spans in the original.

/// Text prepared for matching, with the way back to the original offsets.
#[derive(Debug, Clone)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// The original byte offset of every normalised byte offset; `None` when normalisation
    /// changed nothing.
    orig: Option<OrigMap>,
    /// The text was written in traditional script (and has been simplified).
    pub traditional: bool,
}

/// The way from normalised byte offsets (`0..=text.len()`) back to the original ones.
#[derive(Debug, Clone)]
enum OrigMap {
    /// One original offset per normalised byte, and one for the end: for traditional script and
    /// pinyin glosses, which move offsets irregularly (and are rare).
    Every(Vec<u32>),
    /// Where the distance between the two texts grows, in order: from normalised offset `at`
    /// on, original = normalised + `shift`. Full-width forms are three bytes made one, so the
    /// distance only ever grows at the byte after each; an article has a few dozen of them (its
    /// commas) where a map of every byte took four bytes per byte of text, written in full.
    Shifts(Vec<Shift>),
}

/// A step of [`OrigMap::Shifts`].
#[derive(Debug, Clone, Copy)]
struct Shift {
    at: u32,
    shift: u32,
}

impl NormText {
    /// Normalises `text`, converting traditional script only when the text looks traditional.
    pub fn new(text: &str) -> NormText {
        let norm = NormText::script(text);
        match ruby_spans(&norm.text) {
            spans if spans.is_empty() => norm,
            spans => norm.without(&spans),
        }
    }

    /// `text` with full-width forms made half-width, and simplified when it looks traditional.
    fn script(text: &str) -> NormText {
        if !looks_traditional(text) {
            return NormText::halfwidth(text);
        }
        let converted: Vec<char> = zhconv::zhconv(text, zhconv::Variant::ZhHans)
            .chars()
            .collect();
        // Only a char-for-char conversion keeps offsets exact; otherwise convert per character.
        let simplified: Vec<char> = if converted.len() == text.chars().count() {
            converted
        } else {
            text.chars().map(simplify_char).collect()
        };
        let mut out = String::with_capacity(text.len());
        let mut orig = Vec::with_capacity(text.len() + 1);
        for ((pos, _), &c) in text.char_indices().zip(&simplified) {
            let c = to_halfwidth(c);
            for _ in 0..c.len_utf8() {
                orig.push(pos as u32);
            }
            out.push(c);
        }
        orig.push(text.len() as u32);
        NormText {
            text: out,
            orig: Some(OrigMap::Every(orig)),
            traditional: true,
        }
    }

    /// `text` with only full-width forms made half-width. Most articles have some (their commas
    /// are ，), and the rest of the text is copied a run at a time, bytes and offsets alike: the
    /// full-width forms are found by their lead bytes, which in UTF-8 never occur inside another
    /// character.
    fn halfwidth(text: &str) -> NormText {
        let bytes = text.as_bytes();
        let mut found = memchr::memchr2_iter(0xEF, 0xE3, bytes)
            .filter_map(|i| fullwidth_at(bytes, i).map(|c| (i, c)))
            .peekable();
        if found.peek().is_none() {
            return NormText {
                text: text.to_string(),
                orig: None,
                traditional: false,
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut shifts = Vec::new();
        let mut copied = 0;
        for (i, c) in found {
            out.push_str(&text[copied..i]);
            // the form's one byte maps to the form's first byte; what follows it is two bytes
            // further from the original than what came before
            out.push(c);
            copied = i + 3;
            shifts.push(Shift {
                at: out.len() as u32,
                shift: (copied - out.len()) as u32,
            });
        }
        out.push_str(&text[copied..]);
        NormText {
            text: out,
            orig: Some(OrigMap::Shifts(shifts)),
            traditional: false,
        }
    }

    /// This text without the byte ranges `cut` (sorted, apart), offsets still mapping back.
    fn without(self, cut: &[(usize, usize)]) -> NormText {
        let mut text = String::with_capacity(self.text.len());
        let mut orig = Vec::with_capacity(self.text.len() + 1);
        let mut kept = 0;
        for &(start, end) in cut.iter().chain([&(self.text.len(), self.text.len())]) {
            text.push_str(&self.text[kept..start]);
            orig.extend((kept..start).map(|i| self.to_orig(i) as u32));
            kept = end;
        }
        orig.push(self.to_orig(self.text.len()) as u32);
        NormText {
            text,
            orig: Some(OrigMap::Every(orig)),
            traditional: self.traditional,
        }
    }

    /// The original byte offset of a normalised byte offset (a char boundary or the end; an
    /// offset past the end maps as the end).
    pub fn to_orig(&self, offset: usize) -> usize {
        match &self.orig {
            None => offset,
            Some(OrigMap::Every(map)) => map[offset.min(map.len() - 1)] as usize,
            Some(OrigMap::Shifts(shifts)) => {
                let offset = offset.min(self.text.len());
                let i = shifts.partition_point(|s| s.at as usize <= offset);
                offset + i.checked_sub(1).map_or(0, |i| shifts[i].shift as usize)
            }
        }
    }

    /// The original span of a normalised span: start maps directly; end is the end of the char
    /// that ends the span.
    pub fn span_to_orig(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        if self.orig.is_none() {
            return (start, end);
        }
        span_through(|o| self.to_orig(o), start, end, original)
    }

    /// A reader of [`NormText::span_to_orig`] for spans that come in about the order of the
    /// text (a text's tokens): it walks the shifts from the last span instead of searching them.
    pub fn cursor<'a>(&'a self, original: &'a str) -> OrigCursor<'a> {
        OrigCursor {
            norm: self,
            original,
            next: 0,
        }
    }
}

/// The original span of `start..end` with `to_orig` mapping offsets.
fn span_through(
    mut to_orig: impl FnMut(usize) -> usize,
    start: usize,
    end: usize,
    original: &str,
) -> (usize, usize) {
    let s = original.floor_char_boundary(to_orig(start));
    if end <= start {
        return (s, s);
    }
    // the byte before `end` maps into the original's last character (to its first byte when
    // that character was replaced, to the same byte of it when copied)
    let last = original.floor_char_boundary(to_orig(end - 1));
    let len = original[last..].chars().next().map_or(0, char::len_utf8);
    (s, last + len)
}

/// Maps spans of a [`NormText`] back to its original, remembering where in the shifts the last
/// one was ([`NormText::cursor`]).
pub struct OrigCursor<'a> {
    norm: &'a NormText,
    original: &'a str,
    /// The number of shifts at or before the last offset mapped.
    next: usize,
}

impl OrigCursor<'_> {
    /// As [`NormText::span_to_orig`].
    pub fn span_to_orig(&mut self, start: usize, end: usize) -> (usize, usize) {
        let Some(OrigMap::Shifts(shifts)) = &self.norm.orig else {
            return self.norm.span_to_orig(start, end, self.original);
        };
        let len = self.norm.text.len();
        let next = &mut self.next;
        let to_orig = |offset: usize| {
            let offset = offset.min(len);
            while *next < shifts.len() && shifts[*next].at as usize <= offset {
                *next += 1;
            }
            while *next > 0 && shifts[*next - 1].at as usize > offset {
                *next -= 1;
            }
            offset + next.checked_sub(1).map_or(0, |i| shifts[i].shift as usize)
        };
        span_through(to_orig, start, end, self.original)
    }
}

/// The half-width form of the full-width character whose UTF-8 starts at `bytes[i]`, if it is
/// one (U+FF01–U+FF5E are EF BC 81–EF BD 9E; the ideographic space U+3000 is E3 80 80).
fn fullwidth_at(bytes: &[u8], i: usize) -> Option<char> {
    let code = match bytes.get(i..i + 3)? {
        &[0xEF, 0xBC, b @ 0x81..=0xBF] => 0xFF00 + (b as u32 - 0x80),
        &[0xEF, 0xBD, b @ 0x80..=0x9E] => 0xFF40 + (b as u32 - 0x80),
        [0xE3, 0x80, 0x80] => 0x3000,
        _ => return None,
    };
    char::from_u32(code).map(to_halfwidth)
}

/// Pinyin glosses after Chinese characters, as some sites print them (`同(tóng)比`, `浪潮信(xìn)息`):
/// the byte ranges of each `(…)` that follows a Han character and holds a single syllable of
/// lower-case pinyin with a tone mark. They split words and names, so matching skips them.
fn ruby_spans(text: &str) -> Vec<(usize, usize)> {
    const MAX_SYLLABLE: usize = 6;
    let mut spans = Vec::new();
    for open in memchr::memchr_iter(b'(', text.as_bytes()) {
        let after_han = text[..open]
            .chars()
            .next_back()
            .is_some_and(crate::lexicon::is_han);
        if !after_han {
            continue;
        }
        let inner = &text[open + 1..];
        let Some(close) = inner.find(')') else {
            continue;
        };
        let syllable = &inner[..close];
        let letters = syllable.chars().count();
        if (1..=MAX_SYLLABLE).contains(&letters)
            && syllable
                .chars()
                .all(|c| c.is_ascii_lowercase() || tone_mark(c))
            && syllable.chars().any(tone_mark)
        {
            spans.push((open, open + 1 + close + 1));
        }
    }
    spans
}

/// A vowel of pinyin with its tone mark (ā á ǎ à …, ü with tones).
fn tone_mark(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)
}

/// Full-width ASCII (０-９, Ａ-Ｚ, ％ …) and the ideographic space to their ASCII forms.
pub fn to_halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn simplify_char(c: char) -> char {
    let mut buf = [0u8; 4];
    let s = zhconv::zhconv(c.encode_utf8(&mut buf), zhconv::Variant::ZhHans);
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// [`common_traditional`] as a bitmap over the CJK block, tested for every character of an
/// article's head (a `match` over the list cost a few percent of the whole run).
static COMMON_TRADITIONAL: std::sync::LazyLock<CjkSet> =
    std::sync::LazyLock::new(|| CjkSet::new(common_traditional));

/// A set of characters of the CJK Unified Ideographs block (U+4E00–U+9FFF).
struct CjkSet([u64; CjkSet::WORDS]);

impl CjkSet {
    const FIRST: u32 = 0x4E00;
    const LEN: u32 = 0x9FFF - 0x4E00 + 1;
    const WORDS: usize = (Self::LEN as usize).div_ceil(64);

    fn new(member: impl Fn(char) -> bool) -> CjkSet {
        let mut bits = [0u64; Self::WORDS];
        for i in 0..Self::LEN {
            if char::from_u32(Self::FIRST + i).is_some_and(&member) {
                bits[i as usize / 64] |= 1 << (i % 64);
            }
        }
        CjkSet(bits)
    }

    fn contains(&self, c: char) -> bool {
        let i = (c as u32).wrapping_sub(Self::FIRST);
        i < Self::LEN && self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }
}

/// Frequent characters that exist only in traditional script.
fn common_traditional(c: char) -> bool {
    matches!(
        c,
        '這' | '們'
            | '國'
            | '說'
            | '會'
            | '來'
            | '時'
            | '為'
            | '個'
            | '與'
            | '後'
            | '對'
            | '發'
            | '經'
            | '過'
            | '實'
            | '點'
            | '現'
            | '關'
            | '業'
            | '還'
            | '進'
            | '長'
            | '開'
            | '動'
            | '機'
            | '價'
            | '幣'
            | '萬'
            | '億'
            | '漲'
            | '務'
            | '電'
            | '場'
            | '應'
            | '資'
            | '產'
            | '區'
            | '體'
            | '當'
            | '頭'
            | '際'
            | '參'
            | '數'
            | '據'
            | '隻'
            | '結'
            | '恆'
            | '潤'
            | '營'
            | '報'
            | '淨'
            | '額'
            | '減'
            | '純'
            | '歸'
            | '屬'
            | '東'
            | '將'
            | '從'
            | '雲'
            | '規'
    )
}

/// How many CJK characters of an article's head are looked at for a common traditional form.
const HEAD_HAN: usize = 400;

/// True when the text has clearly more traditional-only characters than simplified-only ones.
pub fn looks_traditional(text: &str) -> bool {
    // Sample the head of long texts: the decision is per article and the head is representative.
    let sample = &text[..text.floor_char_boundary(4096)];
    // Cheap test first: simplified text rarely holds any of these common traditional forms, and
    // traditional text never goes a few hundred CJK characters without one (這們國說會來時為個…).
    let mut han = 0;
    let any_traditional = sample
        .chars()
        .take_while(|&c| {
            han += usize::from(c >= '\u{4E00}');
            han <= HEAD_HAN
        })
        .any(|c| COMMON_TRADITIONAL.contains(c));
    if !any_traditional {
        return false;
    }
    let confidence = zhconv::is_hans_confidence(sample);
    !confidence.is_nan() && confidence < 0.3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traditional_bitmap_agrees_with_the_list() {
        for c in ('\u{4000}'..='\u{A000}').chain(['A', '。', '恆', '潤', '恒']) {
            assert_eq!(COMMON_TRADITIONAL.contains(c), common_traditional(c), "{c}");
        }
        assert!(COMMON_TRADITIONAL.contains('這') && !COMMON_TRADITIONAL.contains('这'));
    }

    #[test]
    fn full_width_forms_map_back_to_their_original_offsets() {
        // every full-width form, its neighbours that are not (U+FF00, U+FF5F, U+FF60), the
        // ideographic space and CJK punctuation sharing its lead byte, among other text
        let mut text: String = ('\u{FF00}'..='\u{FF60}').collect();
        text.push_str("利通电子\u{3000}在手３０００Ｐ、。「算力」ok\u{3001}末");
        let n = NormText::new(&text);
        let want: String = text.chars().map(to_halfwidth).collect();
        assert_eq!(n.text, want);
        let mut orig = text.char_indices();
        for (at, c) in n.text.char_indices() {
            let (from, o) = orig.next().unwrap();
            assert_eq!(n.to_orig(at), from, "{c:?} from {o:?}");
            assert_eq!(
                n.span_to_orig(at, at + c.len_utf8(), &text),
                (from, from + o.len_utf8())
            );
        }
        assert_eq!(n.to_orig(n.text.len()), text.len());
    }

    /// The map of full-width forms (a few shifts) gives, at every offset, what a map of every
    /// byte gives (the map the normaliser kept before).
    #[test]
    fn the_shifts_agree_with_a_map_of_every_byte() {
        // the seed article with full-width commas and colons, as most articles write them
        let seed = include_str!("../corpus/recap-2024-03.txt")
            .replace(',', "，")
            .replace(':', "：");
        let mixed = "３０００Ｐ，在手\u{3000}算力（ＡＩ）。ok，".repeat(40);
        for text in [seed.as_str(), mixed.as_str(), "，", "末，", "ＡＢ"] {
            let n = NormText::new(text);
            assert!(matches!(n.orig, Some(OrigMap::Shifts(_))), "{text:?}");
            let mut every = Vec::new();
            let mut want = String::new();
            for (pos, c) in text.char_indices() {
                let half = to_halfwidth(c);
                if half == c {
                    every.extend(pos..pos + c.len_utf8()); // copied: byte for byte
                } else {
                    every.push(pos); // made one byte: to the form's first byte
                }
                want.push(half);
            }
            every.push(text.len());
            assert_eq!(n.text, want);
            for offset in 0..n.text.len() + 3 {
                let expected = every[offset.min(every.len() - 1)];
                assert_eq!(n.to_orig(offset), expected, "offset {offset} of {text:?}");
            }
        }
    }

    #[test]
    fn a_cursor_maps_spans_as_one_at_a_time_does_in_any_order() {
        let mixed = "３０００Ｐ，在手\u{3000}算力（ＡＩ）。ok，".repeat(20);
        for text in [
            mixed.as_str(),
            "恆潤股份公佈算力規劃，業績大幅增長。",
            "plain",
            "",
        ] {
            let n = NormText::new(text);
            let bounds: Vec<usize> = n
                .text
                .char_indices()
                .map(|(i, _)| i)
                .chain([n.text.len()])
                .collect();
            let mut spans: Vec<(usize, usize)> = bounds
                .iter()
                .flat_map(|&a| {
                    bounds
                        .iter()
                        .filter(move |&&b| b >= a)
                        .map(move |&b| (a, b))
                })
                .take(4000)
                .collect();
            // forward, then backward, then jumping about
            let mut cursor = n.cursor(text);
            for &(a, b) in &spans {
                assert_eq!(cursor.span_to_orig(a, b), n.span_to_orig(a, b, text));
            }
            spans.reverse();
            for &(a, b) in spans.iter().step_by(7) {
                assert_eq!(cursor.span_to_orig(a, b), n.span_to_orig(a, b, text));
            }
        }
    }

    #[test]
    fn plain_text_is_untouched() {
        let n = NormText::new("利通电子在手3000P");
        assert_eq!(n.text, "利通电子在手3000P");
        assert_eq!(n.to_orig(5), 5);
    }

    #[test]
    fn fullwidth_digits_map_back() {
        let src = "在手３０００Ｐ";
        let n = NormText::new(src);
        assert_eq!(n.text, "在手3000P");
        let start = n.text.find('3').unwrap();
        let (s, e) = n.span_to_orig(start, n.text.len(), src);
        assert_eq!(&src[s..e], "３０００Ｐ");
    }

    #[test]
    fn traditional_is_simplified_with_offsets() {
        let src = "恆潤股份公佈算力規劃，業績大幅增長。";
        let n = NormText::new(src);
        assert!(n.text.starts_with("恒润股份"), "{}", n.text);
        let (s, e) = n.span_to_orig(0, "恒润股份".len(), src);
        assert_eq!(&src[s..e], "恆潤股份");
    }

    #[test]
    fn pinyin_glosses_are_skipped_with_offsets_kept() {
        let src = "浪潮信(xìn)息(xī)营收同（tóng）比下降45%，AI(ai)与(AI)不动";
        let n = NormText::new(src);
        assert_eq!(n.text, "浪潮信息营收同比下降45%,AI(ai)与(AI)不动");
        let at = n.text.find("同比").unwrap();
        let (s, e) = n.span_to_orig(at, at + "同比".len(), src);
        assert_eq!(&src[s..e], "同（tóng）比");
        let (s, e) = n.span_to_orig(0, "浪潮信息".len(), src);
        assert_eq!(&src[s..e], "浪潮信(xìn)息");
        assert_eq!(n.to_orig(n.text.len()), src.len());
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        let once = NormText::new("恆潤股份３０００Ｐ").text;
        assert_eq!(NormText::new(&once).text, once);
    }
}
