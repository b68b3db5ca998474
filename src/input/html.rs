//! Web pages (.html, .htm, .shtml), parsed with html5ever (through `scraper`), the parser
//! browsers' specification describes, so that unclosed tags and other real-world markup
//! end up where a browser puts them.
//!
//! A published report sits inside site furniture: navigation, breadcrumbs ("当前位置"),
//! the date-and-source line, share and print widgets, related links, the footer. Like a
//! crawler, the reader keeps only the content container: starting from `<body>`, it goes
//! down into the child that holds most (70 %) of the text outside links and furniture, and
//! stops where the text is spread over several children (the paragraphs of the report).
//! The report title usually sits outside that container (an `<h1>` above it); it is put
//! back at the start when the container does not begin with it (fixtures/inputs/qingshan.html).
//!
//! Tables: a table of short cells is a statistical table (a grid, with `colspan` and
//! `rowspan` expanded); a table whose cells hold long text or other tables is page layout
//! and its cells are read as paragraphs.
//!
//! Comments: `<!-- nblint-… -->` directives are kept in `Document::comments` at the place
//! of the block they stand before (or in: a directive inside a paragraph stands at its
//! start), so that inline suppressions work in web pages as in Markdown. A directive in or
//! just before a table row stands at that row; one outside the content container stands at
//! the start of the text (in `<head>` or before the container) or at its end (after it).
//! Other comments (a CMS leaves many) are dropped.
//!
//! Charset: byte-order mark, then `<meta charset>` / `http-equiv` / XML declaration, then
//! detection (`encoding::decode_with_label`); GBK and GB2312 are read as GB18030.
//!
//! Limits: element nesting depth (`Limits::max_depth`), checked on the parsed tree, and a
//! cheap estimate on the raw markup first, so that a page of a million nested `<div>`s is
//! refused before the parser spends quadratic time on it.
//!
//! Submodules:
//! - `prescan`: the raw bytes before parsing: the declared charset, the nesting estimate;
//! - `tests`: unit tests.

mod prescan;
#[cfg(test)]
mod tests;

use super::doc_builder::{Builder, Cell, check_depth};
use super::{Document, Format, Limits, ReadError, encoding};
use ego_tree::NodeRef;
pub(crate) use prescan::charset_label;
use prescan::prescan_depth;
use scraper::node::Element;
use scraper::{Html, Node};
use std::collections::HashMap;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    prescan_depth(bytes, limits)?;
    let label = charset_label(bytes);
    let decoded = encoding::decode_with_label(bytes, label.as_deref())?;
    let html = Html::parse_document(&decoded.text);
    let root = html.tree.root();
    let mut depth = 0usize;
    for edge in root.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) if n.value().is_element() => {
                depth += 1;
                check_depth(depth, limits, "HTML ")?;
            }
            ego_tree::iter::Edge::Close(n) if n.value().is_element() => depth -= 1,
            _ => {}
        }
    }
    let body = root
        .descendants()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))
        .unwrap_or(root);
    let info = Info::compute(root);
    let container = choose_container(body, &info);
    let mut ex = Extract::default();
    ex.walk(container, true);
    ex.flush();
    let mut blocks = ex.blocks;
    let (before, after) = comments_outside(root, container);
    if let Some(title) = page_title(root, container, &info) {
        let starts_with_title = blocks.iter().find_map(|b| match b {
            Block::Para(t, _) => Some(t),
            Block::Table(..) | Block::Comment(_) => None,
        });
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let t = squash(&title);
        let present = starts_with_title.is_some_and(|first| {
            let f = squash(first);
            f.contains(&t) || (!f.is_empty() && t.contains(&f) && f.chars().count() > 6)
        });
        if !present {
            blocks.insert(0, Block::Para(title, Some(0)));
        }
    }
    let mut b = Builder::new();
    for c in &before {
        b.comment(c);
    }
    for block in blocks {
        match block {
            Block::Para(t, h) => b.paragraph(&t, h),
            Block::Table(rows, comments) => b.table_with_comments(rows, comments)?,
            Block::Comment(c) => b.comment(&c),
        }
    }
    for c in &after {
        b.comment(c);
    }
    Ok(b.finish(decoded.encoding, Format::Html))
}

/// The text of a comment if it is an nblint directive (`nblint-disable …`).
fn directive(c: &str) -> Option<&str> {
    c.trim_start().starts_with("nblint-").then_some(c)
}

