//! From the engine's findings to LSP values: positions in the negotiated encoding, LSP
//! diagnostics, quick fixes, hover text, and file URIs.
//!
//! Spans are byte ranges into the text the reader produced (`FileReport::text`). For plain
//! text and Markdown that is the editor's buffer itself (less a byte-order mark); for a web
//! page it is the extracted text, which the editor does not show, so each span is looked
//! for in the page's source (`locate`): by its own text, the same occurrence as in the
//! extracted text, or by a shorter prefix. A span found only approximately gets no quick fix.
//!
//! Nothing here talks to the client or reads files.

use crate::diagnostic::{Confidence, Diagnostic, Lang, Severity};
use crate::engine::FileReport;
use crate::position::{LineIndex, floor_char_boundary};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Uri,
};
use std::cell::Cell;
use std::ops::Range as Span;
use std::str::FromStr;

/// The unit of `Position::character`, as negotiated at initialisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

/// A text with its line index, converting between byte offsets and LSP positions.
pub(crate) struct Text<'a> {
    text: &'a str,
    index: LineIndex,
    enc: Encoding,
}

impl<'a> Text<'a> {
    pub(crate) fn new(text: &'a str, enc: Encoding) -> Text<'a> {
        Text {
            text,
            index: LineIndex::new(text),
            enc,
        }
    }

    /// The position of a byte offset (clamped to the text, floored to a character).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).min(offset);
        let prefix = self.text.get(start..offset).unwrap_or_default();
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        let character = match self.enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    pub(crate) fn range(&self, span: &Span<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position; a character past the line's end is its end, a line
    /// past the text is the text's end (as LSP says clients may send).
    pub(crate) fn offset(&self, p: Position) -> usize {
        let line = p.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let r = self.index.line_range(self.text, line);
        let body = self.text.get(r.clone()).unwrap_or_default();
        let want = p.character as usize;
        let mut units = 0;
        for (i, c) in body.char_indices() {
            if units >= want {
                return r.start + i;
            }
            units += match self.enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        r.end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A replacement offered as a quick fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fix {
    pub(crate) range: Range,
    pub(crate) new_text: String,
    pub(crate) title: String,
}

/// One finding as the client sees it, with its quick fix.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub(crate) diagnostic: lsp_types::Diagnostic,
    pub(crate) code: String,
    pub(crate) fix: Option<Fix>,
}

/// How the reader's text relates to the editor's buffer.
enum Map<'a> {
    /// The same text, shifted by this many bytes (a byte-order mark the reader dropped).
    Shift(usize),
    /// Extracted text (a web page): spans are looked for in the buffer, scanning at most
    /// `budget` more bytes.
    Search {
        extracted: &'a str,
        budget: Cell<usize>,
    },
}

/// Bytes scanned to place the findings of one web page in its source. Each look-up scans
/// the page and its text once; a typical page (100 KB, a dozen findings) uses a few MB. A
/// hostile page with thousands of findings places the rest at its start instead of taking
/// minutes.
const SEARCH_BUDGET: usize = 256 << 20;

impl Map<'_> {
    /// The buffer span of a report span, and whether it is exactly the same text.
    fn span(&self, buffer: &str, span: &Span<usize>) -> (Span<usize>, bool) {
        match self {
            Map::Shift(n) => (span.start + n..span.end + n, true),
            Map::Search { extracted, budget } => locate(buffer, extracted, span, budget),
        }
    }
}

/// Options of the conversion that come from the client or the command line.
pub(crate) struct Style<'a> {
    pub(crate) lang: Lang,
    /// `{code}` and `{name}` are replaced; see docs/editors.md.
    pub(crate) rule_url: Option<&'a str>,
}

/// Converts a file's findings. `buffer` is the editor's text the report was made from.
pub(crate) fn findings(
    report: &FileReport,
    buffer: &str,
    uri: &Uri,
    enc: Encoding,
    style: &Style,
) -> Vec<Finding> {
    let map = if report.text == buffer {
        Map::Shift(0)
    } else if buffer.strip_prefix('\u{feff}') == Some(report.text.as_str()) {
        Map::Shift('\u{feff}'.len_utf8())
    } else {
        Map::Search {
            extracted: &report.text,
            budget: Cell::new(SEARCH_BUDGET),
        }
    };
    let text = Text::new(buffer, enc);
    report
        .diagnostics
        .iter()
        .map(|d| finding(d, &map, buffer, &text, uri, style))
        .collect()
}

fn finding(
    d: &Diagnostic,
    map: &Map,
    buffer: &str,
    text: &Text,
    uri: &Uri,
    style: &Style,
) -> Finding {
    let range = text.range(&map.span(buffer, &d.span).0);
    let lang = style.lang;
    let mut message = d.message.clone();
    let mut line = |prefix: &str, s: &str| {
        message.push('\n');
        message.push_str(prefix);
        message.push_str(s);
    };
    if let Some(l) = d
        .label
        .as_deref()
        .filter(|l| !l.is_empty() && *l != d.message)
    {
        line("", l);
    }
    if let Some(l) = &d.location {
        line(lang.pick("位置：", "location: "), l);
    }
    for n in &d.notes {
        line(lang.pick("注：", "note: "), n);
    }
    if let Some(h) = &d.help {
        line(lang.pick("帮助：", "help: "), h);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), text.range(&map.span(buffer, &l.span).0)),
            message: l.message.clone(),
        })
        .collect();
    // Only an explicit suggestion becomes a quick fix: an inferred binding is a guess
    // (docs/json-output.md), and a span found only approximately in a web page's source
    // might replace the wrong text.
    let fix = d
        .suggestion
        .as_ref()
        .filter(|_| d.confidence != Some(Confidence::Inferred))
        .and_then(|s| {
            let (fspan, exact) = map.span(buffer, &s.span);
            exact.then(|| Fix {
                range: text.range(&fspan),
                title: fix_title(buffer.get(fspan).unwrap_or_default(), &s.replacement, lang),
                new_text: s.replacement.clone(),
            })
        });
    let code_description = style.rule_url.and_then(|t| {
        let href = t.replace("{code}", &d.code).replace("{name}", &d.name);
        Uri::from_str(&href)
            .ok()
            .map(|href| CodeDescription { href })
    });
    Finding {
        diagnostic: lsp_types::Diagnostic {
            range,
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.code.clone())),
            code_description,
            source: Some("nblint".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        },
        code: d.code.clone(),
        fix,
    }
}

pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// The title of a quick fix: what the text becomes.
fn fix_title(old: &str, new: &str, lang: Lang) -> String {
    let short = |s: &str| {
        let first = s.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let mut t: String = first.chars().take(24).collect();
        if t.len() < first.len() {
            t.push('…');
        }
        t
    };
    match (old.trim().is_empty(), new.trim().is_empty(), lang) {
        (true, _, Lang::Zh) => format!("插入“{}”", short(new)),
        (true, _, Lang::En) => format!("Insert “{}”", short(new)),
        (false, true, Lang::Zh) => format!("删除“{}”", short(old)),
        (false, true, Lang::En) => format!("Delete “{}”", short(old)),
        (false, false, Lang::Zh) => format!("把“{}”改为“{}”", short(old), short(new)),
        (false, false, Lang::En) => format!("Change “{}” to “{}”", short(old), short(new)),
    }
}

/// Where a span of the extracted text is in the buffer (a web page's source), and whether
/// the buffer holds exactly the span's text there. The span's own text is looked for first:
/// its k-th occurrence in the extracted text is taken to be the k-th among the page's last
/// occurrences (the extra ones are usually in `<title>` and navigation, before the content).
/// Then a prefix of its first line; an empty span is placed by the text that follows it.
/// Failing all (or past the budget), the start of the page.
fn locate(
    buffer: &str,
    extracted: &str,
    span: &Span<usize>,
    budget: &Cell<usize>,
) -> (Span<usize>, bool) {
    let cost = buffer.len() + extracted.len();
    let afford = || {
        let left = budget.get();
        budget.set(left.saturating_sub(cost));
        left >= cost
    };
    let start = floor_char_boundary(extracted, span.start.min(extracted.len()));
    let end = floor_char_boundary(extracted, span.end.min(extracted.len())).max(start);
    let own = &extracted[start..end];
    if !own.trim().is_empty()
        && afford()
        && let Some(at) = nth_match(buffer, extracted, own, start)
    {
        return (at..at + own.len(), true);
    }
    // A point, or text the page writes differently (entities, tags inside): anchor on
    // a piece of the first line, shorter and shorter.
    let probe = if own.trim().is_empty() {
        extracted[end..].lines().find(|l| !l.trim().is_empty())
    } else {
        own.lines().find(|l| !l.trim().is_empty())
    }
    .unwrap_or_default()
    .trim();
    for n in [12, 6, 3] {
        let piece: String = probe.chars().take(n).collect();
        if piece.is_empty() || !afford() {
            break;
        }
        let from = extracted[..start].len();
        if let Some(at) = nth_match(buffer, extracted, &piece, from) {
            let len = if own.trim().is_empty() {
                0
            } else {
                piece.len()
            };
            return (at..at + len, false);
        }
    }
    (0..0, false)
}

