//! The Word reader on arbitrary bytes, without the panic guard of `input::read`: any
//! panic, in our code or in zip/quick-xml, is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::input::{Limits, docx};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    let _ = docx::read(data, "docx", &limits);
});
