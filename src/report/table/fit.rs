//! Fitting: a segment read with each candidate schema (header columns, data rows, blank
//! cells), the best fit chosen, and the finished [`Table`].

use super::*;

pub(super) fn fit_best(
    rows: &[RawRow],
    an: &[Analysed],
    seg: &Segment,
    schemas: &Schemas,
    prefer: Option<&str>,
    text: &str,
) -> Option<Table> {
    // The same layout with the same labels was read before (the official tables, in report
    // after report): its plan gives the cells without matching again.
    let key = plan_key(rows, an, seg, schemas, prefer);
    if let Some(key) = &key
        && let Some(plan) = PLANS.with(|p| p.borrow().get(key.as_slice()).cloned())
        && let Some(t) = apply_plan(&plan, rows, an, seg, schemas, text)
    {
        return Some(t);
    }
    // A quick count of the labels each schema recognises; only the schemas that recognise
    // the most are read in full (one, usually: 2019 and 2021 differ in their labels).
    let ix = schemas.index();
    let candidates: Vec<(usize, usize)> = schemas
        .all
        .iter()
        .enumerate()
        .filter(|(si, _)| {
            seg.ids & ix.id_bit.get(*si).copied().unwrap_or(0) != 0
                && ix.same_as.get(*si).is_none_or(|x| x.is_none())
        })
        .map(|(si, _)| {
            let k = schemas.keys(si);
            let n: usize = seg
                .rows
                .iter()
                .filter_map(|&r| an.get(r))
                .map(|a| {
                    a.keys().filter(|x| k.cols.contains_key(*x)).count()
                        + usize::from(a.cands().any(|c| k.rows.contains_key(c)))
                })
                .sum();
            (si, n)
        })
        .collect();
    let top = candidates.iter().map(|c| c.1).max()?;

    let mut best: Option<(bool, Fit)> = None;
    for &(si, n) in &candidates {
        if n < top {
            continue;
        }
        let Some(spec) = schemas.all.get(si) else {
            continue;
        };
        let f = fit(rows, an, &seg.rows, spec, schemas.keys(si), si);
        let preferred = prefer == Some(spec.version.as_str());
        let better = match &best {
            None => true,
            Some((p, b)) => {
                let (fr, br) = (f.problems.is_empty(), b.problems.is_empty());
                f.score > b.score
                    || (f.score == b.score && fr && !br)
                    || (f.score == b.score && fr == br && preferred && !*p)
            }
        };
        if better {
            best = Some((preferred, f));
        }
    }
    let (_, f) = best?;
    if let Some(key) = key
        && f.problems.is_empty()
        && let Some(plan) = make_plan(&f, rows, seg)
    {
        PLANS.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() >= PLAN_CACHE {
                p.clear();
            }
            p.insert(key.into_boxed_slice(), std::rc::Rc::new(plan));
        });
    }
    Some(finish_table(f, schemas))
}

/// A segment read with one schema, before the best schema is chosen.
pub(super) struct Fit<'s> {
    pub(super) spec: &'s TableSpec,
    /// Index of the schema in `Schemas::all`.
    pub(super) index: usize,
    pub(super) score: i32,
    pub(super) span: Range<usize>,
    pub(super) problems: Vec<Problem>,
    pub(super) row_spans: Vec<Option<Range<usize>>>,
    pub(super) cells: Vec<Option<(CellValue, Range<usize>)>>,
    /// Labels matched: (a row?, index, span), for version markers.
    pub(super) found: Vec<(bool, usize, Range<usize>)>,
}

impl<'s> Fit<'s> {
    pub(super) fn new(spec: &'s TableSpec, index: usize) -> Self {
        Fit {
            spec,
            index,
            score: 0,
            span: 0..0,
            problems: Vec::new(),
            row_spans: vec![None; spec.rows.len()],
            cells: vec![None; spec.rows.len() * spec.columns.len()],
            found: Vec::new(),
        }
    }
}

/// A candidate position of a column label in the header.
#[derive(Clone, Debug)]
pub(super) struct ColHit {
    pub(super) col: usize,
    pub(super) x: Range<u32>,
    pub(super) q: u8,
    pub(super) span: Range<usize>,
}

