//! Times each reader in-process on one file: `cargo run --release --example time_readers -- FILE [N]`.
use nblint::input::{Limits, read};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("file");
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let bytes = std::fs::read(&path).expect("read");
    let rules = nblint::RuleSet::builtin().expect("rules");
    let t = Instant::now();
    for _ in 0..n {
        let d = read(&path, &bytes, &Limits::default()).expect("readable");
        std::hint::black_box(d);
    }
    let read_s = t.elapsed().as_secs_f64() / n as f64;
    let t = Instant::now();
    for _ in 0..n {
        let r = nblint::lint_source(&path, &bytes, &rules, &nblint::Options::default());
        std::hint::black_box(r);
    }
    let lint_s = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "{path}: read {:.3} ms, read+check {:.3} ms",
        read_s * 1e3,
        lint_s * 1e3
    );
}
