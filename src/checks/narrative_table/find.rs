//! Finding what `narrative_table` compares: the counts a link speaks of (its words, found
//! in a number's words with one scan; the sentence, heading or section it stands in, asked
//! once per sentence and heading), and the sentences a claim speaks of.

use super::{Link, Params};
use crate::report::Report;
use crate::report::number::{Approx, Kind, Number};
use crate::report::table::Table;
use crate::text as cn;
use std::ops::Range;

/// Every word of `skip_if` and of the links' `words`, `all`, `exclude`, `avoid`, `context`
/// and `also_if`, found in a number's words, or in its whole sentence, with one scan instead
/// of one search per word.
#[derive(Debug)]
pub(super) struct Vocab {
    ac: aho_corasick::AhoCorasick,
    /// Ids of the words of `skip_if` (`None`: an empty word, never present).
    pub(super) skip_if: Vec<Option<usize>>,
    /// Ids of each link's `words`, `all`, `exclude`, `avoid`, `context` and `also_if`.
    links: Vec<[Vec<Option<usize>>; 6]>,
}

/// Which words of the vocabulary a text contains: as a word of its own (not the start of a
/// rate's name, see [`cn::contains_word`]), and at all.
pub(super) struct Present {
    word: Vec<bool>,
    any: Vec<bool>,
}

impl Vocab {
    pub(super) fn new(
        skip_if: &[String],
        links: &[Link],
    ) -> Result<Vocab, aho_corasick::BuildError> {
        let mut list: Vec<String> = Vec::new();
        let mut id = |w: &String| -> Option<usize> {
            if w.is_empty() {
                return None;
            }
            Some(list.iter().position(|x| x == w).unwrap_or_else(|| {
                list.push(w.clone());
                list.len() - 1
            }))
        };
        let skip_if = skip_if.iter().map(&mut id).collect();
        let links = links
            .iter()
            .map(|l| {
                [
                    &l.words, &l.all, &l.exclude, &l.avoid, &l.context, &l.also_if,
                ]
                .map(|ws| ws.iter().map(&mut id).collect())
            })
            .collect();
        // A contiguous NFA: built many times faster than the DFA `new` picks for a short
        // list (start-up counts for one file), and scanning the short texts before numbers
        // is about as fast.
        let ac = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&list)?;
        Ok(Vocab { ac, skip_if, links })
    }

    pub(super) fn scan(&self, text: &str) -> Present {
        let n = self.ac.patterns_len();
        let mut p = Present {
            word: vec![false; n],
            any: vec![false; n],
        };
        for m in self.ac.find_overlapping_iter(text) {
            let i = m.pattern().as_usize();
            p.any[i] = true;
            if !text[m.end()..].starts_with('率') {
                p.word[i] = true;
            }
        }
        p
    }
}

impl Present {
    fn word(&self, id: Option<usize>) -> bool {
        id.is_some_and(|i| self.word[i])
    }

    pub(super) fn any(&self, id: Option<usize>) -> bool {
        id.is_some_and(|i| self.any[i])
    }
}

impl Params {
    /// A count with one of `units`, of the report's year (`skip_if` is checked by the caller).
    /// `year` is the nearest year before the number in its sentence.
    pub(super) fn is_candidate(&self, r: &Report, n: &Number, year: Option<f64>) -> bool {
        if n.kind != Kind::Count || n.approx == Approx::Vague {
            return false;
        }
        if !n
            .unit()
            .is_some_and(|u| self.units.iter().any(|x| x.as_str() == u))
        {
            return false;
        }
        // The nearest year before the number in its sentence must be the report's.
        match (year, r.meta.year) {
            (Some(y), Some(ry)) => y == f64::from(ry),
            (Some(_), None) => false,
            (None, _) => true,
        }
    }

    pub(super) fn link_for<'t>(
        &'t self,
        r: &'t Report,
        n: &Number,
        vocab: &Vocab,
        present: &Present,
        tables: &[Option<&'t Table>],
        memo: &mut Memo,
    ) -> Option<(usize, &'t Link, &'t Table)> {
        for (li, link) in self.links.iter().enumerate() {
            let [words, all, exclude, ..] = &vocab.links[li];
            if !words.iter().any(|&w| present.word(w))
                || !all.iter().all(|&w| present.word(w))
                || exclude.iter().any(|&w| present.word(w))
            {
                continue;
            }
            let Some(table) = tables.get(li).copied().flatten() else {
                continue;
            };
            if memo.sentence_has(r, vocab, n.sentence(), Ask::Avoid, li) {
                continue;
            }
            if !link.context.is_empty() || link.section.is_some() {
                // As `subject_ok`, with the answers kept for the next numbers.
                let about = memo.sentence_has(r, vocab, n.sentence(), Ask::Context, li)
                    || memo.heading_has(r, n.span().start, li, &link.context)
                    || in_section(r, n.span().start, &link.section, &mut memo.sections);
                if !about {
                    continue;
                }
            }
            return Some((li, link, table));
        }
        None
    }
}

