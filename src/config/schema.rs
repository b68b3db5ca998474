//! Every key of nblint.toml and the type of its value, checked over the whole file before
//! it is deserialized, so that all misspelt keys, wrong types and syntax errors of a file
//! are reported at once (serde stops at the first one).
//!
//! The table here lists the same keys as the `Raw*` structs of the parent module; a test
//! parses the starter file and docs/ci.md's example through both.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The expected shape of a value.
#[derive(Clone, Copy)]
enum Shape {
    Str,
    StrList,
    Bool,
    Table(&'static [(&'static str, Shape)]),
    /// A table with any keys (rule codes or names), each value a string.
    StrMap,
    TableList(&'static [(&'static str, Shape)]),
}

const REPORT: &[(&str, Shape)] = &[
    ("body-type", Shape::Str),
    ("template", Shape::Str),
    ("agency", Shape::Str),
];

const DEADLINES: &[(&str, Shape)] = &[
    ("township", Shape::Str),
    ("department", Shape::Str),
    ("government", Shape::Str),
];

const IGNORE: &[(&str, Shape)] = &[
    ("path", Shape::Str),
    ("rule", Shape::Str),
    ("text", Shape::Str),
    ("cell", Shape::Str),
    ("reason", Shape::Str),
];

const OVERRIDE: &[(&str, Shape)] = &[
    ("files", Shape::StrList),
    ("body-type", Shape::Str),
    ("template", Shape::Str),
    ("agency", Shape::Str),
    ("rules", Shape::StrMap),
];

const TOP: &[(&str, Shape)] = &[
    ("fail-on", Shape::Str),
    ("rule-dirs", Shape::StrList),
    ("report", Shape::Table(REPORT)),
    ("deadlines", Shape::Table(DEADLINES)),
    ("rules", Shape::StrMap),
    ("ignore", Shape::TableList(IGNORE)),
    ("override", Shape::TableList(OVERRIDE)),
    ("exclude", Shape::StrList),
    ("extend-exclude", Shape::StrList),
    ("force-exclude", Shape::Bool),
];

/// Required keys of array-of-tables entries.
const REQUIRED: &[(&str, &[&str])] = &[("ignore", &["path", "rule"]), ("override", &["files"])];

/// Every syntax error, unknown key and wrongly typed value of `source`: (byte span, message).
pub(crate) fn check(source: &str) -> Vec<(Option<std::ops::Range<usize>>, String)> {
    let (doc, syntax) = DeTable::parse_recoverable(source);
    let mut out: Vec<(Option<std::ops::Range<usize>>, String)> = syntax
        .iter()
        .map(|e| (e.span(), e.message().to_owned()))
        .collect();
    table(doc.get_ref(), TOP, "", &mut out);
    out.sort_by_key(|(s, _)| s.as_ref().map_or(0, |s| s.start));
    out
}

