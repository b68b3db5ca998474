//! `nblint check --statistics`: how many findings each rule has over the run, instead of
//! the findings (ruff's `--statistics`): a table, most frequent first, or a JSON array with
//! `--format json`.

use crate::diagnostic::{Lang, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Findings per rule: (code, name) → (count, severity of the rule's findings, the highest
/// when a configuration changed it for some files).
#[derive(Debug, Default)]
pub(crate) struct RuleCounts(pub BTreeMap<(String, String), (usize, Severity)>);

impl RuleCounts {
    pub(crate) fn add(&mut self, code: &str, name: &str, severity: Severity) {
        let e = self
            .0
            .entry((code.to_owned(), name.to_owned()))
            .or_insert((0, severity));
        e.0 += 1;
        e.1 = e.1.max(severity);
    }

    /// Most frequent first, then by code.
    fn sorted(&self) -> Vec<(&str, &str, usize, Severity)> {
        let mut v: Vec<_> = self
            .0
            .iter()
            .map(|((c, n), (k, s))| (c.as_str(), n.as_str(), *k, *s))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        v
    }

    pub(crate) fn write_table(&self, w: &mut dyn Write, lang: Lang) -> io::Result<()> {
        let rows = self.sorted();
        let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
        let count_width = rows.first().map_or(1, |r| r.2.to_string().len());
        for (code, name, n, sev) in rows {
            writeln!(
                w,
                "{n:>count_width$}  {code:<6} {name:<width$}  {}",
                sev.word(lang)
            )?;
        }
        Ok(())
    }

    pub(crate) fn write_json(&self, w: &mut dyn Write) -> io::Result<()> {
        let list: Vec<serde_json::Value> = self
            .sorted()
            .into_iter()
            .map(|(code, name, count, sev)| {
                serde_json::json!({"code": code, "name": name, "severity": sev.as_str(), "count": count})
            })
            .collect();
        // `From` keeps an io error's kind, so a closed pipe still ends quietly.
        serde_json::to_writer_pretty(&mut *w, &list).map_err(io::Error::from)?;
        writeln!(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_first() {
        let mut c = RuleCounts::default();
        c.add("NB402", "invalid-contact-info", Severity::Warning);
        c.add("NB203", "table-outcome-total", Severity::Error);
        c.add("NB203", "table-outcome-total", Severity::Error);
        let mut out = Vec::new();
        c.write_table(&mut out, Lang::Zh).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[0].starts_with("2  NB203"), "{s}");
        assert!(lines[1].starts_with("1  NB402"), "{s}");
    }
}
