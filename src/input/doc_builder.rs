//! Assembles a [`Document`] from the blocks a structured reader (Word, HTML, PDF) finds:
//! paragraphs and tables, in reading order.
//!
//! The text is what a person would copy out of the file: paragraphs separated by a blank
//! line, each table as tab-separated lines (one per grid row; positions covered by a merged
//! cell are empty), so that `report/` reads the same shapes as in text extracted by other
//! tools (see fixtures/reports/2021-qingshan-transport.txt). Every non-empty paragraph gets
//! a location in words (`第12段`, or `第3页` for PDF) and every table cell one
//! (`表5 第3行第8列`). Tables are numbered in document order with Arabic digits, so that
//! they are not confused with the official labels 表一…表四 of the report format.
//!
//! This module must not interpret the text; it only lays it out.

use super::{
    Document, Format, Grid, GridCell, HeadingMark, Limits, Locus, ReadError, SourceComment,
};

/// Most grid positions in one table (rows × columns after expanding spans). A real report
/// table has a few hundred; a crafted `rowspan="65534" colspan="1000"` would need 65 million.
pub(crate) const MAX_TABLE_CELLS: usize = 100_000;
/// HTML caps `colspan` at 1000 and `rowspan` at 65534; Word's `gridSpan` has no cap.
const MAX_COLSPAN: u32 = 1000;

/// One cell as the format gives it: the cell that starts at a position, with its spans. The
/// positions it covers are not listed (HTML's model; Word's vMerge is converted to it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) col_span: u32,
    pub(crate) row_span: u32,
}

impl Cell {
    pub(crate) fn new(text: String, col_span: u32, row_span: u32) -> Cell {
        Cell {
            text,
            col_span,
            row_span,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Builder {
    text: String,
    grids: Vec<Grid>,
    loci: Vec<Locus>,
    headings: Vec<HeadingMark>,
    comments: Vec<SourceComment>,
    paragraphs: usize,
    page: Option<usize>,
}

impl Builder {
    pub(crate) fn new() -> Builder {
        Builder::default()
    }

    /// From now on, locations name this page (PDF) instead of a paragraph number.
    pub(crate) fn set_page(&mut self, page: usize) {
        self.page = Some(page);
    }

    /// Where the next block will start: after the blank line that will separate it.
    fn next_start(&self) -> usize {
        if self.text.is_empty() {
            0
        } else {
            self.text.len() + 2
        }
    }

    /// Keeps a comment of the source (an HTML `<!-- nblint-disable … -->`) at the place of
    /// the next block, so that `report::suppress` can find the text it is about.
    pub(crate) fn comment(&mut self, text: &str) {
        self.comments.push(SourceComment {
            at: self.next_start(),
            text: text.to_owned(),
        });
    }

    fn separate(&mut self) {
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
    }

    /// Adds a paragraph. Line breaks inside it are kept; white space at the ends of lines
    /// and empty lines are dropped. An empty paragraph adds nothing and is not counted.
    pub(crate) fn paragraph(&mut self, text: &str, heading: Option<u8>) {
        let lines: Vec<&str> = text
            .split(['\n', '\r'])
            .map(|l| l.trim_matches(is_edge_space))
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return;
        }
        self.separate();
        let start = self.text.len();
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                self.text.push('\n');
            }
            self.text.push_str(l);
        }
        let span = start..self.text.len();
        self.paragraphs += 1;
        let (zh, en) = match self.page {
            Some(p) => (format!("第{p}页"), format!("page {p}")),
            None => (
                format!("第{}段", self.paragraphs),
                format!("paragraph {}", self.paragraphs),
            ),
        };
        self.loci.push(Locus {
            span: span.clone(),
            zh,
            en,
            page: self.page,
        });
        if let Some(level) = heading {
            self.headings.push(HeadingMark { span, level });
        }
    }

