//! The statistical tables: every layout a report delivers them in, read into one grid model
//! with a source span per cell, then matched against the templates' table schemas
//! (`[[tables]]` in `rules/templates/*.toml`) by their row and column labels.
//!
//! Layouts (each becomes a list of `RawRow`s, then the same matching runs on all of them):
//! - Markdown pipe rows (`| 规章 | 0 | 0 | 0 |`);
//! - tab-separated rows, as text extracted from PDF or Word gives them (seed 004, with lost
//!   cells, labels split over lines and a header written vertically one character per line);
//! - columns aligned with runs of spaces, and a row label followed by its numbers on the same
//!   line or on the next one;
//! - real grids handed over by the .docx and HTML readers in `Document::grids` (merged cells
//!   appear once, with their spans). Text lines inside a grid's span are not read again.
//!
//! Matching is by label, never by position alone: labels are compared after folding width,
//! dropping spaces, line breaks, quotes and ordinal markers (`一、` `（一）` `1.` `1．` `1、`) and a
//! trailing note in brackets. A column is placed where its label stands in the header, also
//! when the label is split over several header lines (`商业` / `企业`, or `结`/`果`/`维`/`持`);
//! a row is the one whose label ends the row's label cells. When the header cannot be read
//! but enough column labels are seen, rows with exactly the expected count of numbers are
//! read in the official order (表四 extracted from a flipbook, seed 004).
//!
//! When the shape does not fit (a column not found, a row with too many or too few numbers,
//! a row that is not in the format, digits run together such as `640020470`), the table is
//! kept with `readable == false` and the reasons in [`Table::problems`]; its arithmetic is not
//! checked. A split of run-together digits that satisfies the row's total is recorded for a
//! note, never used as a value.
//!
//! This is the only code that parses table cells. It produces no diagnostics.
//!
//! The path of a table, one file per step: `rows` reduces each layout to raw rows; `analyse`
//! splits a row into label and value cells (`value`) and looks its labels up in the index of
//! `keys`; `segment` cuts the rows into runs that belong to one table; `fit` reads a run
//! with each candidate schema (reusing a cached `plan` for a known shape, `blocks` for 表四
//! in one row, `digits` for numbers run together) and keeps the best as a [`Table`] (this
//! file: the public model and [`read`]). `prose` finds tables no schema matched, and labels
//! standing in running text.

use super::cn;
use super::{LineInfo, LineKind, Lines};
use crate::input::{Document, Grid};
use crate::template::{TableSpec, Template, ValueKind};
use std::ops::Range;
use std::sync::Arc;

mod analyse;
mod blocks;
mod digits;
mod fit;
mod keys;
mod plan;
mod prose;
mod rows;
mod segment;
mod value;

pub(crate) use self::keys::{Index, SpecKeys, label_key};
pub(crate) use self::prose::{labels_in_text, unrecognised_lines};
pub(crate) use self::value::{CellValue, parse_value};
use self::{
    analyse::*, blocks::*, digits::*, fit::*, keys::*, plan::*, rows::*, segment::*, value::*,
};

// ---------------------------------------------------------------------------------------------
// Public model
// ---------------------------------------------------------------------------------------------

/// One cell of a table as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    /// The cell's text in `Document::text` (an empty range where a blank cell is).
    pub span: Range<usize>,
}

impl Cell {
    /// The cell's text, trimmed, in the document's text `doc`.
    pub(crate) fn text<'a>(&self, doc: &'a str) -> &'a str {
        doc.get(self.span.clone()).map_or("", str::trim)
    }
}

/// A row of the schema, as found (or not) in the table.
#[derive(Clone, Debug, PartialEq)]
pub struct RowInfo {
    pub id: String,
    /// The label shown to a person (`（三）不予公开 1.属于国家秘密`).
    pub(crate) label: String,
    pub(crate) value: Option<ValueKind>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColInfo {
    pub id: String,
    pub(crate) label: String,
    pub(crate) value: ValueKind,
}

/// A label that tells which format's table this is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct VersionMarker {
    pub(crate) version: String,
    pub(crate) label: String,
    pub(crate) span: Range<usize>,
}

/// Why a table could not be read with confidence.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Column labels not found in the header.
    MissingColumns { missing: Vec<String>, found: usize },
    /// Rows of the format not found.
    MissingRows { labels: Vec<String> },
    /// A row with numbers whose label is not in the format.
    UnknownRow { label: String, span: Range<usize> },
    /// Numbers without a row label.
    OrphanValues { span: Range<usize> },
    /// A row whose numbers do not fit the columns.
    RowMisfit {
        label: String,
        span: Range<usize>,
        expected: usize,
        found: usize,
    },
    /// The same row twice.
    DuplicateRow { label: String, span: Range<usize> },
    /// Digits that seem run together; `split` is the only split that satisfies the row's
    /// totals, if there is exactly one.
    RunTogether {
        label: String,
        span: Range<usize>,
        text: String,
        split: Option<Vec<i64>>,
    },
    /// Header found but no row of numbers.
    NoData,
    /// Table-like lines in the section, but no label of the format was recognised.
    NotRecognised,
}

