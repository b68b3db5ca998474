//! Raw rows: every layout (pipe, tab, space aligned, real grids) reduced to cells with byte
//! spans and horizontal positions.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    /// Pipe, tab and grid rows: `x` is the column index.
    Indexed,
    /// Space-aligned or plain text: `x` is the display column.
    Spaced,
}

#[derive(Clone, Debug)]
pub(super) struct RawCell<'a> {
    pub(super) text: &'a str,
    pub(super) span: Range<usize>,
    pub(super) x: Range<u32>,
}

#[derive(Clone, Debug)]
pub(super) struct RawRow<'a> {
    pub(super) cells: Vec<RawCell<'a>>,
    pub(super) span: Range<usize>,
    /// 0-based line in the text; `None` for grid rows.
    pub(super) line: Option<usize>,
    pub(super) layout: Layout,
    /// A Markdown separator row (`|---|---|`).
    pub(super) separator: bool,
    /// Part of a table by its form (tab, pipe, grid), whatever its content.
    pub(super) tabular: bool,
}

impl RawRow<'_> {
    pub(super) fn nonempty(&self) -> impl Iterator<Item = &RawCell<'_>> {
        self.cells.iter().filter(|c| !c.text.trim().is_empty())
    }
}

/// Whether a character whose UTF-8 encoding begins with `b` may be white space: an ASCII
/// one, or one of the few others (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000), which begin with C2, E1, E2 or E3.
pub(super) fn may_start_white(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B || matches!(b, 0xC2 | 0xE1..=0xE3)
}

/// Whether a character whose UTF-8 encoding ends with `b` may be white space (the same
/// characters end with 80–8A, 9F, A0, A8, A9 or AF).
pub(super) fn may_end_white(b: u8) -> bool {
    b.is_ascii_whitespace()
        || b == 0x0B
        || matches!(b, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF)
}

pub(super) fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    // Most cells are padded with plain spaces (`| 12 |`): strip those bytewise, and only when
    // other white space remains at an end (a tab, U+3000) trim by characters; the result is
    // the same either way.
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let mut j = b.len();
    while j > i && b[j - 1] == b' ' {
        j -= 1;
    }
    let rest = &b[i..j];
    // Chinese text at an end is told from white space by one byte; the rest is decoded.
    let first_ok = rest.first().is_none_or(|&c| !may_start_white(c))
        || s[i..j].chars().next().is_none_or(|c| !c.is_whitespace());
    let last_ok = rest.last().is_none_or(|&c| !may_end_white(c))
        || s[i..j]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_whitespace());
    if first_ok && last_ok {
        return r.start + i..r.start + j;
    }
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    r.start + lead..r.start + lead + t.len()
}

pub(super) fn pipe_row(text: &str, content: Range<usize>, line: usize) -> RawRow<'_> {
    let s = &text[content.clone()];
    let mut cells = Vec::with_capacity(s.bytes().filter(|&b| b == b'|').count());
    // Cells between pipes; the text before the first pipe (nothing) is not a cell, nor the
    // nothing after a closing pipe.
    let body = s.strip_prefix('|').unwrap_or(s);
    let body = body.strip_suffix('|').unwrap_or(body);
    let mut at = content.start + (s.len() - s.trim_start_matches('|').len()).min(1);
    // The cells between pipes, found with memchr (`split('|')`, one searcher step per cell,
    // was a tenth of reading the tables).
    let ends = memchr::memchr_iter(b'|', body.as_bytes()).chain(std::iter::once(body.len()));
    let mut from = 0;
    for (x, end) in (0u32..).zip(ends) {
        let len = end - from;
        from = end + 1;
        let r = trimmed(text, at..at + len);
        at += len + 1;
        cells.push(RawCell {
            text: &text[r.clone()],
            span: r,
            x: x..x + 1,
        });
    }
    let separator = !cells.is_empty()
        && cells.iter().all(|c| {
            let t = c.text.trim();
            !t.is_empty() && t.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        });
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Indexed,
        separator,
        tabular: true,
    }
}

