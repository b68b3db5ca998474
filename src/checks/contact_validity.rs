//! `contact_validity`: phone numbers, postcodes and e-mail addresses that cannot be right
//! (wrong digit count, no domain). Local numbers without an area code are accepted.
//!
//! Parameters: none.
//! Placeholders: `{value}`, `{kind}` (电话/邮编/电子邮箱), `{problem}`.
//!
//! ```toml
//! [check.contact_validity]
//! ```

use super::Ctx;
use crate::report::contact::PhoneKind;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["value", "kind", "problem"];

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
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let mut found = Vec::new();
        for p in &r.contacts.phones {
            if p.kind == PhoneKind::Invalid {
                let n = p.digits.len();
                found.push((
                    p.span.clone(),
                    ctx.tr(if p.fax { "传真" } else { "电话" }, if p.fax { "fax" } else { "phone" }),
                    ctx.lang.pick(
                        &format!("共 {n} 位数字，不是有效的电话号码（固定电话为区号加 7–8 位，手机为 11 位）"),
                        &format!("{n} digits is not a valid number (area code plus 7–8 digits, or 11 digits for a mobile)"),
                    ).to_owned(),
                ));
            }
        }
        for p in &r.contacts.postcodes {
            if !p.valid {
                found.push((
                    p.span.clone(),
                    ctx.tr("邮编", "postcode"),
                    ctx.lang
                        .pick(
                            &format!("邮编应为 6 位数字，这里是 {} 位", p.digits.len()),
                            &format!("a postcode has 6 digits, this one has {}", p.digits.len()),
                        )
                        .to_owned(),
                ));
            }
        }
        for e in &r.contacts.emails {
            if !e.valid {
                found.push((
                    e.span.clone(),
                    ctx.tr("电子邮箱", "e-mail"),
                    ctx.tr(
                        "电子邮箱格式不对（应为 名称@域名.后缀，且使用半角 @ 和点，不含空格）",
                        "not a valid address (name@domain.tld, half-width @ and dots, no spaces)",
                    ),
                ));
            }
        }
        found.sort_by_key(|f| f.0.start);
        for (span, kind, problem) in found {
            let value = r.text[span.clone()].to_owned();
            let vars = [
                ("value", value.clone()),
                ("kind", kind),
                ("problem", problem.clone()),
            ];
            let d = ctx
                .diag(span, &vars)
                .with_label(problem)
                .with_fingerprint(value);
            ctx.push(d);
        }
    }
}
