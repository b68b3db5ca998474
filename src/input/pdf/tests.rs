//! Unit tests of the PDF reader: limits, truncated files, page numbers, lines, ruled tables.

use super::interpreter::{Run, Seg};
use super::layout::{lines, looks_like_page_number};
use super::tables::find_tables;
use super::*;

#[test]
fn the_expansion_limit_message_names_the_limit() {
    let whole = include_bytes!("../../../fixtures/inputs/qingshan.pdf");
    let mut seen = 0;
    for kb in 1..200u64 {
        let l = Limits {
            max_expanded_bytes: kb * 1024,
            ..Limits::default()
        };
        if let Err(ReadError::Limit { limit, .. }) = read(whole, &l) {
            assert_eq!(limit, super::super::human_bytes(kb * 1024), "{kb} KB");
            seen += 1;
        }
    }
    assert!(seen > 0);
}

#[test]
fn a_pdf_cut_in_half_is_damaged_not_checked() {
    let whole = include_bytes!("../../../fixtures/inputs/qingshan.pdf");
    assert!(read(whole, &Limits::default()).is_ok());
    for cut in [whole.len() / 2, whole.len() * 9 / 10, whole.len() - 8] {
        match read(&whole[..cut], &Limits::default()) {
            Err(ReadError::Corrupt { detail, .. }) => assert!(detail.contains("%%EOF")),
            other => panic!("cut at {cut}: {:?}", other.map(|d| d.text.len())),
        }
    }
}

#[test]
fn page_numbers() {
    for s in ["— 2 —", "- 12 -", "3", "第 2 页", "第2页共5页", "2/5"] {
        assert!(looks_like_page_number(s), "{s}");
    }
    for s in ["2021年", "一、总体情况", "第二部分", "12 件"] {
        assert!(!looks_like_page_number(s), "{s}");
    }
}

#[test]
fn lines_join_runs_and_tab_gaps() {
    let run = |t: &str, x0: f32, x1: f32, y: f32| Run {
        text: t.into(),
        x0,
        x1,
        y,
        size: 10.0,
    };
    let ls = lines(vec![
        run("行政许可", 100.0, 140.0, 700.0),
        run("36", 300.0, 310.0, 700.2),
        run("一、总体", 60.0, 100.0, 720.0),
        run("情况", 101.0, 121.0, 720.0),
        run("情况", 101.3, 121.3, 720.0),
        run("Open", 60.0, 80.0, 680.0),
        run("Data", 82.5, 100.0, 680.0),
    ]);
    let t: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(t, vec!["一、总体情况", "行政许可\t36", "Open Data"]);
}

#[test]
fn lattice_with_merged_cells() {
    // Two rows, three columns; the first row's first two cells are merged (no rule
    // between them in row 0).
    let h = |y: f32| Seg {
        horizontal: true,
        at: y,
        from: 0.0,
        to: 300.0,
    };
    let v = |x: f32, from: f32, to: f32| Seg {
        horizontal: false,
        at: x,
        from,
        to,
    };
    let segs = vec![
        h(100.0),
        h(80.0),
        h(60.0),
        v(0.0, 60.0, 100.0),
        v(100.0, 60.0, 80.0),
        v(200.0, 60.0, 100.0),
        v(300.0, 60.0, 100.0),
    ];
    let t = find_tables(&segs);
    assert_eq!(t.len(), 1);
    let run = |s: &str, x: f32, y: f32| Run {
        text: s.into(),
        x0: x,
        x1: x + 20.0,
        y,
        size: 8.0,
    };
    let tb = t[0]
        .fill(vec![
            run("行政复议", 80.0, 88.0),
            run("总计", 240.0, 88.0),
            run("1", 40.0, 68.0),
            run("0", 140.0, 68.0),
            run("1", 240.0, 68.0),
        ])
        .unwrap();
    let rows = tb.rows();
    assert_eq!(rows[0].len(), 2);
    assert_eq!(rows[0][0].text, "行政复议");
    assert_eq!(rows[0][0].col_span, 2);
    assert_eq!(rows[1].len(), 3);
}
