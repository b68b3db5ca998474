//! `required_topics`: the report speaks of topics the law requires for its body type, e.g.
//! Article 50(4): a people's government's report (a township's included) must report
//! 工作考核、社会评议和责任追究结果情况.
//!
//! A topic is present when any of its words appears in the searched sections (`sections`,
//! template section ids; empty = the whole body).
//!
//! Parameters: `body_types` (`township`, `government`, `department`; empty = all),
//! `from_year`, `to_year`, `sections`, and `[[check.required_topics.topics]]` with `name`,
//! `name_en` and `any` (words).
//! Placeholders: `{missing}`, `{found}`.
//!
//! ```toml
//! [check.required_topics]
//! body_types = ["township", "government"]
//! from_year = 2019
//! [[check.required_topics.topics]]
//! name = "工作考核"
//! name_en = "performance assessment"
//! any = ["考核"]
//! ```

use super::{Ctx, Problem, join};
use crate::report::BodyType;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["missing", "found"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Topic {
    pub(crate) name: String,
    pub(crate) name_en: String,
    pub(crate) any: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) body_types: Vec<String>,
    #[serde(default)]
    pub(crate) from_year: Option<i32>,
    #[serde(default)]
    pub(crate) to_year: Option<i32>,
    #[serde(default)]
    pub(crate) sections: Vec<String>,
    pub(crate) topics: Vec<Topic>,
    #[serde(skip)]
    types: Vec<BodyType>,
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    fn needs_annual_report(&self) -> bool {
        true
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        for b in &self.body_types {
            match BodyType::parse(b) {
                Some(t) => self.types.push(t),
                None => problems.push((
                    None,
                    format!("unknown body type `{b}`; use township, government or department"),
                )),
            }
        }
        if self.topics.iter().any(|t| t.any.is_empty()) {
            problems.push((
                None,
                "every topic needs at least one word in `any`".to_owned(),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        if !self.types.is_empty() && !r.body_type.is_some_and(|b| self.types.contains(&b)) {
            return;
        }
        let Some(year) = r.meta.year else { return };
        if self.from_year.is_some_and(|f| year < f) || self.to_year.is_some_and(|t| year > t) {
            return;
        }
        let body_end = r
            .outline
            .body_end_line()
            .map_or(r.text.len(), |l| r.lines[l].range().start);
        let mut ranges: Vec<std::ops::Range<usize>> = self
            .sections
            .iter()
            .filter_map(|s| r.section_range(s))
            .collect();
        if ranges.is_empty() {
            // No sections named, or none of them found: search the whole body.
            ranges.push(0..body_end);
        }
        let present = |t: &Topic| {
            ranges.iter().any(|rg| {
                t.any
                    .iter()
                    .any(|w| r.text[rg.clone()].contains(w.as_str()))
            })
        };
        let lang = ctx.lang;
        let name = |t: &Topic| lang.pick(&t.name, &t.name_en).to_owned();
        let missing: Vec<String> = self
            .topics
            .iter()
            .filter(|t| !present(t))
            .map(name)
            .collect();
        if missing.is_empty() {
            return;
        }
        let found: Vec<String> = self
            .topics
            .iter()
            .filter(|t| present(t))
            .map(name)
            .collect();
        let vars = [
            ("missing", join(lang, &missing)),
            ("found", join(lang, &found)),
        ];
        let span = self
            .sections
            .iter()
            .find_map(|s| r.section_heading(s))
            .map(|h| h.span())
            .unwrap_or_else(|| r.title_span());
        // The fingerprint does not depend on --lang, so baselines work in either language.
        let fp: Vec<&str> = self
            .topics
            .iter()
            .filter(|t| !present(t))
            .map(|t| t.name.as_str())
            .collect();
        let mut d = ctx.diag(span, &vars).with_fingerprint(fp.join("、"));
        if let Some(b) = r.body_type {
            d = d.with_note(lang.pick(
                &format!(
                    "报告单位类型：{}（{}）",
                    b.zh(),
                    if r.meta.body_type == Some(b) {
                        "由单位名称判断"
                    } else {
                        "由 --body-type 指定"
                    }
                ),
                &format!(
                    "body type: {} ({})",
                    b.as_str(),
                    if r.meta.body_type == Some(b) {
                        "guessed from the agency name"
                    } else {
                        "set by --body-type"
                    }
                ),
            ));
        }
        if !found.is_empty() {
            d = d.with_note(lang.pick(
                &format!("已提到：{}", join(lang, &found)),
                &format!("mentioned: {}", join(lang, &found)),
            ));
        }
        ctx.push(d);
    }
}