/// A statistical table found in the report.
#[derive(Clone, Debug)]
pub struct Table {
    /// Schema id (`requests`, `appeals`, `active_1`, …).
    pub id: String,
    /// Which format's labels were found (`2019`, `2021`, `legacy`); `None` when the labels
    /// found are the same in every format (表四) or none was decisive.
    pub version: Option<String>,
    /// The whole table in `Document::text`.
    pub(crate) span: Range<usize>,
    /// False when the shape did not fit: the arithmetic is not checked.
    pub readable: bool,
    name: String,
    name_en: String,
    /// The schema's rows and columns, shared by every table read with that schema.
    rows: Arc<[RowInfo]>,
    cols: Arc<[ColInfo]>,
    /// Where each row's label is, if the row was found.
    row_spans: Vec<Option<Range<usize>>>,
    /// `rows.len() * cols.len()`, row-major; `None` where the row was not found.
    cells: Vec<Option<Cell>>,
    problems: Vec<Problem>,
    markers: Vec<VersionMarker>,
    grid: Option<usize>,
    placeholder: bool,
}

impl Table {
    pub fn cell(&self, row: &str, col: &str) -> Option<&Cell> {
        let r = self.row_index(row)?;
        let c = self.col_index(col)?;
        self.cell_at(r, c)
    }

    /// Integer value; None when blank, dash, unreadable or absent.
    pub fn int(&self, row: &str, col: &str) -> Option<i64> {
        self.cell(row, col)?.value.as_int()
    }

    /// Sum of the rows whose id starts with `prefix` (e.g. "refused_") in a column; None if
    /// any is unreadable; blanks count as 0 only when at least one is filled.
    pub fn sum_rows(&self, prefix: &str, col: &str) -> Option<i64> {
        self.sum_where(|id| id.starts_with(prefix), col)
            .map(|(sum, _)| sum)
    }

    /// Sum of the rows whose id satisfies `rows` in a column, with the filled cells that were
    /// added (row index and cell). None if any is unreadable or none is filled: blank and dash
    /// are "not filled", not 0.
    pub(crate) fn sum_where(
        &self,
        rows: impl Fn(&str) -> bool,
        col: &str,
    ) -> Option<(i64, Vec<(usize, &Cell)>)> {
        let c = self.col_index(col)?;
        let mut sum = 0i64;
        let mut cells = Vec::new();
        for (r, info) in self.rows.iter().enumerate() {
            if !rows(&info.id) {
                continue;
            }
            let Some(cell) = self.cell_at(r, c) else {
                continue;
            };
            match &cell.value {
                CellValue::Blank | CellValue::Dash => {}
                v => {
                    sum = sum.checked_add(v.as_int()?)?;
                    cells.push((r, cell));
                }
            }
        }
        (!cells.is_empty()).then_some((sum, cells))
    }

    pub(crate) fn row_index(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }

