//! Which walked files are not reports: `exclude` / `extend-exclude` in nblint.toml and
//! `--exclude` / `--extend-exclude` on the command line, with ruff's meaning.
//!
//! - `exclude` replaces the default list ([`DEFAULT`]: a folder's README, CHANGELOG and the
//!   like, which are Markdown but not reports); `extend-exclude` adds to it. The command
//!   line's `--exclude` replaces the configuration's `exclude`, `--extend-exclude` adds.
//! - A pattern is a glob as in .gitignore: one without `/` matches a file or directory name
//!   at any depth (`草稿`, `*.bak.md`); one with `/` matches a path relative to the
//!   configuration file's directory (the working directory for the command line), and a
//!   directory matched excludes everything under it (`2019/附件`).
//! - Exclusion applies to files found by walking a directory. A file named on the command
//!   line is checked anyway, unless `--force-exclude` (or `force-exclude = true`) is given:
//!   pre-commit passes every changed file by name, so its hook uses `--force-exclude`.
//!
//! Excluded files are counted in the summary line, so that nothing is skipped silently.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// Excluded by default: documents that sit next to reports in a repository but are not
/// reports. Matched by name, ignoring case.
pub(crate) const DEFAULT: &[&str] = &[
    "README*",
    "CHANGELOG*",
    "CHANGES*",
    "HISTORY*",
    "CONTRIBUTING*",
    "CODE_OF_CONDUCT*",
    "SECURITY*",
    "AUTHORS*",
    "LICENSE*",
    "LICENCE*",
    "COPYING*",
    "NOTICE*",
    "node_modules",
];

/// A compiled list of patterns relative to one directory.
#[derive(Clone, Debug)]
pub(crate) struct Excludes {
    base: PathBuf,
    set: GlobSet,
    patterns: usize,
    last_dir: LastDir,
}

/// The directory last asked about (relative, `/`-separated) and whether it or a directory
/// above it matched. Files come in walk order, so most share their directory with the file
/// before: each directory's prefixes are matched once, not once per file.
#[derive(Debug, Default)]
struct LastDir(std::sync::Mutex<Option<(String, bool)>>);

impl Clone for LastDir {
    fn clone(&self) -> Self {
        LastDir::default()
    }
}

impl Excludes {
    /// Compiles `patterns` relative to the absolute directory `base`. The error names the
    /// first bad pattern.
    pub(crate) fn new<S: AsRef<str>>(
        patterns: &[S],
        base: &Path,
        case_insensitive: bool,
    ) -> Result<Excludes, (usize, String)> {
        let mut b = GlobSetBuilder::new();
        for (i, p) in patterns.iter().enumerate() {
            let raw = p.as_ref();
            let t = raw.trim().trim_start_matches("./").trim_end_matches('/');
            if t.is_empty() {
                return Err((
                    i,
                    "empty pattern; write e.g. \"README.md\" or \"草稿/**\"".into(),
                ));
            }
            let full = if t.contains('/') {
                t.trim_start_matches('/').to_owned()
            } else {
                format!("**/{t}")
            };
            let g = GlobBuilder::new(&full)
                .literal_separator(true)
                .case_insensitive(case_insensitive)
                .build()
                .map_err(|e| (i, format!("bad glob `{raw}`: {}", e.kind())))?;
            b.add(g);
        }
        let set = b.build().map_err(|e| (0, e.to_string()))?;
        Ok(Excludes {
            base: base.to_path_buf(),
            set,
            patterns: patterns.len(),
            last_dir: LastDir::default(),
        })
    }

    /// The default list ([`DEFAULT`]), relative to `base`.
    pub(crate) fn default_for(base: &Path) -> Excludes {
        Excludes::new(DEFAULT, base, true).expect("the default patterns are valid globs")
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.patterns == 0
    }

