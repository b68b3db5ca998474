//! The PDF reader on arbitrary bytes, without the panic guard: any panic, in our content
//! interpreter and layout or in lopdf, is a finding; then the rules on what it read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::RuleSet;
use nblint::engine::{Options, lint_document};
use nblint::input::{Limits, pdf};
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    // What the reader produced goes on through the report model, the table reader (grids)
    // and every rule.
    if let Ok(doc) = pdf::read(data, &limits) {
        let _ = lint_document("r.pdf", doc, &RULES, &Options::default());
    }
});