    pub(crate) fn col_index(&self, id: &str) -> Option<usize> {
        self.cols.iter().position(|c| c.id == id)
    }

    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        if row >= self.rows.len() || col >= self.cols.len() {
            return None;
        }
        self.cells.get(row * self.cols.len() + col)?.as_ref()
    }

    /// The schema's rows (found or not), in schema order.
    pub fn rows(&self) -> &[RowInfo] {
        &self.rows
    }

    pub fn columns(&self) -> &[ColInfo] {
        &self.cols
    }

    /// The table's name in words (`表三`).
    pub(crate) fn name(&self, lang: crate::diagnostic::Lang) -> &str {
        lang.pick(&self.name, &self.name_en)
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub(crate) fn markers(&self) -> &[VersionMarker] {
        &self.markers
    }

    /// The number of the grid the table was read from (.docx/HTML), if any.
    pub fn grid(&self) -> Option<usize> {
        self.grid
    }

    /// True for a stand-in: the section has table-like lines that were not recognised.
    pub(crate) fn is_placeholder(&self) -> bool {
        self.placeholder
    }

    /// The value kind a cell must hold.
    pub(crate) fn value_kind(&self, row: usize, col: usize) -> ValueKind {
        self.rows
            .get(row)
            .and_then(|r| r.value)
            .or_else(|| self.cols.get(col).map(|c| c.value))
            .unwrap_or_default()
    }

    /// Where the label of row `row` is, if the row was found.
    pub(crate) fn row_span(&self, row: usize) -> Option<&Range<usize>> {
        self.row_spans.get(row)?.as_ref()
    }

    /// A stand-in for table-like lines that could not be matched to any schema.
    pub(crate) fn unrecognised(spec: &TableSpec, span: Range<usize>) -> Table {
        let k = &spec_keys(spec);
        Table {
            id: spec.id.clone(),
            version: None,
            span,
            readable: false,
            name: spec.name.clone(),
            name_en: spec.name_en.clone(),
            rows: k.rows_info.clone(),
            cols: k.cols_info.clone(),
            row_spans: vec![None; spec.rows.len()],
            cells: vec![None; spec.rows.len() * spec.columns.len()],
            problems: vec![Problem::NotRecognised],
            markers: Vec::new(),
            grid: None,
            placeholder: true,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Lines longer than this, or with a sentence end, are prose and never table rows.
const MAX_TEXT_ROW: usize = 400;
/// Blank lines allowed inside a table (seed 004 has single blank lines between rows).
const MAX_GAP: usize = 2;

/// Reads every table of the document. Text lines that turned out to be table rows (space
/// aligned, or a label followed by numbers) are marked [`LineKind::Table`] in `lines`, so that
/// the outline does not take `一、本年新收…` for a heading. `prefer` breaks ties between
/// schema versions (the version of the report year's template).
pub fn read(
    doc: &Document,
    lines: &mut Lines,
    templates: &super::TemplateSet,
    prefer: Option<&str>,
) -> Vec<Table> {
    let schemas = Schemas::new(templates);
    if schemas.all.is_empty() {
        return Vec::new();
    }
    let mut tables = Vec::new();
    for run in grid_runs(&doc.grids, &doc.text) {
        let mut rows = Vec::new();
        let mut owner = Vec::new();
        for g in run {
            let r = grid_rows(g);
            owner.extend(std::iter::repeat_n(g.number, r.len()));
            rows.extend(r);
        }
        let mut scratch = Scratch::default();
        let an: Vec<Analysed> = rows.iter().map(|r| analyse(r, &mut scratch)).collect();
        let evs: Vec<Evidence> = an.iter().map(|a| evidence(a, &schemas)).collect();
        for seg in segment(&rows, &an, &evs) {
            if let Some(mut t) = fit_best(&rows, &an, &seg, &schemas, prefer, &doc.text) {
                t.grid = seg.rows.first().and_then(|&i| owner.get(i)).copied();
                tables.push(t);
            }
        }
    }
    // Text rows are read block by block: the rows, their analyses and evidence are kept only
    // while a table may still be open, so a long text costs memory for its largest table,
    // not for its number of lines (a file of millions of short lines).
    let text = doc.text.as_str();
    let mut block = Block::default();
    let mut seg = Segmenter::default();
    let mut scratch = Scratch::default();
    let mut in_grid = InGrid::new(&doc.grids);
    for ln in 0..lines.len() {
        let Some(info) = lines.get(ln) else {
            break;
        };
        if info.kind() == LineKind::Blank || in_grid.contains(&info.range()) {
            continue;
        }
        let row = text_row(text, info, ln);
        let a = analyse(&row, &mut scratch);
        let ev = evidence(&a, &schemas);
        block.rows.push(row);
        block.an.push(a);
        block.evs.push(ev);
        seg.push(block.rows.len() - 1, &block.rows, &block.an, &block.evs);
        if seg.is_idle() {
            block.flush(&mut seg, lines, &schemas, prefer, text, &mut tables);
        }
    }
    seg.finish(&block.rows, &block.an, &block.evs);
    block.flush(&mut seg, lines, &schemas, prefer, text, &mut tables);
    tables.sort_by_key(|t| t.span.start);
    tables
}

#[cfg(test)]
mod tests;

impl Table {
    /// A plain rendering of the table for tests and debugging: one line per row found,
    /// `id: v1 v2 …` with `_` for blank, `-` for a dash, `?` for unreadable.
    pub fn dump(&self) -> String {
        let mut out = format!(
            "{} v{} {}\n",
            self.id,
            self.version.as_deref().unwrap_or("?"),
            if self.readable {
                "readable"
            } else {
                "UNREADABLE"
            }
        );
        for p in &self.problems {
            out.push_str(&format!("  ! {p:?}\n"));
        }
        for (r, info) in self.rows.iter().enumerate() {
            if self.row_span(r).is_none()
                && (0..self.cols.len()).all(|c| self.cell_at(r, c).is_none())
            {
                continue;
            }
            let vals: Vec<String> = (0..self.cols.len())
                .map(|c| match self.cell_at(r, c).map(|c| &c.value) {
                    Some(CellValue::Int(i)) => i.to_string(),
                    Some(CellValue::Decimal(d)) => d.to_string(),
                    Some(CellValue::Blank) => "_".into(),
                    Some(CellValue::Dash) => "-".into(),
                    Some(CellValue::Unreadable) => "?".into(),
                    None => ".".into(),
                })
                .collect();
            out.push_str(&format!("  {}: {}\n", info.id, vals.join(" ")));
        }
        out
    }
}
