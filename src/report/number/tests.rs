//! Unit tests of the number reader: scripts, multipliers, approximations, percentages, what
//! is not a count, sentences and context, page breaks, lists.

use super::*;
use crate::input::{Document, Format};
use crate::report::{ReadOptions, Report};

fn report(text: &str) -> Numbers {
    let doc = Document::from_text(text.to_owned(), "utf-8", Format::Text);
    Report::build(&doc, &Default::default(), &ReadOptions::default()).numbers
}

/// `text` → the numbers as `written:kind:value[:approx][:unit]`.
fn read(text: &str) -> Vec<String> {
    report(text)
        .items
        .iter()
        .map(|n| {
            let mut s = format!("{}:{:?}:{}", &text[n.span()], n.kind, n.value);
            if n.approx != Approx::Exact {
                s.push_str(&format!(":{:?}", n.approx));
            }
            if let Some(u) = n.unit() {
                s.push(':');
                s.push_str(u);
            }
            s
        })
        .collect()
}

/// The quantities (counts, money, measures) of `text` as `value unit`.
fn quantities(text: &str) -> Vec<String> {
    report(text)
        .items
        .iter()
        .filter(|n| n.is_quantity())
        .map(|n| format!("{}{}", n.value, n.unit().unwrap_or("")))
        .collect()
}

#[test]
fn arabic_and_full_width() {
    assert_eq!(read("办结66件"), ["66件:Count:66:件"]);
    assert_eq!(read("办结１２３件"), ["１２３件:Count:123:件"]);
    assert_eq!(read("共1,234条"), ["1,234条:Count:1234:条"]);
    assert_eq!(
        read("共12,345,678人次"),
        ["12,345,678人次:Count:12345678:人次"]
    );
    assert_eq!(read("其他856）"), ["856:Count:856"]);
    assert_eq!(read("政务公开栏 11 个"), ["11 个:Count:11:个"]);
}

#[test]
fn chinese_numerals() {
    assert_eq!(quantities("收到一百二十件"), ["120件"]);
    assert_eq!(quantities("发放两千三百份"), ["2300份"]);
    assert_eq!(quantities("惠及十二万三千人"), ["123000人"]);
    assert_eq!(quantities("百余件"), ["100件"]);
    // Words, not numbers.
    for w in [
        "十九大",
        "三公经费",
        "一级抓一级",
        "两微一端",
        "一周一更新",
        "十分重视",
        "一次性告知",
        "一成不变",
        "千方百计",
    ] {
        assert_eq!(quantities(w), Vec::<String>::new(), "{w}");
    }
}

#[test]
fn multipliers_and_money() {
    let n = &report("1.2万条").items[0];
    assert_eq!(
        (n.value, n.approx, n.lo, n.hi),
        (12_000.0, Approx::Rounded, 11_500.0, 12_500.0)
    );
    let n = &report("概算总投资3.18亿元").items[0];
    assert_eq!(
        (n.kind, n.value.round(), n.base_unit()),
        (Kind::Money, 318_000_000.0, Some("元"))
    );
    let n = &report("共计1241万元").items[0];
    assert_eq!(
        (n.kind, n.value, n.unit()),
        (Kind::Money, 12_410_000.0, Some("万元"))
    );
    assert_eq!(quantities("5.2万亩"), ["52000亩"]);
    assert_eq!(quantities("投入500余万元"), ["5000000万元"]);
}

#[test]
fn approximations() {
    let n = &report("主动公开政府信息11280余条").items[0];
    assert_eq!(
        (n.value, n.approx, n.lo, n.hi),
        (11_280.0, Approx::AtLeast, 11_280.0, 11_290.0)
    );
    let n = &report("6200余条").items[0];
    assert_eq!((n.lo, n.hi), (6_200.0, 6_300.0));
    let n = &report("约500条").items[0];
    assert_eq!((n.approx, n.lo, n.hi), (Approx::About, 450.0, 550.0));
    let n = &report("近500条").items[0];
    assert_eq!((n.approx, n.lo, n.hi), (Approx::AtMost, 450.0, 500.0));
    let n = &report("500人以上").items[0];
    assert_eq!(
        (n.approx, n.lo, n.hi),
        (Approx::AtLeast, 500.0, f64::INFINITY)
    );
    let n = &report("一百多件").items[0];
    assert_eq!((n.value, n.approx), (100.0, Approx::AtLeast));
    let n = &report("数十件").items[0];
    assert_eq!(n.approx, Approx::Vague);
    assert!(!n.is_quantity());
}

#[test]
fn percentages_and_shares() {
    let n = &report("办结率97%").items[0];
    assert_eq!(
        (n.kind, n.value, n.decimals, n.lo, n.hi),
        (Kind::Percent, 97.0, 0, 96.5, 97.5)
    );
    let n = &report("办结率97.06％").items[0];
    assert_eq!((n.kind, n.value, n.decimals), (Kind::Percent, 97.06, 2));
    let n = &report("满意率达百分之九十七点六").items[0];
    assert_eq!((n.kind, n.value, n.decimals), (Kind::Percent, 97.6, 1));
    assert_eq!(&"满意率达百分之九十七点六"[n.span()], "百分之九十七点六");
    let n = &report("百分之百").items[0];
    assert_eq!(n.value, 100.0);
    let n = &report("超八成").items[0];
    assert_eq!(
        (n.kind, n.value, n.approx, n.lo),
        (Kind::Share, 80.0, Approx::AtLeast, 80.0)
    );
    let n = &report("提高3个百分点").items[0];
    assert_eq!(n.kind, Kind::PercentPoint);
}