    /// Adds a table given row by row as the cells that start in each row. Spans are
    /// expanded into a rectangular grid. A table of one column is a layout box, not a
    /// statistical table: its cells are added as paragraphs.
    #[cfg(test)]
    pub(crate) fn table(&mut self, rows: Vec<Vec<Cell>>) -> Result<(), ReadError> {
        self.table_paged(rows, &[])
    }

    /// Like [`Builder::table`], with the page each row is on (a PDF table that goes on over
    /// a page break), for the cells' locations.
    pub(crate) fn table_paged(
        &mut self,
        rows: Vec<Vec<Cell>>,
        row_pages: &[usize],
    ) -> Result<(), ReadError> {
        self.table_full(rows, row_pages, Vec::new())
    }

    /// Like [`Builder::table`], with source comments that stood in or just before a row:
    /// (row index, comment). Each is kept at the start of its row's line, so that
    /// `nblint-disable-next-line` written there covers that row.
    pub(crate) fn table_with_comments(
        &mut self,
        rows: Vec<Vec<Cell>>,
        comments: Vec<(usize, String)>,
    ) -> Result<(), ReadError> {
        self.table_full(rows, &[], comments)
    }

    fn table_full(
        &mut self,
        rows: Vec<Vec<Cell>>,
        row_pages: &[usize],
        mut comments: Vec<(usize, String)>,
    ) -> Result<(), ReadError> {
        let layout = expand(&rows)?;
        // Comments of a table that is not laid out as a grid stand before what it becomes.
        let before = |b: &mut Builder, comments: Vec<(usize, String)>| {
            for (_, c) in comments {
                b.comment(&c);
            }
        };
        let ncols = layout.iter().map(Vec::len).max().unwrap_or(0);
        if layout.is_empty() || ncols == 0 {
            before(self, comments);
            return Ok(());
        }
        if ncols == 1 {
            before(self, comments);
            for row in rows {
                for c in row {
                    self.paragraph(&c.text, None);
                }
            }
            return Ok(());
        }
        if rows.iter().flatten().all(|c| c.text.trim().is_empty()) {
            before(self, comments);
            return Ok(());
        }
        comments.sort_by_key(|c| c.0);
        let mut comments = comments.into_iter().peekable();
        self.separate();
        let number = self.grids.len() + 1;
        let start = self.text.len();
        let mut grid_rows: Vec<Vec<GridCell>> = Vec::with_capacity(layout.len());
        for (r, row) in layout.iter().enumerate() {
            if r > 0 {
                self.text.push('\n');
            }
            while let Some((_, c)) = comments.next_if(|c| c.0 <= r) {
                self.comments.push(SourceComment {
                    at: self.text.len(),
                    text: c,
                });
            }
            let mut cells = Vec::with_capacity(ncols);
            for c in 0..ncols {
                if c > 0 {
                    self.text.push('\t');
                }
                let at = self.text.len();
                match row.get(c).copied().flatten() {
                    Some(Slot { origin, cell }) if origin == (r, c) => {
                        let src = rows
                            .get(cell.0)
                            .and_then(|row| row.get(cell.1))
                            .map(|c| c.text.as_str())
                            .unwrap_or("");
                        let clean = one_line(src);
                        self.text.push_str(&clean);
                        let span = at..self.text.len();
                        if !clean.is_empty() {
                            let page = row_pages.get(r).copied().or(self.page);
                            let (zh, en) = cell_locus(page, number, r + 1, c + 1);
                            self.loci.push(Locus {
                                span: span.clone(),
                                zh,
                                en,
                                page,
                            });
                        }
                        let (cs, rs) = spans_of(&rows, cell);
                        cells.push(GridCell {
                            text: clean,
                            span,
                            row_span: rs,
                            col_span: cs,
                            covered_by: None,
                        });
                    }
                    Some(Slot { origin, cell }) => {
                        let (cs, rs) = spans_of(&rows, cell);
                        let text = rows
                            .get(cell.0)
                            .and_then(|row| row.get(cell.1))
                            .map(|c| one_line(&c.text))
                            .unwrap_or_default();
                        cells.push(GridCell {
                            text,
                            span: at..at,
                            row_span: rs,
                            col_span: cs,
                            covered_by: Some(origin),
                        });
                    }
                    None => cells.push(GridCell {
                        text: String::new(),
                        span: at..at,
                        row_span: 1,
                        col_span: 1,
                        covered_by: None,
                    }),
                }
            }
            grid_rows.push(cells);
        }
        self.grids.push(Grid {
            span: start..self.text.len(),
            rows: grid_rows,
            number,
        });
        // Comments after the last row stand after the table.
        before(self, comments.collect());
        Ok(())
    }

