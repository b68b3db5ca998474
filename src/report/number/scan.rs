//! The scanner: [`build`] joins the text lines of each paragraph (also across page breaks)
//! and passes over its characters once, closing sentences and clauses, handing each number's
//! start to the readers and filling in each number's context.

use super::ctx::Ctx;
use super::{Kind, Number, Numbers, Script, Sentence};
use crate::report::contact::Contacts;
use crate::report::span::{ByteSpan, narrow};
use crate::report::{LineKind, Lines};
use crate::text as cn;
use std::ops::Range;

/// Spans found by other readers (dates, contact details) that are numbers of a known kind.
struct Known {
    span: Range<usize>,
    kind: Kind,
}

/// Reads every number of the text.
///
/// `breaks_before[i]` is true when line `i` starts a new paragraph even if the previous line
/// ran on (a heading or a numbered paragraph); `no_join[i]` when line `i` never runs on into
/// the next (the title, a short heading).
pub(crate) fn build(
    text: &str,
    lines: &Lines,
    starts_block: &[bool],
    no_join: &[bool],
    contacts: &Contacts,
) -> Numbers {
    let mut known: Vec<Known> = Vec::new();
    known.extend(contacts.phones.iter().map(|p| Known {
        span: p.span.clone(),
        kind: Kind::Phone,
    }));
    known.extend(contacts.postcodes.iter().map(|p| Known {
        span: p.span.clone(),
        kind: Kind::Postcode,
    }));
    known.extend(contacts.emails.iter().map(|e| Known {
        span: e.span.clone(),
        kind: Kind::Code,
    }));
    known.extend(contacts.websites.iter().map(|w| Known {
        span: w.clone(),
        kind: Kind::Code,
    }));
    known.sort_by_key(|k| (k.span.start, std::cmp::Reverse(k.span.end)));

    let mut out = Numbers::default();
    // Prose has a number every 50–100 bytes and a clause every 20–40.
    out.items.reserve(text.len() / 64);
    out.clauses.reserve(text.len() / 32);
    let mut scanner = Scanner {
        text,
        known: &known,
        known_at: 0,
        out: &mut out,
        paragraph: 0,
    };
    let mut i = 0;
    // Each character of a paragraph with its byte offset: 8 bytes a character (a paragraph
    // can be the whole file, `sentence-3mb.txt`), reserved at the paragraph's character count.
    let mut buf: Vec<(u32, char)> = Vec::new();
    while i < lines.len() {
        let l = &lines[i];
        match l.kind() {
            LineKind::Blank => {
                i += 1;
                continue;
            }
            LineKind::Table => {
                i += 1;
                continue;
            }
            LineKind::Text => {}
        }
        buf.clear();
        let mut cur = i;
        loop {
            let lc = &lines[cur];
            let line = &text[lc.content()];
            buf.reserve(line.chars().count());
            let base = lc.content().start;
            buf.extend(line.char_indices().map(|(o, c)| (narrow(base + o), c)));
            match next_run_on(text, lines, cur, starts_block, no_join) {
                Some(j) => cur = j,
                None => break,
            }
        }
        scanner.paragraph(&buf);
        i = cur + 1;
    }
    // Kept for the whole check of the file: no spare capacity.
    out.items.shrink_to_fit();
    out.sentences.shrink_to_fit();
    out.clauses.shrink_to_fit();
    out
}

/// The line the paragraph on line `cur` continues on, if it was broken mid-sentence by a page
/// break (seed 000): `cur` is long prose without closing punctuation, and after at most a few
/// blank lines comes a text line that does not start a new block.
fn next_run_on(
    text: &str,
    lines: &Lines,
    cur: usize,
    starts_block: &[bool],
    no_join: &[bool],
) -> Option<usize> {
    if no_join.get(cur).copied().unwrap_or(false) {
        return None;
    }
    let content = &text[lines[cur].content()];
    // Short lines (titles, signatures) never run on.
    content.chars().nth(19)?;
    let last = content.chars().last()?;
    if matches!(
        last,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '：' | ':' | '）' | ')' | '”' | '】'
    ) {
        return None;
    }
    let mut j = cur + 1;
    while j < lines.len() && j <= cur + 6 {
        match lines[j].kind() {
            LineKind::Blank => j += 1,
            LineKind::Text if !starts_block.get(j).copied().unwrap_or(false) => return Some(j),
            _ => return None,
        }
    }
    None
}

