// mimalloc: the run makes many small short-lived allocations on every thread (lines,
// headings, numbers, cells); glibc's allocator took about a fifth of the time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    return_freed_memory_at_once();
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

/// `mi_option_purge_delay` in mimalloc 3's mimalloc.h: libmimalloc-sys 0.1.49 builds mimalloc 3
/// and names no constant for it (the test below checks that this option has its default).
#[cfg(not(target_arch = "wasm32"))]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc 3 keeps memory freed in large blocks for a second (`purge_delay`, 1000 ms) before
/// it gives it back to the system. Over a large file that memory is the big vectors left
/// behind each time one doubles: it stayed resident, and the 2,000,000-line file peaked at
/// 422 MB instead of 286 MB (issue 13). Over a folder it is the structures of the reports
/// checked before. So a run that names a folder or a file of 1 MiB or more gives freed memory
/// back at once. A run over a few small files (the pre-commit hook, an editor) keeps the
/// delay: it ends long before a second, and giving back the scratch memory of compiling the
/// rules only to fault it in again costs about 15% more page faults at start-up
/// (docs/performance.md). `MIMALLOC_PURGE_DELAY` in the environment still decides when set.
#[cfg(not(target_arch = "wasm32"))]
#[allow(unsafe_code)] // one allocator option; the library itself forbids unsafe code
fn return_freed_memory_at_once() {
    const LARGE: u64 = 1 << 20;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // Every argument that names something on disk (an option's value too: harmless).
    let large = std::env::args_os()
        .skip(1)
        .any(|a| std::fs::metadata(&a).is_ok_and(|m| m.is_dir() || m.len() >= LARGE));
    if large {
        // SAFETY: `mi_option_set` is not thread safe; this is the first thing `main` does,
        // before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    /// Option 15 is the purge delay: nothing in a test sets it, so it has mimalloc 3's
    /// default, 1000 ms, which no other option of mimalloc 3 has. An upgrade that
    /// renumbers the options fails here instead of setting some other option.
    #[test]
    #[allow(unsafe_code)]
    fn option_15_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option; nothing sets options in the tests.
        let v = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(v, 1000);
    }
}
