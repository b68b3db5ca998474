//! CLI contracts as data: each `tests/cases/<name>.toml` runs nblint once and states the exit
//! code; what it prints (standard output and standard error) is an insta snapshot,
//! `tests/snapshots/cli_cases__cli_cases@<name>.toml.snap`. A new contract is a new case file:
//!
//! ```toml
//! about = "一句话：这个用例说明什么"
//! args = ["check", "-f", "short", "fixtures/reports/2021-baishui-missing-section.md"]
//! exit = 1
//! ```
//!
//! Run `cargo test --test cli_cases`, look at the new `.snap.new` file (or `cargo insta
//! review`) and keep it when it is what a user should see. Cases run from the package root
//! with the default language (`common::bin`) and output to a pipe, so without colour; they
//! read only files in the repository, so the output is the same on every machine.

mod common;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows, for the reader of the case file and of the snapshot.
    about: String,
    /// The command line after `nblint`.
    args: Vec<String>,
    /// The exit code nblint must end with.
    exit: i32,
}

#[test]
fn cli_cases() {
    let mut seen = 0;
    insta::glob!("cases", "*.toml", |path| {
        seen += 1;
        let text = std::fs::read_to_string(path).expect("a readable case file");
        let case: Case = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a case file: {e}", path.display()));
        let o = common::bin()
            .args(&case.args)
            .output()
            .expect("nblint runs");
        let shown = format!(
            "# {}\n$ nblint {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
            case.about,
            case.args.join(" "),
            o.status
                .code()
                .map_or("signal".to_owned(), |c| c.to_string()),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert_eq!(
            o.status.code(),
            Some(case.exit),
            "{}: exit code\n{shown}",
            path.display()
        );
        insta::assert_snapshot!(shown);
    });
    assert!(seen >= 10, "the cases are found ({seen})");
}
