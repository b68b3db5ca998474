//! The engine: `lint_source` is a pure function from a file's name and bytes to findings;
//! `lint_inputs` runs it over many files with rayon and hands the results to a sink in input
//! order, so the output is the same whatever the thread count.
//!
//! How the threads are used (`ordered_iter`): every thread of the pool takes the next file
//! from a shared source (for the CLI, the directory walk itself, `Walk`: checking starts
//! with the first file found and no list of files is made), checks it, runs the caller's
//! `prepare` step on the result (the CLI renders the file's output there) and puts it into
//! a reorder window; the calling thread
//! takes results out of the window strictly in input order and hands them to the sink. The
//! workers never wait for the sink or for each other, except when they are a whole window
//! ahead of it, which bounds memory however many files are checked. What the checks across
//! reports need is kept in a `cross::Store`, which spills to a temporary file.
//!
//! The engine never prints; adapters (the CLI, tests, the language server) decide what
//! to do with the results.
//!
//! Findings are filtered here, in one place: rules switched off, inline `nblint-disable`
//! comments (recognised by `report::suppress`) and `[[ignore]]` entries of nblint.toml.
//! After the last file, the checks across reports run (`crate::cross`) and their findings
//! are handed to the sink as `Output::Cross`, after every per-file result.
//!
//! Files: `options` (what changes how files are checked, and a configuration's profile),
//! `lint` (one file to a [`FileReport`]), `inputs` (command-line inputs and the directory
//! walk), `ordered` (the ordered ring, which knows no nblint types), `cross_pass` (the pass
//! across reports); this file joins them: [`lint_inputs`], `lint_jobs`, `lint_stream`.

use crate::checks::{Ctx, Phase, read_failure::Cause};
use crate::config::{Config, Switch};
use crate::cross::{self, Digest};
use crate::dates::Deadlines;
use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::emit;
use crate::input::{self, Document, Limits, ReadError};
use crate::report::suppress::Suppressions;
use crate::report::{ReadOptions, Report, TemplateSource};
use crate::rule::{Rule, RuleSet};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod cross_pass;
mod inputs;
mod lint;
mod options;
mod ordered;

use self::cross_pass::*;
pub use self::inputs::*;
pub use self::lint::*;
pub use self::options::*;
pub(crate) use self::ordered::*;
pub(crate) use crate::emit::FileMeta;
pub use crate::emit::FileReport;

/// Results at most held in the reorder window (checked, not yet handed to the sink).
pub(crate) const WINDOW: usize = 256;

/// Checks `inputs` on `pool` with one set of rules and options, calling `sink` for each
/// result in input order, then for the findings across reports.
pub fn lint_inputs<E>(
    inputs: &[Input],
    stdin: Option<&[u8]>,
    rules: &RuleSet,
    opts: &Options,
    pool: &rayon::ThreadPool,
    mut sink: impl FnMut(FileReport) -> Result<(), E>,
) -> Result<(), E> {
    let profiles = [Profile::new(rules, opts.clone())];
    let jobs: Vec<Job> = inputs
        .iter()
        .map(|i| Job {
            input: i.clone(),
            profile: 0,
            may_be_output: false,
        })
        .collect();
    lint_jobs(&jobs, &profiles, stdin, pool, |o| match o {
        Output::File(f) | Output::Cross(f) => sink(f),
    })
}

/// One file to check and the profile (configuration) it is checked with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Job {
    pub(crate) input: Input,
    /// Index into the profiles.
    pub(crate) profile: usize,
    /// A walked file to leave out if it is an output of nblint ([`inputs::lint_walked`]).
    pub(crate) may_be_output: bool,
}

/// What the engine hands to the sink.
#[derive(Debug)]
pub(crate) enum Output {
    /// The result for one file, in input order.
    File(FileReport),
    /// Findings across reports for one file (only files that have some), after every
    /// `File`. The text is the file's; `meta` has only the encoding, format and year.
    Cross(FileReport),
}

