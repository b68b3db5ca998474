//! The command line: a thin adapter over the engine and the emitters.
//!
//! Exit codes, the same for every output format and with `--output`: 0 = no finding at the
//! fail-on level (errors, unless `--fail-on` or nblint.toml say otherwise); 1 = at least
//! one; 2 = nblint could not do its job (bad arguments, a broken rule, template,
//! configuration or baseline file, a file that could not be read). `--exit-zero` turns 1
//! into 0; 2 stays.

use crate::baseline::{Baseline, Recorder};
use crate::config;
use crate::diagnostic::{Lang, Severity};
use crate::emit::{self, EmitOptions, Emitter, Rendered, Stream, Summary};
use crate::engine::{self, FileReport, Options, Output, Profile};
use crate::input::{self, Limits};
use crate::report::{BodyType, ReadOptions};
use crate::rule::RuleSet;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

mod check;
mod info;
pub(crate) mod lang;

use self::check::check;
pub(crate) use crate::emit::load_error::{
    report_config_errors, report_load_errors, report_load_warnings,
};
pub(crate) use crate::emit::rules::explain_text;
use info::{explain, init, rules};

#[derive(Parser, Debug)]
#[command(
    name = "nblint",
    version,
    about = "政府信息公开工作年度报告检查工具 — checks government information disclosure annual reports",
    long_about = "nblint 检查政府信息公开工作年度报告：章节是否齐全、编号是否正确、联系方式、日期等，\n按《中华人民共和国政府信息公开条例》第五十条和国务院办公厅统一格式。\n\n示例：\n  nblint check 报告.txt\n  nblint check fixtures/reports --format short\n  nblint explain NB101"
)]
#[command(arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run; boxing CheckArgs would only complicate matching on it.
#[allow(clippy::large_enum_variant)]
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
    /// 语言服务器：编辑器里边写边查，经标准输入输出通信 (language server over stdio, docs/editors.md)
    Lsp(LspArgs),
}

#[derive(Args, Debug)]
struct LspArgs {
    /// 经标准输入输出通信（默认如此；编辑器插件常会加上这个参数） (accepted for editor clients)
    #[arg(long)]
    stdio: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// 写到哪个目录 (directory to write nblint.toml in)
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// 覆盖已有的 nblint.toml (overwrite an existing file)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    common: Common,
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

impl From<Lang> for LangArg {
    fn from(l: Lang) -> LangArg {
        match l {
            Lang::Zh => LangArg::Zh,
            Lang::En => LangArg::En,
        }
    }
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
    /// 消息语言，默认按 LC_ALL、LC_MESSAGES、LANG：zh_* 和 C 为中文，其他为英文 (message language; default from the locale)
    #[arg(long, value_enum, global = true)]
    lang: Option<LangArg>,
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
    /// 遍历目录时排除这些文件或目录（glob，取代 nblint.toml 的 exclude 和默认排除的 README 等）
    /// (exclude files or directories; replaces `exclude` and the defaults)
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    exclude: Option<Vec<String>>,
    /// 在默认或 nblint.toml 的排除之外再排除这些 (exclude these as well)
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    extend_exclude: Vec<String>,
    /// 命令行直接指定的文件也按排除规则跳过（pre-commit 用）(apply excludes to named files too)
    #[arg(long, overrides_with = "no_force_exclude")]
    force_exclude: bool,
    #[arg(long, overrides_with = "force_exclude", hide = true)]
    no_force_exclude: bool,
    /// 没有找到要检查的文件时不算出错（默认退出码 2）(exit 0 when no file is found)
    #[arg(long)]
    allow_empty: bool,
    /// 只输出问题：不输出汇总行、进度和提示 (print the findings only)
    #[arg(short, long)]
    quiet: bool,
    /// 不列出问题，只按规则统计个数（human、short、json）(counts per rule instead of findings)
    #[arg(long)]
    statistics: bool,
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
pub(crate) const MAX_FILE_SIZE_CEILING: u64 = 1 << 30;

/// Most threads `-j` starts (more only add memory: one file is held per thread).
pub(crate) const MAX_THREADS: usize = 64;

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
    let args = lang::normalize(args.into_iter().map(Into::into).collect());
    let locale = lang::from_env(|k| std::env::var(k).ok());
    // The language of clap's own words: --lang if given (looked for before parsing), else
    // the locale.
    let early = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .map(|w| w[1].to_string_lossy().into_owned())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.to_str()?.strip_prefix("--lang=").map(str::to_owned))
        });
    let early = match early.as_deref() {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => locale,
    };
    let parsed = lang::localize(Cli::command(), early)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let mut cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = lang::error_text(&e, early);
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return code;
        }
    };
    let common = match &mut cli.command {
        Command::Check(a) => &mut a.common,
        Command::Rules(a) => &mut a.common,
        Command::Explain(a) => &mut a.common,
        Command::Init(a) => &mut a.common,
        Command::Lsp(a) => &mut a.common,
    };
    common.lang = Some(common.lang.unwrap_or(locale.into()));
    let result = match cli.command {
        Command::Check(a) => check(a, out, err, stdout_is_tty),
        Command::Rules(a) => rules(a, out, err),
        Command::Explain(a) => explain(a, out, err),
        Command::Init(a) => init(a, out, err),
        Command::Lsp(a) => lsp(a, out, err),
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

/// Whether to wait for Enter before the console window closes (Windows, `src/main.rs`):
/// only when nblint is the one process attached to its console (`attached`, from
/// `GetConsoleProcessList`: a double-click or a file dropped on nblint.exe, not a shell)
/// and someone can press a key (standard input is the console, not a pipe or file).
pub fn should_pause(attached: u32, stdin_is_tty: bool) -> bool {
    attached == 1 && stdin_is_tty
}

/// The line shown before waiting, in the locale's language.
pub fn pause_prompt() -> String {
    let lang = lang::from_env(|k| std::env::var(k).ok());
    lang.pick(
        "\n按回车键关闭窗口……",
        "\nPress Enter to close this window...",
    )
    .to_owned()
}

/// True when `e` is a write to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `nblint lsp`: the language server (`crate::lsp`).
#[cfg(not(target_arch = "wasm32"))]
fn lsp(a: LspArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let settings = crate::lsp::Settings {
        lang: a.common.lang(),
        rule_dirs: a.common.rules,
    };
    crate::lsp::run(settings, out, err)
}

#[cfg(target_arch = "wasm32")]
fn lsp(_: LspArgs, _: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    writeln!(err, "nblint: lsp is not available in this build")?;
    Ok(2)
}

impl Common {
    /// The language of the run (filled in from the locale after parsing).
    fn lang(&self) -> Lang {
        self.lang.map_or(Lang::Zh, Into::into)
    }
}

fn load_rules(common: &Common, err: &mut dyn Write) -> Option<RuleSet> {
    match RuleSet::load(&common.rules) {
        Ok(r) => {
            let _ = report_load_warnings(&r.warnings, err);
            Some(r)
        }
        Err(errors) => {
            let _ = report_load_errors(&errors, err);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_only_in_a_console_of_our_own() {
        assert!(should_pause(1, true));
        // Started from cmd.exe or PowerShell: the shell shares the console.
        assert!(!should_pause(2, true));
        // Input from a pipe or a file: nobody to press Enter.
        assert!(!should_pause(1, false));
        // No console at all (the call failed).
        assert!(!should_pause(0, true));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("50MB"), Ok(50 << 20));
        assert_eq!(parse_size("500kb"), Ok(500 << 10));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("lots").is_err());
    }
}
