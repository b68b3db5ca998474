//! Reading plans: how a segment's shape was read, cached per thread so that tables of the same
//! shape in other reports are placed without fitting again.

use super::*;

/// Plans kept per thread before the cache is emptied.
pub(super) const PLAN_CACHE: usize = 512;

thread_local! {
    // How a table was read, by the shape of its rows: pure results, see `fit_best`.
    pub(super) static PLANS: std::cell::RefCell<Map<Box<[u8]>, std::rc::Rc<Plan>>> =
        std::cell::RefCell::default();
}

/// Where a span of a table lies in its segment: a cell, a whole row, or the end of a row.
#[derive(Clone, Copy)]
pub(super) enum Pos {
    Cell(u32, u32),
    Row(u32),
    End(u32),
}

/// How a readable table was read, by positions in its segment rather than by offsets.
pub(super) struct Plan {
    pub(super) index: usize,
    pub(super) row_spans: Vec<Option<Pos>>,
    pub(super) cells: Vec<Option<Pos>>,
    pub(super) found: Vec<(bool, usize, Pos)>,
}

/// The shape of a segment: for each row its layout, its label cells (the row signature) and
/// where its cells are and what they hold. Two segments with the same key are read the same
/// way. `None` when the labels index is not the cached one.
///
/// The key is bytes, each part of fixed width or preceded by its length, so that two shapes
/// do not give the same key: per row the layout, the signature's length and bytes, the number
/// of cells, and per cell what it holds and its columns (two bytes each). Columns past 65,535
/// share one value, so only rows reaching that far (a grid that wide, or a text row pushed
/// there by as many columns of leading white space) could give two shapes one key; tables
/// are a few dozen columns wide.
/// Building it as a `String` of characters was a third of the time of a plan lookup.
pub(super) fn plan_key(
    rows: &[RawRow],
    an: &[Analysed],
    seg: &Segment,
    schemas: &Schemas,
    prefer: Option<&str>,
) -> Option<Vec<u8>> {
    let mut k = Vec::with_capacity(64 * seg.rows.len());
    let prefer = prefer.unwrap_or("").as_bytes();
    k.extend_from_slice(&schemas.index().id.to_le_bytes());
    k.extend_from_slice(&seg.ids.to_le_bytes());
    k.extend_from_slice(&len32(prefer.len()));
    k.extend_from_slice(prefer);
    for &r in &seg.rows {
        let (row, a) = (rows.get(r)?, an.get(r)?);
        k.push(match (row.layout, row.separator) {
            (_, true) => b's',
            (Layout::Indexed, _) => b'i',
            (Layout::Spaced, _) => b'p',
        });
        k.extend_from_slice(&len32(a.info.sig.len()));
        k.extend_from_slice(a.info.sig.as_bytes());
        k.extend_from_slice(&len32(row.cells.len()));
        for (i, c) in row.cells.iter().enumerate() {
            let kind = if c.text.is_empty() {
                b'e'
            } else if a.parts.values.iter().any(|v| v.0 == i) {
                b'v'
            } else {
                b'l'
            };
            let col = |x: u32| u16::try_from(x).unwrap_or(u16::MAX).to_le_bytes();
            let (x0, x1) = (col(c.x.start), col(c.x.end));
            k.extend_from_slice(&[kind, x0[0], x0[1], x1[0], x1[1]]);
        }
    }
    Some(k)
}

/// A length in a plan key: four bytes (a row has far fewer than 2^32 cells or bytes).
fn len32(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes()
}

pub(super) fn pos_of(span: &Range<usize>, rows: &[RawRow], seg: &Segment) -> Option<Pos> {
    for (j, &r) in seg.rows.iter().enumerate() {
        let row = rows.get(r)?;
        let j = u32::try_from(j).ok()?;
        if let Some(k) = row.cells.iter().position(|c| c.span == *span) {
            return Some(Pos::Cell(j, u32::try_from(k).ok()?));
        }
        if row.span == *span {
            return Some(Pos::Row(j));
        }
        if span.is_empty() && span.start == row.span.end {
            return Some(Pos::End(j));
        }
    }
    None
}

