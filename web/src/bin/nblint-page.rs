//! Writes the browser page: `nblint-page <module.wasm> <nblint.html>` (run by web/build.sh).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let [wasm, out] = args.as_slice() else {
        eprintln!("usage: nblint-page <nblint_web.wasm> <nblint.html>");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(wasm) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("nblint-page: cannot read {}: {e}", wasm.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let gz = match gz.write_all(&bytes).and_then(|()| gz.finish()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("nblint-page: {e}");
            return ExitCode::from(2);
        }
    };
    let page = nblint::emit::html::page(&gz);
    if let Err(e) = std::fs::write(out, page.as_bytes()) {
        eprintln!("nblint-page: cannot write {}: {e}", out.to_string_lossy());
        return ExitCode::from(2);
    }
    println!(
        "{}: {} bytes (WebAssembly {} bytes, gzipped {})",
        out.to_string_lossy(),
        page.len(),
        bytes.len(),
        gz.len()
    );
    ExitCode::SUCCESS
}
