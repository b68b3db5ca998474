//! The command line: a thin adapter over the engine and the emitters.
//!
//! Exit codes, the same for every output format and with `--output`: 0 = no finding at the
//! fail-on level (errors, unless `--fail-on` or nblint.toml say otherwise); 1 = at least
//! one; 2 = nblint could not do its job (bad arguments, a broken rule, template,
//! configuration or baseline file, a file that could not be read). `--exit-zero` turns 1
//! into 0; 2 stays.

use crate::baseline::{Baseline, Recorder};
use crate::config::{self, Config};
use crate::diagnostic::{Lang, Severity};
use crate::emit::{self, EmitOptions, Emitter, Rendered, Stream, Summary};
use crate::engine::{self, FileReport, Input, Job, Options, Output, Profile};
use crate::input::{self, Limits};
use crate::report::{BodyType, ReadOptions};
use crate::rule::{LoadError, RuleSet};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "nblint",
    version,
    about = "政府信息公开工作年度报告检查工具 — checks government information disclosure annual reports",
    long_about = "nblint 检查政府信息公开工作年度报告：章节是否齐全、编号是否正确、联系方式、日期等，\n按《中华人民共和国政府信息公开条例》第五十条和国务院办公厅统一格式。\n\n示例：\n  nblint check 报告.txt\n  nblint check fixtures/reports --format short\n  nblint explain NB101"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 检查报告文件或目录 (check report files or directories)
    Check(CheckArgs),
    /// 列出所有规则 (list every rule)
    Rules(RulesArgs),
    /// 解释一条规则 (explain one rule)
    Explain(ExplainArgs),
    /// 在当前目录写一个带注释的 nblint.toml (write a commented starter nblint.toml)
    Init(InitArgs),
}

#[derive(Args, Debug)]
struct InitArgs {
    /// 写到哪个目录 (directory to write nblint.toml in)
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// 覆盖已有的 nblint.toml (overwrite an existing file)
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc 风格，带源码片段 (default)
    Human,
    /// 每条一行：path:line:col: severity[CODE name]: message
    Short,
    /// 一个 JSON 文档
    Json,
    /// 每条诊断一行 JSON
    Jsonl,
    /// SARIF 2.1.0（GitHub 代码扫描、编辑器）
    Sarif,
    /// GitHub Actions 注释 (workflow commands)
    Github,
    /// JUnit XML（CI 测试报告）
    Junit,
    /// 一个网页：原文标出问题、问题清单、表格读数（可打印，可离线打开）
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum BodyTypeArg {
    /// 乡镇人民政府、街道办事处
    Township,
    /// 县级以上地方人民政府
    Government,
    /// 县级以上人民政府部门
    Department,
}

#[derive(Args, Debug)]
struct Common {
    /// 消息语言 (message language)
    #[arg(long, value_enum, default_value = "zh", global = true)]
    lang: LangArg,
    /// 额外的规则目录：DIR/*.toml 为规则，DIR/templates/*.toml 为模板 (extra rule directory)
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rules: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// 要检查的文件或目录；“-”表示标准输入 (files or directories; - for standard input)
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// 输出格式 (output format)
    #[arg(short, long, value_enum, default_value = "human")]
    format: Format,
    /// 彩色输出 (colour)
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// 并行线程数，默认为 CPU 核数 (threads)
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// 指定模板，不按报告年度选择：legacy-2008、format-2019、format-2021
    #[arg(long, value_name = "NAME")]
    template: Option<String>,
    /// 指定报告单位类型，不按单位名称判断 (body type)
    #[arg(long, value_enum)]
    body_type: Option<BodyTypeArg>,
    /// 单个文件大小上限，如 50MB、500KB (largest file read)
    #[arg(long, value_name = "SIZE", default_value = "50MB", value_parser = parse_size)]
    max_file_size: u64,
    /// 使用这个配置文件，不查找 nblint.toml (use this configuration file)
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// 不读取任何 nblint.toml (ignore configuration files)
    #[arg(long)]
    no_config: bool,
    /// 从这个级别起检查失败（退出码 1），默认 error (level that fails the run)
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// 发现问题也返回 0；无法完成检查时仍返回 2 (exit 0 even with findings)
    #[arg(long)]
    exit_zero: bool,
    /// 把结果写到文件而不是标准输出 (write the results to a file)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// 只报告基线文件中没有的问题 (report only findings not in this baseline)
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// 把现在的全部问题写入基线文件 (record the current findings as a baseline)
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    /// 每条规则一行
    Human,
    /// JSON 数组
    Json,
    /// Markdown 规则参考（docs/rules.md）
    Markdown,
}

#[derive(Args, Debug)]
struct RulesArgs {
    /// 输出格式 (output format)
    #[arg(short, long, value_enum, default_value = "human")]
    format: RulesFormat,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// 规则代码或名称，如 NB101 或 missing-section
    rule: String,
    #[command(flatten)]
    common: Common,
}

/// Largest `--max-file-size`: a file is held in memory with its structures (about ten times
/// its size, see docs/performance.md) on each of the `-j` threads.
pub const MAX_FILE_SIZE_CEILING: u64 = 1 << 30;

/// Most threads `-j` starts (more only add memory: one file is held per thread).
pub const MAX_THREADS: usize = 64;

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mul) = if let Some(n) = t.strip_suffix("GB").or_else(|| t.strip_suffix('G')) {
        (n, 1u64 << 30)
    } else if let Some(n) = t.strip_suffix("MB").or_else(|| t.strip_suffix('M')) {
        (n, 1 << 20)
    } else if let Some(n) = t.strip_suffix("KB").or_else(|| t.strip_suffix('K')) {
        (n, 1 << 10)
    } else {
        (t.strip_suffix('B').unwrap_or(&t), 1)
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mul))
        .ok_or_else(|| format!("`{s}` is not a size such as 50MB, 500KB or 1048576"))
        .and_then(|n| {
            if n > MAX_FILE_SIZE_CEILING {
                Err(format!(
                    "`{s}` 超过上限 1GB (the largest --max-file-size is 1GB)"
                ))
            } else {
                Ok(n)
            }
        })
}

