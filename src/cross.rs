//! Checks across reports (NB5xx): the same body's reports of consecutive years, compared
//! after every file of the run has been checked.
//!
//! How it stays streaming with bounded memory: while files are checked, each annual report
//! leaves an [`Entry`] of 16 bytes (the input, the body as a number, the year). Per-file
//! results are emitted as usual, in input order. When every file is done, entries are
//! grouped by body; only groups that hold two consecutive years are looked at again: those
//! files are re-read, one group at a time, the kinds of the cross-report rules compare each
//! pair (their [`Digest`]s, with the carry-over rows of 表三 read again), and the findings
//! are emitted after the per-file results, group by group (groups in the order of their
//! first file, files in input order), so the output is the same whatever the thread count. Re-reading costs one
//! extra read of the files that have a neighbouring year, and nothing for the others; in
//! exchange, similarity is exact rather than estimated from a sketch, and the snippets of
//! cross-report findings can be shown like any other.
//!
//! A year with two reports of the same body in the run (the same report as .md and .docx,
//! or two bodies with the same name) is ambiguous and is left out of the comparison.

use crate::report::Report;
use crate::report::similarity::body_key;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// The seven columns of 表三, in the order of the official form.
pub const REQUEST_COLUMNS: [&str; 7] = [
    "natural",
    "business",
    "research",
    "nonprofit",
    "legal",
    "other_org",
    "total",
];

/// Chinese labels of [`REQUEST_COLUMNS`].
pub const REQUEST_COLUMNS_ZH: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// One row of 表三 as numbers: a value per column (None when blank or unreadable) and the
/// span of each cell (for labels).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarryRow {
    pub values: [Option<i64>; 7],
    pub spans: [Option<Range<usize>>; 7],
}

impl CarryRow {
    /// The span covering the row's cells, for the primary label.
    pub fn span(&self) -> Option<Range<usize>> {
        let starts = self.spans.iter().flatten().map(|s| s.start).min()?;
        let ends = self.spans.iter().flatten().map(|s| s.end).max()?;
        Some(starts..ends)
    }
}

/// What the cross-report checks know of one report: who published it, the year, and (in the
/// cross-report pass) the carry-over rows of 表三.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    /// Who published the report (config `agency`, or the title's), normalised by
    /// [`body_key`].
    pub body: String,
    pub year: i32,
    /// 表三 二、上年结转 and 四、结转下年度继续办理, read in the cross-report pass.
    pub carried_in: Option<Box<CarryRow>>,
    pub carry_over: Option<Box<CarryRow>>,
}

/// The digest of a checked annual report, or None when it has no body or year. The
/// carry-over rows are left out: they are read again with the report in the cross-report
/// pass (see `engine::cross_group`).
pub fn digest(report: &Report, agency_override: Option<&str>) -> Option<Digest> {
    let year = report.meta.year?;
    let agency = agency_override.or(report.meta.agency.as_deref())?;
    let body = body_key(agency);
    if body.is_empty() {
        return None;
    }
    Some(Digest {
        body,
        year,
        carried_in: None,
        carry_over: None,
    })
}

/// What the first pass keeps of each annual report until every file is checked: 16 bytes,
/// the body as a number given by [`Bodies`], so memory grows little with the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Index of the input in the run.
    pub input: u32,
    /// Index of the file's profile (its configuration).
    pub profile: u32,
    /// The body, numbered by [`Bodies`].
    pub body: u32,
    pub year: i32,
}

/// Numbers the bodies of a run, in the order they are first seen.
#[derive(Debug, Default)]
pub struct Bodies(HashMap<Box<str>, u32>);

impl Bodies {
    /// The entry for the digest of input `input`, checked with profile `profile`. None only
    /// beyond four billion inputs, bodies or profiles.
    pub fn entry(&mut self, d: &Digest, input: usize, profile: usize) -> Option<Entry> {
        let body = match self.0.get(d.body.as_str()) {
            Some(&b) => b,
            None => {
                let b = u32::try_from(self.0.len()).ok()?;
                self.0.insert(d.body.as_str().into(), b);
                b
            }
        };
        Some(Entry {
            input: u32::try_from(input).ok()?,
            profile: u32::try_from(profile).ok()?,
            body,
            year: d.year,
        })
    }
}

/// 表三's 二、上年结转 (`carried_in`) and 四、结转下年度继续办理 (`carry_over`) rows, from
/// the first readable `requests` table. An unreadable table gives nothing: lost cells must
/// not become a carry-over break.
pub fn carry_rows(report: &Report) -> (Option<CarryRow>, Option<CarryRow>) {
    let Some(t) = report.table("requests").filter(|t| t.readable) else {
        return (None, None);
    };
    let row = |id: &str| {
        let mut r = CarryRow::default();
        for (i, col) in REQUEST_COLUMNS.iter().enumerate() {
            r.values[i] = t.int(id, col);
            r.spans[i] = t.cell(id, col).map(|c| c.span.clone());
        }
        r.spans.iter().any(Option::is_some).then_some(r)
    };
    (row("carried_in"), row("carry_over"))
}

/// Two reports of one body for consecutive years: `previous.year + 1 == current.year`.
#[derive(Clone, Copy, Debug)]
pub struct Pair<'a> {
    pub current: &'a Digest,
    pub previous: &'a Digest,
    pub current_path: &'a str,
    pub previous_path: &'a str,
}

/// Groups entries by body and returns, per group that has at least one pair, the indices
/// (into `entries`) of its members with an unambiguous year, sorted by year. Groups come in
/// the order of their first input.
pub fn groups(entries: &[Entry]) -> Vec<Vec<usize>> {
    let mut by_body: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_body.entry(e.body).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    for members in by_body.into_values() {
        let mut per_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for i in members {
            per_year.entry(entries[i].year).or_default().push(i);
        }
        let single: Vec<usize> = per_year
            .values()
            .filter(|v| v.len() == 1)
            .map(|v| v[0])
            .collect();
        let has_pair = single
            .windows(2)
            .any(|w| entries[w[0]].year + 1 == entries[w[1]].year);
        if has_pair {
            out.push(single);
        }
    }
    // Each input is in one group at most, so this order is total.
    out.sort_by_key(|g| g.iter().map(|&i| entries[i].input).min());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(input: u32, body: u32, year: i32) -> Entry {
        Entry {
            input,
            profile: 0,
            body,
            year,
        }
    }

    #[test]
    fn bodies_are_numbered_once() {
        let mut b = Bodies::default();
        let dg = |body: &str, year| Digest {
            body: body.to_owned(),
            year,
            carried_in: None,
            carry_over: None,
        };
        let e = [
            b.entry(&dg("青山镇", 2021), 0, 1),
            b.entry(&dg("白水镇", 2021), 1, 0),
            b.entry(&dg("青山镇", 2022), 2, 0),
        ];
        assert_eq!(e.map(|e| e.map(|e| e.body)), [Some(0), Some(1), Some(0)]);
        assert_eq!(
            e[0].map(|e| (e.input, e.profile, e.year)),
            Some((0, 1, 2021))
        );
    }

    #[test]
    fn grouping() {
        let ds = vec![
            d(0, 0, 2021),
            d(1, 1, 2021),
            d(2, 0, 2022),
            d(3, 2, 2020),
            d(4, 2, 2022),
            d(5, 1, 2022),
            d(6, 1, 2022),
        ];
        // 红石镇 has no consecutive years; 白水镇's 2022 is ambiguous.
        assert_eq!(groups(&ds), vec![vec![0, 2]]);
    }
}
