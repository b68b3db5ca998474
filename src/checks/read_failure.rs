//! `read_failure`: a file that could not be read (NB001) or has no text to check (NB002).
//!
//! The engine reports these itself when a reader fails; the kind exists so that the codes,
//! messages and help are data like every other rule.
//!
//! Parameters: `cause = "unreadable" | "no-text"`.
//! Placeholders: `{reason}` (what is wrong), `{advice}` (what to do), `{path}`.
//!
//! ```toml
//! [check.read_failure]
//! cause = "unreadable"
//! ```

use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["reason", "advice", "path"];

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Cause {
    Unreadable,
    NoText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub(crate) cause: Cause,
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Input
    }

    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }
}