fn table(
    t: &DeTable,
    keys: &[(&str, Shape)],
    path: &str,
    out: &mut Vec<(Option<std::ops::Range<usize>>, String)>,
) {
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        match keys.iter().find(|(n, _)| *n == name) {
            Some((_, shape)) => value(v, *shape, &join(path, name), out),
            None => {
                let known: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
                let near = closest(name, &known);
                let mut msg = format!("不认识的键“{name}”");
                if let Some(s) = near {
                    msg.push_str(&format!("，是不是“{s}”？"));
                }
                msg.push_str(&format!(
                    "可用的键：{} (unknown field `{name}`",
                    known.join("、")
                ));
                if let Some(s) = near {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                msg.push(')');
                out.push((Some(k.span()), msg));
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn value(
    v: &Spanned<DeValue>,
    shape: Shape,
    path: &str,
    out: &mut Vec<(Option<std::ops::Range<usize>>, String)>,
) {
    let wrong = |what: &str, out: &mut Vec<_>| {
        out.push((
            Some(v.span()),
            format!(
                "“{path}”的值应是{}，这里是{} (`{path}` should be {what}, not {})",
                zh_what(what),
                zh_kind(v.get_ref()),
                kind(v.get_ref())
            ),
        ));
    };
    match (shape, v.get_ref()) {
        (Shape::Str, DeValue::String(_)) | (Shape::Bool, DeValue::Boolean(_)) => {}
        (Shape::Str, _) => wrong("a string", out),
        (Shape::Bool, _) => wrong("true or false", out),
        (Shape::StrList, DeValue::Array(a)) => {
            for item in a.iter() {
                if !matches!(item.get_ref(), DeValue::String(_)) {
                    out.push((
                        Some(item.span()),
                        format!(
                            "“{path}”的每一项应是字符串，这里是{} (`{path}` should list strings, not {})",
                            zh_kind(item.get_ref()),
                            kind(item.get_ref())
                        ),
                    ));
                }
            }
        }
        (Shape::StrList, _) => wrong("a list of strings, e.g. [\"a\", \"b\"]", out),
        (Shape::Table(keys), DeValue::Table(t)) => table(t, keys, path, out),
        (Shape::StrMap, DeValue::Table(t)) => {
            for (k, item) in t.iter() {
                value(item, Shape::Str, &join(path, k.get_ref()), out);
            }
        }
        (Shape::Table(_) | Shape::StrMap, _) => wrong("a table", out),
        (Shape::TableList(keys), DeValue::Array(a)) => {
            let required = REQUIRED
                .iter()
                .find(|(n, _)| path.ends_with(n))
                .map_or(&[][..], |(_, r)| *r);
            for item in a.iter() {
                match item.get_ref() {
                    DeValue::Table(t) => {
                        table(t, keys, path, out);
                        for r in required {
                            if !t.iter().any(|(k, _)| k.get_ref() == r) {
                                out.push((
                                    Some(item.span()),
                                    format!(
                                        "[[{path}]] 缺少“{r}” (missing field `{r}` in [[{path}]])"
                                    ),
                                ));
                            }
                        }
                    }
                    other => out.push((
                        Some(item.span()),
                        format!(
                            "[[{path}]] 的每一项应是表 (entries should be tables, not {})",
                            kind(other)
                        ),
                    )),
                }
            }
        }
        (Shape::TableList(_), _) => wrong(&format!("a list of [[{path}]] tables"), out),
    }
}

fn zh_kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "字符串",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "日期",
        DeValue::Array(_) => "列表",
        DeValue::Table(_) => "表",
    }
}

fn zh_what(what: &str) -> &'static str {
    if what.starts_with("a string") {
        "字符串（加英文双引号）"
    } else if what.starts_with("true") {
        "true 或 false"
    } else if what.starts_with("a list of strings") {
        "字符串列表，如 [\"a\", \"b\"]"
    } else if what.starts_with("a table") {
        "表"
    } else {
        "[[表]] 的列表"
    }
}

fn kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// The known key nearest to a misspelt one (edit distance at most 2, or a case/`_` slip).
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let norm = name.to_ascii_lowercase().replace('_', "-");
    if let Some(k) = known.iter().find(|k| **k == norm) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (distance(&norm, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_at_once() {
        let src = "fail_on = \"error\"\ncolour = 1\n[report]\nbody-type = 3\n[[ignore]]\nrule = \"NB101\"\n[rules]\nNB101 = true\n";
        let e = check(src);
        let msgs: Vec<&str> = e.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(e.len(), 5, "{msgs:#?}");
        assert!(msgs[0].contains("unknown field `fail_on`; did you mean `fail-on`?"));
        assert!(msgs[1].contains("unknown field `colour`"));
        assert!(msgs[2].contains("`report.body-type` should be a string, not an integer"));
        assert!(msgs[3].contains("missing field `path` in [[ignore]]"));
        assert!(msgs[4].contains("`rules.NB101` should be a string, not a boolean"));
    }

    #[test]
    fn the_starter_file_and_syntax_errors() {
        assert!(check(crate::config::STARTER).is_empty());
        let e = check("a = \nb = [\n");
        assert!(!e.is_empty());
    }
}
