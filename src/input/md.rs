//! Markdown reports (.md). The source text is the document: headings (`#`), bold and pipe
//! tables are recognised by `report/` directly in it, so that every span points at the
//! characters the author wrote.

use super::{Document, Format, ReadError, encoding};

pub(crate) fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let d = encoding::decode(bytes)?;
    Ok(Document::from_text(d.text, d.encoding, Format::Markdown))
}
