//! From blocks to the document: each paragraph with its list number and heading level,
//! text boxes and notes after the paragraph that holds them, tables converted to the
//! builder's model (merged cells with spans), nblint directives from Word comments.

use super::body::{Block, NoteKind, Para, Row};
use super::notes::flat_text;
use super::numbering::{Counters, Numbering, Styles, style_heading, style_num};
use crate::input::ReadError;
use crate::input::doc_builder::{Builder, Cell};
use std::collections::HashMap;

pub(super) struct Emitter<'a> {
    /// Word comments that are nblint directives, by id.
    pub(super) directives: &'a HashMap<String, String>,
    pub(super) styles: &'a Styles,
    pub(super) numbering: &'a Numbering,
    pub(super) counters: Counters,
    pub(super) notes: &'a HashMap<(NoteKind, String), String>,
    pub(super) note_no: usize,
    pub(super) b: Builder,
}

impl Emitter<'_> {
    pub(super) fn blocks(&mut self, blocks: &[Block]) -> Result<(), ReadError> {
        for block in blocks {
            match block {
                Block::Para(p) => {
                    let text = self.para_text(p);
                    let heading = p.outline.filter(|&l| l < 9).map(|l| l + 1).or_else(|| {
                        p.style
                            .as_deref()
                            .and_then(|s| style_heading(self.styles, s))
                    });
                    for id in &p.comments {
                        if let Some(d) = self.directives.get(id) {
                            self.b.comment(d);
                        }
                    }
                    self.b.paragraph(&text, heading);
                    for bx in &p.boxes {
                        self.blocks(bx)?;
                    }
                    for key in &p.notes {
                        if let Some(t) = self.notes.get(key) {
                            self.note_no += 1;
                            let t = format!("注{}：{}", self.note_no, t);
                            self.b.paragraph(&t, None);
                        }
                    }
                }
                Block::Table(rows) => {
                    let mut comments = Vec::new();
                    for (i, row) in rows.iter().enumerate() {
                        for c in &row.cells {
                            self.directives_in(&c.blocks, i, &mut comments);
                        }
                    }
                    let cells = self.table(rows);
                    self.b.table_with_comments(cells, comments)?;
                }
            }
        }
        Ok(())
    }

    /// The directives attached to paragraphs in `blocks` (a table cell), as comments of row
    /// `row`.
    fn directives_in(&self, blocks: &[Block], row: usize, out: &mut Vec<(usize, String)>) {
        for b in blocks {
            match b {
                Block::Para(p) => {
                    for id in &p.comments {
                        if let Some(d) = self.directives.get(id) {
                            out.push((row, d.clone()));
                        }
                    }
                }
                Block::Table(rows) => {
                    for r in rows {
                        for c in &r.cells {
                            self.directives_in(&c.blocks, row, out);
                        }
                    }
                }
            }
        }
    }

    /// The paragraph's number (if it is in a list) and text.
    fn para_text(&mut self, p: &Para) -> String {
        let num = if p.num_set {
            p.num.clone()
        } else {
            p.style.as_deref().and_then(|s| style_num(self.styles, s))
        };
        let mut text = String::new();
        if let Some((id, lvl)) = num
            && !p.text.trim().is_empty()
            && let Some(n) = self.counters.next(self.numbering, &id, lvl)
        {
            text.push_str(&n);
        }
        // Leading tabs and spaces only indent; they are not content.
        text.push_str(p.text.trim_start_matches(['\t', ' ']));
        text
    }

    /// Converts Word rows (cells with gridSpan and vMerge) to the HTML model the builder
    /// expands: a vertically merged cell is one cell with a row span.
    fn table(&mut self, rows: &[Row]) -> Vec<Vec<Cell>> {
        let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
        // Grid column → (row, index) of the last cell that started a vertical merge there.
        let mut open: HashMap<usize, (usize, usize)> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            let mut cells: Vec<Cell> = Vec::new();
            let mut col = row.before as usize;
            if row.before > 0 {
                cells.push(Cell::new(String::new(), row.before, 1));
            }
            for tc in &row.cells {
                let span = tc.span.max(1);
                if tc.hmerge_continue
                    && let Some(last) = cells.last_mut()
                {
                    last.col_span = last.col_span.saturating_add(span);
                    col += span as usize;
                    continue;
                }
                if tc.vmerge == Some(false)
                    && let Some(&(or, oi)) = open.get(&col)
                    && let Some(origin) = out.get_mut(or).and_then(|r| r.get_mut(oi))
                {
                    origin.row_span = origin.row_span.saturating_add(1);
                    col += span as usize;
                    continue;
                }
                let mut text = String::new();
                self.cell_text(&tc.blocks, &mut text);
                if tc.vmerge == Some(true) {
                    open.insert(col, (r, cells.len()));
                } else {
                    open.remove(&col);
                }
                cells.push(Cell::new(text, span, 1));
                col += span as usize;
            }
            out.push(cells);
        }
        out
    }

    fn cell_text(&mut self, blocks: &[Block], out: &mut String) {
        for b in blocks {
            match b {
                Block::Para(p) => {
                    let t = self.para_text(p);
                    if !t.trim().is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&t);
                    }
                    for bx in &p.boxes {
                        self.cell_text(bx, out);
                    }
                }
                Block::Table(_) => {
                    let mut s = String::new();
                    flat_text(std::slice::from_ref(b), &mut s);
                    if !s.is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&s.replace('\n', " "));
                    }
                }
            }
        }
    }
}
