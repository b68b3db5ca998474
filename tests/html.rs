//! `--format html`: a self-contained page whose embedded data carries the same findings as
//! `--format json`, and the view's data, snapshotted.

mod common;
use common::run;
use serde_json::Value;

/// The view's data embedded in the page.
fn data(html: &str) -> Value {
    let start = r#"<script type="application/json" id="nblint-data">"#;
    let (_, rest) = html.split_once(start).expect("data element");
    let (json, _) = rest.split_once("</script>").expect("end of data");
    serde_json::from_str(json).expect("data is JSON")
}

const INPUTS: &[&str] = &[
    "fixtures/inputs/qingshan.docx",
    "fixtures/inputs/qingshan.html",
    "fixtures/inputs/qingshan.md",
    "fixtures/inputs/qingshan.pdf",
];

#[test]
fn self_contained_page() {
    let o = run(&["check", "--format", "html", "fixtures/inputs/qingshan.docx"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "errors found: exit 1 as for every format"
    );
    let html = String::from_utf8(o.stdout).expect("utf-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.contains("{{"), "a placeholder left in the template");
    for fetch in ["src=\"http", "href=\"http", "src=\"//", "@import", "fetch("] {
        assert!(
            !html.contains(fetch),
            "the page must not load anything: {fetch}"
        );
    }
    assert!(html.contains(r#"<body data-mode="report">"#));
}

#[test]
fn same_findings_as_json() {
    let mut args = vec!["check", "--format", "json"];
    args.extend(INPUTS);
    let json: Value = serde_json::from_slice(&run(&args).stdout).expect("json");
    args[2] = "html";
    let o = run(&args);
    let html = String::from_utf8(o.stdout).expect("utf-8");
    let view = data(&html);
    let files = json["files"].as_array().expect("files");
    let shown = view.as_array().expect("array of files");
    assert_eq!(files.len(), shown.len());
    for (j, v) in files.iter().zip(shown) {
        assert_eq!(j["path"], v["path"]);
        for key in ["template", "report_year", "agency", "body_type", "format"] {
            assert_eq!(j[key], v[key], "{key}");
        }
        let jd = j["diagnostics"].as_array().expect("diagnostics");
        let vd = v["diagnostics"].as_array().expect("diagnostics");
        assert_eq!(jd.len(), vd.len(), "{}", j["path"]);
        for (a, b) in jd.iter().zip(vd) {
            // Every key of the JSON contract, with the same value; the view adds its own.
            for (k, val) in a.as_object().expect("object") {
                assert_eq!(&b[k], val, "{} {k}", j["path"]);
            }
            // `at` is the primary span in UTF-16 units of `text`.
            let text = v["text"].as_str().expect("text");
            let at = &b["at"];
            let s = at[0].as_u64().expect("at") as usize;
            let e = at[1].as_u64().expect("at") as usize;
            let units: Vec<u16> = text.encode_utf16().collect();
            let byte_s = a["byte_start"].as_u64().expect("byte") as usize;
            let byte_e = a["byte_end"].as_u64().expect("byte") as usize;
            assert_eq!(
                String::from_utf16_lossy(&units[s..e]),
                text[byte_s..byte_e],
                "{}",
                a["code"]
            );
        }
    }
}

/// What the view shows of the Word example: counts, findings with their sections, the
/// paragraphs and tables of the text, 表三 and 表四 as read. The text itself is left out of the
/// snapshot (it is the fixture).
#[test]
fn view_snapshot() {
    for input in [
        "fixtures/inputs/qingshan.docx",
        "fixtures/inputs/qingshan.md",
    ] {
        let o = run(&["check", "--format", "html", input]);
        let mut v = data(&String::from_utf8(o.stdout).expect("utf-8"));
        let f = &mut v[0];
        let text = f["text"].as_str().unwrap_or("").to_owned();
        f["text"] = Value::String(format!("<{} chars>", text.chars().count()));
        // Blocks as the text they show, so the snapshot can be read.
        let units: Vec<u16> = text.encode_utf16().collect();
        let slice = |at: &Value| -> String {
            let s = at[0].as_u64().unwrap_or(0) as usize;
            let e = at[1].as_u64().unwrap_or(0) as usize;
            String::from_utf16_lossy(units.get(s..e).unwrap_or(&[]))
        };
        if let Some(blocks) = f["blocks"].as_array_mut() {
            for b in blocks {
                if b.get("at").is_some() {
                    let s = slice(&b["at"]);
                    b["text"] = Value::String(s);
                } else if let Some(rows) = b["rows"].as_array_mut() {
                    for row in rows {
                        for c in row.as_array_mut().into_iter().flatten() {
                            if c.is_object() {
                                let s = slice(&c["at"]);
                                c["text"] = Value::String(s);
                            }
                        }
                    }
                }
            }
        }
        let name = input.rsplit('/').next().unwrap_or(input);
        insta::assert_snapshot!(
            format!("view@{name}"),
            serde_json::to_string_pretty(&v).expect("json")
        );
    }
}
