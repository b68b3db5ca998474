//! CLI contracts that need more than one run or a look inside the output: every output
//! format, unreadable files, encodings, determinism across thread counts, closed pipes.
//! Contracts that are one run, an exit code and what it prints are case files
//! (tests/cases/, run by tests/cli_cases.rs).

mod common;
use common::{bin, run, stderr, stdout, tmp};
use std::path::Path;
use std::process::{Output, Stdio};

const CLEAN: &str = "fixtures/reports/2021-qingshan-township.md";
const MISSING: &str = "fixtures/reports/2021-baishui-missing-section.md";

#[test]
fn exit_code_is_the_same_for_every_format() {
    for f in ["human", "short", "json", "jsonl"] {
        assert_eq!(
            run(&["check", "-f", f, MISSING]).status.code(),
            Some(1),
            "{f}"
        );
        assert_eq!(
            run(&["check", "-f", f, CLEAN]).status.code(),
            Some(0),
            "{f}"
        );
        assert_eq!(
            run(&[
                "check",
                "-f",
                f,
                "fixtures/rules/unreadable-file/bad-empty.txt"
            ])
            .status
            .code(),
            Some(2),
            "{f}"
        );
    }
}

#[test]
fn an_unreadable_file_does_not_stop_the_others() {
    let o = run(&[
        "check",
        "-f",
        "short",
        "fixtures/rules/unreadable-file/bad-binary.txt",
        MISSING,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let s = stdout(&o);
    assert!(
        s.contains("bad-binary.txt:1:1: error[NB001 unreadable-file]"),
        "{s}"
    );
    assert!(s.contains("[NB101 missing-section]"), "{s}");
}

/// The words of the human format are a snapshot (tests/cases/check-error-human.toml); here,
/// that `--color` switches colour on and off whatever the terminal.
#[test]
fn colour_follows_the_flag() {
    let o = run(&["check", "--color", "never", MISSING]);
    assert!(
        !stdout(&o).contains('\u{1b}'),
        "no colour with --color never"
    );
    let o = run(&["check", "--color", "always", MISSING]);
    assert!(stdout(&o).contains('\u{1b}'), "colour with --color always");
}

#[test]
fn json_format() {
    let o = run(&["check", "-f", "json", MISSING, CLEAN]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "nblint");
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let f = &files[0];
    assert_eq!(f["encoding"], "UTF-8");
    assert_eq!(f["template"], "format-2021");
    assert_eq!(f["report_year"], 2021);
    assert_eq!(f["agency"], "白水镇人民政府");
    assert_eq!(f["body_type"], "township");
    assert_eq!(f["publication_date"], "2022-01-20");
    let d = &f["diagnostics"][0];
    for key in [
        "path",
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_start",
        "byte_end",
        "utf16_column",
        "utf16_end_column",
        "labels",
        "notes",
        "help",
        "suggestion",
    ] {
        assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
    }
    assert_eq!(d["code"], "NB101");
    assert_eq!(d["line"], 73);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["files"], 2);
    // The byte offsets point at the heading in the file.
    let text = std::fs::read_to_string(MISSING).unwrap();
    let (a, b) = (
        d["byte_start"].as_u64().unwrap() as usize,
        d["byte_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], "## 四、存在的主要问题及改进情况");
}

#[test]
fn jsonl_format() {
    let o = run(&["check", "-f", "jsonl", "fixtures/reports"]);
    let s = stdout(&o);
    assert!(!s.is_empty());
    for line in s.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["code"].as_str().unwrap().starts_with("NB"));
        assert!(v["path"].as_str().unwrap().starts_with("fixtures/reports/"));
    }
}

#[test]
fn utf16_columns_count_code_units() {
    let d = tmp("utf16");
    let p = d.join("r.txt");
    // 𝄞 is two UTF-16 code units; the placeholder after it starts at column 3 (chars) but
    // UTF-16 column 4.
    std::fs::write(&p, "𝄞 XX镇2021年政府信息公开工作年度报告\n").unwrap();
    let o = run(&["check", "-f", "jsonl", p.to_str().unwrap()]);
    let s = stdout(&o);
    let v: serde_json::Value = s
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["code"] == "NB109")
        .expect("placeholder found");
    assert_eq!(v["column"], 3);
    assert_eq!(v["utf16_column"], 4);
    assert_eq!(v["byte_start"], 5);
}

