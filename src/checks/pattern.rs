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
//! How they are searched (the results are those of one regular expression made of all the
//! patterns): a pattern that starts with `^\s*` is searched without it and kept where only
//! white space stands before it on its line, and the patterns are compiled into as few
//! regular expressions as keep a fast literal prefilter (`regex` scans every byte when one
//! alternative, such as `\[\s*打印`, has no good literal to look for). Overlapping matches
//! keep the earliest, as one expression would.
//!
//! Complexity: loading is linear in the number of patterns. Each pattern is parsed once;
//! grouping tries a pattern against each open group, so it is done only for rules of at
//! most [`MAX_GROUPED`] patterns (a constant bound); a larger rule is compiled into one
//! expression per kind (line-start or not), which `regex` searches with an Aho-Corasick
//! prefilter over its literals. Searching is linear in the text for each compiled
//! expression; a line-start match looks up its line in the line index (no scan back).
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

pub(crate) const PLACEHOLDERS: &[&str] = &["matched", "count"];

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Group {
    #[default]
    Block,
    Line,
    Match,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub(crate) patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) group: Group,
    #[serde(default)]
    pub(crate) delete_line: bool,
    #[serde(default)]
    pub(crate) in_tables: bool,
    #[serde(skip)]
    compiled: Vec<Compiled>,
}

/// One compiled group of patterns.
#[derive(Debug)]
struct Compiled {
    re: Regex,
    /// The patterns began with `^\s*`, which was removed: a match counts only where white
    /// space alone precedes it on its line.
    line_start: bool,
}

#[cfg(test)]
use super::pattern_groups::MAX_GROUPED;
pub(crate) use super::pattern_groups::groups;

/// Compiled size allowed for one expression (`regex`'s default is 10 MB; a list of many
/// thousand words is larger).
const SIZE_LIMIT: usize = 256 * 1024 * 1024;

// PATTERN_GROUPS: the built-in rules' pattern lists, split by build.rs with the same
// `groups` (src/checks/pattern_groups.rs).
include!(concat!(env!("OUT_DIR"), "/pattern_groups.rs"));

/// The split worked out when nblint was built, for a pattern list of a built-in rule (a
/// user's rule, or a built-in one changed by a user, is split at load time).
fn cached_groups(patterns: &[&str]) -> Option<Vec<(bool, Vec<String>)>> {
    PATTERN_GROUPS
        .iter()
        .find(|(list, _)| *list == patterns)
        .map(|(_, groups)| {
            groups
                .iter()
                .map(|(l, g)| (*l, g.iter().map(|p| (*p).to_owned()).collect()))
                .collect()
        })
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.patterns.is_empty() {
            problems.push((
                None,
                "`patterns` must list at least one regular expression".to_owned(),
            ));
        }
        for p in &self.patterns {
            // Parsing finds the errors a rule author makes; only then is the pattern compiled
            // on its own, for `regex`'s message (compiling each of thousands is slow).
            if regex_syntax::Parser::new().parse(p.get_ref()).is_ok() {
                continue;
            }
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
        let pats: Vec<&str> = self.patterns.iter().map(|p| p.get_ref().as_str()).collect();
        for (line_start, group) in cached_groups(&pats).unwrap_or_else(|| groups(&pats)) {
            let joined = group
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            match regex::RegexBuilder::new(&format!("(?m){joined}"))
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(SIZE_LIMIT)
                .build()
            {
                Ok(re) => self.compiled.push(Compiled { re, line_start }),
                Err(e) => {
                    return Err(vec![(
                        None,
                        format!("patterns do not compile together: {e}"),
                    )]);
                }
            }
        }
        Ok(())
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        // (start, end, group) of every match, then the earliest of overlapping ones.
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (gi, c) in self.compiled.iter().enumerate() {
            for m in c.re.find_iter(r.text) {
                if c.line_start {
                    let line_start = r.index.line_start(r.index.line_of(m.start()));
                    if !r.text[line_start..m.start()].trim().is_empty() {
                        continue;
                    }
                }
                found.push((m.start(), m.end(), gi));
            }
        }
        if self.compiled.len() > 1 {
            found.sort_unstable();
            let mut end = 0;
            found.retain(|&(s, e, _)| {
                let keep = s >= end || e == s;
                if keep {
                    end = end.max(e);
                }
                keep
            });
        }
        // (line, span) of every match outside tables.
        let mut hits: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (s, e, _) in found {
            // The finding is the visible text of the match.
            let t = &r.text[s..e];
            let start = s + (t.len() - t.trim_start().len());
            let end = s + t.trim_end().len();
            if start >= end {
                continue;
            }
            let line = r.index.line_of(start);
            if !self.in_tables
                && r.lines
                    .get(line)
                    .is_some_and(|l| l.kind() == LineKind::Table)
            {
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
                            .all(|i| r.lines.get(i).is_some_and(|x| x.kind() == LineKind::Blank))
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
                let a = r.lines[g[0].0].range().start;
                let last = &r.lines[g[g.len() - 1].0];
                // Delete through the line ending.
                let b = r.text[last.range().end..]
                    .find('\n')
                    .map_or(r.text.len(), |i| last.range().end + i + 1);
                d = d.with_suggestion(a..b, "");
            }
            ctx.push(d.with_fingerprint(matched));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PATTERN_GROUPS, cached_groups, groups};

    /// build.rs splits the built-in rules with its own build of regex-automata: the split
    /// must be the one made at run time (same versions and features), or the prefilters and
    /// the order of overlapping matches could differ from a user's copy of the same rule.
    #[test]
    fn the_split_made_at_build_time_is_the_run_time_split() {
        // placeholder-text and web-page-residue.
        assert!(PATTERN_GROUPS.len() >= 2, "{}", PATTERN_GROUPS.len());
        for (list, _) in PATTERN_GROUPS {
            assert_eq!(cached_groups(list), Some(groups(list)), "{list:?}");
        }
        assert_eq!(cached_groups(&["某某"]), None);
    }

    #[test]
    fn a_long_list_is_one_group_of_each_kind() {
        // Grouping tries each pattern against every group: only for short lists.
        let words: Vec<String> = (0..super::MAX_GROUPED * 10)
            .map(|i| format!("词{i}"))
            .chain([r"^\s*索引号".to_owned(), r"\[\s*打印".to_owned()])
            .collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let g = groups(&refs);
        assert_eq!(g.len(), 2);
        assert_eq!(g.iter().map(|(_, p)| p.len()).sum::<usize>(), refs.len());
        assert!(g.contains(&(true, vec!["索引号".to_owned()])));
    }

    #[test]
    fn line_start_prefix_is_removed_only_where_it_starts_the_whole_pattern() {
        let g = groups(&[r"^\s*索引号", r"^\s*a|b", r"^\s*?x"]);
        assert!(g.contains(&(true, vec!["索引号".to_owned()])));
        assert!(
            g.iter()
                .any(|(l, p)| !l && p.iter().any(|x| x == r"^\s*a|b"))
        );
        assert!(
            g.iter()
                .any(|(l, p)| !l && p.iter().any(|x| x == r"^\s*?x"))
        );
    }
}
