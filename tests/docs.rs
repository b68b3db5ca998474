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

/// The fenced blocks of a Markdown text with the given info string, dedented by the fence's
/// own indentation.
fn fenced_blocks(md: &str, info: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut cur {
            None if trimmed == format!("```{info}") => cur = Some((indent, String::new())),
            Some(_) if trimmed == "```" => out.push(cur.take().map(|c| c.1).unwrap_or_default()),
            Some((ind, text)) => {
                text.push_str(line.get(*ind..).unwrap_or(line.trim_start()));
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

fn writing_rules() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/writing-rules.md");
    std::fs::read_to_string(path).expect("docs/writing-rules.md")
}

/// The walk-through "adding a kind" quotes the smallest kind; the quotes must be its code.
#[test]
fn the_kind_walk_through_is_the_code() {
    let md = writing_rules();
    let start = md
        .find("## 加一种规则类型")
        .expect("the walk-through section");
    let end = md[start + 3..]
        .find("\n## ")
        .map_or(md.len(), |i| start + 3 + i);
    let blocks = fenced_blocks(&md[start..end], "rust");
    assert!(blocks.len() >= 2, "the walk-through shows the code");
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks/publication_date.rs"),
    )
    .expect("src/checks/publication_date.rs");
    for b in &blocks {
        assert!(
            src.contains(b.as_str()),
            "docs/writing-rules.md quotes code that is not in src/checks/publication_date.rs:\n{b}"
        );
    }
}

/// Every ```toml block of docs/writing-rules.md loads: whole rule files as user rules, a
/// `[check.…]` fragment inside a rule with the common keys, a whole template as a user
/// template; a fragment of a template is at least valid TOML.
#[test]
fn every_toml_block_of_writing_rules_loads() {
    let builtin = nblint::RuleSet::builtin().expect("built-in rules load");
    let blocks = fenced_blocks(&writing_rules(), "toml");
    assert!(blocks.len() >= 8, "found {} toml blocks", blocks.len());
    let root = std::env::temp_dir().join(format!("nblint-docs-toml-{}", std::process::id()));
    for (i, b) in blocks.iter().enumerate() {
        let first = b
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default();
        let dir = root.join(i.to_string());
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        let (file, text) = if first.starts_with("code") {
            let v: toml::Table = toml::from_str(b).unwrap_or_else(|e| panic!("block {i}: {e}"));
            let code = v["code"].as_str().unwrap_or_default();
            // A block that shows a built-in rule replaces it under its own name.
            let name = builtin
                .rules
                .iter()
                .find(|r| r.code == code)
                .map_or_else(|| format!("doc-block-{i}"), |r| r.name.clone());
            (dir.join(format!("{name}.toml")), b.clone())
        } else if first.starts_with("[check.") || first.starts_with("[[check.") {
            let head = format!(
                "code = \"DOC{:03}\"\nseverity = \"warning\"\nsummary = \"x\"\nsummary_en = \"x\"\n\
                 message = \"x\"\nmessage_en = \"x\"\ndescription = \"x\"\n",
                100 + i
            );
            (
                dir.join(format!("doc-block-{i}.toml")),
                format!("{head}\n{b}"),
            )
        } else if first.starts_with("title") {
            (dir.join("templates/doc-template.toml"), b.clone())
        } else {
            toml::from_str::<toml::Table>(b).unwrap_or_else(|e| panic!("block {i}: {e}\n{b}"));
            continue;
        };
        std::fs::write(&file, text).unwrap();
        if let Err(errors) = nblint::RuleSet::load(std::slice::from_ref(&dir)) {
            let shown: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.file, e.message))
                .collect();
            panic!(
                "toml block {i} of docs/writing-rules.md does not load:\n{}\n{b}",
                shown.join("\n")
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}
