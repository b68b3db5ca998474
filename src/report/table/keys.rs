//! Label keys: labels folded for comparison, every schema's keys, and the index from a row or
//! column label to the tables and schemas that have it.

use super::*;

pub(super) type Map<K, V> = crate::hash::FnvMap<K, V>;

pub(super) fn norm_char(c: char) -> Option<char> {
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
pub(super) fn norm_into(s: &str, buf: &mut String, segs: &mut Vec<Range<usize>>) -> Range<usize> {
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
pub(super) fn join_into(buf: &mut String, segs: &[Range<usize>]) -> Range<usize> {
    let start = buf.len();
    for r in segs {
        buf.extend_from_within(r.clone());
    }
    let keep = finish_len(&buf[start..]);
    buf.truncate(start + keep);
    start..buf.len()
}

/// The normalised text alone (captions and anchors are compared with it).
pub(super) fn normalize(s: &str) -> String {
    let mut buf = String::with_capacity(s.len());
    norm_into(s, &mut buf, &mut Vec::new());
    buf
}

/// Length of an ordinal marker at the start of `s` (normalised text): `(一)` `(1)` anywhere,
/// `一、` `1.` `1、` at the start of a segment.
pub(super) fn marker_len(s: &str, at_start: bool) -> Option<usize> {
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
pub(super) fn finish_len(k: &str) -> usize {
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
pub(crate) fn label_key(s: &str) -> String {
    let mut buf = String::with_capacity(s.len() * 2);
    let mut segs = Vec::new();
    norm_into(s, &mut buf, &mut segs);
    let r = join_into(&mut buf, &segs);
    buf[r].to_owned()
}

/// Appends the candidate keys of a row's label cells to `buf`: the joins of the last segments
/// of its last three label cells (`三、本年度办理结果 | （一）予以公开` → `予以公开`,
/// `本年度办理结果予以公开`), shortest first.
pub(super) fn candidates_into(
    buf: &mut String,
    segs: &[Range<usize>],
    out: &mut Vec<Range<usize>>,
) {
    let first = segs.len().saturating_sub(6);
    for k in (first..segs.len()).rev() {
        let r = join_into(buf, &segs[k..]);
        if !r.is_empty() {
            out.push(r);
        }
    }
}

/// Candidate keys for label texts (labels merged over several lines; rare).
pub(super) fn row_candidates(cells: &[&str]) -> Vec<String> {
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
pub(crate) struct SpecKeys {
    /// Row key → (row index, 3 for the official label, 2 for a variant).
    pub(super) rows: Map<String, Vec<(usize, u8)>>,
    /// Column key → (column index, quality).
    pub(super) cols: Map<String, Vec<(usize, u8)>>,
    /// Column keys in column order, for `contains` matching of garbled headers.
    pub(super) col_list: Vec<(String, usize)>,
    /// Normalised captions (compared without dropping ordinal markers).
    pub(super) captions: Vec<String>,
    /// Normalised anchors (contained in a cell).
    pub(super) anchors: Vec<String>,
    /// Keys of group and header labels.
    pub(super) headers: Vec<String>,
    /// Key of each row's official label, and of each column's.
    pub(super) row_keys: Vec<String>,
    pub(super) col_keys: Vec<String>,
    pub(super) rows_info: Arc<[RowInfo]>,
    pub(super) cols_info: Arc<[ColInfo]>,
}

/// The normalised labels of one schema.
pub(super) fn spec_keys(spec: &TableSpec) -> SpecKeys {
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
pub(super) enum Role {
    Row,
    Column,
    Header,
}

/// Every schema of every template, with one index of their labels, so that each row of the
/// report costs a handful of lookups however many templates there are.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    /// Unique among the indexes of one run: the thread-local caches of row evidence and
    /// reading plans are keyed by it.
    pub(super) id: u64,
    /// Per schema: its normalised labels.
    pub(super) keys: Vec<SpecKeys>,
    pub(super) by_key: Map<String, Vec<(u16, Role)>>,
    pub(super) captions: Map<String, Vec<u16>>,
    pub(super) anchors: Vec<(String, Vec<u16>)>,
    /// Per schema: which rows and columns have a label no other format's schema of the same
    /// table has (version markers).
    pub(super) unique: Vec<(Vec<bool>, Vec<bool>)>,
    /// Per schema: an earlier schema with exactly the same labels (表四 is the same in 2019
    /// and 2021), which reads every segment the same way.
    pub(super) same_as: Vec<Option<usize>>,
    /// Per schema: the bit of its table id in the id masks of [`Evidence`] (64 ids at most;
    /// schemas of further ids are not read).
    pub(super) id_bit: Vec<u64>,
}

pub(super) fn build_index(all: &[&TableSpec]) -> Index {
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
    pub(crate) fn new(templates: &[Template]) -> Index {
        let all: Vec<&TableSpec> = templates.iter().flat_map(|t| t.tables.iter()).collect();
        build_index(&all)
    }
}

/// All table schemas of all templates, and their index.
pub(super) struct Schemas<'t> {
    pub(super) all: Vec<&'t TableSpec>,
    pub(super) index: &'t Index,
}

impl<'t> Schemas<'t> {
    pub(super) fn new(set: &'t crate::report::TemplateSet) -> Self {
        let all: Vec<&TableSpec> = set.list.iter().flat_map(|t| t.tables.iter()).collect();
        Schemas {
            all,
            index: &set.tables,
        }
    }

    pub(super) fn index(&self) -> &'t Index {
        self.index
    }

    /// The normalised labels of the schema at `si` in [`Schemas::all`].
    pub(super) fn keys(&self, si: usize) -> &'t SpecKeys {
        &self.index.keys[si]
    }
}
