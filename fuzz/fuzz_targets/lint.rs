//! The whole pipeline on arbitrary text: reading, the report model (outline, numbers,
//! dates, contacts, sections) and every built-in rule.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::engine::{Options, lint_source};
use nblint::RuleSet;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let _ = lint_source("r.md", data, &RULES, &Options::default());
});
