//! Digits run together (`640020470`): the one split that satisfies the row's total, for a note.

use super::*;

/// Digits run together: fewer numbers than cells, and one number long enough to be several.
/// Returns the problem, with the split that satisfies the row total when there is exactly one.
pub(super) fn run_together(
    spec: &TableSpec,
    d: &DataRow,
    row_values: &[Option<(usize, CellValue)>],
) -> Option<Problem> {
    let n = row_values.len();
    if n < 3 || row_values.iter().all(Option::is_some) {
        return None;
    }
    let filled: Vec<&(usize, CellValue)> = row_values.iter().flatten().collect();
    let blanks = n - filled.len();
    let mut digits = String::new();
    for (ci, v) in &filled {
        if !matches!(v, CellValue::Int(i) if *i >= 0) {
            return None;
        }
        digits.push_str(
            &d.values_row.cells[*ci]
                .text
                .chars()
                .filter_map(|c| cn::ascii_digit(c).and_then(|d| char::from_digit(d, 10)))
                .collect::<String>(),
        );
    }
    let longest = filled
        .iter()
        .map(|(ci, _)| {
            d.values_row.cells[*ci]
                .text
                .chars()
                .filter(|c| cn::ascii_digit(*c).is_some())
                .count()
        })
        .max()
        .unwrap_or(0);
    if digits.len() < n || longest < 2 + blanks {
        return None;
    }
    let total = spec
        .row_total
        .as_ref()
        .and_then(|t| spec.columns.iter().position(|c| &c.id == t));
    let split = total.and_then(|t| unique_split(&digits, &[(0..n, t)]));
    let (ci, _) = filled[0];
    Some(Problem::RunTogether {
        label: spec
            .rows
            .get(d.row)
            .map(|r| r.display())
            .unwrap_or_default(),
        span: d.values_row.cells[*ci].span.start
            ..filled.last().map_or(d.values_row.span.end, |(c, _)| {
                d.values_row.cells[*c].span.end
            }),
        text: digits,
        split,
    })
}

/// Splits `digits` into numbers (no leading zeros) so that, in each group `(range, total)`,
/// the number at `total` equals the sum of the others. Returns the split only when exactly one
/// exists; gives up (None) after a bounded search.
pub(super) fn unique_split(digits: &str, groups: &[(Range<usize>, usize)]) -> Option<Vec<i64>> {
    let n = groups.iter().map(|g| g.0.end).max()?;
    let bytes = digits.as_bytes();
    if bytes.len() < n || bytes.len() > 24 {
        return None;
    }
    let mut found: Vec<Vec<i64>> = Vec::new();
    let mut cur: Vec<i64> = Vec::with_capacity(n);
    let mut steps = 0usize;
    pub(super) fn ok_group(cur: &[i64], groups: &[(Range<usize>, usize)]) -> bool {
        for (r, t) in groups {
            if cur.len() == r.end {
                let sum: i64 = r.clone().filter(|i| i != t).map(|i| cur[i]).sum();
                if cur[*t] != sum {
                    return false;
                }
            }
        }
        true
    }
    #[allow(clippy::too_many_arguments)]
    pub(super) fn go(
        bytes: &[u8],
        pos: usize,
        n: usize,
        cur: &mut Vec<i64>,
        groups: &[(Range<usize>, usize)],
        found: &mut Vec<Vec<i64>>,
        steps: &mut usize,
    ) {
        *steps += 1;
        if found.len() > 1 || *steps > 200_000 {
            return;
        }
        let left = n - cur.len();
        let rest = bytes.len() - pos;
        if left == 0 {
            if rest == 0 {
                found.push(cur.clone());
            }
            return;
        }
        if rest < left {
            return;
        }
        let max_len = (rest - (left - 1)).min(9);
        for len in 1..=max_len {
            if len > 1 && bytes[pos] == b'0' {
                break;
            }
            let v: i64 = bytes[pos..pos + len]
                .iter()
                .fold(0, |a, b| a * 10 + i64::from(b - b'0'));
            cur.push(v);
            if ok_group(cur, groups) {
                go(bytes, pos + len, n, cur, groups, found, steps);
            }
            cur.pop();
        }
    }
    go(bytes, 0, n, &mut cur, groups, &mut found, &mut steps);
    if steps > 200_000 {
        return None;
    }
    (found.len() == 1).then(|| found.remove(0))
}
