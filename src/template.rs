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
    pub(crate) title: String,
    pub(crate) title_en: String,
    /// The document that fixes this structure, cited in diagnostics.
    pub(crate) basis: String,
    #[serde(default)]
    pub(crate) basis_en: Option<String>,
    /// Report years this template is chosen for.
    pub(crate) years: YearRange,
    /// True when section titles are official wording, so that a different title is worth a
    /// note (`section-title-variant`). False for the pre-2019 era, which had no national format.
    #[serde(default)]
    pub(crate) official_titles: bool,
    #[serde(default)]
    pub sections: Vec<SectionSpec>,
    /// The statistical tables of this format (`[[tables]]`), read by `report/table.rs`.
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    /// The sections' keywords, compiled by [`Template::prepare`].
    #[serde(skip)]
    pub(crate) keyword_index: KeywordIndex,
}

/// Every keyword of a template's sections in one automaton, filled by [`Template::prepare`]
/// like the normalised titles, so that a heading's title is searched once for all of them
/// (`report/sections.rs` asks, for each heading and each section, whether every word of one
/// of the section's groups is in the title).
#[derive(Clone, Debug, Default)]
pub(crate) struct KeywordIndex {
    /// `None` when the template has no keywords.
    ac: Option<aho_corasick::AhoCorasick>,
    /// `[section]`: its non-empty groups, each as the ids of its non-empty words.
    groups: Vec<Vec<Vec<usize>>>,
}

