// mimalloc: the run makes many small short-lived allocations on every thread (lines,
// headings, numbers, cells); glibc's allocator took about a fifth of the time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;

fn main() {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let code = nblint::cli::run(std::env::args_os(), &mut out, &mut err, tty);
    std::process::exit(code);
}
