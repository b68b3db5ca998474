//! Real published reports: `../shared/corpus` (28 documents with hand-verified facts) scored
//! against its `expected.toml`, as `score.py` does for a release build: every `must` finding
//! is reported and no rule listed as `clean` for a document is an error there (a false
//! error). The documents are not ours and are never copied into the repository; without the
//! folder the test says so and passes.

use nblint::engine::{Options, lint_source};
use nblint::{RuleSet, Severity};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn real_reports_have_every_must_and_no_false_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(expected) = std::fs::read_to_string(dir.join("expected.toml")) else {
        eprintln!(
            "skipped: {} is not here (the real-report corpus is outside the repository)",
            dir.display()
        );
        return;
    };
    let exp: toml::Table = toml::from_str(&expected).expect("expected.toml parses");
    let words = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let default_clean = words(exp["defaults"].get("clean"));
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut problems = Vec::new();
    let mut checked = 0;
    let docs = exp["doc"].as_table().expect("[doc.*] tables");
    for (key, d) in docs {
        let file = d["file"].as_str().expect("file");
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        checked += 1;
        let r = lint_source(file, &bytes, &rules, &Options::default());
        let names: BTreeSet<&str> = r.diagnostics.iter().map(|d| d.name.as_str()).collect();
        for alt in words(d.get("must")) {
            if !alt.split('|').any(|n| names.contains(n)) {
                problems.push(format!("{key}: missed {alt}"));
            }
        }
        let mut clean: BTreeSet<String> = match d.get("clean_override") {
            Some(v) => words(Some(v)).into_iter().collect(),
            None => default_clean.iter().cloned().collect(),
        };
        clean.extend(words(d.get("extra_clean")));
        for e in r
            .diagnostics
            .iter()
            .filter(|x| x.severity == Severity::Error)
        {
            if clean.contains(&e.name) {
                problems.push(format!("{key}: false error {} {}", e.name, e.message));
            }
        }
    }
    assert!(checked > 0, "no document of expected.toml was found");
    assert!(
        problems.is_empty(),
        "{} problem(s) on the real-report corpus:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
