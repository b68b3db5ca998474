//! Word documents (.docx): a zip container of WordprocessingML parts, read with `zip` and
//! the streaming `quick-xml` parser.
//!
//! What is read, in document order: body paragraphs with their heading style or outline
//! level and their automatic numbering rendered as Word shows it (`一、`, `（一）`, `1.`:
//! `w:numPr` from the paragraph or its style, counted per list, with `lvlText`, `numFmt`,
//! `start`, `startOverride` and `suff` from numbering.xml); tables as grids with merged
//! cells (`gridSpan`, `vMerge`, legacy `hMerge`, `gridBefore`); text boxes (the text appears
//! after the paragraph that anchors the box; only `mc:Choice` is read, its `mc:Fallback`
//! copy is skipped); footnotes and endnotes (after the paragraph that refers to them, as
//! `注1：…`); Word comments (批注) whose text is an nblint directive (`nblint-disable NB304`,
//! `nblint-disable-next-line NB304 理由`), kept at the start of the paragraph or table row
//! they are attached to, so that a Word author can accept a finding where a Markdown author
//! writes `<!-- nblint-disable … -->` (other comments are not read). Deleted text (tracked
//! changes), field instructions and hidden text are not
//! text a reader sees and are skipped; headers and footers are page furniture and are not
//! read.
//!
//! Limits: entry count and total expanded size of the parts read (`Limits`), XML nesting
//! depth. A zip that is not a Word document (OFD, Excel, OpenDocument) is reported as an
//! unsupported format.
//!
//! Submodules:
//! - `numbering`: styles.xml and numbering.xml: heading styles, list definitions, the
//!   counters and the number formats Word renders;
//! - `body`: the streaming parser of document.xml (and of the notes parts) into blocks:
//!   paragraphs, tables, text boxes, note and comment references;
//! - `notes`: footnotes, endnotes and comments as plain text;
//! - `assemble`: from blocks to the [`Document`]: numbers, headings, merged cells, notes
//!   after their paragraph, directives from comments;
//! - `tests`: unit tests, and the `docx`/`body` helpers that build a .docx in tests.

mod assemble;
mod body;
mod notes;
mod numbering;
#[cfg(test)]
pub(crate) mod tests;

use super::doc_builder::{Builder, one_line};
use super::{Document, Format, Limits, ReadError};
use assemble::Emitter;
use body::{NoteKind, parse_body};
use notes::parse_notes;
use numbering::{Counters, parse_numbering, parse_styles};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

const FORMAT: &str = "Word (.docx)";
const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

fn corrupt(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: FORMAT.into(),
        detail: detail.to_string(),
    }
}

pub fn read(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Document, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if zip.len() > limits.max_entries {
        return Err(ReadError::Limit {
            what: "压缩包内的文件数".into(),
            what_en: "zip entries".into(),
            limit: limits.max_entries.to_string(),
        });
    }
    let mut budget = Budget {
        left: limits.max_expanded_bytes,
        limit: limits.max_expanded_bytes,
    };
    let main = main_part(&mut zip, &mut budget)?;
    let Some(main) = main else {
        return Err(not_word(&mut zip, ext));
    };
    let styles = part(&mut zip, "word/styles.xml", &mut budget)?
        .map(|x| parse_styles(&x, limits))
        .transpose()?
        .unwrap_or_default();
    let numbering = part(&mut zip, "word/numbering.xml", &mut budget)?
        .map(|x| parse_numbering(&x, limits))
        .transpose()?
        .unwrap_or_default();
    let mut notes = HashMap::new();
    for (name, kind) in [
        ("word/footnotes.xml", NoteKind::Foot),
        ("word/endnotes.xml", NoteKind::End),
    ] {
        if let Some(x) = part(&mut zip, name, &mut budget)? {
            for (id, text) in parse_notes(&x, limits)? {
                notes.insert((kind, id), text);
            }
        }
    }
    // Comments (批注) that are nblint directives, by id.
    let mut directives = HashMap::new();
    if let Some(x) = part(&mut zip, "word/comments.xml", &mut budget)? {
        for (id, text) in parse_notes(&x, limits)? {
            let t = one_line(&text);
            if t.trim_start().starts_with("nblint-") {
                directives.insert(id, t.trim().to_owned());
            }
        }
    }
    let blocks = parse_body(&main, limits)?;
    let mut out = Emitter {
        directives: &directives,
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        notes: &notes,
        note_no: 0,
        b: Builder::new(),
    };
    out.blocks(&blocks)?;
    Ok(out.b.finish("UTF-8", Format::Docx))
}

