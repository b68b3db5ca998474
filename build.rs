//! Embeds every file under `rules/` (rules and templates) in the binary, so that nblint needs
//! nothing at run time. The list is generated so that adding a rule file needs no Rust.

use std::fmt::Write as _;

// The same split as at run time (see that file's documentation).
#[path = "src/checks/pattern_groups.rs"]
#[allow(dead_code)]
mod pattern_groups;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Built-in rule and template files: (path under rules/, contents).\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&rules).expect("under rules/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("builtin_rules.rs"), code).expect("write generated file");
    std::fs::write(
        out_dir.join("pattern_groups.rs"),
        pattern_groups_code(&files),
    )
    .expect("write generated file");
}

/// `PATTERN_GROUPS`: for each built-in `[check.pattern]` rule, its pattern list and how
/// `pattern_groups::groups` splits it, so that loading the rule need not work it out.
fn pattern_groups_code(files: &[PathBuf]) -> String {
    let mut code = String::from(
        "/// (patterns of a built-in rule, their split into (line_start, patterns) groups).\n\
         #[allow(clippy::type_complexity)]\n\
         static PATTERN_GROUPS: &[(&[&str], &[(bool, &[&str])])] = &[\n",
    );
    for f in files {
        let text = std::fs::read_to_string(f).expect("read rule file");
        let Ok(value) = text.parse::<toml::Table>() else {
            continue; // the loader reports it
        };
        let Some(list) = value
            .get("check")
            .and_then(|c| c.get("pattern"))
            .and_then(|p| p.get("patterns"))
            .and_then(|p| p.as_array())
        else {
            continue;
        };
        let pats: Vec<&str> = list.iter().filter_map(|v| v.as_str()).collect();
        if pats.len() != list.len()
            || pats
                .iter()
                .any(|p| regex_syntax::Parser::new().parse(p).is_err())
        {
            continue;
        }
        let groups = pattern_groups::groups(&pats);
        write!(code, "    (&{pats:?}, &[").expect("write to string");
        for (line_start, g) in &groups {
            write!(code, "({line_start}, &{g:?}), ").expect("write to string");
        }
        code.push_str("]),\n");
    }
    code.push_str("];\n");
    code
}