pub(super) fn overlaps(a: &Range<u32>, b: &Range<u32>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Finds column labels in the header rows: single cells (quality 3), labels split over
/// several lines at the same horizontal place (2: `商业`/`企业`; `结`/`果`/`维`/`持` in seed
/// 004), and garbled cells that contain a label (1).
pub(super) fn column_hits(hdr: &[(&RawRow, &Analysed)], k: &SpecKeys) -> Vec<ColHit> {
    let mut hits = Vec::new();
    let hdr: Vec<&(&RawRow, &Analysed)> = hdr.iter().filter(|(r, _)| !r.separator).collect();
    let push = |key: &str, x: &Range<u32>, span: &Range<usize>, q: u8, hits: &mut Vec<ColHit>| {
        if let Some(cols) = k.cols.get(key) {
            for &(c, _) in cols {
                hits.push(ColHit {
                    col: c,
                    x: x.clone(),
                    q,
                    span: span.clone(),
                });
            }
            return;
        }
        // A label inside garbled text is looked for only in labels split over lines (seed
        // 004: `结果维持` + a line of noise).
        if q == 3 {
            return;
        }
        for (ck, c) in &k.col_list {
            if ck.chars().count() >= 2 && key.contains(ck.as_str()) {
                hits.push(ColHit {
                    col: *c,
                    x: x.clone(),
                    q: 1,
                    span: span.clone(),
                });
            }
        }
    };
    for (ri, (row, a)) in hdr.iter().enumerate() {
        for (ci, key) in a.cell_keys() {
            let Some(cell) = row.cells.get(ci) else {
                continue;
            };
            push(key, &cell.x, &cell.span, 3, &mut hits);
            // A label found whole needs no chain; others may be split over lines.
            if k.cols.contains_key(key) {
                continue;
            }
            let mut text: Option<String> = None;
            let mut x = cell.x.clone();
            let mut pieces = 1;
            for (next, _) in &hdr[ri + 1..] {
                if pieces >= 5 {
                    break;
                }
                let mut over = next.nonempty().filter(|c| overlaps(&x, &c.x));
                let (Some(c), None) = (over.next(), over.next()) else {
                    if next.nonempty().any(|c| overlaps(&x, &c.x)) {
                        break;
                    }
                    continue;
                };
                let t = text.get_or_insert_with(|| cell.text.trim().to_owned());
                t.push_str(c.text.trim());
                x = c.x.clone();
                pieces += 1;
                let key = label_key(t);
                push(&key, &x, &c.span, 2, &mut hits);
            }
        }
    }
    hits
}

/// Assigns columns to positions: best quality first; a position is used once, a column once
/// (or once per block for 表四).
pub(super) fn assign(mut hits: Vec<ColHit>, ncols: usize, repeat: bool) -> Vec<ColHit> {
    hits.sort_by(|a, b| b.q.cmp(&a.q).then(a.x.start.cmp(&b.x.start)));
    let mut used: Vec<ColHit> = Vec::new();
    let mut done = vec![false; ncols];
    for h in hits {
        if (!repeat && done.get(h.col).copied().unwrap_or(true))
            || used.iter().any(|u| overlaps(&u.x, &h.x))
        {
            continue;
        }
        if let Some(d) = done.get_mut(h.col) {
            *d = true;
        }
        used.push(h);
    }
    used.sort_by_key(|h| h.x.start);
    used
}

/// One row of data as matched: schema row, label span, and its value cells.
pub(super) struct DataRow<'r, 'a> {
    pub(super) row: usize,
    pub(super) label_span: Range<usize>,
    /// The row carrying the values (the label's own, or the next line's).
    pub(super) values_row: &'r RawRow<'a>,
    pub(super) values: &'r [(usize, CellValue)],
}

/// Matches candidate keys (shortest first) against the schema rows; the longest match wins.
/// Several rows with the same key (统计表 `被依法纠错数` under 行政复议 and under 行政诉讼)
/// are told apart by order: the first after the last row matched.
pub(super) fn match_row<'c>(
    cands: impl DoubleEndedIterator<Item = &'c str>,
    k: &SpecKeys,
    last: Option<usize>,
) -> Option<(usize, u8)> {
    for c in cands.rev() {
        if let Some(list) = k.rows.get(c) {
            let pick = list
                .iter()
                .filter(|(r, _)| last.is_none_or(|l| *r > l))
                .min_by_key(|(r, _)| *r)
                .or_else(|| list.iter().min_by_key(|(r, _)| *r));
            if let Some(&(r, q)) = pick {
                return Some((r, q));
            }
        }
    }
    None
}

