//! The statistical tables: every layout a report delivers them in, read into one grid model
//! with a source span per cell, then matched against the templates' table schemas
//! (`[[tables]]` in `rules/templates/*.toml`) by their row and column labels.
//!
//! Layouts (each becomes a list of [`RawRow`]s, then the same matching runs on all of them):
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

use super::cn;
use super::{LineInfo, LineKind, Lines};
use crate::input::{Document, Grid};
use crate::template::{TableSpec, Template, ValueKind};
use std::ops::Range;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// What a cell holds.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Int(i64),
    /// A number with decimals (万元).
    Decimal(f64),
    /// Nothing written: not filled, which is not the same as 0.
    Blank,
    /// `/` `-` `—` `无`: explicitly not filled.
    Dash,
    /// Something that is not a number (or a number too large to be a count).
    Unreadable,
}

impl CellValue {
    /// A number was written.
    pub fn is_filled(&self) -> bool {
        matches!(self, CellValue::Int(_) | CellValue::Decimal(_))
    }

    /// Blank or a dash: not filled.
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Blank | CellValue::Dash)
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            CellValue::Int(i) => Some(*i as f64),
            CellValue::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// The integer value; a decimal only when it has no fractional part (`2.0`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            CellValue::Int(i) => Some(*i),
            CellValue::Decimal(d) if d.fract() == 0.0 && d.abs() < 1e15 => Some(*d as i64),
            _ => None,
        }
    }
}

/// Parses a cell's text. `None` when the text is not a value at all (a label); blank text is
/// `Some(Blank)`. Accepts full-width digits, thousands separators (`1,234`, `1，234`), a sign
/// (`+1036`, `－3`), decimals (`0.25`) and a unit after the number (`251000元`, `3件`).
pub fn parse_value(s: &str) -> Option<CellValue> {
    // Fast path: plain ASCII digits, by far the most common cell (tokenised cells are trimmed).
    if !s.is_empty() && s.len() <= 15 {
        let mut v = 0i64;
        let mut digits = true;
        for b in s.bytes() {
            if b.is_ascii_digit() {
                v = v * 10 + i64::from(b - b'0');
            } else {
                digits = false;
                break;
            }
        }
        if digits {
            return Some(CellValue::Int(v));
        }
    }
    let t = s.trim();
    if t.is_empty() {
        return Some(CellValue::Blank);
    }
    if matches!(
        t,
        "/" | "／" | "-" | "－" | "—" | "——" | "–" | "−" | "--" | "无" | "\\" | "、"
    ) {
        return Some(CellValue::Dash);
    }
    if t.len() > 64 {
        return None;
    }
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok().map(CellValue::Int);
    }
    // A value starts with a digit or a sign: labels are rejected without any work.
    let first = t.chars().next().map(cn::fold_width);
    if !first.is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '−' | '–')) {
        return None;
    }
    let mut buf = String::with_capacity(t.len());
    for c in t.chars() {
        match cn::fold_width(c) {
            '−' | '–' => buf.push('-'),
            c if c.is_whitespace() => return None,
            c => buf.push(c),
        }
    }
    let mut body = buf.as_str();
    for unit in ["万元", "人次", "元", "件", "条", "个", "人", "次", "篇"] {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    let (neg, body) = if let Some(b) = body.strip_prefix('-') {
        (true, b)
    } else if let Some(b) = body.strip_prefix('+') {
        (false, b)
    } else {
        (false, body)
    };
    let (int_part, frac) = match body.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let joined;
    let digits = if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or_default();
        if first.len() > 3 || !all_digits(first) {
            return None;
        }
        let mut d = first.to_owned();
        for g in groups {
            if g.len() != 3 || !all_digits(g) {
                return None;
            }
            d.push_str(g);
        }
        joined = d;
        joined.as_str()
    } else {
        int_part
    };
    if !all_digits(digits) {
        return None;
    }
    if let Some(f) = frac
        && !all_digits(f)
    {
        return None;
    }
    if digits.len() > 15 {
        return Some(CellValue::Unreadable);
    }
    let sign = if neg { -1 } else { 1 };
    match frac {
        None => digits
            .parse::<i64>()
            .ok()
            .map(|v| CellValue::Int(sign * v))
            .or(Some(CellValue::Unreadable)),
        Some(f) => format!("{digits}.{f}")
            .parse::<f64>()
            .ok()
            .map(|v| CellValue::Decimal(sign as f64 * v))
            .or(Some(CellValue::Unreadable)),
    }
}

/// A value that counts as a value cell (not blank).
fn value_like(s: &str) -> Option<CellValue> {
    parse_value(s).filter(|v| !matches!(v, CellValue::Blank))
}

fn is_unit(s: &str) -> bool {
    // Units are one or two CJK characters.
    if s.len() > 6 {
        return false;
    }
    matches!(
        s.trim(),
        "条" | "件" | "个" | "人" | "次" | "篇" | "人次" | "万元" | "元" | "项"
    )
}

// ---------------------------------------------------------------------------------------------
// Label keys
// ---------------------------------------------------------------------------------------------

type Map<K, V> = crate::hash::FnvMap<K, V>;