/// The buffer offset of `needle` matching its occurrence at or after `at` in `extracted`.
fn nth_match(buffer: &str, extracted: &str, needle: &str, at: usize) -> Option<usize> {
    let k = extracted
        .match_indices(needle)
        .take_while(|(i, _)| *i < at)
        .count();
    let in_buffer: Vec<usize> = buffer.match_indices(needle).map(|(i, _)| i).collect();
    let total = extracted.matches(needle).count().max(k + 1);
    let extra = in_buffer.len().saturating_sub(total);
    in_buffer
        .get(k + extra)
        .or_else(|| in_buffer.last())
        .copied()
}

// ── file URIs ───────────────────────────────────────────────────────────────────────

/// The local path of a `file:` URI (percent-decoded; `file:///C:/x` is `C:/x`).
pub(crate) fn file_path(uri: &str) -> Option<std::path::PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // An authority (`file://localhost/…`) is skipped; others are not local files.
    let slash = rest.find('/')?;
    let host = &rest[..slash];
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = rest[slash..].split(['?', '#']).next().unwrap_or_default();
    let bytes = percent_decode(path)?;
    let s = String::from_utf8(bytes).ok()?;
    let s = match s.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() && cfg!(windows) => s[1..].to_owned(),
        _ => s,
    };
    Some(std::path::PathBuf::from(s))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of a local path.
pub(crate) fn file_uri(path: &std::path::Path) -> Option<Uri> {
    let abs = crate::config::lexical_absolute(path);
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"-._~/:".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_both_ways() {
        let s = "一、总体\r\n𠮷a办结率95%\n";
        for (enc, col) in [(Encoding::Utf16, 6), (Encoding::Utf8, 14)] {
            let t = Text::new(s, enc);
            let off = s.find("95").unwrap_or_default();
            assert_eq!(t.position(off), Position::new(1, col));
            assert_eq!(t.offset(Position::new(1, col)), off);
        }
        let t = Text::new(s, Encoding::Utf16);
        assert_eq!(
            t.position(s.find('\r').unwrap_or_default()),
            Position::new(0, 4)
        );
        assert_eq!(
            t.offset(Position::new(0, 99)),
            s.find('\r').unwrap_or_default()
        );
        assert_eq!(t.offset(Position::new(9, 0)), s.len());
    }

    #[test]
    fn located_in_a_page() {
        let page = "<title>办结率</title><p>收到68件，办结66件，<b>办结率</b>95%。</p>";
        let extracted = "收到68件，办结66件，办结率95%。";
        let at = extracted.find("95%").unwrap_or_default();
        let budget = Cell::new(SEARCH_BUDGET);
        let (span, exact) = locate(page, extracted, &(at..at + "95%".len()), &budget);
        assert!(exact);
        assert_eq!(&page[span], "95%");
        // The second 办结率 of the page is the first of the text (the title comes first).
        let at = extracted.find("办结率").unwrap_or_default();
        let (span, _) = locate(page, extracted, &(at..at + "办结率".len()), &budget);
        assert_eq!(span.start, page.find("<b>").unwrap_or_default() + 3);
        // Text the page writes differently is found by a prefix, without a fix.
        let extracted = "收到68件，办结66件，办结率 95%。";
        let at = extracted.find("办结率").unwrap_or_default();
        let (span, exact) = locate(page, extracted, &(at..extracted.len()), &budget);
        assert!(!exact);
        assert_eq!(span.start, page.find("<b>").unwrap_or_default() + 3);
        // Past the budget, the start of the page.
        let none = Cell::new(0);
        assert_eq!(locate(page, extracted, &(at..at + 3), &none), (0..0, false));
    }

    #[test]
    fn file_uris() {
        let p = file_path("file:///tmp/%E5%B9%B4%E6%8A%A5%20a.md");
        assert_eq!(p, Some(std::path::PathBuf::from("/tmp/年报 a.md")));
        assert_eq!(file_path("untitled:Untitled-1"), None);
        let u = file_uri(std::path::Path::new("/tmp/年报 a.md"));
        assert_eq!(
            u.map(|u| u.as_str().to_owned()).as_deref(),
            Some("file:///tmp/%E5%B9%B4%E6%8A%A5%20a.md")
        );
    }
}
