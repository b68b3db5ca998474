//! 表四 as one row of 15 numbers: the three blocks of five columns placed by their labels.

use super::*;

/// 表四 laid out as one row of 15 numbers: blocks (行政复议, 未经复议直接起诉, 复议后起诉) of
/// the five columns. Blocks are placed by their labels in the header; when those are garbled
/// but every column label appears once per block, in the official order.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_blocks(
    t: &mut Fit,
    k: &SpecKeys,
    hdr: &[(&RawRow, &Analysed)],
    seg_rows: &[&RawRow],
    orphans: &[usize],
    hits: Vec<ColHit>,
    score: &mut i32,
) {
    let spec = t.spec;
    let ncols = spec.columns.len();
    let nrows = spec.rows.len();
    let occ = assign(hits, ncols, true);
    *score += occ.iter().map(|c| i32::from(c.q)).sum::<i32>();
    // Block labels in the header.
    let mut blocks: Vec<(usize, u32, Range<usize>)> = Vec::new();
    for (row, a) in hdr {
        for (ci, key) in a.cell_keys() {
            let Some(c) = row.cells.get(ci) else {
                continue;
            };
            if let Some(list) = k.rows.get(key)
                && let Some(&(r, q)) = list.first()
                && !blocks.iter().any(|b| b.0 == r)
            {
                blocks.push((r, c.x.start, c.span.clone()));
                *score += i32::from(q);
                if let Some(rs) = t.row_spans.get_mut(r) {
                    *rs = Some(c.span.clone());
                }
            }
        }
    }
    blocks.sort_by_key(|b| b.1);
    // (block row, column) for each occurrence.
    let mut cells_at: Vec<(usize, usize, Range<u32>)> = Vec::new();
    let by_label = blocks.len() == nrows;
    let mut counts = vec![0usize; ncols];
    for o in &occ {
        if let Some(c) = counts.get_mut(o.col) {
            *c += 1;
        }
    }
    if by_label {
        for o in &occ {
            if let Some(b) = blocks.iter().rev().find(|b| b.1 <= o.x.start) {
                cells_at.push((b.0, o.col, o.x.clone()));
            }
        }
    } else if counts.iter().all(|&c| c == nrows) {
        let mut seen = vec![0usize; ncols];
        for o in &occ {
            let b = seen[o.col];
            seen[o.col] += 1;
            cells_at.push((b, o.col, o.x.clone()));
        }
    }
    let complete = cells_at.len() == nrows * ncols && {
        let mut pairs: Vec<(usize, usize)> = cells_at.iter().map(|c| (c.0, c.1)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs.len() == nrows * ncols
    };
    if !complete {
        let missing: Vec<String> = spec
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| counts[*i] < nrows)
            .map(|(_, c)| c.display().to_owned())
            .collect();
        t.problems.push(Problem::MissingColumns {
            missing: if missing.is_empty() {
                spec.rows.iter().map(|r| r.display()).collect()
            } else {
                missing
            },
            found: occ.len(),
        });
        return;
    }
    if orphans.len() != 1 {
        for &o in &orphans[1..] {
            t.problems.push(Problem::OrphanValues {
                span: seg_rows[o].span.clone(),
            });
        }
    }
    let Some(&o) = orphans.first() else { return };
    let row = seg_rows[o];
    let values = analyse(row, &mut Scratch::default()).parts.values;
    let expected = nrows * ncols;
    let xs: Vec<Range<u32>> = cells_at.iter().map(|c| c.2.clone()).collect();
    let hits_sorted: Vec<ColHit> = xs
        .iter()
        .map(|x| ColHit {
            col: 0,
            x: x.clone(),
            q: 0,
            span: 0..0,
        })
        .collect();
    let Some(slots) = place(row, &values, &hits_sorted) else {
        t.problems.push(Problem::RowMisfit {
            label: spec
                .rows
                .iter()
                .map(|r| r.display())
                .collect::<Vec<_>>()
                .join("、"),
            span: row.span.clone(),
            expected,
            found: values.len(),
        });
        return;
    };
    // Run-together digits across the 15 cells: each block's total is the sum of its parts.
    let filled: Vec<usize> = slots.iter().flatten().copied().collect();
    if filled.len() < expected {
        let blanks = expected - filled.len();
        let longest = filled
            .iter()
            .map(|&ci| {
                row.cells[ci]
                    .text
                    .chars()
                    .filter(|c| cn::ascii_digit(*c).is_some())
                    .count()
            })
            .max()
            .unwrap_or(0);
        if longest >= 2 + blanks {
            let digits: String = filled
                .iter()
                .flat_map(|&ci| row.cells[ci].text.chars())
                .filter_map(|c| cn::ascii_digit(c).and_then(|d| char::from_digit(d, 10)))
                .collect();
            let total = spec
                .row_total
                .as_ref()
                .and_then(|tc| spec.columns.iter().position(|c| &c.id == tc));
            // Groups in the order the cells stand.
            let mut order: Vec<usize> = (0..cells_at.len()).collect();
            order.sort_by_key(|&i| cells_at[i].2.start);
            let groups: Vec<(Range<usize>, usize)> = match total {
                Some(tc) => (0..nrows)
                    .map(|b| {
                        let idx: Vec<usize> = order
                            .iter()
                            .enumerate()
                            .filter(|(_, i)| cells_at[**i].0 == b)
                            .map(|(p, _)| p)
                            .collect();
                        let start = idx.first().copied().unwrap_or(0);
                        let end = idx.last().map_or(0, |e| e + 1);
                        let tpos = order
                            .iter()
                            .position(|&i| cells_at[i].0 == b && cells_at[i].1 == tc)
                            .unwrap_or(end.saturating_sub(1));
                        (start..end, tpos)
                    })
                    .collect(),
                None => Vec::new(),
            };
            let contiguous = groups.iter().all(|g| g.0.len() == ncols);
            let split = if contiguous && !groups.is_empty() {
                unique_split(&digits, &groups)
            } else {
                None
            };
            t.problems.push(Problem::RunTogether {
                label: spec.name.clone(),
                span: row.span.clone(),
                text: digits,
                split,
            });
            return;
        }
    }
    for (slot, (b, c, x)) in slots.iter().zip(cells_at.iter()) {
        let cell = match slot {
            Some(ci) => {
                let rc = &row.cells[*ci];
                (
                    parse_value(rc.text).unwrap_or(CellValue::Unreadable),
                    rc.span.clone(),
                )
            }
            None => blank_cell(row, Some(x)),
        };
        if let Some(s) = t.cells.get_mut(b * ncols + c) {
            *s = Some(cell);
        }
        if let Some(rs) = t.row_spans.get_mut(*b)
            && rs.is_none()
        {
            *rs = Some(row.span.clone());
        }
    }
}
