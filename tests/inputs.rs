//! Real inputs: the same report as Markdown, Word, a GBK web page and two PDFs gives the same
//! findings at the same logical places; re-encoding a report or wrapping it in a web page
//! changes nothing; every kind of bad file gives one clear NB001/NB002 and the run goes on.
//!
//! The fixtures in fixtures/inputs/ are made by fixtures/inputs/make.py from qingshan.md.

mod common;
use common::root;
use nblint::engine::{FileReport, Options, lint_source};
use nblint::input::{self, Format, Limits, ReadError};
use nblint::{Lang, RuleSet};
use std::path::PathBuf;
use std::process::Command;

fn lint_bytes(name: &str, bytes: &[u8]) -> FileReport {
    let rules = RuleSet::builtin().expect("built-in rules load");
    lint_source(name, bytes, &rules, &Options::default())
}

fn lint(path: &str) -> FileReport {
    let bytes = std::fs::read(root().join(path)).expect("fixture readable");
    lint_bytes(path, &bytes)
}

/// What a finding says, without where it is in the extracted text.
fn said(r: &FileReport) -> Vec<(String, String, String)> {
    r.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.clone(),
                d.severity.as_str().to_owned(),
                d.message.clone(),
            )
        })
        .collect()
}

const FORMATS: &[&str] = &[
    "fixtures/inputs/qingshan.docx",
    "fixtures/inputs/qingshan.html",
    "fixtures/inputs/qingshan.pdf",
    "fixtures/inputs/qingshan-libreoffice.pdf",
];

#[test]
fn every_format_gives_the_same_findings() {
    let md = lint("fixtures/inputs/qingshan.md");
    let expected = said(&md);
    // The planted defects: a telephone number, a skipped heading number, a placeholder, a
    // cell of 表三 that does not add up (seen by its row total and its column total).
    let codes: Vec<&str> = expected.iter().map(|s| s.0.as_str()).collect();
    for code in ["NB402", "NB104", "NB109", "NB202", "NB203"] {
        assert!(codes.contains(&code), "qingshan.md lacks {code}: {codes:?}");
    }
    for path in FORMATS {
        let r = lint(path);
        assert!(!r.unreadable, "{path} unreadable: {:?}", r.diagnostics);
        assert_eq!(said(&r), expected, "{path}");
        // Every finding says where it is in words a person can use.
        for d in &r.diagnostics {
            assert!(d.location.is_some(), "{path}: {} has no location", d.code);
        }
    }
}

#[test]
fn findings_point_at_the_same_places() {
    let at = |path: &str| -> Vec<(String, String, String)> {
        let r = lint(path);
        r.diagnostics
            .iter()
            .map(|d| {
                let snippet = r.text.get(d.span.clone()).unwrap_or("").to_owned();
                (
                    d.code.clone(),
                    snippet,
                    d.location.clone().unwrap_or_default(),
                )
            })
            .collect()
    };
    let md: Vec<(String, String)> = at("fixtures/inputs/qingshan.md")
        .into_iter()
        .map(|(c, s, _)| (c, s))
        .collect();
    for path in FORMATS {
        let got: Vec<(String, String)> = at(path).into_iter().map(|(c, s, _)| (c, s)).collect();
        assert_eq!(got, md, "{path}: the findings point at other text");
    }
    // Word and the web page count paragraphs and name a table cell by its labels; PDF
    // names the page, also before the labels of a cell.
    let docx: Vec<String> = at("fixtures/inputs/qingshan.docx")
        .into_iter()
        .map(|x| x.2)
        .collect();
    assert_eq!(
        docx,
        vec![
            "第2段",
            "第8段",
            "第9段",
            // One mistyped cell breaks its row and its column: both findings blame it.
            "表三 “（一）予以公开” 行 “自然人” 列",
            "表三 “（一）予以公开” 行 “自然人” 列",
        ]
    );
    let html: Vec<String> = at("fixtures/inputs/qingshan.html")
        .into_iter()
        .map(|x| x.2)
        .collect();
    assert_eq!(html, docx);
    let pdf: Vec<String> = at("fixtures/inputs/qingshan.pdf")
        .into_iter()
        .map(|x| x.2)
        .collect();
    assert_eq!(
        pdf,
        vec![
            "第1页",
            "第1页",
            "第1页",
            "第2页 表三 “（一）予以公开” 行 “自然人” 列",
            "第2页 表三 “（一）予以公开” 行 “自然人” 列",
        ]
    );
    // The secondary label of NB104 names the other heading's paragraph, not a line of the
    // extracted text.
    let r = lint("fixtures/inputs/qingshan.docx");
    let d = r.diagnostics.iter().find(|d| d.code == "NB104").unwrap();
    assert_eq!(
        d.labels[0].message,
        "上一个同级标题（第7段）：（三）政府信息管理方面"
    );
    // LibreOffice sets the text larger: 表三 runs over pages 3 to 5.
    let lo: Vec<String> = at("fixtures/inputs/qingshan-libreoffice.pdf")
        .into_iter()
        .map(|x| x.2)
        .collect();
    assert_eq!(
        lo,
        vec![
            "第1页",
            "第2页",
            "第2页",
            "第3页 表三 “（一）予以公开” 行 “自然人” 列",
            "第3页 表三 “（一）予以公开” 行 “自然人” 列",
        ]
    );
}

