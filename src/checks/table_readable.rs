//! `table_readable`: a table was found (by its caption, header or row labels) but its shape
//! does not fit the format with confidence — a column label not found, a row with too many or
//! too few numbers, a row not in the format, digits run together — so its arithmetic was not
//! checked. Reported once per table, saying what was expected and what was found.
//!
//! When digits seem run together (`640020470`) and exactly one split satisfies the row's
//! total, the split is offered in a note, never as a value.
//!
//! Parameters: none.
//! Placeholders: `{table}`, `{found}` (the first problem, in words), `{count}` (problems).
//!
//! ```toml
//! [check.table_readable]
//! ```

use super::Ctx;
use crate::diagnostic::Lang;
use crate::report::table::{Problem, Table};
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["table", "found", "count"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {}

/// Notes shown at most; the rest are counted.
const MAX_NOTES: usize = 4;

fn list(items: &[String], lang: Lang) -> String {
    let shown: Vec<String> = items.iter().take(4).map(|s| format!("“{s}”")).collect();
    let mut out = shown.join(lang.pick("、", ", "));
    if items.len() > 4 {
        out.push_str(&match lang {
            Lang::Zh => format!("等 {} 项", items.len()),
            Lang::En => format!(" and {} more", items.len() - 4),
        });
    }
    out
}

/// The problem in words, and the span it concerns.
fn describe(t: &Table, p: &Problem, lang: Lang) -> (String, Option<std::ops::Range<usize>>) {
    match (p, lang) {
        (Problem::MissingColumns { missing, .. }, Lang::Zh) => {
            (format!("表头中找不到{}列", list(missing, lang)), None)
        }
        (Problem::MissingColumns { missing, .. }, Lang::En) => (
            format!("the header lacks the column(s) {}", list(missing, lang)),
            None,
        ),
        (Problem::MissingRows { labels }, Lang::Zh) => {
            (format!("缺少{}行", list(labels, lang)), None)
        }
        (Problem::MissingRows { labels }, Lang::En) => (
            format!("the row(s) {} are missing", list(labels, lang)),
            None,
        ),
        (Problem::UnknownRow { label, span }, Lang::Zh) => (
            format!("“{label}”不是统一格式中的行（可能是标签被拆开或多出的行）"),
            Some(span.clone()),
        ),
        (Problem::UnknownRow { label, span }, Lang::En) => (
            format!(
                "“{label}” is not a row of the official format (a split label or an extra row)"
            ),
            Some(span.clone()),
        ),
        (Problem::OrphanValues { span }, Lang::Zh) => {
            ("有一行数字没有行标签".to_owned(), Some(span.clone()))
        }
        (Problem::OrphanValues { span }, Lang::En) => (
            "a row of numbers has no label".to_owned(),
            Some(span.clone()),
        ),
        (
            Problem::RowMisfit {
                label,
                span,
                expected,
                found,
            },
            Lang::Zh,
        ) => (
            format!("“{label}”这一行应有 {expected} 个数，找到 {found} 个（单元格可能丢失或错位）"),
            Some(span.clone()),
        ),
        (
            Problem::RowMisfit {
                label,
                span,
                expected,
                found,
            },
            Lang::En,
        ) => (
            format!(
                "row “{label}” should have {expected} numbers; {found} found (cells lost or shifted)"
            ),
            Some(span.clone()),
        ),
        (Problem::DuplicateRow { label, span }, Lang::Zh) => {
            (format!("“{label}”这一行出现了两次"), Some(span.clone()))
        }
        (Problem::DuplicateRow { label, span }, Lang::En) => {
            (format!("row “{label}” appears twice"), Some(span.clone()))
        }
        (
            Problem::RunTogether {
                label, span, text, ..
            },
            Lang::Zh,
        ) => (
            format!("“{label}”这一行的“{text}”像是几个数字连在了一起"),
            Some(span.clone()),
        ),
        (
            Problem::RunTogether {
                label, span, text, ..
            },
            Lang::En,
        ) => (
            format!("in row “{label}”, “{text}” looks like several numbers run together"),
            Some(span.clone()),
        ),
        (Problem::NoData, Lang::Zh) => ("只有表头，没有数字行".to_owned(), None),
        (Problem::NoData, Lang::En) => ("there is a header but no row of numbers".to_owned(), None),
        (Problem::NotRecognised, Lang::Zh) => (
            format!("这一部分有表格，但认不出{}的行和列标签", t.name(lang)),
            None,
        ),
        (Problem::NotRecognised, Lang::En) => (
            format!(
                "this part has a table, but none of the labels of {} was recognised",
                t.name(lang)
            ),
            None,
        ),
    }
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

    fn run(&self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        for t in ctx.report.tables.iter().filter(|t| !t.readable) {
            let problems = t.problems();
            let Some(first) = problems.first() else {
                continue;
            };
            let (found, _) = describe(t, first, lang);
            let start = ctx.report.index.line_of(t.span.start);
            let head = ctx.report.line_content(start);
            let mut head = head.start..head.end.min(t.span.end).max(head.start);
            // Point at the first cell, not the whole (often very long) header line.
            if let Some(line) = ctx.report.text.get(head.clone()) {
                let body = line.strip_prefix('|').unwrap_or(line);
                let skip = line.len() - body.len();
                let lead = body.len() - body.trim_start().len();
                if let Some(end) = body[lead..].find(['\t', '|']) {
                    let cell = body[lead..lead + end].trim_end();
                    if !cell.is_empty() {
                        head = head.start + skip + lead..head.start + skip + lead + cell.len();
                    }
                }
            }
            let vars = [
                ("table", t.name(lang).to_owned()),
                ("found", found),
                ("count", problems.len().to_string()),
            ];
            let mut d = ctx
                .diag(head.clone(), &vars)
                .with_label(ctx.tr("这个表格从这里开始", "the table starts here"))
                .with_fingerprint(format!("{} unreadable", t.id));
            let mut labelled: Vec<std::ops::Range<usize>> = vec![head];
            for (i, p) in problems.iter().take(MAX_NOTES).enumerate() {
                let (words, span) = describe(t, p, lang);
                match span {
                    // The first problem is in the message already.
                    None if i == 0 => {}
                    Some(s)
                        if !labelled
                            .iter()
                            .any(|l| l.start <= s.start && s.start < l.end.max(l.start + 1)) =>
                    {
                        labelled.push(s.clone());
                        d = d.with_secondary(s, words);
                    }
                    _ => d = d.with_note(words),
                }
            }
            if problems.len() > MAX_NOTES {
                d = d.with_note(match lang {
                    Lang::Zh => format!("共 {} 处对不上", problems.len()),
                    Lang::En => format!("{} problems in all", problems.len()),
                });
            }
            for p in problems {
                if let Problem::RunTogether {
                    text,
                    split: Some(parts),
                    ..
                } = p
                {
                    let parts: Vec<String> = parts.iter().map(|v| v.to_string()).collect();
                    d = d.with_note(match lang {
                        Lang::Zh => format!(
                            "“{text}”如果拆成 {}，这一行的合计正好相符；这只是推测，请对照原表核实",
                            parts.join("、")
                        ),
                        Lang::En => format!(
                            "split as {}, “{text}” would make the row's total add up; this is a guess, check the original",
                            parts.join(", ")
                        ),
                    });
                }
            }
            if ctx.report.is_extracted() {
                d.location = Some(t.name(lang).to_owned());
            }
            ctx.push(d);
        }
    }
}
