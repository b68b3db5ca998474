//! The pass across reports after the last file: re-reads each body's group of reports and
//! runs the cross-report rules on consecutive years.

use super::*;

/// Re-reads the members of one body's group and runs the cross-report rules on each pair of
/// consecutive years. Returns the files with findings, in input order.
pub(super) fn cross_group(
    group: &[cross::Record],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
) -> Vec<FileReport> {
    struct Member<'p> {
        input: usize,
        year: i32,
        path: String,
        doc: Document,
        opts: Cow<'p, Options>,
        profile: &'p Profile<'p>,
    }
    let members: Vec<Option<Member>> = group
        .iter()
        .map(|r| {
            let input = usize::try_from(r.input).ok()?;
            let profile = profiles.get(usize::try_from(r.profile).ok()?)?;
            let (path, bytes) = match &r.source {
                cross::Source::Stdin => (Input::Stdin.display(), stdin?.to_vec()),
                cross::Source::File(p) => (
                    p.display().to_string(),
                    read_file(p, &profile.opts.limits).ok()?,
                ),
            };
            let doc = input::read(&path, &bytes, &profile.opts.limits).ok()?;
            let opts = profile.options_for(&path);
            Some(Member {
                input,
                year: r.year,
                path,
                doc,
                opts,
                profile,
            })
        })
        .collect();
    let reports: Vec<Option<Report>> = members
        .iter()
        .map(|m| {
            m.as_ref()
                .map(|m| Report::build(&m.doc, &m.profile.rules.templates, &m.opts.read))
        })
        .collect();
    // The digests again: a file that no longer has the year it had in the first pass
    // (changed while nblint ran) is left out.
    let full: Vec<Option<Digest>> = members
        .iter()
        .zip(&reports)
        .map(|(m, r)| {
            let (m, r) = (m.as_ref()?, r.as_ref()?);
            cross::digest(r, m.opts.agency.as_deref()).filter(|d| d.year == m.year)
        })
        .collect();
    let mut found: Vec<Vec<Diagnostic>> = vec![Vec::new(); members.len()];
    for w in 1..members.len() {
        let (Some(cur), Some(prev), Some(cr), Some(pr), Some(cd), Some(pd)) = (
            &members[w],
            &members[w - 1],
            &reports[w],
            &reports[w - 1],
            &full[w],
            &full[w - 1],
        ) else {
            continue;
        };
        if pd.year + 1 != cd.year {
            continue;
        }
        let pair = cross::Pair {
            current: cd,
            previous: pd,
            current_path: &cur.path,
            previous_path: &prev.path,
        };
        let template = cr.template.map(|t| t.name.as_str());
        for rule in &cur.profile.rules.rules {
            if rule.check.phase() != Phase::Cross || !rule.applies(template) {
                continue;
            }
            let on_cur = cur.opts.rule_enabled(&rule.code, &rule.name);
            let on_prev = prev.opts.rule_enabled(&rule.code, &rule.name);
            if !on_cur && !on_prev {
                continue;
            }
            let mut cc = Ctx::new(cr, rule, cur.opts.lang);
            let mut pc = Ctx::new(pr, rule, cur.opts.lang);
            rule.check.run_pair(&mut cc, &mut pc, &pair);
            for (on, out, opts, k) in [
                (on_cur, cc.finish(), &cur.opts, w),
                (on_prev, pc.finish(), &prev.opts, w - 1),
            ] {
                if !on {
                    continue;
                }
                let over = opts.level_for(rule);
                found[k].extend(out.into_iter().map(|mut d| {
                    if let Some(s) = over {
                        d.severity = s;
                    }
                    cap_inferred(&mut d);
                    d
                }));
            }
        }
    }
    let mut out: Vec<(usize, FileReport)> = Vec::new();
    for ((m, r), mut diagnostics) in members.iter().zip(&reports).zip(found) {
        let (Some(m), Some(r)) = (m, r) else { continue };
        if diagnostics.is_empty() {
            continue;
        }
        m.opts.filter(
            &m.path,
            &m.doc.text,
            Some(&r.suppressions),
            &mut diagnostics,
        );
        if diagnostics.is_empty() {
            continue;
        }
        out.push((
            m.input,
            FileReport {
                path: m.path.clone(),
                text: m.doc.text.clone(),
                meta: Some(FileMeta {
                    encoding: m.doc.encoding.clone(),
                    format: m.doc.format.as_str().to_owned(),
                    report_year: Some(m.year),
                    is_annual_report: true,
                    ..FileMeta::default()
                }),
                fail_on: m.opts.fail_on,
                diagnostics,
                unreadable: false,
                digest: None,
            },
        ));
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, f)| f).collect()
}
