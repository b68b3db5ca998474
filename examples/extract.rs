//! Prints the text nblint extracts from a file (Word, web page, PDF, text), with the
//! locations in words and the table grids, for looking at what a reader produced:
//!
//! ```sh
//! cargo run --example extract -- fixtures/inputs/qingshan.pdf
//! ```

use nblint::input::{Limits, read};

fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        match read(&path, &bytes, &Limits::default()) {
            Ok(doc) => {
                println!(
                    "== {path} ({}, {}, {} grids, {} loci)",
                    doc.format.as_str(),
                    doc.encoding,
                    doc.grids.len(),
                    doc.loci.len()
                );
                println!("{}", doc.text);
                if std::env::var_os("EXTRACT_LOCI").is_some() {
                    for l in &doc.loci {
                        let t: String = doc.text[l.span.clone()].chars().take(20).collect();
                        println!("{:>6}..{:<6} {}  {t}", l.span.start, l.span.end, l.zh);
                    }
                }
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(2);
    }
}
