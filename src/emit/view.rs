//! The data behind the HTML view (`--format html` and the browser page, web/): what the
//! view shows of a file besides its findings — the text as paragraphs and tables, and the
//! statistical tables as nblint read them — and the JSON object the view's script renders.
//!
//! `layout` is taken from the `Report` while the engine still holds it (only when
//! `Options::layout` asks for it), so that rendering needs nothing but the `FileReport`.
//! `file_json` turns a `FileReport` into the view's JSON (`engine::lint_view` checks a file
//! and calls it for the browser page): the `--format json` file object
//! plus `text`, `blocks`, `tables` and, per diagnostic, its place in the view. Offsets in the
//! view's JSON are UTF-16 code units into `text` (what a browser's strings count), so the
//! script can slice without decoding UTF-8.
//!
//! Nothing here parses text: headings come from the outline, tables from `report/`.

use super::FileReport;
use super::json::{JsonDiagnostic, JsonFileMeta, json_diagnostic};
use super::{Resolver, Summary};
use crate::diagnostic::Lang;
use crate::input::Grid;
use crate::report::{LineKind, Report};
use serde::Serialize;
use std::ops::Range;

/// A file's text as the view shows it, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) blocks: Vec<Block>,
    /// The statistical tables as read (表三, 表四, …), in document order.
    pub(crate) tables: Vec<TableRead>,
    /// The headings of the template's sections found in the text (一、总体情况, …), in order:
    /// the view groups findings by them.
    pub(crate) sections: Vec<Range<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Block {
    /// A line of text; `heading` is 1 for a top-level heading, 2 below it, …; 0 for prose.
    Para { span: Range<usize>, heading: u8 },
    /// A table the format delivered.
    Grid(Grid),
}

/// A statistical table as nblint read it: the schema's rows and columns and each cell's
/// text where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TableRead {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) readable: bool,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<RowRead>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RowRead {
    pub(crate) label: String,
    pub(crate) found: bool,
    /// The cell's span in the text; `None` where the row was not found.
    pub(crate) cells: Vec<Option<Range<usize>>>,
}

