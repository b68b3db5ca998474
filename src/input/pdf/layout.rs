//! Layout: text pieces grouped into lines (gaps become tabs, fake bold is kept once), a
//! page's lines and tables in reading order with its margins and body font size, page
//! numbers dropped; then the pages' lines joined into paragraphs (also across a page break)
//! and handed to the builder with the tables.

use super::fonts::is_wide;
use super::interpreter::{RawPage, Run};
use super::tables::{TOL, TableBox, find_tables};
use crate::input::doc_builder::Builder;
use crate::input::{Document, Format, ReadError};

/// A line of text on a page.
#[derive(Clone, Debug)]
pub(super) struct Line {
    pub(super) text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
}

#[derive(Clone, Debug)]
pub(super) enum Item {
    Line(Line),
    Table(TableBox),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.y + l.size * 0.8,
            Item::Table(t) => t.top,
        }
    }

    pub(super) fn text_chars(&self) -> Vec<char> {
        match self {
            Item::Line(l) => l.text.chars().filter(|c| !c.is_whitespace()).collect(),
            Item::Table(t) => t
                .cells
                .iter()
                .flat_map(|c| c.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect(),
        }
    }
}

pub(super) struct Page {
    number: usize,
    pub(super) items: Vec<Item>,
    left: f32,
    right: f32,
    /// The most common font size of the running text.
    body_size: f32,
}

pub(super) fn layout(raw: RawPage) -> Page {
    let tables = find_tables(&raw.segs);
    let mut in_table: Vec<Vec<Run>> = vec![Vec::new(); tables.len()];
    let mut free: Vec<Run> = Vec::new();
    for r in raw.runs {
        let cx = (r.x0 + r.x1) / 2.0;
        let cy = r.y + r.size * 0.3;
        match tables.iter().position(|t| t.contains(cx, cy)) {
            Some(i) => in_table[i].push(r),
            None => free.push(r),
        }
    }
    let mut items: Vec<Item> = lines(free).into_iter().map(Item::Line).collect();
    for (t, runs) in tables.iter().zip(in_table) {
        if let Some(tb) = t.fill(runs) {
            items.push(Item::Table(tb));
        }
    }
    items.sort_by(|a, b| b.top().total_cmp(&a.top()));
    // Page numbers alone at the top or bottom of the page.
    let is_page_number = |i: &Item| match i {
        Item::Line(l) => looks_like_page_number(&l.text),
        Item::Table(_) => false,
    };
    if items.last().is_some_and(is_page_number) {
        items.pop();
    }
    if items.first().is_some_and(is_page_number) {
        items.remove(0);
    }
    // Margins of the running text. The right margin is where most long lines end (the
    // median), not the farthest end: widths of characters in fonts without metrics are
    // estimated and a line of Latin text may seem to run past the margin.
    let text_lines: Vec<&Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) if !l.text.contains('\t') => Some(l),
            _ => None,
        })
        .collect();
    let left = text_lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let widest = text_lines.iter().map(|l| l.x1 - l.x0).fold(0.0, f32::max);
    let mut ends: Vec<f32> = text_lines
        .iter()
        .filter(|l| l.x1 - l.x0 >= widest * 0.6)
        .map(|l| l.x1)
        .collect();
    ends.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() / 2).copied().unwrap_or(f32::MIN);
    let mut sizes: Vec<f32> = text_lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
    Page {
        number: raw.number,
        items,
        left,
        right,
        body_size,
    }
}

pub(super) fn looks_like_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    if !inner.is_empty() && inner.len() <= 4 && inner.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // 第 2 页, 第2页共5页, 2/5
    let digits_and = |allowed: &[char]| {
        !inner.is_empty()
            && inner.chars().any(|c| c.is_ascii_digit())
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || allowed.contains(&c))
    };
    (inner.starts_with('第') && digits_and(&['第', '页', '共']))
        || digits_and(&['/'])
        || (inner.starts_with("Page") && inner[4..].chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether a line starts with a list or heading number (`一、`, `（一）`, `1.`), which
/// starts a new paragraph even when the previous line looks unfinished.
fn starts_with_marker(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '（' | '(' | '第' | '①'..='⑳') {
        return true;
    }
    let rest: String = std::iter::once(first).chain(chars).take(5).collect();
    let numeral = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0
        && rest
            .chars()
            .nth(numeral)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | '是'))
}