fn zip_error(e: zip::result::ZipError) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m.to_ascii_lowercase().contains("password") => {
            ReadError::Encrypted {
                format: FORMAT.into(),
            }
        }
        ZipError::InvalidPassword => ReadError::Encrypted {
            format: FORMAT.into(),
        },
        ZipError::Io(e) => corrupt(format!("压缩包结构不完整 ({e})")),
        e => corrupt(format!("压缩包结构不完整 ({e})")),
    }
}

/// Why a zip without a Word body cannot be read.
fn not_word(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, ext: &str) -> ReadError {
    let has = |zip: &zip::ZipArchive<Cursor<&[u8]>>, n: &str| zip.index_for_name(n).is_some();
    let un = |format: &str, save_as: &str| ReadError::Unsupported {
        format: format.into(),
        save_as: save_as.into(),
    };
    if has(zip, "OFD.xml") || ext == "ofd" {
        un("OFD", ".pdf 或 .docx")
    } else if has(zip, "xl/workbook.xml") {
        un("Excel (.xlsx)", ".docx（把报告正文放进 Word 文档）")
    } else if has(zip, "ppt/presentation.xml") {
        un("PowerPoint (.pptx)", ".docx 或 .pdf")
    } else if has(zip, "content.xml") || has(zip, "mimetype") {
        un("OpenDocument (.odt)", ".docx")
    } else if ext == "docx" {
        corrupt("压缩包里没有 Word 正文 (word/document.xml)")
    } else {
        un(
            "zip 压缩包",
            "解压后分别检查其中的报告（.docx、.pdf、.html、.txt）",
        )
    }
}

/// The main document part: named in `_rels/.rels`, usually `word/document.xml`.
fn main_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    budget: &mut Budget,
) -> Result<Option<String>, ReadError> {
    if let Some(rels) = part(zip, "_rels/.rels", budget)? {
        let mut r = quick_xml::Reader::from_str(&rels);
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    let ty = attr(&e, "Type").unwrap_or_default();
                    if ty.ends_with("/officeDocument") {
                        let target = attr(&e, "Target").unwrap_or_default();
                        let name = target.trim_start_matches('/').to_owned();
                        if name != "word/document.xml"
                            && let Some(x) = part(zip, &name, budget)?
                        {
                            return Ok(Some(x));
                        }
                        break;
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    part(zip, "word/document.xml", budget)
}

/// What may still be expanded from the zip, and the whole file's limit (for the message).
struct Budget {
    left: u64,
    limit: u64,
}

/// Reads one part within the expanded-size budget. A missing part is `None`.
fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<String>, ReadError> {
    // The message names the file's limit, not what was left of it.
    let limit = || ReadError::Limit {
        what: "解压后的大小".into(),
        what_en: "expanded size".into(),
        limit: super::human_bytes(budget.limit),
    };
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_error(e)),
    };
    if f.size() > budget.left {
        return Err(limit());
    }
    let mut buf = Vec::with_capacity(f.size().min(budget.left).min(64 << 20) as usize);
    // The declared size may lie: read at most one byte past the budget.
    (&mut f)
        .take(budget.left.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > budget.left {
        return Err(limit());
    }
    drop(f);
    budget.left -= buf.len() as u64;
    xml_text(buf).map(Some)
}

/// XML parts are UTF-8 (or, rarely, UTF-16 with a byte-order mark).
fn xml_text(buf: Vec<u8>) -> Result<String, ReadError> {
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        let enc = if buf[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        return enc
            .decode_without_bom_handling_and_without_replacement(&buf[2..])
            .map(|c| c.into_owned())
            .ok_or_else(|| corrupt("XML 不是有效的 UTF-16"));
    }
    let start = if buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match String::from_utf8(buf) {
        Ok(mut s) => {
            s.drain(..start);
            Ok(s)
        }
        Err(_) => Err(corrupt("XML 不是有效的 UTF-8")),
    }
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let key = a.key.as_ref();
        let l = key
            .bytes()
            .rposition(|b| b == b':')
            .map_or(key, |i| &key[i + 1..]);
        (l == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_owned()
}

fn is_w(e: &BytesStart, wp: &str) -> bool {
    let name = e.name();
    let q = name.as_ref();
    match q.bytes().position(|b| b == b':') {
        Some(i) => &q[..i] == wp,
        None => wp.is_empty(),
    }
}
