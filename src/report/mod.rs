//! From a [`Document`] to a [`Report`]: lines, the outline (headings and `一是` runs),
//! metadata (year, agency, body type, dates), contact details, and the template's sections
//! matched to headings.
//!
//! This is the only code that parses the report's text. Checks ask the `Report`; they never
//! re-parse. Everything here is computed once per file, before any check runs.

/// The ground-floor text helpers (`crate::text`) under their old name: report/ reads them as `cn`.
pub(crate) use crate::text as cn;
pub(crate) mod contact;
pub(crate) mod furniture;
pub(crate) mod meta;
pub mod number;
pub mod outline;
pub(crate) mod runon;
pub(crate) mod sections;
pub(crate) mod similarity;
pub(crate) mod span;
pub(crate) mod suppress;
pub mod table;

/// Compiles the regular expressions that reading a report uses (dates, the period, contact
/// details, page furniture, inline comments) ahead of the first report. They are built once
/// per process on first use anyway; the command line calls this on a thread of its own while
/// it loads the rules, so that a run over one file (an editor, the pre-commit hook) does not
/// compile them one after the other. Calling it again does nothing.
pub fn warm_up() {
    contact::warm();
    furniture::warm();
    meta::warm();
    suppress::warm();
}

use crate::input::Document;
use crate::position::LineIndex;
use crate::template::{self, Template};
pub(crate) use contact::Contacts;
pub(crate) use meta::{BodyType, Meta};
pub(crate) use number::Numbers;
pub(crate) use outline::Outline;
pub(crate) use sections::{MatchQuality, SectionHit};
pub(crate) use span::ByteSpan;
use std::ops::Range;
pub(crate) use table::Table;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Text,
    /// A row of a table written as text: tab-separated (text extracted from PDF or Word,
    /// seed 004) or a Markdown pipe row.
    Table,
}

/// One line of the text (or a logical piece of one, `runon`), in 20 bytes: a file of very short
/// lines has millions (issue 13), so the ranges are `u32` offsets (`span`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineInfo {
    range: ByteSpan,
    content: ByteSpan,
    kind: LineKind,
}

impl LineInfo {
    /// The line without its ending.
    #[inline]
    pub(crate) fn range(&self) -> Range<usize> {
        self.range.range()
    }

    /// The line without surrounding white space.
    #[inline]
    pub fn content(&self) -> Range<usize> {
        self.content.range()
    }

    #[inline]
    pub fn kind(&self) -> LineKind {
        self.kind
    }

    /// Marks a text line as a row of a table (`report/table.rs`).
    pub(crate) fn set_kind(&mut self, kind: LineKind) {
        self.kind = kind;
    }
}

pub(crate) type Lines = Vec<LineInfo>;

/// Splits text into classified lines.
pub fn classify_lines(text: &str) -> Lines {
    assert_text_bound(text);
    // Counted first: allocated once, at its size (a file of short lines has millions).
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    // A line ends before `\n` and before one `\r` in front of it; the text after the last
    // `\n`, if any, is the last line (the same `\r` rule).
    let without_cr = |start: usize, end: usize| {
        if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    };
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        out.push(line_info(text, start..without_cr(start, nl)));
        start = nl + 1;
    }
    if start < bytes.len() {
        out.push(line_info(text, start..without_cr(start, bytes.len())));
    }
    if text.is_empty() || text.ends_with('\n') {
        out.push(LineInfo {
            range: ByteSpan::new(text.len()..text.len()),
            content: ByteSpan::new(text.len()..text.len()),
            kind: LineKind::Blank,
        });
    }
    out
}

/// The bound every `u32` offset of `report/` relies on ([`span`]): `input::read` refuses a
/// longer text, so this only fails for a [`Document`] made some other way.
///
/// # Panics
///
/// When `text` is longer than [`span::MAX_TEXT_BYTES`].
fn assert_text_bound(text: &str) {
    assert!(
        text.len() <= span::MAX_TEXT_BYTES,
        "a report text of {} bytes is past MAX_TEXT_BYTES",
        text.len()
    );
}

