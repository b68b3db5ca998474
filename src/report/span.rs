//! Byte ranges of the report text in 8 bytes instead of 16.
//!
//! A report's text is at most [`MAX_TEXT_BYTES`] (4 GiB − 1) long: `--max-file-size` is at
//! most 1 GB, and the readers refuse a decoded text past this bound (`input::read`), so every
//! offset into it fits a `u32`. [`Report::build`](super::Report::build) asserts the bound once;
//! the per-line, per-heading and per-number structures then store `u32` offsets (a file of
//! very short lines has millions of each, issue 13).
//!
//! Must not: hold anything but offsets into the one text it was made for.

use std::ops::Range;

pub(crate) use crate::input::MAX_TEXT_BYTES;

/// A byte offset into the report text, as stored.
///
/// The caller guarantees `offset <= MAX_TEXT_BYTES` (the text was checked once in
/// `Report::build`); a debug build checks it again.
#[inline]
pub(crate) fn narrow(offset: usize) -> u32 {
    debug_assert!(
        offset <= MAX_TEXT_BYTES,
        "offset {offset} past MAX_TEXT_BYTES"
    );
    offset as u32
}

/// A half-open byte range of the report text, stored as two `u32`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct ByteSpan {
    start: u32,
    end: u32,
}

impl ByteSpan {
    /// `r` must lie within a text of at most [`MAX_TEXT_BYTES`].
    #[inline]
    pub(crate) fn new(r: Range<usize>) -> ByteSpan {
        ByteSpan {
            start: narrow(r.start),
            end: narrow(r.end),
        }
    }

    #[inline]
    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    #[inline]
    pub(crate) fn start(self) -> usize {
        self.start as usize
    }

    #[inline]
    pub(crate) fn end(self) -> usize {
        self.end as usize
    }
}

impl From<Range<usize>> for ByteSpan {
    fn from(r: Range<usize>) -> ByteSpan {
        ByteSpan::new(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = ByteSpan::new(3..4_000_000_000);
        assert_eq!(s.range(), 3..4_000_000_000);
        assert_eq!((s.start(), s.end()), (3, 4_000_000_000));
        assert_eq!(std::mem::size_of::<ByteSpan>(), 8);
    }
}
