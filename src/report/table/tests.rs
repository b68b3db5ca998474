#![allow(clippy::print_stderr)]
use super::*;

#[test]
fn values() {
    use CellValue::*;
    for (s, v) in [
        ("12", Some(Int(12))),
        ("１２", Some(Int(12))),
        ("1,234", Some(Int(1234))),
        ("1，234", Some(Int(1234))),
        ("+1036", Some(Int(1036))),
        ("－3", Some(Int(-3))),
        ("-3", Some(Int(-3))),
        ("0.25", Some(Decimal(0.25))),
        ("251000元", Some(Int(251000))),
        ("3件", Some(Int(3))),
        ("", Some(Blank)),
        ("/", Some(Dash)),
        ("-", Some(Dash)),
        ("—", Some(Dash)),
        ("无", Some(Dash)),
        ("1,23", None),
        ("1.", None),
        ("自然人", None),
        ("条", None),
        ("0 0", None),
        ("97%", None),
        ("1234567890123456789", Some(Unreadable)),
        ("1,234,567,890,123,456", Some(Unreadable)),
        ("1,234.5", Some(Decimal(1234.5))),
        ("－0.5万元", Some(Decimal(-0.5))),
        ("１２．５", Some(Decimal(12.5))),
        ("+.5", None),
        ("1.2.3", None),
        ("12 件", None),
    ] {
        assert_eq!(parse_value(s), v, "{s}");
    }
    // The longest text read as a number (64 bytes), and one byte more.
    let long = format!("1.{}", "0".repeat(62));
    assert_eq!(parse_value(&long), Some(Decimal(1.0)));
    assert_eq!(parse_value(&format!("{long}0")), None);
    for (s, v) in [
        (
            format!("{}元", "1".repeat(15)),
            Some(Int(111_111_111_111_111)),
        ),
        (
            format!("－{}", "９".repeat(15)),
            Some(Int(-999_999_999_999_999)),
        ),
    ] {
        assert_eq!(parse_value(&s), v, "{s}");
    }
}

#[test]
fn keys() {
    assert_eq!(
        label_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        "部分公开"
    );
    assert_eq!(label_key("(二) 部分公开"), "部分公开");
    assert_eq!(label_key("3.危及“三安全一稳定”"), "危及三安全一稳定");
    assert_eq!(label_key("3. 危及\"三安全 一稳定\""), "危及三安全一稳定");
    assert_eq!(label_key("3、危及三安全一稳定"), "危及三安全一稳定");
    assert_eq!(label_key("3．危及三安全一稳定"), "危及三安全一稳定");
    assert_eq!(label_key("商业\n企业"), "商业企业");
    assert_eq!(label_key("其中：涉及国家秘密"), "涉及国家秘密");
    assert_eq!(label_key("本年收费金额（单位：万元）"), "本年收费金额");
    assert_eq!(
        label_key("一、本年新收政府信息公开申请数量"),
        "本年新收政府信息公开申请数量"
    );
    assert_eq!(
        label_key("(一) 主动公开政府信息数 (不同渠道和方式公开相同信息计 1 条)"),
        "主动公开政府信息数"
    );
    assert_eq!(label_key("尚未审·结"), "尚未审结");
    let c = row_candidates(&["三、本 (一)予以公开"]);
    assert!(c.contains(&"予以公开".to_owned()), "{c:?}");
    let c = row_candidates(&["（三）不予公开", "1.属于国家秘密"]);
    assert_eq!(c[0], "属于国家秘密");
}

#[test]
fn digits_split() {
    // 64 + 0 + 0 + 2 + 0 + 4 = 70
    assert_eq!(
        unique_split("640020470", &[(0..7, 6)]),
        Some(vec![64, 0, 0, 2, 0, 4, 70])
    );
    // Ambiguous: 1+1=2 in more than one way? "112" → [1,1,2] only.
    assert_eq!(unique_split("112", &[(0..3, 2)]), Some(vec![1, 1, 2]));
    assert_eq!(unique_split("123", &[(0..3, 2)]), Some(vec![1, 2, 3]));
    assert_eq!(unique_split("124", &[(0..3, 2)]), None);
}

fn templates() -> crate::report::TemplateSet {
    crate::rule::RuleSet::builtin()
        .expect("built-in rules")
        .templates
}

pub(super) fn read_text(text: &str, format: crate::input::Format) -> Vec<Table> {
    let doc = Document::from_text(text.to_owned(), "UTF-8", format);
    let mut lines = super::super::classify_lines(&doc.text);
    let t = templates();
    read(&doc, &mut lines, &t, None)
}

fn dump_all(tables: &[Table]) -> String {
    tables.iter().map(|t| t.dump()).collect()
}

#[test]
fn fixture_markdown_and_tabs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports");
    for f in ["2021-qingshan-township.md", "2021-qingshan-transport.txt"] {
        let text = std::fs::read_to_string(root.join(f)).unwrap();
        let tables = read_text(&text, crate::input::Format::Markdown);
        let d = dump_all(&tables);
        eprintln!("{f}\n{d}");
        let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "active_1", "active_5", "active_6", "active_8", "requests", "appeals"
            ],
            "{d}"
        );
        assert!(tables.iter().all(|t| t.readable), "{d}");
    }
}

