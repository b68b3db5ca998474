//! Markdown reports (.md). The source text is the document: headings (`#`), bold and pipe
//! tables are recognised by `report/` directly in it, so that every span points at the
//! characters the author wrote.

use super::{Document, Format, ReadError, encoding};

/// Reads the bytes, keeping a large UTF-8 buffer as the text when the caller gave it up
/// ([`encoding::decode_cow`]).
pub(crate) fn read(bytes: std::borrow::Cow<'_, [u8]>) -> Result<Document, ReadError> {
    let d = encoding::decode_cow(bytes)?;
    Ok(Document::from_text(d.text, d.encoding, Format::Markdown))
}
