//! How the patterns of one `pattern` rule are split into expressions that each keep a fast
//! literal prefilter. build.rs includes this file too (`#[path]`) and splits the built-in
//! rules' patterns when nblint is built: trying each pattern against each group builds a
//! prefilter per try, which was about a quarter of the start-up (17 M of 60 M instructions
//! for one small report). Only regex-syntax and regex-automata are used here.

/// Rules with more patterns than this are not split into groups (the split tries each
/// pattern against every group: quadratic). Each group is a pass over every report, so a
/// long list is better served by one expression anyway.
pub(crate) const MAX_GROUPED: usize = 64;

/// Splits the patterns into groups that each keep a fast literal prefilter: each pattern
/// joins the first group it does not slow down. Line-start patterns (`^\s*` removed) and the
/// others are grouped separately. More than [`MAX_GROUPED`] patterns: one group of each.
pub(crate) fn groups(patterns: &[&str]) -> Vec<(bool, Vec<String>)> {
    use regex_automata::MatchKind;
    use regex_automata::util::prefilter::Prefilter;
    let hir = |p: &str| {
        regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .build()
            .parse(p)
            .ok()
    };
    let mut out: Vec<(bool, Vec<String>, Vec<regex_syntax::hir::Hir>)> = Vec::new();
    for &p in patterns {
        // `^\s*` is removed only where it starts the whole pattern (`^\s*a|b` is `^\s*a` or
        // `b`, and stays as it is).
        let top_concat = || {
            hir(p).is_some_and(|h| match h.kind() {
                regex_syntax::hir::HirKind::Concat(items) => {
                    matches!(
                        items.first().map(|i| i.kind()),
                        Some(regex_syntax::hir::HirKind::Look(_))
                    )
                }
                _ => false,
            })
        };
        let (line_start, body) = match p.strip_prefix(r"^\s*") {
            Some(rest) if !rest.is_empty() && hir(rest).is_some() && top_concat() => (true, rest),
            _ => (false, p),
        };
        if patterns.len() > MAX_GROUPED {
            match out.iter_mut().find(|g| g.0 == line_start) {
                Some(g) => g.1.push(body.to_owned()),
                None => out.push((line_start, vec![body.to_owned()], Vec::new())),
            }
            continue;
        }
        let Some(h) = hir(body) else {
            out.push((line_start, vec![body.to_owned()], Vec::new()));
            continue;
        };
        let joined = out.iter_mut().filter(|g| g.0 == line_start).find_map(|g| {
            if g.2.is_empty() {
                return None;
            }
            let mut hirs = g.2.clone();
            hirs.push(h.clone());
            Prefilter::from_hirs_prefix(MatchKind::LeftmostFirst, &hirs)
                .is_some_and(|pf| pf.is_fast())
                .then(|| {
                    g.1.push(body.to_owned());
                    g.2 = hirs;
                })
        });
        if joined.is_none() {
            out.push((line_start, vec![body.to_owned()], vec![h]));
        }
    }
    out.into_iter().map(|(l, p, _)| (l, p)).collect()
}