/// One line (or a logical piece of one, `runon`) over `range`: its content without surrounding
/// white space and its kind.
pub(crate) fn line_info(text: &str, range: Range<usize>) -> LineInfo {
    let line = &text[range.clone()];
    let rest = line.trim_start();
    let lead = line.len() - rest.len();
    let trimmed = rest.trim_end();
    let content = range.start + lead..range.start + lead + trimmed.len();
    let kind = if trimmed.is_empty() {
        LineKind::Blank
    } else if memchr::memchr(b'\t', rest.as_bytes()).is_some() || trimmed.starts_with('|') {
        LineKind::Table
    } else {
        LineKind::Text
    };
    LineInfo {
        range: ByteSpan::new(range),
        content: ByteSpan::new(content),
        kind,
    }
}

/// How the template was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TemplateSource {
    /// From the report year.
    Year,
    /// `--template` or configuration.
    Override,
    /// No year was found and no template was given.
    Unknown,
}

/// Options that change how a report is read.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub(crate) template: Option<String>,
    pub(crate) body_type: Option<BodyType>,
}

/// Everything the checks need to know about one report.
pub struct Report<'a> {
    pub(crate) doc: &'a Document,
    pub text: &'a str,
    pub(crate) index: LineIndex,
    pub lines: Lines,
    pub outline: Outline,
    pub(crate) meta: Meta,
    pub contacts: Contacts,
    pub template: Option<&'a Template>,
    pub(crate) template_source: TemplateSource,
    /// Every template in effect (tables of other formats are recognised too).
    pub(crate) templates: &'a [Template],
    /// Body type after `--body-type`.
    pub(crate) body_type: Option<BodyType>,
    /// One entry per template section, in template order.
    pub sections: Vec<SectionHit>,
    /// Inline `nblint-disable` comments (Markdown, HTML).
    pub(crate) suppressions: suppress::Suppressions,
    /// Every number in the text, with its sentence and clause (see [`number`]).
    pub(crate) numbers: Numbers,
    /// The statistical tables found, in document order (see `report/table.rs`).
    pub tables: Vec<Table>,
}

/// The templates in effect, with what is compiled from them once and shared by every report
/// (the index of their tables' labels). The rule loader builds it; it cannot be changed
/// afterwards, so the compiled part always matches the list ([`TemplateSet::new`] on a new
/// list builds a new one).
pub struct TemplateSet {
    list: Vec<Template>,
    tables: table::Index,
}

impl TemplateSet {
    pub fn new(list: Vec<Template>) -> TemplateSet {
        let tables = table::Index::new(&list);
        TemplateSet { list, tables }
    }

    /// The templates, to change them and build a new set.
    pub fn into_vec(self) -> Vec<Template> {
        self.list
    }
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::new(Vec::new())
    }
}

impl std::ops::Deref for TemplateSet {
    type Target = [Template];
    fn deref(&self) -> &[Template] {
        &self.list
    }
}

impl<'s> IntoIterator for &'s TemplateSet {
    type Item = &'s Template;
    type IntoIter = std::slice::Iter<'s, Template>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.list).finish()
    }
}

