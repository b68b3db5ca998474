//! Segmentation: runs of rows taken for one table, split where a new header or caption starts.

use super::*;

/// A run of rows taken for one table.
pub(super) struct Segment {
    /// Table ids the rows fit ([`Index::id_bit`]).
    pub(super) ids: u64,
    pub(super) rows: Vec<usize>,
    pub(super) caption: bool,
    pub(super) strong: bool,
    /// Rows with labels or header text but no numbers.
    pub(super) labelled: usize,
    pub(super) data_rows: usize,
}

impl Segment {
    pub(super) fn keep(&self) -> bool {
        if self.data_rows >= 1 {
            self.strong || self.caption || self.data_rows >= 2 || self.labelled >= 1
        } else {
            self.caption && self.strong
        }
    }
}

/// Splits rows into segments, one row at a time ([`Segmenter::push`]); closed segments wait
/// in `out`. Rows are indices into the slices the caller passes, which must hold every row
/// since the open segment began.
#[derive(Default)]
pub(super) struct Segmenter {
    pub(super) cur: Option<Segment>,
    pub(super) prev_line: Option<usize>,
    pub(super) out: Vec<Segment>,
}

impl Segmenter {
    /// No segment is open: no later row joins an earlier one.
    pub(super) fn is_idle(&self) -> bool {
        self.cur.is_none()
    }

    pub(super) fn close(&mut self, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
        if let Some(mut s) = self.cur.take() {
            // Trailing rows with neither numbers nor any label of a table are not part of it.
            while let Some(&last) = s.rows.last() {
                let a = &an[last];
                let ev = &evs[last];
                if !a.has_values() && !rows[last].separator && !ev.any() {
                    s.rows.pop();
                } else {
                    break;
                }
            }
            if s.keep() {
                self.out.push(s);
            }
        }
    }

    pub(super) fn finish(&mut self, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
        self.close(rows, an, evs);
    }

    /// Takes row `i` (the last of `rows`).
    pub(super) fn push(&mut self, i: usize, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
        let row = &rows[i];
        if let (Some(l), Some(p)) = (row.line, self.prev_line)
            && l > p + MAX_GAP + 1
        {
            self.close(rows, an, evs);
        }
        self.prev_line = row.line.or(self.prev_line);
        if row.separator {
            if let Some(s) = self.cur.as_mut() {
                s.rows.push(i);
            }
            return;
        }
        if row.cells.is_empty() {
            self.close(rows, an, evs);
            return;
        }
        let a = &an[i];
        let ev = &evs[i];
        if ev.caption != 0 {
            self.close(rows, an, evs);
            self.cur = Some(Segment {
                ids: ev.caption,
                rows: vec![i],
                caption: true,
                strong: false,
                labelled: 0,
                data_rows: 0,
            });
            return;
        }
        let ids = if ev.row == 0 { ev.header } else { ev.row };
        if ids != 0 {
            let joined = match self.cur.as_mut() {
                // A column header after rows of data starts the next table.
                Some(s) if !(ev.col_header && s.data_rows > 0) => {
                    let both = s.ids & ids;
                    if both == 0 {
                        false
                    } else {
                        s.ids = both;
                        true
                    }
                }
                _ => false,
            };
            if !joined {
                self.close(rows, an, evs);
                self.cur = Some(Segment {
                    ids,
                    rows: Vec::new(),
                    caption: false,
                    strong: false,
                    labelled: 0,
                    data_rows: 0,
                });
            }
            if let Some(s) = self.cur.as_mut() {
                s.rows.push(i);
                s.strong |= ev.strong;
                if a.has_values() {
                    s.data_rows += 1;
                } else {
                    s.labelled += 1;
                }
            }
            return;
        }
        match self.cur.as_mut() {
            Some(s) if a.values_only() => {
                s.rows.push(i);
                s.data_rows += 1;
            }
            // Noise and split labels inside a tab, pipe or grid table (seed 004).
            Some(s) if row.tabular => s.rows.push(i),
            // A label-only line of a text table (a label whose numbers are on the next line);
            // dropped at the end if nothing follows. A text line after a tab or pipe table
            // (a heading) ends it.
            Some(s) if a.label_only() && s.rows.last().is_some_and(|&l| !rows[l].tabular) => {
                s.rows.push(i)
            }
            // A labelled row not in any schema, among rows of the table: reported as unknown.
            Some(s) if a.has_values() && s.data_rows > 0 => {
                s.rows.push(i);
                s.data_rows += 1;
            }
            _ => self.close(rows, an, evs),
        }
    }
}

/// Every segment of `rows` at once (grid runs, which are small).
pub(super) fn segment(rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) -> Vec<Segment> {
    let mut s = Segmenter::default();
    for i in 0..rows.len() {
        s.push(i, rows, an, evs);
    }
    s.finish(rows, an, evs);
    s.out
}