impl KeywordIndex {
    fn new<'s>(sections: &'s [SectionSpec]) -> KeywordIndex {
        let mut words: Vec<&'s str> = Vec::new();
        let mut id = |w: &'s str| -> usize {
            if let Some(i) = words.iter().position(|x| *x == w) {
                return i;
            }
            words.push(w);
            words.len() - 1
        };
        let groups: Vec<Vec<Vec<usize>>> = sections
            .iter()
            .map(|s| {
                s.keywords
                    .iter()
                    .filter(|g| !g.is_empty())
                    .map(|g| g.iter().filter(|w| !w.is_empty()).map(|w| id(w)).collect())
                    .collect()
            })
            .collect();
        let ac = (!words.is_empty()).then(|| {
            // Titles are short: a contiguous NFA searches them about as fast as a DFA and is
            // much cheaper to build (start-up builds one per template).
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(&words)
        });
        KeywordIndex {
            ac: ac.and_then(Result::ok),
            groups,
        }
    }

    /// Which keywords occur in `title` (overlapping occurrences count), by id.
    pub(crate) fn present(&self, title: &str) -> Vec<bool> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut present = vec![false; ac.patterns_len()];
        for m in ac.find_overlapping_iter(title) {
            present[m.pattern().as_usize()] = true;
        }
        present
    }

    /// Whether a title holding the keywords `present` ([`KeywordIndex::present`]) holds every
    /// word of one of section `si`'s groups. A group of only empty words matches, as written.
    pub(crate) fn matches(&self, si: usize, present: &[bool]) -> bool {
        self.groups.get(si).is_some_and(|groups| {
            groups
                .iter()
                .any(|ids| ids.iter().all(|&i| present.get(i) == Some(&true)))
        })
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearRange {
    #[serde(default)]
    pub(crate) from: Option<i32>,
    #[serde(default)]
    pub(crate) to: Option<i32>,
}

impl YearRange {
    pub(crate) fn contains(&self, year: i32) -> bool {
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
    pub(crate) ordinal: String,
    /// The official title without ordinal.
    pub(crate) title: String,
    /// The English title. Templates may set it (and the built-in ones do), so the field
    /// stays for `deny_unknown_fields`, though nothing shows it yet.
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) title_en: Option<String>,
    #[serde(default = "yes")]
    pub(crate) required: bool,
    /// Other titles seen in real reports that mean this section (accepted with a note).
    #[serde(default)]
    pub(crate) variants: Vec<String>,
    /// Word groups: a heading whose title contains every word of one group is taken for this
    /// section (accepted with a note).
    #[serde(default)]
    pub(crate) keywords: Vec<Vec<String>>,
    /// Word groups: a paragraph containing every word of one group satisfies the requirement
    /// without a heading (for eras that required content, not headings).
    #[serde(default)]
    pub(crate) mentions: Vec<Vec<String>>,
    /// Severity of a missing section when it differs from the rule's default.
    #[serde(default)]
    pub(crate) missing_severity: Option<Severity>,
    /// `title` and `variants` normalised for matching (filled at load time).
    #[serde(skip)]
    pub(crate) title_norm: String,
    #[serde(skip)]
    pub(crate) variants_norm: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Template {
    /// Computes derived fields after loading.
    pub(crate) fn prepare(&mut self) {
        for s in &mut self.sections {
            s.title_norm = crate::text::normalize_title(&s.title);
            s.variants_norm = s
                .variants
                .iter()
                .map(|v| crate::text::normalize_title(v))
                .collect();
        }
        self.keyword_index = KeywordIndex::new(&self.sections);
    }
}

impl SectionSpec {
    /// The official heading, e.g. `三、收到和处理政府信息公开申请情况`.
    pub(crate) fn full_title(&self) -> String {
        format!("{}、{}", self.ordinal, self.title)
    }
}

/// What a cell of a table must hold.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ValueKind {
    /// A count of 件, 条, 人…: a non-negative integer.
    #[default]
    Count,
    /// A change that may be negative (2019 `本年增/减`).
    Signed,
    /// An amount that may have decimals (万元, 元).
    Amount,
}

/// A statistical table of a format: its rows and columns with stable ids, the official
/// labels and the variants real reports use. Matching is by label, never by position alone.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Stable id used by rules (`requests`, `appeals`, `active_1`, `legacy_stats`).
    pub(crate) id: String,
    /// The template section the table belongs to; none for an attachment.
    #[serde(default)]
    pub(crate) section: Option<String>,
    /// Short name in words, e.g. `表三`.
    pub(crate) name: String,
    pub(crate) name_en: String,
    /// Which format's labels these are: `2019`, `2021`, `legacy`.
    pub(crate) version: String,
    /// Whether the section must carry this table (`missing-table`).
    #[serde(default = "yes")]
    pub(crate) required: bool,
    /// A caption row that opens the table (`第二十条第（一）项`).
    #[serde(default)]
    pub(crate) captions: Vec<String>,
    /// Text that, contained in a header cell, identifies the table (`本列数据的勾稽关系`).
    #[serde(default)]
    pub(crate) anchors: Vec<String>,
    /// Other labels of the header or of group rows (`法人或其他组织`, `（三）不予公开`).
    #[serde(default)]
    pub(crate) headers: Vec<String>,
    /// The rows may be laid out side by side as blocks of the columns (表四: 行政复议,
    /// 未经复议直接起诉, 复议后起诉, each with 结果维持 … 总计).
    #[serde(default)]
    pub(crate) blocks: bool,
    /// Rows whose label is not in the schema make the table unreadable (`true`), or are
    /// ignored (`false`, for local variants of the pre-2019 统计表).
    #[serde(default = "yes")]
    pub(crate) strict_rows: bool,
    /// The column that holds each row's total; used to recognise digits run together.
    #[serde(default)]
    pub(crate) row_total: Option<String>,
    pub(crate) columns: Vec<ColumnSpec>,
    pub(crate) rows: Vec<RowSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ColumnSpec {
    pub(crate) id: String,
    /// The official label.
    pub(crate) label: String,
    /// Other ways real reports write it.
    #[serde(default)]
    pub(crate) variants: Vec<String>,
    #[serde(default)]
    pub(crate) value: ValueKind,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowSpec {
    pub(crate) id: String,
    /// The official label of the row (the most specific cell, e.g. `1.属于国家秘密`).
    pub(crate) label: String,
    /// The group label shown before it in messages (`（三）不予公开`).
    #[serde(default)]
    pub(crate) group: Option<String>,
    #[serde(default)]
    pub(crate) variants: Vec<String>,
    #[serde(default = "yes")]
    pub(crate) required: bool,
    /// Overrides the column's value kind (a 万元 row of the 统计表).
    #[serde(default)]
    pub(crate) value: Option<ValueKind>,
}

impl RowSpec {
    /// The label as shown to a person: the group and the label, without trailing notes.
    pub(crate) fn display(&self) -> String {
        let label = strip_note(&self.label);
        match &self.group {
            Some(g) => format!("{g} {label}"),
            None => label.to_owned(),
        }
    }
}

impl ColumnSpec {
    pub(crate) fn display(&self) -> &str {
        &self.label
    }
}

/// `（二）部分公开（区分处理的，…）` → `（二）部分公开`.
fn strip_note(s: &str) -> &str {
    let t = s.trim_end();
    if let Some(body) = t.strip_suffix('）').or_else(|| t.strip_suffix(')'))
        && let Some(i) = body.rfind(['（', '('])
        && i > 0
    {
        return &t[..i];
    }
    t
}

impl Template {
    /// The format version of this template's tables, if it has any.
    pub(crate) fn table_version(&self) -> Option<&str> {
        self.tables.first().map(|t| t.version.as_str())
    }
}

/// Picks the template for a report year: the first whose range contains it.
pub(crate) fn for_year(templates: &[Template], year: i32) -> Option<&Template> {
    templates.iter().find(|t| t.years.contains(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index answers exactly as searching the title for every word of each group.
    #[test]
    fn the_keyword_index_answers_as_a_search_of_the_title() {
        let rules = crate::rule::RuleSet::builtin().expect("built-in rules load");
        let titles = [
            "",
            "总体情况",
            "存在的主要问题及改进情况",
            "存在问题",
            "收到和处理政府信息公开申请情况",
            "其他需要报告的事项",
            "其他事项报告",
            "依申请公开",
            "行政复议行政诉讼情况",
            "申请公开不予公开收费减免",
            "问题改进不足",
            "主动公开",
            "无关的标题",
        ];
        let searched = |spec: &SectionSpec, title: &str| {
            spec.keywords.iter().any(|g| {
                !g.is_empty()
                    && g.iter()
                        .all(|w| w.is_empty() || crate::text::contains(title, w))
            })
        };
        for t in rules.templates.iter() {
            for title in titles {
                let present = t.keyword_index.present(title);
                for (si, spec) in t.sections.iter().enumerate() {
                    assert_eq!(
                        t.keyword_index.matches(si, &present),
                        searched(spec, title),
                        "{} {title} {:?}",
                        t.name,
                        spec.keywords
                    );
                }
            }
        }
    }
}
