//! Unit tests of the HTML reader: content container and title, comments, tables, charset,
//! nesting limits.

use super::*;

fn read_str(s: &str) -> Document {
    read(s.as_bytes(), &Limits::default()).unwrap()
}

#[test]
fn content_container_and_title() {
    let page = r#"<html><head><title>青山镇2021年报_青山县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 年报</div>
<div class="main"><h1>青山镇人民政府2021年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2022-01-20 浏览次数：100</div>
<div class="TRS_Editor"><p>一、总体情况</p><p>　　2021年，青山镇坚持以公开为常态、不公开为例外，稳步推进各项工作。</p>
<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息286条，其中工作动态142条。</p></div>
<div class="share">分享到：微信 微博</div></div>
<div class="footer">版权所有：青山县人民政府办公室 地址：政府路1号 联系电话：0953-6011000</div>
</body></html>"#;
    let d = read_str(page);
    assert_eq!(
        d.text,
        "青山镇人民政府2021年政府信息公开工作年度报告\n\n一、总体情况\n\n　　2021年，青山镇坚持以公开为常态、不公开为例外，稳步推进各项工作。\n\n\
         二、主动公开政府信息情况\n\n全年主动公开政府信息286条，其中工作动态142条。"
    );
    assert_eq!(d.headings[0].level, 0);
    assert_eq!(d.loci[3].zh, "第4段");
}

#[test]
fn nblint_comments_are_kept_where_they_stood() {
    let page = r#"<html><head><!-- nblint-disable NB401 --><!-- 统计代码 --></head><body>
<div><p>第一段</p>
<!-- nblint-disable-next-line NB109 -->
<p>第二段<!-- nblint-disable NB303 --></p>
<table><tr><td>项目</td><td>数量</td></tr>
<!-- nblint-disable-next-line NB202 --><tr><td>申请</td><td>1</td></tr>
<tr><td>办结<!-- nblint-enable --></td><td>1</td></tr></table>
<p>第三段</p></div></body></html>"#;
    let d = read_str(page);
    let at = |s: &str| d.text.find(s).unwrap();
    let got: Vec<(usize, &str)> = d.comments.iter().map(|c| (c.at, c.text.trim())).collect();
    assert_eq!(
        got,
        vec![
            (0, "nblint-disable NB401"),
            (at("第二段"), "nblint-disable-next-line NB109"),
            (at("第二段"), "nblint-disable NB303"),
            (at("申请"), "nblint-disable-next-line NB202"),
            (at("办结"), "nblint-enable"),
        ]
    );
    assert!(!d.text.contains("nblint"));
}

#[test]
fn tables_with_spans_and_whitespace() {
    let page = r#"<body><div><p>三、收到和处理政府信息公开申请情况</p>
<table><tbody><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以
公开</td></tr><tr><td>（二）部分公开</td><td><p>1</p></td></tr></tbody></table>
<p>后文&nbsp;很长很长很长很长很长很长很长很长的一段话。</p></div></body>"#;
    let d = read_str(page);
    assert_eq!(
        d.text,
        "三、收到和处理政府信息公开申请情况\n\n三、本年度办理结果\t（一）予以 公开\t\n\t（二）部分公开\t1\n\n后文 很长很长很长很长很长很长很长很长的一段话。"
    );
    assert_eq!(d.grids[0].rows[1][0].covered_by, Some((0, 0)));
}

#[test]
fn layout_tables_are_read_as_paragraphs() {
    let long = "本年度办理人大代表建议和政协委员提案，办理结果均已公开。".repeat(12);
    let page = format!(
        "<body><table><tr><td><a href='/'>首页</a></td><td><p>一、总体情况</p><p>{long}</p></td></tr></table></body>"
    );
    let d = read_str(&page);
    assert!(d.grids.is_empty());
    assert!(d.text.starts_with("一、总体情况\n\n本年度"));
}

#[test]
fn charset_from_meta_and_xml() {
    assert_eq!(
        charset_label(br#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />"#)
            .as_deref(),
        Some("gb2312")
    );
    assert_eq!(
        charset_label(b"<meta charset='GBK'>").as_deref(),
        Some("gbk")
    );
    assert_eq!(
        charset_label(br#"<?xml version="1.0" encoding="GB18030"?><html>"#).as_deref(),
        Some("gb18030")
    );
    let (gbk, _, _) = encoding_rs::GBK
        .encode("<html><head><meta charset=\"gbk\"></head><body><p>一、总体情况</p></body></html>");
    let d = read(&gbk, &Limits::default()).unwrap();
    assert_eq!(d.text, "一、总体情况");
    assert_eq!(d.encoding, "GB18030");
}

#[test]
fn deep_nesting_is_refused() {
    let page = format!(
        "<body>{}字{}</body>",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    assert!(matches!(
        read(page.as_bytes(), &Limits::default()),
        Err(ReadError::Limit { .. })
    ));
    // Under the cheap estimate but over the exact limit.
    let page = format!(
        "<body>{}字{}</body>",
        "<div>".repeat(400),
        "</div>".repeat(400)
    );
    assert!(matches!(
        read(page.as_bytes(), &Limits::default()),
        Err(ReadError::Limit { .. })
    ));
    // Many unclosed paragraphs are not nesting.
    let page = format!("<body>{}</body>", "<p>一段".repeat(5000));
    assert!(read(page.as_bytes(), &Limits::default()).is_ok());
}

#[test]
fn hidden_and_scripts_are_not_text() {
    let d = read_str(
        "<body><p>正文</p><script>var a='不是正文';</script><p style='display: none'>隐藏</p><p hidden>也隐藏</p></body>",
    );
    assert_eq!(d.text, "正文");
}
