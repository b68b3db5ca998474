//! `cross_year_carryover`: 表三's 二、上年结转政府信息公开申请数量 of a year differs from
//! 四、结转下年度继续办理 in the same body's report for the previous year, in any of the seven
//! columns (自然人 … 总计). Both reports get a finding, each on its own row, naming the other.
//! Runs after all files are checked, on pairs of consecutive years (see `crate::cross`).
//!
//! The numbers come from `crate::cross::carry_rows`, which reads `report.table("requests")`.
//! A column that is blank or unreadable in either report is not compared; nothing is
//! reported when a row is missing. Years before `from_year` are skipped (before 2019 there
//! was no carry-over row, so the first pair is 2019 → 2020).
//!
//! Parameters: `from_year` (the later report's year; default 2020).
//! Placeholders: `{columns}` (the differing columns with both values), `{current_year}`,
//! `{previous_year}`, `{other_path}`.
//!
//! ```toml
//! [check.cross_year_carryover]
//! from_year = 2020
//! ```

use super::Ctx;
use crate::cross::{CarryRow, Pair, REQUEST_COLUMNS_ZH};
use crate::diagnostic::Lang;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] =
    &["columns", "current_year", "previous_year", "other_path"];

const COLUMNS_EN: [&str; 7] = [
    "natural persons",
    "businesses",
    "research institutions",
    "non-profits",
    "legal services",
    "other organisations",
    "total",
];

fn default_from_year() -> i32 {
    2020
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default = "default_from_year")]
    pub(crate) from_year: i32,
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

    fn run_pair(&self, cur: &mut Ctx, prev: &mut Ctx, pair: &Pair) {
        if pair.current.year < self.from_year {
            return;
        }
        let (Some(carried_in), Some(carry_over)) =
            (&pair.current.carried_in, &pair.previous.carry_over)
        else {
            return;
        };
        let lang = cur.lang;
        let diffs: Vec<usize> = (0..7)
            .filter(|&i| {
                matches!((carried_in.values[i], carry_over.values[i]), (Some(a), Some(b)) if a != b)
            })
            .collect();
        if diffs.is_empty() {
            return;
        }
        let col = |i: usize| match lang {
            Lang::Zh => REQUEST_COLUMNS_ZH[i],
            Lang::En => COLUMNS_EN[i],
        };
        let columns = diffs
            .iter()
            .map(|&i| {
                let (a, b) = (
                    carried_in.values[i].unwrap_or_default(),
                    carry_over.values[i].unwrap_or_default(),
                );
                match lang {
                    Lang::Zh => format!(
                        "{}：{}年上年结转 {a}，{}年结转下年度 {b}",
                        col(i),
                        pair.current.year,
                        pair.previous.year
                    ),
                    Lang::En => format!(
                        "{}: {} carried in {a}, {} carried over {b}",
                        col(i),
                        pair.current.year,
                        pair.previous.year
                    ),
                }
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "));
        let fingerprint = diffs
            .iter()
            .map(|&i| {
                format!(
                    "{}:{}≠{}",
                    REQUEST_COLUMNS_ZH[i],
                    carried_in.values[i].unwrap_or_default(),
                    carry_over.values[i].unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let vars = |other: &str| {
            [
                ("columns", columns.clone()),
                ("current_year", pair.current.year.to_string()),
                ("previous_year", pair.previous.year.to_string()),
                ("other_path", other.to_owned()),
            ]
        };
        let side = |ctx: &mut Ctx, row: &CarryRow, other: &str, here: &str, there: &str| {
            let Some(span) = row.span() else { return };
            let mut d = ctx
                .diag(span, &vars(other))
                .with_label(here.to_owned())
                .with_note(there.to_owned())
                .with_fingerprint(fingerprint.clone());
            for &i in &diffs {
                if let Some(s) = &row.spans[i] {
                    d = d.with_secondary(s.clone(), col(i).to_owned());
                }
            }
            ctx.push(d);
        };
        let (cur_label, prev_label) = match lang {
            Lang::Zh => ("本报告的“二、上年结转”", "本报告的“四、结转下年度继续办理”"),
            Lang::En => (
                "carried in (二、上年结转)",
                "carried over (四、结转下年度继续办理)",
            ),
        };
        side(
            cur,
            carried_in,
            pair.previous_path,
            cur_label,
            &match lang {
                Lang::Zh => format!("对照：{} 的“四、结转下年度继续办理”", pair.previous_path),
                Lang::En => format!("compare: carried over in {}", pair.previous_path),
            },
        );
        side(
            prev,
            carry_over,
            pair.current_path,
            prev_label,
            &match lang {
                Lang::Zh => format!("对照：{} 的“二、上年结转”", pair.current_path),
                Lang::En => format!("compare: carried in in {}", pair.current_path),
            },
        );
    }
}
