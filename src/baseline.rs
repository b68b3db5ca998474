//! Baselines: accept the findings of today so that CI reports only new ones.
//!
//! `--write-baseline FILE` records every finding as (path, rule code, fingerprint) with a
//! count; `--baseline FILE` then drops, per key, as many findings as were recorded and keeps
//! the rest. Line numbers are not part of the key, so editing other parts of a report does
//! not bring accepted findings back; the fingerprint says what was found (the text of a
//! placeholder, the missing section's title, the dates of a late report), with white space
//! removed. Paths are stored relative to the baseline file's directory, so the file works
//! from any working directory. The file is JSON, sorted, with the message of each finding for
//! people reviewing it (the message is not part of the key).

use crate::engine::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Version of the baseline file format.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    code: String,
    name: String,
    fingerprint: String,
    count: usize,
    message: String,
}

type Key = (String, String, String);

fn absolute_dir(file: &Path) -> PathBuf {
    let abs = crate::config::lexical_absolute(file);
    abs.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn key_path(dir: &Path, path: &str) -> String {
    let p = Path::new(path);
    let rel = if path == "<stdin>" {
        p.to_path_buf()
    } else {
        let abs = crate::config::lexical_absolute(p);
        abs.strip_prefix(dir)
            .map_or(p.to_path_buf(), Path::to_path_buf)
    };
    rel.to_string_lossy()
        .replace('\\', "/")
        .trim_start_matches("./")
        .to_owned()
}

fn key_fingerprint(f: &str) -> String {
    f.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Findings recorded by `--write-baseline`.
pub(crate) struct Recorder {
    dir: PathBuf,
    entries: BTreeMap<Key, (usize, String, String)>,
}

impl Recorder {
    /// A recorder for a baseline to be written to `file`.
    pub(crate) fn new(file: &Path) -> Recorder {
        Recorder {
            dir: absolute_dir(file),
            entries: BTreeMap::new(),
        }
    }

    pub(crate) fn record(&mut self, f: &FileReport) {
        let path = key_path(&self.dir, &f.path);
        for d in &f.diagnostics {
            let e = self
                .entries
                .entry((
                    path.clone(),
                    d.code.clone(),
                    key_fingerprint(&d.fingerprint),
                ))
                .or_insert_with(|| (0, d.name.clone(), d.message.clone()));
            e.0 += 1;
        }
    }

    /// Number of findings recorded.
    pub(crate) fn len(&self) -> usize {
        self.entries.values().map(|e| e.0).sum()
    }

    /// The baseline file's text.
    pub(crate) fn to_json(&self) -> String {
        let file = File {
            version: VERSION,
            tool: "nblint".to_owned(),
            findings: self
                .entries
                .iter()
                .map(
                    |((path, code, fingerprint), (count, name, message))| Entry {
                        path: path.clone(),
                        code: code.clone(),
                        name: name.clone(),
                        fingerprint: fingerprint.clone(),
                        count: *count,
                        message: message.clone(),
                    },
                )
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A loaded baseline: the findings to drop.
pub(crate) struct Baseline {
    dir: PathBuf,
    left: HashMap<Key, usize>,
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong with it.
    pub(crate) fn load(file: &Path) -> Result<Baseline, String> {
        let text =
            crate::input::file::read_text_limited(file, crate::input::file::MAX_BASELINE_BYTES)
                .map_err(|e| {
                    format!(
                        "无法读取基线文件 {}：{e} (cannot read the baseline)",
                        file.display()
                    )
                })?;
        Baseline::parse(file, &text)
    }

    pub(crate) fn parse(file: &Path, text: &str) -> Result<Baseline, String> {
        let f: File = serde_json::from_str(text)
            .map_err(|e| {
                format!(
                    "{} 不是 nblint 的基线文件：{e}；请用 --write-baseline 重新生成 (not an nblint baseline)",
                    file.display()
                )
            })?;
        if f.version != VERSION {
            return Err(format!(
                "{}：基线文件版本 {} 不受支持（本版 nblint 写的是第 {VERSION} 版）；请用 --write-baseline 重新生成 (baseline version not supported)",
                file.display(),
                f.version
            ));
        }
        let mut left = HashMap::new();
        for e in f.findings {
            *left
                .entry((e.path, e.code, key_fingerprint(&e.fingerprint)))
                .or_insert(0) += e.count;
        }
        Ok(Baseline {
            dir: absolute_dir(file),
            left,
        })
    }

    /// Drops the findings of `f` that the baseline accepts; returns how many were dropped.
    pub(crate) fn filter(&mut self, f: &mut FileReport) -> usize {
        if f.diagnostics.is_empty() {
            return 0;
        }
        let path = key_path(&self.dir, &f.path);
        let before = f.diagnostics.len();
        f.diagnostics.retain(|d| {
            let key = (
                path.clone(),
                d.code.clone(),
                key_fingerprint(&d.fingerprint),
            );
            match self.left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - f.diagnostics.len()
    }
}
