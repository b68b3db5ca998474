//! Statistical tables end to end: every single number of 表三 and 表四 bumped by one is caught
//! by an arithmetic rule, in the Markdown and the tab-separated layout; real grids (as the
//! .docx and HTML readers hand them over, with merged cells) are read and located in words;
//! the table API used by other rules; and, when the seed reports are present on this machine
//! (they are not in CI), seed 004 and seed 001.

use nblint::engine::{Options, lint_document, lint_source};
use nblint::input::{Document, Format, Grid, GridCell, Limits};
use nblint::report::{ReadOptions, Report};
use nblint::{Diagnostic, RuleSet};
use std::path::Path;

const ARITHMETIC: [&str; 4] = ["NB201", "NB202", "NB203", "NB204"];
const TABLE_CODES: [&str; 10] = [
    "NB201", "NB202", "NB203", "NB204", "NB205", "NB206", "NB207", "NB208", "NB209", "NB107",
];

fn fixture(p: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).expect("fixture")
}

fn lint_text(name: &str, text: &str, rules: &RuleSet) -> Vec<Diagnostic> {
    lint_source(name, text.as_bytes(), rules, &Options::default()).diagnostics
}

fn table_findings(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .filter(|d| TABLE_CODES.contains(&d.code.as_str()))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// Every integer cell of 表三 and 表四 with its span.
fn cells(name: &str, text: &str, rules: &RuleSet) -> Vec<(String, std::ops::Range<usize>, i64)> {
    let doc = nblint::input::read(name, text.as_bytes(), &Limits::default()).expect("readable");
    let report = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let mut out = Vec::new();
    for id in ["requests", "appeals"] {
        let t = report
            .table(id)
            .unwrap_or_else(|| panic!("{name}: no {id}"));
        assert!(t.readable, "{name}: {id} unreadable: {:?}", t.problems());
        for r in 0..t.rows().len() {
            for c in 0..t.columns().len() {
                if let Some(cell) = t.cell_at(r, c)
                    && let Some(v) = cell.value.as_int()
                {
                    out.push((
                        format!("{id} {} {}", t.rows()[r].id, t.columns()[c].id),
                        cell.span.clone(),
                        v,
                    ));
                }
            }
        }
    }
    out
}

fn bump_every_cell(name: &str) {
    bump_every_cell_of(name, fixture(name));
}

fn bump_every_cell_of(name: &str, text: String) {
    let rules = RuleSet::builtin().expect("rules");
    assert_eq!(
        table_findings(&lint_text(name, &text, &rules)),
        Vec::<String>::new(),
        "the clean fixture has table findings"
    );
    let cells = cells(name, &text, &rules);
    assert_eq!(
        cells.len(),
        25 * 7 + 15,
        "{name}: every cell of 表三 and 表四"
    );
    let mut missed = Vec::new();
    let mut blamed_elsewhere = Vec::new();
    let mut unbalanced = Vec::new();
    for (what, span, v) in &cells {
        let mut bumped = text.clone();
        let new = (v + 1).to_string();
        bumped.replace_range(span.clone(), &new);
        let d = lint_text(name, &bumped, &rules);
        if !d.iter().any(|d| ARITHMETIC.contains(&d.code.as_str())) {
            missed.push(what.clone());
        }
        // In 表三 every finding blames the mutated cell: it is where the failing row and column
        // cross. (表四 has one equation per block: a wrong part and a wrong total look the
        // same there, and the total is blamed.)
        let cell = span.start..span.start + new.len();
        if what.starts_with("requests")
            && d.iter()
                .filter(|d| ARITHMETIC.contains(&d.code.as_str()))
                .any(|d| d.span != cell)
        {
            blamed_elsewhere.push(what.clone());
        }
        // Applying the suggestions balances the table again.
        let fixed = apply_suggestions(&bumped, &d);
        let again = lint_text(name, &fixed, &rules);
        let left: Vec<&str> = again
            .iter()
            .filter(|d| ARITHMETIC.contains(&d.code.as_str()))
            .map(|d| d.code.as_str())
            .collect();
        if !left.is_empty() {
            unbalanced.push(format!("{what}: {left:?}"));
        }
        // The finding points at a cell of the same table, never at prose.
        for x in d.iter().filter(|d| ARITHMETIC.contains(&d.code.as_str())) {
            assert!(
                x.suggestion.is_some(),
                "{what}: {} has no suggestion",
                x.code
            );
        }
    }
    assert!(missed.is_empty(), "{name}: bumps not caught: {missed:?}");
    assert!(
        blamed_elsewhere.is_empty(),
        "{name}: a finding blames another cell than the bumped one: {blamed_elsewhere:?}"
    );
    assert!(
        unbalanced.is_empty(),
        "{name}: the suggestions, applied, leave table findings: {unbalanced:?}"
    );
}

/// `text` with every suggestion of the arithmetic findings applied (the same edit suggested
/// by two findings is made once).
fn apply_suggestions(text: &str, d: &[Diagnostic]) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = d
        .iter()
        .filter(|d| ARITHMETIC.contains(&d.code.as_str()))
        .filter_map(|d| d.suggestion.as_ref())
        .map(|s| (s.span.clone(), s.replacement.clone()))
        .collect();
    edits.sort_by_key(|e| (e.0.start, e.0.end));
    edits.dedup();
    let mut out = text.to_owned();
    let mut last = usize::MAX;
    for (span, rep) in edits.into_iter().rev() {
        if span.end > last {
            continue; // overlapping edits: keep the later one
        }
        last = span.start;
        out.replace_range(span, &rep);
    }
    out
}

