//! `pattern`: text that must not be in a report, found by regular expressions (Vale's
//! "existence" rules): web-page furniture left in a copied report (seeds 002, 003), template
//! placeholders, and anything a province wants to forbid.
//!
//! Matches on neighbouring lines (blank lines between them allowed) are grouped into one
//! finding with `group = "block"` (default), one per line with `"line"`, one per match with
//! `"match"`. Table rows are skipped unless `in_tables = true`.
//!
//! Parameters: `patterns` (regular expressions, Rust `regex` syntax), `group`,
//! `delete_line` (suggest deleting the lines, default false), `in_tables` (default false).
//! Placeholders: `{matched}` (the first match), `{count}` (matches in the finding).
//!
//! ```toml
//! [check.pattern]
//! patterns = ['浏览次数', '扫一扫在手机(?:上)?打开']
//! group = "block"
//! delete_line = true
//! ```

use super::{Ctx, Problem};
use crate::report::LineKind;
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

pub const PLACEHOLDERS: &[&str] = &["matched", "count"];

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    #[default]
    Block,
    Line,
    Match,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub group: Group,
    #[serde(default)]
    pub delete_line: bool,
    #[serde(default)]
    pub in_tables: bool,
    #[serde(skip)]
    compiled: Option<Regex>,
}

impl Params {
    pub fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.patterns.is_empty() {
            problems.push((
                None,
                "`patterns` must list at least one regular expression".to_owned(),
            ));
        }
        for p in &self.patterns {
            if let Err(e) = Regex::new(p.get_ref()) {
                problems.push((
                    Some(p.span()),
                    format!("regular expression does not compile: {e}"),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let joined = self
            .patterns
            .iter()
            .map(|p| format!("(?:{})", p.get_ref()))
            .collect::<Vec<_>>()
            .join("|");
        match Regex::new(&format!("(?m){joined}")) {
            Ok(re) => {
                self.compiled = Some(re);
                Ok(())
            }
            Err(e) => Err(vec![(
                None,
                format!("patterns do not compile together: {e}"),
            )]),
        }
    }

    pub fn run(&self, ctx: &mut Ctx) {
        let Some(re) = &self.compiled else { return };
        let r = ctx.report;
        // (line, span) of every match outside tables.
        let mut hits: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for m in re.find_iter(r.text) {
            // Patterns anchored with `^\s*` may take in white space and line breaks; the
            // finding is the visible text.
            let t = m.as_str();
            let start = m.start() + (t.len() - t.trim_start().len());
            let end = m.start() + t.trim_end().len();
            if start >= end {
                continue;
            }
            let line = r.index.line_of(start);
            if !self.in_tables && r.lines.get(line).is_some_and(|l| l.kind == LineKind::Table) {
                continue;
            }
            hits.push((line, start..end));
        }
        let mut groups: Vec<Vec<(usize, std::ops::Range<usize>)>> = Vec::new();
        for h in hits {
            let join = match (self.group, groups.last()) {
                (Group::Match, _) | (_, None) => false,
                (Group::Line, Some(g)) => g.last().is_some_and(|l| l.0 == h.0),
                (Group::Block, Some(g)) => g.last().is_some_and(|l| {
                    l.0 == h.0
                        || (l.0 + 1..h.0)
                            .all(|i| r.lines.get(i).is_some_and(|x| x.kind == LineKind::Blank))
                }),
            };
            if join {
                groups.last_mut().expect("checked").push(h);
            } else {
                groups.push(vec![h]);
            }
        }
        for g in groups {
            let first = g[0].1.clone();
            let matched = r.text[first.clone()].to_owned();
            let vars = [("matched", matched.clone()), ("count", g.len().to_string())];
            let mut d = ctx.diag(first, &vars);
            let mut last_line = g[0].0;
            for (line, span) in &g[1..] {
                if *line != last_line || self.group == Group::Match {
                    d = d.with_secondary(span.clone(), ctx.lang.pick("这里也是", "here too"));
                }
                last_line = *line;
            }
            if self.delete_line {
                let a = r.lines[g[0].0].range.start;
                let last = &r.lines[g[g.len() - 1].0];
                // Delete through the line ending.
                let b = r.text[last.range.end..]
                    .find('\n')
                    .map_or(r.text.len(), |i| last.range.end + i + 1);
                d = d.with_suggestion(a..b, "");
            }
            ctx.push(d.with_fingerprint(matched));
        }
    }
}
