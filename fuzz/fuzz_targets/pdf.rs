//! The PDF reader on arbitrary bytes, without the panic guard: any panic, in our content
//! interpreter and layout or in lopdf, is a finding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::input::{Limits, pdf};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    let _ = pdf::read(data, &limits);
});