pub(super) struct Scanner<'t, 'o> {
    pub(super) text: &'t str,
    known: &'t [Known],
    known_at: usize,
    out: &'o mut Numbers,
    paragraph: usize,
}

/// Characters the scanner acts on: digits, Chinese numerals, `第`, sentence and clause
/// punctuation, brackets. A bit per character of the Basic Multilingual Plane.
static INTERESTING: [u64; 1024] = {
    const CHARS: &str = "0123456789０１２３４５６７８９〇零○Ｏ一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿第\
        。！？!?，,；;：:\t|（(）)《》";
    let mut t = [0u64; 1024];
    let b = CHARS.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Decode UTF-8 by hand (const context): 1- or 3-byte characters only.
        let (c, len) = if b[i] < 0x80 {
            (b[i] as usize, 1)
        } else {
            (
                ((b[i] as usize & 0x0f) << 12)
                    | ((b[i + 1] as usize & 0x3f) << 6)
                    | (b[i + 2] as usize & 0x3f),
                3,
            )
        };
        t[c >> 6] |= 1 << (c & 63);
        i += len;
    }
    t
};

fn interesting(c: char) -> bool {
    let u = c as usize;
    u < 0x10000 && INTERESTING[u >> 6] & (1 << (u & 63)) != 0
}

pub(super) fn is_digit(c: char) -> bool {
    cn::ascii_digit(c).is_some()
}

pub(super) fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\u{a0}'
}

fn is_clause_sep(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '\t' | '|')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

