//! Hostile and unusual inputs (issue 13): every run ends, reads within its limits and never
//! destroys a file it was given. Each test guards against a hang with a watchdog (a hang is
//! the failure, not a slow machine: the limit is minutes, not a performance target).

// libc calls: kill a hung child, make a FIFO, ask whether we run as root.
#![allow(unsafe_code)]

mod common;
use common::{bin, tmp};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// How long a run may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(180);

const CLEAN: &str = "fixtures/reports/2021-qingshan-township.md";
const MISSING: &str = "fixtures/reports/2021-baishui-missing-section.md";

/// Runs `c` to the end, killing it (and failing the test) if it hangs.
fn finish(mut c: Command, stdin: Option<Vec<u8>>) -> Output {
    let mut child = c
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nblint runs");
    if let Some(bytes) = stdin {
        let mut w = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = w.write_all(&bytes);
        });
    }
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(HANG) {
        Ok(o) => o.expect("nblint ends"),
        Err(_) => {
            // SAFETY: kill(2) on the child this test started.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("the run hung");
        }
    }
}

fn run(args: &[&str]) -> Output {
    let mut c = bin();
    c.args(args);
    finish(c, None)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_fifo_is_refused_and_the_other_files_are_checked() {
    let d = tmp("fifo");
    let f = d.join("f.txt");
    let c = std::ffi::CString::new(s(&f)).unwrap();
    // SAFETY: mkfifo(3) with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let o = run(&["check", "-f", "short", s(&f), MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o.stdout);
    assert!(out.contains("f.txt:1:1: error[NB001"), "{out}");
    assert!(out.contains("命名管道"), "{out}");
    assert!(out.contains("NB101"), "the other file is checked: {out}");
    // A FIFO in a walked directory is not a regular file: not taken.
    let o = run(&["check", "-f", "short", s(&d)]);
    assert!(!text(&o.stdout).contains("f.txt"), "{}", text(&o.stdout));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn devices_are_refused_for_reports_configuration_and_baseline() {
    let o = run(&["check", "-f", "short", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stdout).contains("设备文件"), "{}", text(&o.stdout));
    for flag in ["--config", "--baseline"] {
        let o = run(&["check", flag, "/dev/zero", CLEAN]);
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(
            text(&o.stderr).contains("not a regular file"),
            "{flag}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn stdin_over_the_limit_names_the_limit_only() {
    let mut c = bin();
    c.args(["check", "-f", "short", "--max-file-size", "1KB", "-"]);
    let o = finish(c, Some(vec![b'a'; 5000]));
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o.stdout);
    assert!(out.starts_with("<stdin>:1:1: error[NB001"), "{out}");
    assert!(out.contains("超过上限 1.0 KB"), "{out}");
    assert!(!out.contains("1.0 KB 超过"), "{out}");
}

#[test]
fn a_text_of_too_many_lines_is_refused_and_the_other_files_are_checked() {
    // Two million lines is the limit (input::MAX_LINES): 2,000,001 lines of two bytes, 4 MB,
    // under the size limit. Before the limit such a file took about 30 times its size in
    // memory (docs/performance.md).
    let d = tmp("lines");
    let f = d.join("many-lines.txt");
    let mut t = "一\n".repeat(2_000_000).into_bytes();
    t.extend_from_slice("一".as_bytes());
    std::fs::write(&f, &t).unwrap();
    let o = run(&["check", "-f", "short", s(&f), MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o.stdout);
    assert!(out.contains("many-lines.txt:1:1: error[NB001"), "{out}");
    assert!(
        out.contains("文字行数 2,000,001 超过上限 2,000,000"),
        "{out}"
    );
    assert!(out.contains("NB101"), "the other file is checked: {out}");
    // One line fewer is read and checked.
    t.truncate(t.len() - "\n一".len());
    std::fs::write(&f, &t).unwrap();
    let o = run(&["check", "-f", "short", s(&f)]);
    assert!(!text(&o.stdout).contains("NB001"), "{}", text(&o.stdout));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_largest_size_is_refused_not_wrapped() {
    let o = run(&["check", "--max-file-size", "18446744073709551615", CLEAN]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("1GB"), "{}", text(&o.stderr));
    assert_eq!(
        run(&["check", "--max-file-size", "1GB", CLEAN])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn an_output_naming_an_input_is_refused_and_the_input_kept() {
    let d = tmp("clobber");
    let report = d.join("a.md");
    std::fs::copy(MISSING, &report).unwrap();
    let before = std::fs::read(&report).unwrap();
    for flag in ["-o", "--write-baseline"] {
        let o = run(&["check", s(&report), flag, s(&report)]);
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(
            text(&o.stderr).contains("写入会毁掉它"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(std::fs::read(&report).unwrap(), before, "{flag}");
        // Spelled another way, and found by walking the directory.
        let other = format!("{}/./a.md", d.display());
        let o = run(&["check", s(&d), flag, &other]);
        assert_eq!(o.status.code(), Some(2), "{flag} walked");
        assert_eq!(std::fs::read(&report).unwrap(), before, "{flag} walked");
    }
    // Both outputs to one file.
    let out = d.join("out.txt");
    let o = run(&["check", CLEAN, "-o", s(&out), "--write-baseline", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn an_output_hard_linked_to_an_input_is_refused() {
    let d = tmp("hardlink");
    let report = d.join("a.md");
    std::fs::copy(MISSING, &report).unwrap();
    let before = std::fs::read(&report).unwrap();
    // Another name for the same file, outside the checked directory too.
    let outside = tmp("hardlink-out");
    let link = outside.join("result.json");
    std::fs::hard_link(&report, &link).unwrap();
    for flag in ["-o", "--write-baseline"] {
        for input in [&report, &d] {
            let o = run(&["check", s(input), flag, s(&link)]);
            assert_eq!(o.status.code(), Some(2), "{flag} {}", input.display());
            assert!(
                text(&o.stderr).contains("写入会毁掉它"),
                "{}",
                text(&o.stderr)
            );
            assert_eq!(std::fs::read(&report).unwrap(), before, "{flag}");
        }
    }
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn an_output_inside_the_checked_directory_does_not_change_the_next_run() {
    for format in [
        "human", "short", "github", "json", "jsonl", "sarif", "junit",
    ] {
        let d = tmp(&format!("inside-{format}"));
        std::fs::copy(MISSING, d.join("a.md")).unwrap();
        let out = d.join("nblint-out.txt");
        let first = run(&["check", "-f", format, s(&d), "-o", s(&out)]);
        let one = std::fs::read(&out).unwrap();
        let second = run(&["check", "-f", format, s(&d), "-o", s(&out)]);
        assert_eq!(first.status.code(), Some(1), "{format}");
        assert_eq!(second.status.code(), Some(1), "{format}");
        assert_eq!(std::fs::read(&out).unwrap(), one, "{format}");
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let _ = std::fs::remove_dir_all(&d);
    }
    // An output over the size limit is left out too (only its beginning is read), while a
    // report over the limit is named.
    let d = tmp("inside-large");
    std::fs::copy(CLEAN, d.join("a.md")).unwrap();
    let large = format!("检查了 9 个文件：没有发现问题\n{}", "x\n".repeat(100_000));
    std::fs::write(d.join("old-run.txt"), &large).unwrap();
    let o = run(&["check", "-f", "short", "--max-file-size", "100KB", s(&d)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    std::fs::write(d.join("old-run.txt"), &large[large.find('\n').unwrap()..]).unwrap();
    let o = run(&["check", "-f", "short", "--max-file-size", "100KB", s(&d)]);
    let out = text(&o.stdout);
    assert!(out.contains("old-run.txt:1:1: error[NB001"), "{out}");
    let _ = std::fs::remove_dir_all(&d);
    // A clean run's output (only the summary line) is recognised too.
    let d = tmp("inside-clean");
    std::fs::copy(CLEAN, d.join("a.md")).unwrap();
    let out = d.join("out.txt");
    assert_eq!(run(&["check", s(&d), "-o", s(&out)]).status.code(), Some(0));
    assert_eq!(run(&["check", s(&d), "-o", s(&out)]).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_huge_thread_count_is_clamped_with_a_note() {
    let o = run(&["check", "-j", "100000", CLEAN]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("64"), "{}", text(&o.stderr));
}

#[test]
fn symbolic_links_are_followed_and_loops_end() {
    let d = tmp("links");
    let outside = tmp("links-target");
    std::fs::copy(MISSING, outside.join("real.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("real.md"), d.join("linked.md")).unwrap();
    std::os::unix::fs::symlink(&d, d.join("loop")).unwrap();
    std::os::unix::fs::symlink(d.join("gone.md"), d.join("dangling.md")).unwrap();
    let o = run(&["check", "-f", "short", s(&d)]);
    let out = text(&o.stdout);
    assert!(out.contains("linked.md:") && out.contains("NB101"), "{out}");
    assert!(out.contains("dangling.md:1:1: error[NB001"), "{out}");
    assert_eq!(out.matches("NB101").count(), 1, "{out}");
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn an_unreadable_subdirectory_is_named() {
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: root reads every directory");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let d = tmp("denied");
    let sub = d.join("locked");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(CLEAN, sub.join("a.md")).unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = run(&["check", "-f", "short", s(&d)]);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = text(&o.stdout);
    assert!(out.contains("locked:1:1: error[NB001"), "{out}");
    assert!(out.contains("没有读取"), "{out}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn control_characters_in_file_names_are_escaped() {
    let d = tmp("names");
    let name = d.join("a\u{1b}[2Jb\nc.md");
    std::fs::copy(MISSING, &name).unwrap();
    for format in ["short", "human"] {
        let o = run(&["check", "-f", format, "--color", "never", s(&name)]);
        let out = text(&o.stdout);
        assert!(!out.contains('\u{1b}'), "{format}: {out:?}");
        assert!(out.contains("a\\u{1b}[2Jb\\nc.md"), "{format}: {out}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    for args in [&["rules"][..], &["check", "-f", "short", MISSING, MISSING]] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before (or while) nblint writes.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let code = if args[0] == "rules" { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(code), "{args:?}");
        assert_eq!(text(&o.stderr), "", "{args:?}");
    }
}

#[test]
fn one_rule_lists_a_bounded_number_of_findings_per_file() {
    use nblint::checks::MAX_FINDINGS_PER_RULE;
    use nblint::engine::{Options, lint_source};
    let rules = nblint::RuleSet::builtin().unwrap();
    // A file of the same heading over and over: every one after the first is a duplicate.
    let text = "一、总体情况\n".repeat(MAX_FINDINGS_PER_RULE * 3);
    let r = lint_source("a.txt", text.as_bytes(), &rules, &Options::default());
    let dup: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB104").collect();
    assert_eq!(dup.len(), MAX_FINDINGS_PER_RULE);
    let note = dup.last().unwrap().notes.join("\n");
    assert!(note.contains("另有"), "{note}");
}

#[test]
fn the_findings_kept_are_the_first_in_the_text_when_there_are_thousands() {
    use nblint::checks::MAX_FINDINGS_PER_RULE;
    use nblint::engine::{Options, lint_source};
    let rules = nblint::RuleSet::builtin().unwrap();
    // 3,000 blocks of a duplicate main heading and a sub-list that starts at （二）: the rule
    // finds the 2,999 duplicates before the 3,000 wrong starts (it goes sibling list by
    // sibling list), but lists the first findings of the text, whatever the order it found
    // them in, and counts the rest.
    let blocks = 3000;
    let text = "一、总体情况\n（二）主动公开\n".repeat(blocks);
    let r = lint_source("a.txt", text.as_bytes(), &rules, &Options::default());
    let found: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB104").collect();
    assert_eq!(found.len(), MAX_FINDINGS_PER_RULE);
    let lines: Vec<usize> = found
        .iter()
        .map(|d| text[..d.span.start].matches('\n').count() + 1)
        .collect();
    let want: Vec<usize> = (2..2 + MAX_FINDINGS_PER_RULE).collect();
    assert_eq!(lines, want);
    let total = 2 * blocks - 1;
    let note = found.last().unwrap().notes.join("\n");
    assert!(
        note.contains(&format!("另有 {} 处", total - MAX_FINDINGS_PER_RULE)),
        "{note}"
    );
}
