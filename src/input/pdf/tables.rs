//! Ruled tables: the grid of horizontal and vertical rules found on a page (rows and
//! columns from the rule positions, merged cells where an inner rule is missing), the
//! text put in the cell that contains it, and a table continued on the next page joined
//! to its first part.

use super::interpreter::{Run, Seg};
use super::layout::lines;
use crate::input::doc_builder::{Cell, one_line};
use std::collections::HashMap;

/// A cell of a rebuilt table: its grid rectangle (rows and columns, inclusive) and text.
#[derive(Clone, Debug)]
pub(super) struct PCell {
    r0: usize,
    c0: usize,
    r1: usize,
    c1: usize,
    pub(super) text: String,
}

/// A table rebuilt from rules.
#[derive(Clone, Debug)]
pub(super) struct TableBox {
    pub(super) cells: Vec<PCell>,
    pub(super) nrows: usize,
    /// Column boundaries, to join a table continued on the next page.
    pub(super) cols: Vec<f32>,
    pub(super) top: f32,
}

impl TableBox {
    /// Appends the part of the table on the next page. A merged cell that reaches the
    /// bottom of this part and is continued by an empty merged cell at the top of the next
    /// one (a vertical merge across the page break, fixtures/inputs/qingshan-libreoffice.pdf)
    /// becomes one cell.
    pub(super) fn join(&mut self, next: &TableBox) {
        let base = self.nrows;
        for c in &next.cells {
            if c.r0 == 0
                && c.text.is_empty()
                && let Some(open) = self.cells.iter_mut().find(|o| {
                    o.r1 + 1 == base && o.c0 == c.c0 && o.c1 == c.c1 && o.r0 + 1 < base + 1
                })
            {
                open.r1 = base + c.r1;
                continue;
            }
            self.cells.push(PCell {
                r0: c.r0 + base,
                r1: c.r1 + base,
                ..c.clone()
            });
        }
        self.nrows += next.nrows;
    }

    /// The cells row by row in the HTML model (each cell in the row where it starts).
    pub(super) fn rows(&self) -> Vec<Vec<Cell>> {
        let mut cells: Vec<&PCell> = self.cells.iter().collect();
        cells.sort_by_key(|c| (c.r0, c.c0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); self.nrows];
        for c in cells {
            if let Some(row) = rows.get_mut(c.r0) {
                row.push(Cell::new(
                    c.text.clone(),
                    (c.c1 - c.c0 + 1) as u32,
                    (c.r1 - c.r0 + 1) as u32,
                ));
            }
        }
        rows
    }
}

/// A grid of rules found on a page.
pub(super) struct Lattice {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// For each pair of horizontally adjacent cells (row, col) | (row, col+1): is there a
    /// rule between them; likewise vertically.
    vrule: Vec<Vec<bool>>,
    hrule: Vec<Vec<bool>>,
}

pub(super) const TOL: f32 = 2.0;

impl Lattice {
    pub(super) fn contains(&self, x: f32, y: f32) -> bool {
        let (Some(&x0), Some(&x1), Some(&ytop), Some(&ybot)) = (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) else {
            return false;
        };
        x >= x0 - TOL && x <= x1 + TOL && y <= ytop + TOL && y >= ybot - TOL
    }

    fn col_of(&self, x: f32) -> usize {
        self.xs
            .windows(2)
            .position(|w| x < w[1])
            .unwrap_or(self.xs.len().saturating_sub(2))
    }

    fn row_of(&self, y: f32) -> usize {
        self.ys
            .windows(2)
            .position(|w| y > w[1])
            .unwrap_or(self.ys.len().saturating_sub(2))
    }

