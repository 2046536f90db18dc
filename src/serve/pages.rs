//! The HTML of every page, from the values of [`super::archive`].
//!
//! maud's `html!` escapes every value it interpolates (`(value)`), so a title such as
//! `<script>alert(1)</script>` arrives as text; nothing here builds markup from strings. The
//! pages carry no inline script or style: behaviour and looks come from `/assets/`.

use maud::{html, Markup, DOCTYPE};

use crate::calendar::Day;
use crate::model::{Claim, ClaimKind};
use crate::search::{ArticleHit, ClaimHit, Snippet};

use super::archive::{
    ArticlePage, BoardPage, ClaimResults, ConceptPage, LadderStock, NameCount, NotFound, Params,
    SearchResults, StockCount, StockPage,
};
use super::chart::{self, Point};
use super::url::{path_segment, with_query};

/// The Chinese name of a claim kind.
pub(super) fn kind_label(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::ComputeCapacity => "算力规模",
        ClaimKind::EarningsGrowth => "业绩增速",
        ClaimKind::LimitUpStreak => "连板",
        ClaimKind::LimitUp => "涨停",
        ClaimKind::LimitDown => "跌停",
        ClaimKind::Turnover => "成交额",
        ClaimKind::CapitalFlow => "资金流向",
        ClaimKind::MarketBreadth => "涨跌家数",
        ClaimKind::PriceChange => "涨跌幅",
        ClaimKind::AcceleratorCards => "加速卡",
    }
}

/// Which part of the site a page belongs to (marked in the navigation).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Search,
    Board,
    Claims,
    Other,
}

