//! `contact_info`: the report tells the public how to reach the office. By default a phone
//! number and at least one of address, e-mail or website are required; the finding names
//! exactly what is missing.
//!
//! Parameters: `require_all` and `require_any`, lists of `phone`, `address`, `email`,
//! `website`, `postcode`.
//! Placeholders: `{missing}`, `{found}`.
//!
//! ```toml
//! [check.contact_info]
//! require_all = ["phone"]
//! require_any = ["address", "email", "website"]
//! ```

use super::{Ctx, Problem, join};
use crate::diagnostic::Lang;
use crate::report::Contacts;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["missing", "found"];

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Phone,
    Address,
    Email,
    Website,
    Postcode,
}

impl Kind {
    fn present(self, c: &Contacts) -> bool {
        match self {
            Kind::Phone => c.has_phone(),
            Kind::Address => c.has_address(),
            Kind::Email => c.has_email(),
            Kind::Website => c.has_website(),
            Kind::Postcode => !c.postcodes.is_empty(),
        }
    }

    fn word(self, lang: Lang) -> String {
        lang.pick(
            match self {
                Kind::Phone => "联系电话",
                Kind::Address => "地址",
                Kind::Email => "电子邮箱",
                Kind::Website => "网站",
                Kind::Postcode => "邮编",
            },
            match self {
                Kind::Phone => "phone number",
                Kind::Address => "address",
                Kind::Email => "e-mail",
                Kind::Website => "website",
                Kind::Postcode => "postcode",
            },
        )
        .to_owned()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) require_all: Vec<Kind>,
    #[serde(default)]
    pub(crate) require_any: Vec<Kind>,
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
        if self.require_all.is_empty() && self.require_any.is_empty() {
            return Err(vec![(
                None,
                "set `require_all` or `require_any`".to_owned(),
            )]);
        }
        Ok(())
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let c = &r.contacts;
        let lang = ctx.lang;
        let mut missing: Vec<String> = self
            .require_all
            .iter()
            .filter(|k| !k.present(c))
            .map(|k| k.word(lang))
            .collect();
        if !self.require_any.is_empty() && !self.require_any.iter().any(|k| k.present(c)) {
            let any: Vec<String> = self.require_any.iter().map(|k| k.word(lang)).collect();
            missing.push(if any.len() == 1 {
                any[0].clone()
            } else {
                lang.pick(
                    &format!("{}（至少一项）", any.join("、")),
                    &format!("one of {}", any.join(", ")),
                )
                .to_owned()
            });
        }
        if missing.is_empty() {
            return;
        }
        let found: Vec<String> = [
            Kind::Phone,
            Kind::Address,
            Kind::Email,
            Kind::Website,
            Kind::Postcode,
        ]
        .into_iter()
        .filter(|k| k.present(c))
        .map(|k| k.word(lang))
        .collect();
        let vars = [
            ("missing", join(lang, &missing)),
            ("found", join(lang, &found)),
        ];
        let span = r.title_span();
        // The fingerprint does not depend on --lang, so baselines work in either language.
        let fp: Vec<String> = self
            .require_all
            .iter()
            .chain(&self.require_any)
            .filter(|k| !k.present(c))
            .map(|k| k.word(Lang::Zh))
            .collect();
        let mut d = ctx.diag(span, &vars).with_fingerprint(fp.join("、"));
        d = d.with_note(if found.is_empty() {
            ctx.tr(
                "全文没有找到任何联系方式",
                "no contact details were found anywhere",
            )
        } else {
            lang.pick(
                &format!("已找到：{}", join(lang, &found)),
                &format!("found: {}", join(lang, &found)),
            )
            .to_owned()
        });
        for p in c.phones.iter().filter(|p| !p.fax).take(1) {
            d = d.with_secondary(p.span.clone(), ctx.tr("找到的电话", "phone found"));
        }
        ctx.push(d);
    }
}
