//! The web-page reader on arbitrary bytes, without the panic guard.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::input::{Limits, html};

fuzz_target!(|data: &[u8]| {
    let _ = html::read(data, &Limits::default());
});
