//! The Word reader on arbitrary bytes, without the panic guard of `input::read`: any
//! panic, in our code or in zip/quick-xml, is a finding; then the rules on what it read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::RuleSet;
use nblint::engine::{Options, lint_document};
use nblint::input::{Limits, docx};
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    // What the reader produced goes on through the report model, the table reader (grids)
    // and every rule.
    if let Ok(doc) = docx::read(data, "docx", &limits) {
        let _ = lint_document("r.docx", doc, &RULES, &Options::default());
    }
});
