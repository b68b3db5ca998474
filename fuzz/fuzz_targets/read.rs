//! Format detection and every reader behind `input::read` (plain text, Markdown and the
//! encodings included). The first byte picks the file name the bytes come with.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::input::{Limits, read};

const NAMES: &[&str] = &[
    "r.txt", "r.md", "r.docx", "r.html", "r.pdf", "r.doc", "r.wps", "r.ofd", "r.png", "r",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let _ = read(name, rest, &Limits::default());
});