#[test]
fn every_bump_is_caught_markdown() {
    bump_every_cell("fixtures/rules/table-balance/ok.md");
}

#[test]
fn every_bump_is_caught_tab_separated() {
    bump_every_cell("fixtures/rules/table-balance/ok-tabs.txt");
}

/// Tab-separated text copied from a table with merged cells often repeats the merged label on
/// every row (`三、本年度办理结果⇥（三）不予公开⇥1.属于国家秘密⇥0…`): the same table, read the
/// same way, every bump caught and blamed on its cell.
#[test]
fn every_bump_is_caught_tab_separated_with_repeated_merged_labels() {
    let name = "fixtures/rules/table-balance/ok-tabs.txt";
    let mut last: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for line in fixture(name).lines() {
        let mut cells: Vec<String> = line.split('\t').map(str::to_owned).collect();
        let first_number = cells
            .iter()
            .position(|c| !c.trim().is_empty() && c.trim().bytes().all(|b| b.is_ascii_digit()));
        if line.contains('\t') && first_number.is_some_and(|k| k > 0) {
            let k = first_number.unwrap_or(0).min(3);
            for (i, cell) in cells.iter_mut().enumerate().take(k) {
                if cell.trim().is_empty() {
                    if let Some(l) = last.get(i) {
                        *cell = l.clone();
                    }
                } else {
                    last.truncate(i);
                    last.push(cell.clone());
                }
            }
        }
        lines.push(cells.join("\t"));
    }
    let text = lines.join("\n") + "\n";
    assert!(text.contains("三、本年度办理结果\t（三）不予公开\t1.属于国家秘密"));
    bump_every_cell_of("repeated-labels.txt", text);
}

#[test]
fn clean_reports_in_every_layout_have_no_table_findings() {
    let rules = RuleSet::builtin().expect("rules");
    for f in [
        "fixtures/reports/2021-qingshan-township.md",
        "fixtures/reports/2021-qingshan-transport.txt",
        "fixtures/rules/table-balance/ok.md",
        "fixtures/rules/table-balance/ok-tabs.txt",
        "fixtures/rules/table-balance/ok-spaces.txt",
        "fixtures/rules/table-balance/ok-next-line.txt",
        "fixtures/rules/table-outcome-total/ok-2019.md",
        "fixtures/rules/legacy-table-total/ok.txt",
    ] {
        let d = lint_text(f, &fixture(f), &rules);
        assert_eq!(table_findings(&d), Vec::<String>::new(), "{f}");
    }
}