/// `NBLINT_DUMP=file cargo test --lib dump_tables -- --ignored --nocapture` prints the tables
/// read from a file (for studying real reports; not run in CI).
#[test]
#[ignore]
fn dump_tables() {
    let Ok(path) = std::env::var("NBLINT_DUMP") else {
        return;
    };
    for p in path.split(',') {
        let bytes = std::fs::read(p).unwrap();
        let doc = crate::input::read(p, &bytes, &crate::input::Limits::default()).unwrap();
        let t = templates();
        let mut lines = super::super::classify_lines(&doc.text);
        let tables = read(&doc, &mut lines, &t, None);
        eprintln!("== {p}");
        for tb in &tables {
            let lc = |o: usize| doc.text[..o].matches('\n').count() + 1;
            eprint!(
                "[lines {}-{}] {}",
                lc(tb.span.start),
                lc(tb.span.end),
                tb.dump()
            );
        }
    }
}

/// `cargo test --release --lib time_read -- --ignored --nocapture`: µs per `read` of a fixture.
#[test]
#[ignore]
fn time_read() {
    let t = templates();
    for f in [
        "fixtures/reports/2021-qingshan-township.md",
        "fixtures/reports/2021-qingshan-transport.txt",
        "fixtures/reports/2021-baishui-missing-section.md",
    ] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(f))
                .unwrap();
        let doc = Document::from_text(text, "UTF-8", crate::input::Format::Markdown);
        let base = super::super::classify_lines(&doc.text);
        let n = 2000;
        let mut best = f64::MAX;
        for _ in 0..3 {
            let start = std::time::Instant::now();
            for _ in 0..n {
                let mut lines = base.clone();
                std::hint::black_box(read(&doc, &mut lines, &t, None));
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mut lines = base.clone();
        let rows = text_rows(&doc.text, &lines, &[]);
        let start = std::time::Instant::now();
        for _ in 0..n {
            let mut s = Scratch::default();
            let an: Vec<Analysed> = rows.iter().map(|r| analyse(r, &mut s)).collect();
            std::hint::black_box(an);
        }
        let an_t = start.elapsed().as_secs_f64();
        let schemas = Schemas::new(&t);
        let mut s = Scratch::default();
        let an: Vec<Analysed> = rows.iter().map(|r| analyse(r, &mut s)).collect();
        let start = std::time::Instant::now();
        for _ in 0..n {
            let evs: Vec<Evidence> = an.iter().map(|a| evidence(a, &schemas)).collect();
            std::hint::black_box(evs);
        }
        let ev_t = start.elapsed().as_secs_f64();
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(text_rows(&doc.text, &lines, &[]));
        }
        let rows_t = start.elapsed().as_secs_f64();
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(Schemas::new(&t));
        }
        let sch_t = start.elapsed().as_secs_f64();
        let evs: Vec<Evidence> = an.iter().map(|a| evidence(a, &schemas)).collect();
        let start = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(segment(&rows, &an, &evs));
        }
        let seg_t = start.elapsed().as_secs_f64();
        let segs = segment(&rows, &an, &evs);
        let start = std::time::Instant::now();
        for _ in 0..n {
            for sg in &segs {
                std::hint::black_box(fit_best(&rows, &an, sg, &schemas, None, &doc.text));
            }
        }
        let fit_t = start.elapsed().as_secs_f64();
        let start = std::time::Instant::now();
        for _ in 0..n {
            for sg in &segs {
                for (si, spec) in schemas.all.iter().enumerate() {
                    if sg.ids & schemas.index().id_bit[si] != 0
                        && schemas.index().same_as[si].is_none()
                    {
                        let _ = spec;
                        std::hint::black_box(fit(&rows, &an, &sg.rows, spec, schemas.keys(si), si));
                    }
                }
            }
        }
        let fitall_t = start.elapsed().as_secs_f64();
        eprintln!(
            "  segment {:.1} µs, fit_best {:.1} µs, every fit {:.1} µs",
            seg_t * 1e6 / n as f64,
            fit_t * 1e6 / n as f64,
            fitall_t * 1e6 / n as f64
        );
        let tables = read(&doc, &mut lines, &t, None).len();
        eprintln!(
            "{f}: read {:.1} µs; rows {} ({:.1} µs), analyse {:.1} µs, evidence {:.1} µs, schemas {:.1} µs; {} tables",
            best * 1e6 / n as f64,
            rows.len(),
            rows_t * 1e6 / n as f64,
            an_t * 1e6 / n as f64,
            ev_t * 1e6 / n as f64,
            sch_t * 1e6 / n as f64,
            tables
        );
    }
}

