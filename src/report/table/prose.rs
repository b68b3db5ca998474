//! Tables in prose: table-like lines no schema matched, and a table's labels standing in
//! running text with their numbers run together.

use super::*;

/// The first stretch of table-like lines in `range` not covered by `tables`, if it has at
/// least two lines (a table nblint could not match to any schema).
pub(crate) fn unrecognised_lines(
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
pub(crate) fn labels_in_text(
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
pub(super) const MIN_LABELS_IN_TEXT: usize = 3;

/// A label without its leading item number (`1.属于国家秘密` → `属于国家秘密`, `（一）予以公开`
/// → `予以公开`): run-together text keeps the words more reliably than the numbering.
pub(super) fn strip_label_ordinal(l: &str) -> &str {
    let l = l.trim();
    match crate::report::outline::parse_marker(l) {
        Some((_, _, len)) => l[len..].trim_start(),
        None => l,
    }
}
