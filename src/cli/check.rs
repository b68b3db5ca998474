//! `nblint check`: finds the inputs and their configurations, runs the engine and streams
//! the chosen output format.
//!
//! The directories are walked twice, and no list of the run's files is ever kept, so memory
//! does not grow with the number of files:
//!
//! 1. A quick walk ([`plan`], which opens no file) finds and loads every configuration the
//!    run needs, so that a broken nblint.toml stops the run before any output, and the SARIF
//!    output can list every rule up front; it also counts the files (for the progress line)
//!    and checks that no output (`-o`, `--write-baseline`) is a file the run reads. It is
//!    skipped when nothing needs it (`--no-config` or `--config`, no output file that exists,
//!    no progress line).
//! 2. The walk that is checked ([`Jobs`]) is read by the engine's workers as they become free
//!    (`engine::lint_stream`): each file found is looked up in the configurations, left out
//!    by `exclude` or handed over, so the first files are checked while the walk goes on.

use super::*;
use crate::engine::Walk;
use crate::outfile::FileId;

/// The configurations of a run: for each distinct nblint.toml, its configuration and the
/// rule set it loads (its `rule-dirs` added to `--rules`). Loaded by [`plan`]; read only
/// afterwards.
struct Configs {
    /// Index 0 is "no configuration".
    entries: Vec<(Option<Arc<Config>>, usize)>,
    rule_sets: Vec<RuleSet>,
}

/// Which configuration applies to an input: `nblint.toml` looked up from the input's
/// directory, cached per directory.
#[derive(Default)]
struct Lookup {
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
struct Plan {
    configs: Configs,
    /// Files to check (not excluded), or `None` when there was no first walk. nblint's own
    /// outputs are counted too (telling them apart means opening the file).
    total: Option<usize>,
}

/// The first walk: loads the configurations, counts the files, looks for outputs that are
/// inputs. `Err` is what to say before exiting with code 2 (config errors already written).
fn plan(
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
            if !excludes.drops(&input, configs.entries[ci].0.as_deref()) {
                n += 1;
            }
        }
        total = Some(n);
    }
    if let Some(msg) = outputs.reads_config_or_baseline(a) {
        return Ok(Err(Some(msg)));
    }
    if !errors.is_empty() {
        report_config_errors(&errors, err)?;
        return Ok(Err(None));
    }
    Ok(Ok(Plan { configs, total }))
}

/// The checked walk: the inputs with their configurations, excluded files left out, read
/// by the engine's workers one at a time.
struct Jobs<'a> {
    a: &'a CheckArgs,
    walk: Walk<'a>,
    lookup: Lookup,
    configs: &'a Configs,
    excludes: &'a Excludes,
    /// Taken by [`Jobs::peek`] and not handed over yet.
    peeked: Option<Job>,
    /// Files left out by `exclude` so far.
    excluded: usize,
    /// Why standard input could not be read (it is then reported like a file).
    stdin_error: Option<input::ReadError>,
}

impl Jobs<'_> {
    /// The first job, taken ahead (to know whether there is anything to check).
    fn peek(&mut self) -> Option<&Job> {
        if self.peeked.is_none() {
            self.peeked = self.find();
        }
        self.peeked.as_ref()
    }

    fn find(&mut self) -> Option<Job> {
        loop {
            let input = self.walk.next()?;
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
                });
            };
            if self
                .excludes
                .drops(&input, self.configs.entries[ci].0.as_deref())
            {
                self.excluded += 1;
                continue;
            }
            return Some(Job { input, profile: ci });
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