pub(super) fn label_span(row: &RawRow, labels: &[usize]) -> Range<usize> {
    labels
        .last()
        .and_then(|&i| row.cells.get(i))
        .map_or(row.span.clone(), |c| c.span.clone())
}

pub(super) fn label_text(row: &RawRow, labels: &[usize]) -> String {
    labels
        .iter()
        .filter_map(|&i| row.cells.get(i))
        .map(|c| c.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn label_texts<'a>(row: &RawRow<'a>, labels: &[usize]) -> Vec<&'a str> {
    labels
        .iter()
        .filter_map(|&i| row.cells.get(i))
        .map(|c| c.text)
        .collect()
}

/// Reads a segment with one schema. Returns a score (how well the labels fit) and the table.
pub(super) fn fit<'s>(
    rows: &[RawRow],
    an: &[Analysed],
    seg: &[usize],
    spec: &'s TableSpec,
    k: &SpecKeys,
    index: usize,
) -> Fit<'s> {
    let mut t = Fit::new(spec, index);
    let seg_rows: Vec<&RawRow> = seg.iter().filter_map(|&i| rows.get(i)).collect();
    let seg_an: Vec<&Analysed> = seg.iter().filter_map(|&i| an.get(i)).collect();
    if let (Some(a), Some(b)) = (seg_rows.first(), seg_rows.last()) {
        t.span = a.span.start..b.span.end.max(a.span.start);
    }
    let mut score = 0i32;

    // 1. Header rows: column labels, the caption, 表四's block labels, Markdown separators.
    let col_row: Vec<bool> = seg_an
        .iter()
        .map(|a| a.keys().filter(|c| k.cols.contains_key(*c)).count() >= 2)
        .collect();
    // 表四's block labels (行政复议 … 复议后起诉) stand above its column labels; below them,
    // a row label alone is a row whose numbers follow (the three-row layout).
    let first_col_row = col_row.iter().position(|&c| c).unwrap_or(usize::MAX);
    let is_header: Vec<bool> = seg_rows
        .iter()
        .zip(&seg_an)
        .enumerate()
        .map(|(i, (row, a))| {
            row.separator
                || col_row[i]
                || a.norms()
                    .next()
                    .is_some_and(|n| k.captions.iter().any(|c| c == n))
                || (spec.blocks
                    && i < first_col_row
                    && a.parts.values.is_empty()
                    && a.keys().any(|c| k.rows.contains_key(c)))
        })
        .collect();
    let first_data = (0..seg_rows.len()).find(|&i| {
        let a = seg_an[i];
        !is_header[i]
            && !a.parts.mixed
            && (match_row(a.cands(), k, None).is_some() || a.values_only())
    });
    let Some(first_data) = first_data else {
        t.problems.push(Problem::NoData);
        t.score = score - 4;
        return t;
    };

    // 2. Data rows, with labels continued on the next line and numbers on the next line.
    let mut data: Vec<DataRow> = Vec::new();
    let mut orphans: Vec<usize> = Vec::new();
    let mut unknown: Vec<(String, Range<usize>)> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut last: Option<usize> = None;
    let mut i = first_data;
    while i < seg_rows.len() {
        let row = seg_rows[i];
        let a = seg_an[i];
        if is_header[i] || a.parts.mixed {
            pending.clear();
            i += 1;
            continue;
        }
        let p = &a.parts;
        if p.labels.is_empty() {
            if !p.values.is_empty() {
                orphans.push(i);
            }
            pending.clear();
            i += 1;
            continue;
        }
        let mut m = match_row(a.cands(), k, last);
        if m.is_none() && !pending.is_empty() {
            let mut all: Vec<&str> = Vec::new();
            for &pi in &pending {
                all.extend(label_texts(seg_rows[pi], &seg_an[pi].parts.labels));
            }
            all.extend(label_texts(row, &p.labels));
            m = match_row(row_candidates(&all).iter().map(String::as_str), k, last);
        }
        // A label continued on the next line (seed 004: `5.要求行政机关` / `确认或…`).
        let mut skip = 1;
        if m.is_none()
            && let (Some(nr), Some(na)) = (seg_rows.get(i + 1), seg_an.get(i + 1))
            && na.label_only()
            && !is_header[i + 1]
            && match_row(na.cands(), k, last).is_none()
        {
            let mut all = label_texts(row, &p.labels);
            all.extend(label_texts(nr, &na.parts.labels));
            m = match_row(row_candidates(&all).iter().map(String::as_str), k, last);
            if m.is_some() {
                skip = 2;
            }
        }
        match m {
            Some((r, q)) => {
                score += i32::from(q);
                t.found.push((true, r, label_span(row, &p.labels)));
                let mut values_row = row;
                let mut values: &[(usize, CellValue)] = &p.values;
                // Numbers on the next line: `一、本年新收…` / `12 2 0 0 1 0 15`.
                if values.is_empty()
                    && row.layout == Layout::Spaced
                    && let (Some(nr), Some(na)) = (seg_rows.get(i + 1), seg_an.get(i + 1))
                    && na.values_only()
                {
                    values_row = nr;
                    values = &na.parts.values;
                    skip = 2;
                }
                data.push(DataRow {
                    row: r,
                    label_span: label_span(row, &p.labels),
                    values_row,
                    values,
                });
                last = Some(r);
                pending.clear();
                i += skip;
                continue;
            }
            None if !p.values.is_empty() => {
                unknown.push((label_text(row, &p.labels), row.span.clone()));
                pending.clear();
            }
            None => {
                pending.push(i);
                if pending.len() > 3 {
                    pending.remove(0);
                }
            }
        }
        i += 1;
    }

    // 3. Columns, and the cells.
    let hdr_an: Vec<(&RawRow, &Analysed)> = seg_rows[..first_data]
        .iter()
        .copied()
        .zip(seg_an[..first_data].iter().copied())
        .collect();
    let hits = column_hits(&hdr_an, k);
    let ncols = spec.columns.len();
    if spec.strict_rows {
        for (label, span) in &unknown {
            t.problems.push(Problem::UnknownRow {
                label: label.clone(),
                span: span.clone(),
            });
        }
        score -= 4 * unknown.len() as i32;
    }
    if spec.blocks && data.is_empty() && !orphans.is_empty() {
        read_blocks(&mut t, k, &hdr_an, &seg_rows, &orphans, hits, &mut score);
    } else {
        for &o in &orphans {
            t.problems.push(Problem::OrphanValues {
                span: seg_rows[o].span.clone(),
            });
        }
        let cols = assign(hits, ncols, false);
        score += cols.iter().map(|c| i32::from(c.q)).sum::<i32>();
        for c in &cols {
            t.found.push((false, c.col, c.span.clone()));
        }
        let complete = cols.len() == ncols;
        // Enough labels to know the table, not enough to place every column: rows with
        // exactly the expected count of numbers are read in the official order.
        let by_count = !complete && cols.len() * 2 >= ncols && ncols > 1;
        if !complete && !by_count {
            t.problems.push(Problem::MissingColumns {
                missing: missing_cols(spec, &cols),
                found: cols.len(),
            });
        }
        let mut seen = vec![false; spec.rows.len()];
        for d in &data {
            if seen.get(d.row).copied().unwrap_or(true) {
                t.problems.push(Problem::DuplicateRow {
                    label: spec.rows[d.row].display(),
                    span: d.label_span.clone(),
                });
                continue;
            }
            seen[d.row] = true;
            if let Some(rs) = t.row_spans.get_mut(d.row) {
                *rs = Some(d.label_span.clone());
            }
            if !complete && !by_count {
                continue;
            }
            let slots = if complete {
                place(d.values_row, d.values, &cols)
            } else if d.values.len() == ncols {
                Some(d.values.iter().map(|v| Some(v.0)).collect())
            } else {
                None
            };
            let Some(slots) = slots else {
                t.problems.push(Problem::RowMisfit {
                    label: spec.rows[d.row].display(),
                    span: d.label_span.clone(),
                    expected: ncols,
                    found: d.values.len(),
                });
                continue;
            };
            let row_values: Vec<Option<(usize, CellValue)>> = slots
                .iter()
                .map(|s| s.and_then(|ci| d.values.iter().find(|v| v.0 == ci).cloned()))
                .collect();
            if let Some(p) = run_together(spec, d, &row_values) {
                t.problems.push(p);
            }
            for (c, slot) in row_values.into_iter().enumerate() {
                let cell = match slot {
                    Some((ci, v)) => (v, d.values_row.cells[ci].span.clone()),
                    None => blank_cell(d.values_row, cols.get(c).map(|h| &h.x)),
                };
                if let Some(slot) = t.cells.get_mut(d.row * ncols + c) {
                    *slot = Some(cell);
                }
            }
        }
        let missing: Vec<String> = spec
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| r.required && !seen[*i])
            .map(|(_, r)| r.display())
            .collect();
        score -= 3 * missing.len() as i32;
        if !missing.is_empty() {
            t.problems.push(Problem::MissingRows { labels: missing });
        }
    }
    t.score = score;
    // The most telling problem first: it is the one named in the finding's message.
    t.problems.sort_by_key(|p| match p {
        Problem::RunTogether { .. } => 0,
        Problem::MissingColumns { .. } => 1,
        Problem::RowMisfit { .. } => 2,
        Problem::MissingRows { .. } => 3,
        Problem::UnknownRow { .. } => 4,
        Problem::OrphanValues { .. } => 5,
        Problem::DuplicateRow { .. } => 6,
        Problem::NoData | Problem::NotRecognised => 7,
    });
    t
}

