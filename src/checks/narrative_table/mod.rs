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
//!
//! The parameters, their validation and `Kind` are here; the rest is in
//! - `find`: which numbers and sentences a link or a claim speaks of: the words of the rule
//!   found with one scan, and what is asked of a sentence, a heading or a section, answered
//!   once;
//! - `compare`: the table's cells against the text, and the findings.

mod compare;
mod find;

use super::{Ctx, Problem};
use crate::report::number::Kind;
use crate::report::table::Table;
use crate::template::Template;
use compare::{check_claim, check_link};
use find::{Ask, Memo, Vocab};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

pub(crate) const PLACEHOLDERS: &[&str] = &[
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
pub(crate) struct Link {
    pub(crate) table: Spanned<String>,
    pub(crate) column: Spanned<String>,
    pub(crate) rows: Spanned<Vec<String>>,
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) label_en: Option<String>,
    pub(crate) words: Vec<String>,
    #[serde(default)]
    pub(crate) all: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    /// Words in the sentence that show it speaks of something else (`来访`, `热线`).
    #[serde(default)]
    pub(crate) avoid: Vec<String>,
    #[serde(default)]
    pub(crate) context: Vec<String>,
    #[serde(default)]
    pub(crate) section: Option<String>,
    #[serde(default)]
    pub(crate) also: Option<Spanned<Vec<Vec<String>>>>,
    #[serde(default)]
    pub(crate) also_if: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Claim {
    pub(crate) phrases: Vec<String>,
    pub(crate) table: Spanned<String>,
    pub(crate) columns: Spanned<Vec<String>>,
    /// A word in the sentence → the rows it speaks of (`复议` → `review`).
    pub(crate) rows: Spanned<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub(crate) context: Vec<String>,
    #[serde(default)]
    pub(crate) section: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub(crate) units: Vec<String>,
    #[serde(default)]
    pub(crate) skip_if: Vec<String>,
    #[serde(default)]
    pub(crate) links: Vec<Link>,
    #[serde(default)]
    pub(crate) claims: Vec<Claim>,
    #[serde(skip)]
    vocab: Option<Vocab>,
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
                    let also = memo.sentence_has(r, vocab, n.sentence(), Ask::AlsoIf, li);
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