pub(super) fn check(
    a: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    tty: bool,
) -> anyhow::Result<i32> {
    let Some(base) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    if let Some(t) = &a.template
        && base.template(t).is_none()
    {
        let names: Vec<&str> = base.templates.iter().map(|t| t.name.as_str()).collect();
        let lang = a.common.lang();
        writeln!(
            err,
            "nblint: {}",
            match lang {
                Lang::Zh => format!("没有名为“{t}”的模板；可用的模板：{}", names.join("、")),
                Lang::En => format!(
                    "unknown template `{t}`; known templates: {}",
                    names.join(", ")
                ),
            }
        )?;
        return Ok(2);
    }
    let lang: Lang = a.common.lang();
    let excludes = match Excludes::new(&a) {
        Ok(e) => e,
        Err(msg) => {
            writeln!(err, "nblint: {msg}")?;
            return Ok(2);
        }
    };
    let progress_possible = {
        use std::io::IsTerminal;
        !a.quiet && std::io::stderr().is_terminal()
    };
    let mut lookup = Lookup::default();
    let Plan { configs, total } =
        match plan(&a, base, &excludes, progress_possible, &mut lookup, err)? {
            Ok(p) => p,
            Err(msg) => {
                if let Some(msg) = msg {
                    writeln!(err, "nblint: {msg}")?;
                }
                return Ok(2);
            }
        };
    let mut jobs = Jobs {
        a: &a,
        walk: Walk::new(&a.paths, input::WALKED_EXTENSIONS),
        lookup,
        configs: &configs,
        excludes: &excludes,
        peeked: None,
        excluded: 0,
        stdin_error: None,
    };
    // Only the first file is looked for now: when there is none, the whole walk is done and
    // `excluded` is final.
    if jobs.peek().is_none() && !a.allow_empty {
        let excluded = jobs.excluded;
        let names: Vec<String> = a.paths.iter().map(|p| p.display().to_string()).collect();
        if excluded > 0 {
            // Everything found was excluded on purpose (pre-commit passing only a README
            // with --force-exclude): nothing to check is not a failure.
            writeln!(
                err,
                "nblint: {excluded} 个文件都按 exclude 排除了，没有要检查的报告 (every file found is excluded)"
            )?;
        } else {
            writeln!(
                err,
                "nblint: 在 {} 中没有找到要检查的报告（.txt .md .html .docx .pdf 等）；请检查路径，或用 --allow-empty 允许空的检查 (no report found; check the path, or pass --allow-empty)",
                names.join("、"),
            )?;
            return Ok(2);
        }
    }
    let cli_body_type = a.body_type.map(|b| match b {
        BodyTypeArg::Township => BodyType::Township,
        BodyTypeArg::Government => BodyType::Government,
        BodyTypeArg::Department => BodyType::Department,
    });
    let cli_fail_on = a.fail_on.map(|f| match f {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
    });
    let profiles: Vec<Profile> = configs
        .entries
        .iter()
        .map(|(c, set)| {
            let mut opts = Options {
                lang,
                read: ReadOptions {
                    template: a.template.clone(),
                    body_type: cli_body_type,
                },
                limits: Limits {
                    max_file_bytes: a.max_file_size,
                    ..Limits::default()
                },
                fail_on: cli_fail_on,
                layout: a.format == Format::Html,
                ..Options::default()
            };
            if let Some(c) = c {
                opts.read.template = opts.read.template.or_else(|| c.report.template.clone());
                opts.read.body_type = opts.read.body_type.or(c.report.body_type);
                opts.agency = c.report.agency.clone();
                opts.deadlines = c.deadlines;
                opts.fail_on = opts.fail_on.or(c.fail_on);
                opts.apply(&c.rules);
                opts.config = Some(c.clone());
            }
            let mut p = Profile::new(&configs.rule_sets[*set], opts);
            p.pinned_template = a.template.is_some();
            p.pinned_body_type = a.body_type.is_some();
            p
        })
        .collect();
    let has_stdin = a.paths.iter().any(|p| p.as_os_str() == "-");
    let stdin = if has_stdin {
        match input::file::read_bounded(std::io::stdin().lock(), a.max_file_size, 0) {
            Ok(buf) => Some(buf),
            Err(e) => {
                jobs.stdin_error = Some(e);
                None
            }
        }
    } else {
        None
    };
    let mut baseline = match &a.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                writeln!(err, "nblint: {e}")?;
                return Ok(2);
            }
        },
        None => None,
    };
    let mut recorder = a.write_baseline.as_deref().map(Recorder::new);
    let to_file = a.output.is_some();
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(!to_file && tty, |k| std::env::var(k).ok()),
    };
    if a.statistics && !matches!(a.format, Format::Human | Format::Short | Format::Json) {
        writeln!(
            err,
            "nblint: {}",
            lang.pick(
                "--statistics 只能和 --format human、short 或 json 一起用",
                "--statistics works with --format human, short or json"
            )
        )?;
        return Ok(2);
    }
    let eo = EmitOptions { lang, color };
    let sets: Vec<&RuleSet> = configs.rule_sets.iter().collect();
    let emitter: Box<dyn Emitter> = match a.format {
        Format::Human => Box::new(emit::human::Human::new(eo)),
        Format::Short => Box::new(emit::short::Short { lang }),
        Format::Json => Box::new(emit::json::Json::new()),
        Format::Jsonl => Box::new(emit::json::Jsonl),
        Format::Sarif => Box::new(emit::sarif::Sarif::new(&sets, lang, &a.paths)),
        Format::Github => Box::new(emit::github::Github { lang }),
        Format::Junit => Box::new(emit::junit::Junit { lang }),
        Format::Html => Box::new(emit::html::Html),
    };
    let threads = match a.threads {
        Some(n) if n > MAX_THREADS => {
            if !a.quiet {
                writeln!(
                    err,
                    "nblint: {}",
                    match lang {
                        Lang::Zh => format!("线程数 {n} 过多，改用 {MAX_THREADS}"),
                        Lang::En => format!("at most {MAX_THREADS} threads are used, not {n}"),
                    }
                )?;
            }
            MAX_THREADS
        }
        Some(n) => n.max(1),
        None => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut file_out = None;
    let sink: &mut dyn Write = match &a.output {
        Some(path) => match crate::outfile::AtomicFile::create(path) {
            Ok(f) => file_out.insert(f),
            Err(e) => {
                writeln!(err, "nblint: {}", cannot_write(lang, path, &e))?;
                return Ok(2);
            }
        },
        None => out,
    };
    let mut summary = Summary::default();
    let mut buffered = std::io::BufWriter::new(sink);
    let emitter: &dyn Emitter = &*emitter;
    let mut stream = Stream::default();
    // The baseline and the recorder look at each file's findings on this thread, in order
    // (the baseline's counts are used up in input order); otherwise the workers count them.
    let keep_report = baseline.is_some() || recorder.is_some();
    // A file the baseline filters is rendered again, from its text.
    let refilter = baseline.is_some();
    let statistics = a.statistics;
    let mut per_rule = emit::statistics::RuleCounts::default();
    let mut progress = Progress::new(total.unwrap_or(0), lang, !a.quiet);
    if !statistics {
        emitter.begin(&mut buffered)?;
    }
    let run = engine::lint_stream(
        &mut jobs,
        &profiles,
        stdin.as_deref(),
        &pool,
        engine::WINDOW,
        crate::cross::MEMORY_RECORDS,
        // On the worker threads: render the output, count, keep only what the sink needs.
        |o| {
            let (f, cross) = match o {
                Output::File(f) => (f, false),
                Output::Cross(f) => (f, true),
            };
            let rendered = (!statistics && (!cross || !f.diagnostics.is_empty()))
                .then(|| emitter.render(&f, cross));
            if keep_report {
                let mut f = f;
                if !refilter {
                    f.text = String::new();
                }
                return Piece {
                    cross,
                    report: Some(f),
                    counts: Summary::default(),
                    rendered,
                    rules: Vec::new(),
                };
            }
            let mut counts = Summary::default();
            if cross {
                counts.add_cross(&f);
            } else {
                counts.add(&f);
            }
            let rules = if statistics {
                rule_list(&f)
            } else {
                Vec::new()
            };
            Piece {
                cross,
                report: None,
                counts,
                rendered,
                rules,
            }
        },
        // On this thread, in input order: baseline, counts, bytes.
        |Piece {
             cross,
             report,
             counts,
             mut rendered,
             rules,
         }| {
            if !cross {
                progress.tick(err);
            }
            for (code, name, sev) in &rules {
                per_rule.add(code, name, *sev);
            }
            let Some(mut f) = report else {
                summary.merge(&counts);
                return rendered.map_or(Ok(()), |r| emitter.emit(&mut stream, &mut buffered, r));
            };
            if let Some(r) = recorder.as_mut() {
                r.record(&f);
            }
            let dropped = baseline.as_mut().map_or(0, |b| b.filter(&mut f));
            if statistics {
                for (code, name, sev) in rule_list(&f) {
                    per_rule.add(&code, &name, sev);
                }
            }
            if cross {
                summary.add_cross(&f);
                if f.diagnostics.is_empty() {
                    return Ok(());
                }
            } else {
                summary.add(&f);
            }
            if dropped > 0 && !statistics {
                // The output was rendered with the findings the baseline accepts.
                rendered = Some(emitter.render(&f, cross));
            }
            rendered.map_or(Ok(()), |r| emitter.emit(&mut stream, &mut buffered, r))
        },
    );
    summary.excluded = jobs.excluded;
    let run = run
        .and_then(|()| {
            progress.clear(err);
            // Human, short and GitHub end with the summary line only.
            let summary_only = matches!(a.format, Format::Human | Format::Short | Format::Github);
            if statistics {
                if a.format == Format::Json {
                    per_rule.write_json(&mut buffered)
                } else {
                    per_rule.write_table(&mut buffered, lang)?;
                    if a.quiet {
                        Ok(())
                    } else {
                        emit::human::summary_line(&mut buffered, &summary, lang)
                    }
                }
            } else if a.quiet && summary_only {
                Ok(())
            } else {
                emitter.end(&mut stream, &mut buffered, &summary)
            }
        })
        .and_then(|()| buffered.flush());
    drop(buffered);
    match run {
        Ok(()) => {}
        // Standard output was closed (`nblint check . | head`): stop quietly, with the exit
        // code of what was checked.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && file_out.is_none() => {
            return Ok(exit_code(&summary, a.exit_zero));
        }
        Err(e) => return Err(e.into()),
    }
    if let (Some(f), Some(path)) = (file_out, &a.output)
        && let Err(e) = f.commit()
    {
        writeln!(err, "nblint: {}", cannot_write(lang, path, &e))?;
        return Ok(2);
    }
    if let (Some(r), Some(path)) = (&recorder, &a.write_baseline) {
        if let Err(e) = crate::outfile::write_atomic(path, r.to_json().as_bytes()) {
            writeln!(err, "nblint: {}", cannot_write(lang, path, &e))?;
            return Ok(2);
        }
        if !a.quiet {
            writeln!(
                err,
                "nblint: {}",
                match lang {
                    Lang::Zh => format!("已把 {} 个问题记入基线 {}", r.len(), path.display()),
                    Lang::En => format!("{} finding(s) recorded in {}", r.len(), path.display()),
                }
            )?;
        }
    }
    Ok(exit_code(
        &summary,
        a.exit_zero || a.write_baseline.is_some(),
    ))
}

