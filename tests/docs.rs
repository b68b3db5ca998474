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

/// `--lang en` explains every built-in rule in English, with the same sections as the Chinese.
#[test]
fn every_rule_has_an_english_description() {
    let rules = nblint::RuleSet::builtin().expect("built-in rules load");
    for r in &rules.rules {
        let en = r.description_en.as_deref().unwrap_or_default();
        assert!(
            !en.trim().is_empty(),
            "{}: description_en is missing or empty",
            r.name
        );
        assert_eq!(r.description(nblint::Lang::En), en, "{}", r.name);
        for heading in ["What it checks:", "Why:", "How to fix:"] {
            assert!(
                en.contains(heading),
                "{}: description_en must say {heading}",
                r.name
            );
        }
        assert!(
            !en.contains("检查什么") && !en.contains("怎么改"),
            "{}: description_en still has Chinese headings",
            r.name
        );
        assert_eq!(
            en.contains("When it is an error:"),
            r.description.contains("何时是错误"),
            "{}: description_en says “When it is an error:” exactly when the Chinese says 何时是错误",
            r.name
        );
        if r.severity == nblint::Severity::Error {
            assert!(
                en.contains("When it is an error"),
                "{}: an error-level rule must say “When it is an error” in description_en",
                r.name
            );
        }
    }
}
