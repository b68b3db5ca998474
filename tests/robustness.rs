//! No panic on any input: every file in the repository, empty input, random bytes, and random
//! text built from the characters reports are made of (ordinals, brackets, digits, tabs, pipes).

use nblint::engine::{Options, lint_source};
use nblint::{Lang, RuleSet};
use std::path::Path;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name == "target" || name == ".git" {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_file_in_the_repository() {
    let rules = RuleSet::builtin().expect("rules load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(root, &mut files);
    assert!(files.len() > 50);
    for lang in [Lang::Zh, Lang::En] {
        let opts = Options {
            lang,
            ..Options::default()
        };
        for f in &files {
            let bytes = std::fs::read(f).expect("readable");
            let name = f.to_string_lossy();
            let r = lint_source(&name, &bytes, &rules, &opts);
            for d in &r.diagnostics {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= r.text.len(),
                    "{name}: span out of range"
                );
                assert!(
                    r.text.is_char_boundary(d.span.start) && r.text.is_char_boundary(d.span.end)
                );
            }
        }
    }
}

#[test]
fn empty_and_tiny_inputs() {
    let rules = RuleSet::builtin().expect("rules load");
    let opts = Options::default();
    for input in [
        &b""[..],
        b"\n",
        b"\r\n\r\n",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        "一".as_bytes(),
        "一、".as_bytes(),
        "（".as_bytes(),
        "一是".as_bytes(),
        "2021年".as_bytes(),
        "|".as_bytes(),
        "\t".as_bytes(),
        "#".as_bytes(),
        "**".as_bytes(),
        "第十部分".as_bytes(),
        "截止12月".as_bytes(),
        "电话：".as_bytes(),
    ] {
        for name in ["a.txt", "a.md", "a.docx", "a.html", "a.pdf", "noext"] {
            let _ = lint_source(name, input, &rules, &opts);
        }
    }
}

#[test]
fn random_bytes() {
    let rules = RuleSet::builtin().expect("rules load");
    let opts = Options::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..300 {
        let len = rng.below(4000);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let name = ["r.txt", "r.md", "r"][i % 3];
        let _ = lint_source(name, &bytes, &rules, &opts);
    }
}

#[test]
fn random_report_like_text() {
    const PIECES: &[&str] = &[
        "一、",
        "二、",
        "十二、",
        "（一）",
        "(二)",
        "1.",
        "2．",
        "3、",
        "（1）",
        "①",
        "第一部分",
        "一是",
        "四是",
        "九是",
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "年度报告",
        "工作总结",
        "2021年",
        "2022年1月20日",
        "2018-03-01",
        "统计期限为",
        "1月1日至",
        "12月31日",
        "截止",
        "电话：",
        "0953-6012345",
        "邮编：",
        "75140",
        "邮箱：",
        "a@b.cn",
        "@",
        "地址：",
        "附件",
        "统计表",
        "\t",
        "|",
        " | ",
        "\n",
        "\n\n",
        "\r\n",
        "# ",
        "## ",
        "- ",
        "**",
        "“",
        "”",
        "。",
        "，",
        "；",
        "：",
        "XX镇",
        "××",
        "〔 〕",
        "【填写】",
        "浏览次数：",
        "首页 > ",
        "0",
        "17",
        "100%",
        "％",
        "余",
        "件",
        "条",
        "　",
        "𝄞",
    ];
    let rules = RuleSet::builtin().expect("rules load");
    let opts = Options::default();
    let mut rng = Rng(42);
    // NBLINT_STRESS=100000 cargo test --release --test robustness runs a longer search.
    let rounds: usize = std::env::var("NBLINT_STRESS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    for i in 0..rounds {
        let n = rng.below(300);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let name = if i % 2 == 0 { "r.md" } else { "r.txt" };
        let r = lint_source(name, s.as_bytes(), &rules, &opts);
        for d in &r.diagnostics {
            assert!(d.span.end <= r.text.len());
            assert!(
                r.text.is_char_boundary(d.span.start) && r.text.is_char_boundary(d.span.end),
                "{s:?}"
            );
        }
        // Rendering must not panic either.
        let mut out = Vec::new();
        use nblint::emit::Emitter;
        nblint::emit::human::Human::new(nblint::emit::EmitOptions::default())
            .file(&mut out, &r)
            .expect("renders");
        nblint::emit::json::Jsonl
            .file(&mut out, &r)
            .expect("renders");
    }
}
