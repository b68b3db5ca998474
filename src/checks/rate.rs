//! `rate`: a rate stated in the text (`办结率97%`, `占33.9%`, `满意率达八成`) against the
//! counts it is computed from, found in the same sentence (`共收到来访件68件，办结66件`).
//!
//! How a rate finds its counts is data. Each `[[check.rate.rates]]` entry names the rate
//! (`names`, the words right before the percentage, with at most `max_gap` characters between,
//! such as `为`, `达到`); its numerator is the nearest count before the rate in the same sentence
//! whose own words (the text between it and the previous number in its clause, or after it)
//! contain one of `numerator` (the nearest count at all when `numerator` is empty, as for
//! `占`); its denominator is the nearest other count before the rate whose words contain one of
//! `denominator`. Both are looked for in the rate's sentence (`scope = "sentence"`, default)
//! or its paragraph (`"paragraph"`); the nearest count for `占` always in the sentence. Counts whose words contain one of `exclude` (`未办结`) are never taken.
//! Counts whose words contain one of `addends` (`上年结转`) may be added to the denominator:
//! the rate is accepted if it fits either way. A word followed by `率` (`办结率`) does not
//! count as the word. When no numerator or denominator is found, nothing is reported:
//! `满意率100%` on its own is not checked.
//!
//! `mode = "mismatch"` reports a rate that is not numerator ÷ denominator at the precision it
//! was written (`97%` accepts [96.5, 97.5), `97.1%` accepts [97.05, 97.15)); approximate
//! counts (`60余件`) and rates (`约97%`, `超八成`) are compared as intervals. A rate that
//! would be right if the author had cut off digits instead of rounding (`4.34%` for 4.348%) is
//! reported as a note. `mode = "out-of-range"` reports a rate above 100% and a numerator larger
//! than its denominator (`受理117件…办结171件`); the mismatch mode leaves both to it.
//!
//! Rates in tables, and rates whose words before them contain one of `skip_if` (`同比`,
//! `提高`, `分别`), are not checked.
//!
//! Parameters: `mode`, `max_gap` (default 6), `skip_if`, and `[[check.rate.rates]]` with
//! `names`, `numerator`, `denominator`, `exclude`, `addends`, `scope`.
//! Placeholders: `{rate}` (the name as written, `办结率`), `{stated}` (`97%`), `{numerator}`,
//! `{denominator}` (`66`, `68`), `{computed}` (`97.06%`), `{expected}` (the rate at the written
//! precision, `97%`), `{problem}` (what is impossible, out-of-range mode).
//!
//! ```toml
//! [check.rate]
//! mode = "mismatch"
//! skip_if = ["同比", "分别"]
//! [[check.rate.rates]]
//! names = ["办结率"]
//! numerator = ["办结"]
//! denominator = ["收到", "受理"]
//! exclude = ["未办结"]
//! addends = ["上年结转"]
//! ```

use super::{Ctx, Problem};
use crate::diagnostic::{Confidence, Lang, Severity};
use crate::report::number::{Approx, Kind, Number, Numbers, format_decimal};
use crate::text as cn;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &[
    "rate",
    "stated",
    "numerator",
    "denominator",
    "computed",
    "expected",
    "problem",
];

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    #[default]
    Mismatch,
    OutOfRange,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Scope {
    #[default]
    Sentence,
    Paragraph,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RateSpec {
    pub(crate) names: Vec<String>,
    #[serde(default)]
    pub(crate) numerator: Vec<String>,
    pub(crate) denominator: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    #[serde(default)]
    pub(crate) addends: Vec<String>,
    #[serde(default)]
    pub(crate) scope: Scope,
}

fn default_gap() -> usize {
    6
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) mode: Mode,
    #[serde(default = "default_gap")]
    pub(crate) max_gap: usize,
    #[serde(default)]
    pub(crate) skip_if: Vec<String>,
    pub(crate) rates: Vec<RateSpec>,
}

/// A stated rate with the counts it was matched to.
struct Match<'n> {
    rate: &'n Number,
    name: String,
    num: &'n Number,
    /// The denominator shown: the explicit one when there is one, else the nearest
    /// candidate not smaller than the numerator, else the nearest.
    den: &'n Number,
    /// How `den` was bound: explicit (named in the rate's sentence, or the stated parent total
    /// of the list the numerator belongs to) or inferred.
    confidence: Confidence,
    /// Every denominator that could be meant: the rate is accepted if any of them fits
    /// (`共收到申请25件，其中自然人申请20件…` has two counts of 申请; a share of the list's
    /// parent, of the nearest total, or of the sum of its sibling shares).
    plausible: Vec<Den>,
    /// Counts that may be added to the denominator (上年结转), for the note.
    addend: Option<&'n Number>,
}

