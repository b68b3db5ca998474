//! Notes: footnotes, endnotes and comments (批注) as plain text by id, and the flat text of
//! blocks (paragraphs joined by line breaks) that notes and nested tables are read as.

use super::body::{Block, parse_xml};
use crate::input::doc_builder::one_line;
use crate::input::{Limits, ReadError};

pub(super) fn parse_notes(xml: &str, limits: &Limits) -> Result<Vec<(String, String)>, ReadError> {
    let parsed = parse_xml(xml, limits)?;
    let mut out = Vec::new();
    for (id, blocks) in parsed.notes {
        let mut text = String::new();
        flat_text(&blocks, &mut text);
        let text = text.trim().to_owned();
        if !text.is_empty() {
            out.push((id, text));
        }
    }
    Ok(out)
}

/// All text of blocks, paragraphs joined by line breaks (for notes and table cells).
pub(super) fn flat_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Para(p) => {
                if !out.is_empty() && !p.text.trim().is_empty() {
                    out.push('\n');
                }
                out.push_str(&p.text);
                for bx in &p.boxes {
                    flat_text(bx, out);
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| {
                            let mut s = String::new();
                            flat_text(&c.blocks, &mut s);
                            one_line(&s)
                        })
                        .filter(|s| !s.is_empty())
                        .collect();
                    if !cells.is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&cells.join(" "));
                    }
                }
            }
        }
    }
}
