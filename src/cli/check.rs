//! `nblint check`: finds the inputs and their configurations, runs the engine and streams
//! the chosen output format.

use super::*;

/// The configuration files of a run: for each distinct nblint.toml, its configuration and
/// the rule set it loads (its `rule-dirs` added to `--rules`).
struct Configs {
    /// Index 0 is "no configuration".
    entries: Vec<(Option<Arc<Config>>, usize)>,
    rule_sets: Vec<RuleSet>,
}

/// Finds and loads the configuration of every input. `None` when something is broken (the
/// errors have been written).
fn load_configs(
    a: &CheckArgs,
    inputs: &[Input],
    base: RuleSet,
    err: &mut dyn Write,
) -> anyhow::Result<Option<(Configs, Vec<usize>)>> {
    let mut configs = Configs {
        entries: vec![(None, 0)],
        rule_sets: vec![base],
    };
    let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut load = |path: &Path, configs: &mut Configs, errors: &mut Vec<_>| -> usize {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&i) = by_path.get(&key) {
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
        by_path.insert(key, i);
        i
    };
    let cwd = PathBuf::from(".");
    let mut of_input = Vec::with_capacity(inputs.len());
    for input in inputs {
        let i = if a.no_config {
            0
        } else if let Some(c) = &a.config {
            load(c, &mut configs, &mut errors)
        } else {
            let dir = match input {
                Input::File(p) | Input::Missing(p, _) => p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(&cwd),
                Input::Stdin => &cwd,
            }
            .to_path_buf();
            match by_dir.get(&dir) {
                Some(&i) => i,
                None => {
                    let i = match config::discover(&dir) {
                        Some(path) => load(&path, &mut configs, &mut errors),
                        None => 0,
                    };
                    by_dir.insert(dir, i);
                    i
                }
            }
        };
        of_input.push(i);
    }
    if inputs.is_empty()
        && let Some(c) = &a.config
    {
        load(c, &mut configs, &mut errors);
    }
    if !errors.is_empty() {
        report_config_errors(&errors, err)?;
        return Ok(None);
    }
    Ok(Some((configs, of_input)))
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
    let mut inputs = engine::collect_inputs(&a.paths, input::WALKED_EXTENSIONS);
    if let Some(msg) = output_conflict(&a, &inputs) {
        writeln!(err, "nblint: {msg}")?;
        return Ok(2);
    }
    let Some((configs, mut of_input)) = load_configs(&a, &inputs, base, err)? else {
        return Ok(2);
    };
    let excluded = match exclude(&a, &mut inputs, &mut of_input, &configs) {
        Ok(n) => n,
        Err(msg) => {
            writeln!(err, "nblint: {msg}")?;
            return Ok(2);
        }
    };
    if inputs.is_empty() && !a.allow_empty {
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
    let has_stdin = inputs.contains(&Input::Stdin);
    let stdin = if has_stdin {
        match input::file::read_bounded(std::io::stdin().lock(), a.max_file_size, 0) {
            Ok(buf) => Some(buf),
            Err(e) => {
                // Reported like a file that could not be read, under the name `<stdin>`.
                for i in inputs.iter_mut().filter(|i| **i == Input::Stdin) {
                    *i = Input::Missing(PathBuf::from("<stdin>"), Box::new(e.clone()));
                }
                None
            }
        }
    } else {
        None
    };
    let jobs: Vec<Job> = inputs
        .into_iter()
        .zip(of_input)
        .map(|(input, profile)| Job { input, profile })
        .collect();
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
    let mut summary = Summary {
        excluded,
        ..Summary::default()
    };
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
    let mut progress = Progress::new(jobs.len(), lang, !a.quiet);
    if !statistics {
        emitter.begin(&mut buffered)?;
    }
    let run = engine::lint_jobs_with(
        &jobs,
        &profiles,
        stdin.as_deref(),
        &pool,
        engine::WINDOW,
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
    )
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

/// Drops the inputs that `exclude` patterns leave out (see [`crate::exclude`]) and returns
/// how many were dropped. Files named on the command line stay unless `--force-exclude`.
fn exclude(
    a: &CheckArgs,
    inputs: &mut Vec<Input>,
    of_input: &mut Vec<usize>,
    configs: &Configs,
) -> Result<usize, String> {
    use crate::exclude::Excludes;
    let cwd = crate::config::lexical_absolute(Path::new("."));
    let cli = |list: &[String], what: &str| {
        Excludes::new(list, &cwd, false).map_err(|(_, m)| format!("{what}: {m}"))
    };
    let cli_exclude = a
        .exclude
        .as_deref()
        .map(|l| cli(l, "--exclude"))
        .transpose()?;
    let cli_extend = cli(&a.extend_exclude, "--extend-exclude")?;
    let defaults = Excludes::default_for(&cwd);
    let named: std::collections::HashSet<&Path> = a.paths.iter().map(PathBuf::as_path).collect();
    let mut dropped = 0;
    let mut keep = Vec::with_capacity(inputs.len());
    for (input, &ci) in inputs.iter().zip(of_input.iter()) {
        let Input::File(path) = input else {
            keep.push(true);
            continue;
        };
        let config = configs.entries[ci].0.as_deref();
        let force = a.force_exclude
            || (!a.no_force_exclude && config.and_then(|c| c.force_exclude).unwrap_or(false));
        if named.contains(path.as_path()) && !force {
            keep.push(true);
            continue;
        }
        let base = cli_exclude
            .as_ref()
            .or_else(|| config.and_then(|c| c.exclude.as_ref()))
            .unwrap_or(&defaults);
        let out = base.matches(path)
            || config.is_some_and(|c| c.extend_exclude.matches(path))
            || cli_extend.matches(path);
        dropped += usize::from(out);
        keep.push(!out);
    }
    let mut k = keep.iter();
    inputs.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    of_input.retain(|_| *k.next().unwrap_or(&true));
    Ok(dropped)
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

/// Why the outputs of this run cannot be written where asked: an output that is also a
/// file the run reads (a checked report, the configuration, the baseline) would destroy it,
/// and two outputs to one file would overwrite each other.
fn output_conflict(a: &CheckArgs, inputs: &[Input]) -> Option<String> {
    use crate::outfile::FileId;
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
        return Some(format!(
            "{f1} 和 {f2} 指向同一个文件 {}；请分别指定 ({f1} and {f2} name the same file)",
            p1.display()
        ));
    }
    for (flag, out) in outputs {
        // A file that does not exist yet cannot be an input.
        let Some(id) = FileId::of(out) else {
            continue;
        };
        let name = out.file_name();
        // Only paths with the same file name can be the same file, unless the output has
        // other names (a hard link): then every input is looked at (one metadata call each).
        let linked = crate::outfile::has_other_names(out);
        let read = inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(p) if linked || p.file_name() == name => {
                    Some((p.as_path(), "被检查的报告"))
                }
                _ => None,
            })
            .chain(a.config.as_deref().map(|c| (c, "配置文件")))
            .chain(
                a.baseline
                    .as_deref()
                    .filter(|_| flag != "--write-baseline")
                    .map(|b| (b, "基线文件")),
            );
        for (p, what) in read {
            if FileId::of(p).as_ref() == Some(&id) {
                return Some(format!(
                    "{flag} {} 是本次要读取的{what}，写入会毁掉它；请把结果写到别的文件 ({flag} names a file this run reads; write the output elsewhere)",
                    out.display()
                ));
            }
        }
    }
    None
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