/// Groups runs into lines by baseline, left to right; large gaps become tabs.
pub(super) fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<Run>> = Vec::new();
    for r in runs {
        match groups.last_mut() {
            Some(g)
                if g.first()
                    .is_some_and(|f| (f.y - r.y).abs() <= f.size.max(r.size) * 0.4) =>
            {
                g.push(r)
            }
            _ => groups.push(vec![r]),
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for mut g in groups {
        g.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut text = String::new();
        let mut last: Option<&Run> = None;
        for r in &g {
            if let Some(p) = last {
                // Fake bold: the same text drawn again a fraction of a point to the right.
                if p.text == r.text && (r.x0 - p.x0).abs() < p.size * 0.3 {
                    continue;
                }
                let gap = r.x0 - p.x1;
                let em = p.size.max(r.size);
                if gap > em * 2.0 {
                    text.push('\t');
                } else {
                    let prev_wide = text.chars().last().is_some_and(is_wide);
                    let next_wide = r.text.chars().next().is_some_and(is_wide);
                    // Between Latin letters a small gap is a space. Next to a Chinese
                    // character it is the quarter-em that Word and LibreOffice put between
                    // Chinese and Latin text, or justification: not a space, unless wide.
                    let space = if prev_wide || next_wide {
                        gap > em * 0.6
                    } else {
                        gap > em * 0.15
                    };
                    if space && !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
            }
            text.push_str(&r.text);
            last = Some(r);
        }
        let size = g.iter().map(|r| r.size).fold(0.0, f32::max);
        let y = g.first().map_or(0.0, |r| r.y);
        let x0 = g.first().map_or(0.0, |r| r.x0);
        let x1 = g.iter().map(|r| r.x1).fold(f32::MIN, f32::max);
        let text = text
            .trim_matches(|c: char| c == ' ' || c == '\t')
            .to_owned();
        if !text.is_empty() {
            out.push(Line {
                text,
                x0,
                x1,
                y,
                size,
            });
        }
    }
    out
}

/// Pages to paragraphs and tables, in order.
pub(super) fn assemble(pages: Vec<Page>) -> Result<Document, ReadError> {
    enum Out {
        Para(String, usize),
        Tab(Vec<String>, usize),
        Table(TableBox, Vec<usize>),
    }
    let mut out: Vec<Out> = Vec::new();
    // The last text line of the previous page, if it ran to the right margin.
    let mut open = false;
    for page in &pages {
        let indent = page.left;
        let reach = page.right;
        let mut prev: Option<&Line> = None;
        for (k, item) in page.items.iter().enumerate() {
            match item {
                Item::Table(t) => {
                    open = false;
                    prev = None;
                    // A table continued from the previous page: same columns, at the top.
                    if k == 0
                        && let Some(Out::Table(last, row_pages)) = out.last_mut()
                        && last.cols.len() == t.cols.len()
                        && last
                            .cols
                            .iter()
                            .zip(&t.cols)
                            .all(|(a, b)| (a - b).abs() <= TOL * 2.0)
                    {
                        last.join(t);
                        row_pages.extend(std::iter::repeat_n(page.number, t.nrows));
                        continue;
                    }
                    out.push(Out::Table(t.clone(), vec![page.number; t.nrows]));
                }
                Item::Line(l) if l.text.contains('\t') => {
                    open = false;
                    prev = Some(l);
                    match out.last_mut() {
                        Some(Out::Tab(v, _)) => v.push(l.text.clone()),
                        _ => out.push(Out::Tab(vec![l.text.clone()], page.number)),
                    }
                }
                Item::Line(l) => {
                    let em = l.size.max(1.0);
                    let continues = match prev {
                        // Same page: the previous line ran to the margin, this one is not
                        // indented, and it follows at the normal line distance.
                        Some(p) => {
                            let full = p.x1 >= reach - em * 1.5;
                            // A line wrapped early because the next word (a web address)
                            // did not fit: long, and not the end of a sentence.
                            let wrapped = p.x1 - indent >= (reach - indent) * 0.7
                                && !p
                                    .text
                                    .ends_with(['。', '；', '！', '？', '：', '.', ';', ':'])
                                && !starts_with_marker(&l.text);
                            // A centred title wrapped over two lines.
                            let centre = (indent + reach) / 2.0;
                            let centred = |x0: f32, x1: f32| ((x0 + x1) / 2.0 - centre).abs() <= em;
                            let title = centred(p.x0, p.x1)
                                && centred(l.x0, l.x1)
                                && p.size >= page.body_size * 1.15
                                && p.x1 - p.x0 >= (reach - indent) * 0.8;
                            !p.text.contains('\t')
                                && ((full || wrapped) && l.x0 <= indent + em * 0.5 || title)
                                && (p.y - l.y) <= em * 2.2
                                && (p.size - l.size).abs() <= em * 0.25
                        }
                        // First line of a page: continues the last paragraph of the previous
                        // page when that one ran to the margin.
                        None => open && k == 0 && l.x0 <= indent + em * 0.5,
                    };
                    if continues && let Some(Out::Para(t, _)) = out.last_mut() {
                        let joint_space =
                            t.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                                && l.text
                                    .chars()
                                    .next()
                                    .is_some_and(|c| c.is_ascii_alphanumeric());
                        if joint_space {
                            t.push(' ');
                        }
                        t.push_str(&l.text);
                    } else {
                        out.push(Out::Para(l.text.clone(), page.number));
                    }
                    open = l.x1 >= reach - em * 1.5;
                    prev = Some(l);
                }
            }
        }
        if !matches!(page.items.last(), Some(Item::Line(_))) {
            open = false;
        }
    }
    let mut b = Builder::new();
    for o in out {
        match o {
            Out::Para(t, p) => {
                b.set_page(p);
                b.paragraph(&t, None);
            }
            Out::Tab(lines, p) => {
                b.set_page(p);
                b.paragraph(&lines.join("\n"), None);
            }
            Out::Table(t, row_pages) => {
                b.set_page(row_pages.first().copied().unwrap_or(1));
                b.table_paged(t.rows(), &row_pages)?;
            }
        }
    }
    Ok(b.finish("UTF-8", Format::Pdf))
}
