//! The web-page reader on arbitrary bytes, without the panic guard; then the rules on what
//! it read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::RuleSet;
use nblint::engine::{Options, lint_document};
use nblint::input::{Limits, html};
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    // What the reader produced goes on through the report model, the table reader (grids)
    // and every rule.
    if let Ok(doc) = html::read(data, &Limits::default()) {
        let _ = lint_document("r.html", doc, &RULES, &Options::default());
    }
});
