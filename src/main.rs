// mimalloc: the run makes many small short-lived allocations on every thread (lines,
// headings, numbers, cells); glibc's allocator took about a fifth of the time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;

fn main() {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let code = {
        let mut out = stdout.lock();
        let mut err = std::io::stderr().lock();
        nblint::cli::run(std::env::args_os(), &mut out, &mut err, tty)
    };
    #[cfg(windows)]
    pause_in_own_console();
    std::process::exit(code);
}

/// A clerk who double-clicks nblint.exe, or drops a report on it, gets a console window that
/// Windows closes as soon as nblint exits, before anything can be read. When nblint is the
/// only process attached to its console (so no shell opened it), wait for Enter first.
#[cfg(windows)]
#[allow(unsafe_code)] // one Win32 call; the library itself forbids unsafe code
fn pause_in_own_console() {
    let mut ids = [0u32; 4];
    // SAFETY: the buffer is valid for `ids.len()` process ids, as the call requires.
    let attached =
        unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(ids.as_mut_ptr(), 4) };
    let stdin = std::io::stdin();
    if nblint::cli::should_pause(attached, stdin.is_terminal()) {
        eprint!("{}", nblint::cli::pause_prompt());
        let mut line = String::new();
        let _ = stdin.read_line(&mut line);
    }
}
