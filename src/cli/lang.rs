//! The command line in the user's language: which language (`--lang`, else the locale), the
//! argument list as users type it (`--lang` before the subcommand, a file without
//! `check`), clap's own words (headings, help and version flags, error messages) in
//! Chinese.
//!
//! clap prints English; its help is made Chinese by a template and headings set on the
//! built command, and its errors are rewritten here from their kind and context (the
//! offending argument, the valid values, the suggestion), so nothing depends on matching
//! clap's English text.

use crate::diagnostic::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use std::ffi::OsString;

/// The language from the locale: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (POSIX order;
/// the first one set and not empty decides). Chinese (`zh_*`), `C`, `POSIX` or nothing:
/// Chinese, nblint's language; any other language: English.
pub(crate) fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| get(k))
        .find(|v| !v.is_empty());
    match locale {
        None => Lang::Zh,
        Some(l) => {
            let l = l.to_ascii_lowercase();
            if l.starts_with("zh") || l == "c" || l.starts_with("c.") || l == "posix" {
                Lang::Zh
            } else {
                Lang::En
            }
        }
    }
}

/// Global options written before the subcommand, with the number of values they take.
const GLOBAL: &[(&str, usize)] = &[("--lang", 1), ("--rules", 1)];

/// Subcommand names (clap's list is checked against this in a test).
pub(crate) const SUBCOMMANDS: &[&str] = &["check", "rules", "explain", "init", "lsp"];

/// The arguments as clap expects them:
/// - global options before the subcommand (`nblint --lang en check x.md`) move after it;
/// - a first argument that is not a subcommand or an option is a path to check
///   (`nblint 报告.docx`, or a file dropped on nblint.exe): `check` is put before it.
pub(crate) fn normalize(args: Vec<OsString>) -> Vec<OsString> {
    let mut it = args.into_iter();
    let Some(program) = it.next() else {
        return Vec::new();
    };
    let rest: Vec<OsString> = it.collect();
    let mut moved = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i].to_string_lossy();
        if let Some((_, n)) = GLOBAL.iter().find(|(g, _)| a == *g) {
            let end = (i + 1 + n).min(rest.len());
            moved.extend_from_slice(&rest[i..end]);
            i = end;
        } else if GLOBAL.iter().any(|(g, _)| a.starts_with(&format!("{g}="))) {
            moved.push(rest[i].clone());
            i += 1;
        } else {
            break;
        }
    }
    let mut out = vec![program];
    match rest.get(i).map(|a| a.to_string_lossy().into_owned()) {
        None => {
            out.extend(moved);
        }
        Some(first) if first == "help" => {
            // `nblint help check` is `nblint check --help` (clap's help subcommand speaks
            // English only).
            out.extend(rest[i + 1..].iter().take(1).cloned());
            out.push("--help".into());
            out.extend(moved);
        }
        Some(first) => {
            let is_sub = SUBCOMMANDS.contains(&first.as_str());
            // A path, not a mistyped subcommand (`chek` gets clap's suggestion).
            let is_path = std::path::Path::new(&first).exists()
                || first.contains(['.', '/', '\\'])
                || !first.is_ascii();
            if !is_sub && !first.starts_with('-') && is_path {
                out.push("check".into());
            } else if !is_sub {
                // An option such as --help or --version: leave everything as it is.
                out.extend(moved);
                out.extend(rest[i..].iter().cloned());
                return out;
            } else {
                out.push(rest[i].clone());
                i += 1;
            }
            out.extend(moved);
            out.extend(rest[i..].iter().cloned());
        }
    }
    out
}

/// Chinese headings and help for clap's own flags, on `cmd` and every subcommand.
pub(crate) fn localize(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let cmd = cmd
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本 (print version)"),
        )
        .disable_help_subcommand(true);
    zh(cmd)
}

fn zh(cmd: Command) -> Command {
    let cmd = cmd
        .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助 (print help)"),
        )
        .mut_args(|a| {
            let a = if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading("参数")
            } else {
                a.help_heading("选项")
            };
            zh_values(a)
        });
    cmd.mut_subcommands(zh)
}

