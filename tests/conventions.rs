//! The command line as CI maintainers and terminal users expect it (issue 14): excludes and
//! empty runs, the place in words for Word files in every format, stable JUnit names, SARIF
//! regions and bases, --statistics, --quiet, colours from the environment, the language from
//! the locale, `nblint FILE`, clap's words in Chinese, every config error at once.

mod common;
use common::tmp;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// nblint with no locale or colour variables, run in `dir`.
fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nblint"));
    for v in [
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "NO_COLOR",
        "TERM",
    ] {
        c.env_remove(v);
    }
    c.current_dir(dir);
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin(dir).args(args).output().expect("nblint runs")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(ROOT)
}

const GOOD: &str = "fixtures/reports/2021-qingshan-township.md";
const BAD: &str = "fixtures/reports/2021-baishui-missing-section.md";
const DOCX: &str = "fixtures/inputs/qingshan.docx";

/// A folder with a report, a README (not a report: it draws findings when checked) and a
/// drafts folder holding a copy of the report.
fn repo(name: &str) -> PathBuf {
    let d = tmp(name);
    let report = std::fs::read(root().join(GOOD)).unwrap();
    std::fs::create_dir_all(d.join("草稿")).unwrap();
    std::fs::write(d.join("2021-青山镇.md"), &report).unwrap();
    std::fs::write(
        d.join("README.md"),
        "# 说明\n\n这个仓库存放各乡镇的年报。\n",
    )
    .unwrap();
    std::fs::write(d.join("草稿/初稿.md"), &report).unwrap();
    d
}