/// Runs the command line. `stdout_is_tty` decides `--color auto`.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, stdout_is_tty: bool) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(a) => check(a, out, err, stdout_is_tty),
        Command::Rules(a) => rules(a, out, err),
        Command::Explain(a) => explain(a, out, err),
        Command::Init(a) => init(a, out, err),
    };
    match result {
        Ok(code) => code,
        // The reader of the output went away (`nblint rules | head`): end quietly.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            let _ = writeln!(err, "nblint: {e}");
            2
        }
    }
}

/// True when `e` is a write to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn load_rules(common: &Common, err: &mut dyn Write) -> Option<RuleSet> {
    match RuleSet::load(&common.rules) {
        Ok(r) => Some(r),
        Err(errors) => {
            let _ = report_load_errors(&errors, err);
            None
        }
    }
}

/// Shows broken rule or template files rustc-style.
pub fn report_load_errors(errors: &[LoadError], w: &mut dyn Write) -> std::io::Result<()> {
    report_errors(
        errors,
        w,
        "rule-file",
        "规则或模板文件有误 (broken rule file)",
        "rule files",
    )
}

/// Shows a broken nblint.toml rustc-style.
pub fn report_config_errors(errors: &[LoadError], w: &mut dyn Write) -> std::io::Result<()> {
    report_errors(
        errors,
        w,
        "config",
        "配置文件有误 (broken configuration)",
        "configuration files",
    )
}

