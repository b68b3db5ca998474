//! Source snippets for the human output. Report paragraphs are often one very long line (a
//! Word paragraph is a line in the extracted text; seed 003 has a line of 800 characters), and
//! printing such a line whole buries the underline. This module presents codespan-reporting
//! with a virtual file: only the lines the labels touch, long lines cut to windows around the
//! labelled text with `…`, while line numbers and the `-->` column stay those of the real file.

use crate::position::LineIndex;
use codespan_reporting::files::{Error, Files, Location};
use std::ops::Range;

/// Lines longer than this (in characters) are windowed.
const MAX_LINE: usize = 100;
/// Characters of context kept on each side of a labelled span.
const CONTEXT: usize = 24;
const ELLIPSIS: &str = "…";

/// One virtual line: pieces of an original line.
struct VLine {
    /// 1-based original line number.
    number: usize,
    /// Byte range of the line in the virtual source.
    range: Range<usize>,
    /// (original byte range, virtual start) of each piece copied.
    pieces: Vec<(Range<usize>, usize)>,
}

pub(crate) struct Windowed<'a> {
    name: &'a str,
    original: &'a str,
    index: &'a LineIndex,
    source: String,
    lines: Vec<VLine>,
}

impl<'a> Windowed<'a> {
    /// Whether windowing is needed for labels on these spans.
    pub(crate) fn needed(text: &str, index: &LineIndex, spans: &[Range<usize>]) -> bool {
        spans.iter().any(|s| {
            let l = index.line_of(s.start.min(text.len()));
            text[index.line_range(text, l)].chars().count() > MAX_LINE
        })
    }

    pub(crate) fn new(
        name: &'a str,
        original: &'a str,
        index: &'a LineIndex,
        spans: &[Range<usize>],
    ) -> Self {
        // Spans per touched line, clipped to the line.
        let mut per_line: std::collections::BTreeMap<usize, Vec<Range<usize>>> = Default::default();
        for s in spans {
            let start = s.start.min(original.len());
            let l = index.line_of(start);
            let lr = index.line_range(original, l);
            let end = s.end.clamp(start, lr.end.max(start));
            per_line.entry(l).or_default().push(start..end);
        }
        let mut w = Windowed {
            name,
            original,
            index,
            source: String::new(),
            lines: Vec::new(),
        };
        let touched: Vec<usize> = per_line.keys().copied().collect();
        for (i, &l) in touched.iter().enumerate() {
            if i > 0 {
                let prev = touched[i - 1];
                if l == prev + 2 {
                    w.push_line(prev + 1, &[]);
                } else if l > prev + 2 {
                    // Two empty virtual lines make codespan draw a break (·).
                    w.push_blank(prev + 2);
                    w.push_blank(l);
                }
            }
            w.push_line(l, &per_line[&l]);
        }
        w
    }

    fn push_blank(&mut self, number: usize) {
        let start = self.source.len();
        self.source.push('\n');
        self.lines.push(VLine {
            number,
            range: start..start,
            pieces: Vec::new(),
        });
    }

    fn push_line(&mut self, l: usize, spans: &[Range<usize>]) {
        let text = self.original;
        let lr = self.index.line_range(text, l);
        let line = &text[lr.clone()];
        let start = self.source.len();
        let mut pieces = Vec::new();
        if line.chars().count() <= MAX_LINE || spans.is_empty() {
            let shown = if spans.is_empty() {
                truncate_chars(line, MAX_LINE)
            } else {
                line
            };
            pieces.push((lr.start..lr.start + shown.len(), start));
            self.source.push_str(shown);
            if shown.len() < line.len() {
                self.source.push_str(ELLIPSIS);
            }
        } else {
            // Windows around each span, merged when close.
            let mut wins: Vec<Range<usize>> = spans
                .iter()
                .map(|s| {
                    back_chars(text, s.start, CONTEXT).max(lr.start)
                        ..fwd_chars(text, s.end, CONTEXT).min(lr.end)
                })
                .collect();
            wins.sort_by_key(|r| r.start);
            let mut merged: Vec<Range<usize>> = Vec::new();
            for r in wins {
                match merged.last_mut() {
                    Some(m) if r.start <= fwd_chars(text, m.end, 8) => m.end = m.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            for (i, r) in merged.iter().enumerate() {
                if i == 0 && r.start > lr.start || i > 0 {
                    self.source.push_str(ELLIPSIS);
                }
                pieces.push((r.clone(), self.source.len()));
                self.source.push_str(&text[r.clone()]);
            }
            if merged.last().is_some_and(|r| r.end < lr.end) {
                self.source.push_str(ELLIPSIS);
            }
        }
        let end = self.source.len();
        self.source.push('\n');
        self.lines.push(VLine {
            number: l + 1,
            range: start..end,
            pieces,
        });
    }

    /// Maps an original byte offset to the virtual source.
    pub(crate) fn map(&self, offset: usize) -> usize {
        let mut best = self.source.len().saturating_sub(1);
        for vl in &self.lines {
            for (orig, vstart) in &vl.pieces {
                if orig.start <= offset && offset <= orig.end {
                    return vstart + (offset - orig.start);
                }
                if offset > orig.end {
                    best = vstart + (orig.end - orig.start);
                }
            }
        }
        best
    }

    /// Maps a virtual offset back to the original text.
    fn unmap(&self, v: usize) -> usize {
        for vl in &self.lines {
            for (orig, vstart) in &vl.pieces {
                let len = orig.end - orig.start;
                if *vstart <= v && v <= vstart + len {
                    return orig.start + (v - vstart);
                }
            }
        }
        0
    }

    fn vline(&self, v: usize) -> usize {
        self.lines
            .iter()
            .rposition(|l| l.range.start <= v)
            .unwrap_or(0)
    }
}

fn truncate_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let at = crate::position::floor_char_boundary(text, at);
    text[..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| i)
}

fn fwd_chars(text: &str, at: usize, n: usize) -> usize {
    let at = crate::position::floor_char_boundary(text, at);
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

impl<'f> Files<'f> for Windowed<'_> {
    type FileId = ();
    type Name = &'f str;
    type Source = &'f str;

    fn name(&'f self, (): ()) -> Result<&'f str, Error> {
        Ok(self.name)
    }

    fn source(&'f self, (): ()) -> Result<&'f str, Error> {
        Ok(&self.source)
    }

    fn line_index(&'f self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self.vline(byte_index))
    }

    fn line_number(&'f self, (): (), line_index: usize) -> Result<usize, Error> {
        self.lines
            .get(line_index)
            .map(|l| l.number)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            })
    }

    fn line_range(&'f self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        self.lines
            .get(line_index)
            .map(|l| l.range.clone())
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.len(),
            })
    }

    fn location(&'f self, (): (), byte_index: usize) -> Result<Location, Error> {
        let p = self.index.position(self.original, self.unmap(byte_index));
        Ok(Location {
            line_number: p.line,
            column_number: p.column,
        })
    }
}
