//! A mutational fuzzer on stable Rust, beside the cargo-fuzz targets in fuzz/ (which need
//! libFuzzer and a nightly compiler, or `RUSTC_BOOTSTRAP=1`). It mutates our own fixtures
//! (Word, web pages, PDF, text, rule files) with byte-level and structure-aware mutations
//! and runs every reader and the rule loader on each, without the panic guard of
//! `input::read`: a panic anywhere fails the test, and the input is saved under
//! `target/fuzz-failures/` to be replayed. What a structured reader produces is also linted
//! (`lint_document`), so that grids of any shape reach the table reader and the table rules.
//!
//! `cargo test --test fuzz_smoke` runs a few hundred inputs per target (seconds, in CI);
//! `NBLINT_FUZZ_ITERS=20000 cargo test --release --test fuzz_smoke -- --nocapture` runs a
//! long campaign. The random sequence is fixed by `NBLINT_FUZZ_SEED` (default 1).

mod common;
use common::root;
use nblint::RuleSet;
use nblint::input::{self, Limits};
use std::io::{Cursor, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::Instant;

fn iters() -> usize {
    std::env::var("NBLINT_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn new(salt: u64) -> Rng {
        let seed: u64 = std::env::var("NBLINT_FUZZ_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        Rng((seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"<",
    b">",
    b"</",
    b"(",
    b")",
    b"[",
    b"]",
    b"/",
    b"\\",
    b"0",
    b"-1",
    b"4294967295",
    b"99999999999999999999",
    b"1e308",
    b"NaN",
    b"\xe4\xb8\x80\xe3\x80\x81",
    b"\t",
    b"\n",
    b"&#0;",
    b"&#x110000;",
    b"&amp;",
    b"\xef\xbb\xbf",
];

/// One byte-level mutation.
fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    match rng.below(9) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next() as u8;
        }
        2 => {
            let i = rng.below(len + 1);
            let tok = INTERESTING[rng.below(INTERESTING.len())];
            data.splice(i..i, tok.iter().copied());
        }
        3 if len > 1 => {
            let a = rng.below(len);
            let b = (a + rng.below(64).max(1)).min(len);
            data.drain(a..b);
        }
        4 if len > 1 => {
            let a = rng.below(len);
            let b = (a + rng.below(256).max(1)).min(len);
            let chunk: Vec<u8> = data[a..b].to_vec();
            let at = rng.below(len + 1);
            for _ in 0..=rng.below(3) {
                data.splice(at..at, chunk.iter().copied());
            }
        }
        5 if len > 0 => data.truncate(rng.below(len)),
        6 if !other.is_empty() => {
            let a = rng.below(other.len());
            let b = (a + rng.below(512).max(1)).min(other.len());
            let at = rng.below(len + 1);
            data.splice(at..at, other[a..b].iter().copied());
        }
        7 if len > 4 => {
            // Rewrite a number somewhere: lengths, offsets, spans, widths.
            if let Some(i) = (0..32)
                .map(|_| rng.below(len))
                .find(|&i| data[i].is_ascii_digit())
            {
                let tok = INTERESTING[11 + rng.below(5)];
                data.splice(i..i + 1, tok.iter().copied());
            }
        }
        _ => {
            let i = rng.below(len + 1);
            data.insert(i, rng.next() as u8);
        }
    }
}

/// Markup-aware mutations for XML and HTML text.
const TAGS: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:vMerge/>",
    "<w:vMerge w:val=\"restart\"/>",
    "<w:gridSpan w:val=\"4294967295\"/>",
    "<w:gridBefore w:val=\"999\"/>",
    "<w:numPr><w:ilvl w:val=\"8\"/><w:numId w:val=\"1\"/></w:numPr>",
    "<w:txbxContent>",
    "<mc:Fallback>",
    "<w:t>一、</w:t>",
    "<w:footnoteReference w:id=\"1\"/>",
    "<table>",
    "</table>",
    "<tr>",
    "<td rowspan=\"0\" colspan=\"1000\">",
    "<td colspan=\"-1\">",
    "<th rowspan=\"65535\">",
    "<div class=\"nav\">",
    "<h1>",
    "<br>",
    "<p>",
    "<script>",
    "<![CDATA[",
    "<!--",
];