impl<'a> Report<'a> {
    /// # Panics
    ///
    /// When the document's text is longer than `span::MAX_TEXT_BYTES` (`input::read` never
    /// makes such a document).
    pub fn build(doc: &'a Document, set: &'a TemplateSet, opts: &ReadOptions) -> Report<'a> {
        let templates: &'a [Template] = &set.list;
        let text = doc.text.as_str();
        assert_text_bound(text);
        let mut lines = classify_lines(text);
        let meta = meta::build(text, &lines);
        // A report that arrives as one long line: its section headings become lines of their
        // own (corpus 019–025, crawled pages).
        runon::split(text, &mut lines, templates);
        let (template, template_source) = match &opts.template {
            Some(name) => (
                templates.iter().find(|t| &t.name == name),
                TemplateSource::Override,
            ),
            None => match meta.year.and_then(|y| template::for_year(templates, y)) {
                Some(t) => (Some(t), TemplateSource::Year),
                None => (None, TemplateSource::Unknown),
            },
        };
        // Tables before the outline: rows such as `一、本年新收…  12  2 …` written as text
        // become table lines and are not taken for headings.
        let mut tables = table::read(
            doc,
            &mut lines,
            set,
            template.and_then(|t| t.table_version()),
        );
        let outline = outline::build(text, &lines);
        let contacts = contact::build(text);
        let sections = template
            .map(|t| sections::match_sections(text, &lines, &outline, t))
            .unwrap_or_default();
        let suppressions = suppress::build(doc, &lines);
        let numbers = build_numbers(text, &lines, &outline, &meta, &contacts);
        let mut report = Report {
            doc,
            text,
            index: LineIndex::new(text),
            body_type: opts.body_type.or(meta.body_type),
            lines,
            outline,
            meta,
            contacts,
            template,
            template_source,
            templates,
            sections,
            suppressions,
            numbers,
            tables: Vec::new(),
        };
        report.add_unrecognised_tables(&mut tables);
        report.tables = tables;
        report.drop_foreign_contacts();
        report
    }

    /// A section that must carry tables, none of which was recognised, but that holds table
    /// lines or a grid: a stand-in table, so that the finding is "cannot read the table" and
    /// not "the table is missing".
    fn add_unrecognised_tables(&self, tables: &mut Vec<Table>) {
        let Some(t) = self.template else { return };
        let mut added = Vec::new();
        for sec in &t.sections {
            let specs: Vec<&crate::template::TableSpec> = t
                .tables
                .iter()
                .filter(|s| s.required && s.section.as_deref() == Some(sec.id.as_str()))
                .collect();
            let Some(first) = specs.first() else { continue };
            if tables.iter().any(|tb| specs.iter().any(|s| s.id == tb.id)) {
                continue;
            }
            let Some(range) = self.section_range(&sec.id) else {
                continue;
            };
            let span = table::unrecognised_lines(&self.lines, &range, tables, &self.doc.grids)
                .or_else(|| {
                    specs
                        .iter()
                        .find_map(|s| table::labels_in_text(self.text, &self.lines, &range, s))
                });
            if let Some(span) = span {
                added.push(Table::unrecognised(first, span));
            }
        }
        tables.extend(added);
        tables.sort_by_key(|t| t.span.start);
    }

    /// Contact details that are not the report's own: in page furniture (a crawler's link to
    /// the page, a site footer) or inside a table (digits of cells run together,
    /// `…不掌握相关政府信息15130000154`, are not a mobile number).
    fn drop_foreign_contacts(&mut self) {
        let mut foreign = furniture::spans(self.text, &self.lines);
        foreign.extend(self.tables.iter().map(|t| t.span.clone()));
        if foreign.is_empty() {
            return;
        }
        foreign.sort_by_key(|s| s.start);
        // Merge overlapping spans so that `covers` can look at one.
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(foreign.len());
        for s in foreign {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        let keep = |s: &Range<usize>| !furniture::covers(&merged, s);
        let c = &mut self.contacts;
        c.phones.retain(|p| keep(&p.span));
        c.emails.retain(|e| keep(&e.span));
        c.websites.retain(|w| keep(w));
        c.addresses.retain(|a| keep(a));
        c.postcodes.retain(|p| keep(&p.span));
    }

    /// Whether the text was extracted from a richer format (.docx, .html, .pdf), so that its
    /// lines are not the file's and a location in words (第3段, 表三 “…” 行, 第2页) is what
    /// helps the reader find the place. Checks ask this, not the input format.
    pub fn is_extracted(&self) -> bool {
        self.doc.format.is_extracted()
    }

    /// The location in words (第N段, 表N 第r行第c列, 第N页) of a byte offset, if the
    /// format has them.
    pub fn locus_at(&self, offset: usize) -> Option<&crate::input::Locus> {
        self.doc.locus_at(offset)
    }

    /// The first table with this schema id that could be read, or else the first one found.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.id == id && t.readable)
            .or_else(|| self.tables.iter().find(|t| t.id == id))
    }

    /// The content span of a 0-based line.
    pub(crate) fn line_content(&self, line: usize) -> Range<usize> {
        self.lines
            .get(line)
            .map_or(self.text.len()..self.text.len(), |l| l.content())
    }

    /// A span to point at for findings about the whole document: the title, or the first
    /// non-blank line.
    pub(crate) fn title_span(&self) -> Range<usize> {
        if let Some(t) = &self.meta.title {
            return t.clone();
        }
        self.lines
            .iter()
            .find(|l| l.kind() != LineKind::Blank)
            .map_or(0..0, |l| l.content())
    }

    /// The span of the last non-blank line of the body (before attachments).
    pub(crate) fn body_end_span(&self) -> Range<usize> {
        let end = self.outline.body_end_line().unwrap_or(self.lines.len());
        self.lines[..end.min(self.lines.len())]
            .iter()
            .rev()
            .find(|l| l.kind() != LineKind::Blank)
            .map_or(0..0, |l| l.content())
    }

    /// Heading of a template section, if found.
    pub(crate) fn section_heading(&self, id: &str) -> Option<&outline::Heading> {
        let t = self.template?;
        let si = t.sections.iter().position(|s| s.id == id)?;
        let hit = self.sections.iter().find(|h| h.section == si)?;
        self.outline.headings.get(hit.heading?)
    }

    /// The template section a heading was matched to, if any.
    pub(crate) fn section_for_heading(
        &self,
        heading: usize,
    ) -> Option<&crate::template::SectionSpec> {
        let t = self.template?;
        let hit = self.sections.iter().find(|h| h.heading == Some(heading))?;
        t.sections.get(hit.section)
    }

    /// The text span from a section's heading to the next found section (or the body end).
    pub(crate) fn section_range(&self, id: &str) -> Option<Range<usize>> {
        let h = self.section_heading(id)?;
        let start = h.span().start;
        let mut end = self
            .outline
            .body_end_line()
            .map_or(self.text.len(), |l| self.lines[l].range().start);
        for hit in &self.sections {
            if let Some(hi) = hit.heading {
                let s = self.outline.headings[hi].span().start;
                if s > start && s < end {
                    end = s;
                }
            }
        }
        Some(start..end.max(start))
    }
}