    /// Whether `path` (as walked; made absolute lexically) or a directory above it, below
    /// the base, matches a pattern. Paths outside the base are matched by their names only.
    pub(crate) fn matches(&self, path: &Path) -> bool {
        if self.is_empty() {
            return false;
        }
        let abs = crate::paths::lexical_absolute(path);
        let rel = abs.strip_prefix(&self.base).unwrap_or_else(|_| {
            // Outside the base: only name patterns (`**/x`) can match; try the file name
            // and its parent directories' names as if they were relative.
            abs.strip_prefix("/").unwrap_or(&abs)
        });
        let rel = rel.to_string_lossy().replace('\\', "/");
        // Every prefix that ends at a `/` (the directories, remembered for the next file),
        // then the whole path.
        let dir = rel.rfind('/').map_or("", |i| &rel[..i]);
        self.dir_matches(dir) || (!rel.is_empty() && self.set.is_match(rel.as_str()))
    }

    /// Whether the directory `dir` or one above it matches.
    fn dir_matches(&self, dir: &str) -> bool {
        if dir.is_empty() {
            return false;
        }
        let mut last = self.last_dir.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((d, m)) = last.as_ref()
            && d == dir
        {
            return *m;
        }
        let m = dir
            .match_indices('/')
            .map(|(i, _)| &dir[..i])
            .chain(std::iter::once(dir))
            .any(|prefix| !prefix.is_empty() && self.set.is_match(prefix));
        *last = Some((dir.to_owned(), m));
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(p: &[&str]) -> Excludes {
        Excludes::new(p, Path::new("/repo"), false).unwrap()
    }

    #[test]
    fn names_match_at_any_depth_and_paths_from_the_base() {
        let e = ex(&["草稿", "*.bak.md", "2019/附件"]);
        assert!(e.matches(Path::new("/repo/草稿/a.md")));
        assert!(e.matches(Path::new("/repo/2020/草稿/a.docx")));
        assert!(e.matches(Path::new("/repo/x/old.bak.md")));
        assert!(e.matches(Path::new("/repo/2019/附件/表.docx")));
        assert!(!e.matches(Path::new("/repo/2020/附件/表.docx")));
        assert!(!e.matches(Path::new("/repo/2019/报告.docx")));
        assert!(!e.matches(Path::new("/repo/草稿箱.md")));
    }

    #[test]
    fn a_remembered_directory_gives_the_same_answers() {
        // Files of one directory one after another, then another directory, then back: the
        // remembered directory must never answer for another one.
        let e = ex(&["2019/附件", "草稿"]);
        let paths = [
            ("/repo/2019/附件/a.md", true),
            ("/repo/2019/附件/b.md", true),
            ("/repo/2019/附件", true),
            ("/repo/2019/b.md", false),
            ("/repo/2019/附件x/c.md", false),
            ("/repo/草稿/d.md", true),
            ("/repo/2019/附件/e.md", true),
            ("/repo/f.md", false),
            ("/repo/草稿", true),
        ];
        for _ in 0..2 {
            for (p, want) in paths {
                assert_eq!(e.matches(Path::new(p)), want, "{p}");
                assert_eq!(
                    ex(&["2019/附件", "草稿"]).matches(Path::new(p)),
                    want,
                    "{p}"
                );
            }
        }
    }

    #[test]
    fn defaults_ignore_case() {
        let e = Excludes::default_for(Path::new("/repo"));
        assert!(e.matches(Path::new("/repo/README.md")));
        assert!(e.matches(Path::new("/repo/sub/readme.md")));
        assert!(e.matches(Path::new("/repo/CHANGELOG.md")));
        assert!(!e.matches(Path::new("/repo/2021年报.md")));
    }

    #[test]
    fn bad_patterns_are_named() {
        let e = Excludes::new(&["ok", "a[b"], Path::new("/r"), false).unwrap_err();
        assert_eq!(e.0, 1);
        assert!(e.1.contains("a[b"), "{e:?}");
        assert!(Excludes::new(&[" "], Path::new("/r"), false).is_err());
    }
}