/// Takes what the view shows from a report.
pub(crate) fn layout(report: &Report, lang: Lang) -> Layout {
    let doc = report.doc;
    let mut heading_at = vec![0u8; report.lines.len()];
    for h in &report.outline.headings {
        if h.title_like
            && h.scope() == 0
            && let Some(slot) = heading_at.get_mut(h.line())
        {
            *slot = u8::try_from(h.depth() + 1).unwrap_or(u8::MAX).min(4);
        }
    }
    let mut blocks = Vec::new();
    let mut grids = doc.grids.iter().peekable();
    for (i, line) in report.lines.iter().enumerate() {
        while let Some(g) = grids.next_if(|g| g.span.start <= line.range().start) {
            blocks.push(Block::Grid(g.clone()));
        }
        if line.kind() == LineKind::Blank
            || doc
                .grids
                .iter()
                .any(|g| g.span.start <= line.content().start && line.content().end <= g.span.end)
        {
            continue;
        }
        let marked = doc
            .headings
            .iter()
            .find(|m| m.span.start <= line.content().start && line.content().start < m.span.end)
            .map(|m| m.level.clamp(1, 4));
        blocks.push(Block::Para {
            span: line.content(),
            heading: marked.unwrap_or(heading_at[i]),
        });
    }
    for g in grids {
        blocks.push(Block::Grid(g.clone()));
    }
    let tables = report
        .tables
        .iter()
        .filter(|t| !t.is_placeholder())
        .map(|t| TableRead {
            id: t.id.clone(),
            name: t.name(lang).to_owned(),
            readable: t.readable,
            columns: t.columns().iter().map(|c| c.label.clone()).collect(),
            rows: t
                .rows()
                .iter()
                .enumerate()
                .map(|(r, info)| RowRead {
                    label: info.label.clone(),
                    found: t.row_span(r).is_some(),
                    cells: (0..t.columns().len())
                        .map(|c| t.cell_at(r, c).map(|x| x.span.clone()))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut sections: Vec<Range<usize>> = report
        .sections
        .iter()
        .filter_map(|s| report.outline.headings.get(s.heading?))
        .map(|h| {
            // From the ordinal (or the title) on: without Markdown's `##`.
            let start = if h.marker().is_empty() {
                h.title().start
            } else {
                h.marker().start
            };
            start.min(h.span().end)..h.span().end
        })
        .collect();
    sections.sort_by_key(|r| r.start);
    Layout {
        blocks,
        tables,
        sections,
    }
}

// ---------------------------------------------------------------------------------------------
// The view's JSON
// ---------------------------------------------------------------------------------------------

/// Byte offsets to UTF-16 offsets in one text.
struct Utf16 {
    /// UTF-16 offset at each byte boundary of a char (others: the char's start).
    at: Vec<u32>,
}

impl Utf16 {
    fn new(text: &str) -> Self {
        let mut at = Vec::with_capacity(text.len() + 1);
        let mut u = 0u32;
        for c in text.chars() {
            for _ in 0..c.len_utf8() {
                at.push(u);
            }
            u += u32::try_from(c.len_utf16()).unwrap_or(1);
        }
        at.push(u);
        Utf16 { at }
    }

    fn of(&self, b: usize) -> u32 {
        self.at
            .get(b)
            .or(self.at.last())
            .copied()
            .unwrap_or_default()
    }

    fn range(&self, r: &Range<usize>) -> [u32; 2] {
        let s = self.of(r.start);
        [s, self.of(r.end).max(s)]
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonBlock {
    Para {
        at: [u32; 2],
        #[serde(skip_serializing_if = "is_zero")]
        h: u8,
    },
    Grid {
        table: usize,
        rows: Vec<Vec<Option<JsonCell>>>,
    },
}

fn is_zero(h: &u8) -> bool {
    *h == 0
}

#[derive(Serialize)]
struct JsonCell {
    at: [u32; 2],
    #[serde(skip_serializing_if = "is_one")]
    rs: u32,
    #[serde(skip_serializing_if = "is_one")]
    cs: u32,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

#[derive(Serialize)]
struct JsonTable<'a> {
    id: &'a str,
    name: &'a str,
    readable: bool,
    columns: &'a [String],
    rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    label: &'a str,
    found: bool,
    cells: Vec<Option<[u32; 2]>>,
}

#[derive(Serialize)]
struct ViewDiagnostic<'a> {
    #[serde(flatten)]
    d: JsonDiagnostic<'a>,
    /// The primary span and the labels' spans, in UTF-16 units of `text`.
    at: [u32; 2],
    labels_at: Vec<[u32; 2]>,
    /// The heading of the template's section the finding is in (`None`: before the first).
    section: Option<&'a str>,
}

#[derive(Serialize)]
struct Counts {
    errors: usize,
    warnings: usize,
    notes: usize,
}

#[derive(Serialize)]
struct ViewFile<'a> {
    #[serde(flatten)]
    meta: JsonFileMeta<'a>,
    counts: Counts,
    diagnostics: Vec<ViewDiagnostic<'a>>,
    text: &'a str,
    blocks: Vec<JsonBlock>,
    tables: Vec<JsonTable<'a>>,
}

/// The view's JSON object for one file. `<` is written as `\u003c`, so the JSON can stand in
/// a `<script>` element as it is.
pub(crate) fn file_json(f: &FileReport) -> String {
    let u = Utf16::new(&f.text);
    let m = f.meta.as_ref();
    let empty = Layout::default();
    let layout = m.and_then(|m| m.layout.as_deref()).unwrap_or(&empty);
    let sections: Vec<(usize, &str)> = layout
        .sections
        .iter()
        .map(|r| (r.start, f.text.get(r.clone()).unwrap_or("")))
        .collect();
    let mut summary = Summary::default();
    summary.add(f);
    let mut r = Resolver::new(&f.text);
    let diagnostics = f
        .diagnostics
        .iter()
        .map(|d| ViewDiagnostic {
            at: u.range(&d.span),
            labels_at: d.labels.iter().map(|l| u.range(&l.span)).collect(),
            section: sections
                .iter()
                .take_while(|(s, _)| *s <= d.span.start)
                .last()
                .map(|(_, t)| *t),
            d: json_diagnostic(&f.path, d, &mut r),
        })
        .collect();
    let blocks = layout
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para { span, heading } => JsonBlock::Para {
                at: u.range(span),
                h: *heading,
            },
            Block::Grid(g) => JsonBlock::Grid {
                table: g.number,
                rows: g
                    .rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|c| {
                                c.covered_by.is_none().then(|| JsonCell {
                                    at: u.range(&c.span),
                                    rs: c.row_span.max(1),
                                    cs: c.col_span.max(1),
                                })
                            })
                            .collect()
                    })
                    .collect(),
            },
        })
        .collect();
    let tables = layout
        .tables
        .iter()
        .map(|t| JsonTable {
            id: &t.id,
            name: &t.name,
            readable: t.readable,
            columns: &t.columns,
            rows: t
                .rows
                .iter()
                .map(|row| JsonRow {
                    label: &row.label,
                    found: row.found,
                    cells: row
                        .cells
                        .iter()
                        .map(|c| c.as_ref().map(|c| u.range(c)))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let file = ViewFile {
        meta: JsonFileMeta::new(f),
        counts: Counts {
            errors: summary.counts.errors,
            warnings: summary.counts.warnings,
            notes: summary.counts.notes,
        },
        diagnostics,
        text: &f.text,
        blocks,
        tables,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let json = serde_json::to_string(&file).unwrap_or_else(|_| "null".to_owned());
    json.replace('<', "\\u003c")
}
