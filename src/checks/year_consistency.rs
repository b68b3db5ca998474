//! `year_consistency`: the title year, the statistics period and the text agree.
//!
//! Reported: a statistics period that is not the whole report year; a cut-off for counts
//! before 31 December (seed 003: 截止12月6日…发布信息389条); a plan for the report year itself
//! ("2016年将继续…" in a 2016 report); a signature date before the report year ended.
//!
//! Parameters: `period`, `cutoffs`, `plans`, `signature` (each default true).
//! Placeholders: `{problem}`, `{report_year}`.
//!
//! ```toml
//! [check.year_consistency]
//! plans = true
//! ```

use super::Ctx;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["problem", "report_year"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default = "yes")]
    pub(crate) period: bool,
    #[serde(default = "yes")]
    pub(crate) cutoffs: bool,
    #[serde(default = "yes")]
    pub(crate) plans: bool,
    #[serde(default = "yes")]
    pub(crate) signature: bool,
}

fn yes() -> bool {
    true
}

fn fmt_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y}年{m}月{d}日")
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

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let Some(year) = r.meta.year else { return };
        let year_span = r.meta.year_span.clone();
        let from_title = r
            .meta
            .title
            .as_ref()
            .zip(year_span.as_ref())
            .is_some_and(|(t, y)| t.start <= y.start && y.end <= t.end);
        let mut found: Vec<(std::ops::Range<usize>, String, String)> = Vec::new();
        if self.period
            && from_title
            && let Some(p) = &r.meta.period
            && (p.start != (year, 1, 1) || p.end != (year, 12, 31))
        {
            found.push((
                p.span.clone(),
                ctx.lang.pick(
                    &format!("统计期限 {} 至 {} 与 {year} 年度不一致（应为 {year}年1月1日至{year}年12月31日）", fmt_date(p.start), fmt_date(p.end)),
                    &format!("the statistics period {:?} to {:?} is not the whole year {year}", p.start, p.end),
                ).to_owned(),
                "period".into(),
            ));
        }
        if self.cutoffs {
            for c in &r.meta.cutoffs {
                if c.year.is_none_or(|y| y == year) && (c.month, c.day) < (12, 31) {
                    found.push((
                        c.span.clone(),
                        ctx.lang
                            .pick(
                                &format!(
                                    "统计只截至{}月{}日，没有覆盖 {year} 年全年",
                                    c.month, c.day
                                ),
                                &format!(
                                    "the counts stop at {}/{}, not the whole year {year}",
                                    c.month, c.day
                                ),
                            )
                            .to_owned(),
                        format!("cutoff {}-{}", c.month, c.day),
                    ));
                }
            }
        }
        if self.plans {
            for (span, y) in &r.meta.plans {
                if *y == year {
                    found.push((
                        span.clone(),
                        ctx.lang.pick(
                            &format!("{year} 年度报告中写的是 {year} 年的打算，像是年初的计划而不是年度总结"),
                            &format!("a {year} report states plans for {year} itself, like a plan rather than a report"),
                        ).to_owned(),
                        format!("plan {}", &r.text[span.clone()]),
                    ));
                }
            }
        }
        if self.signature
            && let Some(d) = &r.meta.signed
            && (d.year < year || (d.year == year && (d.month, d.day) < (12, 31)))
        {
            found.push((
                d.span.clone(),
                ctx.lang
                    .pick(
                        &format!(
                            "落款日期 {} 早于 {year} 年结束，年度报告应在年度结束后编制",
                            d.iso()
                        ),
                        &format!("the signature date {} is before the end of {year}", d.iso()),
                    )
                    .to_owned(),
                "signature".into(),
            ));
        }
        found.sort_by_key(|f| f.0.start);
        for (span, problem, fp) in found {
            let vars = [
                ("problem", problem.clone()),
                ("report_year", year.to_string()),
            ];
            let mut d = ctx
                .diag(span, &vars)
                .with_label(problem)
                .with_fingerprint(fp);
            if let Some(ys) = &year_span {
                d = d.with_secondary(
                    ys.clone(),
                    ctx.lang.pick(
                        &format!("报告年度：{year}"),
                        &format!("report year: {year}"),
                    ),
                );
            }
            ctx.push(d);
        }
    }
}
