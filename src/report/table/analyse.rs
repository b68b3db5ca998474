//! Row analysis: label and value cells of a raw row, and the evidence (which tables' labels
//! it carries) that segmentation and fitting work from; with per-thread caches.

use super::*;

/// The text rows since the last table closed: all a table being read may still need.
#[derive(Default)]
pub(super) struct Block<'a> {
    pub(super) rows: Vec<RawRow<'a>>,
    pub(super) an: Vec<Analysed>,
    pub(super) evs: Vec<Evidence>,
}

impl Block<'_> {
    /// Reads the segments the segmenter closed, marks their lines as table lines, and
    /// forgets the rows.
    pub(super) fn flush(
        &mut self,
        seg: &mut Segmenter,
        lines: &mut Lines,
        schemas: &Schemas,
        prefer: Option<&str>,
        text: &str,
        tables: &mut Vec<Table>,
    ) {
        let (rows, an, evs) = (&self.rows, &self.an, &self.evs);
        for sg in seg.out.drain(..) {
            let Some(t) = fit_best(rows, an, &sg, schemas, prefer, text) else {
                continue;
            };
            // Text lines become table lines when they are rows of the table (labels of the
            // format, or numbers); an unknown short line in between (a heading) stays text.
            for &i in &sg.rows {
                let known = an[i].has_values() || evs[i].any();
                if (known || rows[i].tabular)
                    && let Some(l) = rows[i].line
                    && let Some(info) = lines.get_mut(l)
                    && info.kind() == LineKind::Text
                {
                    info.set_kind(LineKind::Table);
                }
            }
            tables.push(t);
        }
        self.rows.clear();
        self.an.clear();
        self.evs.clear();
    }
}

/// A row split into its label cells (leading non-value cells, unit cells such as `条`
/// dropped) and its value cells; `mixed` when text follows a number (a header or noise).
pub(super) struct Parts {
    pub(super) labels: Vec<usize>,
    pub(super) values: Vec<(usize, CellValue)>,
    pub(super) mixed: bool,
}

/// What is computed once per row and used by segmentation and by every schema tried. The
/// normalised texts and keys of a row share one buffer.
pub(super) struct Analysed {
    pub(super) parts: Parts,
    /// Index of each non-empty cell that is not a value, in order.
    pub(super) idx: Vec<usize>,
    /// Their normalised texts and keys, shared by every row with the same labels.
    pub(super) info: std::rc::Rc<LabelInfo>,
}

/// The labels of a row, normalised: what rows with the same label cells (the official rows,
/// in every report) share.
pub(super) struct LabelInfo {
    pub(super) buf: String,
    /// (normalised text, key) of each non-empty cell that is not a value.
    pub(super) cells: Vec<(Range<usize>, Range<usize>)>,
    /// Candidate row keys of the label cells, shortest first.
    pub(super) cands: Vec<Range<usize>>,
    /// The evidence, once computed, with the index it was computed against.
    pub(super) ev: std::cell::Cell<Option<(u64, Evidence)>>,
    /// The row signature this was computed for (part of a table's plan key).
    pub(super) sig: Box<str>,
}

impl Analysed {
    pub(super) fn has_values(&self) -> bool {
        !self.parts.values.is_empty() && !self.parts.mixed
    }

    pub(super) fn label_only(&self) -> bool {
        !self.parts.labels.is_empty() && self.parts.values.is_empty() && !self.parts.mixed
    }

    pub(super) fn values_only(&self) -> bool {
        self.parts.labels.is_empty() && self.has_values()
    }

    pub(super) fn norms(&self) -> impl Iterator<Item = &str> {
        let i = &self.info;
        i.cells.iter().map(|c| &i.buf[c.0.clone()])
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        let i = &self.info;
        i.cells.iter().map(|c| &i.buf[c.1.clone()])
    }

    /// (cell index, key) of each non-empty cell that is not a value.
    pub(super) fn cell_keys(&self) -> impl Iterator<Item = (usize, &str)> {
        self.idx.iter().copied().zip(self.keys())
    }

    pub(super) fn cands(&self) -> impl DoubleEndedIterator<Item = &str> {
        let i = &self.info;
        i.cands.iter().map(|r| &i.buf[r.clone()])
    }
}

/// A label cell normalised: the normalised text followed by the key, and the segments (ranges
/// of the normalised text).
pub(super) struct CellInfo {
    pub(super) text: String,
    pub(super) norm_len: usize,
    pub(super) segs: Vec<Range<usize>>,
}

/// Entries kept per thread before the cache is emptied.
pub(super) const CELL_CACHE: usize = 4096;