/// What is asked of a whole sentence: whether it contains a word of the link's `avoid`,
/// `context` or `also_if` (the vocabulary's lists 3, 4 and 5).
#[derive(Clone, Copy)]
pub(super) enum Ask {
    Avoid = 3,
    Context = 4,
    AlsoIf = 5,
}

/// Answers about the current sentence and the heading above the current number, for each
/// link, computed at most once (numbers come in text order, so one sentence and one heading
/// are current at a time).
pub(super) struct Memo {
    sentence: usize,
    /// The vocabulary's words in the current sentence, found at its first question.
    in_sentence: Option<Present>,
    /// The heading (index into the outline) the answers in `under` are for.
    heading: Option<usize>,
    under: Vec<Option<bool>>,
    sections: SectionRanges,
}

impl Memo {
    pub(super) fn new(links: usize) -> Memo {
        Memo {
            sentence: usize::MAX,
            in_sentence: None,
            heading: None,
            under: vec![None; links],
            sections: SectionRanges::default(),
        }
    }

    /// Moves to sentence `s`, forgetting the answers about the previous one.
    pub(super) fn at(&mut self, s: usize) {
        if self.sentence != s {
            self.sentence = s;
            self.in_sentence = None;
        }
    }

    /// Whether sentence `s` contains one of link `li`'s words for `ask`.
    pub(super) fn sentence_has(
        &mut self,
        r: &Report,
        vocab: &Vocab,
        s: usize,
        ask: Ask,
        li: usize,
    ) -> bool {
        self.at(s);
        let present = self.in_sentence.get_or_insert_with(|| {
            let text = r
                .numbers
                .sentences
                .get(s)
                .and_then(|s| r.text.get(s.span()))
                .unwrap_or("");
            vocab.scan(text)
        });
        vocab
            .links
            .get(li)
            .is_some_and(|lists| lists[ask as usize].iter().any(|&w| present.any(w)))
    }

    /// The heading above `pos` contains one of `words`.
    fn heading_has(&mut self, r: &Report, pos: usize, li: usize, words: &[String]) -> bool {
        let hs = &r.outline.headings;
        let Some(h) = hs.partition_point(|h| h.span().start <= pos).checked_sub(1) else {
            return false;
        };
        if self.heading != Some(h) {
            self.heading = Some(h);
            self.under.iter_mut().for_each(|u| *u = None);
        }
        *self.under[li].get_or_insert_with(|| {
            hs.get(h)
                .is_some_and(|h| cn::contains_any(r.text.get(h.title()).unwrap_or(""), words))
        })
    }
}

/// `pos` lies in the template section `section`.
fn in_section(
    r: &Report,
    pos: usize,
    section: &Option<String>,
    sections: &mut SectionRanges,
) -> bool {
    section
        .as_deref()
        .and_then(|id| sections.get(r, id))
        .is_some_and(|range| range.contains(&pos))
}

/// Section ranges looked up once per report.
#[derive(Default)]
pub(super) struct SectionRanges(Vec<(String, Option<Range<usize>>)>);

impl SectionRanges {
    fn get(&mut self, r: &Report, id: &str) -> Option<Range<usize>> {
        if let Some((_, range)) = self.0.iter().find(|(k, _)| k == id) {
            return range.clone();
        }
        let range = r.section_range(id);
        self.0.push((id.to_owned(), range.clone()));
        range
    }
}

/// The sentence, or the heading above `pos`, contains one of `context`, or `pos` lies in the
/// template section `section`. No context and no section: always.
pub(super) fn subject_ok(
    r: &Report,
    pos: usize,
    sentence: usize,
    context: &[String],
    section: &Option<String>,
    sections: &mut SectionRanges,
) -> bool {
    if context.is_empty() && section.is_none() {
        return true;
    }
    if let Some(s) = r.numbers.sentences.get(sentence)
        && cn::contains_any(r.text.get(s.span()).unwrap_or(""), context)
    {
        return true;
    }
    let hs = &r.outline.headings;
    let above = hs.partition_point(|h| h.span().start <= pos);
    if let Some(h) = above.checked_sub(1).and_then(|i| hs.get(i))
        && cn::contains_any(r.text.get(h.title()).unwrap_or(""), context)
    {
        return true;
    }
    in_section(r, pos, section, sections)
}
