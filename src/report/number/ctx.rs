//! [`Ctx`]: the characters of a paragraph with their byte offsets, as the readers see them at
//! a position (clause start, bracket depth, inside `《》`).

use super::scan::{is_digit, is_space};

/// What the scanner knows at a position.
pub(super) struct Ctx<'c> {
    pub(super) cs: &'c [(u32, char)],
    pub(super) clause_k: usize,
    pub(super) depth: u8,
    pub(super) book: u8,
}

impl Ctx<'_> {
    pub(super) fn at(&self, k: usize) -> Option<char> {
        self.cs.get(k).map(|&(_, c)| c)
    }

    pub(super) fn off(&self, k: usize) -> usize {
        match self.cs.get(k) {
            Some(&(o, _)) => o as usize,
            None => self
                .cs
                .last()
                .map_or(0, |&(o, c)| o as usize + c.len_utf8()),
        }
    }

    /// Byte offset just after index `k - 1` (the end of a range ending before `k`).
    pub(super) fn end(&self, k: usize) -> usize {
        match k.checked_sub(1).and_then(|p| self.cs.get(p)) {
            Some(&(o, c)) => o as usize + c.len_utf8(),
            None => self.off(0),
        }
    }

    /// The end of a span from `from` to `to`, cut at the first line break inside it: a unit
    /// found on the next line after a page break is read, but the span stays on one line.
    pub(super) fn line_end(&self, from: usize, to: usize) -> usize {
        let mut last = from;
        for k in from + 1..to.min(self.cs.len()) {
            let (po, pc) = self.cs[k - 1];
            if self.cs[k].0 != po + pc.len_utf8() as u32 {
                return po as usize + pc.len_utf8();
            }
            last = k;
        }
        if to > from {
            self.end(to).max(self.off(last))
        } else {
            self.off(from)
        }
    }

    pub(super) fn starts_with(&self, k: usize, w: &str) -> bool {
        (k..).zip(w.chars()).all(|(i, c)| self.at(i) == Some(c))
    }

    pub(super) fn ends_with(&self, k: usize, w: &str) -> bool {
        let n = w.chars().count();
        k >= n && self.starts_with(k - n, w)
    }

    pub(super) fn skip_spaces(&self, mut k: usize) -> usize {
        while self.at(k).is_some_and(is_space) {
            k += 1;
        }
        k
    }

    pub(super) fn prev_nonspace(&self, k: usize) -> Option<(usize, char)> {
        let mut p = k.checked_sub(1)?;
        loop {
            let c = self.at(p)?;
            if !is_space(c) {
                return Some((p, c));
            }
            p = p.checked_sub(1)?;
        }
    }

    pub(super) fn next_nonspace(&self, k: usize) -> Option<(usize, char)> {
        let k = self.skip_spaces(k);
        self.at(k).map(|c| (k, c))
    }

    /// Whether only white space and Markdown emphasis stand between the clause start and `k`.
    pub(super) fn at_clause_start(&self, k: usize) -> bool {
        (self.clause_k..k).all(|i| {
            self.at(i)
                .is_some_and(|c| is_space(c) || matches!(c, '*' | '#' | '>' | '-' | '_'))
        })
    }

    /// The end of a run of code characters (digits, letters, `-/._:@`) from `k`.
    pub(super) fn skip_code(&self, mut k: usize) -> usize {
        while let Some(c) = self.at(k) {
            if is_digit(c)
                || c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '/'
                        | '.'
                        | '_'
                        | ':'
                        | '@'
                        | '－'
                        | '—'
                        | '~'
                        | '～'
                        | '\\'
                        | '#'
                        | '='
                        | '?'
                        | '&'
                        | '%'
                )
            {
                k += 1;
            } else {
                break;
            }
        }
        k
    }
}
