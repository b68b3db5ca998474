//! Report templates: the structure a report of a given year must have, built from Article 50
//! and the official formats (国办公开办函〔2019〕60号, 〔2021〕30号). Templates are data in
//! `rules/templates/*.toml`; this module only defines their shape and picks one per report.

use crate::diagnostic::Severity;
use serde::Deserialize;

/// A template as written in `rules/templates/<name>.toml`. The name is the file stem.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(skip)]
    pub name: String,
    /// Chinese display name, e.g. `2021 年统一格式`.
    pub title: String,
    pub title_en: String,
    /// The document that fixes this structure, cited in diagnostics.
    pub basis: String,
    #[serde(default)]
    pub basis_en: Option<String>,
    /// Report years this template is chosen for.
    pub years: YearRange,
    /// True when section titles are official wording, so that a different title is worth a
    /// note (`section-title-variant`). False for the pre-2019 era, which had no national format.
    #[serde(default)]
    pub official_titles: bool,
    #[serde(default)]
    pub sections: Vec<SectionSpec>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub to: Option<i32>,
}

impl YearRange {
    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

/// One required part of a report.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// Stable identifier used by rules and tables (`overview`, `requests`, …).
    pub id: String,
    /// The official ordinal, e.g. `三`.
    pub ordinal: String,
    /// The official title without ordinal.
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    /// Other titles seen in real reports that mean this section (accepted with a note).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Word groups: a heading whose title contains every word of one group is taken for this
    /// section (accepted with a note).
    #[serde(default)]
    pub keywords: Vec<Vec<String>>,
    /// Word groups: a paragraph containing every word of one group satisfies the requirement
    /// without a heading (for eras that required content, not headings).
    #[serde(default)]
    pub mentions: Vec<Vec<String>>,
    /// Severity of a missing section when it differs from the rule's default.
    #[serde(default)]
    pub missing_severity: Option<Severity>,
    /// `title` and `variants` normalised for matching (filled at load time).
    #[serde(skip)]
    pub title_norm: String,
    #[serde(skip)]
    pub variants_norm: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Template {
    /// Computes derived fields after loading.
    pub fn prepare(&mut self) {
        for s in &mut self.sections {
            s.title_norm = crate::report::cn::normalize_title(&s.title);
            s.variants_norm = s
                .variants
                .iter()
                .map(|v| crate::report::cn::normalize_title(v))
                .collect();
        }
    }
}

impl SectionSpec {
    /// The official heading, e.g. `三、收到和处理政府信息公开申请情况`.
    pub fn full_title(&self) -> String {
        format!("{}、{}", self.ordinal, self.title)
    }
}

/// Picks the template for a report year: the first whose range contains it.
pub fn for_year(templates: &[Template], year: i32) -> Option<&Template> {
    templates.iter().find(|t| t.years.contains(year))
}