const EPS: f64 = 1e-9;

/// How many numbers back from a rate its counts are looked for.
const MAX_BACK: usize = 32;

impl Params {
    /// The rate entry and name that introduce `rate`: a name ending at most `max_gap`
    /// characters before it in its clause, the nearest and then the longest.
    fn spec_for<'s>(&'s self, text: &str, rate: &Number) -> Option<(&'s RateSpec, String)> {
        let label = text.get(rate.before())?;
        let mut best: Option<(usize, usize, &RateSpec, &str)> = None;
        for spec in &self.rates {
            for name in spec.names.iter().filter(|n| !n.is_empty()) {
                let Some(p) = cn::find_all(label, name).last() else {
                    continue;
                };
                let gap_text = &label[p + name.len()..];
                let gap = gap_text.chars().count();
                if gap > self.max_gap {
                    continue;
                }
                let len = name.chars().count();
                if best.is_none_or(|(g, l, _, _)| gap < g || (gap == g && len > l)) {
                    best = Some((gap, len, spec, name));
                }
            }
        }
        let (_, _, spec, name) = best?;
        if cn::contains_any(label, &self.skip_if) {
            return None;
        }
        Some((spec, name.to_owned()))
    }

    fn report_above_100(&self, ctx: &mut Ctx, rate: &Number, name: &str) {
        let lang = ctx.lang;
        let stated = ctx.report.text[rate.span()].to_owned();
        let problem = lang
            .pick("比率不可能超过 100%", "a rate cannot exceed 100%")
            .to_owned();
        let vars = [
            ("rate", name.to_owned()),
            ("stated", stated.clone()),
            ("numerator", String::new()),
            ("denominator", String::new()),
            ("computed", String::new()),
            ("expected", String::new()),
            ("problem", problem.clone()),
        ];
        let d = ctx
            .diag(rate.span(), &vars)
            .with_label(problem)
            .with_fingerprint(format!("{name}{stated}"));
        ctx.push(d);
    }
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    // Prose arithmetic is checked in any document: a 工作总结 that gets its 其中 totals
    // wrong should hear about it too.
    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.rates.is_empty() {
            problems.push((None, "`rates` must list at least one rate".to_owned()));
        }
        for (i, r) in self.rates.iter().enumerate() {
            if r.names.iter().all(|n| n.trim().is_empty()) {
                problems.push((None, format!("rates[{i}]: `names` must not be empty")));
            }
            if r.denominator.iter().all(|n| n.trim().is_empty()) {
                problems.push((None, format!("rates[{i}]: `denominator` must not be empty")));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let ns = &r.numbers;
        for (ri, rate) in ns.items.iter().enumerate() {
            if !rate.is_rate() || rate.approx == Approx::Vague {
                continue;
            }
            let Some((spec, name)) = self.spec_for(r.text, rate) else {
                continue;
            };
            if self.mode == Mode::OutOfRange && rate.lo > 100.0 + EPS {
                self.report_above_100(ctx, rate, &name);
                continue;
            }
            let Some(m) = find_counts(r.text, ns, ri, rate, spec, name) else {
                continue;
            };
            match self.mode {
                Mode::Mismatch => check_value(ctx, &m),
                Mode::OutOfRange => check_order(ctx, &m),
            }
        }
    }
}

/// Whether the words of count `n` contain one of `words` (a word followed by `率` is the name
/// of a rate, not the word).
fn has_word(text: &str, n: &Number, words: &[String]) -> bool {
    let before = text.get(n.before()).unwrap_or("");
    let after = text.get(n.after()).unwrap_or("");
    words
        .iter()
        .filter(|w| !w.is_empty())
        .any(|w| cn::contains_word(before, w) || cn::contains_word(after, w))
}

