//! The CI gate end to end: the sample report repository `fixtures/ci-repo` (several bodies
//! and years, an nblint.toml with ignores, a severity override and a local deadline) gives
//! the expected findings and exit codes in every format; configuration errors are shown at
//! the key; baselines round-trip; SARIF validates against the official 2.1.0 schema
//! (fixtures/sarif/sarif-schema-2.1.0.json, shipped; nothing is downloaded).

mod common;
use common::{bin, run, stderr, stdout, tmp};
use std::path::{Path, PathBuf};
use std::process::Output;

const REPO: &str = "fixtures/ci-repo";

/// A fresh directory holding a copy of the sample repository as `repo/`: (directory, repo).
fn repo_copy(name: &str) -> (PathBuf, PathBuf) {
    let d = tmp(name);
    let repo = d.join("repo");
    copy_tree(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(REPO).as_path(),
        &repo,
    );
    (d, repo)
}

/// Copies a directory tree (the sample repository) so a test can change it.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// `path:line:col: severity[CODE name]` of each finding, without messages.
fn findings(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter_map(|l| l.split_once("]:").map(|(a, _)| format!("{a}]")))
        .collect()
}

#[test]
fn the_sample_repository_gives_the_expected_findings() {
    let o = run(&["check", "-f", "short", REPO]);
    assert_eq!(
        findings(&o),
        vec![
            // section 六 says nothing about 信息处理费 (a note)
            "fixtures/ci-repo/baishui-town/2021-白水镇.md:87:1: note[NB407 missing-fee-statement]",
            // a department published on 2022-02-18; nblint.toml raises NB404 to an error
            "fixtures/ci-repo/qingshan-transport/2021.md:93:1: error[NB404 late-publication]",
            // Found across reports, so after the per-file results: 2021 says 1 request was
            // carried in, 2020 carried 2 over (自然人 and 总计), both files are labelled ...
            "fixtures/ci-repo/qingshan-town/2020.md:75:23: warning[NB501 carryover-mismatch]",
            "fixtures/ci-repo/qingshan-town/2021.md:48:28: warning[NB501 carryover-mismatch]",
            // ... and 五 was copied from 2020.
            "fixtures/ci-repo/qingshan-town/2021.md:83:1: warning[NB502 copied-text]",
        ],
        "{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(1), "NB404 is an error here");
    // The ignored web-page residue of 白水镇 is not reported; without the configuration it is,
    // and NB404 is back to a warning.
    let o = run(&["check", "-f", "short", "--no-config", REPO]);
    let s = stdout(&o);
    assert!(s.contains("warning[NB108 web-page-residue]"), "{s}");
    assert!(s.contains("warning[NB404 late-publication]"), "{s}");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn exit_codes_follow_fail_on_and_exit_zero_in_every_format() {
    for f in [
        "human", "short", "json", "jsonl", "sarif", "github", "junit",
    ] {
        assert_eq!(run(&["check", "-f", f, REPO]).status.code(), Some(1), "{f}");
        assert_eq!(
            run(&["check", "-f", f, "--exit-zero", REPO]).status.code(),
            Some(0),
            "{f} --exit-zero"
        );
        assert_eq!(
            run(&[
                "check",
                "-f",
                f,
                "--no-config",
                "--fail-on",
                "warning",
                REPO
            ])
            .status
            .code(),
            Some(1),
            "{f} --fail-on warning"
        );
        assert_eq!(
            run(&["check", "-f", f, "--no-config", REPO]).status.code(),
            Some(0),
            "{f} warnings and notes only"
        );
        // An unreadable file is 2 even with --exit-zero.
        assert_eq!(
            run(&[
                "check",
                "-f",
                f,
                "--exit-zero",
                "fixtures/rules/unreadable-file/bad-empty.txt"
            ])
            .status
            .code(),
            Some(2),
            "{f} unreadable"
        );
    }
}

#[test]
fn output_to_a_file_keeps_the_exit_code() {
    let d = tmp("output");
    let file = d.join("out.sarif");
    let o = run(&["check", "-f", "sarif", "-o", file.to_str().unwrap(), REPO]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        written,
        stdout(&run(&["check", "-f", "sarif", REPO])),
        "the same output"
    );
}

fn validate_sarif(text: &str) {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sarif/sarif-schema-2.1.0.json")
        .canonicalize()
        .unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let instance: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let url = "file:///sarif-schema-2.1.0.json";
    compiler.add_resource(url, schema).unwrap();
    let id = compiler.compile(url, &mut schemas).unwrap();
    if let Err(e) = schemas.validate(&instance, id) {
        panic!("SARIF output does not validate:\n{e:#}\n{text}");
    }
}

#[test]
fn sarif_validates_against_the_schema() {
    for args in [
        vec!["check", "-f", "sarif", REPO],
        vec!["check", "-f", "sarif", "--lang", "en", "fixtures/reports"],
        vec![
            "check",
            "-f",
            "sarif",
            "fixtures/rules/unreadable-file/bad-binary.txt",
            "fixtures/rules/placeholder-text",
        ],
    ] {
        let o = run(&args);
        validate_sarif(&stdout(&o));
    }
    let o = run(&["check", "-f", "sarif", REPO]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run0 = &v["runs"][0];
    assert_eq!(run0["columnKind"], "utf16CodeUnits");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let nb404 = rules.iter().find(|r| r["id"] == "NB404").unwrap();
    assert_eq!(nb404["name"], "late-publication");
    assert!(nb404["help"]["text"].as_str().unwrap().contains("怎么改"));
    let results = run0["results"].as_array().unwrap();
    let late = results.iter().find(|r| r["ruleId"] == "NB404").unwrap();
    assert_eq!(late["level"], "error");
    let loc = &late["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/ci-repo/qingshan-transport/2021.md"
    );
    assert_eq!(loc["region"]["startLine"], 93);
    assert_eq!(
        rules[late["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "NB404"
    );
    // Non-ASCII paths are percent-encoded.
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .contains("2021-%E7%99%BD%E6%B0%B4%E9%95%87.md")
    }));
}

#[test]
fn github_annotations() {
    let o = run(&["check", "-f", "github", REPO]);
    let s = stdout(&o);
    assert!(
        s.contains("::error file=fixtures/ci-repo/qingshan-transport/2021.md,line=93,col=1,endLine=93,endColumn=11,title=NB404 late-publication::报告日期2022年2月18日晚于公布时限2022年1月31日（晚18天）%0A"),
        "{s}"
    );
    assert!(
        s.contains("::notice file=fixtures/ci-repo/baishui-town/2021-白水镇.md,line=87"),
        "{s}"
    );
    assert!(
        s.contains("::warning file=fixtures/ci-repo/qingshan-town/2021.md,line=83"),
        "{s}"
    );
    assert!(!s.lines().any(|l| l.starts_with("::") && l.contains('\n')));
}

#[test]
fn junit_report() {
    let o = run(&["check", "-f", "junit", REPO]);
    let s = stdout(&o);
    assert!(
        s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nblint\">")
    );
    assert!(s.trim_end().ends_with("</testsuites>"));
    // The error fails; the note passes with its text; a clean file is one passing case.
    assert!(s.contains("<testsuite name=\"fixtures/ci-repo/qingshan-transport/2021.md\" tests=\"1\" failures=\"1\" errors=\"0\">"), "{s}");
    assert!(
        s.contains("<system-out>fixtures/ci-repo/baishui-town/2021-白水镇.md:87:1:"),
        "{s}"
    );
    assert!(
        s.contains(
            "<testcase classname=\"fixtures/ci-repo/qingshan-town/2020.md\" name=\"nblint\"/>"
        ),
        "{s}"
    );
    assert!(
        s.contains("<testsuite name=\"fixtures/ci-repo/qingshan-town/2021.md (跨报告)\""),
        "{s}"
    );
}

#[test]
fn json_has_the_cross_report_findings_after_the_files() {
    let o = run(&["check", "-f", "json", REPO]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 5);
    let cross = v["cross_report"].as_array().unwrap();
    let codes: Vec<(&str, &str)> = cross
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("NB501", "fixtures/ci-repo/qingshan-town/2020.md"),
            ("NB501", "fixtures/ci-repo/qingshan-town/2021.md"),
            ("NB502", "fixtures/ci-repo/qingshan-town/2021.md"),
        ]
    );
    assert_eq!(cross[2]["fingerprint"], "problems/2020");
    assert_eq!(v["summary"]["warnings"], 3);
    let o = run(&["check", "-f", "json", "fixtures/reports"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cross_report"], serde_json::json!([]));
}

#[test]
fn cross_report_output_is_identical_whatever_the_thread_count() {
    let one = run(&[
        "check",
        "-j",
        "1",
        "-f",
        "json",
        REPO,
        "fixtures/rules/copied-text",
    ]);
    let four = run(&[
        "check",
        "-j",
        "4",
        "-f",
        "json",
        REPO,
        "fixtures/rules/copied-text",
    ]);
    assert_eq!(one.stdout, four.stdout);
    assert!(stdout(&one).matches("NB502").count() >= 2);
}

#[test]
fn baseline_round_trip() {
    let (d, repo) = repo_copy("baseline");
    let base = d.join("nblint-baseline.json");
    let check = |extra: &[&str]| {
        let mut c = bin();
        c.current_dir(&d)
            .args(["check", "-f", "short", "repo"])
            .args(extra);
        c.output().unwrap()
    };
    let o = check(&["--write-baseline", base.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "writing a baseline succeeds");
    assert!(
        stderr(&o).contains("已把 5 个问题记入基线"),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&base).unwrap();
    assert!(
        text.contains("\"path\": \"repo/qingshan-transport/2021.md\""),
        "{text}"
    );
    assert!(!text.contains("\"line\""), "no line numbers in the key");

    // Accepted: nothing is reported, exit 0.
    let o = check(&["--baseline", base.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        stdout(&o),
        "检查了 5 个文件：0 个错误，0 个警告，0 个提示。\n",
        "only the summary line"
    );

    // Fingerprints do not depend on the language of messages.
    let o = check(&["--baseline", base.to_str().unwrap(), "--lang", "en"]);
    assert!(!stdout(&o).contains("[NB"), "{}", stdout(&o));

    // Lines move: still accepted. A new finding is reported.
    let late = repo.join("qingshan-transport/2021.md");
    let t = std::fs::read_to_string(&late).unwrap();
    std::fs::write(&late, t.replacen("\n\n", "\n\n新增的一段说明。\n\n", 1)).unwrap();
    let town = repo.join("qingshan-town/2020.md");
    let t = std::fs::read_to_string(&town).unwrap();
    std::fs::write(&town, format!("{t}\n扫一扫在手机打开当前页\n")).unwrap();
    let o = check(&["--baseline", base.to_str().unwrap()]);
    assert_eq!(
        findings(&o),
        vec!["repo/qingshan-town/2020.md:99:1: warning[NB108 web-page-residue]"],
        "{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(0), "a new warning does not fail");

    // The same from another working directory, naming the baseline by another path.
    let o = bin()
        .current_dir(&repo)
        .args([
            "check",
            "-f",
            "short",
            ".",
            "--baseline",
            "../nblint-baseline.json",
        ])
        .output()
        .unwrap();
    assert_eq!(findings(&o).len(), 1, "{}", stdout(&o));

    // A broken baseline is exit 2.
    std::fs::write(&base, "{}").unwrap();
    assert_eq!(
        check(&["--baseline", base.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

/// A baseline that accepts only some findings: files keep the others (their output is
/// rendered again without the accepted ones), in every format and with any thread count.
#[test]
fn a_partial_baseline_drops_exactly_the_accepted_findings() {
    let (d, _repo) = repo_copy("partial-baseline");
    let base = d.join("baseline.json");
    let check = |extra: &[&str]| {
        let mut c = bin();
        c.current_dir(&d).args(["check", "repo"]).args(extra);
        c.output().unwrap()
    };
    let full = check(&["-f", "json", "--write-baseline", base.to_str().unwrap()]);
    let full: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    // Accept every other finding of the baseline (per-file and across reports alike).
    let mut b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let all = b["findings"].as_array().unwrap().clone();
    let key = |v: &serde_json::Value| {
        let fp: String = v["fingerprint"]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        format!("{} {} {fp}", v["path"], v["code"])
    };
    let accepted: Vec<String> = all.iter().step_by(2).map(key).collect();
    assert!(!accepted.is_empty() && accepted.len() < all.len());
    b["findings"] = serde_json::Value::Array(all.into_iter().step_by(2).collect());
    std::fs::write(&base, b.to_string()).unwrap();

    let mut expected = Vec::new();
    for f in full["files"].as_array().unwrap() {
        expected.extend(f["diagnostics"].as_array().unwrap().iter().cloned());
    }
    expected.extend(full["cross_report"].as_array().unwrap().iter().cloned());
    expected.retain(|d| !accepted.contains(&key(d)));
    assert!(!expected.is_empty(), "some findings are left");

    let mut outputs = Vec::new();
    for j in ["1", "4"] {
        let o = check(&["-f", "json", "-j", j, "--baseline", base.to_str().unwrap()]);
        let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut left = Vec::new();
        for f in got["files"].as_array().unwrap() {
            left.extend(f["diagnostics"].as_array().unwrap().iter().cloned());
        }
        left.extend(got["cross_report"].as_array().unwrap().iter().cloned());
        assert_eq!(left, expected, "-j {j}");
        let s = &got["summary"];
        let n = |level: &str| expected.iter().filter(|d| d["severity"] == level).count();
        assert_eq!(s["errors"], n("error"), "{s}");
        assert_eq!(s["warnings"], n("warning"), "{s}");
        assert_eq!(s["notes"], n("note"), "{s}");
        outputs.push(o.stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
    for f in ["human", "short", "sarif", "junit"] {
        let a = check(&["-f", f, "-j", "1", "--baseline", base.to_str().unwrap()]);
        let b = check(&["-f", f, "-j", "4", "--baseline", base.to_str().unwrap()]);
        assert_eq!(stdout(&a), stdout(&b), "{f}");
    }
}

#[test]
fn configuration_errors_point_at_the_key() {
    let cases = [
        ("colour = \"red\"\n", "unknown field `colour`", "1:1"),
        (
            "fail-on = 3\n",
            "`fail-on` should be a string, not an integer",
            "1:11",
        ),
        ("fail-on = \"sometimes\"\n", "is not a level", "1:11"),
        (
            "[[ignore]]\npath = \"a/[b\"\nrule = \"NB101\"\n",
            "bad glob",
            "2:8",
        ),
        ("[rules]\nNB999 = \"off\"\n", "unknown rule `NB999`", "2:1"),
        (
            "[report]\ntemplate = \"format-1999\"\n",
            "unknown template",
            "2:12",
        ),
        (
            "[deadlines]\ntownship = \"2月30日\"\n",
            "not a deadline",
            "2:12",
        ),
    ];
    for (text, want, at) in cases {
        let d = tmp("config-error");
        std::fs::write(d.join("nblint.toml"), text).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/reports/2021-qingshan-township.md"),
            d.join("r.md"),
        )
        .unwrap();
        let o = bin()
            .current_dir(&d)
            .args(["check", "r.md"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{text}");
        let e = stderr(&o);
        assert!(e.contains("error[config]"), "{text}: {e}");
        assert!(e.contains(want), "{text}: want {want:?} in\n{e}");
        assert!(
            e.contains(&format!("┌─ nblint.toml:{at}")),
            "{text}: want {at} in\n{e}"
        );
        assert!(stdout(&o).is_empty(), "nothing is checked");
    }
}

#[test]
fn init_writes_a_valid_commented_configuration() {
    let d = tmp("init");
    let o = bin().current_dir(&d).args(["init"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(d.join("nblint.toml")).unwrap();
    assert!(text.contains("# fail-on = \"error\""));
    assert!(text.contains("[[ignore]]"));
    // It is found and valid.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/2021-qingshan-township.md"),
        d.join("r.md"),
    )
    .unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["check", "r.md"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Not overwritten without --force.
    let o = bin().current_dir(&d).args(["init"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin()
        .current_dir(&d)
        .args(["init", "--force"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn config_discovery_overrides_and_explicit_config() {
    let d = tmp("discovery");
    let sub = d.join("部门");
    std::fs::create_dir_all(&sub).unwrap();
    let late =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ci-repo/qingshan-transport/2021.md");
    std::fs::copy(&late, sub.join("2021.md")).unwrap();
    // The nearest nblint.toml (two levels up) applies; an override turns NB404 off below 部门/.
    std::fs::write(
        d.join("nblint.toml"),
        "[[override]]\nfiles = [\"部门/**\"]\nrules = { NB404 = \"off\" }\n",
    )
    .unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["check", "-f", "short", "部门"])
        .output()
        .unwrap();
    assert!(!stdout(&o).contains("NB404"), "{}", stdout(&o));
    // --config names another file; --no-config ignores them.
    std::fs::write(d.join("strict.toml"), "fail-on = \"warning\"\n").unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["check", "-f", "short", "--config", "strict.toml", "部门"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("NB404"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
    // A local deadline for townships; body type from the configuration.
    std::fs::write(
        d.join("nblint.toml"),
        "[report]\nbody-type = \"township\"\n[deadlines]\ntownship = \"02-15\"\n",
    )
    .unwrap();
    let o = bin()
        .current_dir(&d)
        .args(["check", "-f", "short", "部门"])
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("报告日期2022年2月18日晚于公布时限2022年2月15日（晚3天）"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn inline_suppressions_in_markdown() {
    let d = tmp("inline");
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ci-repo/baishui-town/2021-白水镇.md"),
    )
    .unwrap();
    let check = |text: &str| {
        std::fs::write(d.join("r.md"), text).unwrap();
        let o = bin()
            .current_dir(&d)
            .args(["check", "-f", "short", "--no-config", "r.md"])
            .output()
            .unwrap();
        stdout(&o)
    };
    assert!(check(&src).contains("NB108"));
    let next = src.replace(
        "\n扫一扫在手机打开当前页",
        "\n<!-- nblint-disable-next-line NB108 页脚 -->\n扫一扫在手机打开当前页",
    );
    let s = check(&next);
    assert!(!s.contains("NB108") && s.contains("NB407"), "{s}");
    let block = src.replace(
        "## 六、其他需要报告的事项",
        "<!-- nblint-disable missing-fee-statement -->\n## 六、其他需要报告的事项",
    );
    let s = check(&block);
    assert!(!s.contains("NB407") && s.contains("NB108"), "{s}");
    let ended = block.replace(
        "## 六、其他需要报告的事项",
        "<!-- nblint-enable -->\n## 六、其他需要报告的事项",
    );
    assert!(check(&ended).contains("NB407"));
}

/// A Markdown report as a web page: `#`/`##` headings, paragraphs, pipe tables as tables.
fn md_to_html(md: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    let mut in_table = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with('|') {
            let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
            if cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| ch == '-'))
            {
                continue;
            }
            if !in_table {
                body.push_str("<table border=\"1\">\n");
                in_table = true;
            }
            body.push_str("<tr>");
            for c in cells {
                body.push_str(&format!("<td>{}</td>", esc(c)));
            }
            body.push_str("</tr>\n");
            continue;
        }
        if in_table {
            body.push_str("</table>\n");
            in_table = false;
        }
        if t.is_empty() {
            continue;
        }
        let (tag, text) = match (t.strip_prefix("## "), t.strip_prefix("# ")) {
            (Some(h), _) => ("h2", h),
            (_, Some(h)) => ("h1", h),
            _ => ("p", t),
        };
        body.push_str(&format!("<{tag}>{}</{tag}>\n", esc(text)));
    }
    if in_table {
        body.push_str("</table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年报</title></head>\n<body><div class=\"content\">\n{body}</div></body></html>\n"
    )
}

#[test]
fn inline_suppressions_in_html() {
    let d = tmp("inline-html");
    let md = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inputs/qingshan.md"),
    )
    .unwrap();
    let page = md_to_html(&md);
    let check = |html: &str| -> Vec<String> {
        std::fs::write(d.join("r.html"), html).unwrap();
        let o = bin()
            .current_dir(&d)
            .args(["check", "-f", "short", "--no-config", "r.html"])
            .output()
            .unwrap();
        let mut codes: Vec<String> = stdout(&o)
            .lines()
            .filter_map(|l| {
                l.split_once('[')?
                    .1
                    .split_once(' ')
                    .map(|(c, _)| c.to_owned())
            })
            .collect();
        codes.dedup();
        codes
    };
    // The planted defects: telephone, heading number, placeholder, a table cell that does
    // not add up (its row total and its column total).
    assert_eq!(check(&page), ["NB402", "NB104", "NB109", "NB202", "NB203"]);

    // disable-next-line before the paragraph with the placeholder.
    let placeholder = "<p>（六）监督保障方面";
    assert!(page.contains(placeholder));
    let next = page.replace(
        placeholder,
        &format!("<!-- nblint-disable-next-line NB109 评议次数待统计 -->\n{placeholder}"),
    );
    assert_eq!(check(&next), ["NB402", "NB104", "NB202", "NB203"]);

    // disable … enable around the statistical table, by code and by name.
    let table3 = "<h2>三、收到和处理政府信息公开申请情况</h2>";
    let table4 = "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>";
    let block = page
        .replace(
            table3,
            &format!("{table3}\n<!-- nblint-disable NB202 table-outcome-total -->"),
        )
        .replace(table4, &format!("<!-- nblint-enable -->\n{table4}"));
    assert_eq!(check(&block), ["NB402", "NB104", "NB109"]);
    // Without the enable, the rest of the file.
    let open = page.replace(
        table3,
        &format!("{table3}\n<!-- nblint-disable NB202 NB402 -->"),
    );
    assert_eq!(check(&open), ["NB402", "NB104", "NB109", "NB203"]);

    // In a table row: that row only. One mistyped cell breaks its row total (NB202) and its
    // column total (NB203); both findings point at that cell, so both are in this row.
    let row = "<tr><td>三、本年度办理结果</td><td>（一）予以公开</td>";
    assert!(page.contains(row));
    let in_row = page.replace(
        row,
        &row.replacen(
            "<tr>",
            "<tr><!-- nblint-disable-next-line NB202 NB203 -->",
            1,
        ),
    );
    assert_eq!(check(&in_row), ["NB402", "NB104", "NB109"]);

    // In <head>: the whole page; other comments are not directives.
    let head = page.replace(
        "<title>",
        "<!-- nblint-disable invalid-contact-info --><!-- 统计代码 --><title>",
    );
    assert_eq!(check(&head), ["NB104", "NB109", "NB202", "NB203"]);
}
