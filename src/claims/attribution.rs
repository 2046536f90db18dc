//! Attribution: the stock a statement is about. The nearest stock before it in its sentence and
//! list item, skipping possessives (克来机电的补涨股); else the list item's stock; else, after
//! 公司/该公司/其/它, the nearest stock in the paragraph, else the article's own company; else a stock after it in the clause. Also
//! the stocks listed right before or after a statement, and the stock a paragraph is about.

use super::structure::{StockAt, Structure};

const ANAPHORA: &[&str] = &["该公司", "公司", "该股", "其", "它"];

/// True when `lead` holds 集团 as Hong Kong and Taiwan news refer back to a company (`按此推算，
/// 集团第二季纯利…`, `本集团`, `该集团`): standing alone, not ending a name (鸿海集团, 中国移动集团).
fn group_anaphor(lead: &str) -> bool {
    let alone = |head: &str| {
        head.chars()
            .next_back()
            .is_none_or(|c| !crate::lexicon::is_han(c))
    };
    lead.match_indices("集团").any(|(i, _)| {
        let head = &lead[..i];
        // 本集团, 该集团 as words of their own (not 资本集团)
        let head = head
            .strip_suffix('本')
            .or_else(|| head.strip_suffix('该'))
            .unwrap_or(head);
        alone(head)
    })
}