    /// Puts the runs in their cells and merges cells where inner rules are missing.
    pub(super) fn fill(&self, runs: Vec<Run>) -> Option<TableBox> {
        let nr = self.ys.len().checked_sub(1)?;
        let nc = self.xs.len().checked_sub(1)?;
        if nr == 0 || nc < 2 || nr.saturating_mul(nc) > crate::input::doc_builder::MAX_TABLE_CELLS {
            return None;
        }
        // Union of cells into merged regions.
        let mut parent: Vec<usize> = (0..nr * nc).collect();
        fn find(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        for r in 0..nr {
            for c in 0..nc {
                if c + 1 < nc && !self.vrule[r][c] {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, r * nc + c + 1),
                    );
                    parent[a] = b;
                }
                if r + 1 < nr && !self.hrule[r][c] {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, (r + 1) * nc + c),
                    );
                    parent[a] = b;
                }
            }
        }
        // Bounding box of each region.
        let mut bbox: HashMap<usize, (usize, usize, usize, usize)> = HashMap::new();
        for r in 0..nr {
            for c in 0..nc {
                let root = find(&mut parent, r * nc + c);
                let e = bbox.entry(root).or_insert((r, c, r, c));
                e.0 = e.0.min(r);
                e.1 = e.1.min(c);
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
            }
        }
        // Text of each region, in reading order.
        let mut texts: HashMap<usize, Vec<Run>> = HashMap::new();
        for run in runs {
            let cx = (run.x0 + run.x1) / 2.0;
            let cy = run.y + run.size * 0.3;
            let (r, c) = (self.row_of(cy), self.col_of(cx));
            if r < nr && c < nc {
                let root = find(&mut parent, r * nc + c);
                texts.entry(root).or_default().push(run);
            }
        }
        let mut cells: Vec<PCell> = Vec::new();
        let mut done = vec![false; nr * nc];
        for r in 0..nr {
            for c in 0..nc {
                if done[r * nc + c] {
                    continue;
                }
                let root = find(&mut parent, r * nc + c);
                let (r0, c0, r1, c1) = bbox.get(&root).copied().unwrap_or((r, c, r, c));
                for rr in r0..=r1 {
                    for cc in c0..=c1 {
                        if let Some(d) = done.get_mut(rr * nc + cc) {
                            *d = true;
                        }
                    }
                }
                let cell_lines = lines(texts.remove(&root).unwrap_or_default());
                let text = one_line(
                    &cell_lines
                        .iter()
                        .map(|l| l.text.replace('\t', " "))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                cells.push(PCell {
                    r0,
                    c0,
                    r1,
                    c1,
                    text,
                });
            }
        }
        Some(TableBox {
            cells,
            nrows: nr,
            cols: self.xs.clone(),
            top: self.ys.first().copied().unwrap_or(0.0),
        })
    }
}

/// Clusters coordinates within the tolerance (sorted input).
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= TOL => {}
            _ => out.push(x),
        }
    }
    out
}

/// Tables from ruling lines: groups of crossing horizontal and vertical rules.
pub(super) fn find_tables(segs: &[Seg]) -> Vec<Lattice> {
    let n = segs.len();
    if n < 4 {
        return Vec::new();
    }
    // Connected components of crossing rules. Sorting by position keeps this near-linear
    // for ordinary tables; the rule count is capped when collected.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let hs: Vec<usize> = (0..n).filter(|&i| segs[i].horizontal).collect();
    let mut vs: Vec<usize> = (0..n).filter(|&i| !segs[i].horizontal).collect();
    vs.sort_by(|&a, &b| segs[a].at.total_cmp(&segs[b].at));
    let mut crossings = 0usize;
    for &h in &hs {
        let hseg = segs[h];
        let lo = vs.partition_point(|&v| segs[v].at < hseg.from - TOL);
        for &v in &vs[lo..] {
            let vseg = segs[v];
            if vseg.at > hseg.to + TOL {
                break;
            }
            if hseg.at >= vseg.from - TOL && hseg.at <= vseg.to + TOL {
                let (a, b) = (find(&mut parent, h), find(&mut parent, v));
                parent[a] = b;
                crossings += 1;
                if crossings > 2_000_000 {
                    return Vec::new();
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let members = &groups[&k];
        let xs = cluster(
            members
                .iter()
                .filter(|&&i| !segs[i].horizontal)
                .map(|&i| segs[i].at)
                .collect(),
        );
        let mut ys = cluster(
            members
                .iter()
                .filter(|&&i| segs[i].horizontal)
                .map(|&i| segs[i].at)
                .collect(),
        );
        ys.reverse();
        if xs.len() < 3 || ys.len() < 2 {
            continue;
        }
        let nr = ys.len() - 1;
        let nc = xs.len() - 1;
        if nr.saturating_mul(nc) > crate::input::doc_builder::MAX_TABLE_CELLS {
            continue;
        }
        let covers = |horizontal: bool, at: f32, mid: f32| {
            members.iter().any(|&i| {
                let s = segs[i];
                s.horizontal == horizontal
                    && (s.at - at).abs() <= TOL
                    && s.from - TOL <= mid
                    && s.to + TOL >= mid
            })
        };
        let mut vrule = vec![vec![true; nc.saturating_sub(1)]; nr];
        let mut hrule = vec![vec![true; nc]; nr.saturating_sub(1)];
        for r in 0..nr {
            let ymid = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..nc.saturating_sub(1) {
                vrule[r][c] = covers(false, xs[c + 1], ymid);
            }
        }
        for r in 0..nr.saturating_sub(1) {
            for c in 0..nc {
                let xmid = (xs[c] + xs[c + 1]) / 2.0;
                hrule[r][c] = covers(true, ys[r + 1], xmid);
            }
        }
        // Pad so that indexing by (row, col) in `fill` is total.
        for row in &mut vrule {
            row.push(true);
        }
        hrule.push(vec![true; nc]);
        out.push(Lattice {
            xs,
            ys,
            vrule,
            hrule,
        });
    }
    out
}