pub(super) fn missing_cols(spec: &TableSpec, cols: &[ColHit]) -> Vec<String> {
    spec.columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !cols.iter().any(|c| c.col == *i))
        .map(|(_, c)| c.display().to_owned())
        .collect()
}

/// Places a row's values under the columns. Indexed layouts: by position; a number where no
/// column is, or two in one column, does not fit. Space-aligned text: by overlap, or in order
/// when the count is right.
pub(super) fn place(
    row: &RawRow,
    values: &[(usize, CellValue)],
    cols: &[ColHit],
) -> Option<Vec<Option<usize>>> {
    let mut slots: Vec<Option<usize>> = vec![None; cols.len()];
    let mut ok = true;
    for (ci, _) in values {
        let x = &row.cells[*ci].x;
        // Columns are sorted by position: only those from the first that ends after `x`.
        let from = cols.partition_point(|c| c.x.end <= x.start);
        let mut over = cols[from..]
            .iter()
            .enumerate()
            .take_while(|(_, c)| c.x.start < x.end)
            .filter(|(_, c)| overlaps(&c.x, x))
            .map(|(j, c)| (j + from, c));
        match (over.next(), over.next()) {
            (Some((j, _)), None) if slots[j].is_none() => slots[j] = Some(*ci),
            _ => {
                ok = false;
                break;
            }
        }
    }
    if ok {
        return Some(slots);
    }
    if row.layout == Layout::Spaced && values.len() == cols.len() {
        return Some(values.iter().map(|v| Some(v.0)).collect());
    }
    None
}