pub(super) fn span_of(p: Pos, rows: &[RawRow], seg: &Segment) -> Option<Range<usize>> {
    let row = |j: u32| rows.get(*seg.rows.get(j as usize)?);
    Some(match p {
        Pos::Cell(j, k) => row(j)?.cells.get(k as usize)?.span.clone(),
        Pos::Row(j) => row(j)?.span.clone(),
        Pos::End(j) => {
            let e = row(j)?.span.end;
            e..e
        }
    })
}

pub(super) fn make_plan(f: &Fit, rows: &[RawRow], seg: &Segment) -> Option<Plan> {
    let opt = |s: &Option<Range<usize>>| -> Option<Option<Pos>> {
        match s {
            None => Some(None),
            Some(s) => pos_of(s, rows, seg).map(Some),
        }
    };
    Some(Plan {
        index: f.index,
        row_spans: f.row_spans.iter().map(opt).collect::<Option<Vec<_>>>()?,
        cells: f
            .cells
            .iter()
            .map(|c| opt(&c.as_ref().map(|c| c.1.clone())))
            .collect::<Option<Vec<_>>>()?,
        found: f
            .found
            .iter()
            .map(|(r, i, s)| pos_of(s, rows, seg).map(|p| (*r, *i, p)))
            .collect::<Option<Vec<_>>>()?,
    })
}

/// Reads a segment with a plan. `None` (read it in full) when a row may hold digits run
/// together, which the plan's shape cannot tell.
pub(super) fn apply_plan(
    plan: &Plan,
    rows: &[RawRow],
    an: &[Analysed],
    seg: &Segment,
    schemas: &Schemas,
    text: &str,
) -> Option<Table> {
    let spec = schemas.all.get(plan.index)?;
    let mut f = Fit::new(spec, plan.index);
    let (a, b) = (rows.get(*seg.rows.first()?)?, rows.get(*seg.rows.last()?)?);
    f.span = a.span.start..b.span.end.max(a.span.start);
    for (slot, p) in f.row_spans.iter_mut().zip(&plan.row_spans) {
        *slot = match p {
            Some(p) => Some(span_of(*p, rows, seg)?),
            None => None,
        };
    }
    for (slot, p) in f.cells.iter_mut().zip(&plan.cells) {
        let Some(p) = *p else { continue };
        let span = span_of(p, rows, seg)?;
        let value = match p {
            Pos::Cell(j, k) => {
                let r = *seg.rows.get(j as usize)?;
                an.get(r)?
                    .parts
                    .values
                    .iter()
                    .find(|v| v.0 == k as usize)
                    .map_or(CellValue::Blank, |v| v.1.clone())
            }
            _ => CellValue::Blank,
        };
        *slot = Some((value, span));
    }
    for (is_row, i, p) in &plan.found {
        f.found.push((*is_row, *i, span_of(*p, rows, seg)?));
    }
    // Digits run together show only in the numbers: check the rows with blank cells.
    let ncols = spec.columns.len().max(1);
    for row in f.cells.chunks(ncols) {
        let blanks = row
            .iter()
            .filter(|c| c.as_ref().is_some_and(|c| c.0 == CellValue::Blank))
            .count();
        if blanks == 0 || ncols < 3 {
            continue;
        }
        let longest = row
            .iter()
            .flatten()
            .filter(|c| c.0.is_filled())
            .filter_map(|c| text.get(c.1.clone()))
            .map(|t| t.chars().filter(|c| cn::ascii_digit(*c).is_some()).count())
            .max()
            .unwrap_or(0);
        if longest >= 2 + blanks.min(2) {
            return None;
        }
    }
    Some(finish_table(f, schemas))
}
