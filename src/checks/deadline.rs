//! `deadline`: the report was published after the deadline for its body type and year.
//!
//! The deadline is a month and day in the year after the report year. Reports for 2018 and
//! earlier use `before_2019` for every body (2008 《条例》第三十一条: 3月31日). From 2019 the
//! body type decides (《条例》第四十九条): `department` (县级以上人民政府部门, 1月31日),
//! `government` (县级以上地方人民政府, 3月31日), `township` (乡镇、街道: no statutory date, so
//! none unless given). `[deadlines]` in nblint.toml overrides the three body types.
//!
//! Nothing is reported when the year, the date or the body type is unknown: an unknown date
//! is not a failure (NB405 says the date is missing).
//!
//! Parameters: `department`, `government`, `township`, `before_2019` (`"MM-DD"`; omitted =
//! no deadline).
//! Placeholders: `{date}`, `{deadline}`, `{days}`, `{body_type}`.
//!
//! ```toml
//! [check.deadline]
//! department = "01-31"
//! government = "03-31"
//! before_2019 = "03-31"
//! ```

use super::{Ctx, Problem};
use crate::dates::MonthDay;
use crate::diagnostic::Lang;
use crate::report::BodyType;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["date", "deadline", "days", "body_type"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) department: Option<String>,
    #[serde(default)]
    pub(crate) government: Option<String>,
    #[serde(default)]
    pub(crate) township: Option<String>,
    #[serde(default)]
    pub(crate) before_2019: Option<String>,
    #[serde(skip)]
    parsed: [Option<MonthDay>; 4],
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
        let fields = [
            ("department", &self.department),
            ("government", &self.government),
            ("township", &self.township),
            ("before_2019", &self.before_2019),
        ];
        for (i, (key, v)) in fields.into_iter().enumerate() {
            if let Some(v) = v {
                match MonthDay::parse(v) {
                    Some(md) => self.parsed[i] = Some(md),
                    None => problems.push((
                        None,
                        format!("`{key} = \"{v}\"` is not a month and day such as \"03-31\""),
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let (Some(year), Some(date), Some(body)) =
            (r.meta.year, r.meta.publication_date(), r.body_type)
        else {
            return;
        };
        let lang = ctx.lang;
        let (deadline, source) = if year <= 2018 {
            (
                self.parsed[3],
                lang.pick(
                    "2008 年《条例》第三十一条（2018 年度及以前的报告）",
                    "2008 Regulation, Article 31 (reports for 2018 and earlier)",
                )
                .to_owned(),
            )
        } else if let Some(local) = ctx.deadlines.get(body) {
            (
                local,
                lang.pick("nblint.toml 的 [deadlines]", "[deadlines] in nblint.toml")
                    .to_owned(),
            )
        } else {
            let i = match body {
                BodyType::Department => 0,
                BodyType::Government => 1,
                BodyType::Township => 2,
            };
            let why = match body {
                BodyType::Department => lang.pick(
                    "《条例》第四十九条第一款（县级以上人民政府部门）",
                    "Regulation, Article 49(1) (departments)",
                ),
                BodyType::Government => lang.pick(
                    "《条例》第四十九条第二款（县级以上地方人民政府）",
                    "Regulation, Article 49(2) (local governments)",
                ),
                BodyType::Township => lang.pick("规则文件", "the rule file"),
            };
            (self.parsed[i], why.to_owned())
        };
        let Some(dl) = deadline else { return };
        let due = (year + 1, dl.month, dl.day);
        if date.ymd() <= due {
            return;
        }
        let days =
            days_from_civil(date.year, date.month, date.day) - days_from_civil(due.0, due.1, due.2);
        let (date_zh, due_zh) = (
            format!("{}年{}月{}日", date.year, date.month, date.day),
            format!("{}年{}月{}日", due.0, due.1, due.2),
        );
        let (date_s, due_s) = match lang {
            Lang::Zh => (date_zh, due_zh),
            Lang::En => (
                date.iso(),
                format!("{:04}-{:02}-{:02}", due.0, due.1, due.2),
            ),
        };
        let body_s = match lang {
            Lang::Zh => body.zh().to_owned(),
            Lang::En => body.as_str().to_owned(),
        };
        let vars = [
            ("date", date_s.clone()),
            ("deadline", due_s.clone()),
            ("days", days.to_string()),
            ("body_type", body_s.clone()),
        ];
        let which = if r.meta.published.as_ref() == Some(date) {
            lang.pick("发布日期", "publication date")
        } else {
            lang.pick("落款日期", "signature date")
        };
        let how = if r.meta.body_type == Some(body) {
            lang.pick(
                "由单位名称判断；不对时用 --body-type 或 nblint.toml 的 [report] body-type 指定",
                "guessed from the agency name; set --body-type or body-type in nblint.toml if wrong",
            )
        } else {
            lang.pick(
                "由配置或 --body-type 指定",
                "set by configuration or --body-type",
            )
        };
        let d = ctx
            .diag(date.span.clone(), &vars)
            .with_label(match lang {
                Lang::Zh => format!("{which}：{date_s}"),
                Lang::En => format!("{which}: {date_s}"),
            })
            .with_note(match lang {
                Lang::Zh => format!("公布时限：{due_s}（{source}）"),
                Lang::En => format!("deadline: {due_s} ({source})"),
            })
            .with_note(match lang {
                Lang::Zh => format!("报告单位类型：{body_s}（{how}）"),
                Lang::En => format!("body type: {body_s} ({how})"),
            })
            .with_fingerprint(format!(
                "{}>{:04}-{:02}-{:02}",
                date.iso(),
                due.0,
                due.1,
                due.2
            ));
        ctx.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2022, 3, 1) - days_from_civil(2022, 1, 31),
            29
        );
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
    }
}
