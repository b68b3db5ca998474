//! Rule fixtures: every rule has `fixtures/rules/<rule-name>/` with `ok*.*` files that must
//! produce no finding of that rule, and `bad-*.*` files whose findings of that rule are
//! snapshotted exactly as the user sees them (rustc-style, Chinese, no colour).
//!
//! Rules that compare reports (NB5xx) have directories instead of files: `ok-*/` and
//! `bad-*/` each hold several reports that are checked together in one run.

use nblint::emit::{EmitOptions, Emitter, human::Human};
use nblint::engine::{FileReport, Input, Options, lint_inputs, lint_source};
use nblint::{Lang, RuleSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn rel(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn lint(path: &Path, rules: &RuleSet) -> FileReport {
    let bytes = std::fs::read(path).expect("fixture readable");
    lint_source(&rel(path), &bytes, rules, &Options::default())
}

/// Checks a file, or every file of a directory in one run (for checks across reports).
/// Returns each file's result, then the results across reports.
fn lint_any(path: &Path, rules: &RuleSet) -> Vec<FileReport> {
    if !path.is_dir() {
        return vec![lint(path, rules)];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input::File(PathBuf::from(rel(f))))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut out = Vec::new();
    lint_inputs(&inputs, None, rules, &Options::default(), &pool, |f| {
        out.push(f);
        Ok::<(), ()>(())
    })
    .unwrap();
    out
}

fn render(f: &FileReport) -> String {
    let mut out = Vec::new();
    Human::new(EmitOptions {
        lang: Lang::Zh,
        color: false,
    })
    .file(&mut out, f)
    .expect("render to memory");
    String::from_utf8(out).expect("utf-8 output")
}

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("fixtures/rules exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_rule_has_fixtures() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let dirs: Vec<String> = rule_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for r in &rules.rules {
        assert!(
            dirs.contains(&r.name),
            "rule {} ({}) has no fixtures/rules/{}/",
            r.code,
            r.name,
            r.name
        );
    }
    for d in &dirs {
        assert!(rules.find(d).is_some(), "fixtures/rules/{d}/ names no rule");
        let files: Vec<String> = std::fs::read_dir(root().join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().any(|f| f.starts_with("ok")),
            "fixtures/rules/{d}/ has no ok.* file"
        );
        assert!(
            files.iter().any(|f| f.starts_with("bad-")),
            "fixtures/rules/{d}/ has no bad-*.* file"
        );
    }
}

#[test]
fn ok_fixtures_are_clean() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for dir in rule_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files
            .iter()
            .filter(|f| f.file_name().unwrap().to_string_lossy().starts_with("ok"))
        {
            for mut r in lint_any(f, &rules) {
                r.diagnostics.retain(|d| d.name == name);
                if !r.diagnostics.is_empty() {
                    failures.push(render(&r));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "ok fixtures produced findings:\n{}",
        failures.join("\n")
    );
}

#[test]
fn bad_fixtures_snapshots() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    insta::glob!("../fixtures/rules", "*/bad-*", |path| {
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut shown = String::new();
        for mut r in lint_any(path, &rules) {
            r.diagnostics.retain(|d| d.name == name);
            shown.push_str(&render(&r));
        }
        assert!(
            !shown.is_empty(),
            "{} produced no {name} finding",
            rel(path)
        );
        insta::assert_snapshot!(shown);
    });
}