thread_local! {
    // The labels of the official tables recur in every report; normalising each once per
    // thread saves most of the cost of reading a table. A cache of pure results: the output
    // does not depend on what is in it.
    static CELLS: std::cell::RefCell<Map<Box<str>, CellInfo>> = std::cell::RefCell::default();
}

/// [`norm_into`] and [`join_into`] for one cell, through the per-thread cache. Returns the
/// ranges of the normalised text and of the key in `buf`; the segments go to `segs`.
pub(super) fn norm_cached(
    t: &str,
    buf: &mut String,
    segs: &mut Vec<Range<usize>>,
) -> (Range<usize>, Range<usize>) {
    CELLS.with(|c| {
        let mut cache = c.borrow_mut();
        if let Some(info) = cache.get(t) {
            let base = buf.len();
            buf.push_str(&info.text);
            segs.extend(info.segs.iter().map(|r| base + r.start..base + r.end));
            return (
                base..base + info.norm_len,
                base + info.norm_len..base + info.text.len(),
            );
        }
        {
            if cache.len() >= CELL_CACHE {
                cache.clear();
            }
            let mut text = String::with_capacity(t.len() * 2);
            let mut s = Vec::new();
            let n = norm_into(t, &mut text, &mut s);
            join_into(&mut text, &s);
            cache.insert(
                t.into(),
                CellInfo {
                    text,
                    norm_len: n.end,
                    segs: s,
                },
            );
        }
        let Some(info) = cache.get(t) else {
            let s0 = segs.len();
            let n = norm_into(t, buf, segs);
            let k = join_into(buf, &segs[s0..]);
            return (n, k);
        };
        let base = buf.len();
        buf.push_str(&info.text);
        segs.extend(info.segs.iter().map(|r| base + r.start..base + r.end));
        (
            base..base + info.norm_len,
            base + info.norm_len..base + info.text.len(),
        )
    })
}

/// Buffers reused from row to row while analysing.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) segs: Vec<Range<usize>>,
    pub(super) tail: Vec<Range<usize>>,
    pub(super) sig: String,
}

/// Rows kept per thread before the row cache is emptied.
pub(super) const ROW_CACHE: usize = 4096;

thread_local! {
    // Rows with the same label cells (the official rows) recur in every report: their
    // normalised labels and evidence are computed once per thread. Pure results only.
    static ROWS: std::cell::RefCell<Map<Box<str>, std::rc::Rc<LabelInfo>>> =
        std::cell::RefCell::default();
}

pub(super) fn analyse(row: &RawRow, scratch: &mut Scratch) -> Analysed {
    let n = row.cells.len();
    let mut labels = Vec::new();
    let mut values = Vec::with_capacity(n);
    let mut mixed = false;
    let mut idx = Vec::new();
    // The row's signature: its non-value cells in order, and where numbers stood.
    let mut sig = std::mem::take(&mut scratch.sig);
    sig.clear();
    for (i, c) in row.cells.iter().enumerate() {
        // Cells are trimmed by the tokenisers.
        let t = c.text;
        if t.is_empty() {
            continue;
        }
        if let Some(v) = value_like(t) {
            if !sig.ends_with('\u{2}') {
                sig.push('\u{2}');
            }
            values.push((i, v));
            continue;
        }
        if idx.capacity() == 0 {
            idx.reserve(n);
        }
        idx.push(i);
        sig.push_str(t);
        sig.push('\u{1}');
        if is_unit(t) {
            continue;
        }
        if values.is_empty() {
            labels.push(i);
        } else {
            mixed = true;
        }
    }
    let cached = ROWS.with(|r| r.borrow().get(sig.as_str()).cloned());
    scratch.sig = sig;
    let info = match cached {
        Some(info) => info,
        None => {
            let texts = idx.iter().filter_map(|&i| row.cells.get(i)).map(|c| c.text);
            let info = std::rc::Rc::new(label_info(texts, mixed, scratch));
            ROWS.with(|r| {
                let mut cache = r.borrow_mut();
                if cache.len() >= ROW_CACHE {
                    cache.clear();
                }
                cache.insert(scratch.sig.as_str().into(), info.clone());
            });
            info
        }
    };
    Analysed {
        parts: Parts {
            labels,
            values,
            mixed,
        },
        idx,
        info,
    }
}

