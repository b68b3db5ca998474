//! Matching the template's required sections to the report's headings.
//!
//! A section is found by its official title, a known variant, or a keyword group, in that
//! order of preference, among heading-like titles of the body (never in attachments). Top-level
//! headings (一、, 第一部分, Markdown) win over deeper ones. Matching walks the template in order
//! so that a section found before the previous one is reported as out of order, not missing.
//! Seed 004 numbers sub-headings 一、二、 like the main sections; matching by title keeps its
//! six sections apart from them.

use super::outline::Outline;
use super::{LineKind, Lines};
use crate::template::{SectionSpec, Template};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchQuality {
    /// Only mentioned in a paragraph (eras that required content, not headings).
    Mentioned,
    /// A heading containing the section's keywords.
    Keyword,
    /// A known variant title.
    Variant,
    /// The official title.
    Exact,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionHit {
    /// Index into `Template::sections`.
    pub section: usize,
    /// Index into `Outline::headings`.
    pub heading: Option<usize>,
    pub quality: Option<MatchQuality>,
    /// For `Mentioned`: where.
    pub(crate) mention: Option<Range<usize>>,
    /// Found, but before a section that precedes it in the template.
    pub(crate) out_of_order: bool,
}

impl SectionHit {
    pub(crate) fn found(&self) -> bool {
        self.quality.is_some()
    }
}

/// How well a heading's normalised title names the section `spec`; `keyword` is whether it
/// holds every word of one of the section's keyword groups (and keywords may count here).
fn quality(spec: &SectionSpec, title_norm: &str, keyword: bool) -> Option<MatchQuality> {
    if title_norm == spec.title_norm {
        return Some(MatchQuality::Exact);
    }
    if spec.variants_norm.iter().any(|v| v == title_norm) {
        return Some(MatchQuality::Variant);
    }
    keyword.then_some(MatchQuality::Keyword)
}

pub(crate) fn match_sections(
    text: &str,
    lines: &Lines,
    outline: &Outline,
    template: &Template,
) -> Vec<SectionHit> {
    // Candidates per section: (heading index, quality, top-level).
    let mut cands: Vec<Vec<(usize, MatchQuality, bool)>> =
        vec![Vec::new(); template.sections.len()];
    for (hi, h) in outline.body_headings() {
        if !h.title_like {
            continue;
        }
        // A main heading: a top-level style directly under the document (or under an
        // unnumbered Markdown title).
        let top = h.style.is_top_level()
            && h.parent()
                .is_none_or(|p| outline.headings[p].ordinal.is_none() && h.ordinal.is_some());
        // Keywords alone must not turn a sub-heading such as （二）依申请公开方面 into a main
        // section, except in eras that required content rather than headings.
        let keywords = top || !template.official_titles;
        // Every keyword of the template looked for once in this title.
        let present = if keywords {
            template.keyword_index.present(&h.title_norm)
        } else {
            Vec::new()
        };
        for (si, spec) in template.sections.iter().enumerate() {
            let keyword = keywords && template.keyword_index.matches(si, &present);
            if let Some(q) = quality(spec, &h.title_norm, keyword) {
                cands[si].push((hi, q, top));
            }
        }
    }
    let mut used = vec![false; outline.headings.len()];
    let mut cursor = 0usize; // line
    let mut hits = Vec::with_capacity(template.sections.len());
    for (si, spec) in template.sections.iter().enumerate() {
        let pick = |after: Option<usize>| {
            let ok = |&&(hi, _, _): &&(usize, MatchQuality, bool)| {
                !used[hi] && after.is_none_or(|c| outline.headings[hi].line() >= c)
            };
            let any_top = cands[si].iter().filter(ok).any(|c| c.2);
            cands[si]
                .iter()
                .filter(ok)
                .filter(|c| c.2 || !any_top)
                // Best quality first, then earliest.
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .copied()
        };
        let (choice, out_of_order) = match pick(Some(cursor)) {
            Some(c) => (Some(c), false),
            None => (pick(None), true),
        };
        if let Some((hi, q, _)) = choice {
            used[hi] = true;
            let line = outline.headings[hi].line();
            if !out_of_order {
                cursor = line;
            }
            hits.push(SectionHit {
                section: si,
                heading: Some(hi),
                quality: Some(q),
                mention: None,
                out_of_order,
            });
            continue;
        }
        let mention = find_mention(text, lines, outline, spec);
        hits.push(SectionHit {
            section: si,
            heading: None,
            quality: mention.as_ref().map(|_| MatchQuality::Mentioned),
            mention,
            out_of_order: false,
        });
    }
    hits
}

fn find_mention(
    text: &str,
    lines: &Lines,
    outline: &Outline,
    spec: &SectionSpec,
) -> Option<Range<usize>> {
    if spec.mentions.is_empty() {
        return None;
    }
    let end_line = outline.body_end_line().unwrap_or(lines.len());
    for info in lines.iter().take(end_line) {
        if info.kind() != LineKind::Text {
            continue;
        }
        let line = &text[info.content()];
        for group in &spec.mentions {
            if group.is_empty() {
                continue;
            }
            if group.iter().all(|w| line.contains(w.as_str())) {
                let first = line.find(group[0].as_str()).unwrap_or(0);
                let start = info.content().start + first;
                return Some(start..start + group[0].len());
            }
        }
    }
    None
}