#[test]
fn a_folders_readme_is_excluded_by_default_and_counted() {
    let d = repo("readme");
    let o = run(&d, &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let s = out(&o);
    assert!(!s.contains("README"), "{s}");
    assert!(
        s.contains("检查了 2 个文件") && s.contains("1 个文件按 exclude 排除"),
        "{s}"
    );
    let j = out(&run(&d, &["check", "--format", "json", "."]));
    assert!(j.contains("\"excluded\":1"), "{j}");
}

#[test]
fn exclude_and_extend_exclude_from_the_command_line_and_the_config() {
    let d = repo("extend");
    let s = out(&run(&d, &["check", "--extend-exclude", "草稿", "."]));
    assert!(
        s.contains("检查了 1 个文件") && s.contains("2 个文件按 exclude 排除"),
        "{s}"
    );
    // --exclude replaces the defaults: the README is checked (and is not a report).
    let o = run(&d, &["check", "--exclude", "草稿", "."]);
    assert!(out(&o).contains("README.md"), "{}", out(&o));
    // The same in nblint.toml, with a path pattern relative to the file.
    std::fs::write(d.join("nblint.toml"), "extend-exclude = [\"草稿/*.md\"]\n").unwrap();
    let s = out(&run(&d, &["check", "."]));
    assert!(s.contains("2 个文件按 exclude 排除"), "{s}");
    std::fs::write(d.join("nblint.toml"), "exclude = []\n").unwrap();
    let o = run(&d, &["check", "."]);
    assert!(out(&o).contains("README.md"), "{}", out(&o));
}

#[test]
fn a_named_file_is_checked_unless_force_exclude() {
    let d = repo("force");
    let o = run(&d, &["check", "README.md"]);
    assert!(out(&o).contains("README.md"), "{}", out(&o));
    let o = run(&d, &["check", "--force-exclude", "README.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("1 个文件按 exclude 排除"));
}

#[test]
fn no_report_found_is_exit_2_unless_allow_empty() {
    let d = tmp("empty");
    let o = run(&d, &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("没有找到要检查的报告") && err(&o).contains("--allow-empty"),
        "{}",
        err(&o)
    );
    let o = run(&d, &["check", "--allow-empty", "."]);
    assert_eq!(o.status.code(), Some(0));
    // A mistyped path is not a pass either.
    let o = run(&root(), &["check", "fixtures/no-such-folder"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn short_names_word_places_and_ends_with_the_summary() {
    let o = run(&root(), &["check", "--format", "short", DOCX]);
    let s = out(&o);
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("fixtures/inputs/qingshan.docx:第2段: warning[NB402")),
        "{s}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "fixtures/inputs/qingshan.docx:表三 “（一）予以公开” 行 “自然人” 列: error[NB202"
        )),
        "{s}"
    );
    // No line:col of the extracted text for a Word file.
    assert!(!s.contains("qingshan.docx:3:"), "{s}");
    assert!(lines.last().unwrap().starts_with("检查了 1 个文件"), "{s}");
    // The human header names the paragraph too.
    let h = out(&run(&root(), &["check", DOCX]));
    assert!(h.contains("┌─ fixtures/inputs/qingshan.docx:第2段"), "{h}");
}

#[test]
fn sarif_gives_regions_words_and_one_base_per_root() {
    let d = tmp("sarif");
    std::fs::copy(root().join(DOCX), d.join("outside.docx")).unwrap();
    let outside = d.join("outside.docx");
    let o = run(
        &root(),
        &[
            "check",
            "--format",
            "sarif",
            DOCX,
            outside.to_str().unwrap(),
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run = &v["runs"][0];
    let bases = &run["originalUriBaseIds"];
    assert!(bases["%SRCROOT%"]["uri"].as_str().unwrap().ends_with('/'));
    let root1 = bases["ROOT1"]["uri"].as_str().unwrap();
    assert!(
        root1.starts_with("file://") && root1.ends_with('/'),
        "{root1}"
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let mut bases_seen = std::collections::BTreeSet::new();
    for r in results {
        let loc = &r["locations"][0];
        let phys = &loc["physicalLocation"];
        assert!(phys["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert!(phys["region"]["startColumn"].as_u64().unwrap() >= 1, "{r}");
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("file:"), "{uri}");
        bases_seen.insert(phys["artifactLocation"]["uriBaseId"].as_str().unwrap());
        let name = loc["logicalLocations"][0]["name"].as_str().unwrap();
        assert!(name.starts_with('第') || name.starts_with('表'), "{name}");
    }
    assert_eq!(
        bases_seen.into_iter().collect::<Vec<_>>(),
        ["%SRCROOT%", "ROOT1"]
    );
}

#[test]
fn junit_names_do_not_move_with_the_lines() {
    let d = tmp("junit");
    let report = std::fs::read_to_string(root().join(BAD)).unwrap();
    let path = d.join("报告.md");
    let names = |text: &str| {
        std::fs::write(&path, text).unwrap();
        let x = out(&run(&d, &["check", "--format", "junit", "报告.md"]));
        x.lines()
            .filter_map(|l| l.split("<testcase ").nth(1))
            .map(|l| {
                l.split(" name=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    let before = names(&report);
    assert!(!before.is_empty());
    for n in &before {
        assert!(
            n.starts_with("NB") && n.contains(" [") && !n.contains(':'),
            "{n}"
        );
    }
    let after = names(&format!("\n\n\n{report}"));
    assert_eq!(before, after);
}

#[test]
fn statistics_count_per_rule_and_quiet_drops_the_summary() {
    let o = run(&root(), &["check", "--statistics", DOCX]);
    assert_eq!(o.status.code(), Some(1));
    let s = out(&o);
    assert!(
        s.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["1", "NB202", "table-row-total", "错误"]),
        "{s}"
    );
    assert!(!s.contains("不等于"), "no findings listed: {s}");
    let j = out(&run(
        &root(),
        &["check", "--statistics", "--format", "json", DOCX],
    ));
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "NB203" && r["count"] == 1),
        "{j}"
    );
    let q = run(&root(), &["check", "-q", "--format", "short", DOCX]);
    assert_eq!(q.status.code(), Some(1));
    let s = out(&q);
    assert!(!s.contains("检查了") && s.contains("NB202"), "{s}");
}

#[test]
fn colours_follow_the_environment() {
    let has_escape = |envs: &[(&str, &str)]| {
        let mut c = bin(&root());
        c.args(["check", BAD]);
        for (k, v) in envs {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stdout)
            .unwrap()
            .contains('\x1b')
    };
    // Not a terminal: plain, unless forced.
    assert!(!has_escape(&[]));
    assert!(has_escape(&[("FORCE_COLOR", "1")]));
    assert!(has_escape(&[("CLICOLOR_FORCE", "1")]));
    assert!(has_escape(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(!has_escape(&[("FORCE_COLOR", "0")]));
    assert!(!has_escape(&[("NO_COLOR", "1"), ("TERM", "dumb")]));
}

#[test]
fn the_locale_picks_the_language_and_lang_comes_first_or_last() {
    let summary = |envs: &[(&str, &str)], args: &[&str]| {
        let mut c = bin(&root());
        c.args(args);
        for (k, v) in envs {
            c.env(k, v);
        }
        let s = String::from_utf8(c.output().unwrap().stdout).unwrap();
        s.lines().last().unwrap_or("").to_owned()
    };
    let check = ["check", GOOD];
    assert!(summary(&[], &check).starts_with("检查了"));
    assert!(summary(&[("LANG", "en_US.UTF-8")], &check).starts_with("checked"));
    assert!(summary(&[("LANG", "zh_CN.UTF-8")], &check).starts_with("检查了"));
    assert!(summary(&[("LANG", "C")], &check).starts_with("检查了"));
    // LC_ALL wins over LANG, and --lang over both, before or after the subcommand.
    assert!(
        summary(
            &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_GB.UTF-8")],
            &check
        )
        .starts_with("checked")
    );
    assert!(
        summary(&[("LANG", "en_US.UTF-8")], &["--lang", "zh", "check", GOOD]).starts_with("检查了")
    );
    assert!(summary(&[], &["check", GOOD, "--lang", "en"]).starts_with("checked"));
}

#[test]
fn a_file_without_a_subcommand_is_checked() {
    let a = run(&root(), &[BAD]);
    let b = run(&root(), &["check", BAD]);
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout);
    // Nothing at all prints the help (exit 2, as clap does for a missing subcommand).
    let h = run(&root(), &[]);
    assert!(err(&h).contains("用法") || out(&h).contains("用法"));
}

#[test]
fn clap_speaks_chinese_by_default_and_english_in_an_english_locale() {
    let o = run(&root(), &["check", "--bogus", GOOD]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("不认识的参数“--bogus”"), "{}", err(&o));
    assert!(!err(&o).contains("unexpected argument"));
    let o = bin(&root())
        .env("LANG", "en_US.UTF-8")
        .args(["check", "--bogus", GOOD])
        .output()
        .unwrap();
    assert!(err(&o).contains("unexpected argument"), "{}", err(&o));
    let h = out(&run(&root(), &["check", "--help"]));
    assert!(h.contains("用法") && h.contains("选项"), "{h}");
    assert!(!h.contains("Usage:"), "{h}");
}

#[test]
fn every_configuration_problem_is_reported_at_once() {
    let d = tmp("config");
    std::fs::copy(root().join(GOOD), d.join("r.md")).unwrap();
    std::fs::write(
        d.join("nblint.toml"),
        "exclud = [\"x\"]\nfail-on = 3\n[report]\nbody-typ = \"township\"\n",
    )
    .unwrap();
    let o = run(&d, &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("nblint.toml:1:1") && e.contains("是不是“exclude”"),
        "{e}"
    );
    assert!(e.contains("nblint.toml:2:11"), "{e}");
    assert!(
        e.contains("nblint.toml:4:1") && e.contains("是不是“body-type”"),
        "{e}"
    );
}