fn report_errors(
    errors: &[LoadError],
    w: &mut dyn Write,
    code: &str,
    header: &str,
    what: &str,
) -> std::io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let config = codespan_reporting::term::Config::default();
    for e in errors {
        let file = SimpleFile::new(e.file.as_str(), e.source.as_str());
        let mut lines = e.message.lines();
        let first = lines
            .next()
            .unwrap_or_default()
            .trim_end_matches(':')
            .to_owned();
        let rest: Vec<String> = lines.map(str::to_owned).collect();
        let mut d = Diagnostic::error()
            .with_code(code)
            .with_message(format!("{header}: {first}"));
        match &e.span {
            Some(s) if !e.source.is_empty() => {
                d = d.with_labels(vec![
                    Label::primary((), s.clone()).with_message(first.clone()),
                ]);
            }
            _ => d = d.with_notes(vec![format!("file: {}", e.file)]),
        }
        if !rest.is_empty() {
            d = d.with_notes(vec![rest.join("\n")]);
        }
        codespan_reporting::term::emit_to_io_write(&mut *w, &config, &file, &d)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    writeln!(
        w,
        "nblint: {} problem(s) in {what}; fix them and run again",
        errors.len()
    )
}

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

fn check(a: CheckArgs, out: &mut dyn Write, err: &mut dyn Write, tty: bool) -> anyhow::Result<i32> {
    let Some(base) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    if let Some(t) = &a.template
        && base.template(t).is_none()
    {
        let names: Vec<&str> = base.templates.iter().map(|t| t.name.as_str()).collect();
        writeln!(
            err,
            "nblint: unknown template `{t}`; known templates: {}",
            names.join(", ")
        )?;
        return Ok(2);
    }
    let lang: Lang = a.common.lang.into();
    let mut inputs = engine::collect_inputs(&a.paths, input::WALKED_EXTENSIONS);
    if let Some(msg) = output_conflict(&a, &inputs) {
        writeln!(err, "nblint: {msg}")?;
        return Ok(2);
    }
    let Some((configs, of_input)) = load_configs(&a, &inputs, base, err)? else {
        return Ok(2);
    };
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
        ColorChoice::Auto => !to_file && tty && std::env::var_os("NO_COLOR").is_none(),
    };
    let eo = EmitOptions { lang, color };
    let sets: Vec<&RuleSet> = configs.rule_sets.iter().collect();
    let emitter: Box<dyn Emitter> = match a.format {
        Format::Human => Box::new(emit::human::Human::new(eo)),
        Format::Short => Box::new(emit::short::Short),
        Format::Json => Box::new(emit::json::Json::new()),
        Format::Jsonl => Box::new(emit::json::Jsonl),
        Format::Sarif => Box::new(emit::sarif::Sarif::new(&sets, lang)),
        Format::Github => Box::new(emit::github::Github { lang }),
        Format::Junit => Box::new(emit::junit::Junit { lang }),
        Format::Html => Box::new(emit::html::Html),
    };
    let threads = match a.threads {
        Some(n) if n > MAX_THREADS => {
            writeln!(
                err,
                "nblint: 线程数 {n} 过多，改用 {MAX_THREADS} (at most {MAX_THREADS} threads are used)"
            )?;
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
                writeln!(err, "nblint: cannot write {}: {e}", path.display())?;
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
    emitter.begin(&mut buffered)?;
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
            let rendered = (!cross || !f.diagnostics.is_empty()).then(|| emitter.render(&f, cross));
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
                };
            }
            let mut counts = Summary::default();
            if cross {
                counts.add_cross(&f);
            } else {
                counts.add(&f);
            }
            Piece {
                cross,
                report: None,
                counts,
                rendered,
            }
        },
        // On this thread, in input order: baseline, counts, bytes.
        |Piece {
             cross,
             report,
             counts,
             mut rendered,
         }| {
            let Some(mut f) = report else {
                summary.merge(&counts);
                return rendered.map_or(Ok(()), |r| emitter.emit(&mut stream, &mut buffered, r));
            };
            if let Some(r) = recorder.as_mut() {
                r.record(&f);
            }
            let dropped = baseline.as_mut().map_or(0, |b| b.filter(&mut f));
            if cross {
                summary.add_cross(&f);
                if f.diagnostics.is_empty() {
                    return Ok(());
                }
            } else {
                summary.add(&f);
            }
            if dropped > 0 {
                // The output was rendered with the findings the baseline accepts.
                rendered = Some(emitter.render(&f, cross));
            }
            rendered.map_or(Ok(()), |r| emitter.emit(&mut stream, &mut buffered, r))
        },
    )
    .and_then(|()| emitter.end(&mut stream, &mut buffered, &summary))
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
        writeln!(err, "nblint: cannot write {}: {e}", path.display())?;
        return Ok(2);
    }
    if let (Some(r), Some(path)) = (&recorder, &a.write_baseline) {
        if let Err(e) = crate::outfile::write_atomic(path, r.to_json().as_bytes()) {
            writeln!(err, "nblint: cannot write baseline {}: {e}", path.display())?;
            return Ok(2);
        }
        writeln!(
            err,
            "nblint: {} finding(s) recorded in {}",
            r.len(),
            path.display()
        )?;
    }
    Ok(exit_code(
        &summary,
        a.exit_zero || a.write_baseline.is_some(),
    ))
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