fn mutate_markup(rng: &mut Rng, text: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        if rng.below(2) == 0 {
            let tag = TAGS[rng.below(TAGS.len())].as_bytes();
            let at = rng.below(text.len() + 1);
            text.splice(at..at, tag.iter().copied());
        } else {
            mutate_bytes(rng, text, &[]);
        }
    }
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    for i in 0..z.len() {
        if let Ok(mut f) = z.by_index(i) {
            let mut buf = Vec::new();
            let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
            if f.read_to_end(&mut buf).is_ok() {
                out.push((name, buf));
            }
        }
    }
    out
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(name.as_str(), opts).expect("zip entry");
            z.write_all(data).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

fn seeds(paths: &[&str]) -> Vec<Vec<u8>> {
    paths
        .iter()
        .map(|p| std::fs::read(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect()
}

fn save_failure(target: &str, i: usize, data: &[u8]) -> PathBuf {
    let dir = root().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(format!("{target}-{i}.bin"));
    let _ = std::fs::write(&p, data);
    p
}

/// Runs `f` on `n` mutants of the seeds; fails on the first panic.
fn campaign(
    target: &str,
    n: usize,
    seeds: &[Vec<u8>],
    mutate: impl Fn(&mut Rng, &[u8], &[u8]) -> Vec<u8>,
    f: impl Fn(&[u8]),
) {
    let salt = target
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = Rng::new(salt);
    let start = Instant::now();
    // The seeds themselves first.
    for (i, s) in seeds.iter().enumerate() {
        if catch_unwind(AssertUnwindSafe(|| f(s))).is_err() {
            let p = save_failure(target, i, s);
            panic!("{target}: seed {i} panicked; saved as {}", p.display());
        }
    }
    for i in 0..n {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, a, b);
        if catch_unwind(AssertUnwindSafe(|| f(&input))).is_err() {
            let p = save_failure(target, i, &input);
            panic!("{target}: mutant {i} panicked; saved as {}", p.display());
        }
    }
    eprintln!(
        "fuzz_smoke {target}: {} inputs in {:.1} s, no panic",
        n + seeds.len(),
        start.elapsed().as_secs_f64()
    );
}

fn stack(rng: &mut Rng, a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut d = a.to_vec();
    for _ in 0..=rng.below(6) {
        mutate_bytes(rng, &mut d, b);
    }
    d
}

static RULES: std::sync::LazyLock<RuleSet> =
    std::sync::LazyLock::new(|| RuleSet::builtin().expect("rules"));

/// Lints what a reader produced: the report model, the table reader on the grids, every rule.
fn lint_read(name: &str, r: Result<input::Document, input::ReadError>) {
    if let Ok(doc) = r {
        let _ = nblint::engine::lint_document(name, doc, &RULES, &nblint::Options::default());
    }
}

fn limits() -> Limits {
    Limits {
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    }
}

#[test]
fn docx_reader_never_panics() {
    let seeds = seeds(&[
        "fixtures/inputs/qingshan.docx",
        "fixtures/rules/unreadable-file/bad-truncated.docx",
        "fixtures/rules/unreadable-file/bad-deep-nesting.docx",
    ]);
    campaign(
        "docx",
        iters(),
        &seeds,
        |rng, a, b| {
            // Half the time mutate the XML inside the zip (reaches the parser), half the
            // zip bytes themselves (reaches the container code).
            let parts = unzip(a);
            if parts.is_empty() || rng.below(2) == 0 {
                return stack(rng, a, b);
            }
            let mut parts = parts;
            let i = rng.below(parts.len());
            let j = parts
                .iter()
                .position(|(n, _)| n == "word/document.xml")
                .filter(|_| rng.below(3) > 0)
                .unwrap_or(i);
            mutate_markup(rng, &mut parts[j].1);
            rezip(&parts)
        },
        |d| lint_read("r.docx", input::docx::read(d, "docx", &limits())),
    );
}

#[test]
fn html_reader_never_panics() {
    let seeds = seeds(&[
        "fixtures/inputs/qingshan.html",
        "fixtures/rules/unreadable-file/bad-deep-nesting.html",
    ]);
    campaign(
        "html",
        iters(),
        &seeds,
        |rng, a, b| {
            let mut d = a.to_vec();
            if rng.below(2) == 0 {
                mutate_markup(rng, &mut d);
            } else {
                for _ in 0..=rng.below(6) {
                    mutate_bytes(rng, &mut d, b);
                }
            }
            d
        },
        |d| lint_read("r.html", input::html::read(d, &Limits::default())),
    );
}

#[test]
fn pdf_reader_never_panics() {
    let seeds = seeds(&[
        "fixtures/inputs/qingshan.pdf",
        "fixtures/inputs/qingshan-libreoffice.pdf",
        "fixtures/rules/unreadable-file/bad-encrypted.pdf",
        "fixtures/rules/no-text-layer/bad-scan.pdf",
        "fixtures/rules/no-text-layer/ok.pdf",
    ]);
    campaign("pdf", iters(), &seeds, stack, |d| {
        lint_read("r.pdf", input::pdf::read(d, &limits()))
    });
}

#[test]
fn format_detection_and_text_readers_never_panic() {
    let seeds = seeds(&[
        "fixtures/inputs/qingshan.md",
        "fixtures/reports/2021-qingshan-transport.txt",
        "fixtures/rules/unreadable-file/bad-undecodable.txt",
        "fixtures/rules/unreadable-file/bad-binary.txt",
        "fixtures/rules/unreadable-file/bad-renamed-doc.docx",
        "fixtures/rules/unreadable-file/bad-photo.png",
        "fixtures/rules/unreadable-file/bad-format.ofd",
    ]);
    let names = [
        "r.txt", "r.md", "r.docx", "r.html", "r.pdf", "r.doc", "r.wps", "r.ofd", "r",
    ];
    campaign("read", iters(), &seeds, stack, |d| {
        for n in names {
            let _ = input::read(n, d, &limits());
        }
    });
}

#[test]
fn the_whole_pipeline_never_panics() {
    let rules = RuleSet::builtin().expect("rules");
    let seeds = seeds(&[
        "fixtures/inputs/qingshan.md",
        "fixtures/reports/2021-qingshan-transport.txt",
        "fixtures/reports/2021-hongshi-out-of-order.md",
        "fixtures/rules/heading-numbering/bad-run-gap.txt",
        "fixtures/rules/invalid-contact-info/bad-numbers.md",
    ]);
    campaign("lint", iters(), &seeds, stack, |d| {
        let _ = nblint::lint_source("r.md", d, &rules, &nblint::Options::default());
    });
}

#[test]
fn the_rule_loader_never_panics() {
    let dir = std::env::temp_dir().join(format!("nblint-fuzz-smoke-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let mut paths: Vec<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            p.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    paths.sort();
    paths.push("rules/templates/format-2021.toml".into());
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let seeds = seeds(&refs);
    // Loading compiles all built-in rules each time: fewer, slower iterations.
    campaign("rules", iters() / 4, &seeds, stack, |d| {
        let Ok(text) = std::str::from_utf8(d) else {
            return;
        };
        let template = text.contains("[[sections]]");
        let (file, other) = if template {
            (dir.join("templates/fuzz.toml"), dir.join("fuzz.toml"))
        } else {
            (dir.join("fuzz.toml"), dir.join("templates/fuzz.toml"))
        };
        let _ = std::fs::remove_file(other);
        std::fs::write(&file, text).unwrap();
        let _ = RuleSet::load(std::slice::from_ref(&dir));
    });
    let _ = std::fs::remove_dir_all(&dir);
}
