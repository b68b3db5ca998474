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
//!
//! The run itself ([`check()`]) is here; the rest is in
//! - `inputs`: the two walks ([`plan`], [`Jobs`]) with the configurations, `exclude`
//!   patterns and the outputs that must not be inputs;
//! - `output`: what the run writes besides the findings: the progress line, whether to
//!   colour, the words for a file that cannot be written.

mod inputs;
mod output;

use super::*;
use crate::engine::Walk;
use inputs::{Excludes, Jobs, Lookup, Plan, plan};
pub(super) use output::cannot_write;
use output::{Progress, auto_color};

pub(super) fn check(
    a: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    tty: bool,
) -> anyhow::Result<i32> {
    // The report readers' expressions compile on another core while the rules load
    // (docs/performance.md, start-up); the thread is not waited for.
    let _ = std::thread::Builder::new()
        .name("warm-up".into())
        .spawn(crate::report::warm_up);
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
        walk: Walk::new(&a.paths, input::WALKED_EXTENSIONS).defer_own_outputs(),
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

/// The rules of a result's findings, for `--statistics`.
fn rule_list(f: &FileReport) -> Vec<(String, String, Severity)> {
    f.diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.name.clone(), d.severity))
        .collect()
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

fn exit_code(s: &Summary, zero: bool) -> i32 {
    if s.unreadable > 0 {
        2
    } else if s.failed > 0 && !zero {
        1
    } else {
        0
    }
}
