//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself on a temporary
//! report repository that holds a Word file, a clean Markdown report and a README.
//!
//! pre-commit would build nblint from source with cargo (`language: rust`, minutes); the
//! test gives it the same hooks file with `language: system` and the nblint just built on
//! `PATH`, so that what is tested is the file's `files` pattern, `entry` and arguments.
//! Skipped when pre-commit is not installed, unless `NBLINT_REQUIRE_PRECOMMIT=1` (CI
//! installs it, `.ci/run`).

mod common;
use common::tmp;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn have_precommit() -> bool {
    let found = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var_os("NBLINT_REQUIRE_PRECOMMIT").is_some_and(|v| v == "1") {
        panic!("pre-commit is required (NBLINT_REQUIRE_PRECOMMIT=1) but not installed");
    }
    if !found {
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
    }
    found
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=nblint test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {o:?}");
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// PATH with the directory of the nblint under test first.
fn path_with_nblint() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_nblint"));
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap()
}

struct Repo {
    dir: PathBuf,
    home: PathBuf,
}

impl Repo {
    fn pre_commit(&self, args: &[&str]) -> Output {
        Command::new("pre-commit")
            .current_dir(&self.dir)
            .args(args)
            .env("PATH", path_with_nblint())
            .env("PRE_COMMIT_HOME", &self.home)
            .env("NO_COLOR", "1")
            .output()
            .expect("pre-commit runs")
    }
}

/// A hooks repository (our hooks file, `language: system`) and a report repository using
/// `hook`.
fn setup(name: &str, hook: &str) -> Repo {
    let root = tmp(name);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks_repo = root.join("hooks");
    std::fs::create_dir_all(&hooks_repo).unwrap();
    let hooks = std::fs::read_to_string(manifest.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(
        hooks.contains("language: rust"),
        "the published hooks build with cargo"
    );
    std::fs::write(
        hooks_repo.join(".pre-commit-hooks.yaml"),
        hooks.replace("language: rust", "language: system"),
    )
    .unwrap();
    git(&hooks_repo, &["init", "-q"]);
    git(&hooks_repo, &["add", "."]);
    git(&hooks_repo, &["commit", "-q", "-m", "hooks"]);
    let rev = git(&hooks_repo, &["rev-parse", "HEAD"]);

    let dir = root.join("reports");
    std::fs::create_dir_all(dir.join("2021")).unwrap();
    std::fs::copy(
        manifest.join("fixtures/inputs/qingshan.docx"),
        dir.join("2021/石桥镇.docx"),
    )
    .unwrap();
    std::fs::copy(
        manifest.join("fixtures/reports/2021-qingshan-township.md"),
        dir.join("2021/青山镇.md"),
    )
    .unwrap();
    std::fs::write(
        dir.join("README.md"),
        "# 各单位年度报告\n\n本仓库存放全县各单位的政府信息公开工作年度报告。\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n",
            hooks_repo.display()
        ),
    )
    .unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    Repo {
        dir,
        home: root.join("cache"),
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_changed_files_hook_checks_word_files_and_skips_the_readme() {
    if !have_precommit() {
        return;
    }
    let r = setup("changed", "nblint");
    // The Word report with errors fails the commit, its findings named by paragraph/cell.
    let o = r.pre_commit(&["run", "--files", "2021/石桥镇.docx", "README.md"]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains("2021/石桥镇.docx:表三 “（一）予以公开” 行 “自然人” 列: error[NB202"),
        "{t}"
    );
    assert!(!t.contains("README.md:"), "the README is excluded: {t}");

    // A clean report and the README pass.
    let o = r.pre_commit(&["run", "--files", "2021/青山镇.md", "README.md"]);
    assert!(o.status.success(), "{}", text(&o));
    // Only the README: excluded, nothing to check, passes.
    let o = r.pre_commit(&["run", "--files", "README.md"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn the_whole_repository_hook_fails_on_the_word_file() {
    if !have_precommit() {
        return;
    }
    let r = setup("all", "nblint-all");
    let o = r.pre_commit(&["run", "--all-files"]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("石桥镇.docx:"), "{t}");
    assert!(
        t.contains("按 exclude 排除"),
        "the README is counted as excluded: {t}"
    );
}
