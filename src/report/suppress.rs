//! Inline suppressions written by authors of Markdown, HTML, plain-text and Word reports:
//!
//! ```text
//! <!-- nblint-disable NB303 -->        from here …
//! <!-- nblint-enable -->               … to here (or to the end of the file)
//! <!-- nblint-disable-next-line NB303 table-balance -->
//! ```
//!
//! Rules are named by code or name, separated by spaces or commas; none means every rule.
//! Anything after the rule names (a reason in Chinese, say) is ignored. `nblint-enable` with
//! names ends only those names' `nblint-disable`; without names it ends all of them.
//! `disable-next-line` covers the next line that is not blank, because Markdown paragraphs
//! are separated by blank lines.
//!
//! In Markdown and plain text the comment is written in the text (a .txt report is checked
//! before it is published, so the line can be removed then); an HTML reader keeps its
//! comments aside; a Word author writes the directive as a comment (批注, Review → New
//! Comment) on the paragraph or table row, which the .docx reader keeps at its start.
//! PDF authors cannot write them: their suppressions are `[[ignore]]` entries in
//! nblint.toml.
//!
//! This module only recognises the comments; the engine drops the findings they cover.

use super::{LineKind, Lines};
use crate::input::{Document, Format};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--\s*(nblint-[a-z-]+)([^>]*?)-->").expect("valid regex"));
static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(nblint-[a-z-]+)(.*)$").expect("valid regex"));

/// Compiles this module's expressions now (see [`super::warm_up`]).
pub(super) fn warm() {
    LazyLock::force(&COMMENT);
    LazyLock::force(&DIRECTIVE);
}

/// One stretch of text where some rules (or all) are switched off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suppressed {
    /// Byte range in the document text.
    pub(crate) range: Range<usize>,
    /// Codes or names; empty means every rule.
    pub(crate) rules: Vec<String>,
}

/// All inline suppressions of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Suppressions {
    pub(crate) ranges: Vec<Suppressed>,
}