/// "Cannot write FILE: why", in the user's language.
pub(super) fn cannot_write(lang: Lang, path: &Path, e: &std::io::Error) -> String {
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

/// The rules of a result's findings, for `--statistics`.
fn rule_list(f: &FileReport) -> Vec<(String, String, Severity)> {
    f.diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.name.clone(), d.severity))
        .collect()
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
struct Progress {
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

    fn new(total: usize, lang: Lang, allowed: bool) -> Progress {
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

    fn tick(&mut self, err: &mut dyn Write) {
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

    fn clear(&mut self, err: &mut dyn Write) {
        if self.shown {
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// A checked file (or its findings across reports) with its output rendered on the worker
/// thread.
struct Piece {
    /// Findings across reports (`Output::Cross`).
    cross: bool,
    /// The result, kept when the baseline or the recorder needs its findings (with its text,
    /// for rendering again what the baseline filters).
    report: Option<FileReport>,
    /// Counted on the worker thread when `report` is not kept.
    counts: Summary,
    /// None for findings across reports when there are none.
    rendered: Option<Rendered>,
    /// With `--statistics`, the rules of the findings (counted on this thread).
    rules: Vec<(String, String, Severity)>,
}

/// The `exclude` patterns of the command line (the configurations' are asked per file).
struct Excludes {
    cli_exclude: Option<crate::exclude::Excludes>,
    cli_extend: crate::exclude::Excludes,
    defaults: crate::exclude::Excludes,
    /// The paths named on the command line: kept unless `--force-exclude`.
    named: std::collections::HashSet<PathBuf>,
    force_exclude: bool,
    no_force_exclude: bool,
}

impl Excludes {
    fn new(a: &CheckArgs) -> Result<Excludes, String> {
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

fn exit_code(s: &Summary, zero: bool) -> i32 {
    if s.unreadable > 0 {
        2
    } else if s.failed > 0 && !zero {
        1
    } else {
        0
    }
}