pub(super) fn tab_row(
    text: &str,
    range: Range<usize>,
    content: Range<usize>,
    line: usize,
) -> RawRow<'_> {
    let s = &text[range.clone()];
    let mut cells = Vec::with_capacity(memchr::memchr_iter(b'\t', s.as_bytes()).count() + 1);
    let mut start = 0usize;
    // The cells between tabs, and the last one after the last tab.
    let ends = memchr::memchr_iter(b'\t', s.as_bytes()).chain(std::iter::once(s.len()));
    for (x, i) in (0u32..).zip(ends) {
        let r = trimmed(text, range.start + start..range.start + i);
        cells.push(RawCell {
            text: &text[r.clone()],
            span: r,
            x: x..x + 1,
        });
        start = i + 1;
    }
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Indexed,
        separator: false,
        tabular: true,
    }
}

pub(super) fn char_width(c: char) -> u32 {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A text line split at runs of white space at least two columns wide; a cell made only of
/// numbers separated by single spaces is split into one cell per number, and a plain line
/// `label 12 2 0` has its trailing numbers split off.
pub(super) fn spaced_row(
    text: &str,
    range: Range<usize>,
    content: Range<usize>,
    line: usize,
) -> RawRow<'_> {
    // Positions count from the start of the line: leading spaces place a header label above
    // its column.
    let lead: u32 = text[range.start..content.start]
        .chars()
        .map(char_width)
        .sum();
    let s = &text[content.clone()];
    // Tokens: (byte range in s, x range), separated by any white space.
    let mut tokens: Vec<(Range<usize>, Range<u32>, u32)> = Vec::new(); // (.., gap width before)
    let mut x = lead;
    let mut gap = 0u32;
    let mut cur: Option<(usize, u32)> = None;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if c.is_whitespace() {
            if let Some((st, sx)) = cur.take() {
                tokens.push((st..i, sx..x, gap));
                gap = 0;
            }
            gap += w;
        } else if cur.is_none() {
            cur = Some((i, x));
        }
        x += w;
    }
    if let Some((st, sx)) = cur {
        tokens.push((st..s.len(), sx..x, gap));
    }
    // Group tokens into cells: a gap of 2+ columns separates cells; within a cell, tokens that
    // are all values become separate cells. A group is a run of tokens: `start..end` indices.
    let mut groups: Vec<Range<usize>> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if t.2 < 2 => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    let mut cells = Vec::with_capacity(tokens.len());
    let mut push = |a: usize, b: usize| {
        let r = content.start + tokens[a].0.start..content.start + tokens[b].0.end;
        cells.push(RawCell {
            text: &text[r.clone()],
            span: r,
            x: tokens[a].1.start..tokens[b].1.end,
        });
    };
    for g in groups {
        let is_val = |i: usize| value_like(&s[tokens[i].0.clone()]).is_some();
        if g.len() > 1 && g.clone().all(is_val) {
            for i in g {
                push(i, i);
            }
        } else if g.len() >= 3
            && g.clone().all(|i| {
                let t = &s[tokens[i].0.clone()];
                t.chars().count() >= 2 && marker_len(&normalize(t), true).is_none()
            })
            && !g.clone().any(is_val)
        {
            // A header written with single spaces: `自然人 商业企业 科研机构 …`.
            for i in g {
                push(i, i);
            }
        } else if g.len() > 1 {
            // `label 12 2 0`: split the trailing numbers.
            let tail = g.clone().rev().take_while(|&i| is_val(i)).count();
            push(g.start, g.end - tail - 1);
            for i in g.end - tail..g.end {
                push(i, i);
            }
        } else {
            push(g.start, g.start);
        }
    }
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Spaced,
        separator: false,
        tabular: false,
    }
}

pub(super) fn grid_rows(g: &Grid) -> Vec<RawRow<'_>> {
    let mut out = Vec::with_capacity(g.rows.len());
    for row in &g.rows {
        let mut cells = Vec::with_capacity(row.len());
        for (j, c) in row.iter().enumerate() {
            if c.covered_by.is_some() {
                continue;
            }
            let j = u32::try_from(j).unwrap_or(u32::MAX - 1);
            cells.push(RawCell {
                text: c.text.trim(),
                span: c.span.clone(),
                x: j..j.saturating_add(c.col_span.max(1)),
            });
        }
        let start = cells
            .iter()
            .map(|c| c.span.start)
            .min()
            .unwrap_or(g.span.start);
        let end = cells.iter().map(|c| c.span.end).max().unwrap_or(start);
        out.push(RawRow {
            cells,
            span: start..end.max(start),
            line: None,
            layout: Layout::Indexed,
            separator: false,
            tabular: true,
        });
    }
    out
}

