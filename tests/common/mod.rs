//! Helpers shared by the integration tests (`mod common;` in each test file): the nblint
//! binary with the environment the tests expect, its output as text, fresh temporary
//! directories. Each test binary uses only some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The package root (fixtures, rules and docs are found from here).
pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The nblint binary, run from the package root, with the default language and no colour
/// forced either way: messages follow the locale and these variables, and the tests expect
/// the defaults.
pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nblint"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .current_dir(root());
    c
}

/// Runs nblint with `args` to the end.
pub(crate) fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("nblint runs")
}

/// Standard output, which must be UTF-8.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

/// Standard error, which must be UTF-8.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// A fresh, empty temporary directory for one test: `name` must be unique within the test
/// binary (the process id keeps test binaries and concurrent runs apart).
pub(crate) fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nblint-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temporary directory");
    d
}