fn find_counts<'n>(
    text: &str,
    ns: &'n Numbers,
    ri: usize,
    rate: &'n Number,
    spec: &RateSpec,
    name: String,
) -> Option<Match<'n>> {
    let sentence = ns.sentences.get(rate.sentence())?;
    let usable = |n: &Number| n.is_quantity() && !has_word(text, n, &spec.exclude);
    let para_first = {
        let mut s = rate.sentence();
        while s > 0 && ns.sentences[s - 1].paragraph() == sentence.paragraph() {
            s -= 1;
        }
        ns.sentences[s].numbers().start
    };
    let first = match spec.scope {
        Scope::Sentence => sentence.numbers().start,
        Scope::Paragraph => para_first,
    };
    let share = spec.numerator.is_empty();
    // The numerator: the nearest count before the rate in scope with a numerator word (or,
    // without numerator words, the nearest count in the rate's own sentence).
    let num_first = if share {
        sentence.numbers().start
    } else {
        first
    };
    // Counts are looked for at most MAX_BACK numbers back (resource limit: a paragraph run
    // together without punctuation may hold thousands).
    let num_first = num_first.max(ri.saturating_sub(MAX_BACK));
    let first = first.max(ri.saturating_sub(MAX_BACK));
    let para_first = para_first.max(ri.saturating_sub(MAX_BACK));
    let mut num_i = None;
    for i in (num_first..ri).rev() {
        let n = &ns.items[i];
        if !usable(n) {
            continue;
        }
        if share {
            // `占`: the count just before; a count that is itself a total is a share of
            // something the text does not give.
            if has_word(text, n, &spec.denominator) {
                return None;
            }
            num_i = Some(i);
            break;
        }
        if has_word(text, n, &spec.numerator) {
            num_i = Some(i);
            break;
        }
    }
    let num_i = num_i?;
    let num = &ns.items[num_i];
    let is_den = |n: &Number| {
        n.is_quantity()
            && n.compatible(num)
            && usable(n)
            && has_word(text, n, &spec.denominator)
            && (share || !has_word(text, n, &spec.numerator))
            && !has_word(text, n, &spec.addends)
    };
    // Named candidates in scope, nearest first.
    let dens: Vec<usize> = (first..ri)
        .rev()
        .filter(|&i| i != num_i && is_den(&ns.items[i]))
        .take(6)
        .collect();
    let addends: Vec<&Number> = (first..ri)
        .filter(|&i| i != num_i)
        .map(|i| &ns.items[i])
        .filter(|n| usable(n) && n.compatible(num) && has_word(text, n, &spec.addends))
        .take(2)
        .collect();
    // Explicit: the parent total of the list the numerator belongs to (shares), or a named
    // count in the rate's own sentence.
    let mut explicit: Vec<usize> = Vec::new();
    if share {
        explicit.extend(ns.list_parent(text, num_i));
    }
    explicit.extend(dens.iter().copied().filter(|&i| {
        ns.items[i].sentence() == rate.sentence() && ns.items[i].sentence() == num.sentence()
    }));
    let mut plausible: Vec<Den> = Vec::new();
    let mut push = |d: &Number| {
        plausible.push((d.lo, d.hi, d.is_exact()));
        for a in &addends {
            plausible.push((d.lo + a.lo, d.hi + a.hi, d.is_exact() && a.is_exact()));
        }
    };
    for &i in explicit.iter().chain(&dens) {
        push(&ns.items[i]);
    }
    if share {
        // A share may be of any earlier count of the same kind in its paragraph (`主动公开的
        // 政府信息，区直各单位303条，占71.3%` refers to a total two sentences back) …
        for i in para_first..ri {
            let n = &ns.items[i];
            if i != num_i && usable(n) && n.compatible(num) && n.hi >= num.lo {
                push(n);
            }
        }
        // … or of the sum of the shares listed beside it.
        if let Some(sum) = sibling_sum(text, ns, num_i, ri) {
            plausible.push(sum);
        }
    }
    let (den, confidence) = match explicit.first() {
        Some(&i) => {
            let d = &ns.items[i];
            let stated = |n: &Number| matches!(n.approx, Approx::Exact | Approx::Rounded);
            let c = if stated(d) && stated(num) {
                Confidence::Explicit
            } else {
                // An approximate count (`20多`, `近百`) is never the denominator of an error
                // (`1.2万` is only rounded: compared as an interval, it may be).
                Confidence::Inferred
            };
            (d, c)
        }
        None => {
            let d = dens
                .iter()
                .map(|&i| &ns.items[i])
                .find(|d| d.hi >= num.lo)
                .or_else(|| dens.first().map(|&i| &ns.items[i]))?;
            (d, Confidence::Inferred)
        }
    };
    Some(Match {
        rate,
        name,
        num,
        den,
        confidence,
        plausible,
        addend: addends.first().copied(),
    })
}

