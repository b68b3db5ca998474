//! `cross_year_text`: a section's prose is nearly the same as in the same body's report for
//! the previous year (copied text, 内容雷同). Runs after all files are checked, on pairs of
//! reports of one body for consecutive years (see `crate::cross`).
//!
//! The measure is documented in `report::similarity`: the Jaccard index of the character
//! 4-gram sets of the two sections' normalised prose (white space and punctuation removed,
//! digit runs folded to `#`). A section is reported when the index is at least `threshold`.
//! Sections whose prose is shorter than `min_chars` characters in either report are not
//! compared: "本年度未发生行政复议、行政诉讼" is rightly the same every year.
//!
//! Parameters: `sections` (template section ids; default overview, problems, other),
//! `threshold` (0–1, default 0.5), `min_chars` (default 60).
//! Placeholders: `{section}`, `{similarity}`, `{threshold}`, `{previous_year}`,
//! `{previous_path}`.
//!
//! ```toml
//! [check.cross_year_text]
//! sections = ["overview", "problems", "other"]
//! threshold = 0.5
//! ```

use super::{Ctx, Problem};
use crate::cross::Pair;
use crate::diagnostic::Lang;
use crate::report::similarity;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &[
    "section",
    "similarity",
    "threshold",
    "previous_year",
    "previous_path",
];

fn default_sections() -> Vec<String> {
    vec!["overview".into(), "problems".into(), "other".into()]
}

fn default_threshold() -> f64 {
    0.5
}

fn default_min_chars() -> usize {
    60
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default = "default_sections")]
    pub(crate) sections: Vec<String>,
    #[serde(default = "default_threshold")]
    pub(crate) threshold: f64,
    #[serde(default = "default_min_chars")]
    pub(crate) min_chars: usize,
}

fn percent(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).floor())
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Cross
    }

    fn needs_annual_report(&self) -> bool {
        true
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        if !(0.0..=1.0).contains(&self.threshold) || self.threshold.is_nan() {
            return Err(vec![(
                None,
                format!(
                    "threshold {} is not between 0 and 1 (0.5 means half the text is shared)",
                    self.threshold
                ),
            )]);
        }
        Ok(())
    }

    /// Compares the current report (`cur`) with the previous year's (`prev`); findings go to
    /// the current report only.
    fn run_pair(&self, cur: &mut Ctx, prev: &mut Ctx, pair: &Pair) {
        let lang = cur.lang;
        for id in &self.sections {
            let (Some(a), Some(b)) = (
                similarity::section_prose(cur.report, id),
                similarity::section_prose(prev.report, id),
            ) else {
                continue;
            };
            if a.chars().count() < self.min_chars || b.chars().count() < self.min_chars {
                continue;
            }
            let sim = similarity::jaccard(&similarity::shingles(&a), &similarity::shingles(&b));
            if sim < self.threshold {
                continue;
            }
            let Some(h) = cur.report.section_heading(id) else {
                continue;
            };
            // 五、存在的主要问题及改进情况, without Markdown's `##`.
            let start = if h.marker().is_empty() {
                h.title().start
            } else {
                h.marker().start
            };
            let title = cur
                .report
                .text
                .get(start..h.title().end)
                .unwrap_or_default();
            let prev_pos = prev.report.section_heading(id).map(|ph| {
                let p = prev
                    .report
                    .index
                    .position(prev.report.text, ph.span().start);
                format!("{}:{}:{}", pair.previous_path, p.line, p.column)
            });
            let vars = [
                ("section", title.to_owned()),
                ("similarity", percent(sim)),
                ("threshold", percent(self.threshold)),
                ("previous_year", pair.previous.year.to_string()),
                ("previous_path", pair.previous_path.to_owned()),
            ];
            let d = cur
                .diag(h.span(), &vars)
                .with_label(match lang {
                    Lang::Zh => format!("与 {} 年报告的同一部分相似度 {}", pair.previous.year, percent(sim)),
                    Lang::En => format!("{} similar to the {} report", percent(sim), pair.previous.year),
                })
                .with_note(match lang {
                    Lang::Zh => format!(
                        "上一年度报告：{}",
                        prev_pos.unwrap_or_else(|| pair.previous_path.to_owned())
                    ),
                    Lang::En => format!(
                        "previous year's report: {}",
                        prev_pos.unwrap_or_else(|| pair.previous_path.to_owned())
                    ),
                })
                .with_note(match lang {
                    Lang::Zh => format!(
                        "相似度：两段正文（去掉空白、标点，数字视为相同）按连续 4 个字切分，共有片段占全部片段的比例；达到 {} 即报告",
                        percent(self.threshold)
                    ),
                    Lang::En => format!(
                        "similarity: share of 4-character shingles the two sections have in common (white space and punctuation removed, numbers ignored); reported from {}",
                        percent(self.threshold)
                    ),
                })
                .with_fingerprint(format!("{id}/{}", pair.previous.year));
            cur.push(d);
        }
    }
}