/// Reads the numbers, telling the number reader where paragraphs may not run on: headings
/// and numbered paragraphs start a block; the title and short headings never run on.
fn build_numbers(
    text: &str,
    lines: &Lines,
    outline: &Outline,
    meta: &Meta,
    contacts: &Contacts,
) -> Numbers {
    let mut starts_block = vec![false; lines.len()];
    let mut no_join = vec![false; lines.len()];
    for h in &outline.headings {
        if let Some(b) = starts_block.get_mut(h.line()) {
            *b = true;
        }
        // A heading alone on its line never runs on; a numbered paragraph (seed 000:
        // `（四）政府门户网站政府信息公开情况。目前，…`) may be broken by a page break.
        let rest = lines
            .get(h.line())
            .and_then(|l| text.get(h.title().end.min(l.content().end)..l.content().end))
            .map_or(0, |r| r.chars().count());
        if rest <= 1
            && let Some(b) = no_join.get_mut(h.line())
        {
            *b = true;
        }
    }
    if let Some(t) = meta.title_line.and_then(|t| no_join.get_mut(t)) {
        *t = true;
    }
    number::build(text, lines, &starts_block, &no_join, contacts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_kinds() {
        let t = "一、总体\n\n规章\t0\t0\n| a | b |\n\t缩进的正文\n一、主动公开情况\t\t\n";
        let l = classify_lines(t);
        let kinds: Vec<_> = l.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds, vec![Text, Blank, Table, Table, Text, Table, Blank]);
        assert_eq!(&t[l[4].content()], "缩进的正文");
    }

    /// Lines are cut as `str::split_inclusive('\n')` with one `\r` before each break removed
    /// (the obvious definition, kept here as the reference for the memchr loop).
    #[test]
    fn lines_end_where_the_obvious_split_ends_them() {
        let reference = |text: &str| -> Vec<LineInfo> {
            let mut out = Vec::new();
            let mut start = 0;
            for raw in text.split_inclusive('\n') {
                let line = raw.strip_suffix('\n').unwrap_or(raw);
                let line = line.strip_suffix('\r').unwrap_or(line);
                out.push(line_info(text, start..start + line.len()));
                start += raw.len();
            }
            if text.is_empty() || text.ends_with('\n') {
                out.push(line_info(text, text.len()..text.len()));
            }
            out
        };
        for t in [
            "",
            "\n",
            "\r",
            "\r\n",
            "\r\r\n",
            "a\r",
            "a\rb\n",
            "一、总体\r\n\r\n二、\t12\t3\r\n",
            "\u{3000}\u{3000}正文\u{3000}\n\t\n | a | \n末行",
            "x\n\ny",
        ] {
            assert_eq!(classify_lines(t), reference(t), "{t:?}");
        }
    }
}