/// Normalises the non-value cells of a row (`texts`, in order; label cells come first, and
/// in a row that is not `mixed` every non-unit cell is a label).
pub(super) fn label_info<'t>(
    texts: impl Iterator<Item = &'t str>,
    mixed: bool,
    scratch: &mut Scratch,
) -> LabelInfo {
    let mut buf = String::new();
    let mut cells = Vec::new();
    let segs = &mut scratch.segs;
    segs.clear();
    // First segment of each of the last three label cells (a ring).
    let mut label_segs: [usize; 3] = [0; 3];
    let mut nlabels = 0usize;
    for t in texts {
        let s0 = segs.len();
        let (nr, k) = norm_cached(t, &mut buf, segs);
        cells.push((nr, k));
        if is_unit(t) {
            segs.truncate(s0);
            continue;
        }
        label_segs[nlabels % 3] = s0;
        nlabels += 1;
    }
    let mut cands = Vec::new();
    if !mixed && nlabels > 0 {
        let from = if nlabels >= 3 {
            label_segs[nlabels % 3]
        } else {
            label_segs[0]
        };
        scratch.tail.clear();
        scratch.tail.extend_from_slice(&segs[from..]);
        candidates_into(&mut buf, &scratch.tail, &mut cands);
    }
    LabelInfo {
        buf,
        cells,
        cands,
        ev: std::cell::Cell::new(None),
        sig: Box::from(scratch.sig.as_str()),
    }
}

/// What one row says about which tables it may belong to, as masks of table ids
/// ([`Index::id_bit`]).
#[derive(Clone, Copy, Default)]
pub(super) struct Evidence {
    /// Tables with a caption in this row (opens a new table).
    pub(super) caption: u64,
    /// Tables whose column labels, anchors or header labels appear.
    pub(super) header: u64,
    /// Tables with a row matching this row's label.
    pub(super) row: u64,
    /// Two or more column labels of one table: a column header row.
    pub(super) col_header: bool,
    /// A column header or an anchor: the row surely belongs to a table.
    pub(super) strong: bool,
}

impl Evidence {
    pub(super) fn any(&self) -> bool {
        self.caption | self.header | self.row != 0
    }
}

pub(super) fn evidence(a: &Analysed, schemas: &Schemas) -> Evidence {
    // Cached on the row's labels, for this index and for rows with or without numbers.
    let tag = schemas.index().id * 2 + u64::from(a.parts.values.is_empty());
    if let Some((t, ev)) = a.info.ev.get()
        && t == tag
    {
        return ev;
    }
    let ev = evidence_of(a, schemas);
    a.info.ev.set(Some((tag, ev)));
    ev
}

pub(super) fn evidence_of(a: &Analysed, schemas: &Schemas) -> Evidence {
    let mut ev = Evidence::default();
    let Some(first) = a.norms().next() else {
        return ev;
    };
    let ix = schemas.index();
    let bit = |i: u16| ix.id_bit.get(usize::from(i)).copied().unwrap_or(0);
    if let Some(list) = ix.captions.get(first) {
        for &i in list {
            ev.caption |= bit(i);
        }
        return ev;
    }
    // A caption broken by wide spaces into cells (corpus 002: `第二十条     第（八）项`).
    if a.parts.values.is_empty() && a.info.cells.len() > 1 && a.info.cells.len() <= 4 {
        let joined: String = a.norms().collect();
        if let Some(list) = ix.captions.get(joined.as_str()) {
            for &i in list {
                ev.caption |= bit(i);
            }
            return ev;
        }
    }
    // Distinct column labels per schema: 表四 repeats its five labels three times.
    let mut cols: [(u16, usize); 8] = [(u16::MAX, 0); 8];
    let mut ncols = 0usize;
    for (ki, key) in a.keys().enumerate() {
        let Some(list) = ix.by_key.get(key) else {
            continue;
        };
        let repeat = a.keys().take(ki).any(|k| k == key);
        for &(i, role) in list {
            match role {
                Role::Column if repeat => {}
                Role::Column => {
                    if let Some(c) = cols[..ncols].iter_mut().find(|c| c.0 == i) {
                        c.1 += 1;
                    } else if ncols < 8 {
                        cols[ncols] = (i, 1);
                        ncols += 1;
                    }
                }
                Role::Header => ev.header |= bit(i),
                // Block labels of 表四 stand in the header, one per cell.
                Role::Row
                    if a.parts.values.is_empty()
                        && schemas.all.get(usize::from(i)).is_some_and(|s| s.blocks) =>
                {
                    ev.row |= bit(i)
                }
                Role::Row => {}
            }
        }
    }
    for &(i, n) in &cols[..ncols] {
        if n >= 2 {
            ev.col_header = true;
            ev.strong = true;
            ev.header |= bit(i);
        }
    }
    for (anchor, list) in &ix.anchors {
        if a.norms().any(|n| n.contains(anchor.as_str())) {
            for &i in list {
                ev.strong = true;
                ev.header |= bit(i);
            }
        }
    }
    // A column header is not a data row, even when a label of it (`总计`) is also a row's.
    if ev.col_header {
        return ev;
    }
    for c in a.cands() {
        if let Some(list) = ix.by_key.get(c) {
            for &(i, role) in list {
                if role == Role::Row {
                    ev.row |= bit(i);
                }
            }
        }
    }
    ev
}
