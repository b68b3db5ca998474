//! placeholder
use super::{Document, Limits, ReadError};
pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Empty)
}