impl Scanner<'_, '_> {
    /// Scans one paragraph given as (byte offset, char) pairs.
    fn paragraph(&mut self, cs: &[(u32, char)]) {
        if cs.is_empty() {
            return;
        }

        let end_of = |k: usize| -> usize {
            match cs.get(k) {
                Some(&(o, _)) => o as usize,
                None => cs.last().map_or(0, |&(o, c)| o as usize + c.len_utf8()),
            }
        };
        let first_number = self.out.items.len();
        let mut sent_start = cs[0].0 as usize;
        let mut sent_numbers = first_number;
        let mut sent_depth = 0u8;
        let mut clause_start = cs[0].0 as usize;
        let mut clause_k = 0usize;
        let mut depth = 0u8;
        let mut book = 0u8;
        let mut k = 0usize;
        while k < cs.len() {
            let (off, c) = (cs[k].0 as usize, cs[k].1);
            // Most characters neither start a number nor end a clause or bracket: skip them at
            // once (this loop runs over every character of every report).
            if !interesting(c) {
                k += 1 + cs[k + 1..]
                    .iter()
                    .take_while(|&&(_, c)| !interesting(c))
                    .count();
                continue;
            }
            // Spans other readers recognised.
            while self.known_at < self.known.len() && self.known[self.known_at].span.end <= off {
                self.known_at += 1;
            }
            if let Some(kn) = self.known.get(self.known_at)
                && kn.span.start <= off
                && (is_digit(c) || cn::digit(c).is_some())
            {
                let start_k = k;
                while k < cs.len() && (cs[k].0 as usize) < kn.span.end {
                    k += 1;
                }
                let span = kn.span.start.max(cs[start_k].0 as usize)..end_of(k).min(kn.span.end);
                let mut n = Number::plain(span.clone(), span, 0.0, 0, kn.kind, Script::Arabic);
                n.depth = depth;
                n.sentence = narrow(self.out.sentences.len());
                self.push_raw(n);
                continue;
            }
            if is_sentence_end(c) {
                let end = off + c.len_utf8();
                self.out.clauses.push(ByteSpan::new(clause_start..off));
                self.close_sentence(sent_start..end, sent_numbers, sent_depth);
                k += 1;
                sent_start = end_of(k);
                clause_start = sent_start;
                clause_k = k;
                sent_numbers = self.out.items.len();
                sent_depth = depth;
                continue;
            }
            if is_clause_sep(c) {
                self.out.clauses.push(ByteSpan::new(clause_start..off));
                k += 1;
                clause_start = end_of(k);
                clause_k = k;
                continue;
            }
            match c {
                '（' | '(' | '〔' | '[' | '［' | '【' => {
                    if matches!(c, '（' | '(') {
                        depth = depth.saturating_add(1);
                    }
                    k += 1;
                    continue;
                }
                '）' | ')' => {
                    depth = depth.saturating_sub(1);
                    k += 1;
                    continue;
                }
                '《' => {
                    book = book.saturating_add(1);
                    k += 1;
                    continue;
                }
                '》' => {
                    book = book.saturating_sub(1);
                    k += 1;
                    continue;
                }
                _ => {}
            }
            let ctx = Ctx {
                cs,
                clause_k,
                depth,
                book,
            };
            if let Some((n, next)) = self.read_date(&ctx, k) {
                self.push_raw(n);
                k = next;
                continue;
            }
            if let Some((n, next)) = self.read_number(&ctx, k) {
                if let Some(n) = n {
                    self.push_raw(n);
                }
                let next = next.max(k + 1);
                // An ordinal read with its brackets (`（一）`) closes what it opened: keep the
                // depth of the rest of the paragraph right (corpus 010).
                for &(_, c) in &cs[k..next.min(cs.len())] {
                    match c {
                        '（' | '(' => depth = depth.saturating_add(1),
                        '）' | ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                k = next;
                continue;
            }
            k += 1;
        }
        let end = end_of(cs.len());
        if clause_start < end {
            self.out.clauses.push(ByteSpan::new(clause_start..end));
        }
        if sent_start < end {
            self.close_sentence(sent_start..end, sent_numbers, sent_depth);
        }
        self.fill_context(self.text, first_number);
        self.paragraph += 1;
    }

    fn close_sentence(&mut self, span: Range<usize>, numbers: usize, depth: u8) {
        let idx = narrow(self.out.sentences.len());
        for n in &mut self.out.items[numbers..] {
            n.sentence = idx;
        }
        self.out.sentences.push(Sentence {
            span: ByteSpan::new(span),
            paragraph: narrow(self.paragraph),
            numbers: (narrow(numbers), narrow(self.out.items.len())),
            depth,
        });
    }

    fn push_raw(&mut self, mut n: Number) {
        n.clause = narrow(self.out.clauses.len());
        self.out.items.push(n);
    }

    /// Fills `before` and `after` of the paragraph's numbers from their clauses.
    fn fill_context(&mut self, text: &str, first: usize) {
        let clauses = &self.out.clauses;
        let items = &mut self.out.items;
        let len = items.len();
        for i in first..len {
            let Some(cl) = clauses.get(items[i].clause()).map(|c| c.range()) else {
                continue;
            };
            let mut b = cl.start;
            for j in (first..i).rev() {
                if items[j].clause != items[i].clause {
                    break;
                }
                if items[j].kind != Kind::Name {
                    b = b.max(items[j].span.end());
                    break;
                }
            }
            let mut a = cl.end;
            for j in i + 1..len {
                if items[j].clause != items[i].clause {
                    break;
                }
                if items[j].kind != Kind::Name {
                    a = a.min(items[j].span.start());
                    break;
                }
            }
            let s = items[i].span();
            // `68件、办结66件`: what follows 、 is the next item's, not this number's.
            if let Some(p) = text.get(s.end..a.max(s.end)).and_then(|t| t.find('、')) {
                a = s.end + p;
            }
            items[i].before_start = narrow(b.min(s.start));
            items[i].after_end = narrow(a.max(s.end));
            items[i].context = true;
        }
    }
}