    pub(crate) fn finish(self, encoding: &str, format: Format) -> Document {
        Document {
            text: self.text,
            encoding: encoding.to_owned(),
            format,
            grids: self.grids,
            loci: self.loci,
            headings: self.headings,
            comments: self.comments,
        }
    }
}

fn cell_locus(page: Option<usize>, table: usize, row: usize, col: usize) -> (String, String) {
    {
        match page {
            Some(p) => (
                format!("第{p}页 表{table} 第{row}行第{col}列"),
                format!("page {p}, table {table}, row {row}, column {col}"),
            ),
            None => (
                format!("表{table} 第{row}行第{col}列"),
                format!("table {table}, row {row}, column {col}"),
            ),
        }
    }
}

/// White space trimmed at the ends of lines: ASCII and no-break spaces. Full-width spaces
/// (U+3000) are kept at the start, where they indent a paragraph the Chinese way, and are
/// read by `report/` as such.
fn is_edge_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}'
}

/// A cell's text on one line: line breaks inside a cell join the pieces (without a space
/// between Chinese characters, with one between Latin words); tabs become spaces.
pub(crate) fn one_line(s: &str) -> String {
    // Most cells are one short line already.
    if !s.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t'))
        && !s.starts_with(|c: char| is_edge_space(c) || c == '\u{3000}')
        && !s.ends_with(|c: char| is_edge_space(c) || c == '\u{3000}')
    {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for piece in s.split(['\n', '\r']) {
        let piece = piece.trim_matches(|c: char| is_edge_space(c) || c == '\u{3000}');
        if piece.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), piece.chars().next())
            && a.is_ascii_alphanumeric()
            && b.is_ascii_alphanumeric()
        {
            out.push(' ');
        }
        for ch in piece.chars() {
            out.push(if ch == '\t' { ' ' } else { ch });
        }
    }
    out
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Grid position of the cell that covers this slot.
    origin: (usize, usize),
    /// Index of that cell in the input rows: (row, index in row).
    cell: (usize, usize),
}

fn spans_of(rows: &[Vec<Cell>], cell: (usize, usize)) -> (u32, u32) {
    rows.get(cell.0)
        .and_then(|r| r.get(cell.1))
        .map_or((1, 1), |c| (c.col_span.max(1), c.row_span.max(1)))
}

/// The HTML table model: each cell takes the first free position of its row and covers
/// `col_span × row_span` positions; a row span never reaches past the last row.
fn expand(rows: &[Vec<Cell>]) -> Result<Vec<Vec<Option<Slot>>>, ReadError> {
    let nrows = rows.len();
    let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); nrows];
    let mut total = 0usize;
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0usize;
        for (i, cell) in row.iter().enumerate() {
            while grid[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let cs = cell.col_span.clamp(1, MAX_COLSPAN) as usize;
            let rs = (cell.row_span.max(1) as usize).min(nrows - r);
            total = total.saturating_add(cs.saturating_mul(rs));
            if total > MAX_TABLE_CELLS || c + cs > MAX_TABLE_CELLS {
                return Err(ReadError::Limit {
                    what: "表格单元格数".into(),
                    what_en: "table cells".into(),
                    limit: MAX_TABLE_CELLS.to_string(),
                });
            }
            for line in grid.iter_mut().skip(r).take(rs) {
                if line.len() < c + cs {
                    line.resize(c + cs, None);
                }
                for slot in &mut line[c..c + cs] {
                    if slot.is_none() {
                        *slot = Some(Slot {
                            origin: (r, c),
                            cell: (r, i),
                        });
                    }
                }
            }
            c += cs;
        }
    }
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    if width.saturating_mul(nrows) > MAX_TABLE_CELLS {
        return Err(ReadError::Limit {
            what: "表格单元格数".into(),
            what_en: "table cells".into(),
            limit: MAX_TABLE_CELLS.to_string(),
        });
    }
    Ok(grid)
}

