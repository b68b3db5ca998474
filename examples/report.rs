//! Prints what nblint read from a report: the logical lines, the headings, the template
//! sections found and the tables, for looking at why a rule did or did not fire:
//!
//! ```sh
//! cargo run --example report -- ../shared/corpus/024.txt
//! ```

use nblint::input::{Limits, read};
use nblint::report::{ReadOptions, Report};
use nblint::rule::RuleSet;

fn main() {
    let Ok(rules) = RuleSet::builtin() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let doc = match read(&path, &bytes, &Limits::default()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
        let short = |s: &str| s.chars().take(60).collect::<String>();
        println!("== {path}: template {:?}", r.template.map(|t| &t.name));
        for (i, l) in r.lines.iter().enumerate() {
            println!("line {i:>4} {:?} {}", l.kind(), short(&r.text[l.content()]));
        }
        for h in &r.outline.headings {
            println!(
                "heading line {} depth {} like {} {}",
                h.line(),
                h.depth(),
                h.title_like,
                short(&r.text[h.span()])
            );
        }
        if let Some(t) = r.template {
            for hit in &r.sections {
                println!(
                    "section {} {:?} heading {:?}",
                    t.sections[hit.section].id, hit.quality, hit.heading
                );
            }
        }
        let c = &r.contacts;
        for (what, spans) in [
            (
                "phone",
                c.phones.iter().map(|p| p.span.clone()).collect::<Vec<_>>(),
            ),
            ("email", c.emails.iter().map(|e| e.span.clone()).collect()),
            ("website", c.websites.clone()),
            ("address", c.addresses.clone()),
        ] {
            for s in spans {
                println!("contact {what}: {}", short(&r.text[s]));
            }
        }
        for t in &r.tables {
            print!("{}", t.dump());
        }
    }
}
