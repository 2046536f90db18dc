//! Markup to text: HTML through html5ever's tokenizer, Markdown through pulldown-cmark.
//!
//! Both keep every character of text and drop only what a real parser calls markup. A
//! hand-written stripper that took everything from `<` to the next `>` for a tag turned
//! `市盈率<10倍且ROE>15%` into `市盈率15%`; by the HTML rules a `<` not followed by a letter, `/`
//! or `!` is text, and by CommonMark's an inline tag must be a well-formed tag. HTML is only
//! tokenized, not built into a tree: text extraction needs no tree, and the tokenizer alone is
//! what makes `<`, entities, comments, `<script>` and `<style>` right. Block elements become line
//! breaks, blank lines are collapsed.

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{Event, Options, Parser, Tag as MdTag, TagEnd};

/// Visible text of an HTML page and its `<title>`.
pub struct HtmlText {
    /// Visible text, block elements as line breaks.
    pub text: String,
    /// The `<title>` element, if any.
    pub title: Option<String>,
}

/// Elements whose start and end break the line.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "td",
    "th",
];

/// Elements whose content is not text a reader sees.
const HIDDEN_TAGS: &[&str] = &["script", "style", "noscript", "template", "svg"];

/// The visible text and title of an HTML page: script, style and comments dropped, entities
/// decoded, block elements as line breaks.
pub fn html_to_text(html: &str) -> HtmlText {
    let mut visible = VisibleText::default();
    visible.feed(html);
    HtmlText {
        text: collapse_blank_lines(&visible.text),
        title: visible.title,
    }
}

/// Text gathered from HTML, possibly in several pieces (a Markdown file's HTML blocks).
#[derive(Default)]
struct VisibleText {
    text: String,
    title: Option<String>,
}

impl VisibleText {
    /// Appends the visible text of an HTML document or fragment.
    fn feed(&mut self, html: &str) {
        let sink = TextSink {
            state: RefCell::new(SinkState {
                text: std::mem::take(&mut self.text),
                ..SinkState::default()
            }),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(html.into());
        // the sink never asks to stop for a script, so one call takes all the input
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let state = tokenizer.sink.state.into_inner();
        self.text = state.text;
        if self.title.is_none() {
            self.title = state
                .title
                .map(|t| clean(t.trim()))
                .filter(|t| !t.is_empty());
        }
    }
}

/// What the tokenizer has given so far.
#[derive(Default)]
struct SinkState {
    text: String,
    title: Option<String>,
    /// Inside `<title>`: its text goes to `title`.
    in_title: bool,
    /// Inside a hidden element: its name and how deeply it is nested in itself.
    hidden: Option<(String, usize)>,
}

struct TextSink {
    state: RefCell<SinkState>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(chars) => s.characters(&chars),
            Token::TagToken(tag) => return s.tag(&tag),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl SinkState {
    fn characters(&mut self, chars: &str) {
        if self.hidden.is_some() {
            return;
        }
        if self.in_title {
            self.title.get_or_insert_with(String::new).push_str(chars);
        } else {
            self.text.push_str(chars);
        }
    }

    /// Follows a tag; the tokenizer reads the content of `<title>`, `<script>` and `<style>`
    /// as raw text when told to, as the HTML tree builder would tell it.
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if let Some((hidden, depth)) = &mut self.hidden {
            if name == hidden.as_str() && !tag.self_closing {
                if start {
                    *depth += 1;
                } else if *depth == 0 {
                    self.hidden = None;
                } else {
                    *depth -= 1;
                }
            }
            return TokenSinkResult::Continue;
        }
        if name == "title" {
            self.in_title = start;
            return match start {
                true => TokenSinkResult::RawData(RawKind::Rcdata),
                false => TokenSinkResult::Continue,
            };
        }
        if start && !tag.self_closing && HIDDEN_TAGS.contains(&name) {
            self.hidden = Some((name.to_string(), 0));
            return match name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                _ => TokenSinkResult::Continue,
            };
        }
        if BLOCK_TAGS.contains(&name) && !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        TokenSinkResult::Continue
    }
}

