//! Unit tests of the Word reader, and the helpers that build a .docx from its parts
//! (`crate::input::docx::tests::{docx, body}`).

use super::numbering::{chinese, format_number};
use super::*;
use std::io::Write;

/// A .docx from its parts, for tests.
pub(crate) fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

pub(crate) fn body(xml: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{xml}</w:body></w:document>"#,
        W_NS[0]
    )
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn read_parts(parts: &[(&str, &str)]) -> Document {
    read(&docx(parts), "docx", &Limits::default()).unwrap()
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"#;

fn np(text: &str, num: u32, lvl: u32) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn numbering_is_rendered_as_word_shows_it() {
    let xml = body(
        &[
            np("总体情况", 1, 0),
            np("主动公开", 1, 1),
            np("细项", 1, 2),
            np("细项二", 1, 2),
            np("依申请公开", 1, 1),
            np("主动公开政府信息情况", 1, 0),
            np("平台建设", 1, 1),
            np("", 1, 1),
            np("重新开始", 2, 0),
        ]
        .concat(),
    );
    let d = read_parts(&[
        ("word/document.xml", &xml),
        ("word/numbering.xml", NUMBERING),
    ]);
    assert_eq!(
        d.text,
        "一、总体情况\n\n（一）主动公开\n\n1. 细项\n\n2. 细项二\n\n（二）依申请公开\n\n\
         二、主动公开政府信息情况\n\n（一）平台建设\n\n五、重新开始"
    );
}

#[test]
fn number_formats() {
    assert_eq!(chinese(10).unwrap(), "十");
    assert_eq!(chinese(12).unwrap(), "十二");
    assert_eq!(chinese(20).unwrap(), "二十");
    assert_eq!(chinese(105).unwrap(), "一百零五");
    assert_eq!(chinese(110).unwrap(), "一百一十");
    assert_eq!(format_number(3, "decimalEnclosedCircle").unwrap(), "③");
    assert_eq!(format_number(2, "chineseLegalSimplified").unwrap(), "贰");
    assert_eq!(format_number(28, "lowerLetter").unwrap(), "bb");
    assert_eq!(format_number(14, "upperRoman").unwrap(), "XIV");
    assert_eq!(format_number(2, "ideographTraditional").unwrap(), "乙");
    assert!(format_number(1, "someNewFormat").is_none());
    assert!(format_number(-1, "decimal").is_none());
    assert!(format_number(i64::MAX, "lowerLetter").is_none());
    assert!(format_number(i64::MAX, "chineseCounting").is_none());
}

#[test]
fn headings_from_styles_and_numbering_from_styles() {
    let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="my"><w:name w:val="我的标题"/><w:basedOn w:val="2"/></w:style>
</w:styles>"#;
    let xml = body(
        r#"<w:p><w:pPr><w:pStyle w:val="a5"/></w:pPr><w:r><w:t>年度报告</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="my"/></w:pPr><w:r><w:t>主动公开</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="my"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>"#,
    );
    let d = read_parts(&[
        ("word/document.xml", &xml),
        ("word/styles.xml", styles),
        ("word/numbering.xml", NUMBERING),
    ]);
    assert_eq!(d.text, "年度报告\n\n一、总体情况\n\n二、主动公开\n\n无编号");
    let levels: Vec<u8> = d.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, vec![0, 2, 2, 2]);
    assert_eq!(d.loci[2].zh, "第3段");
}

#[test]
fn runs_tabs_breaks_deleted_and_hidden_text() {
    let xml = body(
        r#"<w:p><w:r><w:t xml:space="preserve">电话：</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>0953</w:t></w:r><w:r><w:t>-6012345</w:t></w:r>
<w:del w:id="1"><w:r><w:delText>删除的字</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>；传真</w:t></w:r></w:ins>
<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
<w:r><w:br/><w:t>第二行&amp;&#x4E00;</w:t></w:r></w:p>"#,
    );
    let d = read_parts(&[("word/document.xml", &xml)]);
    assert_eq!(d.text, "电话：0953-6012345；传真3\n第二行&一");
}