#[test]
fn not_counts() {
    let kinds = |t: &str| -> Vec<Kind> { report(t).items.iter().map(|n| n.kind).collect() };
    assert_eq!(kinds("2018年"), [Kind::Year]);
    assert_eq!(kinds("二〇一八年度"), [Kind::Year]);
    assert_eq!(kinds("2018年3月1日"), [Kind::Date]);
    assert_eq!(kinds("截止12月6日"), [Kind::Date, Kind::Date]);
    assert_eq!(kinds("发布日期 2018-12-10"), [Kind::Date]);
    assert_eq!(kinds("电话：0953—2120610"), [Kind::Phone]);
    assert_eq!(kinds("联系电话：8061253"), [Kind::Phone]);
    assert_eq!(kinds("邮编：751100"), [Kind::Postcode]);
    assert_eq!(kinds("吴利政办发〔2017〕54 号"), [Kind::Code, Kind::Code]);
    assert_eq!(kinds("国务院令第711号"), [Kind::Code]);
    assert_eq!(kinds("根据第五十条规定"), [Kind::Article]);
    assert_eq!(kinds("第二十条第（一）项"), [Kind::Article, Kind::Ordinal]);
    assert_eq!(kinds("一、总体情况"), [Kind::Ordinal]);
    assert_eq!(kinds("（一）主动公开"), [Kind::Ordinal]);
    assert_eq!(kinds("(2)依申请公开"), [Kind::Ordinal]);
    assert_eq!(kinds("1. 领导重视"), [Kind::Ordinal]);
    assert_eq!(kinds("3．推进"), [Kind::Ordinal]);
    assert_eq!(kinds("主要类别：1、活动信息"), [Kind::Ordinal]);
    assert_eq!(kinds("一是加强领导"), [Kind::Ordinal]);
    assert_eq!(kinds("第三方"), [Kind::Ordinal]);
    assert_eq!(kinds("共收到“51890”来访件"), [Kind::Name]);
    assert_eq!(kinds("拨打12345热线"), [Kind::Name]);
    assert_eq!(kinds("《2017年政务公开工作要点》"), [Kind::Year]);
    assert_eq!(kinds("索引号 640122-150/2018-93016"), [Kind::Code]);
    assert_eq!(kinds("电子邮箱：1tqjxz2007@163.com"), [Kind::Code]);
    assert_eq!(kinds("坚持全年24小时值班"), [Kind::Duration]);
    assert_eq!(kinds("15个工作日内"), [Kind::Duration]);
    assert_eq!(
        kinds("所占比例为4%，分值为5分"),
        [Kind::Percent, Kind::Measure]
    );
}

#[test]
fn sentences_clauses_and_context() {
    let t = "今年，我镇共收到“51890”来访件68件，办结66件，办结率97%。下一句3条。";
    let ns = report(t);
    let q: Vec<&Number> = ns.items.iter().filter(|n| n.is_quantity()).collect();
    assert_eq!(&t[q[0].before()], "我镇共收到“51890”来访件");
    assert_eq!(&t[q[1].before()], "办结");
    assert_eq!(q[0].sentence, q[1].sentence);
    assert_ne!(q[1].sentence, q[2].sentence);
    assert_eq!(ns.sentences.len(), 2);
    let t = "受理8件已办结";
    let ns = report(t);
    assert_eq!(&t[ns.items[0].after()], "已办结");
}

#[test]
fn page_breaks_do_not_end_a_sentence() {
    // Seed 000: a page break between a number and its 余条.
    let t = "某镇年度报告\n\n三务公开栏公开1000余条；电视、报纸、手机报等媒体公开2200\n\n\n\n余条。下一段\n";
    let ns = report(t);
    let n = ns.items.iter().find(|n| n.value == 2200.0).expect("2200");
    assert_eq!((n.approx, n.unit()), (Approx::AtLeast, Some("条")));
    assert_eq!(&t[n.span()], "2200");
    assert_eq!(ns.items[0].sentence, n.sentence);
    // …but the title does not run on.
    let ns = report("某镇2017年政府信息公开工作年度报告\n\n共3件\n");
    assert_ne!(ns.items[0].sentence, ns.items[1].sentence);
    // A heading does not run on into the next paragraph.
    let ns = report("一、概述\n\n共3件\n");
    assert_ne!(ns.items[0].sentence, ns.items[1].sentence);
}

#[test]
fn lists() {
    let t = "发布信息389条,其中:乡镇动态41条,双随机、-公开4条,村务公开96条。政务公开工作全面。";
    let ns = report(t);
    let from = t.find("其中:").unwrap() + "其中:".len();
    let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
    let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
    assert_eq!(vals, [41.0, 4.0, 96.0]);
    assert!(!e.ambiguous && !e.mixed_units);
    // A bracketed list ends at its bracket.
    let t = "共公布信息2599条（其中机构职能类25，其他856），办结3件。";
    let ns = report(t);
    let from = t.find("其中").unwrap() + "其中".len();
    let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
    let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
    assert_eq!(vals, [25.0, 856.0]);
    // A clause without numbers ends the list; a percentage is a comment.
    let t = "共12个，其中网上8个，占60%，当面4个，并顺利推进，另3个。";
    let ns = report(t);
    let from = t.find("其中").unwrap() + "其中".len();
    let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
    let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
    assert_eq!(vals, [8.0, 4.0]);
    // Different units.
    let t = "共412条，其中许可信息128条、政策解读21篇。";
    let ns = report(t);
    let from = t.find("其中").unwrap() + "其中".len();
    assert!(ns.enumerate(t, 0, from, t.len(), &|_| false).mixed_units);
}
