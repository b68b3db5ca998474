//! Byte offsets to lines and columns. Lines and columns are 1-based; columns count Unicode
//! scalar values (characters), and UTF-16 code units for editors that speak LSP.
//! A line ends at `\n`; a `\r` before it is not part of the line.

use std::ops::Range;

/// Where each line starts. Offsets are kept as `u32` (4 bytes a line: a file of short lines
/// has a line every few bytes); texts are far below 4 GiB (`--max-file-size` is at most
/// 1 GB), and an offset past that would only make lines after it start at the last one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineIndex {
    starts: Vec<u32>,
    len: usize,
}

/// A resolved position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    /// 1-based line.
    pub(crate) line: usize,
    /// 1-based column in characters.
    pub(crate) column: usize,
    /// 1-based column in UTF-16 code units.
    pub(crate) utf16_column: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        // Counted first so that the index is allocated once, at its size.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut starts = Vec::with_capacity(lines);
        starts.push(0);
        starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Only the language server (not built for wasm32) and tests count lines.
    #[cfg(any(test, not(target_arch = "wasm32")))]
    pub(crate) fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// Byte range of 0-based `line`, without the line ending.
    pub(crate) fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(self.len, |&e| e as usize - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(self.len, |&s| s as usize)
    }

    /// Resolves a byte offset. Offsets inside a character or past the end are clamped.
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let prefix = &text[start..offset];
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        Position {
            line: line + 1,
            column: prefix.chars().count() + 1,
            utf16_column: prefix.encode_utf16().count() + 1,
        }
    }
}

/// The largest char boundary `<= i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "一、总体\r\nab𝄞c\n";
        let li = LineIndex::new(t);
        assert_eq!(li.line_count(), 3);
        let p = li.position(t, t.find('a').unwrap());
        assert_eq!((p.line, p.column, p.utf16_column), (2, 1, 1));
        let p = li.position(t, t.find('c').unwrap());
        assert_eq!((p.line, p.column, p.utf16_column), (2, 4, 5));
        assert_eq!(&t[li.line_range(t, 0)], "一、总体");
        let p = li.position(t, 4); // inside 、
        assert_eq!((p.line, p.column), (1, 2));
    }
}