#[test]
fn table_api() {
    let rules = RuleSet::builtin().expect("rules");
    let text = fixture("fixtures/reports/2021-qingshan-township.md");
    let doc = nblint::input::read("a.md", text.as_bytes(), &Limits::default()).unwrap();
    let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let t = r.table("requests").expect("表三");
    assert_eq!(t.version.as_deref(), Some("2021"));
    assert!(t.readable);
    assert_eq!(t.int("new", "total"), Some(15));
    assert_eq!(t.int("carried_in", "natural"), Some(1));
    assert_eq!(t.int("carry_over", "total"), Some(1));
    assert_eq!(t.sum_rows("refused_", "total"), Some(1));
    assert_eq!(t.sum_rows("unable_", "natural"), Some(3));
    assert_eq!(t.sum_rows("other", "total"), Some(0));
    assert_eq!(t.int("nonexistent", "total"), None);
    assert_eq!(&text[t.cell("granted", "total").unwrap().span.clone()], "8");
    let a = r.table("appeals").expect("表四");
    assert_eq!(a.version, None, "表四 is the same in both formats");
    assert_eq!(a.int("review", "total"), Some(1));
    assert_eq!(a.int("suit_after_review", "pending"), Some(0));
    assert!(r.table("active_1").is_some() && r.table("legacy_stats").is_none());
}

// ------------------------------------------------------------------------------------------
// Grids, as the .docx and HTML readers deliver them
// ------------------------------------------------------------------------------------------

/// One origin cell: text, rows and columns spanned.
type Spec<'a> = (&'a str, u32, u32);

/// Lays out rows of origin cells like an HTML table (a cell goes to the first column not
/// taken by a cell spanning down from above), renders the grid into the text as tab-separated
/// lines (as the readers will), and returns the grid with spans into `text`.
fn grid(text: &mut String, rows: &[Vec<Spec>], number: usize) -> Grid {
    let start = text.len();
    let ncols = rows
        .first()
        .map_or(0, |r| r.iter().map(|c| c.2 as usize).sum::<usize>());
    let mut taken: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; ncols]; rows.len()];
    let mut origin: Vec<Vec<Option<Spec>>> = vec![vec![None; ncols]; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for &cell in row {
            while c < ncols && taken[r][c].is_some() {
                c += 1;
            }
            for dr in 0..cell.1 as usize {
                for dc in 0..cell.2 as usize {
                    if let Some(t) = taken.get_mut(r + dr).and_then(|x| x.get_mut(c + dc)) {
                        *t = Some((r, c));
                    }
                }
            }
            origin[r][c] = Some(cell);
            c += cell.2 as usize;
        }
    }
    let mut out = Vec::new();
    for r in 0..rows.len() {
        let mut line = Vec::new();
        for c in 0..ncols {
            if c > 0 {
                text.push('\t');
            }
            let at = text.len();
            match (origin[r][c], taken[r][c]) {
                (Some((s, rs, cs)), _) => {
                    text.push_str(s);
                    line.push(GridCell {
                        text: s.to_owned(),
                        span: at..text.len(),
                        row_span: rs,
                        col_span: cs,
                        covered_by: None,
                    });
                }
                (None, Some(o)) => {
                    let (s, rs, cs) = origin[o.0][o.1].unwrap_or(("", 1, 1));
                    line.push(GridCell {
                        text: s.to_owned(),
                        span: at..at,
                        row_span: rs,
                        col_span: cs,
                        covered_by: Some(o),
                    });
                }
                (None, None) => line.push(GridCell {
                    text: String::new(),
                    span: at..at,
                    row_span: 1,
                    col_span: 1,
                    covered_by: None,
                }),
            }
        }
        text.push('\n');
        out.push(line);
    }
    Grid {
        span: start..text.len(),
        rows: out,
        number,
    }
}

