//! Plain-text reports (.txt): text extracted from web pages, Word or PDF by other tools,
//! with tables as tab-separated or space-aligned rows. The text is the document; tables are
//! read from it by `report/`.

use super::{Document, Format, ReadError, encoding};

/// Reads the bytes, keeping a large UTF-8 buffer as the text when the caller gave it up
/// ([`encoding::decode_cow`]).
pub(crate) fn read(bytes: std::borrow::Cow<'_, [u8]>) -> Result<Document, ReadError> {
    let d = encoding::decode_cow(bytes)?;
    Ok(Document::from_text(d.text, d.encoding, Format::Text))
}
