//! The diagnostic model: what a check found, independent of how it is shown.
//!
//! Spans are byte ranges into the checked document's text (`Document::text`). Emitters turn
//! them into lines and columns; nothing here knows about terminals, JSON or SARIF.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How serious a finding is. The order matters: `Error` is the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The word shown to a person in the chosen language.
    pub(crate) fn word(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Zh, Severity::Error) => "错误",
            (Lang::Zh, Severity::Warning) => "警告",
            (Lang::Zh, Severity::Note) => "提示",
            (Lang::En, s) => s.as_str(),
        }
    }
}

/// The language of messages. Chinese is the default; English is for `--lang en`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub(crate) fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// How the numbers of an arithmetic finding were bound to what they are compared with.
/// Only an explicit binding may be an error; an inferred one is at most a warning (the
/// engine caps it, whatever the rule's or the configuration's severity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Confidence {
    /// The text names them together (`受理68件，办结66件，办结率97%`; a 其中 list with its
    /// stated parent total), or a table read with confidence.
    Explicit,
    /// The nearest plausible numbers: likely, not certain.
    Inferred,
}

impl Confidence {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Confidence::Explicit => "explicit",
            Confidence::Inferred => "inferred",
        }
    }
}

/// A secondary span with its own message ("this cell was added: 12").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub(crate) span: Range<usize>,
    pub message: String,
}

/// A machine-applicable replacement of `span` by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Range<usize>,
    pub replacement: String,
}

/// One finding in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `NB101`.
    pub code: String,
    /// Stable kebab-case rule name, e.g. `missing-section`.
    pub name: String,
    pub severity: Severity,
    pub message: String,
    /// Primary span (byte range into the document text). May be empty (a point).
    pub span: Range<usize>,
    /// Message on the primary span, if any.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// Explanations: the arithmetic, what was found, the legal basis.
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub suggestion: Option<Suggestion>,
    /// Where this is in words, for formats whose text is extracted (第3段, 表三 第2行第4列).
    pub location: Option<String>,
    /// What was found, independent of position; used to recognise the same finding across
    /// edits (baselines). Defaults to the primary span's text.
    pub(crate) fingerprint: String,
    /// For arithmetic findings: how the numbers were bound (see [`Confidence`]).
    pub(crate) confidence: Option<Confidence>,
}

impl Diagnostic {
    /// Sort key within one file: position, then code, then message.
    pub(crate) fn sort_key(&self) -> (usize, usize, &str, &str) {
        (self.span.start, self.span.end, &self.code, &self.message)
    }
}

/// Per-file summary counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) notes: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }

    pub(crate) fn merge(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
    }
}
