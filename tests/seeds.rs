//! Expectations on the real published reports in `../shared/seeds/` (the workplace's study
//! material). They are not part of the repository, so in CI this test has nothing to check and
//! says so; on a developer machine that has them it pins what nblint must find. Our own fixtures
//! (fixtures/rules/, fixtures/reports/) model the same shapes and are what CI relies on.

use nblint::engine::{FileReport, Options, lint_source};
use nblint::{Diagnostic, RuleSet};
use std::path::PathBuf;

fn seeds_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    d.is_dir().then_some(d)
}

fn seed(prefix: &str) -> Option<FileReport> {
    let dir = seeds_dir()?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let path = entries.into_iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    })?;
    let rules = RuleSet::builtin().expect("rules load");
    let bytes = std::fs::read(&path).ok()?;
    Some(lint_source(
        &path.to_string_lossy(),
        &bytes,
        &rules,
        &Options::default(),
    ))
}

fn line_of(r: &FileReport, d: &Diagnostic) -> usize {
    r.text[..d.span.start].matches('\n').count() + 1
}

fn codes(r: &FileReport) -> Vec<(String, usize)> {
    r.diagnostics
        .iter()
        .map(|d| (d.name.clone(), line_of(r, d)))
        .collect()
}

#[test]
fn seed_expectations() {
    if seeds_dir().is_none() {
        eprintln!("../shared/seeds not present: nothing to check (CI relies on fixtures/)");
        return;
    }
    // 000: a 2017 narrative report with full contact details.
    let r = seed("000").expect("seed 000");
    assert!(
        !codes(&r).iter().any(|(n, _)| n == "missing-contact-info"),
        "{:?}",
        codes(&r)
    );
    assert!(!codes(&r).iter().any(|(n, _)| n == "not-an-annual-report"));

    // 001: statistics table restarts numbering inside the attachment; contact only a phone.
    let r = seed("001").expect("seed 001");
    let c = codes(&r);
    assert!(!c.iter().any(|(n, _)| n == "heading-numbering"), "{c:?}");
    let contact = r
        .diagnostics
        .iter()
        .find(|d| d.name == "missing-contact-info")
        .expect("001 misses contact details");
    assert!(
        contact.message.contains("地址") && contact.message.contains("电子邮箱"),
        "{}",
        contact.message
    );

    // 002 and 003: work summaries, not annual reports; web-page residue.
    for s in ["002", "003"] {
        let r = seed(s).expect("seed");
        let c = codes(&r);
        assert!(
            c.iter().any(|(n, _)| n == "not-an-annual-report"),
            "{s}: {c:?}"
        );
        assert!(c.iter().any(|(n, _)| n == "web-page-residue"), "{s}: {c:?}");
        assert!(
            !c.iter().any(|(n, _)| n == "missing-section"),
            "{s}: one finding, not a flood: {c:?}"
        );
    }
    let r = seed("003").expect("seed 003");
    let run = r
        .diagnostics
        .iter()
        .find(|d| d.name == "heading-numbering")
        .expect("003's 一是…四是…九是 run");
    assert!(run.message.contains("一是…四是…九是"), "{}", run.message);

    // 004: six 2019-format sections found; the sub-headings numbered 一、二、 are duplicates.
    let r = seed("004").expect("seed 004");
    let c = codes(&r);
    assert!(
        !c.iter()
            .any(|(n, _)| n == "missing-section" || n == "section-out-of-order"),
        "{c:?}"
    );
    let dups: Vec<usize> = c
        .iter()
        .filter(|(n, _)| n == "heading-numbering")
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(dups, vec![9, 20], "{c:?}");
    assert!(!c.iter().any(|(n, _)| n == "missing-contact-info"), "{c:?}");
}