/// Checks `jobs` on `pool`: per-file results in input order, then the checks across reports
/// (see `crate::cross`).
pub(crate) fn lint_jobs<E>(
    jobs: &[Job],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    sink: impl FnMut(Output) -> Result<(), E>,
) -> Result<(), E> {
    lint_jobs_with(jobs, profiles, stdin, pool, WINDOW, |o| o, sink)
}

/// Like [`lint_jobs`], with a `prepare` step that runs on the worker thread right after a
/// file is checked (the CLI renders the file's output there), and at most `window` results
/// waiting for the sink. `sink` runs on the calling thread, in input order.
pub(crate) fn lint_jobs_with<T: Send, E>(
    jobs: &[Job],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    window: usize,
    prepare: impl Fn(Output) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    lint_stream(
        &mut jobs.iter().cloned(),
        profiles,
        stdin,
        pool,
        window,
        cross::MEMORY_RECORDS,
        prepare,
        sink,
    )
}

/// Like [`lint_jobs_with`], with the jobs taken one at a time from an iterator as workers
/// become free (the CLI's walk of the directories, [`Walk`]): checking starts with the first
/// file found, and no list of the run's files is ever made. The iterator runs on the worker
/// threads, one call at a time, in order; the index of a job is the number of jobs it
/// yielded before. The reports the checks across reports need are kept in a
/// [`cross::Store`] holding at most `cross_memory` of them in memory.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lint_stream<J, T: Send, E>(
    jobs: &mut J,
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    window: usize,
    cross_memory: usize,
    prepare: impl Fn(Output) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    J: Iterator<Item = Job> + Send,
{
    let any_cross = profiles.iter().any(|p| {
        p.rules
            .rules
            .iter()
            .any(|r| r.check.phase() == Phase::Cross)
    });
    let mut store = cross::Store::new(cross_memory);
    ordered_iter(
        pool,
        jobs,
        window,
        |_, j: Job| {
            let p = &profiles[j.profile];
            let name = j.input.display();
            let opts = p.options_for(&name);
            let mut r = match &j.input {
                Input::File(path) if j.may_be_output => {
                    match inputs::lint_walked(path, p.rules, &opts) {
                        Some(r) => r,
                        // Not a report: nothing goes to the sink.
                        None => return (None, None),
                    }
                }
                _ => lint_input(&j.input, stdin, p.rules, &opts),
            };
            let record = r.digest.take().filter(|_| any_cross).and_then(|d| {
                let source = match j.input {
                    Input::File(p) => cross::Source::File(p),
                    Input::Stdin => cross::Source::Stdin,
                    Input::Missing(..) => return None,
                };
                Some((d, j.profile, source))
            });
            (record, Some(prepare(Output::File(r))))
        },
        |i, (record, t)| {
            if let Some((d, profile, source)) = record
                && let (Ok(input), Ok(profile)) = (u32::try_from(i), u32::try_from(profile))
            {
                store.push(cross::Record {
                    input,
                    profile,
                    year: d.year,
                    body: d.body.into(),
                    source,
                });
            }
            t.map_or(Ok(()), &mut sink)
        },
    )?;
    let mut groups = store.groups();
    ordered_iter(
        pool,
        &mut groups,
        window.div_ceil(8),
        |_, g| {
            cross_group(&g, profiles, stdin)
                .into_iter()
                .map(|r| prepare(Output::Cross(r)))
                .collect::<Vec<T>>()
        },
        |_, ts| ts.into_iter().try_for_each(&mut sink),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool")
    }

    /// Uneven work, so that workers finish out of order.
    fn busy(i: usize) -> usize {
        let mut x = i;
        for k in 0..(i * 7919 % 13) * 2000 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(k));
        }
        std::hint::black_box(x);
        i * 2
    }

    #[test]
    fn results_come_in_order_whatever_the_window() {
        for (threads, window) in [(4, 1), (4, 2), (3, 7), (2, 256), (1, 3)] {
            let mut got = Vec::new();
            ordered(&pool(threads), 500, window, busy, |i, t| {
                got.push((i, t));
                Ok::<(), ()>(())
            })
            .expect("no error");
            let want: Vec<(usize, usize)> = (0..500).map(|i| (i, i * 2)).collect();
            assert_eq!(got, want, "{threads} threads, window {window}");
        }
    }

    #[test]
    fn workers_stay_within_the_window() {
        // Each result records how far ahead of the sink its worker was when it started.
        let taken = AtomicUsize::new(0);
        let mut ahead = 0;
        ordered(
            &pool(4),
            300,
            5,
            |i| i.saturating_sub(taken.load(Ordering::SeqCst)),
            |i, lead| {
                ahead = ahead.max(lead);
                taken.store(i + 1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        // The sink takes batches of up to a window before it says so: two windows at most.
        assert!(ahead < 10, "a worker was {ahead} results ahead");
    }

    #[test]
    fn a_failing_sink_stops_the_workers() {
        let started = AtomicUsize::new(0);
        let r = ordered(
            &pool(4),
            100_000,
            8,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i, _| if i == 20 { Err(i) } else { Ok(()) },
        );
        assert_eq!(r, Err(20));
        assert!(started.load(Ordering::SeqCst) < 100, "the workers went on");
    }

    #[test]
    fn a_panicking_worker_does_not_hang_the_run() {
        let r = std::panic::catch_unwind(|| {
            ordered(
                &pool(3),
                1000,
                4,
                |i| {
                    assert!(i != 30, "boom");
                    i
                },
                |_, _| Ok::<(), ()>(()),
            )
        });
        assert!(r.is_err(), "the panic goes on");
    }

    #[test]
    fn called_from_the_pool_it_works_alone() {
        let p = pool(1);
        let got = p.install(|| {
            let mut got = Vec::new();
            ordered(
                &p,
                50,
                2,
                |i| i,
                |_, t| {
                    got.push(t);
                    Ok::<(), ()>(())
                },
            )
            .map(|()| got)
        });
        assert_eq!(got, Ok((0..50).collect::<Vec<_>>()));
    }

    #[test]
    fn a_walk_error_is_reported_against_the_path_that_failed() {
        let denied = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("root/locked"),
                err: Box::new(ignore::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        assert_eq!(
            walk_error(denied, Path::new("root"), &["txt"]),
            Some(Input::Missing(
                PathBuf::from("root/locked"),
                Box::new(ReadError::PermissionDenied)
            ))
        );
        let looped = ignore::Error::Loop {
            ancestor: PathBuf::from("root"),
            child: PathBuf::from("root/loop"),
        };
        assert_eq!(walk_error(looped, Path::new("root"), &["txt"]), None);
    }

    #[test]
    fn the_source_is_read_as_the_workers_go() {
        // Each time the sink gets a result, how many items the workers have taken: with a
        // source read as needed, never more than the window (twice, the sink taking batches)
        // and one per thread ahead of the sink; collecting the source first would take all
        // 10,000 before the first result.
        struct Counted<'a>(std::ops::Range<usize>, &'a AtomicUsize);
        impl Iterator for Counted<'_> {
            type Item = usize;
            fn next(&mut self) -> Option<usize> {
                let i = self.0.next()?;
                self.1.fetch_add(1, Ordering::SeqCst);
                Some(i)
            }
        }
        let taken = AtomicUsize::new(0);
        let mut ahead = 0;
        let mut first = None;
        let mut got = 0;
        ordered_iter(
            &pool(4),
            &mut Counted(0..10_000, &taken),
            5,
            |_, x| busy(x),
            |i, _| {
                let t = taken.load(Ordering::SeqCst);
                first.get_or_insert(t);
                ahead = ahead.max(t - i);
                got += 1;
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        assert_eq!(got, 10_000);
        assert!(
            first < Some(20),
            "{first:?} items taken before the first result"
        );
        assert!(
            ahead <= 2 * 5 + 4,
            "the workers took {ahead} items ahead of the sink"
        );
    }

    #[test]
    fn an_empty_source_ends_the_run() {
        let r = ordered_iter(
            &pool(3),
            &mut std::iter::empty::<usize>(),
            4,
            |_, x| x,
            |_, _| Err(()),
        );
        assert_eq!(r, Ok(()));
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nblint-engine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).expect("mkdir");
        d
    }

    #[test]
    fn outputs_are_left_to_the_reader_only_when_one_path_is_named() {
        let d = tmp("outputs");
        let output = "检查了 2 个文件：1 个错误\n";
        std::fs::write(d.join("out.txt"), output).expect("write");
        std::fs::write(d.join("sub/a.md"), "x").expect("write");
        std::fs::write(d.join("sub/b.docx"), "x").expect("write");
        let exts = ["md", "txt", "docx"];
        let one = [d.clone()];
        let mut walk = Walk::new(&one, &exts).defer_own_outputs();
        let found: Vec<(Input, bool)> = std::iter::from_fn(|| walk.next_found()).collect();
        let f = |p: &str| Input::File(d.join(p));
        // Text files are looked at when read; a Word file cannot be an output.
        assert_eq!(
            found,
            vec![
                (f("out.txt"), true),
                (f("sub/a.md"), true),
                (f("sub/b.docx"), false)
            ]
        );
        let rules = RuleSet::builtin().expect("built-in rules");
        let opts = Options::default();
        assert!(inputs::lint_walked(&d.join("out.txt"), &rules, &opts).is_none());
        assert!(inputs::lint_walked(&d.join("sub/a.md"), &rules, &opts).is_some());
        // With two paths the walk looks itself: out.txt is left out there.
        let two = [d.clone(), d.join("sub")];
        let mut walk = Walk::new(&two, &exts).defer_own_outputs();
        let found: Vec<(Input, bool)> = std::iter::from_fn(|| walk.next_found()).collect();
        assert_eq!(
            found,
            vec![(f("sub/a.md"), false), (f("sub/b.docx"), false)]
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_file_named_twice_comes_once_and_only_overlaps_are_remembered() {
        let d = tmp("walk");
        for f in ["a.md", "b.md", "sub/c.md", "sub/d.md"] {
            std::fs::write(d.join(f), "x").expect("write");
        }
        let f = |p: &str| Input::File(d.join(p));
        let paths = vec![
            d.join("sub/c.md"),
            d.clone(),
            d.join("sub"),
            d.join("a.md"),
            PathBuf::from("-"),
        ];
        let mut walk = Walk::new(&paths, &["md"]);
        let got: Vec<Input> = walk.by_ref().collect();
        assert_eq!(
            got,
            vec![
                f("sub/c.md"),
                f("a.md"),
                f("b.md"),
                f("sub/d.md"),
                Input::Stdin
            ]
        );
        // Under `sub` and `a.md`, named after the directory: a.md, sub/c.md, sub/d.md; b.md
        // is not remembered.
        assert_eq!(walk.remembered(), 3);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn findings_across_reports_are_the_same_when_the_reports_go_to_disk() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let profiles = [Profile::new(&rules, Options::default())];
        let jobs: Vec<Job> = collect_inputs(&[PathBuf::from("fixtures/ci-repo")], &["md"])
            .into_iter()
            .map(|input| Job {
                input,
                profile: 0,
                may_be_output: false,
            })
            .collect();
        let run = |memory: usize, threads: usize| {
            let mut out = Vec::new();
            lint_stream(
                &mut jobs.iter().cloned(),
                &profiles,
                None,
                &pool(threads),
                3,
                memory,
                |o| o,
                |o| {
                    if let Output::Cross(f) = o {
                        let codes: Vec<String> = f
                            .diagnostics
                            .iter()
                            .map(|d| format!("{}:{}", d.code, d.span.start))
                            .collect();
                        out.push(format!("{} {}", f.path, codes.join(" ")));
                    }
                    Ok::<(), ()>(())
                },
            )
            .expect("no error");
            out
        };
        let kept = run(cross::MEMORY_RECORDS, 2);
        assert!(kept.iter().any(|l| l.contains("NB501")), "{kept:?}");
        assert!(kept.iter().any(|l| l.contains("NB502")), "{kept:?}");
        for (memory, threads) in [(1, 2), (2, 1), (3, 3)] {
            assert_eq!(
                run(memory, threads),
                kept,
                "{memory} in memory, {threads} threads"
            );
        }
    }
}