impl Structure<'_> {
    /// True when the stock mention is the object of a preposition (与君实生物签订, 向宁德时代供货):
    /// someone else acts on it.
    /// A stock listed after such an object (与三一重工、中联重科合作) is one too.
    fn object(&self, s: &StockAt) -> bool {
        let before = self.text[..s.start].trim_end();
        if ["与", "向", "对", "跟", "给", "替"]
            .iter()
            .any(|p| before.ends_with(p))
        {
            return true;
        }
        let listed = before.strip_suffix(['、', '和', '及']).map(str::trim_end);
        let previous = self
            .stocks
            .partition_point(|p| p.end <= s.start)
            .checked_sub(1)
            .map(|i| &self.stocks[i]);
        match (listed, previous) {
            (Some(rest), Some(p)) if rest.len() == p.end => self.object(p),
            _ => false,
        }
    }

    /// The last stock named in `from..pos` that is not the object of a deal, else the last one.
    fn nearest_actor(&self, from: usize, pos: usize) -> Option<&StockAt> {
        let named = self.stocks_in(from, pos);
        named
            .iter()
            .rev()
            .find(|s| !self.object(s))
            .or(named.last())
    }

    /// True when the stock mention is a possessive modifier (克来机电的补涨股), not a subject.
    fn possessive(&self, s: &StockAt) -> bool {
        self.text[s.end..].starts_with('的')
    }

    /// The stock a statement at `start..end` is about: the nearest stock before it in the same
    /// sentence (and list item), else the item's stock, else — after 公司/该公司/其/它 — the
    /// nearest stock before it in the paragraph, else the stock the article is about
    /// (`topic_stock`), else a stock after it in the same clause.
    pub fn attribute(&self, start: usize, end: usize) -> Option<u32> {
        let item = self.item_at(start);
        let mut scope = self.sentence_start(start);
        if let Some(i) = item {
            scope = scope.max(i.start);
        }
        let before: Vec<&StockAt> = self.stocks_in(scope, start).iter().collect();
        // a stock owning the claim's first word (浪潮信息的营收) is its subject
        if let Some(s) = before.last() {
            if matches!(self.text[s.end..start].trim(), "" | "的") {
                return Some(s.stock);
            }
        }
        if let Some(s) = before.iter().rev().find(|s| !self.possessive(s)) {
            return Some(s.stock);
        }
        if let Some(stock) = item.and_then(|i| i.stock) {
            return Some(stock);
        }
        if let Some(s) = before.last() {
            return Some(s.stock);
        }
        let lead = &self.text[scope..start];
        if ANAPHORA.iter().any(|a| lead.contains(a)) || group_anaphor(lead) {
            let para = item.map_or_else(|| self.paragraph_start(start), |i| i.start);
            // a stock named as the object of a deal (公司未与君实生物签订合同) is not who 公司 is
            if let Some(s) = self.nearest_actor(para, start) {
                return Some(s.stock);
            }
            // 公司 in a paragraph naming no stock is the company the article is about, else the
            // one company the paragraph before it was about
            if let Some(stock) = self
                .topic_stock(start)
                .or_else(|| self.sole_stock_before(para))
            {
                return Some(stock);
            }
        }
        let clause_end = self.clause_end(end);
        self.stocks_in(end, clause_end).first().map(|s| s.stock)
    }

    /// The stock a paragraph (or, failing that, a whole article) is about: the nearest stock
    /// before `pos` in the paragraph that is not the object of a deal, else the only stock of the
    /// text, else the article's main stock.
    pub fn topic_stock(&self, pos: usize) -> Option<u32> {
        let para = self.paragraph_start(pos);
        if let Some(s) = self.nearest_actor(para, pos) {
            return Some(s.stock);
        }
        if let Some(stock) = self.section_stock(para) {
            return Some(stock);
        }
        let first = self.stocks.first()?;
        if self.one_stock {
            // a stock the text names only after the figure (an essay on the economy that ends
            // on 贵州茅台) is not what the text before it is about
            return (first.start < pos || self.stocks.len() > 1).then_some(first.stock);
        }
        self.main_stock()
    }

    /// The stock of the section `para` stands in: the one stock named by the heading above it
    /// (`二、浪潮信息：一季度收入创同期新高` over `2023年公司营收…`), when the paragraphs between
    /// name no stock. A heading is what [`is_heading`](Structure::is_heading) says, not the
    /// article's title (whose stock is [`main_stock`](Self::main_stock)'s to say).
    fn section_stock(&self, para: usize) -> Option<u32> {
        const PARAGRAPHS_BACK: usize = 8;
        let mut para = para;
        for _ in 0..PARAGRAPHS_BACK {
            let (start, end) = self.paragraph_before(para)?;
            if start == 0 {
                return None; // the title
            }
            let named = self.stocks_in(start, end);
            if self.is_heading(start) {
                return sole_stock(named);
            }
            if !named.is_empty() {
                return None;
            }
            para = start;
        }
        None
    }

    /// The span of the nearest paragraph before `para` with any text, without the line breaks
    /// and spaces that end it.
    fn paragraph_before(&self, para: usize) -> Option<(usize, usize)> {
        let end = self.text[..para].trim_end_matches(['\n', '\r', ' ']).len();
        (end > 0).then(|| (self.paragraph_start(end - 1), end))
    }

    /// The one stock the nearest paragraph before `para` with any text names, if it names
    /// exactly one (`中际旭创三季报显示…` before `单季度看，第三季度公司营收…`).
    fn sole_stock_before(&self, para: usize) -> Option<u32> {
        let (start, end) = self.paragraph_before(para)?;
        sole_stock(self.stocks_in(start, end))
    }

    /// The company an article is about, when one stands out: the one stock its headline names,
    /// else the stock named first when it is mentioned at least twice and more often than any
    /// other stock (company news naming customers or peers once).
    fn main_stock(&self) -> Option<u32> {
        *self.main.get_or_init(|| self.find_main_stock())
    }

    /// [`Self::main_stock`] worked out (once per text: it counts every stock mention).
    fn find_main_stock(&self) -> Option<u32> {
        // a headline naming one stock (寒武纪（688256）2025年三季报点评) says whose article it is
        let title_end = self.line_end(0);
        if title_end < self.text.len() && self.text[..title_end].chars().count() <= 80 {
            let named = self.stocks_in(0, title_end);
            // not a broker heading its own view (天风证券：通信行业是机会还是陷阱？)
            let author = |s: &StockAt| s.broker && self.text[s.end..].starts_with(['：', ':']);
            if let Some(f) = named.first().filter(|f| !author(f)) {
                if named.iter().all(|s| s.stock == f.stock) {
                    return Some(f.stock);
                }
            }
        }
        let first = self.stocks.first()?.stock;
        let mut counts: rustc_hash::FxHashMap<u32, usize> = Default::default();
        for s in &self.stocks {
            *counts.entry(s.stock).or_default() += 1;
        }
        let top = counts[&first];
        let rival = counts
            .iter()
            .filter(|&(&stock, _)| stock != first)
            .map(|(_, &n)| n)
            .max()
            .unwrap_or(0);
        (top >= 2 && top > rival).then_some(first)
    }

    /// The stock at `start` together with the stocks listed right before it
    /// (华电辽能，华电能源，豫能控股…跌停): each with its own start.
    pub fn listed_before(&self, stock: u32, start: usize) -> Vec<(u32, usize)> {
        let mut out = vec![(stock, start)];
        let at = self.stocks.partition_point(|s| s.start < start);
        let Some(mut i) = self.stocks[at..]
            .iter()
            .take_while(|s| s.start == start)
            .position(|s| s.stock == stock)
            .map(|k| at + k)
        else {
            return out;
        };
        while i > 0 {
            let (prev, cur) = (&self.stocks[i - 1], &self.stocks[i]);
            let Some(gap) = self.text.get(prev.end..cur.start) else {
                break;
            };
            // two full names may be written with nothing between (中泰化学三友化工等等纷纷涨停)
            let glued = gap.is_empty()
                && [prev, cur]
                    .iter()
                    .all(|s| self.text[s.start..s.end].chars().count() >= 4);
            if (gap.is_empty() && !glued)
                || gap.chars().any(|c| !"，,、和及与 ".contains(c))
                || gap.chars().count() > 2
            {
                break;
            }
            out.push((prev.stock, prev.start));
            i -= 1;
        }
        out
    }

    /// Start of the nearest mention of `stock` before `pos` in its sentence, or `pos` itself.
    pub fn nearest_start(&self, stock: u32, pos: usize) -> usize {
        let sentence = self.sentence_start(pos);
        self.stocks_in(sentence, pos)
            .iter()
            .rev()
            .find(|x| x.stock == stock)
            .map_or(pos, |x| x.start)
    }

    /// The stocks listed right after `pos` in its clause (今日涨停的有中国卫星、航天电子、长城军工).
    pub fn listed_after(&self, pos: usize) -> Vec<(u32, usize)> {
        let clause_end = self.clause_end(pos);
        let sentence_end = self.sentence_end(pos);
        let mut out: Vec<(u32, usize)> = Vec::new();
        let mut last_end = None;
        for st in self.stocks_in(pos, sentence_end) {
            match last_end {
                None if st.start > clause_end => break,
                None => {}
                Some(e) => {
                    let Some(gap) = self.text.get(e..st.start) else {
                        break;
                    };
                    if gap.is_empty() || gap.chars().any(|c| !"，,、和及与 ".contains(c)) {
                        break;
                    }
                }
            }
            out.push((st.stock, st.start));
            last_end = Some(st.end);
        }
        out
    }
}

/// The stock all of `named` are, if they are one stock.
pub(crate) fn sole_stock(named: &[StockAt]) -> Option<u32> {
    let first = named.first()?.stock;
    named.iter().all(|s| s.stock == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::group_anaphor;

    #[test]
    fn group_refers_back_only_as_a_word_of_its_own() {
        for (lead, expected) in [
            ("按此推算，集团第二季纯利", true),
            ("集团表示", true),
            ("本集团", true),
            ("，该集团", true),
            ("母公司鸿海集团", false),
            ("中国移动集团旗下", false),
            ("资本集团", false),
            ("", false),
        ] {
            assert_eq!(group_anaphor(lead), expected, "{lead}");
        }
    }
}