#[test]
fn merged_cells_become_a_grid() {
    let tc = |t: &str, pr: &str| {
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
    };
    let xml = body(&format!(
        "{}<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
         <w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>{}",
        p("前文"),
        tc("三、本年度办理结果", r#"<w:vMerge w:val="restart"/>"#),
        tc("（一）予以公开", r#"<w:gridSpan w:val="2"/>"#),
        tc("", "<w:vMerge/>"),
        tc("（二）部分公开", ""),
        tc("1", ""),
        tc("", "<w:vMerge/>"),
        tc("（三）不予公开", ""),
        tc("0", ""),
        p("后文"),
    ));
    let d = read_parts(&[("word/document.xml", &xml)]);
    assert_eq!(
        d.text,
        "前文\n\n三、本年度办理结果\t（一）予以公开\t\n\t（二）部分公开\t1\n\t（三）不予公开\t0\n\n后文"
    );
    let g = &d.grids[0];
    assert_eq!(g.rows[0][0].row_span, 3);
    assert_eq!(g.rows[2][0].covered_by, Some((0, 0)));
    assert_eq!(g.rows[0][1].col_span, 2);
    let cell = &g.rows[1][2];
    assert_eq!(&d.text[cell.span.clone()], "1");
    assert_eq!(d.locus_at(cell.span.start).unwrap().zh, "表1 第2行第3列");
    assert_eq!(d.locus_at(d.text.len() - 1).unwrap().zh, "第2段");
}

#[test]
fn text_boxes_once_and_footnotes_after_their_paragraph() {
    let xml = body(&format!(
        r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>青山镇人民政府</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>青山镇人民政府</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}"#,
        p("末段")
    ));
    let notes = format!(
        r#"<w:footnotes xmlns:w="{}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>指2019年修订的条例。</w:t></w:r></w:p></w:footnote></w:footnotes>"#,
        W_NS[0]
    );
    let d = read_parts(&[("word/document.xml", &xml), ("word/footnotes.xml", &notes)]);
    assert_eq!(
        d.text,
        "正文\n\n青山镇人民政府\n\n注1：指2019年修订的条例。\n\n末段"
    );
}

#[test]
fn other_zips_and_broken_zips() {
    let ofd = docx(&[("OFD.xml", "<ofd:OFD/>")]);
    assert!(matches!(
        read(&ofd, "ofd", &Limits::default()),
        Err(ReadError::Unsupported { format, .. }) if format == "OFD"
    ));
    let xlsx = docx(&[("xl/workbook.xml", "<workbook/>")]);
    assert!(matches!(
        read(&xlsx, "xlsx", &Limits::default()),
        Err(ReadError::Unsupported { .. })
    ));
    let good = docx(&[("word/document.xml", &body(&p("正文")))]);
    for cut in [10, good.len() / 2, good.len() - 10] {
        assert!(matches!(
            read(&good[..cut], "docx", &Limits::default()),
            Err(ReadError::Corrupt { .. })
        ));
    }
    let bad_xml = docx(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
    assert!(matches!(
        read(&bad_xml, "docx", &Limits::default()),
        Err(ReadError::Corrupt { .. })
    ));
}

#[test]
fn limits_on_entries_size_and_depth() {
    let parts: Vec<(String, String)> = (0..20)
        .map(|i| (format!("f{i}.xml"), String::new()))
        .collect();
    let refs: Vec<(&str, &str)> = parts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let many = docx(&refs);
    let l = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    assert!(matches!(
        read(&many, "docx", &l),
        Err(ReadError::Limit { .. })
    ));

    let big = body(&p(&"字".repeat(200_000)));
    let z = docx(&[("word/document.xml", &big)]);
    let l = Limits {
        max_expanded_bytes: 100_000,
        ..Limits::default()
    };
    assert!(matches!(read(&z, "docx", &l), Err(ReadError::Limit { .. })));
    // Over the limit in a later part: the message names the limit, not what was left.
    let half = body(&p(&"字".repeat(20_000)));
    let styles = format!("<w:styles>{}</w:styles>", " ".repeat(60_000));
    let z = docx(&[("word/document.xml", &half), ("word/styles.xml", &styles)]);
    match read(&z, "docx", &l) {
        Err(ReadError::Limit { limit, .. }) => assert_eq!(limit, "97.7 KB"),
        other => panic!("{other:?}"),
    }

    let deep = body(&format!(
        "{}{}",
        "<w:sdt>".repeat(300),
        "</w:sdt>".repeat(300)
    ));
    let z = docx(&[("word/document.xml", &deep)]);
    assert!(matches!(
        read(&z, "docx", &Limits::default()),
        Err(ReadError::Limit { .. })
    ));
}

#[test]
fn other_prefix_for_the_word_namespace() {
    let xml = format!(
        r#"<ns0:document xmlns:ns0="{}"><ns0:body><ns0:p><ns0:r><ns0:t>正文</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>"#,
        W_NS[0]
    );
    let d = read_parts(&[("word/document.xml", &xml)]);
    assert_eq!(d.text, "正文");
}
