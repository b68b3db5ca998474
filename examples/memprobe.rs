//! Checks one file in this process with the system allocator, so that
//! `valgrind --tool=massif` can attribute the peak memory to the code that allocated it
//! (the nblint binary uses mimalloc, which massif does not see):
//!
//! ```sh
//! cargo build --release --example memprobe
//! valgrind --tool=massif --depth=6 target/release/examples/memprobe report.txt
//! ms_print massif.out.* | less
//! ```

use nblint::input::{Limits, read};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memprobe FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("the file can be read");
    let rules = nblint::RuleSet::builtin().expect("the built-in rules load");
    let limits = Limits {
        max_file_bytes: 1 << 30,
        ..Limits::default()
    };
    let doc = read(&path, &bytes, &limits).expect("the file is a report");
    drop(bytes);
    let r = nblint::engine::lint_document(&path, doc, &rules, &nblint::Options::default());
    println!("{} finding(s)", r.diagnostics.len());
}