fn norm_char(c: char) -> Option<char> {
    Some(match cn::fold_width(c) {
        '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '*' | '`' => return None,
        '·' | '・' | '•' | '∙' | '\u{00AD}' => return None,
        '〔' | '【' | '［' => '[',
        '〕' | '】' | '］' => ']',
        '﹝' => '(',
        '﹞' => ')',
        '。' => '.',
        c => c,
    })
}

/// Appends the normalised text of a label to `buf` — without white space, width folded,
/// quotes and the dots PDF extraction scatters dropped, brackets unified — and returns its
/// range. Its segments go to `segs` as ranges of `buf`: the stretches between white space and
/// ordinal markers (`一、` `（一）` `1.` `1．` `1、`, and `其中：`), which are dropped.
/// `（三）不予公开 1.属于国家秘密` → `不予公开`, `属于国家秘密`.
fn norm_into(s: &str, buf: &mut String, segs: &mut Vec<Range<usize>>) -> Range<usize> {
    let start = buf.len();
    // Gaps (white space) are noted first, as empty ranges, then replaced by the segments.
    let g0 = segs.len();
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() {
            gap = buf.len() > start;
            continue;
        }
        let Some(c) = norm_char(c) else { continue };
        if gap {
            segs.push(buf.len()..buf.len());
            gap = false;
        }
        buf.push(c);
    }
    let end = buf.len();
    let ngaps = segs.len() - g0;
    let mut gi = g0;
    let mut i = start;
    let mut seg = start;
    let mut at_start = true;
    while i < end {
        if gi < g0 + ngaps && segs[gi].start <= i {
            gi += 1;
            if seg < i {
                segs.push(seg..i);
            }
            seg = i;
            at_start = true;
        }
        let rest = &buf[i..end];
        let skip = marker_len(rest, at_start).or_else(|| {
            if !at_start {
                None
            } else if rest.starts_with("其中:") {
                Some("其中:".len())
            } else if rest.starts_with("其中") {
                Some("其中".len())
            } else {
                None
            }
        });
        if let Some(len) = skip {
            if seg < i {
                segs.push(seg..i);
            }
            i += len;
            seg = i;
            at_start = true;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
        at_start = false;
    }
    if seg < end {
        segs.push(seg..end);
    }
    segs.drain(g0..g0 + ngaps);
    start..end
}

/// Appends the join of `segs` (ranges of `buf`) to `buf`, without a trailing note, and returns
/// its range.
fn join_into(buf: &mut String, segs: &[Range<usize>]) -> Range<usize> {
    let start = buf.len();
    for r in segs {
        buf.extend_from_within(r.clone());
    }
    let keep = finish_len(&buf[start..]);
    buf.truncate(start + keep);
    start..buf.len()
}

/// The normalised text alone (captions and anchors are compared with it).
fn normalize(s: &str) -> String {
    let mut buf = String::with_capacity(s.len());
    norm_into(s, &mut buf, &mut Vec::new());
    buf
}

/// Length of an ordinal marker at the start of `s` (normalised text): `(一)` `(1)` anywhere,
/// `一、` `1.` `1、` at the start of a segment.
fn marker_len(s: &str, at_start: bool) -> Option<usize> {
    if let Some(r) = s.strip_prefix('(') {
        let close = r.char_indices().take(5).find(|&(_, c)| c == ')')?.0;
        let inner = &r[..close];
        let cn_num = inner.chars().all(|c| cn::digit(c).is_some() || c == '十');
        let ar_num = inner.bytes().all(|b| b.is_ascii_digit());
        if !inner.is_empty() && (cn_num || ar_num) {
            return Some(close + 2);
        }
        return None;
    }
    if !at_start {
        return None;
    }
    let cn_len: usize = s
        .chars()
        .take_while(|&c| cn::digit(c).is_some() || c == '十')
        .take(3)
        .map(char::len_utf8)
        .sum();
    if cn_len > 0 && s[cn_len..].starts_with('、') {
        return Some(cn_len + '、'.len_utf8());
    }
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&d) {
        let after = &s[d..];
        if after.starts_with('、') {
            return Some(d + '、'.len_utf8());
        }
        if after.starts_with('.') && !after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return Some(d + 1);
        }
    }
    None
}

/// How much of a key to keep: without trailing colons and without a trailing note in
/// brackets (when something precedes it).
fn finish_len(k: &str) -> usize {
    let k = k.trim_end_matches(':');
    if k.ends_with(')') {
        let mut depth = 0i32;
        for (i, c) in k.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        return if i > 0 { i } else { k.len() };
                    }
                }
                _ => {}
            }
        }
    }
    k.len()
}

/// The key a label is matched by: `（二）部分公开（区分处理的，…）` and `(二) 部分公开` both
/// give `部分公开`; `3.危及“三安全 一稳定”` gives `危及三安全一稳定`.
pub fn label_key(s: &str) -> String {
    let mut buf = String::with_capacity(s.len() * 2);
    let mut segs = Vec::new();
    norm_into(s, &mut buf, &mut segs);
    let r = join_into(&mut buf, &segs);
    buf[r].to_owned()
}

/// Appends the candidate keys of a row's label cells to `buf`: the joins of the last segments
/// of its last three label cells (`三、本年度办理结果 | （一）予以公开` → `予以公开`,
/// `本年度办理结果予以公开`), shortest first.
fn candidates_into(buf: &mut String, segs: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    let first = segs.len().saturating_sub(6);
    for k in (first..segs.len()).rev() {
        let r = join_into(buf, &segs[k..]);
        if !r.is_empty() {
            out.push(r);
        }
    }
}

/// Candidate keys for label texts (labels merged over several lines; rare).
fn row_candidates(cells: &[&str]) -> Vec<String> {
    let mut buf = String::new();
    let mut per_cell: Vec<Vec<Range<usize>>> = Vec::new();
    for c in cells {
        let mut segs = Vec::new();
        norm_into(c, &mut buf, &mut segs);
        per_cell.push(segs);
    }
    let start = per_cell.len().saturating_sub(3);
    let segs: Vec<Range<usize>> = per_cell[start..].concat();
    let mut out = Vec::new();
    candidates_into(&mut buf, &segs, &mut out);
    out.into_iter().map(|r| buf[r].to_owned()).collect()
}

/// Normalised labels of one table schema, computed once per schema.
#[derive(Clone, Debug, Default)]
pub struct SpecKeys {
    /// Row key → (row index, 3 for the official label, 2 for a variant).
    rows: Map<String, Vec<(usize, u8)>>,
    /// Column key → (column index, quality).
    cols: Map<String, Vec<(usize, u8)>>,
    /// Column keys in column order, for `contains` matching of garbled headers.
    col_list: Vec<(String, usize)>,
    /// Normalised captions (compared without dropping ordinal markers).
    captions: Vec<String>,
    /// Normalised anchors (contained in a cell).
    anchors: Vec<String>,
    /// Keys of group and header labels.
    headers: Vec<String>,
    /// Key of each row's official label, and of each column's.
    row_keys: Vec<String>,
    col_keys: Vec<String>,
    rows_info: Arc<[RowInfo]>,
    cols_info: Arc<[ColInfo]>,
}

/// The normalised labels of one schema.
fn spec_keys(spec: &TableSpec) -> SpecKeys {
    {
        let mut k = SpecKeys::default();
        for (i, r) in spec.rows.iter().enumerate() {
            k.rows.entry(label_key(&r.label)).or_default().push((i, 3));
            for v in &r.variants {
                k.rows.entry(label_key(v)).or_default().push((i, 2));
            }
        }
        for (i, c) in spec.columns.iter().enumerate() {
            let key = label_key(&c.label);
            k.col_list.push((key.clone(), i));
            k.cols.entry(key).or_default().push((i, 3));
            for v in &c.variants {
                let key = label_key(v);
                k.col_list.push((key.clone(), i));
                k.cols.entry(key).or_default().push((i, 2));
            }
        }
        k.captions = spec.captions.iter().map(|c| normalize(c)).collect();
        k.anchors = spec.anchors.iter().map(|c| normalize(c)).collect();
        k.headers = spec.headers.iter().map(|h| label_key(h)).collect();
        k.row_keys = spec.rows.iter().map(|r| label_key(&r.label)).collect();
        k.col_keys = spec.columns.iter().map(|c| label_key(&c.label)).collect();
        k.rows_info = spec
            .rows
            .iter()
            .map(|r| RowInfo {
                id: r.id.clone(),
                label: r.display(),
                value: r.value,
            })
            .collect();
        k.cols_info = spec
            .columns
            .iter()
            .map(|c| ColInfo {
                id: c.id.clone(),
                label: c.display().to_owned(),
                value: c.value,
            })
            .collect();
        k
    }
}

/// What a key stands for in a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Row,
    Column,
    Header,
}

/// Every schema of every template, with one index of their labels, so that each row of the
/// report costs a handful of lookups however many templates there are.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Unique among the indexes of one run: the thread-local caches of row evidence and
    /// reading plans are keyed by it.
    id: u64,
    /// Per schema: its normalised labels.
    keys: Vec<SpecKeys>,
    by_key: Map<String, Vec<(u16, Role)>>,
    captions: Map<String, Vec<u16>>,
    anchors: Vec<(String, Vec<u16>)>,
    /// Per schema: which rows and columns have a label no other format's schema of the same
    /// table has (version markers).
    unique: Vec<(Vec<bool>, Vec<bool>)>,
    /// Per schema: an earlier schema with exactly the same labels (表四 is the same in 2019
    /// and 2021), which reads every segment the same way.
    same_as: Vec<Option<usize>>,
    /// Per schema: the bit of its table id in the id masks of [`Evidence`] (64 ids at most;
    /// schemas of further ids are not read).
    id_bit: Vec<u64>,
}

fn build_index(all: &[&TableSpec]) -> Index {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let mut ix = Index {
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        keys: all.iter().map(|s| spec_keys(s)).collect(),
        ..Index::default()
    };
    let mut ids: Vec<&str> = Vec::new();
    for spec in all {
        let n = match ids.iter().position(|x| *x == spec.id) {
            Some(n) => n,
            None => {
                ids.push(&spec.id);
                ids.len() - 1
            }
        };
        ix.id_bit.push(if n < 64 { 1u64 << n } else { 0 });
    }
    for si in 0..all.len() {
        let i = u16::try_from(si).unwrap_or(u16::MAX);
        let k = &ix.keys[si];
        let mut add = |key: &str, role: Role| {
            let e = ix.by_key.entry(key.to_owned()).or_default();
            if !e.contains(&(i, role)) {
                e.push((i, role));
            }
        };
        for key in k.rows.keys() {
            add(key, Role::Row);
        }
        for key in k.cols.keys() {
            add(key, Role::Column);
        }
        for key in &k.headers {
            add(key, Role::Header);
        }
        for c in &k.captions {
            ix.captions.entry(c.clone()).or_default().push(i);
        }
        for a in &k.anchors {
            match ix.anchors.iter_mut().find(|(x, _)| x == a) {
                Some((_, v)) => v.push(i),
                None => ix.anchors.push((a.clone(), vec![i])),
            }
        }
    }
    for (si, spec) in all.iter().enumerate() {
        let k = &ix.keys[si];
        let others: Vec<&SpecKeys> = all
            .iter()
            .zip(&ix.keys)
            .filter(|(o, _)| o.id == spec.id && o.version != spec.version)
            .map(|(_, ok)| ok)
            .collect();
        let unique = |key: &str| {
            !others.is_empty()
                && !others
                    .iter()
                    .any(|o| o.rows.contains_key(key) || o.cols.contains_key(key))
        };
        ix.unique.push((
            k.row_keys.iter().map(|key| unique(key)).collect(),
            k.col_keys.iter().map(|key| unique(key)).collect(),
        ));
    }
    for (i, spec) in all.iter().enumerate() {
        let same = all[..i].iter().position(|o| {
            o.id == spec.id
                && o.blocks == spec.blocks
                && o.strict_rows == spec.strict_rows
                && o.row_total == spec.row_total
                && o.captions == spec.captions
                && o.anchors == spec.anchors
                && o.headers == spec.headers
                && o.rows.len() == spec.rows.len()
                && o.columns.len() == spec.columns.len()
                && o.rows.iter().zip(&spec.rows).all(|(a, b)| {
                    a.id == b.id
                        && a.label == b.label
                        && a.variants == b.variants
                        && a.required == b.required
                        && a.value == b.value
                        && a.group == b.group
                })
                && o.columns.iter().zip(&spec.columns).all(|(a, b)| {
                    a.id == b.id
                        && a.label == b.label
                        && a.variants == b.variants
                        && a.value == b.value
                })
        });
        ix.same_as.push(same);
    }
    ix
}

impl Index {
    /// The index of every table schema of `templates`, built once per rule set (see
    /// [`crate::report::TemplateSet`]).
    pub fn new(templates: &[Template]) -> Index {
        let all: Vec<&TableSpec> = templates.iter().flat_map(|t| t.tables.iter()).collect();
        build_index(&all)
    }
}

/// All table schemas of all templates, and their index.
struct Schemas<'t> {
    all: Vec<&'t TableSpec>,
    index: &'t Index,
}

impl<'t> Schemas<'t> {
    fn new(set: &'t super::TemplateSet) -> Self {
        let all: Vec<&TableSpec> = set.list.iter().flat_map(|t| t.tables.iter()).collect();
        Schemas {
            all,
            index: &set.tables,
        }
    }

    fn index(&self) -> &'t Index {
        self.index
    }

    /// The normalised labels of the schema at `si` in [`Schemas::all`].
    fn keys(&self, si: usize) -> &'t SpecKeys {
        &self.index.keys[si]
    }
}

// ---------------------------------------------------------------------------------------------
// Raw rows: every layout reduced to cells with spans and horizontal positions
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// Pipe, tab and grid rows: `x` is the column index.
    Indexed,
    /// Space-aligned or plain text: `x` is the display column.
    Spaced,
}

#[derive(Clone, Debug)]
struct RawCell<'a> {
    text: &'a str,
    span: Range<usize>,
    x: Range<u32>,
}

#[derive(Clone, Debug)]
struct RawRow<'a> {
    cells: Vec<RawCell<'a>>,
    span: Range<usize>,
    /// 0-based line in the text; `None` for grid rows.
    line: Option<usize>,
    layout: Layout,
    /// A Markdown separator row (`|---|---|`).
    separator: bool,
    /// Part of a table by its form (tab, pipe, grid), whatever its content.
    tabular: bool,
}

impl RawRow<'_> {
    fn nonempty(&self) -> impl Iterator<Item = &RawCell<'_>> {
        self.cells.iter().filter(|c| !c.text.trim().is_empty())
    }
}

fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    r.start + lead..r.start + lead + t.len()
}

fn pipe_row(text: &str, content: Range<usize>, line: usize) -> RawRow<'_> {
    let s = &text[content.clone()];
    let mut cells = Vec::with_capacity(s.bytes().filter(|&b| b == b'|').count());
    // Cells between pipes; the text before the first pipe (nothing) is not a cell, nor the
    // nothing after a closing pipe.
    let body = s.strip_prefix('|').unwrap_or(s);
    let body = body.strip_suffix('|').unwrap_or(body);
    let mut at = content.start + (s.len() - s.trim_start_matches('|').len()).min(1);
    for (x, part) in (0u32..).zip(body.split('|')) {
        let r = trimmed(text, at..at + part.len());
        at += part.len() + 1;
        cells.push(RawCell {
            text: &text[r.clone()],
            span: r,
            x: x..x + 1,
        });
    }
    let separator = !cells.is_empty()
        && cells.iter().all(|c| {
            let t = c.text.trim();
            !t.is_empty() && t.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        });
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Indexed,
        separator,
        tabular: true,
    }
}

fn tab_row(text: &str, range: Range<usize>, content: Range<usize>, line: usize) -> RawRow<'_> {
    let s = &text[range.clone()];
    let mut cells = Vec::with_capacity(s.bytes().filter(|&b| b == b'\t').count() + 1);
    let mut start = 0usize;
    let mut x = 0u32;
    for (i, c) in s
        .bytes()
        .enumerate()
        .chain(std::iter::once((s.len(), b'\t')))
    {
        if c == b'\t' {
            let r = trimmed(text, range.start + start..range.start + i);
            cells.push(RawCell {
                text: &text[r.clone()],
                span: r,
                x: x..x + 1,
            });
            x += 1;
            start = i + 1;
        }
    }
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Indexed,
        separator: false,
        tabular: true,
    }
}

fn char_width(c: char) -> u32 {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A text line split at runs of white space at least two columns wide; a cell made only of
/// numbers separated by single spaces is split into one cell per number, and a plain line
/// `label 12 2 0` has its trailing numbers split off.
fn spaced_row(text: &str, range: Range<usize>, content: Range<usize>, line: usize) -> RawRow<'_> {
    // Positions count from the start of the line: leading spaces place a header label above
    // its column.
    let lead: u32 = text[range.start..content.start]
        .chars()
        .map(char_width)
        .sum();
    let s = &text[content.clone()];
    // Tokens: (byte range in s, x range), separated by any white space.
    let mut tokens: Vec<(Range<usize>, Range<u32>, u32)> = Vec::new(); // (.., gap width before)
    let mut x = lead;
    let mut gap = 0u32;
    let mut cur: Option<(usize, u32)> = None;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if c.is_whitespace() {
            if let Some((st, sx)) = cur.take() {
                tokens.push((st..i, sx..x, gap));
                gap = 0;
            }
            gap += w;
        } else if cur.is_none() {
            cur = Some((i, x));
        }
        x += w;
    }
    if let Some((st, sx)) = cur {
        tokens.push((st..s.len(), sx..x, gap));
    }
    // Group tokens into cells: a gap of 2+ columns separates cells; within a cell, tokens that
    // are all values become separate cells.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if i == 0 || t.2 >= 2 {
            groups.push(vec![i]);
        } else if let Some(g) = groups.last_mut() {
            g.push(i);
        }
    }
    let mut cells = Vec::new();
    let mut push = |a: usize, b: usize| {
        let r = content.start + tokens[a].0.start..content.start + tokens[b].0.end;
        cells.push(RawCell {
            text: &text[r.clone()],
            span: r,
            x: tokens[a].1.start..tokens[b].1.end,
        });
    };
    for g in &groups {
        let is_val = |&i: &usize| value_like(&s[tokens[i].0.clone()]).is_some();
        if g.len() > 1 && g.iter().all(is_val) {
            for &i in g {
                push(i, i);
            }
        } else if g.len() >= 3
            && g.iter().all(|&i| {
                let t = &s[tokens[i].0.clone()];
                t.chars().count() >= 2 && marker_len(&normalize(t), true).is_none()
            })
            && !g.iter().any(is_val)
        {
            // A header written with single spaces: `自然人 商业企业 科研机构 …`.
            for &i in g {
                push(i, i);
            }
        } else if g.len() > 1 {
            // `label 12 2 0`: split the trailing numbers.
            let tail = g.iter().rev().take_while(|i| is_val(i)).count();
            let head_end = g[g.len() - tail - 1];
            push(g[0], head_end);
            for &i in &g[g.len() - tail..] {
                push(i, i);
            }
        } else {
            push(g[0], g[0]);
        }
    }
    RawRow {
        cells,
        span: content,
        line: Some(line),
        layout: Layout::Spaced,
        separator: false,
        tabular: false,
    }
}

fn grid_rows(g: &Grid) -> Vec<RawRow<'_>> {
    let mut out = Vec::with_capacity(g.rows.len());
    for row in &g.rows {
        let mut cells = Vec::with_capacity(row.len());
        for (j, c) in row.iter().enumerate() {
            if c.covered_by.is_some() {
                continue;
            }
            let j = u32::try_from(j).unwrap_or(u32::MAX - 1);
            cells.push(RawCell {
                text: c.text.trim(),
                span: c.span.clone(),
                x: j..j.saturating_add(c.col_span.max(1)),
            });
        }
        let start = cells
            .iter()
            .map(|c| c.span.start)
            .min()
            .unwrap_or(g.span.start);
        let end = cells.iter().map(|c| c.span.end).max().unwrap_or(start);
        out.push(RawRow {
            cells,
            span: start..end.max(start),
            line: None,
            layout: Layout::Indexed,
            separator: false,
            tabular: true,
        });
    }
    out
}

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
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        doc.get(self.span.clone()).map_or("", str::trim)
    }
}

/// A row of the schema, as found (or not) in the table.
#[derive(Clone, Debug, PartialEq)]
pub struct RowInfo {
    pub id: String,
    /// The label shown to a person (`（三）不予公开 1.属于国家秘密`).
    pub label: String,
    pub value: Option<ValueKind>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColInfo {
    pub id: String,
    pub label: String,
    pub value: ValueKind,
}

/// A label that tells which format's table this is.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionMarker {
    pub version: String,
    pub label: String,
    pub span: Range<usize>,
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
    pub span: Range<usize>,
    /// False when the shape did not fit: the arithmetic is not checked.
    pub readable: bool,
    name: String,
    name_en: String,
    section: Option<String>,
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
    row_total: Option<String>,
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
    pub fn sum_where(
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

    pub fn row_index(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }

    pub fn col_index(&self, id: &str) -> Option<usize> {
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
    pub fn name(&self, lang: crate::diagnostic::Lang) -> &str {
        lang.pick(&self.name, &self.name_en)
    }

    /// The template section the schema puts this table in.
    pub fn section(&self) -> Option<&str> {
        self.section.as_deref()
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn markers(&self) -> &[VersionMarker] {
        &self.markers
    }

    /// The number of the grid the table was read from (.docx/HTML), if any.
    pub fn grid(&self) -> Option<usize> {
        self.grid
    }

    /// True for a stand-in: the section has table-like lines that were not recognised.
    pub fn is_placeholder(&self) -> bool {
        self.placeholder
    }

    /// The schema's row-total column, if any.
    pub fn row_total(&self) -> Option<&str> {
        self.row_total.as_deref()
    }

    /// The value kind a cell must hold.
    pub fn value_kind(&self, row: usize, col: usize) -> ValueKind {
        self.rows
            .get(row)
            .and_then(|r| r.value)
            .or_else(|| self.cols.get(col).map(|c| c.value))
            .unwrap_or_default()
    }

    /// Where the label of row `row` is, if the row was found.
    pub fn row_span(&self, row: usize) -> Option<&Range<usize>> {
        self.row_spans.get(row)?.as_ref()
    }

    /// A stand-in for table-like lines that could not be matched to any schema.
    pub fn unrecognised(spec: &TableSpec, span: Range<usize>) -> Table {
        let k = &spec_keys(spec);
        Table {
            id: spec.id.clone(),
            version: None,
            span,
            readable: false,
            name: spec.name.clone(),
            name_en: spec.name_en.clone(),
            section: spec.section.clone(),
            rows: k.rows_info.clone(),
            cols: k.cols_info.clone(),
            row_spans: vec![None; spec.rows.len()],
            cells: vec![None; spec.rows.len() * spec.columns.len()],
            problems: vec![Problem::NotRecognised],
            markers: Vec::new(),
            grid: None,
            placeholder: true,
            row_total: spec.row_total.clone(),
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

/// Grids read as one: a table that an empty paragraph (Word) or a blank line turned into
/// several grids with nothing but white space between them. The text reader reads tab rows
/// across blank lines the same way (`MAX_GAP`), whatever their number of cells, so a report
/// gives the same tables as text and as a web page (seed 001's 2008 statistics table in
/// three pieces; seed 004's 表三 in pieces of 11 and 10 columns). A piece with its own
/// header or caption still starts a table of its own (`segment`): 表二's four small tables
/// stand one after the other in every report.
fn grid_runs<'g>(grids: &'g [Grid], text: &str) -> Vec<&'g [Grid]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=grids.len() {
        let joined = grids.get(i).is_some_and(|g| {
            let prev = &grids[i - 1];
            text.get(prev.span.end..g.span.start)
                .is_some_and(|gap| gap.trim().is_empty())
        });
        if !joined {
            out.push(&grids[start..i]);
            start = i;
        }
    }
    out
}

/// Which lines a grid already gave (its text is the grid expanded, read with the grid).
/// Grids come in document order, so one pointer walks them with the lines; out of order
/// (never made by a reader), every grid is looked at.
struct InGrid<'g> {
    grids: &'g [Grid],
    sorted: bool,
    next: usize,
}

impl<'g> InGrid<'g> {
    fn new(grids: &'g [Grid]) -> Self {
        InGrid {
            grids,
            sorted: grids.is_sorted_by(|a, b| a.span.end <= b.span.start),
            next: 0,
        }
    }

    /// Whether a line lies inside a grid; lines are asked in order.
    fn contains(&mut self, line: &Range<usize>) -> bool {
        let inside = |g: &Grid| g.span.start <= line.start && line.end <= g.span.end;
        if !self.sorted {
            return self.grids.iter().any(inside);
        }
        while self
            .grids
            .get(self.next)
            .is_some_and(|g| g.span.end < line.start)
        {
            self.next += 1;
        }
        // Empty grids and a line at a grid's end may touch two grids.
        self.grids[self.next.min(self.grids.len())..]
            .iter()
            .take_while(|g| g.span.start <= line.start)
            .any(inside)
    }
}

/// One text row: a tab or pipe line, or a short text line (a candidate for a space aligned
/// row). A long prose line is kept as a break (no cells).
fn text_row<'a>(text: &'a str, info: &LineInfo, ln: usize) -> RawRow<'a> {
    let content = &text[info.content()];
    let raw = &text[info.range()];
    if info.kind() == LineKind::Table && content.starts_with('|') {
        pipe_row(text, info.content(), ln)
    } else if info.kind() == LineKind::Table
        || (raw.starts_with('\t') && content.len() <= MAX_TEXT_ROW)
    {
        // A line indented with tabs is a row of a tab-separated table whose label was
        // split (`\t\t4.保护第三方合` / `\t\t法权益\t1…`).
        tab_row(text, info.range(), info.content(), ln)
    } else if content.len() <= MAX_TEXT_ROW && !content.contains('。') {
        spaced_row(text, info.range(), info.content(), ln)
    } else {
        RawRow {
            cells: Vec::new(),
            span: info.content(),
            line: Some(ln),
            layout: Layout::Spaced,
            separator: false,
            tabular: false,
        }
    }
}

/// The rows of the text (see [`text_row`]), all at once.
#[cfg(test)]
fn text_rows<'a>(text: &'a str, lines: &Lines, grids: &[Grid]) -> Vec<RawRow<'a>> {
    let mut in_grid = InGrid::new(grids);
    lines
        .iter()
        .enumerate()
        .filter(|(_, info)| info.kind() != LineKind::Blank && !in_grid.contains(&info.range()))
        .map(|(ln, info)| text_row(text, info, ln))
        .collect()
}

/// The text rows since the last table closed: all a table being read may still need.
#[derive(Default)]
struct Block<'a> {
    rows: Vec<RawRow<'a>>,
    an: Vec<Analysed>,
    evs: Vec<Evidence>,
}

impl Block<'_> {
    /// Reads the segments the segmenter closed, marks their lines as table lines, and
    /// forgets the rows.
    fn flush(
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
struct Parts {
    labels: Vec<usize>,
    values: Vec<(usize, CellValue)>,
    mixed: bool,
}

/// What is computed once per row and used by segmentation and by every schema tried. The
/// normalised texts and keys of a row share one buffer.
struct Analysed {
    parts: Parts,
    /// Index of each non-empty cell that is not a value, in order.
    idx: Vec<usize>,
    /// Their normalised texts and keys, shared by every row with the same labels.
    info: std::rc::Rc<LabelInfo>,
}

/// The labels of a row, normalised: what rows with the same label cells (the official rows,
/// in every report) share.
struct LabelInfo {
    buf: String,
    /// (normalised text, key) of each non-empty cell that is not a value.
    cells: Vec<(Range<usize>, Range<usize>)>,
    /// Candidate row keys of the label cells, shortest first.
    cands: Vec<Range<usize>>,
    /// The evidence, once computed, with the index it was computed against.
    ev: std::cell::Cell<Option<(u64, Evidence)>>,
    /// The row signature this was computed for (part of a table's plan key).
    sig: Box<str>,
}

impl Analysed {
    fn has_values(&self) -> bool {
        !self.parts.values.is_empty() && !self.parts.mixed
    }

    fn label_only(&self) -> bool {
        !self.parts.labels.is_empty() && self.parts.values.is_empty() && !self.parts.mixed
    }

    fn values_only(&self) -> bool {
        self.parts.labels.is_empty() && self.has_values()
    }

    fn norms(&self) -> impl Iterator<Item = &str> {
        let i = &self.info;
        i.cells.iter().map(|c| &i.buf[c.0.clone()])
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        let i = &self.info;
        i.cells.iter().map(|c| &i.buf[c.1.clone()])
    }

    /// (cell index, key) of each non-empty cell that is not a value.
    fn cell_keys(&self) -> impl Iterator<Item = (usize, &str)> {
        self.idx.iter().copied().zip(self.keys())
    }

    fn cands(&self) -> impl DoubleEndedIterator<Item = &str> {
        let i = &self.info;
        i.cands.iter().map(|r| &i.buf[r.clone()])
    }
}

/// A label cell normalised: the normalised text followed by the key, and the segments (ranges
/// of the normalised text).
struct CellInfo {
    text: String,
    norm_len: usize,
    segs: Vec<Range<usize>>,
}

/// Entries kept per thread before the cache is emptied.
const CELL_CACHE: usize = 4096;

thread_local! {
    // The labels of the official tables recur in every report; normalising each once per
    // thread saves most of the cost of reading a table. A cache of pure results: the output
    // does not depend on what is in it.
    static CELLS: std::cell::RefCell<Map<Box<str>, CellInfo>> = std::cell::RefCell::default();
}

/// [`norm_into`] and [`join_into`] for one cell, through the per-thread cache. Returns the
/// ranges of the normalised text and of the key in `buf`; the segments go to `segs`.
fn norm_cached(
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
struct Scratch {
    segs: Vec<Range<usize>>,
    tail: Vec<Range<usize>>,
    sig: String,
}

/// Rows kept per thread before the row cache is emptied.
const ROW_CACHE: usize = 4096;

thread_local! {
    // Rows with the same label cells (the official rows) recur in every report: their
    // normalised labels and evidence are computed once per thread. Pure results only.
    static ROWS: std::cell::RefCell<Map<Box<str>, std::rc::Rc<LabelInfo>>> =
        std::cell::RefCell::default();
}

fn analyse(row: &RawRow, scratch: &mut Scratch) -> Analysed {
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
fn label_info<'t>(
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
struct Evidence {
    /// Tables with a caption in this row (opens a new table).
    caption: u64,
    /// Tables whose column labels, anchors or header labels appear.
    header: u64,
    /// Tables with a row matching this row's label.
    row: u64,
    /// Two or more column labels of one table: a column header row.
    col_header: bool,
    /// A column header or an anchor: the row surely belongs to a table.
    strong: bool,
}

impl Evidence {
    fn any(&self) -> bool {
        self.caption | self.header | self.row != 0
    }
}

fn evidence(a: &Analysed, schemas: &Schemas) -> Evidence {
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

fn evidence_of(a: &Analysed, schemas: &Schemas) -> Evidence {
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

/// A run of rows taken for one table.
struct Segment {
    /// Table ids the rows fit ([`Index::id_bit`]).
    ids: u64,
    rows: Vec<usize>,
    caption: bool,
    strong: bool,
    /// Rows with labels or header text but no numbers.
    labelled: usize,
    data_rows: usize,
}

impl Segment {
    fn keep(&self) -> bool {
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
struct Segmenter {
    cur: Option<Segment>,
    prev_line: Option<usize>,
    out: Vec<Segment>,
}

impl Segmenter {
    /// No segment is open: no later row joins an earlier one.
    fn is_idle(&self) -> bool {
        self.cur.is_none()
    }

    fn close(&mut self, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
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

    fn finish(&mut self, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
        self.close(rows, an, evs);
    }

    /// Takes row `i` (the last of `rows`).
    fn push(&mut self, i: usize, rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) {
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
fn segment(rows: &[RawRow], an: &[Analysed], evs: &[Evidence]) -> Vec<Segment> {
    let mut s = Segmenter::default();
    for i in 0..rows.len() {
        s.push(i, rows, an, evs);
    }
    s.finish(rows, an, evs);
    s.out
}

fn fit_best(
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
        && let Some(plan) = PLANS.with(|p| p.borrow().get(key.as_str()).cloned())
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
            p.insert(key.into_boxed_str(), std::rc::Rc::new(plan));
        });
    }
    Some(finish_table(f, schemas))
}

/// Plans kept per thread before the cache is emptied.
const PLAN_CACHE: usize = 512;

thread_local! {
    // How a table was read, by the shape of its rows: pure results, see `fit_best`.
    static PLANS: std::cell::RefCell<Map<Box<str>, std::rc::Rc<Plan>>> =
        std::cell::RefCell::default();
}

/// Where a span of a table lies in its segment: a cell, a whole row, or the end of a row.
#[derive(Clone, Copy)]
enum Pos {
    Cell(u32, u32),
    Row(u32),
    End(u32),
}

/// How a readable table was read, by positions in its segment rather than by offsets.
struct Plan {
    index: usize,
    row_spans: Vec<Option<Pos>>,
    cells: Vec<Option<Pos>>,
    found: Vec<(bool, usize, Pos)>,
}

/// The shape of a segment: for each row its layout, its label cells (the row signature) and
/// where its cells are and what they hold. Two segments with the same key are read the same
/// way. `None` when the labels index is not the cached one.
fn plan_key(
    rows: &[RawRow],
    an: &[Analysed],
    seg: &Segment,
    schemas: &Schemas,
    prefer: Option<&str>,
) -> Option<String> {
    use std::fmt::Write;
    let mut k = String::with_capacity(64 * seg.rows.len());
    let _ = write!(
        k,
        "{:x}|{:x}|{}|",
        schemas.index().id,
        seg.ids,
        prefer.unwrap_or("")
    );
    for &r in &seg.rows {
        let (row, a) = (rows.get(r)?, an.get(r)?);
        k.push(match (row.layout, row.separator) {
            (_, true) => 's',
            (Layout::Indexed, _) => 'i',
            (Layout::Spaced, _) => 'p',
        });
        k.push_str(&a.info.sig);
        for (i, c) in row.cells.iter().enumerate() {
            let kind = if c.text.is_empty() {
                'e'
            } else if a.parts.values.iter().any(|v| v.0 == i) {
                'v'
            } else {
                'l'
            };
            // Positions as characters: formatting numbers costs more than the whole lookup.
            k.push(kind);
            for x in [c.x.start, c.x.end] {
                k.push(char::from_u32(0x100 + x.min(0xC000)).unwrap_or('?'));
            }
        }
        k.push('\n');
    }
    Some(k)
}

fn pos_of(span: &Range<usize>, rows: &[RawRow], seg: &Segment) -> Option<Pos> {
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

fn span_of(p: Pos, rows: &[RawRow], seg: &Segment) -> Option<Range<usize>> {
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

fn make_plan(f: &Fit, rows: &[RawRow], seg: &Segment) -> Option<Plan> {
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
fn apply_plan(
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

/// A segment read with one schema, before the best schema is chosen.
struct Fit<'s> {
    spec: &'s TableSpec,
    /// Index of the schema in `Schemas::all`.
    index: usize,
    score: i32,
    span: Range<usize>,
    problems: Vec<Problem>,
    row_spans: Vec<Option<Range<usize>>>,
    cells: Vec<Option<(CellValue, Range<usize>)>>,
    /// Labels matched: (a row?, index, span), for version markers.
    found: Vec<(bool, usize, Range<usize>)>,
}

impl<'s> Fit<'s> {
    fn new(spec: &'s TableSpec, index: usize) -> Self {
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
struct ColHit {
    col: usize,
    x: Range<u32>,
    q: u8,
    span: Range<usize>,
}

fn overlaps(a: &Range<u32>, b: &Range<u32>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Finds column labels in the header rows: single cells (quality 3), labels split over
/// several lines at the same horizontal place (2: `商业`/`企业`; `结`/`果`/`维`/`持` in seed
/// 004), and garbled cells that contain a label (1).
fn column_hits(hdr: &[(&RawRow, &Analysed)], k: &SpecKeys) -> Vec<ColHit> {
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
fn assign(mut hits: Vec<ColHit>, ncols: usize, repeat: bool) -> Vec<ColHit> {
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
struct DataRow<'r, 'a> {
    row: usize,
    label_span: Range<usize>,
    /// The row carrying the values (the label's own, or the next line's).
    values_row: &'r RawRow<'a>,
    values: &'r [(usize, CellValue)],
}

/// Matches candidate keys (shortest first) against the schema rows; the longest match wins.
/// Several rows with the same key (统计表 `被依法纠错数` under 行政复议 and under 行政诉讼)
/// are told apart by order: the first after the last row matched.
fn match_row<'c>(
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

fn label_span(row: &RawRow, labels: &[usize]) -> Range<usize> {
    labels
        .last()
        .and_then(|&i| row.cells.get(i))
        .map_or(row.span.clone(), |c| c.span.clone())
}

fn label_text(row: &RawRow, labels: &[usize]) -> String {
    labels
        .iter()
        .filter_map(|&i| row.cells.get(i))
        .map(|c| c.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn label_texts<'a>(row: &RawRow<'a>, labels: &[usize]) -> Vec<&'a str> {
    labels
        .iter()
        .filter_map(|&i| row.cells.get(i))
        .map(|c| c.text)
        .collect()
}

/// Reads a segment with one schema. Returns a score (how well the labels fit) and the table.
fn fit<'s>(
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

fn missing_cols(spec: &TableSpec, cols: &[ColHit]) -> Vec<String> {
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
fn place(
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

fn blank_cell(row: &RawRow, x: Option<&Range<u32>>) -> (CellValue, Range<usize>) {
    let at = x
        .and_then(|x| row.cells.iter().find(|c| overlaps(&c.x, x)))
        .map_or(row.span.end..row.span.end, |c| c.span.clone());
    (CellValue::Blank, at)
}

/// Digits run together: fewer numbers than cells, and one number long enough to be several.
/// Returns the problem, with the split that satisfies the row total when there is exactly one.
fn run_together(
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
fn unique_split(digits: &str, groups: &[(Range<usize>, usize)]) -> Option<Vec<i64>> {
    let n = groups.iter().map(|g| g.0.end).max()?;
    let bytes = digits.as_bytes();
    if bytes.len() < n || bytes.len() > 24 {
        return None;
    }
    let mut found: Vec<Vec<i64>> = Vec::new();
    let mut cur: Vec<i64> = Vec::with_capacity(n);
    let mut steps = 0usize;
    fn ok_group(cur: &[i64], groups: &[(Range<usize>, usize)]) -> bool {
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
    fn go(
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

/// 表四 laid out as one row of 15 numbers: blocks (行政复议, 未经复议直接起诉, 复议后起诉) of
/// the five columns. Blocks are placed by their labels in the header; when those are garbled
/// but every column label appears once per block, in the official order.
#[allow(clippy::too_many_arguments)]
fn read_blocks(
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

/// The table read with the best schema: cells with their text, and version markers (labels
/// found that only this format has).
fn finish_table(f: Fit, schemas: &Schemas) -> Table {
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
        section: spec.section.clone(),
        rows: k.rows_info.clone(),
        cols: k.cols_info.clone(),
        row_spans: f.row_spans,
        cells,
        problems: f.problems,
        markers,
        grid: None,
        placeholder: false,
        row_total: spec.row_total.clone(),
    }
}

/// The first stretch of table-like lines in `range` not covered by `tables`, if it has at
/// least two lines (a table nblint could not match to any schema).
pub fn unrecognised_lines(
    lines: &Lines,
    range: &Range<usize>,
    tables: &[Table],
    grids: &[Grid],
) -> Option<Range<usize>> {
    let covered = |r: &Range<usize>| {
        tables
            .iter()
            .any(|t| t.span.start <= r.start && r.end <= t.span.end)
    };
    let mut found: Option<(Range<usize>, usize)> = None;
    for g in grids {
        if range.start <= g.span.start && g.span.end <= range.end && !covered(&g.span) {
            return Some(g.span.clone());
        }
    }
    for l in lines {
        if l.range().start < range.start || l.range().end > range.end {
            continue;
        }
        if l.kind() == LineKind::Table && !covered(&l.content()) {
            found = Some(match found {
                None => (l.content(), 1),
                Some((r, n)) => (r.start..l.content().end, n + 1),
            });
        }
    }
    found.filter(|(_, n)| *n >= 2).map(|(r, _)| r)
}

/// A table whose labels stand in running text with its numbers run together (a crawled page
/// that lost its cell boundaries, corpus 019–025: `本年新收政府信息公开申请数量1000001…`):
/// the span from the first to the last of at least [`MIN_LABELS_IN_TEXT`] distinct labels of
/// `spec` found in `range` of text lines, when digits stand between them. The table is there
/// but cannot be read, which is not the same finding as a missing table.
pub fn labels_in_text(
    text: &str,
    lines: &Lines,
    range: &Range<usize>,
    spec: &TableSpec,
) -> Option<Range<usize>> {
    let labels = spec
        .rows
        .iter()
        .map(|r| r.label.as_str())
        .chain(spec.columns.iter().map(|c| c.label.as_str()))
        .chain(spec.captions.iter().map(String::as_str))
        .chain(spec.anchors.iter().map(String::as_str))
        .chain(spec.headers.iter().map(String::as_str))
        .map(strip_label_ordinal)
        .filter(|l| l.chars().count() >= 3);
    let mut distinct = 0usize;
    let mut span: Option<Range<usize>> = None;
    let mut seen: Vec<&str> = Vec::new();
    for label in labels {
        if seen.contains(&label) {
            continue;
        }
        seen.push(label);
        for l in lines {
            if l.kind() == LineKind::Blank
                || l.range().end <= range.start
                || l.range().start >= range.end
            {
                continue;
            }
            let from = l.content().start.max(range.start);
            let to = l.content().end.min(range.end);
            let Some(hay) = text.get(from..to) else {
                continue;
            };
            if let (Some(p), Some(q)) = (hay.find(label), hay.rfind(label)) {
                distinct += 1;
                let r = from + p..from + q + label.len();
                span = Some(match span {
                    None => r,
                    Some(s) => s.start.min(r.start)..s.end.max(r.end),
                });
                break;
            }
        }
    }
    let mut span = span?;
    // The numbers of the last row follow its label, perhaps after a short label not counted
    // (`…尚未审结总计21317000001324019`).
    let tail = text.get(span.end..range.end).unwrap_or("");
    let label_len = tail
        .char_indices()
        .take(4)
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(0, |(i, _)| i);
    let digits = tail[label_len..].len()
        - tail[label_len..]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
            .len();
    if digits > 0 {
        span.end += label_len + digits;
    }
    // A header spread over several lines (corpus 002's 表四): the numbers are on the first
    // line after it that holds digits.
    if !text
        .get(span.clone())
        .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()))
        && let Some(rest) = text.get(span.end..range.end)
        && let Some(d) = rest.bytes().position(|b| b.is_ascii_digit())
    {
        let line_end = rest[d..].find('\n').map_or(rest.len(), |e| d + e);
        span.end += line_end;
    }
    let digits = text
        .get(span.clone())
        .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()));
    (distinct >= MIN_LABELS_IN_TEXT && digits).then_some(span)
}

/// How many distinct labels of a table must stand in running text for [`labels_in_text`].
const MIN_LABELS_IN_TEXT: usize = 3;

/// A label without its leading item number (`1.属于国家秘密` → `属于国家秘密`, `（一）予以公开`
/// → `予以公开`): run-together text keeps the words more reliably than the numbering.
fn strip_label_ordinal(l: &str) -> &str {
    let l = l.trim();
    match super::outline::parse_marker(l) {
        Some((_, _, len)) => l[len..].trim_start(),
        None => l,
    }
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
