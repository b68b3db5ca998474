//! nblint: a linter for Chinese government information disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! ```text
//! bytes ──read──▶ Document ──parse──▶ Report ──check──▶ Diagnostics ──emit──▶ human | short | json | jsonl
//!        (input/)          (report/)        (checks/ + rules/*.toml)     (emit/)
//! ```
//!
//! The library never prints; [`cli`] is a thin adapter over [`engine`].

#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod baseline;
pub mod checks;
pub mod cli;
pub(crate) mod config;
pub(crate) mod cross;
pub(crate) mod dates;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod engine;
pub(crate) mod exclude;
pub(crate) mod hash;
pub mod input;
// The language server needs threads and standard input; the WebAssembly page has neither.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod lsp;
pub(crate) mod outfile;
pub(crate) mod paths;
pub(crate) mod position;
pub mod report;
pub mod rule;
pub(crate) mod template;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod text;

pub use diagnostic::{Diagnostic, Lang, Severity};
pub use engine::{FileReport, Options, lint_source};
pub use rule::RuleSet;

/// The layers: no top-level module reaches, through `crate::` paths, a module that reaches
/// back to it (issue 15 removed the last circles: checks ↔ rule, emit ↔ engine,
/// report ↔ template, dates → report, config ↔ exclude, cli ↔ lsp). Unit tests are left
/// out (`tests.rs` files and `#[cfg(test)] mod tests`), since a test may use anything.
#[cfg(test)]
mod layering {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src/ is readable") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// `crate::<name>` paths in the code (not in comments), one name each.
    fn crate_paths(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (i, _) in code.match_indices("crate::") {
                let name: String = code[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
        out
    }

    #[test]
    fn no_import_circles_between_top_level_modules() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in files {
            let rel = f.strip_prefix(&src).expect("under src/");
            let top = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .expect("a name")
                .trim_end_matches(".rs")
                .to_owned();
            if top == "lib" || top == "main" || f.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&f).expect("readable source");
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            let entry = deps.entry(top.clone()).or_default();
            entry.extend(crate_paths(code).into_iter().filter(|m| *m != top));
        }
        assert!(deps.len() > 15, "found the modules: {:?}", deps.keys());
        // A path back from `to` to `from` closes a circle.
        let reaches = |from: &str, to: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.to_owned()];
            while let Some(m) = stack.pop() {
                if m == to {
                    return true;
                }
                if seen.insert(m.clone())
                    && let Some(next) = deps.get(&m)
                {
                    stack.extend(next.iter().cloned());
                }
            }
            false
        };
        let mut circles = Vec::new();
        for (m, next) in &deps {
            for n in next {
                if reaches(n, m) {
                    circles.push(format!("{m} → {n} → … → {m}"));
                }
            }
        }
        assert!(circles.is_empty(), "import circles: {circles:#?}");
    }

    #[test]
    fn crate_paths_skip_comments() {
        let found =
            crate_paths("use crate::report::Report; // see crate::engine\nx(crate::text::digit)");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec!["report".to_owned(), "text".to_owned()]
        );
    }
}
