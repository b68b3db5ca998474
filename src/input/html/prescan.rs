//! The raw bytes before parsing: the charset a page declares in its first 4 KiB, and a
//! cheap estimate of the nesting depth that refuses a page of a million nested elements
//! before the tree builder spends quadratic time on it.

use crate::input::{Limits, ReadError};

/// The charset a page declares in its first 4 KiB: `<meta charset=…>`,
/// `<meta http-equiv="Content-Type" content="…; charset=…">` or `<?xml … encoding="…"?>`.
pub(crate) fn charset_label(bytes: &[u8]) -> Option<String> {
    let head: String = bytes
        .iter()
        .take(4096)
        .map(|b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    let find_value = |key: &str| -> Option<String> {
        let mut from = 0;
        while let Some(i) = head[from..].find(key) {
            let rest = &head[from + i + key.len()..];
            let rest = rest.trim_start_matches([' ', '=', '"', '\'']);
            let v: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if !v.is_empty() {
                return Some(v);
            }
            from += i + key.len();
        }
        None
    };
    if head.trim_start().starts_with("<?xml")
        && let Some(v) = head
            .find("?>")
            .and_then(|end| head.get(..end))
            .and_then(|decl| decl.find("encoding").map(|i| &decl[i + 8..]))
            .map(|rest| {
                rest.trim_start_matches([' ', '=', '"', '\''])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                    .collect::<String>()
            })
            .filter(|v| !v.is_empty())
    {
        return Some(v);
    }
    find_value("charset")
}

/// Elements that close themselves or are closed implicitly by the next one of their kind;
/// they do not add to the nesting estimate.
const NOT_NESTING: &[&str] = &[
    "br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "param", "source",
    "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rp", "optgroup", "html", "head", "body",
];

/// A cheap estimate of the nesting depth from start and end tags, before parsing: pages
/// with thousands of unclosed elements make the tree builder slow (each start tag scans
/// the stack of open elements).
pub(super) fn prescan_depth(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let cap = limits.max_depth.saturating_mul(4).max(1024);
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let mut j = i + off + 1;
        let end = bytes.get(j) == Some(&b'/');
        if end {
            j += 1;
        }
        let start = j;
        while j < bytes.len() && j - start < 16 && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j > start && bytes[start].is_ascii_alphabetic() {
            let name = bytes[start..j].to_ascii_lowercase();
            // `<br/>`: look for the end of the tag a short way ahead only, so that a page of
            // `<` without `>` stays linear.
            let ahead = &bytes[j..bytes.len().min(j + 512)];
            let self_closing = memchr::memchr(b'>', ahead)
                .is_some_and(|k| k > 0 && ahead.get(k - 1) == Some(&b'/'));
            let counted = !NOT_NESTING.iter().any(|n| n.as_bytes() == name.as_slice());
            if counted && !self_closing {
                if end {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                    if depth > cap {
                        return Err(ReadError::Limit {
                            what: "HTML 嵌套层数".into(),
                            what_en: "HTML nesting depth".into(),
                            limit: limits.max_depth.to_string(),
                        });
                    }
                }
            }
        }
        i = j.max(i + off + 1);
        if i >= bytes.len() {
            break;
        }
    }
    Ok(())
}
