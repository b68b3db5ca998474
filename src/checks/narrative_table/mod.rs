//! `narrative_table`: a number in the text contradicts the statistical table it describes
//! (`共收到政府信息公开申请25件` while 表三's 一、本年新收 总计 is 27).
//!
//! Which numbers are compared with which cells is data. Each `[[check.narrative_table.links]]`
//! entry names a table (`table`, a schema id of the templates), a column (`column`) and the
//! rows whose cells are added (`rows`; `refused_*` adds every row whose id starts with
//! `refused_`). A count in the text is linked to it when:
//! - it is a count with one of `units` (`件`, `个`, …), not a year, date, rate or ordinal;
//! - its own words (the text before it in its clause, back to the previous number) contain
//!   one of `words` and every one of `all`, and none of `exclude` (a word followed by `率` is
//!   the name of a rate, not the word), and its sentence none of `avoid` (`来访`: the sentence
//!   speaks of something else);
//! - the subject is right: its sentence or the heading it stands under contains one of
//!   `context`, or it stands in the template section `section`;
//! - its words contain none of the kind's `skip_if` (`同比`, `较上年`…), and the nearest year
//!   before it in its sentence, if any, is the report's year.
//!
//! Links are tried in order and the first that fits is used, so a more specific link
//! (`予以公开及部分公开` with `all`) goes before a general one. Every linked number is checked,
//! not only the first. The number is accepted when its interval of true values (`25件` exactly
//! 25, `20余件` 20 to 29) holds the cells' sum, or the sum of the rows of one of `also` when
//! the sentence contains one of `also_if` (`收到申请27件（含上年结转2件）` is 一 + 二). A table
//! that could not be read, or cells that are blank, are not compared.
//!
//! `[[check.narrative_table.claims]]` entries check a claim about a whole table row: when a
//! sentence contains one of `phrases` (`均获维持`) and one of the keys of `rows`, the cells of
//! `columns` in those rows must all be 0 or blank; a non-zero cell is reported
//! (`行政复议7件，诉讼9件，均获维持` while 表四 has cases 尚未审结).
//!
//! Complexity: linear in the text and in the rule. Each number's own words (`before`, back
//! to the previous number) are scanned once with one automaton for every word of the rule;
//! what a link asks of a whole sentence (`avoid`, `context`, `also_if`) or of the heading
//! above is answered once per sentence or heading and link, not once per number (a sentence
//! can hold thousands of numbers); the nearest year is carried along as the numbers are
//! walked in order. Claims look at each sentence at most once.
//!
//! Parameters: `units`, `skip_if`, `[[…links]]` (`table`, `column`, `rows`, `label`,
//! `label_en`, `words`, `all`, `exclude`, `avoid`, `context`, `section`, `also`, `also_if`),
//! `[[…claims]]` (`phrases`, `table`, `columns`, `rows` as a table of word → row ids,
//! `context`, `section`).
//! Placeholders: `{stated}` (the words and number as written, `收到政府信息公开申请25件`; the
//! phrase for a claim), `{what}` (the link's label), `{table}` (`表三`), `{table_value}`,
//! `{difference}`, `{detail}` (what the table says, in a sentence), `{advice}` (the value
//! that would agree with the table, or for a claim what to change).
//!
//! ```toml
//! [check.narrative_table]
//! units = ["件"]
//! skip_if = ["同比", "较上年"]
//! [[check.narrative_table.links]]
//! table = "requests"
//! column = "total"
//! rows = ["new"]
//! label = "一、本年新收政府信息公开申请数量"
//! words = ["收到", "受理", "新收"]
//! exclude = ["上年", "办结"]
//! context = ["信息公开", "依申请"]
//! section = "requests"
//! also = [["new", "carried_in"]]
//! also_if = ["结转"]
//! ```

use super::{Ctx, Problem};
use crate::diagnostic::Lang;
use crate::report::Report;
use crate::report::cn;
use crate::report::number::{Approx, Kind, Number};
use crate::report::table::Table;
use crate::template::Template;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

