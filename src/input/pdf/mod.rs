//! PDF files, read with the pure-Rust `lopdf` (objects, streams, encryption, font
//! encodings) and our own interpreter of page content, which keeps the position of every
//! piece of text so that lines, paragraphs and tables can be rebuilt.
//!
//! Fonts: simple fonts through their encoding, `Identity-H` CID fonts through their
//! `ToUnicode` map, and the predefined Chinese CMaps of non-embedded fonts — the common
//! `STSong-Light` with `UniGB-UCS2-H` (fixtures/inputs/qingshan.pdf), `UniGB-UTF16-H`,
//! and the GBK/GB2312 CMaps (`GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`).
//!
//! Layout, page by page:
//! - text pieces on one baseline form a line; a gap wider than two characters becomes a tab
//!   (a table without rules, left to the text table reader); text drawn twice at almost the
//!   same place (fake bold) is kept once; rotated text (watermarks) is dropped;
//! - tables with ruling lines are rebuilt from the lines: rows and columns from the rule
//!   positions, merged cells where an inner rule is missing, each piece of text put in the
//!   cell that contains it; a table that goes on at the top of the next page with the same
//!   columns is joined to it;
//! - lines are joined into paragraphs when a line runs to the right margin and the next one
//!   starts at the left margin without indent (also across a page break);
//! - page numbers alone on the first or last line of a page (`— 2 —`, `第 2 页`) are dropped.
//!
//! Every paragraph is located by the page it starts on (`第2页`), every table cell by page,
//! table, row and column. A PDF with pages but (almost) no text is a scan: `NB002`.
//!
//! Limits: pages (`Limits::max_entries`), decompressed content (`Limits::max_expanded_bytes`
//! over the whole file), nesting of saved graphics states and form XObjects.
//!
//! Submodules:
//! - `fonts`: font encodings and widths: simple fonts, CID fonts, the predefined CMaps;
//! - `interpreter`: the content stream interpreter: text pieces and rules of a page, in
//!   user space, through form XObjects;
//! - `layout`: lines from text pieces, the page's items and margins, paragraphs joined
//!   within and across pages, page numbers dropped;
//! - `tables`: tables rebuilt from ruling lines, merged cells, tables continued on the
//!   next page;
//! - `tests`: unit tests.

mod fonts;
mod interpreter;
mod layout;
mod tables;
#[cfg(test)]
mod tests;

use super::{Document, Limits, ReadError};
use interpreter::Interp;
use layout::{Page, assemble, layout};
use lopdf::Object;

const FORMAT: &str = "PDF";

fn corrupt(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: FORMAT.into(),
        detail: detail.to_string(),
    }
}

/// Bytes at the end of a PDF searched for its end marker `%%EOF` (writers put it last,
/// some add a line or a few bytes of padding after it).
const EOF_TAIL: usize = 1024;

/// True when the end marker is missing: the file was cut (an interrupted download or copy).
/// Such a file may still parse (its first pages), and checking half a report gives
/// findings about what is missing from the other half; it is reported as damaged instead.
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(EOF_TAIL)..];
    memchr::memmem::find(tail, b"%%EOF").is_none()
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if is_truncated(bytes) {
        return Err(corrupt(
            "结尾缺少 %%EOF 标记，文件被截断，只有前一部分（可能下载或复制没有完成） (cut short: no %%EOF at the end)",
        ));
    }
    let opts = lopdf::LoadOptions {
        max_decompressed_size: Some(
            usize::try_from(limits.max_expanded_bytes).unwrap_or(usize::MAX),
        ),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, opts)
        .map_err(|e| load_error(e, limits.max_expanded_bytes))?;
    if doc.is_encrypted() {
        return Err(ReadError::Encrypted {
            format: FORMAT.into(),
        });
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(corrupt("找不到任何页面 (no pages)"));
    }
    if pages.len() > limits.max_entries {
        return Err(ReadError::Limit {
            what: "PDF 页数".into(),
            what_en: "number of PDF pages".into(),
            limit: limits.max_entries.to_string(),
        });
    }
    let mut budget = usize::try_from(limits.max_expanded_bytes).unwrap_or(usize::MAX);
    let mut laid: Vec<Page> = Vec::with_capacity(pages.len());
    for (&no, &id) in &pages {
        let mut page = Interp::new(&doc, &mut budget, limits.max_expanded_bytes).page(id)?;
        page.number = no as usize;
        laid.push(layout(page));
    }
    let (text_chars, bad_chars) = laid
        .iter()
        .flat_map(|p| p.items.iter())
        .flat_map(|i| i.text_chars())
        .fold((0usize, 0usize), |(t, b), c| {
            (
                t + 1,
                b + usize::from(c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c)),
            )
        });
    if text_chars < 10 * laid.len() {
        return Err(ReadError::NoTextLayer { pages: laid.len() });
    }
    if bad_chars * 10 > text_chars * 3 {
        return Err(ReadError::UnmappedFonts { pages: laid.len() });
    }
    assemble(laid)
}

fn load_error(e: lopdf::Error, expanded: u64) -> ReadError {
    match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ReadError::Encrypted {
            format: FORMAT.into(),
        },
        lopdf::Error::Decompress(_) => ReadError::Limit {
            what: "解压后的大小".into(),
            what_en: "expanded size".into(),
            limit: super::human_bytes(expanded),
        },
        e => {
            let s = e.to_string();
            if s.contains("encrypt") || s.contains("password") {
                ReadError::Encrypted {
                    format: FORMAT.into(),
                }
            } else {
                corrupt(format!("无法解析文件结构 ({s})"))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------

/// A PDF matrix `[a b c d e f]`; points are row vectors: `p' = p × M`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct M([f32; 6]);

impl M {
    const ID: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn mul(self, o: M) -> M {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        M([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate(x: f32, y: f32) -> M {
        M([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

fn num(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|v| v.is_finite())
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    let mut out = [0.0; N];
    if ops.len() < N {
        return None;
    }
    for (slot, o) in out.iter_mut().zip(ops) {
        *slot = num(o)?;
    }
    Some(out)
}