/// `nblint init`: writes the commented starter configuration.
fn init(a: InitArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let path = a.dir.join(config::FILE_NAME);
    if path.exists() && !a.force {
        writeln!(
            err,
            "nblint: {} already exists; use --force to overwrite it",
            path.display()
        )?;
        return Ok(2);
    }
    if let Err(e) = crate::outfile::write_atomic(&path, config::STARTER.as_bytes()) {
        writeln!(err, "nblint: cannot write {}: {e}", path.display())?;
        return Ok(2);
    }
    writeln!(out, "nblint: wrote {}", path.display())?;
    Ok(0)
}

fn rules(a: RulesArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let Some(rules) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    let lang: Lang = a.common.lang.into();
    if a.format == RulesFormat::Markdown {
        write!(out, "{}", crate::docs::rules_markdown(&rules))?;
        return Ok(0);
    }
    if a.format == RulesFormat::Json {
        let list: Vec<serde_json::Value> = rules
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "name": r.name,
                    "severity": r.severity.as_str(),
                    "kind": r.check.kind_name(),
                    "summary": r.summary(lang),
                    "applies_to": r.applies_to,
                    "basis": r.basis_text(lang),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
        return Ok(0);
    }
    let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(10);
    for r in &rules.rules {
        let applies = if r.applies_to.is_empty() {
            lang.pick("全部", "all").to_owned()
        } else {
            r.applies_to.join(",")
        };
        writeln!(
            out,
            "{:<6} {:<width$} {:<7} {}  [{}]",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary(lang),
            applies
        )?;
    }
    Ok(0)
}

fn explain(a: ExplainArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let Some(rules) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    let lang: Lang = a.common.lang.into();
    let Some(r) = rules.find(&a.rule) else {
        writeln!(
            err,
            "nblint: no rule `{}`; run `nblint rules` for the list",
            a.rule
        )?;
        return Ok(2);
    };
    write!(out, "{}", explain_text(r, lang))?;
    Ok(0)
}

/// The text of `nblint explain`, also used for docs/rules.md.
pub fn explain_text(r: &crate::rule::Rule, lang: Lang) -> String {
    let mut s = String::new();
    let sev = r.severity.word(lang);
    s.push_str(&format!("{} {}（{}）\n", r.code, r.name, sev));
    s.push_str(r.summary(lang));
    s.push_str("\n\n");
    s.push_str(r.description.trim());
    s.push_str("\n\n");
    if let Some(b) = r.basis_text(lang) {
        s.push_str(&format!("{}{b}\n", lang.pick("依据：", "Basis: ")));
    }
    let applies = if r.applies_to.is_empty() {
        lang.pick("全部报告", "every report").to_owned()
    } else {
        r.applies_to.join("、")
    };
    s.push_str(&format!(
        "{}{applies}\n",
        lang.pick("适用模板：", "Templates: ")
    ));
    s.push_str(&format!(
        "{}{}\n",
        lang.pick("规则类型：", "Kind: "),
        r.check.kind_name()
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("50MB"), Ok(50 << 20));
        assert_eq!(parse_size("500kb"), Ok(500 << 10));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("lots").is_err());
    }
}