/// Directives outside the content container: those before it (in `<head>`, above the
/// content) and those after it (in the footer), in document order.
fn comments_outside(root: NodeRef<Node>, container: NodeRef<Node>) -> (Vec<String>, Vec<String>) {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut seen = false;
    let mut traverse = root.traverse();
    while let Some(edge) = traverse.next() {
        match edge {
            ego_tree::iter::Edge::Open(n) if n.id() == container.id() => {
                seen = true;
                // Skip the container's subtree: its comments are read with its text.
                for e in traverse.by_ref() {
                    if let ego_tree::iter::Edge::Close(m) = e
                        && m.id() == container.id()
                    {
                        break;
                    }
                }
            }
            ego_tree::iter::Edge::Open(n) => {
                if let Node::Comment(c) = n.value()
                    && let Some(d) = directive(c)
                {
                    if seen {
                        after.push(d.to_owned());
                    } else {
                        before.push(d.to_owned());
                    }
                }
            }
            ego_tree::iter::Edge::Close(_) => {}
        }
    }
    (before, after)
}

// ---------------------------------------------------------------------------------------
// What is furniture, what is content
// ---------------------------------------------------------------------------------------

/// Elements never shown as text.
fn is_invisible(e: &Element) -> bool {
    const NAMES: &[&str] = &[
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "head", "title", "meta", "link", "select", "option", "textarea", "button", "input", "map",
        "audio", "video",
    ];
    if NAMES.contains(&e.name()) || e.attr("hidden").is_some() {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Site furniture by tag or by the words in its class and id (English and the pinyin
/// abbreviations common on Chinese government sites: dqwz 当前位置, xglj 相关链接, ewm
/// 二维码, fx 分享, dy 打印, zh 字号, wza 无障碍).
fn is_furniture(e: &Element, inside: bool) -> bool {
    match e.name() {
        "nav" | "aside" | "form" => return true,
        "header" | "footer" if !inside => return true,
        _ => {}
    }
    const WORDS: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "crumb",
        "crumbs",
        "position",
        "location",
        "dqwz",
        "wz",
        "footer",
        "foot",
        "copyright",
        "share",
        "bdshare",
        "jiathis",
        "fx",
        "print",
        "dy",
        "sidebar",
        "side",
        "toolbar",
        "tools",
        "tool",
        "related",
        "xgxx",
        "xglj",
        "relate",
        "search",
        "login",
        "banner",
        "qrcode",
        "ewm",
        "fontsize",
        "zh",
        "zihao",
        "info",
        "pagination",
        "paging",
        "fenye",
        "comment",
        "ad",
        "ads",
        "advert",
        "friendlink",
        "yqlj",
        "wza",
        "skip",
        "header",
        "top",
        "bottom",
        "logo",
        "close",
        "gb",
    ];
    let words = e
        .attr("class")
        .into_iter()
        .chain(e.attr("id"))
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase());
    for w in words {
        if WORDS.contains(&w.as_str()) {
            return true;
        }
    }
    false
}

/// Characters that count as text: letters, digits, CJK.
fn counts(c: char) -> bool {
    c.is_alphanumeric()
}

/// Per element: the amount of text outside links and furniture, and document order.
struct Info {
    mass: HashMap<ego_tree::NodeId, usize>,
    order: HashMap<ego_tree::NodeId, usize>,
}

impl Info {
    fn compute(root: NodeRef<Node>) -> Info {
        let mut mass = HashMap::new();
        let mut order = HashMap::new();
        // (node, text so far when it was opened), and how many links/furniture are open.
        let mut stack: Vec<(ego_tree::NodeId, usize, bool)> = Vec::new();
        let mut total = 0usize;
        let mut muted = 0usize;
        let mut n = 0usize;
        for edge in root.traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    order.insert(node.id(), n);
                    n += 1;
                    if let Node::Element(e) = node.value() {
                        let mute = e.name() == "a" || is_invisible(e) || is_furniture(e, false);
                        if mute {
                            muted += 1;
                        }
                        stack.push((node.id(), total, mute));
                    } else if let Node::Text(t) = node.value()
                        && muted == 0
                    {
                        total += t.chars().filter(|&c| counts(c)).count();
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    if node.value().is_element()
                        && let Some((id, at, mute)) = stack.pop()
                    {
                        if mute {
                            muted = muted.saturating_sub(1);
                        }
                        mass.insert(id, total - at);
                    }
                }
            }
        }
        Info { mass, order }
    }

    fn mass(&self, n: &NodeRef<Node>) -> usize {
        self.mass.get(&n.id()).copied().unwrap_or(0)
    }
}

/// Elements not to go down into when looking for the container: they are the content.
fn is_leafish(e: &Element) -> bool {
    matches!(
        e.name(),
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "span"
            | "a"
            | "font"
            | "b"
            | "strong"
            | "em"
            | "i"
            | "u"
            | "pre"
            | "blockquote"
            | "dt"
            | "dd"
    )
}

