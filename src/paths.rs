//! Path helpers that configuration, exclusion and output share (ground floor: std only).

use std::path::{Path, PathBuf};

/// The absolute form of a path with `.` and `..` resolved lexically (symbolic links are
/// not followed), so that `../base.json` and `repo/x.md` can be compared. A relative path is
/// joined to the working directory, asked of the system once per process (nblint never
/// changes it): exclusion asks this for every walked file.
pub(crate) fn lexical_absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let joined;
    let abs = if p.is_absolute() {
        p
    } else if let Some(cwd) = CWD.get_or_init(|| std::env::current_dir().ok()) {
        joined = cwd.join(p);
        &joined
    } else {
        p
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
