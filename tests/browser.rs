//! The browser page in a real browser: nblint.html (built by `bash web/build.sh`) opened from
//! file:// in headless Chromium with the network shut off, given the bundled .docx and .pdf
//! examples; the findings, the highlighted cells and the counts must be those of the library
//! (`nblint check --format json` gives the same). A screenshot goes to
//! target/browser/nblint-page.png.
//!
//! Needs Chromium (`CHROMIUM`, default /usr/bin/chromium), Node.js (`node`) and the page
//! (`NBLINT_PAGE`, default target/nblint.html). When one is missing the test says which and
//! why on stderr and passes: `cargo test` works on a machine without a browser; .ci/run
//! installs Chromium, builds the page and runs this test with `NBLINT_REQUIRE_BROWSER=1`,
//! which turns a skip into a failure.

mod common;
use common::root;
use nblint::{Options, RuleSet, lint_source};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Says why the test did not run, past the test harness's capture.
fn skip(test: &str, why: &str) {
    let required = std::env::var_os("NBLINT_REQUIRE_BROWSER").is_some();
    let msg = format!("\nbrowser test `{test}` SKIPPED: {why}\n");
    let _ = std::io::stderr().write_all(msg.as_bytes());
    assert!(!required, "NBLINT_REQUIRE_BROWSER is set: {why}");
}

/// Chromium, when it and Node.js are here.
fn chromium(test: &str) -> Option<PathBuf> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        skip(
            test,
            &format!(
                "{} not found (Debian: apt-get install chromium; or set CHROMIUM)",
                chromium.display()
            ),
        );
        return None;
    }
    if Command::new("node").arg("--version").output().is_err() {
        skip(test, "node (Node.js) not found; it drives Chromium");
        return None;
    }
    Some(chromium)
}

/// Opens `page` in Chromium, gives it `files` (none for a report) and returns what it shows.
fn show(chromium: &Path, page: &Path, shot: &Path, files: &[&str]) -> Value {
    std::fs::create_dir_all(root().join("target/browser")).expect("target/browser");
    let o = Command::new("node")
        .current_dir(root())
        .arg("tests/browser/check.mjs")
        .arg(chromium)
        .arg(page)
        .arg(shot)
        .args(files)
        .output()
        .expect("node runs");
    assert!(
        o.status.success(),
        "check.mjs failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let shown: Value = serde_json::from_slice(&o.stdout).expect("check.mjs prints JSON");
    assert_eq!(shown["errors"], Value::Array(vec![]), "script errors");
    shown
}

#[test]
fn page_in_chromium() {
    let test = "page_in_chromium";
    let Some(chromium) = chromium(test) else {
        return;
    };
    let page = std::env::var_os("NBLINT_PAGE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/nblint.html"));
    if !page.exists() {
        return skip(
            test,
            &format!(
                "{} not built (bash web/build.sh {})",
                page.display(),
                page.display()
            ),
        );
    }
    // The examples of issue 12, and an old Word file the page cannot read (NB001 there too).
    let files = [
        "fixtures/inputs/qingshan.docx",
        "fixtures/inputs/qingshan.pdf",
        "fixtures/inputs/qingshan.html",
        "fixtures/rules/unreadable-file/bad-old-word.doc",
    ];
    let shot = root().join("target/browser/nblint-page.png");
    let shown = show(&chromium, &page, &shot, &files);
    let mut names: Vec<&str> = files.iter().map(|f| file_name(f)).collect();
    names.sort_unstable();
    same_as_library(&shown, &files, &names);
    let bytes = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    let _ = writeln!(
        std::io::stderr(),
        "browser: {} bytes page, ms per file {}, screenshot {}",
        bytes,
        shown["ms"],
        shot.display()
    );
    assert!(
        bytes < 4_000_000,
        "the page is {bytes} bytes; it must stay under 4 MB"
    );
    assert!(shot.exists());
}

