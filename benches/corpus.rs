//! Throughput and memory benchmark over a generated corpus of reports.
//!
//! `cargo bench --bench corpus` generates N reports (default 10,000, about 5 KB each, a mix of
//! clean and defective, Markdown and tab-separated text) under `target/bench-corpus/`, runs
//! the release binary over them in several configurations, and prints a Markdown table with
//! wall time, files/s, MB/s and peak resident memory (from `wait4`'s rusage of the child).
//! Set `NBLINT_BENCH_FILES` to change N. Numbers go into docs/performance.md by hand.
//!
//! It also measures each structured format on its own: 1,000 Word files, 1,000 GBK web
//! pages and 1,000 PDFs made from fixtures/inputs/ (`NBLINT_BENCH_FORMAT_FILES` to change),
//! under `target/bench-corpus/formats/`.
//!
//! A second table measures, in this process on one thread over the 1,000-file corpus, what
//! reading the statistical tables costs per report (`Report::build` with the templates as
//! shipped vs the same templates without `[[tables]]`) and what the table rules cost (every
//! rule vs every rule but the table kinds). `NBLINT_BENCH_TABLES_ONLY=1` runs only that part.
//!
//! A third table measures pathological inputs one by one, each beside a normal report of
//! the same size (a real report repeated): a 5 MB report of numeric claims, a 3 MB sentence, a 3 MB sentence of lists (NB303),
//! a 49 MB file of short lines (refused: over the line limit) and one of 2,000,000 short lines (the
//! limit), a rule of 10,000 patterns, and the start-up for one small
//! file. `NBLINT_BENCH_PATHOLOGICAL_ONLY=1` runs only that part (files under
//! `target/bench-corpus/pathological/`).

use nblint::engine::{Options, lint_document};
use nblint::input::{Document, Limits};
use nblint::report::{ReadOptions, Report};
use nblint::rule::RuleSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Deterministic corpus: variations of the bundled reports with other names and numbers.
fn generate(dir: &Path, n: usize) -> u64 {
    let marker = dir.join(format!(".generated-{n}-v1"));
    if marker.exists() {
        return dir_size(dir);
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let read = |p: &str| std::fs::read_to_string(fixtures().join(p)).unwrap();
    let sources = [
        (read("reports/2021-qingshan-township.md"), "md"),
        (read("reports/2021-qingshan-transport.txt"), "txt"),
        (read("reports/2021-baishui-missing-section.md"), "md"),
        (read("rules/heading-numbering/ok.txt"), "txt"),
        (read("rules/web-page-residue/bad-breadcrumb.txt"), "txt"),
        (read("reports/2021-liuhe-title-variants.md"), "md"),
    ];
    let places = [
        "青山", "白水", "红石", "柳河", "桃源", "松林", "金沙", "平川", "丰乐", "新华",
    ];
    for i in 0..n {
        let (src, ext) = &sources[i % sources.len()];
        let place = format!("{}{}", places[i % places.len()], i);
        let mut t = src.replace("青山", &place).replace("白水", &place);
        // Keep files near 5 KB: drop the last paragraph of long ones now and then.
        if t.len() > 6000 && i % 3 == 0 {
            let mut end = t.len() - 400;
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            if let Some(cut) = t[..end].rfind("\n\n") {
                t.truncate(cut + 1);
            }
        }
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("r{i:05}.{ext}")), t).unwrap();
    }
    std::fs::write(&marker, "").unwrap();
    dir_size(dir)
}

