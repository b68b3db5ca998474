//! What changes how files are checked: [`Options`] (limits, switches, the run's date and
//! language) and a [`Profile`] (one configuration's rules and options).

use super::*;

/// Everything that changes how files are checked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    pub read: ReadOptions,
    pub limits: Limits,
    /// Rules switched off (by code or name).
    pub disabled: HashSet<String>,
    /// Severity overrides by code or name.
    pub severity: HashMap<String, crate::diagnostic::Severity>,
    /// The body the reports belong to, for checks across years (nblint.toml `agency`);
    /// otherwise the agency in the title.
    pub agency: Option<String>,
    /// Local publication deadlines (nblint.toml `[deadlines]`).
    pub deadlines: Deadlines,
    /// The level from which a finding fails the run (exit 1); `None` means errors only.
    pub fail_on: Option<Severity>,
    /// The configuration in force, whose `[[ignore]]` entries drop findings.
    pub config: Option<Arc<Config>>,
    /// Keep what the HTML view shows of each file (`FileMeta::layout`).
    pub layout: bool,
}

impl Options {
    pub(super) fn rule_enabled(&self, code: &str, name: &str) -> bool {
        !self.disabled.contains(code) && !self.disabled.contains(name)
    }

    /// Applies `[rules]` settings: `off` disables, `on` enables, a level enables and sets it.
    pub(crate) fn apply(&mut self, switches: &[(String, Switch)]) {
        for (key, s) in switches {
            match s {
                Switch::Off => {
                    self.disabled.insert(key.clone());
                }
                Switch::On => {
                    self.disabled.remove(key);
                }
                Switch::Level(l) => {
                    self.disabled.remove(key);
                    self.severity.insert(key.clone(), *l);
                }
            }
        }
    }

    /// The severity override for a rule, if any.
    pub(super) fn level_for(&self, rule: &Rule) -> Option<Severity> {
        self.severity
            .get(&rule.code)
            .or_else(|| self.severity.get(&rule.name))
            .copied()
    }

    /// Drops findings switched off by inline comments or `[[ignore]]`, then sorts.
    pub(super) fn filter(
        &self,
        path: &str,
        text: &str,
        sup: Option<&Suppressions>,
        d: &mut Vec<Diagnostic>,
    ) {
        if let Some(s) = sup.filter(|s| !s.is_empty()) {
            d.retain(|x| !s.covers(x.span.start, &x.code, &x.name));
        }
        if let Some(c) = self.config.as_ref().filter(|c| !c.ignores.is_empty()) {
            let rel = c.relative(path);
            d.retain(|x| !c.ignores(&rel, x, text));
        }
        sort(d);
    }
}

/// The rules and options for the files under one configuration.
#[derive(Clone, Debug)]
pub(crate) struct Profile<'r> {
    pub(crate) rules: &'r RuleSet,
    pub(crate) opts: Options,
    /// Set on the command line, so `[[override]]` tables leave them alone.
    pub(crate) pinned_template: bool,
    pub(crate) pinned_body_type: bool,
}

impl<'r> Profile<'r> {
    pub(crate) fn new(rules: &'r RuleSet, opts: Options) -> Self {
        Profile {
            rules,
            opts,
            pinned_template: false,
            pinned_body_type: false,
        }
    }

    /// The options for one file: the profile's, changed by the `[[override]]` tables whose
    /// globs match the file.
    pub(crate) fn options_for(&self, path: &str) -> Cow<'_, Options> {
        let Some(c) = self
            .opts
            .config
            .as_ref()
            .filter(|c| !c.overrides.is_empty())
        else {
            return Cow::Borrowed(&self.opts);
        };
        let rel = c.relative(path);
        let mut matching = c.overrides_for(&rel).peekable();
        if matching.peek().is_none() {
            return Cow::Borrowed(&self.opts);
        }
        let mut o = self.opts.clone();
        for ov in matching {
            if !self.pinned_body_type && ov.report.body_type.is_some() {
                o.read.body_type = ov.report.body_type;
            }
            if !self.pinned_template && ov.report.template.is_some() {
                o.read.template = ov.report.template.clone();
            }
            if ov.report.agency.is_some() {
                o.agency = ov.report.agency.clone();
            }
            o.apply(&ov.rules);
        }
        Cow::Owned(o)
    }
}