/// The sum of the counts in the run of `count, 占 share` pairs around count `ni` (whose share
/// is item `ri`): `A 303条，占71.3%。B 122条，占28.7%` gives 425 for either share. `None` when
/// the count stands alone.
fn sibling_sum(text: &str, ns: &Numbers, ni: usize, ri: usize) -> Option<Den> {
    if ri != ni + 1 {
        return None;
    }
    let run = ns.share_run(text, ni)?;
    let (mut lo, mut hi, mut exact) = (0.0, 0.0, true);
    for c in run.step_by(2) {
        let x = &ns.items[c];
        lo += x.lo;
        hi += x.hi;
        exact &= x.is_exact();
    }
    Some((lo, hi, exact))
}

/// A denominator to try: (low, high, exact).
type Den = (f64, f64, bool);

/// Whether the written rate fits numerator ÷ denominator. Exact counts with an exact rate are
/// compared in integers (rounding half up at the written decimals); anything approximate as
/// intervals.
fn fits(m: &Match, den: Den) -> bool {
    let (dlo, dhi, exact) = den;
    if dhi <= 0.0 {
        return true;
    }
    let rate = m.rate;
    if m.num.is_exact()
        && exact
        && dlo == dhi
        && rate.approx == Approx::Exact
        && let Some(ok) = fits_exact(m.num.value, dlo, rate)
    {
        return ok;
    }
    let clo = m.num.lo / dhi * 100.0;
    let chi = if dlo <= 0.0 {
        f64::INFINITY
    } else {
        m.num.hi / dlo * 100.0
    };
    clo <= rate.hi + EPS && chi + EPS >= rate.lo
}

/// `num ÷ den` rounded half up at `rate`'s decimals equals the stated value (for shares,
/// to the nearest ten). `None` when the values are not small integers.
fn fits_exact(num: f64, den: f64, rate: &Number) -> Option<bool> {
    let (n, d) = (as_int(num)?, as_int(den)?);
    if d == 0 {
        return Some(true);
    }
    let (scale, stated) = if rate.kind == Kind::Share {
        (1i128, as_int(rate.value / 10.0)? * 10)
    } else {
        let scale = 10i128.checked_pow(u32::from(rate.decimals))?;
        (scale, as_int((rate.value * scale as f64).round())?)
    };
    // Half up: (2S − 1)·d ≤ 2·n·100·scale < (2S + 1)·d; a share is read to the nearest ten.
    let (lo, hi) = if rate.kind == Kind::Share {
        ((2 * stated - 10) * d, (2 * stated + 10) * d)
    } else {
        ((2 * stated - 1) * d, (2 * stated + 1) * d)
    };
    let x = 2 * n * 100 * scale;
    Some(lo <= x && x < hi)
}

fn as_int(v: f64) -> Option<i128> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15).then_some(v as i128)
}

/// The rate numerator ÷ denominator at `decimals`, rounded half up, as text (`97.06`).
fn rounded(num: f64, den: f64, decimals: u8) -> String {
    if let (Some(n), Some(d)) = (as_int(num), as_int(den))
        && d > 0
    {
        let scale = 10i128.pow(u32::from(decimals));
        let s = (2 * n * 100 * scale + d) / (2 * d);
        let whole = s / scale;
        if decimals == 0 {
            return whole.to_string();
        }
        return format!(
            "{whole}.{:0width$}",
            s % scale,
            width = usize::from(decimals)
        );
    }
    format_decimal(num / den * 100.0, decimals)
}

/// True when cutting off (not rounding) numerator ÷ denominator gives the stated value.
fn truncated(num: f64, den: f64, rate: &Number) -> bool {
    let (Some(n), Some(d)) = (as_int(num), as_int(den)) else {
        return false;
    };
    if d == 0 || rate.kind != Kind::Percent || rate.approx != Approx::Exact {
        return false;
    }
    let scale = 10i128.pow(u32::from(rate.decimals));
    let cut = n * 100 * scale / d;
    as_int((rate.value * scale as f64).round()) == Some(cut)
}

fn percent_sign(stated: &str) -> &'static str {
    if stated.contains('％') { "％" } else { "%" }
}