/// `n` files of one structured format, each with another place name where the format
/// allows rewriting it (Word: inside document.xml; web page: in the GBK text; PDF: copies).
fn generate_format(dir: &Path, ext: &str, n: usize) -> u64 {
    let marker = dir.join(format!(".generated-{n}-v1"));
    if marker.exists() {
        return dir_size(dir);
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let src = std::fs::read(fixtures().join(format!("inputs/qingshan.{ext}"))).unwrap();
    let places = [
        "白水", "红石", "柳河", "桃源", "松林", "金沙", "平川", "丰乐", "新华", "青山",
    ];
    let docx_parts: Vec<(String, Vec<u8>)> = if ext == "docx" {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&src)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut buf).unwrap();
                (f.name().unwrap().into_owned(), buf)
            })
            .collect()
    } else {
        Vec::new()
    };
    for i in 0..n {
        let place = places[i % places.len()];
        let bytes = match ext {
            "docx" => {
                let mut out = std::io::Cursor::new(Vec::new());
                {
                    let mut z = zip::ZipWriter::new(&mut out);
                    let opts = zip::write::SimpleFileOptions::default()
                        .compression_method(zip::CompressionMethod::Deflated);
                    for (name, data) in &docx_parts {
                        z.start_file(name.as_str(), opts).unwrap();
                        let data = if name == "word/document.xml" {
                            String::from_utf8(data.clone())
                                .unwrap()
                                .replace("青山", place)
                                .into_bytes()
                        } else {
                            data.clone()
                        };
                        std::io::Write::write_all(&mut z, &data).unwrap();
                    }
                    z.finish().unwrap();
                }
                out.into_inner()
            }
            "html" => {
                let (text, _, _) = encoding_rs::GB18030.decode(&src);
                let replaced = text.replace("青山", place);
                let (b, _, _) = encoding_rs::GB18030.encode(&replaced);
                b.into_owned()
            }
            _ => src.clone(),
        };
        std::fs::write(dir.join(format!("r{i:05}.{ext}")), bytes).unwrap();
    }
    std::fs::write(&marker, "").unwrap();
    dir_size(dir)
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            total += dir_size(&p);
        } else if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            total += e.metadata().unwrap().len();
        }
    }
    total
}

struct Run {
    secs: f64,
    max_rss_kb: i64,
}

#[allow(unsafe_code)] // wait4 for the child's peak memory
fn run_once(args: &[&str]) -> Run {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_nblint"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn nblint");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI call with valid pointers; the child is ours and not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    let secs = start.elapsed().as_secs_f64();
    std::mem::forget(child); // already reaped
    Run {
        secs,
        max_rss_kb: usage.ru_maxrss,
    }
}