fn requests_rows<'a>(new_natural: &'a str, total_natural: &'a str) -> Vec<Vec<Spec<'a>>> {
    let z = |l: &'a str| -> Vec<Spec<'a>> { vec![(l, 1, 1)] };
    let zeros: Vec<Spec> = vec![("0", 1, 1); 7];
    let mut rows: Vec<Vec<Spec>> = vec![
        vec![
            (
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            ),
            ("申请人情况", 1, 7),
        ],
        vec![("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        vec![
            ("商业企业", 1, 1),
            ("科研机构", 1, 1),
            ("社会公益组织", 1, 1),
            ("法律服务机构", 1, 1),
            ("其他", 1, 1),
        ],
    ];
    let mut r = vec![
        ("一、本年新收政府信息公开申请数量", 1, 3),
        (new_natural, 1, 1),
    ];
    r.extend([
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("4", 1, 1),
    ]);
    rows.push(r);
    let mut r = vec![("二、上年结转政府信息公开申请数量", 1, 3)];
    r.extend([
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("1", 1, 1),
    ]);
    rows.push(r);
    // 三、本年度办理结果 spans the 22 result rows of the 2021 format.
    let mut r = vec![("三、本年度办理结果", 22, 1), ("（一）予以公开", 1, 2)];
    r.extend([
        ("3", 1, 1),
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("4", 1, 1),
    ]);
    rows.push(r);
    let mut r = vec![(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        1,
        2,
    )];
    r.extend(zeros.clone());
    rows.push(r);
    let groups: [(&str, &[&str]); 4] = [
        (
            "（三）不予公开",
            &[
                "1.属于国家秘密",
                "2.其他法律行政法规禁止公开",
                "3.危及“三安全一稳定”",
                "4.保护第三方合法权益",
                "5.属于三类内部事务信息",
                "6.属于四类过程性信息",
                "7.属于行政执法案卷",
                "8.属于行政查询事项",
            ],
        ),
        (
            "（四）无法提供",
            &[
                "1.本机关不掌握相关政府信息",
                "2.没有现成信息需要另行制作",
                "3.补正后申请内容仍不明确",
            ],
        ),
        (
            "（五）不予处理",
            &[
                "1.信访举报投诉类申请",
                "2.重复申请",
                "3.要求提供公开出版物",
                "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            ],
        ),
        (
            "（六）其他处理",
            &[
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ],
        ),
    ];
    for (g, items) in groups {
        for (i, item) in items.iter().enumerate() {
            let mut r = Vec::new();
            if i == 0 {
                r.push((g, items.len() as u32, 1));
            }
            r.push((*item, 1, 1));
            r.extend(zeros.clone());
            rows.push(r);
        }
    }
    let mut r = vec![("（七）总计", 1, 2), (total_natural, 1, 1)];
    r.extend([
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("4", 1, 1),
    ]);
    rows.push(r);
    let mut r = vec![("四、结转下年度继续办理", 1, 3)];
    r.extend([
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("1", 1, 1),
    ]);
    rows.push(r);
    let _ = z;
    rows
}

fn appeals_rows<'a>(review_total: &'a str) -> Vec<Vec<Spec<'a>>> {
    let cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut r3: Vec<Spec> = Vec::new();
    for _ in 0..2 {
        r3.extend(cols.iter().map(|c| (*c, 1, 1)));
    }
    let mut values: Vec<Spec> = vec![
        ("1", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        ("0", 1, 1),
        (review_total, 1, 1),
    ];
    values.extend(vec![("0", 1, 1); 10]);
    vec![
        vec![("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        vec![
            ("结果维持", 2, 1),
            ("结果纠正", 2, 1),
            ("其他结果", 2, 1),
            ("尚未审结", 2, 1),
            ("总计", 2, 1),
            ("未经复议直接起诉", 1, 5),
            ("复议后起诉", 1, 5),
        ],
        r3,
        values,
    ]
}

fn grid_doc(new_natural: &str, total_natural: &str, review_total: &str) -> Document {
    let mut text = String::from(
        "东川镇人民政府2021年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n",
    );
    let g1 = grid(&mut text, &requests_rows(new_natural, total_natural), 1);
    text.push_str("\n四、政府信息公开行政复议、行政诉讼情况\n\n");
    let g2 = grid(&mut text, &appeals_rows(review_total), 2);
    let mut doc = Document::from_text(text, "UTF-8", Format::Docx);
    doc.grids = vec![g1, g2];
    doc
}

#[test]
fn grids_with_merged_cells_are_read() {
    let rules = RuleSet::builtin().expect("rules");
    let doc = grid_doc("3", "3", "1");
    let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let t = r.table("requests").expect("表三 from the grid");
    assert!(t.readable, "{:?}", t.problems());
    assert_eq!(t.grid(), Some(1));
    assert_eq!(t.int("new", "natural"), Some(3));
    assert_eq!(t.int("new", "total"), Some(4));
    assert_eq!(t.int("granted", "business"), Some(1));
    assert_eq!(t.int("other_other", "total"), Some(0));
    assert_eq!(t.int("carry_over", "total"), Some(1));
    let a = r.table("appeals").expect("表四 from the grid");
    assert!(a.readable, "{:?}", a.problems());
    assert_eq!(a.int("review", "upheld"), Some(1));
    assert_eq!(a.int("review", "total"), Some(1));
    // Nothing is read twice from the text the grid was rendered into.
    assert_eq!(r.tables.iter().filter(|t| t.id == "requests").count(), 1);
    let d = lint_document(
        "a.docx",
        grid_doc("3", "3", "1"),
        &rules,
        &Options::default(),
    );
    let arithmetic: Vec<&Diagnostic> = d
        .diagnostics
        .iter()
        .filter(|d| ARITHMETIC.contains(&d.code.as_str()))
        .collect();
    assert!(arithmetic.is_empty(), "{arithmetic:#?}");
}

/// A table broken into two grids by an empty paragraph (Word) or a blank line in a web page
/// is read as one table, as the text reader reads tab rows across blank lines.
#[test]
fn a_table_split_into_grids_is_read_as_one() {
    let rules = RuleSet::builtin().expect("rules");
    let rows = requests_rows("3", "3");
    let mut text = String::from(
        "东川镇人民政府2021年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n",
    );
    // The header and the first two rows; then, after an empty paragraph, the rest, with
    // one more (empty) column, as pieces of a table extracted from PDF often have.
    let g1 = grid(&mut text, &rows[..5], 1);
    text.push('\n');
    let rest: Vec<Vec<Spec>> = rows[5..]
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(("", 1, 1));
            r
        })
        .collect();
    let g2 = grid(&mut text, &rest, 2);
    assert_ne!(g1.rows[0].len(), g2.rows[0].len());
    let mut doc = Document::from_text(text, "UTF-8", Format::Docx);
    doc.grids = vec![g1, g2];
    let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let tables: Vec<&str> = r.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tables, ["requests"]);
    let t = &r.tables[0];
    assert!(t.readable, "{:?}", t.problems());
    assert_eq!(t.grid(), Some(1));
    assert_eq!(t.int("new", "natural"), Some(3));
    assert_eq!(t.int("granted", "business"), Some(1));
    assert_eq!(t.int("carry_over", "total"), Some(1));
}

