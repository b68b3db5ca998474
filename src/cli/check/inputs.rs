//! The inputs of `nblint check`: the first walk ([`plan`]: configurations loaded, files
//! counted, outputs that are inputs refused), the checked walk ([`Jobs`]), the command line's
//! `exclude` patterns ([`Excludes`]) and the files the run writes ([`Outputs`]).

use crate::cli::{CheckArgs, report_config_errors, report_load_warnings};
use crate::config::{self, Config};
use crate::engine::{self, Input, Job, Walk};
use crate::input;
use crate::outfile::FileId;
use crate::rule::LoadError;
use crate::rule::RuleSet;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The configurations of a run: for each distinct nblint.toml, its configuration and the
/// rule set it loads (its `rule-dirs` added to `--rules`). Loaded by [`plan`]; read only
/// afterwards.
pub(super) struct Configs {
    /// Index 0 is "no configuration".
    pub(super) entries: Vec<(Option<Arc<Config>>, usize)>,
    pub(super) rule_sets: Vec<RuleSet>,
}

/// Which configuration applies to an input: `nblint.toml` looked up from the input's
/// directory, cached per directory.
#[derive(Default)]
pub(super) struct Lookup {
    /// Each configuration file loaded (keyed by its absolute path), as an index into
    /// [`Configs::entries`]. One per nblint.toml, not per input.
    by_path: HashMap<PathBuf, usize>,
    /// The configuration file found from a directory: a cache, emptied when it reaches
    /// [`Lookup::DIRS`] directories so that it stays small however big the tree.
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl Lookup {
    const DIRS: usize = 4096;

    /// The configuration file of `input`, `None` for none.
    fn file_of(&mut self, a: &CheckArgs, input: &Input) -> Option<PathBuf> {
        if a.no_config {
            return None;
        }
        if let Some(c) = &a.config {
            return Some(c.clone());
        }
        let cwd = Path::new(".");
        let dir = match input {
            Input::File(p) | Input::Missing(p, _) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(cwd),
            Input::Stdin => cwd,
        };
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        if self.by_dir.len() >= Self::DIRS {
            self.by_dir.clear();
        }
        let found = config::discover(dir);
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn key(path: &Path) -> PathBuf {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    }

    /// The index of the configuration at `path`, loading it (into `configs`) the first time;
    /// a broken one adds to `errors` and counts as none.
    fn load(
        &mut self,
        a: &CheckArgs,
        path: &Path,
        configs: &mut Configs,
        errors: &mut Vec<crate::rule::LoadError>,
    ) -> usize {
        let key = Self::key(path);
        if let Some(&i) = self.by_path.get(&key) {
            return i;
        }
        let i = match config::load(path) {
            Err(mut e) => {
                errors.append(&mut e);
                0
            }
            Ok(parsed) => {
                let set = if parsed.rule_dirs().is_empty() {
                    Ok(0)
                } else {
                    let mut dirs = a.common.rules.clone();
                    dirs.extend(parsed.rule_dirs().iter().cloned());
                    RuleSet::load(&dirs).map(|rs| {
                        configs.rule_sets.push(rs);
                        configs.rule_sets.len() - 1
                    })
                };
                match set {
                    Err(mut e) => {
                        errors.append(&mut e);
                        0
                    }
                    Ok(set) => match parsed.finish(&configs.rule_sets[set]) {
                        Err(mut e) => {
                            errors.append(&mut e);
                            0
                        }
                        Ok(c) => {
                            configs.entries.push((Some(Arc::new(c)), set));
                            configs.entries.len() - 1
                        }
                    },
                }
            }
        };
        self.by_path.insert(key, i);
        i
    }

    /// The index of an input's configuration among those loaded; `None` when its
    /// configuration file was not there when [`plan`] walked (it appeared during the run).
    fn known(&mut self, a: &CheckArgs, input: &Input) -> Option<usize> {
        match self.file_of(a, input) {
            None => Some(0),
            Some(path) => self.by_path.get(&Self::key(&path)).copied(),
        }
    }
}

/// What the first walk found.
pub(super) struct Plan {
    pub(super) configs: Configs,
    /// Files to check (not excluded), or `None` when there was no first walk. nblint's own
    /// outputs are counted too (telling them apart means opening the file).
    pub(super) total: Option<usize>,
}

/// The first walk: loads the configurations, counts the files, looks for outputs that are
/// inputs. `Err` is what to say before exiting with code 2 (config errors already written).
pub(super) fn plan(
    a: &CheckArgs,
    base: RuleSet,
    excludes: &Excludes,
    progress: bool,
    lookup: &mut Lookup,
    err: &mut dyn Write,
) -> anyhow::Result<Result<Plan, Option<String>>> {
    let mut configs = Configs {
        entries: vec![(None, 0)],
        rule_sets: vec![base],
    };
    let mut errors = Vec::new();
    let outputs = match Outputs::of(a) {
        Ok(o) => o,
        Err(msg) => return Ok(Err(Some(msg))),
    };
    if let Some(c) = &a.config {
        lookup.load(a, c, &mut configs, &mut errors);
    }
    let walk = !(a.no_config || a.config.is_some()) || !outputs.0.is_empty() || progress;
    let mut total = None;
    if walk {
        let mut n = 0;
        for input in Walk::new(&a.paths, input::WALKED_EXTENSIONS).keep_own_outputs() {
            if let Some(msg) = outputs.conflict(&input, excludes) {
                return Ok(Err(Some(msg)));
            }
            let ci = match lookup.file_of(a, &input) {
                Some(path) => lookup.load(a, &path, &mut configs, &mut errors),
                None => 0,
            };
            // The total is only shown on the progress line.
            if progress && !excludes.drops(&input, configs.entries[ci].0.as_deref()) {
                n += 1;
            }
        }
        total = progress.then_some(n);
    }
    if let Some(msg) = outputs.reads_config_or_baseline(a) {
        return Ok(Err(Some(msg)));
    }
    if !errors.is_empty() {
        report_config_errors(&errors, err)?;
        return Ok(Err(None));
    }
    // Old spellings in the rule directories of configurations; those of `--rules` were
    // shown when the base set was loaded, and each is shown once.
    // The same file may be named by two paths (`--rules ../r` and `rule-dirs = ["r"]`).
    let key = |w: &LoadError| {
        let path = std::path::Path::new(&w.file);
        (
            path.canonicalize().unwrap_or_else(|_| path.to_owned()),
            w.span.clone(),
        )
    };
    let mut shown: Vec<_> = configs.rule_sets[0].warnings.iter().map(key).collect();
    for set in &configs.rule_sets[1..] {
        for w in &set.warnings {
            if !shown.contains(&key(w)) {
                report_load_warnings(std::slice::from_ref(w), err)?;
                shown.push(key(w));
            }
        }
    }
    Ok(Ok(Plan { configs, total }))
}

/// The checked walk: the inputs with their configurations, excluded files left out, read
/// by the engine's workers one at a time.
pub(super) struct Jobs<'a> {
    pub(super) a: &'a CheckArgs,
    pub(super) walk: Walk<'a>,
    pub(super) lookup: Lookup,
    pub(super) configs: &'a Configs,
    pub(super) excludes: &'a Excludes,
    /// Taken by [`Jobs::peek`] and not handed over yet.
    pub(super) peeked: Option<Job>,
    /// Files left out by `exclude` so far.
    pub(super) excluded: usize,
    /// Why standard input could not be read (it is then reported like a file).
    pub(super) stdin_error: Option<input::ReadError>,
}

impl Jobs<'_> {
    /// The first job, taken ahead (to know whether there is anything to check).
    pub(super) fn peek(&mut self) -> Option<&Job> {
        if self.peeked.is_none() {
            self.peeked = self.find();
        }
        self.peeked.as_ref()
    }