/// The default value and the possible values of an argument in Chinese words, in its help
/// text, instead of clap's `[default: …]` and `Possible values:`.
fn zh_values(a: Arg) -> Arg {
    if a.is_hide_set()
        || matches!(
            a.get_action(),
            ArgAction::SetTrue | ArgAction::Help | ArgAction::Version
        )
    {
        return a;
    }
    let help = a.get_help().map(ToString::to_string).unwrap_or_default();
    let mut short = help.clone();
    let mut long = help;
    let values: Vec<clap::builder::PossibleValue> = a
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if values.is_empty() && defaults.is_empty() {
        return a;
    }
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short.push_str(&format!("（可选：{}）", names.join("、")));
        long.push_str("\n\n可选的值：");
        let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
        for v in &values {
            long.push_str(&format!(
                "\n  {:<width$}  {}",
                v.get_name(),
                v.get_help().map(ToString::to_string).unwrap_or_default()
            ));
        }
    }
    if !defaults.is_empty() {
        let d = defaults.join("、");
        short.push_str(&format!("（默认：{d}）"));
        long.push_str(&format!("\n\n默认：{d}"));
    }
    a.hide_possible_values(true)
        .hide_default_value(true)
        .help(short)
        .long_help(long)
}

/// A clap error in the user's language: help and version output as clap renders it (its
/// words are already localized), anything else as a Chinese message with the usage line.
pub(crate) fn error_text(e: &clap::Error, lang: Lang) -> String {
    let rendered = e.render().to_string();
    if lang == Lang::En
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return rendered;
    }
    let s = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = s(ContextKind::InvalidArg).unwrap_or_default();
    let value = s(ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "不认识的命令“{}”",
                s(ContextKind::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::InvalidValue => {
            if value.is_empty() {
                format!("参数 {arg} 需要一个值")
            } else {
                format!("参数 {arg} 的值“{value}”无效")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("参数 {arg} 的值“{value}”无效：{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令（check、rules、explain、init）".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能和 {} 一起使用",
            s(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("参数 {arg} 的值太多：“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值要用“=”连接"),
        _ => {
            // A kind not listed: clap's first line, without its "error: ".
            let first = rendered.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_owned()
        }
    };
    if let Some(valid) = s(ContextKind::ValidValue) {
        msg.push_str(&format!("；可用的值：{valid}"));
    }
    let mut out = format!("错误：{msg}\n");
    let tip = s(ContextKind::SuggestedArg)
        .or_else(|| s(ContextKind::SuggestedSubcommand))
        .or_else(|| s(ContextKind::SuggestedValue));
    if let Some(t) = tip {
        out.push_str(&format!("\n  提示：是不是要写“{t}”？\n"));
    }
    if let Some(usage) = s(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n更多信息请运行“nblint --help”或“nblint check --help”。\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(a: &[&str]) -> Vec<String> {
        normalize(a.iter().map(OsString::from).collect())
            .into_iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn globals_move_after_the_subcommand_and_a_path_means_check() {
        assert_eq!(
            norm(&["nblint", "--lang", "en", "check", "a.md"]),
            ["nblint", "check", "--lang", "en", "a.md"]
        );
        assert_eq!(
            norm(&["nblint", "--lang=en", "rules"]),
            ["nblint", "rules", "--lang=en"]
        );
        assert_eq!(
            norm(&["nblint", "报告.docx"]),
            ["nblint", "check", "报告.docx"]
        );
        assert_eq!(
            norm(&["nblint", "--lang", "en", "报告.docx"]),
            ["nblint", "check", "--lang", "en", "报告.docx"]
        );
        assert_eq!(norm(&["nblint", "--help"]), ["nblint", "--help"]);
        assert_eq!(norm(&["nblint"]), ["nblint"]);
        assert_eq!(
            norm(&["nblint", "help", "check"]),
            ["nblint", "check", "--help"]
        );
        assert_eq!(norm(&["nblint", "help"]), ["nblint", "--help"]);
    }

    #[test]
    fn locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(from_env(env(&[])), Lang::Zh);
        assert_eq!(from_env(env(&[("LANG", "C.UTF-8")])), Lang::Zh);
        assert_eq!(from_env(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(from_env(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            from_env(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_GB.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            from_env(env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "")])),
            Lang::En
        );
    }
}