pub const PLACEHOLDERS: &[&str] = &[
    "stated",
    "what",
    "table",
    "table_value",
    "difference",
    "detail",
    "advice",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub table: Spanned<String>,
    pub column: Spanned<String>,
    pub rows: Spanned<Vec<String>>,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    pub words: Vec<String>,
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Words in the sentence that show it speaks of something else (`来访`, `热线`).
    #[serde(default)]
    pub avoid: Vec<String>,
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub also: Option<Spanned<Vec<Vec<String>>>>,
    #[serde(default)]
    pub also_if: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub phrases: Vec<String>,
    pub table: Spanned<String>,
    pub columns: Spanned<Vec<String>>,
    /// A word in the sentence → the rows it speaks of (`复议` → `review`).
    pub rows: Spanned<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub units: Vec<String>,
    #[serde(default)]
    pub skip_if: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(skip)]
    vocab: Option<Vocab>,
}

/// Every word of `skip_if` and of the links' `words`, `all` and `exclude`, found in a
/// number's words with one scan instead of one search per word.
#[derive(Debug)]
struct Vocab {
    ac: aho_corasick::AhoCorasick,
    /// Ids of the words of `skip_if` (`None`: an empty word, never present).
    skip_if: Vec<Option<usize>>,
    /// Ids of each link's `words`, `all` and `exclude`.
    links: Vec<[Vec<Option<usize>>; 3]>,
}

/// Which words of the vocabulary a text contains: as a word of its own (not the start of a
/// rate's name, see [`cn::contains_word`]), and at all.
struct Present {
    word: Vec<bool>,
    any: Vec<bool>,
}

impl Vocab {
    fn new(skip_if: &[String], links: &[Link]) -> Result<Vocab, aho_corasick::BuildError> {
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
                    l.words.iter().map(&mut id).collect(),
                    l.all.iter().map(&mut id).collect(),
                    l.exclude.iter().map(&mut id).collect(),
                ]
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

