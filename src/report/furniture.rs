//! Page furniture: what a web page or a crawler put around a report (the crawler's header
//! `原文链接: https://…`, `发布机构:`; a site footer `主办单位：… 网站标识码：… 闽ICP备…`). It
//! is not the report's own text: a phone number or web address in it is the website's, not the
//! contact the report must give (corpus 024/025: the only web address is the crawler's link to
//! the page). Whether furniture should be deleted is `web-page-residue`'s question; here it is
//! only kept out of the report's facts.
//!
//! A header line is furniture as a whole; a footer runs from its first marker to the end of
//! its line (in text without line breaks the footer ends the one long line). Linear in the
//! text.

use super::{LineKind, Lines};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;
use std::sync::LazyLock;

/// Lines that a crawler or a page's header writes before the report (`原文链接: …`).
const HEADER_PREFIXES: &[&str] = &[
    "原文链接",
    "原文地址",
    "本地目录",
    "页面链接",
    "来源网址",
    "索引号",
    "发布机构",
    "栏目:",
    "栏目：",
    "所属栏目",
];

/// Markers of a site footer: from here to the end of the line is furniture.
const FOOTER_MARKERS: &[&str] = &[
    "网站标识码",
    "ICP备",
    "公网安备",
    "主办单位：",
    "主办单位:",
    "承办单位：",
    "承办单位:",
    "版权所有",
    "Copyright",
    "技术支持：",
    "技术支持:",
    "网站地图",
];

/// One automaton for every footer marker: the text is scanned once (a `find` per marker and
/// line cost 14% of a run).
static FOOTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(FOOTER_MARKERS)
        .expect("footer markers build")
});

/// Compiles this module's expressions now (see [`super::warm_up`]).
pub(super) fn warm() {
    LazyLock::force(&FOOTER);
}

/// The furniture spans of a text, in order.
pub(crate) fn spans(text: &str, lines: &Lines) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for l in lines {
        if l.kind() == LineKind::Blank {
            continue;
        }
        let content = &text[l.content()];
        if HEADER_PREFIXES.iter().any(|p| content.starts_with(p)) {
            out.push(l.content());
        }
    }
    for m in FOOTER.find_iter(text) {
        let p = m.start();
        if out.last().is_some_and(|s| s.start <= p && p < s.end) {
            continue;
        }
        let i = lines.partition_point(|l| l.content().end <= p);
        if let Some(l) = lines.get(i).filter(|l| l.content().start <= p) {
            out.push(p..l.content().end);
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Whether `span` lies within one of `spans` (sorted by start).
pub(crate) fn covers(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = spans.partition_point(|s| s.start <= span.start);
    i > 0 && span.end <= spans[i - 1].end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_and_footers() {
        let t = "原文链接: https://www.example.gov.cn/a.htm\n一、总体情况\n联系电话：0591-1234567。主办单位：某某区人民政府 网站标识码：3500000001 闽ICP备05000000号\n";
        let lines = super::super::classify_lines(t);
        let s = spans(t, &lines);
        assert_eq!(s.len(), 2);
        assert_eq!(
            &t[s[0].clone()],
            "原文链接: https://www.example.gov.cn/a.htm"
        );
        assert!(t[s[1].clone()].starts_with("主办单位"));
        let phone = t.find("0591").unwrap();
        assert!(!covers(&s, &(phone..phone + 12)));
        let site = t.find("3500").unwrap();
        assert!(covers(&s, &(site..site + 10)));
    }
}