/// The table findings point at the same cell of the same grid in every structured format:
/// (grid number, row, column) of the cell whose text the finding marks.
#[test]
fn table_findings_point_at_the_same_cell() {
    let cells = |path: &str| -> Vec<(String, usize, usize, usize)> {
        let bytes = std::fs::read(root().join(path)).unwrap();
        let doc = input::read(path, &bytes, &Limits::default()).unwrap();
        let r = lint_bytes(path, &bytes);
        r.diagnostics
            .iter()
            .filter(|d| d.code.starts_with("NB2"))
            .map(|d| {
                let (g, row, col) = doc
                    .grids
                    .iter()
                    .find_map(|g| {
                        g.rows.iter().enumerate().find_map(|(i, cells)| {
                            let j = cells.iter().position(|c| c.span == d.span)?;
                            Some((g.number, i, j))
                        })
                    })
                    .unwrap_or_else(|| panic!("{path}: {} is not on a grid cell", d.code));
                (d.code.clone(), g, row, col)
            })
            .collect()
    };
    let docx = cells("fixtures/inputs/qingshan.docx");
    // 表三 is the fifth table; rows 1-3 are the header. 予以公开 is row 4, its 自然人 column
    // 4: the one mistyped cell, where the failing row (NB202) and column (NB203) cross.
    assert_eq!(
        docx,
        vec![("NB202".to_owned(), 5, 3, 3), ("NB203".to_owned(), 5, 3, 3)]
    );
    for p in &FORMATS[1..] {
        assert_eq!(cells(p), docx, "{p}");
    }
}

/// A grid cell without its position in the text: text, row span, column span, covered by.
type Shape = (String, u32, u32, Option<(usize, usize)>);

#[test]
fn the_same_tables_come_out_of_every_format() {
    let read = |p: &str| {
        let bytes = std::fs::read(root().join(p)).unwrap();
        input::read(p, &bytes, &Limits::default()).unwrap()
    };
    let docx = read("fixtures/inputs/qingshan.docx");
    assert_eq!(docx.format, Format::Docx);
    assert_eq!(docx.grids.len(), 6);
    // 表三 of the official form: 26 rows, 10 columns, with the merged labels.
    let t = &docx.grids[4];
    assert_eq!((t.rows.len(), t.rows[0].len()), (26, 10));
    assert_eq!(t.rows[3][0].text, "三、本年度办理结果");
    assert_eq!(t.rows[3][0].row_span, 22);
    assert_eq!(t.rows[10][0].covered_by, Some((3, 0)));
    assert_eq!(t.rows[0][0].col_span, 3);
    let cell = &t.rows[3][3];
    assert_eq!(&docx.text[cell.span.clone()], "7");
    assert_eq!(docx.locus_at(cell.span.start).unwrap().zh, "表5 第4行第4列");
    for p in [
        "fixtures/inputs/qingshan.html",
        "fixtures/inputs/qingshan.pdf",
        "fixtures/inputs/qingshan-libreoffice.pdf",
    ] {
        let d = read(p);
        assert_eq!(d.text, docx.text, "{p}: other text than the .docx");
        let shape = |d: &input::Document| -> Vec<Vec<Shape>> {
            d.grids
                .iter()
                .flat_map(|g| g.rows.iter())
                .map(|r| {
                    r.iter()
                        .map(|c| (c.text.clone(), c.row_span, c.col_span, c.covered_by))
                        .collect()
                })
                .collect()
        };
        assert_eq!(shape(&d), shape(&docx), "{p}: other grids than the .docx");
    }
    let pdf = read("fixtures/inputs/qingshan.pdf");
    let cell = &pdf.grids[4].rows[3][3];
    assert_eq!(
        pdf.locus_at(cell.span.start).unwrap().zh,
        "第2页 表5 第4行第4列"
    );
}