/// A layout read once is read again from its plan; digits run together in a row with blank
/// cells are still recognised (the plan's shape cannot tell them apart).
#[test]
fn plans_do_not_hide_digits_run_together() {
    let clean = "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|---|---|\n| 一、本年新收政府信息公开申请数量 | | | 5 | | | | | | 5 |\n| 二、上年结转政府信息公开申请数量 | | | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n";
    let t = read_text(clean, crate::input::Format::Markdown);
    assert_eq!(t.len(), 1);
    assert!(
        !t[0]
            .problems()
            .iter()
            .any(|p| matches!(p, Problem::RunTogether { .. }))
    );
    assert_eq!(t[0].int("new", "natural"), Some(5));
    // Same shape, same cells filled: now `640020470` in 自然人 and the total.
    let run = clean.replace("| 5 | | | | | | 5 |", "| 640020470 | | | | | | 70 |");
    let t = read_text(&run, crate::input::Format::Markdown);
    assert!(
        t[0].problems()
            .iter()
            .any(|p| matches!(p, Problem::RunTogether { .. })),
        "{:?}",
        t[0].problems()
    );
    // And the clean one again, from the plan, with its own numbers.
    let again = clean.replace("| 5 | | | | | | 5 |", "| 7 | | | | | | 7 |");
    let t = read_text(&again, crate::input::Format::Markdown);
    assert_eq!(t[0].int("new", "natural"), Some(7));
    assert_eq!(t[0].int("new", "total"), Some(7));
    assert_eq!(
        t[0].cell("new", "business").map(|c| &c.value),
        Some(&CellValue::Blank)
    );
}

/// `rows::trimmed` (plain spaces bytewise, then characters) is `str::trim` on the range.
#[test]
fn trimmed_is_trim() {
    let cases = [
        "",
        " ",
        "   ",
        "12",
        " 12 ",
        "  本年新收  ",
        "\t12\t",
        " \u{3000}12\u{3000} ",
        "\u{3000}",
        " a b ",
        "  \u{a0}x",
        "x\u{a0}  ",
        " \n ",
        "一 ",
        " 一",
        "  ｜  ",
    ];
    for c in cases {
        let text = format!("前{c}后");
        let r = "前".len()..text.len() - "后".len();
        let got = rows::trimmed(&text, r.clone());
        let s = &text[r.clone()];
        let lead = s.len() - s.trim_start().len();
        assert_eq!(
            got,
            r.start + lead..r.start + lead + s.trim().len(),
            "{c:?}"
        );
    }
}

/// Pipe cells are the parts between pipes, each trimmed, whatever their widths.
#[test]
fn pipe_cells() {
    let text = "| 项目 |  12 |\u{3000}3\u{3000}||x|";
    let row = rows::pipe_row(text, 0..text.len(), 0);
    let cells: Vec<&str> = row.cells.iter().map(|c| c.text).collect();
    assert_eq!(cells, ["项目", "12", "3", "", "x"]);
    let text = "a|b";
    let row = rows::pipe_row(text, 0..text.len(), 0);
    let cells: Vec<&str> = row.cells.iter().map(|c| c.text).collect();
    assert_eq!(cells, ["a", "b"]);
}

/// Reading from cached plans gives the tables that fitting gives: every fixture's tables read
/// with no plan cached equal those read with the plans every fixture left behind (read twice
/// over, so each file's own plans and the others' are in the cache). `apply_plan` gives up
/// when a plan does not fit the rows, so this holds even for a poor key (truncating the key
/// to the table ids still passes); that the key tells shapes apart is by construction
/// (`plan_key`: fixed widths and lengths).
#[test]
fn tables_read_from_plans_are_the_tables_read_by_fitting() {
    use super::plan::PLANS;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut dirs = vec![root.join("reports"), root.join("rules")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "md" || x == "txt" || x == "html")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 20, "{} fixtures", files.len());
    let read_file = |p: &std::path::Path| -> String {
        let bytes = std::fs::read(p).unwrap();
        let Ok(doc) = crate::input::read(&p.to_string_lossy(), &bytes, &Default::default()) else {
            return String::new();
        };
        let mut lines = super::super::classify_lines(&doc.text);
        dump_all(&read(&doc, &mut lines, &templates(), None))
    };
    let cold: Vec<String> = files
        .iter()
        .map(|p| {
            PLANS.with(|c| c.borrow_mut().clear());
            read_file(p)
        })
        .collect();
    PLANS.with(|c| c.borrow_mut().clear());
    for _ in 0..2 {
        for (p, want) in files.iter().zip(&cold) {
            assert_eq!(&read_file(p), want, "{}", p.display());
        }
    }
    assert!(PLANS.with(|c| !c.borrow().is_empty()));
}

#[test]
fn white_space_is_told_by_its_first_and_last_bytes() {
    let mut buf = [0u8; 4];
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let e = c.encode_utf8(&mut buf).as_bytes();
        if c.is_whitespace() {
            assert!(rows::may_start_white(e[0]), "{c:?}");
            assert!(rows::may_end_white(e[e.len() - 1]), "{c:?}");
        }
        // Trimming by bytes and by characters agree.
        let s = format!("{c}x{c}");
        let r = rows::trimmed(&s, 0..s.len());
        assert_eq!(&s[r], s.trim(), "{c:?}");
    }
}