pub(super) fn blank_cell(row: &RawRow, x: Option<&Range<u32>>) -> (CellValue, Range<usize>) {
    let at = x
        .and_then(|x| row.cells.iter().find(|c| overlaps(&c.x, x)))
        .map_or(row.span.end..row.span.end, |c| c.span.clone());
    (CellValue::Blank, at)
}

/// The table read with the best schema: cells with their text, and version markers (labels
/// found that only this format has).
pub(super) fn finish_table(f: Fit, schemas: &Schemas) -> Table {
    let spec = f.spec;
    let k = schemas.keys(f.index);
    let unique = schemas.index().unique.get(f.index);
    let mut markers = Vec::new();
    let single = !schemas
        .all
        .iter()
        .any(|o| o.id == spec.id && o.version != spec.version);
    for (is_row, i, span) in &f.found {
        let u = match (is_row, unique) {
            (true, Some(u)) => u.0.get(*i),
            (false, Some(u)) => u.1.get(*i),
            (_, None) => None,
        };
        // Only one format has this table (统计表): its first label tells the format.
        if u != Some(&true) && !(single && markers.is_empty()) {
            continue;
        }
        let label = if *is_row {
            spec.rows.get(*i).map(|r| r.display())
        } else {
            spec.columns.get(*i).map(|c| c.label.clone())
        };
        if let Some(label) = label {
            markers.push(VersionMarker {
                version: spec.version.clone(),
                label,
                span: span.clone(),
            });
        }
    }
    let cells = f
        .cells
        .into_iter()
        .map(|c| c.map(|(value, span)| Cell { value, span }))
        .collect();
    Table {
        id: spec.id.clone(),
        version: (!markers.is_empty()).then(|| spec.version.clone()),
        span: f.span,
        readable: f.problems.is_empty(),
        name: spec.name.clone(),
        name_en: spec.name_en.clone(),
        rows: k.rows_info.clone(),
        cols: k.cols_info.clone(),
        row_spans: f.row_spans,
        cells,
        problems: f.problems,
        markers,
        grid: None,
        placeholder: false,
    }
}