/// Wraps a report in a web page the way a government site publishes it: a GBK page with a
/// navigation bar, a breadcrumb, the title in an `<h1>` above the content, share and print
/// widgets and a footer. Markdown headings become headings, table rows become tables.
fn wrap_in_page(text: &str) -> Vec<u8> {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    let mut body = String::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush = |table: &mut Vec<Vec<String>>, body: &mut String| {
        if table.is_empty() {
            return;
        }
        body.push_str("<table border=\"1\">\n");
        for row in table.drain(..) {
            body.push_str("<tr>");
            for c in row {
                body.push_str(&format!("<td>{}</td>", esc(&c)));
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table>\n");
    };
    let mut title = None;
    for line in text.lines() {
        // Trailing tabs are empty cells of a table row: keep them.
        let t = line.trim_end_matches([' ', '\r', '\u{3000}']);
        if t.trim_start().starts_with('|') {
            let cells: Vec<String> = t
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            if !cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| ch == '-'))
            {
                table.push(cells);
            }
            continue;
        }
        if t.contains('\t') {
            table.push(t.split('\t').map(str::to_owned).collect());
            continue;
        }
        flush(&mut table, &mut body);
        if t.trim().is_empty() {
            continue;
        }
        if title.is_none() {
            title = Some(t.trim_start_matches('#').trim().to_owned());
            continue;
        }
        match t.strip_prefix("## ").or_else(|| t.strip_prefix("# ")) {
            Some(h) => body.push_str(&format!("<h2>{}</h2>\n", esc(h))),
            None => body.push_str(&format!("<p>{}</p>\n", esc(t))),
        }
    }
    flush(&mut table, &mut body);
    let title = title.unwrap_or_default();
    let page = format!(
        r#"<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>{t}_某县人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政府信息公开年报</a></div>
<div class="article"><h1>{t}</h1><div class="info">发布时间：2022-01-20 浏览次数：88</div>
<div id="zoom">{body}</div>
<div class="share">分享到：微信 微博</div><div class="print">【打印本页】【关闭窗口】</div></div>
<div class="footer">版权所有：某县人民政府办公室　网站标识码：0000000000</div></body></html>"#,
        t = esc(&title)
    );
    // Declared GBK, written as GB18030 (the same bytes for every GBK character; real pages
    // do this with rare characters, and browsers read GBK as GB18030).
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&page);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// The same findings whatever the encoding, and in a web page.
fn assert_invariant(name: &str, text: &str) {
    let ext = if name.ends_with(".md") { "md" } else { "txt" };
    let base = said(&lint_bytes(name, text.as_bytes()));
    let (gb, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    let variants: Vec<(String, Vec<u8>)> = vec![
        (format!("gb18030.{ext}"), gb.into_owned()),
        (format!("utf16le.{ext}"), utf16(text, true)),
        (format!("utf16be.{ext}"), utf16(text, false)),
        ("page.html".to_owned(), wrap_in_page(text)),
    ];
    for (vname, bytes) in variants {
        let r = lint_bytes(&vname, &bytes);
        assert!(!r.unreadable, "{name} as {vname}: {:?}", r.diagnostics);
        assert_eq!(said(&r), base, "{name} as {vname}");
    }
}

#[test]
fn encodings_and_web_pages_change_nothing() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(root().join("fixtures/inputs/qingshan.md"));
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert_invariant(&f.file_name().unwrap().to_string_lossy(), &text);
    }
}