    fn find(&mut self) -> Option<Job> {
        loop {
            let (input, may_be_output) = self.walk.next_found()?;
            let Some(ci) = self.lookup.known(self.a, &input) else {
                // Loading a configuration now could not add its rules to the output
                // (SARIF lists them first), nor stop the run before any output if it is
                // broken: the file is reported instead.
                let path = match input {
                    Input::File(p) | Input::Missing(p, _) => p,
                    Input::Stdin => PathBuf::from("<stdin>"),
                };
                let why = "nblint.toml 是在检查开始后才出现的，这个文件没有检查；请重新运行 (the nblint.toml of this file appeared during the run; run again)";
                return Some(Job {
                    input: Input::Missing(path, Box::new(input::ReadError::Io(why.into()))),
                    profile: 0,
                    may_be_output: false,
                });
            };
            if self
                .excludes
                .drops(&input, self.configs.entries[ci].0.as_deref())
            {
                self.excluded += 1;
                continue;
            }
            return Some(Job {
                input,
                profile: ci,
                may_be_output,
            });
        }
    }
}

impl Iterator for Jobs<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        let mut job = match self.peeked.take() {
            Some(j) => j,
            None => self.find()?,
        };
        if job.input == Input::Stdin
            && let Some(e) = &self.stdin_error
        {
            // Reported like a file that could not be read, under the name `<stdin>`.
            job.input = Input::Missing(PathBuf::from("<stdin>"), Box::new(e.clone()));
        }
        Some(job)
    }
}

/// The `exclude` patterns of the command line (the configurations' are asked per file).
pub(super) struct Excludes {
    cli_exclude: Option<crate::exclude::Excludes>,
    cli_extend: crate::exclude::Excludes,
    defaults: crate::exclude::Excludes,
    /// The paths named on the command line: kept unless `--force-exclude`.
    named: std::collections::HashSet<PathBuf>,
    force_exclude: bool,
    no_force_exclude: bool,
}