/// The frame of every page: head, navigation with the search box, and the body.
pub(super) fn layout(title: &str, section: Section, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · fupan 复盘" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "fupan 复盘" }
                    form.quick action="/" method="get" role="search" {
                        input #q type="search" name="q" value=(query) placeholder="在手算力 stock:利通电子 date:2024-03"
                            aria-label="搜索" autocomplete="off";
                        button type="submit" { "搜索" }
                    }
                    nav {
                        a.current[section == Section::Search] href="/" { "搜索" }
                        a.current[section == Section::Board] href="/board" { "每日看板" }
                        a.current[section == Section::Claims] href="/claims" { "数据声明" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A refusal as a page: what went wrong and, for a miss, near names.
pub(super) fn refused(status: u16, message: &str, missing: Option<&NotFound>) -> Markup {
    let heading = match status {
        404 => "未找到",
        400 => "请求有误",
        503 => "超时",
        _ => "出错了",
    };
    let body = html! {
        section.refusal {
            h1 { (heading) " " span.status { (status) } }
            p.error { (message) }
            @if let Some(missing) = missing {
                @if !missing.suggestions.is_empty() {
                    p { "您要找的是不是：" }
                    ul.suggestions {
                        @for s in &missing.suggestions {
                            li { a href=(s.href) { (s.label) } }
                        }
                    }
                }
            }
            p { a href="/" { "返回搜索" } }
        }
    };
    layout(heading, Section::Other, "", body)
}

fn stock_href(code: &str) -> String {
    format!("/stock/{}", path_segment(code))
}

fn concept_href(name: &str) -> String {
    format!("/concept/{}", path_segment(name))
}

fn article_href(id: &str) -> String {
    format!("/article/{}", path_segment(id))
}

/// Link to a claim's sentence in its article.
fn claim_href(id: &str, start: usize) -> String {
    format!("{}#c{start}", article_href(id))
}

fn value_of(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

fn kind_options(selected: &str) -> Markup {
    html! {
        option value="" { "全部类型" }
        @for kind in ClaimKind::ALL {
            option value=(kind.as_str()) selected[kind.as_str() == selected] {
                (kind_label(kind)) " (" (kind.as_str()) ")"
            }
        }
    }
}

fn search_filters(p: &Params) -> Markup {
    let sort = value_of(&p.sort);
    html! {
        form.filters action="/" method="get" {
            input type="search" name="q" value=(value_of(&p.q)) placeholder="查询" aria-label="查询";
            input type="text" name="stock" value=(value_of(&p.stock)) placeholder="股票" aria-label="股票";
            input type="text" name="concept" value=(value_of(&p.concept)) placeholder="概念" aria-label="概念";
            input type="text" name="from" value=(value_of(&p.from)) placeholder="起 YYYY-MM-DD" aria-label="起始日期";
            input type="text" name="to" value=(value_of(&p.to)) placeholder="止 YYYY-MM-DD" aria-label="截止日期";
            select name="kind" aria-label="声明类型" { (kind_options(value_of(&p.kind))) }
            select name="sort" aria-label="排序" {
                option value="score" selected[sort != "date"] { "按相关度" }
                option value="date" selected[sort == "date"] { "按日期" }
            }
            button type="submit" { "筛选" }
        }
    }
}

/// The search page; `error` is a malformed request's message (the page then says so).
pub(super) fn search(p: &Params, found: Option<&SearchResults>, error: Option<&str>) -> Markup {
    let q = value_of(&p.q);
    let title = if q.is_empty() { "搜索" } else { q };
    let body = html! {
        (search_filters(p))
        @if let Some(error) = error {
            p.error { (error) }
        }
        @if let Some(found) = found {
            div.columns {
                section.results {
                    p.count { "共 " (found.total) " 篇" }
                    @for hit in &found.hits { (article_hit(hit)) }
                    (pager(p, "/", found.total, found.offset, found.limit))
                }
                aside.facets {
                    @if !found.stocks.is_empty() {
                        h2 { "股票" }
                        ul.chips {
                            @for s in &found.stocks {
                                li { a.chip.stock href=(narrowed(p, "stock", &s.code)) {
                                    (s.name) " " span.n { (s.count) }
                                } }
                            }
                        }
                    }
                    @if !found.concepts.is_empty() {
                        h2 { "概念" }
                        ul.chips {
                            @for c in &found.concepts {
                                li { a.chip.concept href=(narrowed(p, "concept", &c.name)) {
                                    (c.name) " " span.n { (c.count) }
                                } }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(title, Section::Search, q, body)
}

/// The search with one more filter.
fn narrowed(p: &Params, key: &str, value: &str) -> String {
    let mut p = p.clone();
    match key {
        "stock" => p.stock = Some(value.to_string()),
        _ => p.concept = Some(value.to_string()),
    }
    p.page = None;
    search_link("/", &p)
}

fn search_link(path: &str, p: &Params) -> String {
    let v = |x: &Option<String>| x.clone().unwrap_or_default();
    let pairs = [
        ("q", v(&p.q)),
        ("stock", v(&p.stock)),
        ("concept", v(&p.concept)),
        ("from", v(&p.from)),
        ("to", v(&p.to)),
        ("kind", v(&p.kind)),
        ("sort", v(&p.sort)),
        ("metric", v(&p.metric)),
        ("period", v(&p.period)),
        ("min", v(&p.min)),
        ("max", v(&p.max)),
        ("limit", v(&p.limit)),
        ("page", v(&p.page)),
    ];
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    with_query(path, &pairs)
}

fn pager(p: &Params, path: &str, total: usize, offset: usize, limit: usize) -> Markup {
    let page = p.page_number();
    let at = |n: usize| {
        let mut p = p.clone();
        p.page = Some(n.to_string());
        search_link(path, &p)
    };
    let more = offset + limit < total && offset + 2 * limit <= super::archive::MAX_DEPTH;
    html! {
        nav.pager {
            @if page > 1 { a rel="prev" href=(at(page - 1)) { "‹ 上一页" } }
            span { "第 " (page) " 页" }
            @if more { a rel="next" href=(at(page + 1)) { "下一页 ›" } }
        }
    }
}

fn snippet(s: &Snippet) -> Markup {
    // (text, highlighted) in order; a highlight that does not fit the text shows nothing
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &[start, end] in &s.highlights {
        pieces.push((s.text.get(at..start).unwrap_or(""), false));
        pieces.push((s.text.get(start..end).unwrap_or(""), true));
        at = end;
    }
    pieces.push((s.text.get(at..).unwrap_or(""), false));
    html! {
        p.snippet {
            "…"
            @for (text, highlighted) in &pieces {
                @if *highlighted { mark { (text) } } @else { (text) }
            }
            "…"
        }
    }
}

fn article_hit(hit: &ArticleHit) -> Markup {
    let title = hit.title.as_deref().unwrap_or(&hit.source);
    html! {
        article.hit data-id=(hit.id) {
            h3 { a href=(article_href(&hit.id)) { (title) } }
            p.meta {
                span.date { (hit.date.as_deref().unwrap_or("无日期")) }
                " · " span.source { (hit.source) }
                @if hit.score > 0.0 { " · " span.score { "相关度 " (format!("{:.2}", hit.score)) } }
            }
            @for s in &hit.snippets { (snippet(s)) }
            @if !hit.stocks.is_empty() || !hit.concepts.is_empty() {
                ul.chips {
                    @for s in hit.stocks.iter().take(12) {
                        li { a.chip.stock href=(stock_href(&s.code)) title=(s.code) { (s.name) } }
                    }
                    @for c in hit.concepts.iter().take(8) {
                        li { a.chip.concept href=(concept_href(c)) { (c) } }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Article
// ---------------------------------------------------------------------------------------------

/// What a stretch of the text is marked as.
#[derive(Clone, Copy)]
enum Mark<'a> {
    Stock { code: &'a str, name: &'a str },
    Concept { name: &'a str },
}

/// Figure and unit of a claim as one reads it: `3000P`, `10–20%`.
pub(super) fn figure(c: &Claim) -> String {
    let unit = c.unit.as_deref().unwrap_or("");
    let number = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    };
    match (c.value, c.low, c.high) {
        (Some(v), _, _) => format!("{}{unit}", number(v)),
        (None, Some(lo), Some(hi)) => format!("{}–{}{unit}", number(lo), number(hi)),
        _ => unit.to_string(),
    }
}

/// What hovering a claim shows.
fn claim_tip(c: &Claim) -> String {
    let mut tip = format!("{}：{}", kind_label(c.kind), figure(c));
    let parts = [
        &c.subject.name,
        &c.subject.code,
        &c.qualifier,
        &c.metric,
        &c.period,
    ];
    for part in parts.into_iter().flatten() {
        tip.push(' ');
        tip.push_str(part);
    }
    tip
}

/// The text with stock and concept mentions linked and claims marked. The text is cut at every
/// mark's start and end; each piece is wrapped in the claim it lies in (the first piece of a
/// claim carries its anchor `c{start}`) and the mention it lies in.
fn marked_text(a: &ArticlePage) -> Markup {
    let text = a.text.as_str();
    let mut mentions: Vec<(usize, usize, Mark<'_>)> = Vec::new();
    for s in &a.stocks {
        for m in &s.mentions {
            let mark = Mark::Stock {
                code: &s.code,
                name: &s.name,
            };
            mentions.push((m.start, m.end, mark));
        }
    }
    for c in &a.concepts {
        for m in &c.mentions {
            mentions.push((m.start, m.end, Mark::Concept { name: &c.name }));
        }
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(mentions.iter().flat_map(|(s, e, _)| [*s, *e]));
    cuts.extend(a.claims.iter().flat_map(|c| [c.start, c.end]));
    cuts.retain(|&i| i <= text.len() && text.is_char_boundary(i));
    cuts.sort_unstable();
    cuts.dedup();
    // every mark begins and ends on a cut, so a piece between two cuts lies wholly inside a
    // mark or wholly outside it
    let mut mention_sweep = Sweep::new(mentions.iter().map(|(s, e, _)| (*s, *e)).collect());
    let mut claim_sweep = Sweep::new(a.claims.iter().map(|c| (c.start, c.end)).collect());
    let pieces: Vec<_> = cuts
        .windows(2)
        .map(|w| {
            let (start, end) = (w[0], w[1]);
            let mention = mention_sweep.covering(start, end).map(|i| mentions[i].2);
            let claim = claim_sweep.covering(start, end).map(|i| &a.claims[i]);
            (&text[start..end], mention, claim)
        })
        .collect();
    let mut anchored = std::collections::HashSet::new();
    html! {
        div.text {
            @for (piece, mention, claim) in pieces {
                @let inner = mention_markup(piece, mention);
                @if let Some(c) = claim {
                    @let id = anchored.insert(c.start).then(|| format!("c{}", c.start));
                    mark.claim id=[id] title=(claim_tip(c)) data-kind=(c.kind.as_str()) { (inner) }
                } @else {
                    (inner)
                }
            }
        }
    }
}

/// Byte spans swept from the start of a text to its end: which of them cover each piece, asked
/// in order. Each span enters and leaves the open list once, so a text with many marks is
/// marked in one pass.
struct Sweep {
    spans: Vec<(usize, usize)>,
    /// Indices of `spans` by start.
    by_start: Vec<usize>,
    next: usize,
    open: Vec<usize>,
}

impl Sweep {
    fn new(spans: Vec<(usize, usize)>) -> Sweep {
        let mut by_start: Vec<usize> = (0..spans.len()).collect();
        by_start.sort_by_key(|&i| spans[i].0);
        Sweep {
            spans,
            by_start,
            next: 0,
            open: Vec::new(),
        }
    }

    /// The first span (in the order given) that covers `start..end`; pieces are asked from the
    /// start of the text on.
    fn covering(&mut self, start: usize, end: usize) -> Option<usize> {
        while let Some(&i) = self
            .by_start
            .get(self.next)
            .filter(|&&i| self.spans[i].0 <= start)
        {
            self.open.push(i);
            self.next += 1;
        }
        let spans = &self.spans;
        self.open.retain(|&i| spans[i].1 > start);
        // where marks overlap, the first in the list wins (a stock over a concept)
        self.open
            .iter()
            .copied()
            .filter(|&i| end <= spans[i].1)
            .min()
    }
}

fn mention_markup(piece: &str, mark: Option<Mark<'_>>) -> Markup {
    html! {
        @match mark {
            Some(Mark::Stock { code, name }) => {
                a.m-stock href=(stock_href(code)) data-code=(code) title=(format!("{name} {code}")) { (piece) }
            }
            Some(Mark::Concept { name }) => {
                a.m-concept href=(concept_href(name)) title=(format!("概念：{name}")) { (piece) }
            }
            None => (piece),
        }
    }
}

/// An article with its marks and side panel.
pub(super) fn article(a: &ArticlePage) -> Markup {
    let title = a.title.as_deref().unwrap_or(&a.source);
    let body = html! {
        div.columns {
            section.article {
                h1 { (title) }
                p.meta {
                    span.date { (a.date.as_deref().unwrap_or("无日期")) }
                    " · " span.source { (a.source) }
                    @if let Some(author) = &a.author { " · " span.author { (author) } }
                    " · " span.id { (a.id) }
                }
                p.legend {
                    span.m-stock { "股票" } " " span.m-concept { "概念" } " " mark.claim { "数据声明" }
                }
                (marked_text(a))
            }
            aside.panel {
                h2 { "股票" }
                ul.list {
                    @for s in &a.stocks {
                        li { a href=(stock_href(&s.code)) { (s.name) } " " span.code { (s.code) } " " span.n { "×" (s.count) } }
                    }
                }
                @if !a.concepts.is_empty() {
                    h2 { "概念" }
                    ul.chips {
                        @for c in &a.concepts { li { a.chip.concept href=(concept_href(&c.name)) { (c.name) } } }
                    }
                }
                @if !a.claims.is_empty() {
                    h2 { "数据声明" }
                    ul.claims {
                        @for c in &a.claims {
                            li {
                                a href=(format!("#c{}", c.start)) { span.kind { (kind_label(c.kind)) } " " strong { (figure(c)) } }
                                " "
                                @match (&c.subject.code, &c.subject.name) {
                                    (Some(code), Some(name)) => { a href=(stock_href(code)) { (name) } }
                                    (None, Some(name)) => { span { (name) } }
                                    _ => {}
                                }
                                @if let Some(q) = &c.qualifier { " " span.qualifier { (q) } }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(title, Section::Other, "", body)
}

// ---------------------------------------------------------------------------------------------
// Stock and concept
// ---------------------------------------------------------------------------------------------

fn day_points(counts: &[NameCount], unit: &str) -> Vec<Point> {
    counts
        .iter()
        .filter_map(|c| {
            let day = Day::parse(&c.name)?;
            Some(Point {
                day,
                value: c.count as f64,
                label: format!("{}：{} {unit}", chart::chinese_date(day), c.count),
            })
        })
        .collect()
}

fn stock_chips(stocks: &[StockCount]) -> Markup {
    html! {
        ul.chips {
            @for s in stocks {
                li { a.chip.stock href=(stock_href(&s.code)) { (s.name) " " span.n { (s.count) } } }
            }
        }
    }
}

fn concept_chips(concepts: &[NameCount]) -> Markup {
    html! {
        ul.chips {
            @for c in concepts {
                li { a.chip.concept href=(concept_href(&c.name)) { (c.name) " " span.n { (c.count) } } }
            }
        }
    }
}

fn latest(hits: &[ArticleHit]) -> Markup {
    html! {
        ul.latest {
            @for h in hits {
                li {
                    span.date { (h.date.as_deref().unwrap_or("无日期")) }
                    " "
                    a href=(article_href(&h.id)) { (h.title.as_deref().unwrap_or(&h.source)) }
                }
            }
        }
    }
}

fn claims_table(hits: &[ClaimHit], with_subject: bool) -> Markup {
    html! {
        table.sortable.claims {
            thead {
                tr {
                    th data-type="text" { "日期" }
                    th data-type="text" { "类型" }
                    @if with_subject { th data-type="text" { "主体" } }
                    th data-type="num" { "数值" }
                    th data-type="text" { "限定" }
                    th data-type="text" { "指标" }
                    th data-type="text" { "期间" }
                    th data-type="text" { "原文" }
                }
            }
            tbody {
                @for h in hits {
                    @let c = &h.claim;
                    tr {
                        td { (h.date.as_deref().unwrap_or("")) }
                        td { (kind_label(c.kind)) }
                        @if with_subject {
                            td {
                                @match (&c.subject.code, &c.subject.name) {
                                    (Some(code), Some(name)) => { a href=(stock_href(code)) { (name) } }
                                    (None, Some(name)) => { (name) }
                                    _ => {}
                                }
                            }
                        }
                        td.num data-value=(c.value.or(c.high).unwrap_or(0.0)) { (figure(c)) }
                        td { (c.qualifier.as_deref().unwrap_or("")) }
                        td { (c.metric.as_deref().unwrap_or("")) }
                        td { (c.period.as_deref().unwrap_or("")) }
                        td.evidence { a href=(claim_href(&h.id, c.start)) { (c.text) } }
                    }
                }
            }
        }
    }
}

/// Compute capacity stated over time, oldest first (undated claims cannot be placed).
fn compute_points(hits: &[ClaimHit]) -> Vec<Point> {
    let mut points: Vec<Point> = hits
        .iter()
        .filter(|h| h.claim.kind == ClaimKind::ComputeCapacity)
        .filter_map(|h| {
            let day = Day::parse(h.date.as_deref()?)?;
            let value = h.claim.value.or(h.claim.high)?;
            let label = format!(
                "{}：{} {}",
                chart::chinese_date(day),
                figure(&h.claim),
                h.claim.qualifier.as_deref().unwrap_or("")
            );
            Some(Point { day, value, label })
        })
        .collect();
    points.sort_by_key(|p| p.day);
    points
}

/// A stock over time.
pub(super) fn stock(s: &StockPage) -> Markup {
    let mentions = day_points(&s.mentions_per_day, "篇");
    let compute = compute_points(&s.claims);
    let of = |kind: ClaimKind| -> Vec<ClaimHit> {
        s.claims
            .iter()
            .filter(|h| h.claim.kind == kind)
            .cloned()
            .collect()
    };
    let growth = of(ClaimKind::EarningsGrowth);
    let streaks: Vec<ClaimHit> = s
        .claims
        .iter()
        .filter(|h| matches!(h.claim.kind, ClaimKind::LimitUpStreak | ClaimKind::LimitUp))
        .cloned()
        .collect();
    let body = html! {
        section.stock data-code=(s.code) {
            h1 { (s.name) " " span.code { (s.code) "." (s.exchange) } }
            p.meta {
                (s.full_name)
                @if !s.industry.is_empty() { " · " (s.industry) }
                " · " (s.articles) " 篇文章提及"
            }
            @if !s.former_names.is_empty() { p { "曾用名：" (s.former_names.join("、")) } }
            @if !s.nicknames.is_empty() { p { "别称：" (s.nicknames.join("、")) } }
            h2 { "每日提及" }
            @if mentions.is_empty() { p.empty { "索引中没有提及它的文章。" } }
            @else { (chart::bars(&mentions, &format!("{} 每日提及文章数", s.name), "篇")) }
            @if !compute.is_empty() {
                h2 { "算力规模" }
                (chart::steps(&compute, &format!("{} 算力规模", s.name), "P"))
            }
            @if !growth.is_empty() {
                h2 { "业绩增速" }
                (claims_table(&growth, false))
            }
            @if !streaks.is_empty() {
                h2 { "涨停与连板" }
                (claims_table(&streaks, false))
            }
            h2 { "全部数据声明 " span.n { (s.claims_total) } }
            (claims_table(&s.claims, false))
            div.columns.even {
                div {
                    h2 { "同文提及的股票" }
                    (stock_chips(&s.co_stocks))
                }
                div {
                    h2 { "同文提及的概念" }
                    (concept_chips(&s.co_concepts))
                }
            }
            h2 { "最新文章" }
            (latest(&s.latest))
        }
    };
    layout(&s.name, Section::Other, "", body)
}

/// A concept over time.
pub(super) fn concept(c: &ConceptPage) -> Markup {
    let heat = day_points(&c.articles_per_day, "篇");
    let (from, to) = (
        c.window.0.clone().unwrap_or_default(),
        c.window.1.clone().unwrap_or_default(),
    );
    let body = html! {
        section.concept {
            h1 { (c.name) " " span.n { (c.articles) " 篇" } }
            h2 { "热度（每日文章数）" }
            @if heat.is_empty() { p.empty { "索引中没有提及它的文章。" } }
            @else { (chart::bars(&heat, &format!("{} 每日文章数", c.name), "篇")) }
            form.filters action=(concept_href(&c.name)) method="get" {
                input type="text" name="from" value=(from) placeholder="起 YYYY-MM-DD" aria-label="起始日期";
                input type="text" name="to" value=(to) placeholder="止 YYYY-MM-DD" aria-label="截止日期";
                button type="submit" { "时间窗" }
            }
            h2 { "同文最常提及的股票" }
            (stock_chips(&c.top_stocks))
            h2 { "最新文章" }
            (latest(&c.latest))
        }
    };
    layout(&c.name, Section::Other, "", body)
}

// ---------------------------------------------------------------------------------------------
// Board and claims
// ---------------------------------------------------------------------------------------------

fn streak_label(n: u32) -> String {
    match n {
        1 => "首板".to_string(),
        n => format!("{n}连板"),
    }
}

fn ladder_rows(stocks: &[LadderStock], heading: impl Fn(u32) -> String) -> Markup {
    let mut rungs: Vec<(u32, Vec<&LadderStock>)> = Vec::new();
    for s in stocks {
        match rungs.last_mut() {
            Some((n, list)) if *n == s.streak => list.push(s),
            _ => rungs.push((s.streak, vec![s])),
        }
    }
    html! {
        @for (n, list) in &rungs {
            div.rung data-streak=(n) {
                h3 { (heading(*n)) " " span.n { (list.len()) } }
                ul {
                    @for s in list {
                        li {
                            a.stock href=(stock_href(&s.code)) { (s.name) } " "
                            span.code { (s.code) }
                            @for (i, (id, title)) in s.articles.iter().enumerate() {
                                " " a.source href=(article_href(id)) title=(title) { "[" (i + 1) "]" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The board of a day.
pub(super) fn board(b: &BoardPage) -> Markup {
    let date = b.date.clone().unwrap_or_default();
    let at = |d: &String| with_query("/board", &[("date", d)]);
    let body = html! {
        section.board {
            h1 { "每日看板 " (date) }
            nav.pager {
                @if let Some(d) = &b.previous { a rel="prev" href=(at(d)) { "‹ " (d) } }
                form action="/board" method="get" {
                    input type="text" name="date" value=(date) placeholder="YYYY-MM-DD" aria-label="日期";
                    button type="submit" { "查看" }
                }
                @if let Some(d) = &b.next { a rel="next" href=(at(d)) { (d) " ›" } }
            }
            @if b.date.is_none() { p.empty { "索引中没有带日期的文章。" } }
            p.meta { "当日文章 " (b.articles) " 篇" }
            div.columns {
                div {
                    h2 { "连板天梯" }
                    @if b.ladder.is_empty() { p.empty { "当日文章没有提到涨停。" } }
                    div.ladder { (ladder_rows(&b.ladder, streak_label)) }
                    @if !b.limit_down.is_empty() {
                        h2 { "跌停" }
                        div.ladder.down { (ladder_rows(&b.limit_down, |_| "跌停".to_string())) }
                    }
                }
                aside {
                    h2 { "成交与涨跌" }
                    @if b.market.is_empty() { p.empty { "当日文章没有给出成交额或涨跌家数。" } }
                    ul.market {
                        @for h in &b.market {
                            li {
                                span.kind { (kind_label(h.claim.kind)) } " "
                                @if let Some(name) = &h.claim.subject.name { (name) " " }
                                strong { (figure(&h.claim)) }
                                @if let Some(q) = &h.claim.qualifier { " " span.qualifier { (q) } }
                                " " a.source href=(claim_href(&h.id, h.claim.start)) title=(h.claim.text) { "原文" }
                            }
                        }
                    }
                    h2 { "本周热门概念" }
                    (concept_chips(&b.hot_concepts))
                }
            }
        }
    };
    layout(&format!("看板 {date}"), Section::Board, "", body)
}

/// The claims table with its filters.
pub(super) fn claims(p: &Params, found: Option<&ClaimResults>, error: Option<&str>) -> Markup {
    let csv = search_link(
        "/claims.csv",
        &Params {
            page: None,
            limit: None,
            ..p.clone()
        },
    );
    let body = html! {
        h1 { "数据声明" }
        form.filters action="/claims" method="get" {
            input type="search" name="q" value=(value_of(&p.q)) placeholder="查询" aria-label="查询";
            select name="kind" aria-label="类型" { (kind_options(value_of(&p.kind))) }
            input type="text" name="stock" value=(value_of(&p.stock)) placeholder="股票" aria-label="股票";
            input type="text" name="metric" value=(value_of(&p.metric)) placeholder="指标 营业收入" aria-label="指标";
            input type="text" name="period" value=(value_of(&p.period)) placeholder="期间 2024H1" aria-label="期间";
            input type="text" name="min" value=(value_of(&p.min)) placeholder="最小值" aria-label="最小值";
            input type="text" name="max" value=(value_of(&p.max)) placeholder="最大值" aria-label="最大值";
            input type="text" name="from" value=(value_of(&p.from)) placeholder="起 YYYY-MM-DD" aria-label="起始日期";
            input type="text" name="to" value=(value_of(&p.to)) placeholder="止 YYYY-MM-DD" aria-label="截止日期";
            button type="submit" { "筛选" }
        }
        @if let Some(error) = error { p.error { (error) } }
        @if let Some(found) = found {
            p.count {
                "共 " (found.total) " 条 · "
                a.download href=(csv) download="claims.csv" { "下载 CSV" }
                " (前 " (super::archive::MAX_CSV_ROWS) " 条，fupan export claims 的列)"
            }
            (claims_table(&found.hits, true))
            (pager(p, "/claims", found.total, found.offset, found.limit))
        }
    };
    layout("数据声明", Section::Claims, "", body)
}
