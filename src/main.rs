// mimalloc: the run makes many small short-lived allocations on every thread (lines,
// headings, numbers, cells); glibc's allocator took about a fifth of the time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc through its plain `malloc` entry points. The `mimalloc` crate's allocator calls
/// `mi_malloc_aligned` for every allocation, whatever the alignment; that path tries the
/// aligned fast path and checks the block it got, about twice the instructions of
/// `mi_malloc` (a run allocates some 500 times per report: 2.6% of all instructions went to
/// it). Like the standard library's `System` allocator on Unix, an alignment of at most 16
/// that is not larger than the size is left to `malloc`, which C requires to be aligned for
/// any object of that size (mimalloc keeps every block of 16 bytes or more 16-aligned); a
/// larger alignment still goes to the aligned entry points.
#[cfg(not(target_arch = "wasm32"))]
struct Mimalloc;

#[cfg(not(target_arch = "wasm32"))]
impl Mimalloc {
    /// What `malloc` guarantees by itself (see the type's doc).
    const MALLOC_ALIGN: usize = 16;

    fn plain(align: usize, size: usize) -> bool {
        align <= Self::MALLOC_ALIGN && align <= size
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(unsafe_code)] // the allocator; the library itself forbids unsafe code
// SAFETY: every pointer comes from mimalloc and goes back to it; the alignment asked for is
// honoured either by `malloc`'s own guarantee (`plain`) or by the aligned entry points.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: see the impl.
        unsafe {
            if Self::plain(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: see the impl.
        unsafe {
            if Self::plain(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        // SAFETY: see the impl.
        unsafe {
            if Self::plain(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

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

    /// Every alignment is honoured, on both sides of the `malloc` boundary (`plain`): small
    /// blocks with large alignments, 16-aligned blocks of every size class up to a page,
    /// growing and shrinking in place or by moving, zeroed blocks. The test binary's own
    /// allocator is the system's, so this calls the nblint allocator directly.
    #[test]
    #[allow(unsafe_code)]
    fn every_alignment_is_honoured() {
        use std::alloc::{GlobalAlloc, Layout};
        let a = super::Mimalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=300).chain([1000, 4095, 4096, 70_000]) {
                let layout = Layout::from_size_align(size, align).expect("layout");
                // SAFETY: a non-zero size; each block is written within its size, checked,
                // grown or shrunk with its own layout, and freed once.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "alloc {size} aligned {align}");
                    p.write_bytes(0xA5, size);
                    let new_size = if size % 2 == 0 {
                        size * 3
                    } else {
                        size / 2 + 1
                    };
                    let q = a.realloc(p, layout, new_size);
                    assert_eq!(
                        q as usize % align,
                        0,
                        "realloc {size}->{new_size} by {align}"
                    );
                    let kept = size.min(new_size);
                    assert!(
                        std::slice::from_raw_parts(q, kept)
                            .iter()
                            .all(|&b| b == 0xA5)
                    );
                    a.dealloc(q, Layout::from_size_align(new_size, align).expect("layout"));
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "zeroed {size} aligned {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
