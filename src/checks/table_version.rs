//! `table_version`: the tables follow a format that does not match the report year (2019
//! tables in a 2021 report, the pre-2019 统计表 in a 2020 report), or a report mixes the
//! tables of two formats.
//!
//! A table's format is known from labels that only one format has (`本年新制作数量` is 2019,
//! `本年制发件数` 2021; 表四 is the same in both and tells nothing). The format expected for
//! the report year is that of the template chosen for it. Without a report year, only mixing
//! is reported. Reported once per table, at the label that tells its format.
//!
//! Parameters: none.
//! Placeholders: `{table}`, `{found_format}`, `{expected_format}`, `{marker}` (the label),
//! `{problem}` (the whole finding in words).
//!
//! ```toml
//! [check.table_version]
//! ```

use super::Ctx;
use crate::diagnostic::Lang;
use crate::report::table::Table;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &[
    "table",
    "found_format",
    "expected_format",
    "marker",
    "problem",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {}

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

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let lang = ctx.lang;
        let format_name = |v: &str| -> String {
            r.templates
                .iter()
                .find(|t| t.table_version() == Some(v))
                .map(|t| lang.pick(&t.title, &t.title_en).to_owned())
                .unwrap_or_else(|| v.to_owned())
        };
        let versioned: Vec<&Table> = r.tables.iter().filter(|t| t.version.is_some()).collect();
        let expected = r.template.and_then(|t| t.table_version());
        let year = r.meta.year;
        // Without a year: the format most tables follow is taken as the report's.
        let majority = || {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for t in &versioned {
                let v = t.version.as_deref().unwrap_or_default();
                match counts.iter_mut().find(|c| c.0 == v) {
                    Some(c) => c.1 += 1,
                    None => counts.push((v, 1)),
                }
            }
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            (counts.len() > 1).then(|| counts[0].0)
        };
        let (norm, by_year) = match expected {
            Some(e) => (Some(e), true),
            None => (majority(), false),
        };
        let Some(norm) = norm else { return };
        // One finding per format found, listing every table that follows it.
        let mut groups: Vec<(&str, Vec<(&Table, &crate::report::table::VersionMarker)>)> =
            Vec::new();
        for t in versioned {
            let Some(v) = t.version.as_deref() else {
                continue;
            };
            if v == norm {
                continue;
            }
            let Some(m) = t.markers().iter().find(|m| m.version == v) else {
                continue;
            };
            match groups.iter_mut().find(|g| g.0 == v) {
                Some(g) => g.1.push((t, m)),
                None => groups.push((v, vec![(t, m)])),
            }
        }
        for (v, tables) in groups {
            let (t, m) = tables[0];
            let found_format = format_name(v);
            let expected_format = format_name(norm);
            let names: Vec<String> = tables
                .iter()
                .map(|(t, _)| t.name(lang).to_owned())
                .collect();
            let names = if names.len() > 2 {
                match lang {
                    Lang::Zh => format!("{}等 {} 个表格", names[0], names.len()),
                    Lang::En => format!("{} and {} other tables", names[0], names.len() - 1),
                }
            } else {
                super::join(lang, &names)
            };
            let problem = match (by_year, lang) {
                (true, Lang::Zh) => format!(
                    "{names}用的是{found_format}（如“{}”），{} 年度报告应使用{expected_format}",
                    m.label,
                    year.map(|y| y.to_string()).unwrap_or_default()
                ),
                (true, Lang::En) => format!(
                    "{names} follow the {found_format} (e.g. “{}”); a report for {} should follow the {expected_format}",
                    m.label,
                    year.map(|y| y.to_string()).unwrap_or_default()
                ),
                (false, Lang::Zh) => format!(
                    "{names}用的是{found_format}（如“{}”），而本报告其他表格用的是{expected_format}",
                    m.label
                ),
                (false, Lang::En) => format!(
                    "{names} follow the {found_format} (e.g. “{}”) while the other tables follow the {expected_format}",
                    m.label
                ),
            };
            let vars = [
                ("table", names.clone()),
                ("found_format", found_format.clone()),
                ("expected_format", expected_format.clone()),
                ("marker", m.label.clone()),
                ("problem", problem),
            ];
            let mut d = ctx
                .diag(m.span.clone(), &vars)
                .with_label(match lang {
                    Lang::Zh => format!("这是{found_format}的写法"),
                    Lang::En => format!("this is how the {found_format} writes it"),
                })
                .with_fingerprint(format!(
                    "{v} {}",
                    tables
                        .iter()
                        .map(|(t, _)| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            for (t2, m2) in &tables[1..] {
                d = d.with_secondary(
                    m2.span.clone(),
                    match lang {
                        Lang::Zh => format!("{}也是", t2.name(lang)),
                        Lang::En => format!("so is {}", t2.name(lang)),
                    },
                );
            }
            if let (true, Some(y)) = (by_year, year) {
                d = d.with_note(match lang {
                    Lang::Zh => format!("报告年度：{y}"),
                    Lang::En => format!("report year: {y}"),
                });
            }
            if ctx.report.is_extracted() {
                d.location = Some(t.name(lang).to_owned());
            }
            ctx.push(d);
        }
    }
}