#[test]
fn grid_findings_name_table_row_and_column() {
    let rules = RuleSet::builtin().expect("rules");
    // 自然人 of 本年新收 is 4 instead of 3: its row and its column (C-B1) no longer add up,
    // and the finding blames the cell where they cross.
    let f = lint_document(
        "a.docx",
        grid_doc("4", "3", "1"),
        &rules,
        &Options::default(),
    );
    let d = f
        .diagnostics
        .iter()
        .find(|d| d.code == "NB202")
        .expect("NB202 on the grid");
    assert_eq!(
        d.location.as_deref(),
        Some("表三 “一、本年新收政府信息公开申请数量” 行 “自然人” 列")
    );
    assert_eq!(&f.text[d.span.clone()], "4");
    assert_eq!(
        d.suggestion.as_ref().map(|s| s.replacement.as_str()),
        Some("3")
    );
    let f = lint_document(
        "a.docx",
        grid_doc("3", "3", "2"),
        &rules,
        &Options::default(),
    );
    let d = f
        .diagnostics
        .iter()
        .find(|d| d.code == "NB204")
        .expect("NB204 on the grid");
    assert_eq!(d.location.as_deref(), Some("表四 “行政复议” 行 “总计” 列"));
    assert!(
        d.notes.iter().any(|n| n.contains("2 ≠ 1 + 0 + 0 + 0")),
        "{:?}",
        d.notes
    );
}