/// No-break spaces as spaces (the tokenizer has decoded `&nbsp;` to one).
fn clean(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

/// Each line trimmed, runs of blank lines as one, no-break spaces as spaces.
fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        if line.contains('\u{a0}') {
            out.push_str(&clean(line));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.trim().to_string()
}

/// The text of a Markdown document: markup dropped, the text of headings, paragraphs, list
/// items, table cells, code, link and image texts kept, each block on its own lines. HTML in it
/// is read as HTML; a `<` that does not start a tag of a known HTML element stays text.
pub fn markdown_to_text(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = VisibleText::default();
    let mut html_block = String::new();
    for event in Parser::new_ext(markdown, options) {
        let text = &mut out.text;
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::Html(raw) => html_block.push_str(&raw),
            Event::InlineHtml(raw) => inline_html(text, &raw),
            Event::Rule => text.push_str("\n\n"),
            Event::Start(MdTag::Item | MdTag::TableRow) | Event::End(TagEnd::TableHead) => {
                new_line(text)
            }
            Event::Start(MdTag::TableCell) if !text.ends_with('\n') => text.push('\t'),
            Event::End(TagEnd::HtmlBlock) => {
                out.feed(&std::mem::take(&mut html_block));
                out.text.push_str("\n\n");
            }
            Event::End(end) if ends_block(end) => text.push_str("\n\n"),
            _ => {}
        }
    }
    if !html_block.is_empty() {
        out.feed(&html_block);
    }
    collapse_blank_lines(&out.text)
}

/// A tag within a paragraph: a line break for `<br>` and block elements, nothing for other
/// elements, and as text when it is no HTML element.
fn inline_html(text: &mut String, raw: &str) {
    if !is_element_tag(raw) {
        text.push_str(raw);
    } else if BLOCK_TAGS.contains(&tag_name(raw).as_str()) {
        new_line(text);
    }
}

fn new_line(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

fn ends_block(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::FootnoteDefinition
    )
}

/// True when an inline HTML piece is a tag (or comment) of a known HTML element: `<b>`, `</span>`,
/// `<br/>`, `<!-- … -->`. CommonMark takes any well-formed tag as HTML, so `<ROE>` in
/// `市盈率<ROE>15%` would vanish; an element no browser knows is kept as the text it is.
fn is_element_tag(raw: &str) -> bool {
    if raw.starts_with("<!--") || raw.starts_with("<?") || raw.starts_with("<![CDATA[") {
        return true;
    }
    HTML_ELEMENTS.binary_search(&tag_name(raw).as_str()).is_ok()
}

/// The element name of a tag, lowercased: `div` of `</DIV>`.
fn tag_name(raw: &str) -> String {
    raw.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The elements of HTML (WHATWG) and a few old ones still written, sorted.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_names_are_sorted() {
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn html_keeps_text_that_looks_like_a_tag() {
        let h = html_to_text("<p>市盈率<10倍且ROE>15%，a < b && c > d</p><p>x<2y</p>");
        assert_eq!(h.text, "市盈率<10倍且ROE>15%，a < b && c > d\nx<2y");
    }

    #[test]
    fn html_visible_text_only() {
        let h = html_to_text(
            "<html><head><title>复盘 &amp; 展望</title><script>var x='<p>';</script></head>\
             <body><p>利通电子&nbsp;涨停<div>北向资金<b>净卖出</b></div><p>unclosed",
        );
        assert_eq!(h.title.as_deref(), Some("复盘 & 展望"));
        assert!(!h.text.contains("var x"));
        assert!(
            h.text.contains("利通电子 涨停\n北向资金净卖出"),
            "{:?}",
            h.text
        );
        assert!(h.text.ends_with("unclosed"));
    }

    #[test]
    fn html_comments_styles_and_nested_svg_are_dropped() {
        let h = html_to_text(
            "<style>p{color:red}</style><!-- 注释 <p>不显示</p> -->正文<svg><g><svg>图</svg>\
             </g></svg>后文<noscript>请开启</noscript>",
        );
        assert_eq!(h.text, "正文后文");
    }

    #[test]
    fn markdown_keeps_text_and_drops_markup() {
        for (md, want) in [
            ("市盈率<10倍且ROE>15%", "市盈率<10倍且ROE>15%"),
            ("市盈率<ROE>15%", "市盈率<ROE>15%"),
            ("**利通电子** [详情](http://x) `代码`", "利通电子 详情 代码"),
            ("a<b>粗</b>c<br>d", "a粗c\nd"),
            (
                "# 周五复盘\n\n- 二板：润泽科技\n- [x] 已复盘",
                "周五复盘\n\n二板：润泽科技\n已复盘",
            ),
            (
                "| 股票 | 涨幅 |\n|---|---|\n| 利通电子 | 10% |",
                "股票\t涨幅\n利通电子\t10%",
            ),
            ("<div>\n<p>块&amp;</p>\n</div>\n\n后文", "块&\n\n后文"),
            ("3 * 4 * 5 = 60，A_B_C", "3 * 4 * 5 = 60，A_B_C"),
        ] {
            assert_eq!(markdown_to_text(md), want, "{md}");
        }
    }
}