    fn scan(&self, text: &str) -> Present {
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

    fn any(&self, id: Option<usize>) -> bool {
        id.is_some_and(|i| self.any[i])
    }
}

/// Checks that a table id, a column id and row ids (or `prefix*`) exist in some template.
fn check_ids(
    templates: &[Template],
    table: &Spanned<String>,
    columns: &[(&str, Range<usize>)],
    rows: &[(&str, Range<usize>)],
    problems: &mut Vec<Problem>,
) {
    let specs: Vec<_> = templates
        .iter()
        .flat_map(|t| t.tables.iter())
        .filter(|s| &s.id == table.get_ref())
        .collect();
    if specs.is_empty() {
        problems.push((
            Some(table.span()),
            format!("no template has a table `{}`", table.get_ref()),
        ));
        return;
    }
    for (c, span) in columns {
        if !specs.iter().any(|s| s.columns.iter().any(|x| x.id == *c)) {
            problems.push((
                Some(span.clone()),
                format!("table `{}` has no column `{c}`", table.get_ref()),
            ));
        }
    }
    for (r, span) in rows {
        let known = match r.strip_suffix('*') {
            Some(p) => specs
                .iter()
                .any(|s| s.rows.iter().any(|x| x.id.starts_with(p))),
            None => specs.iter().any(|s| s.rows.iter().any(|x| x.id == *r)),
        };
        if !known {
            problems.push((
                Some(span.clone()),
                format!("table `{}` has no row `{r}`", table.get_ref()),
            ));
        }
    }
}

impl Params {
    /// A count with one of `units`, of the report's year (`skip_if` is checked by the caller).
    /// `year` is the nearest year before the number in its sentence.
    fn is_candidate(&self, r: &Report, n: &Number, year: Option<f64>) -> bool {
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

    fn link_for<'t>(
        &'t self,
        r: &'t Report,
        n: &Number,
        vocab: &Vocab,
        present: &Present,
        tables: &[Option<&'t Table>],
        memo: &mut Memo,
    ) -> Option<(usize, &'t Link, &'t Table)> {
        for (li, link) in self.links.iter().enumerate() {
            let [words, all, exclude] = &vocab.links[li];
            if !words.iter().any(|&w| present.word(w))
                || !all.iter().all(|&w| present.word(w))
                || exclude.iter().any(|&w| present.word(w))
            {
                continue;
            }
            let Some(table) = tables.get(li).copied().flatten() else {
                continue;
            };
            if memo.sentence_has(r, n.sentence(), Ask::Avoid, li, &link.avoid) {
                continue;
            }
            if !link.context.is_empty() || link.section.is_some() {
                // As `subject_ok`, with the answers kept for the next numbers.
                let about = memo.sentence_has(r, n.sentence(), Ask::Context, li, &link.context)
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

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    // Prose arithmetic is checked in any document: a 工作总结 that gets its 其中 totals
    // wrong should hear about it too.
    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.units.iter().all(|u| u.trim().is_empty()) {
            problems.push((None, "`units` must list at least one unit".to_owned()));
        }
        for (i, l) in self.links.iter().enumerate() {
            if l.words.iter().all(|w| w.trim().is_empty()) {
                problems.push((None, format!("links[{i}]: `words` must not be empty")));
            }
            if l.rows.get_ref().is_empty() {
                problems.push((Some(l.rows.span()), "`rows` must not be empty".to_owned()));
            }
        }
        for (i, c) in self.claims.iter().enumerate() {
            if c.phrases.iter().all(|w| w.trim().is_empty()) {
                problems.push((None, format!("claims[{i}]: `phrases` must not be empty")));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        match Vocab::new(&self.skip_if, &self.links) {
            Ok(v) => {
                self.vocab = Some(v);
                Ok(())
            }
            Err(e) => Err(vec![(None, format!("the words cannot be searched: {e}"))]),
        }
    }

    fn validate(&self, templates: &[Template]) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        for l in &self.links {
            let mut rows: Vec<(&str, Range<usize>)> = l
                .rows
                .get_ref()
                .iter()
                .map(|r| (r.as_str(), l.rows.span()))
                .collect();
            if let Some(also) = &l.also {
                for alt in also.get_ref() {
                    rows.extend(alt.iter().map(|r| (r.as_str(), also.span())));
                }
            }
            check_ids(
                templates,
                &l.table,
                &[(l.column.get_ref().as_str(), l.column.span())],
                &rows,
                &mut problems,
            );
        }
        for c in &self.claims {
            let cols: Vec<(&str, Range<usize>)> = c
                .columns
                .get_ref()
                .iter()
                .map(|x| (x.as_str(), c.columns.span()))
                .collect();
            let rows: Vec<(&str, Range<usize>)> = c
                .rows
                .get_ref()
                .values()
                .flatten()
                .map(|x| (x.as_str(), c.rows.span()))
                .collect();
            check_ids(templates, &c.table, &cols, &rows, &mut problems);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let readable = |id: &str| r.table(id).is_some_and(|t| t.readable);
        if let Some(vocab) = &self.vocab
            && self.links.iter().any(|l| readable(l.table.get_ref()))
        {
            let mut memo = Memo::new(self.links.len());
            // Each link's table, looked up once (a report can hold thousands of tables).
            let tables: Vec<Option<&Table>> = self
                .links
                .iter()
                .map(|l| r.table(l.table.get_ref()).filter(|t| t.readable))
                .collect();
            // The nearest year before the number in its sentence, carried along.
            let mut year: (usize, Option<f64>) = (usize::MAX, None);
            for n in &r.numbers.items {
                if year.0 != n.sentence() {
                    year = (n.sentence(), None);
                }
                let year_before = year.1;
                if n.kind == Kind::Year {
                    year.1 = Some(n.value);
                }
                if !self.is_candidate(r, n, year_before) {
                    continue;
                }
                let before = r.text.get(n.before()).unwrap_or("");
                let present = vocab.scan(before);
                if vocab.skip_if.iter().any(|&w| present.any(w)) {
                    continue;
                }
                memo.at(n.sentence());
                if let Some((li, link, table)) =
                    self.link_for(r, n, vocab, &present, &tables, &mut memo)
                {
                    let also = memo.sentence_has(r, n.sentence(), Ask::AlsoIf, li, &link.also_if);
                    check_link(ctx, n, link, table, also);
                }
            }
        }
        for claim in &self.claims {
            if readable(claim.table.get_ref()) {
                check_claim(ctx, claim);
            }
        }
    }
}

/// What is asked of a whole sentence.
#[derive(Clone, Copy)]
enum Ask {
    Avoid,
    Context,
    AlsoIf,
}

/// Answers about the current sentence and the heading above the current number, for each
/// link, computed at most once (numbers come in text order, so one sentence and one heading
/// are current at a time).
struct Memo {
    sentence: usize,
    /// `[avoid, context, also_if]` per link.
    asked: Vec<[Option<bool>; 3]>,
    /// The heading (index into the outline) the answers in `under` are for.
    heading: Option<usize>,
    under: Vec<Option<bool>>,
    sections: SectionRanges,
}

impl Memo {
    fn new(links: usize) -> Memo {
        Memo {
            sentence: usize::MAX,
            asked: vec![[None; 3]; links],
            heading: None,
            under: vec![None; links],
            sections: SectionRanges::default(),
        }
    }

    /// Moves to sentence `s`, forgetting the answers about the previous one.
    fn at(&mut self, s: usize) {
        if self.sentence != s {
            self.sentence = s;
            self.asked.iter_mut().for_each(|a| *a = [None; 3]);
        }
    }

    fn sentence_has(
        &mut self,
        r: &Report,
        s: usize,
        ask: Ask,
        li: usize,
        words: &[String],
    ) -> bool {
        self.at(s);
        let slot = &mut self.asked[li][ask as usize];
        *slot.get_or_insert_with(|| {
            let text = r
                .numbers
                .sentences
                .get(s)
                .and_then(|s| r.text.get(s.span()))
                .unwrap_or("");
            cn::contains_any(text, words)
        })
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
struct SectionRanges(Vec<(String, Option<Range<usize>>)>);

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
fn subject_ok(
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

/// The cells of `rows` (ids or `prefix*`) in `column`: their sum and the cells to label.
/// `None` when a cell cannot be read or none is filled.
fn sum_cells<'t>(
    t: &'t Table,
    rows: &[String],
    column: &str,
) -> Option<(i64, Vec<(usize, &'t crate::report::table::Cell)>)> {
    t.sum_where(
        |id| {
            rows.iter().any(|r| match r.strip_suffix('*') {
                Some(p) => id.starts_with(p),
                None => id == r,
            })
        },
        column,
    )
}

/// The number's interval holds `v`.
fn holds(n: &Number, v: i64) -> bool {
    let v = v as f64;
    let eps = 1e-9;
    if n.lo > v + eps {
        return false;
    }
    if n.hi_open() {
        v < n.hi - eps
    } else {
        v <= n.hi + eps
    }
}

/// `also` tells whether the number's sentence contains one of the link's `also_if`.
fn check_link(ctx: &mut Ctx, n: &Number, link: &Link, t: &Table, also: bool) {
    let r = ctx.report;
    let lang = ctx.lang;
    let column = link.column.get_ref().as_str();
    let Some((value, cells)) = sum_cells(t, link.rows.get_ref(), column) else {
        return;
    };
    if holds(n, value) {
        return;
    }
    let mut alternatives = Vec::new();
    if also {
        for alt in link.also.iter().flat_map(|a| a.get_ref()) {
            if let Some((v, _)) = sum_cells(t, alt, column) {
                if holds(n, v) {
                    return;
                }
                alternatives.push(v);
            }
        }
    }
    let before = r.text.get(n.before()).unwrap_or("");
    let from = link
        .words
        .iter()
        .filter_map(|w| cn::find_all(before, w).last())
        .min()
        .unwrap_or(before.len());
    let lead: String = before[from..].chars().take(24).collect();
    let number = r.text[n.span()].to_owned();
    let stated = format!("{lead}{number}");
    let what = match lang {
        Lang::Zh => link.label.clone(),
        Lang::En => link.label_en.clone().unwrap_or_else(|| link.label.clone()),
    };
    let col_label = t
        .columns()
        .get(t.col_index(column).unwrap_or(usize::MAX))
        .map_or(String::new(), |c| c.label.clone());
    let difference = if n.is_exact() {
        (n.value - value as f64).abs().to_string()
    } else {
        String::new()
    };
    let detail = match lang {
        Lang::Zh => format!(
            "正文“{stated}”，{}“{what}”{col_label}列为 {value}",
            t.name(lang)
        ),
        Lang::En => format!(
            "the text says “{stated}”, {} “{what}”, column {col_label}, is {value}",
            t.name(lang)
        ),
    };
    let alts: Vec<String> = alternatives.iter().map(i64::to_string).collect();
    let advice = match (lang, alts.is_empty()) {
        (Lang::Zh, true) => format!("按表格，正文应为 {value}"),
        (Lang::Zh, false) => format!(
            "按表格，正文应为 {value}，含上年结转时为 {}",
            alts.join("、")
        ),
        (Lang::En, true) => format!("by the table the text should say {value}"),
        (Lang::En, false) => format!(
            "by the table the text should say {value}, or {} with the carried-in requests",
            alts.join(", ")
        ),
    };
    let vars = [
        ("stated", stated.clone()),
        ("what", what.clone()),
        ("table", t.name(lang).to_owned()),
        ("table_value", value.to_string()),
        ("difference", difference),
        ("detail", detail),
        ("advice", advice),
    ];
    let mut d = ctx
        .diag(n.span(), &vars)
        .with_label(match lang {
            Lang::Zh => format!("正文：{number}"),
            Lang::En => format!("text: {number}"),
        })
        .with_fingerprint(format!(
            "{}/{}/{stated}",
            t.id,
            link.rows.get_ref().join("+")
        ));
    let shown: Vec<_> = if cells.iter().any(|(_, c)| c.value.as_int() != Some(0)) {
        cells
            .iter()
            .filter(|(_, c)| c.value.as_int() != Some(0))
            .collect()
    } else {
        cells.iter().take(1).collect()
    };
    for (ri, cell) in shown {
        let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
        d = d.with_secondary(
            cell.span.clone(),
            match lang {
                Lang::Zh => format!(
                    "{} “{row}” “{col_label}”：{}",
                    t.name(lang),
                    cell.text(ctx.report.text)
                ),
                Lang::En => format!(
                    "{} “{row}” “{col_label}”: {}",
                    t.name(lang),
                    cell.text(ctx.report.text)
                ),
            },
        );
    }
    let arithmetic = if cells.len() > 1 {
        let parts: Vec<String> = cells
            .iter()
            .map(|(_, c)| c.text(ctx.report.text).to_owned())
            .collect();
        format!("{} = {value}", parts.join(" + "))
    } else {
        value.to_string()
    };
    d = d.with_note(match lang {
        Lang::Zh => format!(
            "{}“{what}”{col_label}：{arithmetic}；正文：{number}",
            t.name(lang)
        ),
        Lang::En => format!(
            "{} “{what}” {col_label}: {arithmetic}; text: {number}",
            t.name(lang)
        ),
    });
    if !alternatives.is_empty() {
        d = d.with_note(match lang {
            Lang::Zh => format!("含上年结转时为 {}，也对不上", alts.join("、")),
            Lang::En => format!(
                "including carried-in requests: {}, no match either",
                alts.join(", ")
            ),
        });
    }
    if n.is_exact() && n.script != crate::report::number::Script::Chinese && n.unit_scale() == 1.0 {
        d = d.with_suggestion(n.digits(), value.to_string());
    }
    ctx.push(d);
}

fn check_claim(ctx: &mut Ctx, claim: &Claim) {
    let r = ctx.report;
    let lang = ctx.lang;
    let Some(t) = r.table(claim.table.get_ref()).filter(|t| t.readable) else {
        return;
    };
    // Each phrase's places in the text, in order, at most one per sentence.
    let mut places: Vec<(usize, &String)> = claim
        .phrases
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| cn::find_all(r.text, p).map(move |i| (i, p)))
        .collect();
    places.sort_by_key(|(i, _)| *i);
    let mut sections = SectionRanges::default();
    let mut last_sentence = None;
    for (pos, phrase) in places {
        let Some(si) = r.numbers.sentence_at(pos) else {
            continue;
        };
        if last_sentence == Some(si) {
            continue;
        }
        last_sentence = Some(si);
        let Some(s) = r.numbers.sentences.get(si) else {
            continue;
        };
        let Some(text) = r.text.get(s.span()) else {
            continue;
        };
        let at = pos - s.span().start;
        if !subject_ok(r, pos, si, &claim.context, &claim.section, &mut sections) {
            continue;
        }
        // The rows the sentence speaks of, in the claim's table order.
        let mut rows: Vec<&str> = Vec::new();
        for (word, ids) in claim.rows.get_ref() {
            if text[..at].contains(word.as_str()) {
                rows.extend(ids.iter().map(String::as_str));
            }
        }
        if rows.is_empty() {
            continue;
        }
        let mut bad = Vec::new();
        for (ri, info) in t.rows().iter().enumerate() {
            if !rows.contains(&info.id.as_str()) {
                continue;
            }
            for col in claim.columns.get_ref() {
                let Some(ci) = t.col_index(col) else { continue };
                if let Some(cell) = t.cell_at(ri, ci)
                    && cell.value.as_int().is_some_and(|v| v != 0)
                {
                    bad.push((ri, ci, cell));
                }
            }
        }
        if bad.is_empty() {
            continue;
        }
        let span = pos..pos + phrase.len();
        let listed: Vec<String> = bad
            .iter()
            .map(|(ri, ci, c)| {
                let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
                let col = t.columns().get(*ci).map_or("", |x| x.label.as_str());
                match lang {
                    Lang::Zh => format!("“{row}”“{col}” {}", c.text(r.text)),
                    Lang::En => format!("“{row}” “{col}” {}", c.text(r.text)),
                }
            })
            .collect();
        let listed = listed.join(lang.pick("，", ", "));
        let detail = match lang {
            Lang::Zh => format!("正文说“{phrase}”，{}中还有 {listed}", t.name(lang)),
            Lang::En => format!(
                "the text says “{phrase}”, {} still has {listed}",
                t.name(lang)
            ),
        };
        let advice = match lang {
            Lang::Zh => format!("把“{phrase}”改为如实的表述，写明几件维持、几件纠正、几件尚未审结"),
            Lang::En => format!(
                "replace “{phrase}” with what happened (how many upheld, corrected, pending)"
            ),
        };
        let vars = [
            ("stated", phrase.clone()),
            ("what", listed.clone()),
            ("table", t.name(lang).to_owned()),
            ("table_value", String::new()),
            ("difference", String::new()),
            ("detail", detail),
            ("advice", advice),
        ];
        let mut d = ctx
            .diag(span, &vars)
            .with_label(match lang {
                Lang::Zh => format!("正文：{phrase}"),
                Lang::En => format!("text: {phrase}"),
            })
            .with_fingerprint(format!("{}/{phrase}", t.id));
        for (ri, ci, c) in &bad {
            let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
            let col = t.columns().get(*ci).map_or("", |x| x.label.as_str());
            d = d.with_secondary(
                c.span.clone(),
                match lang {
                    Lang::Zh => format!("“{row}”“{col}”：{}", c.text(r.text)),
                    Lang::En => format!("“{row}” “{col}”: {}", c.text(r.text)),
                },
            );
        }
        ctx.push(d);
    }
}
