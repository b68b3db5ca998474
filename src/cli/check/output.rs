//! What `nblint check` writes besides the findings: the words for a file that cannot be
//! written, whether `--color auto` colours, and the progress line.

use crate::diagnostic::Lang;
use std::io::Write;
use std::path::Path;

/// "Cannot write FILE: why", in the user's language.
pub(in crate::cli) fn cannot_write(lang: Lang, path: &Path, e: &std::io::Error) -> String {
    match lang {
        Lang::Zh => format!("无法写入 {}：{}", path.display(), io_words(e)),
        Lang::En => format!("cannot write {}: {e}", path.display()),
    }
}

/// An I/O error in Chinese words (the system's text follows in brackets).
pub(super) fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个目录",
        K::NotADirectory => "路径中有一部分不是目录",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统只读",
        _ => return format!("{e}"),
    };
    format!("{words}（{e}）")
}

/// Whether `--color auto` colours: `FORCE_COLOR` or `CLICOLOR_FORCE` (set, not empty or `0`)
/// force it, even into a pipe (CI logs that render colour); otherwise `NO_COLOR` (set and
/// not empty) or `TERM=dumb` turn it off; otherwise colour when writing to a terminal.
pub(super) fn auto_color(terminal: bool, get: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| get(k).is_some_and(|v| !v.is_empty() && v != "0");
    if set("FORCE_COLOR") || set("CLICOLOR_FORCE") {
        return true;
    }
    if get("NO_COLOR").is_some_and(|v| !v.is_empty()) || get("TERM").as_deref() == Some("dumb") {
        return false;
    }
    terminal
}

/// A progress line on standard error for long runs, when standard error is a terminal:
/// `检查中 1234/10000`, redrawn at most five times a second and cleared at the end, so that
/// nothing of it stays in a log.
pub(super) struct Progress {
    total: usize,
    done: usize,
    lang: Lang,
    on: bool,
    shown: bool,
    last: std::time::Instant,
}

impl Progress {
    /// Runs of fewer files finish before a progress line would help.
    const MIN_FILES: usize = 200;

    pub(super) fn new(total: usize, lang: Lang, allowed: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            done: 0,
            lang,
            on: allowed && total >= Self::MIN_FILES && std::io::stderr().is_terminal(),
            shown: false,
            last: std::time::Instant::now(),
        }
    }

    pub(super) fn tick(&mut self, err: &mut dyn Write) {
        self.done += 1;
        if !self.on || self.last.elapsed() < std::time::Duration::from_millis(200) {
            return;
        }
        self.last = std::time::Instant::now();
        self.shown = true;
        let word = self.lang.pick("检查中", "checking");
        let _ = write!(err, "\r{word} {}/{}", self.done, self.total);
        let _ = err.flush();
    }

    pub(super) fn clear(&mut self, err: &mut dyn Write) {
        if self.shown {
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}
