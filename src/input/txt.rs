//! Plain-text reports (.txt): text extracted from web pages, Word or PDF by other tools,
//! with tables as tab-separated or space-aligned rows. The text is the document; tables are
//! read from it by `report/`.

use super::{Document, Format, ReadError, encoding};

pub(crate) fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let d = encoding::decode(bytes)?;
    Ok(Document::from_text(d.text, d.encoding, Format::Text))
}