/// Grids read as one: a table that an empty paragraph (Word) or a blank line turned into
/// several grids with nothing but white space between them. The text reader reads tab rows
/// across blank lines the same way (`MAX_GAP`), whatever their number of cells, so a report
/// gives the same tables as text and as a web page (seed 001's 2008 statistics table in
/// three pieces; seed 004's 表三 in pieces of 11 and 10 columns). A piece with its own
/// header or caption still starts a table of its own (`segment`): 表二's four small tables
/// stand one after the other in every report.
pub(super) fn grid_runs<'g>(grids: &'g [Grid], text: &str) -> Vec<&'g [Grid]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=grids.len() {
        let joined = grids.get(i).is_some_and(|g| {
            let prev = &grids[i - 1];
            text.get(prev.span.end..g.span.start)
                .is_some_and(|gap| gap.trim().is_empty())
        });
        if !joined {
            out.push(&grids[start..i]);
            start = i;
        }
    }
    out
}

/// Which lines a grid already gave (its text is the grid expanded, read with the grid).
/// Grids come in document order, so one pointer walks them with the lines; out of order
/// (never made by a reader), every grid is looked at.
pub(super) struct InGrid<'g> {
    pub(super) grids: &'g [Grid],
    pub(super) sorted: bool,
    pub(super) next: usize,
}

impl<'g> InGrid<'g> {
    pub(super) fn new(grids: &'g [Grid]) -> Self {
        InGrid {
            grids,
            sorted: grids.is_sorted_by(|a, b| a.span.end <= b.span.start),
            next: 0,
        }
    }

    /// Whether a line lies inside a grid; lines are asked in order.
    pub(super) fn contains(&mut self, line: &Range<usize>) -> bool {
        let inside = |g: &Grid| g.span.start <= line.start && line.end <= g.span.end;
        if !self.sorted {
            return self.grids.iter().any(inside);
        }
        while self
            .grids
            .get(self.next)
            .is_some_and(|g| g.span.end < line.start)
        {
            self.next += 1;
        }
        // Empty grids and a line at a grid's end may touch two grids.
        self.grids[self.next.min(self.grids.len())..]
            .iter()
            .take_while(|g| g.span.start <= line.start)
            .any(inside)
    }
}

/// One text row: a tab or pipe line, or a short text line (a candidate for a space aligned
/// row). A long prose line is kept as a break (no cells).
pub(super) fn text_row<'a>(text: &'a str, info: &LineInfo, ln: usize) -> RawRow<'a> {
    let content = &text[info.content()];
    let raw = &text[info.range()];
    if info.kind() == LineKind::Table && content.starts_with('|') {
        pipe_row(text, info.content(), ln)
    } else if info.kind() == LineKind::Table
        || (raw.starts_with('\t') && content.len() <= MAX_TEXT_ROW)
    {
        // A line indented with tabs is a row of a tab-separated table whose label was
        // split (`\t\t4.保护第三方合` / `\t\t法权益\t1…`).
        tab_row(text, info.range(), info.content(), ln)
    } else if content.len() <= MAX_TEXT_ROW && !content.contains('。') {
        spaced_row(text, info.range(), info.content(), ln)
    } else {
        RawRow {
            cells: Vec::new(),
            span: info.content(),
            line: Some(ln),
            layout: Layout::Spaced,
            separator: false,
            tabular: false,
        }
    }
}

/// The rows of the text (see [`text_row`]), all at once.
#[cfg(test)]
pub(super) fn text_rows<'a>(text: &'a str, lines: &Lines, grids: &[Grid]) -> Vec<RawRow<'a>> {
    let mut in_grid = InGrid::new(grids);
    lines
        .iter()
        .enumerate()
        .filter(|(_, info)| info.kind() != LineKind::Blank && !in_grid.contains(&info.range()))
        .map(|(ln, info)| text_row(text, info, ln))
        .collect()
}