// ------------------------------------------------------------------------------------------
// Seeds: only on a machine that has them (they are real reports and are not in the repository)
// ------------------------------------------------------------------------------------------

fn seed(prefix: &str) -> Option<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
    let path = entry.path();
    Some((path.display().to_string(), std::fs::read(&path).ok()?))
}

#[test]
fn seed_004_when_present() {
    let Some((name, bytes)) = seed("004_") else {
        eprintln!("seed 004 not present; skipped");
        return;
    };
    let rules = RuleSet::builtin().expect("rules");
    let f = lint_source(&name, &bytes, &rules, &Options::default());
    let codes: Vec<&str> = f.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // Tab-separated 2019 tables with lost cells and all zeros: no false arithmetic error,
    // 表三 reported as unreadable once, 表四 and the section 二 tables read and checked.
    for c in [
        "NB201", "NB202", "NB203", "NB204", "NB207", "NB208", "NB107",
    ] {
        assert!(!codes.contains(&c), "{c} on seed 004: {codes:?}");
    }
    let unreadable: Vec<&Diagnostic> = f.diagnostics.iter().filter(|d| d.code == "NB206").collect();
    assert!(
        unreadable.iter().any(|d| d.message.contains("表三")),
        "{unreadable:#?}"
    );
    assert_eq!(
        unreadable
            .iter()
            .filter(|d| d.message.contains("表三"))
            .count(),
        1
    );
    let doc = nblint::input::read(&name, &bytes, &Limits::default()).unwrap();
    let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let a = r.table("appeals").expect("表四");
    assert!(a.readable, "{:?}", a.problems());
    assert_eq!(a.int("suit_after_review", "total"), Some(0));
    for id in ["active_1", "active_5", "active_6", "active_8"] {
        let t = r.table(id).unwrap_or_else(|| panic!("{id}"));
        assert!(t.readable && t.version.as_deref() == Some("2019"), "{id}");
    }
}

#[test]
fn seed_001_when_present() {
    let Some((name, bytes)) = seed("001_") else {
        eprintln!("seed 001 not present; skipped");
        return;
    };
    let rules = RuleSet::builtin().expect("rules");
    let doc = nblint::input::read(&name, &bytes, &Limits::default()).unwrap();
    let r = Report::build(&doc, &rules.templates, &ReadOptions::default());
    let t = r.table("legacy_stats").expect("统计表");
    assert!(t.readable, "{:?}", t.problems());
    // Its identities hold: 2 = 1 + 1; 665 ≤ 584 + 81.
    assert_eq!(t.int("staff", "value"), Some(2));
    assert_eq!(t.int("staff_full", "value"), Some(1));
    assert_eq!(t.int("staff_part", "value"), Some(1));
    assert_eq!(t.int("active_total", "value"), Some(665));
    assert_eq!(t.sum_rows("channel_", "value"), Some(665));
    let f = lint_source(&name, &bytes, &rules, &Options::default());
    assert_eq!(table_findings(&f.diagnostics), Vec::<String>::new());
}

#[test]
fn two_formats_mixed_without_a_year() {
    let rules = RuleSet::builtin().expect("rules");
    // No year anywhere: the section 二 tables follow 2021, 表三 follows 2019.
    let text = fixture("fixtures/rules/table-balance/ok.md")
        .replace("2021年", "本年")
        .replace("2022年", "次年")
        .replace("2021", "");
    let t19 = fixture("fixtures/rules/table-outcome-total/ok-2019.md");
    let start = |t: &str| t.find("| （本列数据").unwrap();
    let end = |t: &str| t.find("## 四、").unwrap();
    let mixed = format!(
        "{}{}{}",
        &text[..start(&text)],
        &t19[start(&t19)..end(&t19)],
        &text[end(&text)..]
    );
    let d = lint_text("mixed.md", &mixed, &rules);
    let v: Vec<&Diagnostic> = d.iter().filter(|d| d.code == "NB107").collect();
    assert_eq!(v.len(), 1, "{:#?}", table_findings(&d));
    assert!(v[0].message.contains("表三"), "{}", v[0].message);
    assert!(v[0].message.contains("其他表格"), "{}", v[0].message);
}