impl Excludes {
    pub(super) fn new(a: &CheckArgs) -> Result<Excludes, String> {
        use crate::exclude::Excludes as Patterns;
        let cwd = crate::config::lexical_absolute(Path::new("."));
        let cli = |list: &[String], what: &str| {
            Patterns::new(list, &cwd, false).map_err(|(_, m)| format!("{what}: {m}"))
        };
        Ok(Excludes {
            cli_exclude: a
                .exclude
                .as_deref()
                .map(|l| cli(l, "--exclude"))
                .transpose()?,
            cli_extend: cli(&a.extend_exclude, "--extend-exclude")?,
            defaults: Patterns::default_for(&cwd),
            named: a.paths.iter().cloned().collect(),
            force_exclude: a.force_exclude,
            no_force_exclude: a.no_force_exclude,
        })
    }

    /// Whether `exclude` patterns leave `input` out (see [`crate::exclude`]). Files named on
    /// the command line stay unless `--force-exclude`.
    fn drops(&self, input: &Input, config: Option<&Config>) -> bool {
        let Input::File(path) = input else {
            return false;
        };
        let force = self.force_exclude
            || (!self.no_force_exclude && config.and_then(|c| c.force_exclude).unwrap_or(false));
        if !force && self.named.contains(path) {
            return false;
        }
        let base = self
            .cli_exclude
            .as_ref()
            .or_else(|| config.and_then(|c| c.exclude.as_ref()))
            .unwrap_or(&self.defaults);
        base.matches(path)
            || config.is_some_and(|c| c.extend_exclude.matches(path))
            || self.cli_extend.matches(path)
    }
}

/// The files this run writes that exist already (`-o`, `--write-baseline`): none of them may
/// be a file the run reads, which writing would destroy.
struct Outputs<'a>(Vec<(&'static str, &'a PathBuf, FileId, bool)>);

impl<'a> Outputs<'a> {
    /// The outputs that exist, with whether they have other names (hard links); `Err` when
    /// two outputs are one file (they would overwrite each other).
    fn of(a: &'a CheckArgs) -> Result<Outputs<'a>, String> {
        let outputs = [
            ("-o/--output", &a.output),
            ("--write-baseline", &a.write_baseline),
        ];
        let outputs: Vec<(&str, &PathBuf)> = outputs
            .iter()
            .filter_map(|(flag, p)| p.as_ref().map(|p| (*flag, p)))
            .collect();
        if let [(f1, p1), (f2, p2)] = outputs[..]
            && (p1 == p2 || crate::outfile::same_file(p1, p2))
        {
            return Err(format!(
                "{f1} 和 {f2} 指向同一个文件 {}；请分别指定 ({f1} and {f2} name the same file)",
                p1.display()
            ));
        }
        Ok(Outputs(
            outputs
                .into_iter()
                // A file that does not exist yet cannot be an input.
                .filter_map(|(flag, p)| {
                    let id = FileId::of(p)?;
                    Some((flag, p, id, crate::outfile::has_other_names(p)))
                })
                .collect(),
        ))
    }

    /// Why writing an output would destroy `input`, if it would. Only paths with the same file
    /// name can be the same file, unless the output has other names (a hard link): then every
    /// input is looked at (one metadata call each). A walked file that is nblint's own output
    /// is not an input (`nblint check . -o 结果.txt`, run twice).
    fn conflict(&self, input: &Input, excludes: &Excludes) -> Option<String> {
        let Input::File(p) = input else { return None };
        for (flag, out, id, linked) in &self.0 {
            if !(*linked || p.file_name() == out.file_name()) || FileId::of(p).as_ref() != Some(id)
            {
                continue;
            }
            let ext = input::extension(&p.to_string_lossy());
            if excludes.named.contains(p) || !engine::is_own_output(p, &ext) {
                return Some(Self::message(flag, out, "被检查的报告"));
            }
        }
        None
    }

    /// Why writing an output would destroy the configuration or the baseline, if it would.
    fn reads_config_or_baseline(&self, a: &CheckArgs) -> Option<String> {
        for (flag, out, id, _) in &self.0 {
            let read = a
                .config
                .as_deref()
                .map(|c| (c, "配置文件"))
                .into_iter()
                .chain(
                    a.baseline
                        .as_deref()
                        .filter(|_| *flag != "--write-baseline")
                        .map(|b| (b, "基线文件")),
                );
            for (p, what) in read {
                if FileId::of(p).as_ref() == Some(id) {
                    return Some(Self::message(flag, out, what));
                }
            }
        }
        None
    }

    fn message(flag: &str, out: &Path, what: &str) -> String {
        format!(
            "{flag} {} 是本次要读取的{what}，写入会毁掉它；请把结果写到别的文件 ({flag} names a file this run reads; write the output elsewhere)",
            out.display()
        )
    }
}