fn choose_container<'a>(body: NodeRef<'a, Node>, info: &Info) -> NodeRef<'a, Node> {
    let mut node = body;
    loop {
        let here = info.mass(&node);
        if here == 0 {
            return node;
        }
        let best = node
            .children()
            .filter(|c| {
                c.value()
                    .as_element()
                    .is_some_and(|e| !is_invisible(e) && !is_furniture(e, false))
            })
            .max_by_key(|c| info.mass(c));
        let Some(best) = best else {
            return node;
        };
        let Some(e) = best.value().as_element() else {
            return node;
        };
        if info.mass(&best) * 10 < here * 7 || is_leafish(e) {
            return node;
        }
        if e.name() == "table" && is_data_table(best) {
            return node;
        }
        node = best;
    }
}

/// The page's title for the report, when the container does not start with it: the
/// nearest heading (h1–h3, or an element whose class or id says title) before the
/// container, else `<meta name="ArticleTitle">`, else `<title>` without the site name.
fn page_title(root: NodeRef<Node>, container: NodeRef<Node>, info: &Info) -> Option<String> {
    let limit = info
        .order
        .get(&container.id())
        .copied()
        .unwrap_or(usize::MAX);
    let mut best: Option<String> = None;
    let mut meta: Option<String> = None;
    let mut title_tag: Option<String> = None;
    let mut skip_until: Option<usize> = None;
    for node in root.descendants() {
        let pos = info.order.get(&node.id()).copied().unwrap_or(0);
        if skip_until.is_some_and(|end| pos < end) {
            continue;
        }
        let Some(e) = node.value().as_element() else {
            continue;
        };
        match e.name() {
            "meta" => {
                if e.attr("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("ArticleTitle"))
                {
                    meta = e.attr("content").map(str::to_owned);
                }
                continue;
            }
            "title" => {
                title_tag = Some(text_of(node));
                continue;
            }
            _ => {}
        }
        if pos >= limit {
            break;
        }
        let is_title_class = e
            .attr("class")
            .into_iter()
            .chain(e.attr("id"))
            .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
            .any(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "title" | "tit" | "bt" | "biaoti"
                )
            });
        if matches!(e.name(), "nav" | "aside" | "footer")
            || (is_furniture(e, false) && !is_title_class && e.name() != "header")
        {
            // Skip the subtree: its last descendant's position ends it.
            let end = node
                .last_child()
                .map(|_| {
                    node.descendants()
                        .last()
                        .and_then(|d| info.order.get(&d.id()).copied())
                        .unwrap_or(pos)
                })
                .unwrap_or(pos);
            skip_until = Some(end + 1);
            continue;
        }
        if matches!(e.name(), "h1" | "h2" | "h3") || is_title_class {
            let t = text_of(node);
            let n = t.chars().count();
            if (4..=120).contains(&n)
                && (best.is_none() || t.contains("报告") || !best_has_report(&best))
            {
                best = Some(t);
            }
        }
    }
    best.or(meta.filter(|m| !m.trim().is_empty())).or_else(|| {
        let t = title_tag?;
        let cut = ["_", " - ", "|", "－", "——"]
            .iter()
            .filter_map(|sep| t.find(sep))
            .filter(|&i| t[..i].chars().count() >= 6)
            .min()
            .unwrap_or(t.len());
        let t = t[..cut].trim().to_owned();
        (!t.is_empty()).then_some(t)
    })
}

fn best_has_report(best: &Option<String>) -> bool {
    best.as_deref().is_some_and(|b| b.contains("报告"))
}

/// The visible text of a subtree, white space collapsed.
fn text_of(node: NodeRef<Node>) -> String {
    let mut ex = Extract::default();
    ex.walk(node, false);
    ex.flush();
    let mut out = String::new();
    for b in ex.blocks {
        if let Block::Para(t, _) = b {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(t.trim());
        }
    }
    out
}

/// A table of data (short cells, no tables inside) rather than page layout.
fn is_data_table(table: NodeRef<Node>) -> bool {
    let mut cells = 0usize;
    for d in table.descendants().skip(1) {
        let Some(e) = d.value().as_element() else {
            continue;
        };
        match e.name() {
            "table" => return false,
            "td" | "th" => {
                cells += 1;
                let mut n = 0usize;
                for t in d.descendants() {
                    if let Node::Text(t) = t.value() {
                        n += t.chars().filter(|&c| counts(c)).count();
                    }
                }
                if n > 300 {
                    return false;
                }
            }
            _ => {}
        }
    }
    cells > 1
}

// ---------------------------------------------------------------------------------------
// Text extraction
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Block {
    Para(String, Option<u8>),
    /// A statistical table: its rows, and the directives in or before a row.
    Table(Vec<Vec<Cell>>, Vec<(usize, String)>),
    /// An nblint directive, at the start of the block it stands before (or in).
    Comment(String),
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "address",
    "figure",
    "figcaption",
    "ul",
    "ol",
    "dl",
    "hr",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "main",
    "table",
    "caption",
    "body",
    "html",
];