/// `nblint check --format html` shows the same in a browser, with no WebAssembly.
#[test]
fn report_in_chromium() {
    let Some(chromium) = chromium("report_in_chromium") else {
        return;
    };
    let files = [
        "fixtures/inputs/qingshan.docx",
        "fixtures/inputs/qingshan.html",
    ];
    std::fs::create_dir_all(root().join("target/browser")).expect("target/browser");
    let report = root().join("target/browser/report.html");
    let o = Command::new(env!("CARGO_BIN_EXE_nblint"))
        // The language and colour of messages come from the locale and these variables;
        // the tests expect the defaults.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(root())
        .args(["check", "--format", "html", "-o"])
        .arg(&report)
        .args(files)
        .output()
        .expect("nblint runs");
    assert_eq!(o.status.code(), Some(1));
    let shot = root().join("target/browser/report.png");
    let shown = show(&chromium, &report, &shot, &[]);
    same_as_library(&shown, &files, &files);
}

/// Every file the browser shows, in order (`names`, as the view names them), has the
/// library's findings and counts, and its table findings light up their cells.
fn same_as_library(shown: &Value, files: &[&str], names: &[&str]) {
    let rules = RuleSet::builtin().expect("builtin rules");
    let shown_files = shown["files"].as_array().expect("files");
    assert_eq!(shown_files.len(), files.len());
    for (s, &name) in shown_files.iter().zip(names) {
        assert_eq!(s["path"], name);
        let path = files
            .iter()
            .find(|f| **f == name || file_name(f) == name)
            .expect("file");
        let bytes = std::fs::read(root().join(path)).expect("fixture");
        let cli = lint_source(name, &bytes, &rules, &Options::default());
        // The findings, in order, as the library (and so the CLI) gives them.
        let want: Vec<(String, String, String)> = cli
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.clone(),
                    d.severity.as_str().to_owned(),
                    d.message.clone(),
                )
            })
            .collect();
        let got: Vec<(String, String, String)> = s["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or("").to_owned(),
                    f["severity"].as_str().unwrap_or("").to_owned(),
                    f["message"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let mut want_sorted = want.clone();
        let mut got_sorted = got.clone();
        want_sorted.sort();
        got_sorted.sort();
        assert_eq!(got_sorted, want_sorted, "{name}: findings");
        let count = |sev: &str| want.iter().filter(|w| w.1 == sev).count();
        assert_eq!(s["counts"]["errors"], count("error"), "{name}");
        assert_eq!(s["counts"]["warnings"], count("warning"), "{name}");
        assert_eq!(s["counts"]["notes"], count("note"), "{name}");
        let card = s["card"].as_str().unwrap_or("");
        assert!(
            card.contains(&format!("错误 {}", count("error"))),
            "{name}: {card}"
        );
        if !file_name(name).starts_with("qingshan") {
            assert_eq!(got[0].0, "NB001", "{name}");
            continue;
        }
        // The table findings (NB2xx) light up their cells in 表三 as read, whatever the format,
        // and in the document's own table where the format has tables (.docx, .html).
        let table_codes: Vec<&str> = want
            .iter()
            .filter(|w| w.0.starts_with("NB2"))
            .map(|w| w.0.as_str())
            .collect();
        assert!(
            !table_codes.is_empty(),
            "{name}: the fixture has table defects"
        );
        for (where_, key) in [("glance", "glance_cells_hit"), ("doc", "doc_cells_hit")] {
            if where_ == "doc" && name.ends_with(".pdf") {
                continue; // PDF text comes without grids: the cells are underlined in the text
            }
            let hit: Vec<&str> = s[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|c| c[1].as_str().unwrap_or(""))
                .collect();
            for code in &table_codes {
                assert!(
                    hit.contains(code),
                    "{name}: {code} not highlighted in {where_}: {hit:?}"
                );
            }
        }
        assert!(
            s["glance_tables"].as_u64() >= Some(2),
            "{name}: 表三 and 表四"
        );
        assert!(s["marks"].as_u64() > Some(0), "{name}: marks in the text");
    }
}

fn file_name(p: &str) -> &str {
    Path::new(p)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(p)
}
