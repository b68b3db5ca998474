//! A loaded rule: its code, name, severity, words ([`MessageTemplate`]s for message, help
//! and basis, in Chinese and English) and its [`Check`]. Defined here, beside the kinds
//! that run it, so that checks/ needs nothing from the loader: `rule.rs` reads rule files
//! into these (`rule::Rule` is this type), and a kind's `Ctx` holds the rule it runs.

use super::Check;
use crate::diagnostic::{Lang, Severity};
use std::ops::Range;

/// A message with `{placeholders}`; `{{` and `}}` are literal braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageTemplate {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Lit(String),
    Var(String),
}

impl MessageTemplate {
    /// Parses a template. Errors carry the byte range within `s`.
    pub fn parse(s: &str) -> Result<MessageTemplate, (Range<usize>, String)> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            match c {
                '{' if it.peek().map(|p| p.1) == Some('{') => {
                    it.next();
                    lit.push('{');
                }
                '}' if it.peek().map(|p| p.1) == Some('}') => {
                    it.next();
                    lit.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err((i..s.len(), "unclosed `{` in message".into()));
                    };
                    let name = &rest[..end];
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err((
                            i..i + end + 2,
                            format!("`{{{name}}}` is not a placeholder name (letters, digits, _)"),
                        ));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Var(name.to_owned()));
                    for _ in 0..name.chars().count() + 1 {
                        it.next();
                    }
                }
                '}' => return Err((i..i + 1, "unmatched `}` in message (write `}}`)".into())),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(MessageTemplate { parts })
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Fills the placeholders; an unknown one (impossible after loading) renders as itself.
    pub fn render(&self, vars: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => match vars(v) {
                    Some(val) => out.push_str(&val),
                    None => {
                        out.push('{');
                        out.push_str(v);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

/// Placeholders every rule may use, whatever its kind.
pub(crate) const COMMON_PLACEHOLDERS: &[&str] = &[
    "code",
    "name",
    "template",
    "template_basis",
    "year",
    "agency",
    "basis",
];

/// A loaded, validated rule.
#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub code: String,
    pub severity: Severity,
    pub summary: String,
    pub summary_en: String,
    pub message: MessageTemplate,
    pub message_en: MessageTemplate,
    pub help: Option<MessageTemplate>,
    pub help_en: Option<MessageTemplate>,
    pub basis: Option<MessageTemplate>,
    pub basis_en: Option<MessageTemplate>,
    /// Chinese description (检查什么/为什么/何时是错误/怎么改).
    pub description: String,
    /// English description; `None` falls back to the Chinese one.
    pub description_en: Option<String>,
    /// Template names this rule applies to; empty means every report.
    pub applies_to: Vec<String>,
    pub check: Check,
    /// Where the rule came from (shown by `nblint rules`).
    pub origin: String,
}

impl Rule {
    pub fn message(&self, lang: Lang) -> &MessageTemplate {
        match lang {
            Lang::Zh => &self.message,
            Lang::En => &self.message_en,
        }
    }

    pub fn help(&self, lang: Lang) -> Option<&MessageTemplate> {
        match lang {
            Lang::Zh => self.help.as_ref(),
            Lang::En => self.help_en.as_ref().or(self.help.as_ref()),
        }
    }

    pub fn summary(&self, lang: Lang) -> &str {
        lang.pick(&self.summary, &self.summary_en)
    }

    /// The long description; in English, the Chinese one when the rule has no `description_en`.
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.description,
            Lang::En => self.description_en.as_deref().unwrap_or(&self.description),
        }
    }

    /// The legal or format basis; may contain placeholders such as `{template_basis}`.
    pub fn basis(&self, lang: Lang) -> Option<&MessageTemplate> {
        match lang {
            Lang::Zh => self.basis.as_ref(),
            Lang::En => self.basis_en.as_ref().or(self.basis.as_ref()),
        }
    }

    /// The basis with template placeholders filled for no particular report (docs, explain).
    pub fn basis_text(&self, lang: Lang) -> Option<String> {
        self.basis(lang).map(|b| {
            b.render(&|n| match n {
                "template_basis" => Some(
                    lang.pick("所适用模板的格式文件", "the format of the template in use")
                        .to_owned(),
                ),
                "template" => Some(lang.pick("所适用的模板", "the template in use").to_owned()),
                _ => None,
            })
        })
    }

    /// Whether the rule applies to a report read with `template`.
    pub fn applies(&self, template: Option<&str>) -> bool {
        self.applies_to.is_empty()
            || template.is_some_and(|t| self.applies_to.iter().any(|a| a == t))
    }
}