/// Checks an element depth against the limit.
pub(crate) fn check_depth(depth: usize, limits: &Limits, what: &str) -> Result<(), ReadError> {
    if depth > limits.max_depth {
        return Err(ReadError::Limit {
            what: format!("{what}嵌套层数"),
            what_en: format!("{what}nesting depth"),
            limit: limits.max_depth.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, cs: u32, rs: u32) -> Cell {
        Cell::new(t.into(), cs, rs)
    }

    #[test]
    fn paragraphs_get_numbers_and_blank_lines() {
        let mut b = Builder::new();
        b.paragraph("  一、总体情况 ", Some(1));
        b.paragraph("\n", None);
        b.paragraph("正文第一行\n第二行", None);
        let d = b.finish("UTF-8", Format::Docx);
        assert_eq!(d.text, "一、总体情况\n\n正文第一行\n第二行");
        assert_eq!(d.loci[1].zh, "第2段");
        assert_eq!(d.headings[0].level, 1);
        assert_eq!(&d.text[d.headings[0].span.clone()], "一、总体情况");
    }

    #[test]
    fn merged_cells_leave_empty_positions() {
        let mut b = Builder::new();
        b.paragraph("前文", None);
        b.table(vec![
            vec![c("项目", 1, 2), c("行政诉讼", 2, 1)],
            vec![c("维持", 1, 1), c("纠正", 1, 1)],
            vec![c("合计", 1, 1), c("1", 1, 1), c("0", 1, 1)],
        ])
        .unwrap();
        let d = b.finish("UTF-8", Format::Docx);
        assert_eq!(d.text, "前文\n\n项目\t行政诉讼\t\n\t维持\t纠正\n合计\t1\t0");
        let g = &d.grids[0];
        assert_eq!(g.number, 1);
        assert_eq!(g.rows.len(), 3);
        assert!(g.rows.iter().all(|r| r.len() == 3));
        assert_eq!(g.rows[0][0].row_span, 2);
        assert_eq!(g.rows[1][0].covered_by, Some((0, 0)));
        assert_eq!(g.rows[0][2].covered_by, Some((0, 1)));
        assert_eq!(&d.text[g.rows[1][2].span.clone()], "纠正");
        assert!(g.rows[1][0].span.is_empty());
        assert_eq!(
            d.locus_at(g.rows[2][1].span.start).unwrap().zh,
            "表1 第3行第2列"
        );
        assert_eq!(&d.text[g.span.clone()], &d.text[8..]);
    }

    #[test]
    fn one_column_tables_are_layout() {
        let mut b = Builder::new();
        b.table(vec![vec![c("一、总体情况", 1, 1)], vec![c("正文", 1, 1)]])
            .unwrap();
        let d = b.finish("UTF-8", Format::Html);
        assert!(d.grids.is_empty());
        assert_eq!(d.text, "一、总体情况\n\n正文");
    }

    #[test]
    fn huge_spans_are_a_limit() {
        let mut b = Builder::new();
        let rows = (0..200)
            .map(|_| vec![c("x", 1000, 65534), c("y", 1, 1)])
            .collect();
        assert!(matches!(b.table(rows), Err(ReadError::Limit { .. })));
    }

    #[test]
    fn cell_text_is_one_line() {
        assert_eq!(one_line("结果\n维持"), "结果维持");
        assert_eq!(one_line("Open\nData\t1"), "Open Data 1");
    }
}