fn check_value(ctx: &mut Ctx, m: &Match) {
    let text = ctx.report.text;
    let rate = m.rate;
    if rate.lo > 100.0 + EPS {
        return; // out-of-range
    }
    let dens = &m.plausible;
    if dens.iter().all(|&(_, dhi, _)| m.num.lo > dhi + EPS) {
        return; // out-of-range: the numerator is larger than any denominator
    }
    if dens.iter().any(|&d| fits(m, d)) {
        return;
    }
    let den = m.den.value;
    let d = if rate.kind == Kind::Share {
        0
    } else {
        rate.decimals
    };
    let stated = ctx.report.text[rate.span()].to_owned();
    let sign = percent_sign(&stated);
    let expected = if rate.kind == Kind::Share {
        format!("{}{sign}", rounded(m.num.value, den, 0))
    } else {
        format!("{}{sign}", rounded(m.num.value, den, d))
    };
    let computed = format!("{}%", rounded(m.num.value, den, d.max(1) + 1));
    let lang = ctx.lang;
    let vars = [
        ("rate", m.name.clone()),
        ("stated", stated.clone()),
        ("numerator", m.num.written(text)),
        ("denominator", m.den.written(text)),
        ("computed", computed.clone()),
        ("expected", expected.clone()),
        ("problem", String::new()),
    ];
    let mut diag = ctx
        .diag(rate.span(), &vars)
        .with_label(
            lang.pick(&format!("写的是 {stated}"), &format!("stated {stated}"))
                .to_owned(),
        )
        .with_secondary(
            m.num.span(),
            part_label(lang, text, "分子", "numerator", m.num),
        )
        .with_secondary(
            m.den.span(),
            part_label(lang, text, "分母", "denominator", m.den),
        )
        .with_note(format!(
            "{} ÷ {} = {computed}",
            m.num.written(text),
            m.den.written(text)
        ))
        .with_fingerprint(format!("{}{stated}", m.name));
    if let Some(a) = m.addend {
        diag = diag.with_note(lang.pick(
            &format!(
                "加上“{}”{}后也对不上",
                ctx.report.text.get(a.before()).unwrap_or("").trim(),
                a.written(text)
            ),
            &format!("adding {} does not fit either", a.written(text)),
        ));
    }
    if m.num.is_exact() && m.den.is_exact() && truncated(m.num.value, den, rate) {
        diag = diag.with_severity(Severity::Note).with_note(lang.pick(
            &format!("{stated} 是截去尾数得到的，四舍五入应为 {expected}"),
            &format!("{stated} was cut off rather than rounded; rounded it is {expected}"),
        ));
    }
    let exact = m.num.is_exact() && m.den.is_exact() && rate.approx == Approx::Exact;
    // A suggestion only where the binding is explicit: an inferred denominator may be the
    // wrong one, and applying the change would then make a right rate wrong.
    if exact && rate.kind == Kind::Percent && m.confidence == Confidence::Explicit {
        diag = diag.with_suggestion(rate.span(), expected);
    }
    ctx.push(diag.with_confidence(m.confidence, lang));
}

fn check_order(ctx: &mut Ctx, m: &Match) {
    let text = ctx.report.text;
    if !m.plausible.iter().all(|&(_, dhi, _)| m.num.lo > dhi + EPS) {
        return;
    }
    let rate = m.rate;
    let lang = ctx.lang;
    let stated = ctx.report.text[rate.span()].to_owned();
    let computed = format!("{}%", rounded(m.num.value, m.den.value, 2));
    let problem = lang
        .pick(
            &format!(
                "分子 {} 比分母 {} 还大",
                m.num.written(text),
                m.den.written(text)
            ),
            &format!(
                "the numerator {} is larger than the denominator {}",
                m.num.written(text),
                m.den.written(text)
            ),
        )
        .to_owned();
    let vars = [
        ("rate", m.name.clone()),
        ("stated", stated.clone()),
        ("numerator", m.num.written(text)),
        ("denominator", m.den.written(text)),
        ("computed", computed.clone()),
        ("expected", String::new()),
        ("problem", problem.clone()),
    ];
    let d = ctx
        .diag(rate.span(), &vars)
        .with_label(problem)
        .with_secondary(
            m.num.span(),
            part_label(lang, text, "分子", "numerator", m.num),
        )
        .with_secondary(
            m.den.span(),
            part_label(lang, text, "分母", "denominator", m.den),
        )
        .with_note(format!(
            "{} ÷ {} = {computed} > 100%",
            m.num.written(text),
            m.den.written(text)
        ))
        .with_fingerprint(format!("{}{stated}", m.name))
        .with_confidence(m.confidence, lang);
    ctx.push(d);
}

fn part_label(lang: Lang, text: &str, zh: &str, en: &str, n: &Number) -> String {
    match lang {
        Lang::Zh => format!("{zh}：{}", n.written(text)),
        Lang::En => format!("{en}: {}", n.written(text)),
    }
}