#[test]
fn gbk_and_utf16_files_give_the_same_findings() {
    let d = tmp("enc");
    let text = std::fs::read_to_string(MISSING).unwrap();
    let (gbk, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    std::fs::write(d.join("r.txt"), &gbk).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(d.join("r16.txt"), &utf16).unwrap();
    std::fs::write(d.join("r8.txt"), &text).unwrap();
    let strip = |o: Output| {
        stdout(&o)
            .lines()
            .map(|l| {
                l.split_once(": ")
                    .map(|x| x.1.to_owned())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    };
    let a = strip(run(&[
        "check",
        "-f",
        "short",
        d.join("r8.txt").to_str().unwrap(),
    ]));
    let b = strip(run(&[
        "check",
        "-f",
        "short",
        d.join("r.txt").to_str().unwrap(),
    ]));
    let c = strip(run(&[
        "check",
        "-f",
        "short",
        d.join("r16.txt").to_str().unwrap(),
    ]));
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert_eq!(a, c);
    let o = run(&["check", "-f", "json", d.join("r.txt").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["encoding"], "GB18030");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = run(&["check", "-j", "1", "-f", "json", "fixtures"]);
    let four = run(&["check", "-j", "4", "-f", "json", "fixtures"]);
    assert_eq!(one.stdout, four.stdout);
    let one = run(&["check", "-j", "1", "--color", "never", "fixtures"]);
    let four = run(&["check", "-j", "3", "--color", "never", "fixtures"]);
    assert_eq!(one.stdout, four.stdout);
}

/// The files `check -f short DIR` reports (each empty file has one finding at 1:1), in output
/// order, relative to `DIR`.
fn walked_files(d: &Path) -> Vec<String> {
    let o = run(&["check", "-f", "short", d.to_str().unwrap()]);
    stdout(&o)
        .lines()
        .filter(|l| !l.starts_with("检查了 "))
        .map(|l| {
            let p = l.split(":1:1:").next().unwrap();
            Path::new(p)
                .strip_prefix(d)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn directories_are_walked_in_order_and_honour_gitignore() {
    let d = tmp("walk");
    std::fs::write(d.join(".gitignore"), "ignored.txt\n").unwrap();
    for n in ["b.txt", "a.md", "ignored.txt", "notes.csv"] {
        std::fs::write(d.join(n), "").unwrap();
    }
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/c.txt"), "").unwrap();
    let files = walked_files(&d);
    assert_eq!(files, vec!["a.md", "b.txt", "sub/c.txt"]);
    // A file named explicitly is checked whatever its extension.
    let o = run(&[
        "check",
        "-f",
        "short",
        d.join("notes.csv").to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("notes.csv:1:1: error[NB001"));
}

/// Within a directory, entries come in the byte order of their names, a subdirectory's files
/// right after its name: `a` (a directory) before `a-b.txt` before `a.md`, digits before
/// capitals before small letters before Chinese.
#[test]
fn directory_entries_come_in_byte_order_of_their_names() {
    let d = tmp("walk-order");
    for n in [
        "中文.txt",
        "b.txt",
        "a.md",
        "a-b.txt",
        "A.txt",
        "9.txt",
        "10.txt",
    ] {
        std::fs::write(d.join(n), "").unwrap();
    }
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::write(d.join("a/z.txt"), "").unwrap();
    let files = walked_files(&d);
    assert_eq!(
        files,
        vec![
            "10.txt",
            "9.txt",
            "A.txt",
            "a/z.txt",
            "a-b.txt",
            "a.md",
            "b.txt",
            "中文.txt"
        ]
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut c = bin()
        .args(["check", "-f", "short", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    c.stdin
        .take()
        .unwrap()
        .write_all(std::fs::read(MISSING).unwrap().as_slice())
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("<stdin>:73:1: error[NB101 missing-section]"));
}

#[test]
fn user_rules_are_added() {
    let o = run(&["rules", "--rules", "fixtures/user-rules"]);
    assert!(stdout(&o).contains("XZ101"), "{}", stdout(&o));
    let o = run(&[
        "check",
        "-f",
        "short",
        "--rules",
        "fixtures/user-rules",
        CLEAN,
    ]);
    assert!(
        stdout(&o).contains("[XZ101 vague-wording]"),
        "{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(0), "the user rule is a warning");
}

#[test]
fn rules_and_explain() {
    let o = run(&["rules"]);
    let s = stdout(&o);
    for code in [
        "NB001", "NB101", "NB102", "NB103", "NB104", "NB106", "NB108", "NB109", "NB401", "NB402",
        "NB403", "NB405", "NB406",
    ] {
        assert!(s.contains(code), "{code} missing from `nblint rules`");
    }
    let a = stdout(&run(&["explain", "NB101"]));
    let b = stdout(&run(&["explain", "missing-section"]));
    assert_eq!(a, b);
    assert!(a.starts_with("NB101 missing-section（错误）"));
    assert!(a.contains("为什么"));
    let j: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "-f", "json"]).stdout).unwrap();
    assert!(
        j.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "heading-numbering")
    );
}

#[test]
fn explain_in_english() {
    let o = run(&["explain", "NB203", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.starts_with("NB203 table-outcome-total (error)\n"), "{s}");
    for en in [
        "What it checks:",
        "Why:",
        "When it is an error:",
        "How to fix:",
    ] {
        assert!(s.contains(en), "`explain --lang en` lacks {en}:\n{s}");
    }
    for zh in ["检查什么", "为什么", "何时是错误", "怎么改"] {
        assert!(!s.contains(zh), "`explain --lang en` still says {zh}:\n{s}");
    }
    // Chinese stays the default.
    let zh = stdout(&run(&["explain", "NB203"]));
    assert!(
        zh.contains("检查什么") && !zh.contains("What it checks"),
        "{zh}"
    );
    // SARIF's rule descriptions follow --lang too.
    let o = run(&["check", "--format", "sarif", "--lang", "en", CLEAN]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for r in rules {
        for key in ["fullDescription", "help"] {
            let t = r[key]["text"].as_str().unwrap();
            assert!(
                t.starts_with("What it checks:") && !t.contains("检查什么"),
                "{}: SARIF {key} is not English: {t}",
                r["id"]
            );
        }
    }
}

#[test]
fn help_and_version() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("check"));
    let o = run(&["check", "--help"]);
    assert!(stdout(&o).contains("--format"));
    let o = run(&["--version"]);
    assert!(stdout(&o).starts_with("nblint "));
}

/// A reader that goes away (`nblint rules | head -c 10`) ends the run quietly: no
/// "Broken pipe" on standard error and the usual exit code, whatever the command and
/// format. The read end is closed before nblint writes anything, so every write fails.
#[test]
fn a_closed_stdout_ends_quietly() {
    let cases: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["rules", "--format", "json"], 0),
        (&["explain", "NB203"], 0),
        (&["check", "-f", "json", "fixtures/reports"], 1),
        (&["check", "--statistics", "fixtures/reports"], 1),
        (
            &["check", "--statistics", "-f", "json", "fixtures/reports"],
            1,
        ),
    ];
    for (args, code) in cases {
        let mut child = bin()
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(
            stderr(&o).is_empty(),
            "{args:?} wrote to stderr: {}",
            stderr(&o)
        );
        assert!(
            o.status.code() == Some(*code) || o.status.code() == Some(0),
            "{args:?} exited {:?}",
            o.status.code()
        );
    }
}

/// Word values in rule files are kebab-case; the old `report = "blank_total"` is still
/// read, works the same, and gets one rustc-style warning at the value. The exit code is
/// that of the findings.
#[test]
fn an_old_spelling_in_a_rule_file_is_read_with_a_warning() {
    let dir = tmp("old-spelling");
    let builtin = std::fs::read_to_string("rules/blank-total.toml").unwrap();
    assert!(builtin.contains("report = \"blank-total\""));
    let old = builtin
        .replace("report = \"blank-total\"", "report = \"blank_total\"")
        .replace("NB207", "NB907");
    std::fs::write(dir.join("old-blank.toml"), &old).unwrap();
    let line = old.lines().position(|l| l.contains("blank_total")).unwrap() + 1;
    let report = "fixtures/rules/blank-total/bad-appeals.txt";
    let o = run(&[
        "check",
        "-f",
        "json",
        "--rules",
        dir.to_str().unwrap(),
        report,
    ]);
    let plain = run(&["check", "-f", "json", report]);
    assert_eq!(o.status.code(), plain.status.code());
    let err = stderr(&o);
    assert_eq!(err.matches("deprecated spelling").count(), 1, "{err}");
    assert!(err.contains(&format!("old-blank.toml:{line}:10")), "{err}");
    assert!(err.contains("report = \"blank-total\""), "{err}");
    let out = stdout(&o);
    let (new_n, old_n) = (
        out.matches("\"NB207\"").count(),
        out.matches("\"NB907\"").count(),
    );
    assert!(new_n > 0 && new_n == old_n, "NB207 {new_n}, NB907 {old_n}");
    // The built-in rules use the new spelling: no warning without --rules.
    assert!(stderr(&plain).is_empty(), "{}", stderr(&plain));
}
