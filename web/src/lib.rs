//! nblint for the browser: a tiny C ABI over [`nblint::engine::lint_view`], built as a
//! `wasm32-unknown-unknown` module and inlined into `nblint.html` (see `web/build.sh`).
//!
//! The page's script (src/emit/web/view.js) copies a file's bytes and name into memory from
//! [`nb_alloc`], calls [`nb_lint`] and reads the JSON it returns ([`nb_result_len`] bytes).
//! No wasm-bindgen: four exported functions need no generated glue, no extra tool to install
//! and no version to keep in step.
//!
//! The module imports nothing: no clock (today's date is an argument), no file system, no
//! threads. A panic cannot unwind on this target; it traps, and the script starts a fresh
//! instance and reports the file as not checked.

use nblint::diagnostic::Lang;
use nblint::engine::lint_view;
use nblint::{Options, RuleSet};
use std::sync::{Mutex, OnceLock};

/// The embedded rules and templates, compiled once.
fn rules() -> Option<&'static RuleSet> {
    static RULES: OnceLock<Option<RuleSet>> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().ok()).as_ref()
}

/// The last result, kept until the next call so the script can copy it out.
static RESULT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Checks one file: `lang` 0 for Chinese, 1 for English; `today` as `YYYYMMDD`. Returns the
/// view's JSON object (`nblint::emit::view::file_json`).
pub fn lint_json(bytes: &[u8], name: &str, today: u32, lang: u32) -> String {
    let Some(rules) = rules() else {
        return "null".to_owned();
    };
    let opts = Options {
        lang: if lang == 1 { Lang::En } else { Lang::Zh },
        ..Options::default()
    };
    lint_view(name, bytes, rules, &opts, today)
}

/// Compiles the embedded rules (a few hundred milliseconds), so that the first file dropped
/// is checked as fast as the next. The page calls it as soon as it has loaded the module.
#[unsafe(no_mangle)]
pub extern "C" fn nb_init() -> u32 {
    u32::from(rules().is_some())
}

/// Allocates `len` bytes for the script to write into; freed by [`nb_lint`].
#[unsafe(no_mangle)]
pub extern "C" fn nb_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Checks the file whose bytes and name the script wrote to memory from [`nb_alloc`] (both
/// are freed here). Returns where the result starts; [`nb_result_len`] gives its length.
///
/// # Safety
/// `ptr`/`len` and `name_ptr`/`name_len` must be allocations made by [`nb_alloc`] with
/// exactly these lengths, fully written.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nb_lint(
    ptr: *mut u8,
    len: usize,
    name_ptr: *mut u8,
    name_len: usize,
    today: u32,
    lang: u32,
) -> *const u8 {
    // SAFETY: the caller passes allocations of `nb_alloc` with their lengths, written in full.
    let (bytes, name) = unsafe {
        (
            Vec::from_raw_parts(ptr, len, len.max(1)),
            Vec::from_raw_parts(name_ptr, name_len, name_len.max(1)),
        )
    };
    let name = String::from_utf8_lossy(&name);
    let json = lint_json(&bytes, &name, today, lang);
    let mut r = RESULT.lock().unwrap_or_else(|e| e.into_inner());
    *r = json.into_bytes();
    r.as_ptr()
}

/// The length of the last result.
#[unsafe(no_mangle)]
pub extern "C" fn nb_result_len() -> usize {
    RESULT.lock().map_or(0, |r| r.len())
}