/// Every rule fixture in text (Markdown pipe tables, tab-separated rows) gives the same
/// findings re-encoded and as a web page, where its tables become real grids: the table
/// rules read grids as they read text.
#[test]
fn rule_fixtures_change_nothing_as_web_pages() {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("fixtures/rules")).unwrap() {
        let dir = dir.unwrap().path();
        // Files that are meant not to be read.
        if dir.ends_with("unreadable-file") || dir.ends_with("no-text-layer") {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|x| x == "md" || x == "txt") {
                files.push(f);
            }
        }
    }
    files.sort();
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Columns aligned with runs of spaces are not a table in a web page (HTML collapses
        // white space); those fixtures test the text reader only.
        if text.lines().any(|l| {
            let l = l.trim();
            !l.starts_with('|') && l.contains("  ")
        }) {
            continue;
        }
        let name = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_invariant(&name, &text);
        n += 1;
    }
    assert!(n > 50, "only {n} fixtures checked");
}

/// The real published reports, when this machine has them (/work/shared/seeds is not in
/// the repository and CI does not have it; the test then checks nothing and says so).
#[test]
fn seeds_are_invariant_too_when_present() {
    let dir = root().join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("seeds not present at {}: skipped", dir.display());
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert_invariant(&p.file_name().unwrap().to_string_lossy(), &text);
            n += 1;
        }
    }
    eprintln!("checked {n} seeds from {}", dir.display());
}

#[test]
fn every_bad_file_gives_one_clear_finding() {
    let cases: &[(&str, &str, &str)] = &[
        ("unreadable-file/bad-empty.txt", "NB001", "文件是空的"),
        ("unreadable-file/bad-binary.txt", "NB001", "二进制"),
        ("unreadable-file/bad-undecodable.txt", "NB001", "编码"),
        (
            "unreadable-file/bad-truncated.docx",
            "NB001",
            "损坏或不完整",
        ),
        (
            "unreadable-file/bad-renamed-doc.docx",
            "NB001",
            "只改了扩展名",
        ),
        ("unreadable-file/bad-old-word.doc", "NB001", "Word 97-2003"),
        ("unreadable-file/bad-wps.wps", "NB001", "WPS"),
        ("unreadable-file/bad-format.ofd", "NB001", "OFD"),
        ("unreadable-file/bad-photo.png", "NB001", "图片"),
        ("unreadable-file/bad-password.docx", "NB001", "已加密"),
        (
            "unreadable-file/bad-zip-bomb.docx",
            "NB001",
            "解压后的大小超过上限",
        ),
        (
            "unreadable-file/bad-deep-nesting.docx",
            "NB001",
            "嵌套层数超过上限",
        ),
        (
            "unreadable-file/bad-deep-nesting.html",
            "NB001",
            "嵌套层数超过上限",
        ),
        ("unreadable-file/bad-encrypted.pdf", "NB001", "已加密"),
        (
            "unreadable-file/bad-broken-xref.pdf",
            "NB001",
            "损坏或不完整",
        ),
        ("no-text-layer/bad-scan.pdf", "NB002", "没有可提取的文字"),
    ];
    for (path, code, words) in cases {
        let r = lint(&format!("fixtures/rules/{path}"));
        assert!(r.unreadable, "{path}");
        assert_eq!(r.diagnostics.len(), 1, "{path}: {:?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert_eq!(&d.code, code, "{path}");
        assert!(d.message.contains(words), "{path}: {}", d.message);
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{path}: no advice"
        );
    }
}

#[test]
fn a_run_over_bad_files_goes_on_and_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_nblint"))
        // The language and colour of messages come from the locale and these variables;
        // the tests expect the defaults.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(root())
        .args([
            "check",
            "-f",
            "json",
            "fixtures/rules/unreadable-file",
            "fixtures/rules/no-text-layer",
            "fixtures/inputs",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let by_path = |p: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|x| x.ends_with(p)))
            .unwrap_or_else(|| panic!("{p} not in the run"))
    };
    // Read and checked despite the bad files around them, with locations in words.
    let docx = by_path("qingshan.docx");
    assert_eq!(docx["readable"], true);
    assert_eq!(docx["format"], "docx");
    assert_eq!(docx["diagnostics"][0]["location"], "第2段");
    let html = by_path("qingshan.html");
    assert_eq!(html["format"], "html");
    assert_eq!(html["encoding"], "GB18030");
    assert_eq!(by_path("qingshan.pdf")["format"], "pdf");
    // .doc, .wps and .ofd found in a walk are reported; the photo is not walked.
    for p in ["bad-old-word.doc", "bad-wps.wps", "bad-format.ofd"] {
        assert_eq!(by_path(p)["readable"], false, "{p}");
    }
    assert!(
        !files
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with(".png"))
    );
}