impl Suppressions {
    /// Whether a finding of rule `code`/`name` starting at `offset` is suppressed.
    pub(crate) fn covers(&self, offset: usize, code: &str, name: &str) -> bool {
        self.ranges.iter().any(|s| {
            s.range.contains(&offset)
                && (s.rules.is_empty()
                    || s.rules
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(code) || r == name))
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

enum Kind {
    Disable,
    Enable,
    NextLine,
}

/// Rule names at the start of `rest`: codes (NB303) or kebab-case names.
fn rule_names(rest: &str) -> Vec<String> {
    rest.split([' ', ',', '，', '\t'])
        .filter(|t| !t.is_empty())
        .take_while(|t| {
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

/// Finds the directives of a document: in the text of Markdown, and in the comments a reader
/// kept aside (HTML).
pub(crate) fn build(doc: &Document, lines: &Lines) -> Suppressions {
    let text = doc.text.as_str();
    // (position of the comment, end of the comment, kind, rules)
    let mut found: Vec<(usize, usize, Kind, Vec<String>)> = Vec::new();
    let kind = |k: &str| match k {
        "nblint-disable" => Some(Kind::Disable),
        "nblint-enable" => Some(Kind::Enable),
        "nblint-disable-next-line" => Some(Kind::NextLine),
        _ => None,
    };
    if matches!(doc.format, Format::Markdown | Format::Text) && text.contains("<!--") {
        for c in COMMENT.captures_iter(text) {
            let (Some(all), Some(k)) = (c.get(0), kind(&c[1])) else {
                continue;
            };
            found.push((all.start(), all.end(), k, rule_names(&c[2])));
        }
    }
    for c in &doc.comments {
        if let Some(m) = DIRECTIVE.captures(&c.text)
            && let Some(k) = kind(&m[1])
        {
            let at = c.at.min(text.len());
            found.push((at, at, k, rule_names(&m[2])));
        }
    }
    if found.is_empty() {
        return Suppressions::default();
    }
    found.sort_by_key(|f| f.0);
    let mut ranges = Vec::new();
    // Open `disable`s: (start, rules).
    let mut open: Vec<(usize, Vec<String>)> = Vec::new();
    for (start, end, k, rules) in found {
        match k {
            Kind::Disable => open.push((start, rules)),
            Kind::Enable => {
                let mut keep = Vec::new();
                for (s, r) in open.drain(..) {
                    let ends = rules.is_empty() || r.iter().any(|x| rules.contains(x));
                    if ends {
                        ranges.push(Suppressed {
                            range: s..start,
                            rules: r,
                        });
                    } else {
                        keep.push((s, r));
                    }
                }
                open = keep;
            }
            Kind::NextLine => {
                if let Some(range) = next_line(lines, end) {
                    ranges.push(Suppressed { range, rules });
                }
            }
        }
    }
    for (s, r) in open {
        ranges.push(Suppressed {
            range: s..text.len() + 1,
            rules: r,
        });
    }
    Suppressions { ranges }
}

/// The first non-blank line that starts at or after `offset`, whole (with its ending), so
/// that a finding pointing at the end of the line is covered too.
fn next_line(lines: &Lines, offset: usize) -> Option<Range<usize>> {
    let i = lines.partition_point(|l| l.range().start < offset);
    let l = lines.iter().skip(i).find(|l| l.kind() != LineKind::Blank)?;
    Some(l.range().start..l.range().end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourceComment;
    use crate::report::classify_lines;

    fn md(text: &str) -> Suppressions {
        let doc = Document::from_text(text.to_owned(), "UTF-8", Format::Markdown);
        build(&doc, &classify_lines(text))
    }

    #[test]
    fn disable_enable() {
        let t = "a\n<!-- nblint-disable NB303 -->\nb\n<!-- nblint-enable -->\nc\n";
        let s = md(t);
        let b = t.find("b\n").unwrap();
        let c = t.find("c\n").unwrap();
        assert!(s.covers(b, "NB303", "x"));
        assert!(!s.covers(b, "NB304", "x"));
        assert!(!s.covers(c, "NB303", "x"));
        assert!(!s.covers(0, "NB303", "x"));
    }

    #[test]
    fn disable_to_the_end_and_by_name() {
        let t = "a\n<!-- nblint-disable table-balance 表格由上级统一填报 -->\nb\n";
        let s = md(t);
        assert_eq!(s.ranges[0].rules, vec!["table-balance"]);
        assert!(s.covers(t.len(), "NB201", "table-balance"));
    }

    #[test]
    fn next_line_skips_blank_lines() {
        let t = "<!-- nblint-disable-next-line -->\n\n第二段\n第三段\n";
        let s = md(t);
        let second = t.find("第二段").unwrap();
        let third = t.find("第三段").unwrap();
        assert!(s.covers(second, "NB101", "x"));
        assert!(s.covers(second + "第二段".len(), "NB101", "x"));
        assert!(!s.covers(third, "NB101", "x"));
    }

    #[test]
    fn enable_with_names_ends_only_those() {
        let t = "<!-- nblint-disable NB1 -->\n<!-- nblint-disable NB2 -->\nx\n<!-- nblint-enable NB1 -->\ny\n";
        let s = md(t);
        let y = t.find("y\n").unwrap();
        assert!(!s.covers(y, "NB1", ""));
        assert!(s.covers(y, "NB2", ""));
    }

    #[test]
    fn plain_text_takes_comment_lines() {
        // A .txt author has no other way to accept a finding in the file itself.
        let t = "<!-- nblint-disable NB1 -->\nx\n";
        let doc = Document::from_text(t.to_owned(), "UTF-8", Format::Text);
        let s = build(&doc, &classify_lines(t));
        assert!(s.covers(t.find("x\n").unwrap(), "NB1", ""));
        assert!(!s.covers(t.find("x\n").unwrap(), "NB2", ""));
    }

    #[test]
    fn comments_kept_aside_by_a_reader() {
        let t = "第一段\n第二段\n";
        let mut doc = Document::from_text(t.to_owned(), "UTF-8", Format::Html);
        doc.comments.push(SourceComment {
            at: t.find("第二段").unwrap(),
            text: " nblint-disable-next-line NB303 ".to_owned(),
        });
        let s = build(&doc, &classify_lines(t));
        assert!(s.covers(t.find("第二段").unwrap(), "NB303", ""));
        assert!(!s.covers(0, "NB303", ""));
    }
}