#[derive(Default)]
struct Extract {
    blocks: Vec<Block>,
    cur: String,
    heading: Option<u8>,
}

impl Extract {
    fn flush(&mut self) {
        let t = std::mem::take(&mut self.cur);
        let h = self.heading.take();
        if t.trim().is_empty() {
            return;
        }
        self.blocks.push(Block::Para(t, h));
    }

    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_ascii_whitespace() || c == '\u{a0}' {
                if !self.cur.is_empty() && !self.cur.ends_with([' ', '\n']) {
                    self.cur.push(' ');
                }
            } else {
                self.cur.push(c);
            }
        }
    }

    /// Walks a subtree without recursion. `tables`: read statistical tables as grids
    /// (false inside a table cell, where a nested table is flattened to text).
    fn walk(&mut self, top: NodeRef<Node>, tables: bool) {
        enum Step<'a> {
            Enter(NodeRef<'a, Node>),
            Leave(bool),
        }
        let mut stack = vec![Step::Enter(top)];
        while let Some(step) = stack.pop() {
            let node = match step {
                Step::Leave(block) => {
                    if block {
                        self.flush();
                    }
                    continue;
                }
                Step::Enter(n) => n,
            };
            match node.value() {
                Node::Text(t) => {
                    self.push_text(t);
                    continue;
                }
                Node::Element(e) => {
                    let inside = node.id() != top.id();
                    if inside && (is_invisible(e) || is_furniture(e, true)) {
                        continue;
                    }
                    if !inside && is_invisible(e) {
                        continue;
                    }
                    let name = e.name();
                    if name == "br" {
                        self.cur.push('\n');
                        continue;
                    }
                    if name == "table" && tables && is_data_table(node) {
                        self.flush();
                        let (rows, comments) = table_rows(node);
                        self.blocks.push(Block::Table(rows, comments));
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block {
                        self.flush();
                        if let Some(l) = name
                            .strip_prefix('h')
                            .and_then(|d| d.parse::<u8>().ok())
                            .filter(|d| (1..=6).contains(d))
                        {
                            self.heading = Some(l - 1);
                        }
                    } else if matches!(name, "td" | "th") {
                        self.cur.push(' ');
                    }
                    stack.push(Step::Leave(block));
                    let children: Vec<_> = node.children().collect();
                    for c in children.into_iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                Node::Comment(c) => {
                    if let Some(d) = directive(c) {
                        self.blocks.push(Block::Comment(d.to_owned()));
                    }
                }
                Node::Document | Node::Fragment => {
                    let children: Vec<_> = node.children().collect();
                    for c in children.into_iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The rows of a statistical table: `tr` elements of this table (not of nested ones),
/// each as its `td`/`th` cells with their spans; and the nblint directives found in a row or
/// before it, with the row's index (after the last row: the number of rows).
fn table_rows(table: NodeRef<Node>) -> (Vec<Vec<Cell>>, Vec<(usize, String)>) {
    let mut rows = Vec::new();
    let mut comments = Vec::new();
    let mut stack: Vec<NodeRef<Node>> = table.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        if let Node::Comment(c) = n.value()
            && let Some(d) = directive(c)
        {
            comments.push((rows.len(), d.to_owned()));
            continue;
        }
        let Some(e) = n.value().as_element() else {
            continue;
        };
        match e.name() {
            "thead" | "tbody" | "tfoot" => {
                let mut kids: Vec<_> = n.children().collect();
                kids.reverse();
                stack.extend(kids);
            }
            "tr" => {
                for d in n.descendants() {
                    if let Node::Comment(c) = d.value()
                        && let Some(d) = directive(c)
                    {
                        comments.push((rows.len(), d.to_owned()));
                    }
                }
                let mut cells = Vec::new();
                for c in n.children() {
                    let Some(ce) = c.value().as_element() else {
                        continue;
                    };
                    if !matches!(ce.name(), "td" | "th") || is_invisible(ce) {
                        continue;
                    }
                    let span = |a: &str, zero: u32| {
                        ce.attr(a)
                            .and_then(|v| v.trim().parse::<u32>().ok())
                            .map_or(1, |v| if v == 0 { zero } else { v })
                    };
                    let mut ex = Extract::default();
                    ex.walk(c, false);
                    ex.flush();
                    let text = ex
                        .blocks
                        .iter()
                        .filter_map(|b| match b {
                            Block::Para(t, _) => Some(t.trim()),
                            Block::Table(..) | Block::Comment(_) => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    // rowspan="0" spans to the end of the table section.
                    cells.push(Cell::new(
                        text,
                        span("colspan", 1),
                        span("rowspan", u32::MAX),
                    ));
                }
                rows.push(cells);
            }
            _ => {}
        }
    }
    (rows, comments)
}
