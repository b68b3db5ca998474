//! Generated documentation stays fresh: docs/rules.md is regenerated from the rule files and
//! compared. Run `cargo run -- rules --format markdown > docs/rules.md` to update it.

#[test]
fn rules_reference_is_fresh() {
    let rules = nblint::RuleSet::builtin().expect("built-in rules load");
    let want = nblint::docs::rules_markdown(&rules);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale; run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

/// Precision first: a rule that can be an error says when it is one and when only a warning.
#[test]
fn every_error_rule_says_when_it_is_an_error() {
    let rules = nblint::RuleSet::builtin().expect("built-in rules load");
    for r in &rules.rules {
        if r.severity == nblint::Severity::Error {
            assert!(
                r.description.contains("何时是错误"),
                "{}: an error-level rule must say 何时是错误 in its description",
                r.name
            );
        }
    }
}

#[test]
fn every_rule_is_documented_in_chinese_and_english() {
    let rules = nblint::RuleSet::builtin().expect("built-in rules load");
    for r in &rules.rules {
        assert!(
            r.description.contains("检查什么"),
            "{}: description must say 检查什么",
            r.name
        );
        assert!(
            r.description.contains("为什么"),
            "{}: description must say 为什么",
            r.name
        );
        assert!(
            r.description.contains("怎么改"),
            "{}: description must say 怎么改",
            r.name
        );
        assert!(!r.summary_en.is_empty(), "{}: summary_en", r.name);
    }
}