/// A directory walk takes every format nblint reads (.txt .md .docx .html .htm .shtml
/// .pdf) and the report formats it cannot read (.doc .wps .ofd), which get NB001; photos
/// and other files are left alone.
#[test]
fn a_walk_takes_every_report_format() {
    let dir = std::env::temp_dir().join(format!("nblint-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(root().join(from), dir.join(to)).unwrap();
    };
    copy("fixtures/inputs/qingshan.md", "a.md");
    copy("fixtures/inputs/qingshan.docx", "b.docx");
    copy("fixtures/inputs/qingshan.html", "c.html");
    copy("fixtures/inputs/qingshan.html", "sub/d.htm");
    copy("fixtures/inputs/qingshan.html", "sub/e.shtml");
    copy("fixtures/inputs/qingshan.pdf", "f.pdf");
    copy("fixtures/rules/unreadable-file/bad-old-word.doc", "g.doc");
    copy("fixtures/rules/unreadable-file/bad-wps.wps", "h.wps");
    copy("fixtures/rules/unreadable-file/bad-format.ofd", "i.ofd");
    copy("fixtures/rules/unreadable-file/bad-photo.png", "j.png");
    std::fs::write(dir.join("k.csv"), "a,b\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nblint"))
        // The language and colour of messages come from the locale and these variables;
        // the tests expect the defaults.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(&dir)
        .args(["check", "-f", "json", "--no-config", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, bool)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap().replace('\\', "/");
            let p = p.trim_start_matches("./").to_owned();
            (p, f["readable"].as_bool().unwrap())
        })
        .collect();
    let want: Vec<(String, bool)> = [
        ("a.md", true),
        ("b.docx", true),
        ("c.html", true),
        ("f.pdf", true),
        ("g.doc", false),
        ("h.wps", false),
        ("i.ofd", false),
        ("sub/d.htm", true),
        ("sub/e.shtml", true),
    ]
    .iter()
    .map(|(p, r)| (p.to_string(), *r))
    .collect();
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_huge_file_is_reported_and_not_read() {
    let dir = std::env::temp_dir().join(format!("nblint-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("huge.txt");
    // Sparse: 51 MB on paper, nothing on disk.
    std::fs::File::create(&p)
        .unwrap()
        .set_len(51 * 1024 * 1024)
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nblint"))
        // The language and colour of messages come from the locale and these variables;
        // the tests expect the defaults.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(["check", "-f", "short", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("NB001") && s.contains("超过上限 50.0 MB"), "{s}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pdf_with_a_broken_cross_reference_table_is_rebuilt() {
    // startxref points nowhere: the table is rebuilt by scanning the objects, and the
    // report is checked as usual.
    let mut bytes = std::fs::read(root().join("fixtures/inputs/qingshan.pdf")).unwrap();
    let at = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
    for b in bytes[at + 10..]
        .iter_mut()
        .take_while(|b| b.is_ascii_digit())
    {
        *b = b'9';
    }
    let r = lint_bytes("broken.pdf", &bytes);
    assert_eq!(said(&r), said(&lint("fixtures/inputs/qingshan.md")));
}

#[test]
fn english_reasons() {
    let rules = RuleSet::builtin().unwrap();
    let opts = Options {
        lang: Lang::En,
        ..Options::default()
    };
    let bytes =
        std::fs::read(root().join("fixtures/rules/unreadable-file/bad-zip-bomb.docx")).unwrap();
    let r = lint_source("bomb.docx", &bytes, &rules, &opts);
    assert!(
        r.diagnostics[0]
            .message
            .contains("expanded size exceeds the limit"),
        "{}",
        r.diagnostics[0].message
    );
    assert!(matches!(
        input::read("x.docx", &bytes, &Limits::default()),
        Err(ReadError::Limit { .. })
    ));
}

/// qingshan.docx with Word comments (批注) attached: `anchors` are (text of the paragraph or
/// table row to attach to, comment text).
fn docx_with_comments(anchors: &[(&str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(root().join("fixtures/inputs/qingshan.docx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            let mut xml = String::from_utf8(data).unwrap();
            for (id, (at, _)) in anchors.iter().enumerate() {
                let i = xml.find(at).expect("anchor text in the document");
                // The paragraph holding the text: the anchor goes right after its <w:p>.
                let p = xml[..i].rfind("<w:p>").expect("a paragraph") + "<w:p>".len();
                xml.insert_str(p, &format!("<w:commentRangeStart w:id=\"{id}\"/>"));
            }
            data = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    let mut comments = String::from(
        "<?xml version=\"1.0\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    for (id, (_, text)) in anchors.iter().enumerate() {
        comments.push_str(&format!(
            "<w:comment w:id=\"{id}\" w:author=\"镇政府办\"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"
        ));
    }
    comments.push_str("</w:comments>");
    out.start_file("word/comments.xml", opts).unwrap();
    out.write_all(comments.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

#[test]
fn word_comments_accept_findings_like_inline_comments() {
    let codes =
        |r: &FileReport| -> Vec<String> { r.diagnostics.iter().map(|d| d.code.clone()).collect() };
    let plain = lint("fixtures/inputs/qingshan.docx");
    assert!(codes(&plain).contains(&"NB109".to_owned()));
    assert!(codes(&plain).contains(&"NB202".to_owned()));

    // A comment on the paragraph with the placeholder; one on the table row with the wrong
    // cell, for the row rule only; and an ordinary comment, which changes nothing.
    let bytes = docx_with_comments(&[
        ("××", "nblint-disable-next-line NB109 评议次数待统计后补上"),
        ("（一）予以公开", "nblint-disable-next-line table-row-total"),
        ("平台建设方面", "请核对这一段"),
    ]);
    let r = lint_bytes("石桥镇.docx", &bytes);
    let got = codes(&r);
    assert!(!got.contains(&"NB109".to_owned()), "{got:?}");
    assert!(!got.contains(&"NB202".to_owned()), "{got:?}");
    assert!(
        got.contains(&"NB203".to_owned()),
        "the column rule is not named: {got:?}"
    );
    assert!(
        got.contains(&"NB104".to_owned()),
        "an ordinary comment accepts nothing: {got:?}"
    );
    assert_eq!(got.len(), codes(&plain).len() - 2, "{got:?}");
}

#[test]
fn plain_text_reports_take_inline_comments() {
    let t = std::fs::read_to_string(root().join("fixtures/inputs/qingshan.md")).unwrap();
    let t = t.replacen(
        "（五）平台建设方面",
        "<!-- nblint-disable-next-line NB104 -->\n（五）平台建设方面",
        1,
    );
    let before = lint("fixtures/inputs/qingshan.md");
    let r = lint_bytes("qingshan.txt", t.as_bytes());
    assert!(before.diagnostics.iter().any(|d| d.code == "NB104"));
    assert!(
        !r.diagnostics.iter().any(|d| d.code == "NB104"),
        "{:#?}",
        r.diagnostics
    );
}

/// `read_owned` (used for files, which are not needed once read) reads exactly what `read`
/// reads, for every format, and for text files large enough to be kept in place.
#[test]
fn reading_owned_bytes_gives_the_same_document() {
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["fixtures/inputs", "fixtures/reports"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for p in paths {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            cases.push((name, std::fs::read(&p).unwrap()));
        }
    }
    let report =
        std::fs::read_to_string(root().join("fixtures/reports/2021-qingshan-township.md")).unwrap();
    let big = report.repeat((2 << 20) / report.len() + 1);
    cases.push(("big.md".into(), big.clone().into_bytes()));
    cases.push(("big.txt".into(), big.into_bytes()));
    assert!(cases.len() > 10, "{}", cases.len());
    for (name, bytes) in cases {
        let borrowed = input::read(&name, &bytes, &Limits::default());
        let owned = input::read_owned(&name, bytes, &Limits::default());
        assert_eq!(owned, borrowed, "{name}");
    }
}
