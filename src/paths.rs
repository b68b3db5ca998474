//! Path helpers that configuration, exclusion and output share (ground floor: std only).

use std::path::{Path, PathBuf};

/// The absolute form of a path with `.` and `..` resolved lexically (symbolic links are
/// not followed), so that `../base.json` and `repo/x.md` can be compared.
pub(crate) fn lexical_absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
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