fn best_of(n: usize, args: &[&str]) -> Run {
    let mut best = run_once(args);
    for _ in 1..n {
        let r = run_once(args);
        if r.secs < best.secs {
            best.secs = r.secs;
        }
        best.max_rss_kb = best.max_rss_kb.max(r.max_rss_kb);
    }
    best
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let n: usize = std::env::var("NBLINT_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let dir = target.join("bench-corpus").join(n.to_string());
    let bytes = generate(&dir, n);
    let small = target.join("bench-corpus").join("1000");
    let small_bytes = generate(&small, 1000);
    let d = dir.to_str().unwrap();
    let s = small.to_str().unwrap();
    println!(
        "corpus: {n} files, {:.1} MB ({:.1} KB/file)",
        bytes as f64 / 1e6,
        bytes as f64 / n as f64 / 1e3
    );
    println!();
    if std::env::var_os("NBLINT_BENCH_TABLES_ONLY").is_some() {
        tables_cost(&small);
        return;
    }
    if std::env::var_os("NBLINT_BENCH_PATHOLOGICAL_ONLY").is_some() {
        pathological(&target.join("bench-corpus").join("pathological"));
        return;
    }
    println!("| run | files | wall (s) | files/s | MB/s | peak RSS (MB) |");
    println!("|---|---:|---:|---:|---:|---:|");
    let nf: usize = std::env::var("NBLINT_BENCH_FORMAT_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let formats = target.join("bench-corpus").join("formats");
    let fdirs: Vec<(String, PathBuf, u64)> = ["docx", "html", "pdf"]
        .iter()
        .map(|ext| {
            let d = formats.join(format!("{ext}-{nf}"));
            let b = generate_format(&d, ext, nf);
            (ext.to_string(), d, b)
        })
        .collect();
    let fnames: Vec<(String, String)> = fdirs
        .iter()
        .map(|(e, d, _)| (e.clone(), d.to_str().unwrap().to_owned()))
        .collect();
    let mut cases: Vec<(String, Vec<&str>, usize, u64)> = vec![
        (
            "check -f json (all cores)".into(),
            vec!["check", "-f", "json", d],
            n,
            bytes,
        ),
        (
            "check -f human (all cores)".into(),
            vec!["check", "--color", "never", d],
            n,
            bytes,
        ),
        (
            "check -f json -j 1".into(),
            vec!["check", "-f", "json", "-j", "1", d],
            n,
            bytes,
        ),
        (
            "check -f json (1,000 files)".into(),
            vec!["check", "-f", "json", s],
            1000,
            small_bytes,
        ),
    ];
    for ((ext, d), (_, _, b)) in fnames.iter().zip(&fdirs) {
        cases.push((
            format!("check -f json, .{ext} only (all cores)"),
            vec!["check", "-f", "json", d.as_str()],
            nf,
            *b,
        ));
        cases.push((
            format!("check -f json -j 1, .{ext} only"),
            vec!["check", "-f", "json", "-j", "1", d.as_str()],
            nf,
            *b,
        ));
    }
    for (name, args, files, b) in cases {
        let r = best_of(3, &args);
        println!(
            "| `{name}` | {files} | {:.3} | {:.0} | {:.1} | {:.1} |",
            r.secs,
            files as f64 / r.secs,
            b as f64 / 1e6 / r.secs,
            r.max_rss_kb as f64 / 1024.0
        );
    }
    println!();
    tables_cost(&small);
    println!();
    // `tables_cost` read 1,000 reports in this process: measure the pathological inputs from
    // a fresh one, whose peak memory does not carry into the children it measures.
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let status = Command::new(std::env::current_exe().expect("this bench's path"))
        .env("NBLINT_BENCH_PATHOLOGICAL_ONLY", "1")
        .status()
        .expect("run the bench for the pathological inputs");
    assert!(status.success(), "the pathological bench failed");
}

/// Text of `size` bytes or more, made by repeating `unit(i)` for i = 0, 1, …
fn repeat_to(size: usize, mut unit: impl FnMut(usize) -> String) -> String {
    let mut s = String::with_capacity(size + 64);
    let mut i = 0;
    while s.len() < size {
        s.push_str(&unit(i));
        i += 1;
    }
    s
}

/// Lines of a file of very short lines: headings, numbers, words.
const SHORT_LINES: [&str; 6] = ["一、\n", "12件\n", "abc\n", "第3条\n", "（二）\n", "x\n"];

/// The pathological inputs of issue 13, each with a normal report of the same size.
///
/// The files are written by a child process (this bench run again with
/// `NBLINT_BENCH_WRITE_PATHOLOGICAL`): a process that has held a 49 MB text passes its peak
/// resident memory on to every child it starts (`ru_maxrss` survives `fork` and `exec`), so
/// the measuring process must never hold one. Before this, the first run after the files were
/// made reported the writer's ~60 MB as the peak of every small input.
fn pathological(dir: &Path) {
    let write_only = std::env::var_os("NBLINT_BENCH_WRITE_PATHOLOGICAL").is_some();
    if !write_only {
        let status = Command::new(std::env::current_exe().expect("this bench's path"))
            .env("NBLINT_BENCH_WRITE_PATHOLOGICAL", "1")
            .env("NBLINT_BENCH_PATHOLOGICAL_ONLY", "1")
            .stdout(Stdio::null())
            .status()
            .expect("run the bench to write the pathological files");
        assert!(status.success(), "writing the pathological files failed");
    }
    const MB: usize = 1024 * 1024;
    std::fs::create_dir_all(dir).unwrap();
    let base = std::fs::read_to_string(
        fixtures().join("rules/narrative-table-mismatch/bad-phrasings.txt"),
    )
    .unwrap();
    let (head, tail) = base.split_once("（一）依申请公开\n\n").unwrap();
    let head = format!("{head}（一）依申请公开\n\n");
    // Each text is made only when its file is missing, and dropped at once: a child
    // started from this process reports the parent's resident memory as its own peak
    // (`ru_maxrss` survives `exec`), so this process must stay small.
    let write = |name: &str, make: &dyn Fn() -> String| {
        let p = dir.join(name);
        if !p.exists() {
            std::fs::write(&p, make()).unwrap();
        }
        p.to_str().unwrap().to_owned()
    };
    let normal = |size: usize| repeat_to(size, |_| base.clone());
    let files = [
        ("normal, 5 MB", write("normal-5mb.txt", &|| normal(5 * MB))),
        (
            "numeric claims, 5 MB",
            write("claims-5mb.txt", &|| {
                // Claims NB304 links to the table, a hundred to a sentence.
                let claims = repeat_to(5 * MB, |i| {
                    let end = if i % 100 == 99 { "。\n" } else { "，" };
                    format!("全年共受理申请{}件，办结{}件{end}", 20 + i % 7, 18 + i % 5)
                });
                format!("{head}{claims}\n{tail}")
            }),
        ),
        ("normal, 3 MB", write("normal-3mb.txt", &|| normal(3 * MB))),
        (
            "one sentence, 3 MB",
            write("sentence-3mb.txt", &|| {
                let s = repeat_to(3 * MB, |i| {
                    format!("行政许可{}件、行政处罚{}件、", i % 50, i % 9)
                });
                format!("{head}其中，{s}。\n{tail}")
            }),
        ),
        (
            "lists in one sentence, 3 MB (NB303)",
            write("lists-3mb.txt", &|| {
                // One sentence of at most 200 numbers (NB303 reads lists only there) with 60
                // channel breakdowns, a numbered list, a wrong `其中` list, and tens of
                // thousands of `其中` openers and `分别` clauses in between: every list shape
                // of `inline_total`, each once read to the sentence end.
                let mut s = String::from(
                    "受理申请30件，其中网上申请10件、当面申请21件，办理情况良好，\
                     共办理5件：1、答复3件；2、转办2件，",
                );
                for _ in 0..60 {
                    s.push_str("主动公开信息12条，网站公开5条、微信公开7条，");
                }
                while s.len() < 3 * MB {
                    s.push_str("其中包括相关工作人员，分别组织培训，其中有关情况，");
                }
                format!("{head}{s}。\n{tail}")
            }),
        ),
        (
            "normal, 49 MB",
            write("normal-49mb.txt", &|| normal(49 * MB)),
        ),
        (
            "short lines, 49 MB (over the line limit: refused)",
            write("short-lines-49mb.txt", &|| {
                repeat_to(49 * MB, |i| SHORT_LINES[i % SHORT_LINES.len()].to_owned())
            }),
        ),
        (
            "short lines, 2,000,000 (the line limit)",
            write("short-lines-2m.txt", &|| {
                let lines = nblint::input::MAX_LINES;
                let mut s: String = (0..lines)
                    .map(|i| SHORT_LINES[i % SHORT_LINES.len()])
                    .collect();
                s.pop();
                s
            }),
        ),
    ];
    // A rule of 10,000 patterns (words), beside the built-in rules alone.
    let rules = dir.join("rules-10k");
    std::fs::create_dir_all(&rules).unwrap();
    let patterns: Vec<String> = (0..10_000).map(|i| format!("'禁用词{i:05}'")).collect();
    std::fs::write(
        rules.join("many-patterns.toml"),
        format!(
            "code = \"XZ901\"\nseverity = \"warning\"\nsummary = \"禁用词\"\n\
             summary_en = \"word\"\nmessage = \"“{{matched}}”是禁用词\"\n\
             message_en = \"{{matched}}\"\nhelp = \"删去\"\nhelp_en = \"delete\"\n\
             description = \"基准\"\n\n\
             [check.pattern]\ngroup = \"match\"\npatterns = [{}]\n",
            patterns.join(", ")
        ),
    )
    .unwrap();
    if write_only {
        return;
    }
    let small = fixtures().join("reports/2021-qingshan-township.md");
    let small = small.to_str().unwrap();
    println!("| input | size (MB) | wall (s) | peak RSS (MB) | RSS / size |");
    println!("|---|---:|---:|---:|---:|");
    for (name, path) in &files {
        let size = std::fs::metadata(path).unwrap().len() as f64 / MB as f64;
        let r = best_of(
            2,
            &[
                "check",
                "-f",
                "short",
                "-j",
                "1",
                "--max-file-size",
                "64MB",
                path,
            ],
        );
        let rss = r.max_rss_kb as f64 / 1024.0;
        println!(
            "| {name} | {size:.1} | {:.3} | {rss:.1} | {:.1} |",
            r.secs,
            rss / size
        );
    }
    println!();
    println!("| start-up, one small report | wall (ms) | peak RSS (MB) |");
    println!("|---|---:|---:|");
    let rules = rules.to_str().unwrap();
    for (name, args) in [
        ("built-in rules", vec!["check", "-f", "short", small]),
        (
            "built-in rules + a rule of 10,000 patterns",
            vec!["check", "-f", "short", "--rules", rules, small],
        ),
    ] {
        let r = best_of(10, &args);
        println!(
            "| {name} | {:.1} | {:.1} |",
            r.secs * 1e3,
            r.max_rss_kb as f64 / 1024.0
        );
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            out.push(p);
        }
    }
}

/// Microseconds per report for `f` over `docs`, best of 3.
fn per_report(docs: &[(String, Document)], mut f: impl FnMut(&str, &Document)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        for (name, d) in docs {
            f(name, d);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    best * 1e6 / docs.len() as f64
}

fn tables_cost(dir: &Path) {
    let mut paths = Vec::new();
    files(dir, &mut paths);
    let docs: Vec<(String, Document)> = paths
        .iter()
        .map(|p| {
            let name = p.display().to_string();
            let bytes = std::fs::read(p).unwrap();
            let doc = nblint::input::read(&name, &bytes, &Limits::default()).unwrap();
            (name, doc)
        })
        .collect();
    let rules = RuleSet::builtin().unwrap();
    let mut bare = RuleSet::builtin().unwrap();
    let mut list = std::mem::take(&mut bare.templates).into_vec();
    for t in &mut list {
        t.tables.clear();
    }
    bare.templates = nblint::report::TemplateSet::new(list);
    let mut no_table_rules = RuleSet::builtin().unwrap();
    no_table_rules.rules.retain(|r| {
        !matches!(
            r.check.kind_name(),
            "table_equation"
                | "required_tables"
                | "table_readable"
                | "table_values"
                | "table_version"
        )
    });
    let opts = ReadOptions::default();
    let mut found = 0usize;
    let with = per_report(&docs, |_, d| {
        found += Report::build(d, &rules.templates, &opts).tables.len();
    });
    let without = per_report(&docs, |_, d| {
        std::hint::black_box(Report::build(d, &bare.templates, &opts).tables.len());
    });
    let read_only = per_report(&docs, |_, d| {
        let mut lines = nblint::report::classify_lines(&d.text);
        std::hint::black_box(nblint::report::table::read(
            d,
            &mut lines,
            &rules.templates,
            None,
        ));
    });
    let lines_only = per_report(&docs, |_, d| {
        std::hint::black_box(nblint::report::classify_lines(&d.text));
    });
    let o = Options::default();
    let all = per_report(&docs, |n, d| {
        std::hint::black_box(lint_document(n, d.clone(), &rules, &o));
    });
    let none = per_report(&docs, |n, d| {
        std::hint::black_box(lint_document(n, d.clone(), &no_table_rules, &o));
    });
    let tables = found as f64 / 3.0 / docs.len() as f64;
    println!(
        "table reading and table rules, one thread, {} reports ({tables:.1} tables found per report):",
        docs.len()
    );
    println!();
    println!("| step | µs per report |");
    println!("|---|---:|");
    println!("| `Report::build`, templates without `[[tables]]` | {without:.1} |");
    println!("| `Report::build`, templates as shipped (reads the tables) | {with:.1} |");
    println!("| table reading (difference) | {:.1} |", with - without);
    println!(
        "| `table::read` alone (after `classify_lines`) | {:.1} |",
        read_only - lines_only
    );
    println!("| `lint_document`, all rules but the table kinds | {none:.1} |");
    println!("| `lint_document`, all rules | {all:.1} |");
    println!("| table rules (difference) | {:.1} |", all - none);
}
