//! Prose arithmetic as a specification: short Chinese sentences and what nblint says about
//! them (NB301 rate-mismatch, NB302 rate-out-of-range, NB303 inline-total-mismatch, NB304
//! narrative-table-mismatch).
//!
//! Each case is `(text, expected)`. `expected` is empty when nothing may be reported, else one
//! `CODE severity arithmetic` per finding, joined by `; `, where `arithmetic` is the finding's
//! first note (or its label when it has no note). All sentences are written by us.

use nblint::engine::{Options, lint_source};
use nblint::{Diagnostic, RuleSet};
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in rules load"));

fn summary(d: &Diagnostic) -> String {
    let key = d
        .notes
        .first()
        .or(d.label.as_ref())
        .cloned()
        .unwrap_or_default();
    format!("{} {} {key}", d.code, d.severity.as_str())
}

/// What the prose rules say about `text` (as the second line of a file, after a title).
fn said(text: &str) -> String {
    let file = format!("某镇2021年政府信息公开工作年度报告\n\n{text}\n");
    let r = lint_source("case.txt", file.as_bytes(), &RULES, &Options::default());
    r.diagnostics
        .iter()
        .filter(|d| d.code.starts_with("NB30"))
        .map(summary)
        .collect::<Vec<_>>()
        .join("; ")
}

fn run(cases: &[(&str, &str)]) {
    run_with(cases, said);
}

/// Runs `cases` through `say` and reports every case that differs.
fn run_with(cases: &[(&str, &str)], say: fn(&str) -> String) {
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let got = say(text);
        if got != *expected {
            failures.push(format!(
                "  {text}\n    expected: {expected:?}\n    got:      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

const RATES: &[(&str, &str)] = &[
    // Right, at the precision written.
    ("共收到来访件68件，办结66件，办结率97%。", ""),
    ("共收到来访件68件，办结66件，办结率97.06%。", ""),
    ("共收到来访件68件，办结66件，办结率为97.1%。", ""),
    ("全年受理群众诉求200件，办结198件，办结率达到99%。", ""),
    ("收到政府信息公开申请15件，办结15件，办结率100%。", ""),
    ("共受理申请20件，按时办结19件，按时办结率95%。", ""),
    ("共制发规范性文件12件，公开12件，公开率100%。", ""),
    ("共收到留言80条，回复80条，回复率100%。", ""),
    ("共发放问卷300份，收回满意票291份，满意率97%。", ""),
    ("全年共受理申请50件，其中网上申请30件，占60%。", ""),
    ("共投入资金1241万元，其中扶贫资金300万元，占24.2%。", ""),
    ("办结66件，共收到68件，办结率97%。", ""),
    ("收到申请68件，66件已办结，办结率97%。", ""),
    ("2021年，共收到申请68件，办结66件，办结率97%。", ""),
    // Several counts of 申请: any of them may be the denominator.
    (
        "共收到申请25件，其中自然人申请20件、法人申请5件，按时办结25件，按时办结率100%。",
        "",
    ),
    (
        "共收到申请25件，其中自然人申请20件、法人申请5件，办结20件，办结率80%。",
        "",
    ),
    // Shares of a list's parent, with a larger total nearby (the family 1): the
    // parent fits, so nothing is said.
    (
        "2021年制作、获取政府信息总数2400条。全年主动公开信息620条，其中部门公开410条，占66.1%；乡镇公开210条，占33.9%。",
        "",
    ),
    (
        "制作、获取政府信息总数2400条。在主动公开的620条信息中，A类150条，占24.2%；B类470条，占75.8%。",
        "",
    ),
    // The parent in the previous sentence, the list opened by 其中.
    (
        "全年主动公开政府信息2949条。其中，各部门主动公开2275条，占77%。各乡镇主动公开674条，占23%。",
        "",
    ),
    // Shares of the sum of the shares listed (no total stated).
    (
        "制作、获取政府信息总数1873条。主动公开的政府信息中，区直单位303条，占71.3%。各乡镇122条，占28.7%。",
        "",
    ),
    // An approximate number is never the denominator of an error.
    (
        "全年办理群众来信20多件。主动公开政府信息2275条，占77%；674条，占23%。",
        "",
    ),
    // A rate whose counts are not named: nothing to pair with.
    ("办理建议12件、提案4件，答复检察建议1件，答复率100%。", ""),
    // Written other ways.
    ("共收到申请68件，办结66件，办结率97％。", ""),
    ("共收到申请６８件，办结６６件，办结率９７％。", ""),
    ("共收到申请六十八件，办结六十六件，办结率百分之九十七。", ""),
    ("共收到申请100件，办结90件，办结率九成。", ""),
    ("共收到申请100件，办结85件，办结率超八成。", ""),
    ("共收到申请68件，办结66件，办结率约97%。", ""),
    ("共收到来访60余件，办结58件，办结率95%。", ""),
    // Carried over from last year: the denominator may include it.
    ("收到申请15件，上年结转1件，办结16件，办结率100%。", ""),
    // Nothing to compute with: not checked.
    ("满意率100%。", ""),
    ("共收到申请68件，办结66件。办结率为90%。", ""), // another sentence: not paired
    ("群众满意率达98%以上。", ""),
    ("共受理群众来信来访35件次，办结率100%。", ""),
    ("财政民生支出占比达80%。", ""),
    ("所占比例为4%，分值为5分。", ""),
    ("全年共收到申请50件，占全市的5%。", ""),
    ("共收到申请68件，未办结2件，办结率97%。", ""),
    // Years, document numbers, phones, ordinals and hotlines are not counts.
    ("2018年办结率为97%。", ""),
    ("依据国办公开办函〔2021〕30号，办结率100%。", ""),
    ("联系电话0953-2120610，办结率100%。", ""),
    ("（一）办结率100%。", ""),
    ("12345热线办结率98%。", ""),
    // Changes and lists of rates are not shares.
    ("办结率同比提高5%。", ""),
    ("办结率和满意率分别为97%和98%。", ""),
    // Wrong.
    (
        "共收到来访件68件，办结66件，办结率95%。",
        "NB301 error 66 ÷ 68 = 97.06%",
    ),
    (
        "共收到来访件68件，办结65件，办结率97%。",
        "NB301 error 65 ÷ 68 = 95.59%",
    ),
    (
        "受理申请68件、办结66件、办结率90%。",
        "NB301 error 66 ÷ 68 = 97.06%",
    ),
    (
        "收到申请68件，66件已办结，办结率90%。",
        "NB301 error 66 ÷ 68 = 97.06%",
    ),
    (
        "共受理申请20件，按时办结18件，按时办结率100%。",
        "NB301 error 18 ÷ 20 = 90.00%",
    ),
    (
        "共收到留言80条，回复70条，回复率100%。",
        "NB301 error 70 ÷ 80 = 87.50%",
    ),
    (
        "共发放问卷300份，收回满意票250份，满意率97%。",
        "NB301 error 250 ÷ 300 = 83.33%",
    ),
    (
        "共收到申请805件，予以公开258件，占33.9%。",
        "NB301 error 258 ÷ 805 = 32.05%",
    ),
    // The total stands in another sentence without a 其中: the pairing is inferred, a warning.
    (
        "全年共受理申请805件。予以公开及部分公开258件，占33.9%。",
        "NB301 warning 258 ÷ 805 = 32.05%",
    ),
    // The stated parent of the list: explicit, an error.
    (
        "全年主动公开信息620条，其中部门公开410条，占56.1%；乡镇公开210条，占33.9%。",
        "NB301 error 410 ÷ 620 = 66.13%",
    ),
    (
        "在主动公开的620条信息中，机构职能类150条，占20.2%；政策文件类470条，占75.8%。",
        "NB301 error 150 ÷ 620 = 24.19%",
    ),
    (
        "共投入资金1000万元，其中扶贫资金300万元，占20%。",
        "NB301 error 300万元 ÷ 1000万元 = 30.00%",
    ),
    (
        "共收到申请100件，办结80件，办结率九成。",
        "NB301 error 80 ÷ 100 = 80.00%",
    ),
    (
        "共收到申请六十八件，办结六十件，办结率百分之九十七。",
        "NB301 error 六十 ÷ 六十八 = 88.24%",
    ),
    // Cut off instead of rounded: a note.
    (
        "共发布信息100000条，其中政策解读4348条，占4.34%。",
        "NB301 note 4348 ÷ 100000 = 4.348%",
    ),
    (
        "共收到来访件68件，办结66件，办结率97.05%。",
        "NB301 note 66 ÷ 68 = 97.059%",
    ),
    // Impossible.
    (
        "受理117件，办结171件，办结率100%。",
        "NB302 error 171 ÷ 117 = 146.15% > 100%",
    ),
    (
        "受理申请50件，办结60件，办结率100%。",
        "NB302 error 60 ÷ 50 = 120.00% > 100%",
    ),
    (
        "收到申请15件，上年结转1件，办结17件，办结率100%。",
        "NB302 error 17 ÷ 15 = 113.33% > 100%",
    ),
    ("办结率120%。", "NB302 error 比率不可能超过 100%"),
    (
        "满意率达到百分之一百零五。",
        "NB302 error 比率不可能超过 100%",
    ),
];

const TOTALS: &[(&str, &str)] = &[
    // Parts that add up.
    (
        "全年主动公开政府信息286条，其中工作动态142条、财政资金信息38条、社会救助信息61条、乡村振兴信息45条。",
        "",
    ),
    (
        "通过政府网站发布信息389条，其中：乡镇动态41条，政府文件类23条，机构职能2条，财政资金4条，重点项目建设6条，社会救助101条，征地补偿1条，拆迁安置11条，扶贫工作89条，双随机、一公开4条，村务公开96条，政府工作报告及工作总结2条，农村危房改造1条，信息公开制度与保障8条。",
        "",
    ),
    (
        "计划建设项目12个，概算总投资3.18亿元。其中11个项目已开工建设。",
        "",
    ),
    (
        "共公布政府信息2599条（其中机构职能类25条、政策文件类1718条、其他856条）。",
        "",
    ),
    (
        "共公布政府信息2599条（其中机构职能类25，政策文件类1718，其他856）。",
        "",
    ),
    (
        "共受理申请50件，其中网上申请30件、当面申请20件，办结48件。",
        "",
    ),
    (
        "共受理申请50件，其中网上申请30件、当面申请20件，办结48件，其中按时办结45件、延期办结3件。",
        "",
    ),
    (
        "共收到申请12件，其中网上申请8件，占66.7%，当面申请4件。",
        "",
    ),
    (
        "共办理建议提案5件：1、人大代表建议3件；2、政协委员提案2件。",
        "",
    ),
    (
        "主动公开政府信息11280余条，网站公开1880余条；微信公众平台公开6200余条；公开栏公开1000余条；媒体公开2200余条。",
        "",
    ),
    ("共收到申请50件，其中网上申请30件。", ""),
    (
        "累计发放宣传品500余份，其中宣传册300余份、宣传画200余份。",
        "",
    ),
    (
        "共投入资金1241万元，其中扶贫资金300万元、教育补助941万元。",
        "",
    ),
    (
        "共接待群众来访约500人次，其中咨询政策约300人次、反映问题约200人次。",
        "",
    ),
    (
        "全年共发布信息1.2万条，其中网站发布8000条、微信发布4000条。",
        "",
    ),
    (
        "共受理申请50件（其中网上申请30件、当面申请20件），均已办结。",
        "",
    ),
    ("共收到申请五十件，其中网上申请三十件、当面申请二十件。", ""),
    (
        "共收到申请50件，其中：一是网上申请30件，二是当面申请20件。",
        "",
    ),
    ("共发布信息300条，其中第一季度100条、第二季度200条。", ""),
    // Not a list of parts.
    ("积极参与其中，共发放宣传品130余份。", ""),
    ("其中之一是办结率问题。", ""),
    (
        "共收到申请50件，其中网上申请30件、信函申请20件，另有电话咨询10件。",
        "",
    ),
    (
        "全年主动公开政府信息412条，其中重点项目建设信息57条、行政许可信息128条、行政处罚信息35条、政策解读21篇。",
        "",
    ),
    ("累计查出安全隐患95条、下达整改指令53份，整改隐患53处。", ""),
    ("在平台上主动公开信息584条，在公示栏公开信息81条。", ""),
    // Dates, document numbers, phone numbers, titles and ordinals are not parts.
    (
        "截至2021年12月31日，共发布信息300条，其中工作动态200条、通知公告100条。",
        "",
    ),
    (
        "依据国办公开办函〔2021〕30号，共发布信息300条，其中工作动态200条、通知公告100条。",
        "",
    ),
    (
        "（一）共发布信息300条，其中工作动态200条、通知公告100条。",
        "",
    ),
    (
        "共设立查阅点3个，其中镇便民服务中心1个（电话：0953-2120610）、村级查阅点2个。",
        "",
    ),
    ("共发布信息300条，其中2021年12月发布300条。", ""),
    (
        "共发布文件30件，其中《关于做好2021年政务公开工作的通知》等文件10件。",
        "",
    ),
    // Subtotals named later under a heading or in a sentence (the shape of seed 003).
    (
        "全年共发布信息120条，其中工作动态40条、征地补偿10条、拆迁安置20条、社会救助50条。\n\n（一）征地补偿、拆迁安置信息公开\n\n该领域全年公开信息30条。",
        "",
    ),
    (
        "全年共发布信息120条，其中工作动态40条、征地补偿10条、拆迁安置20条、社会救助50条。\n\n（一）征地补偿、拆迁安置信息公开\n\n该领域全年公开信息31条。",
        "NB303 warning 10 + 20 = 30 ≠ 31",
    ),
    (
        "全年共发布信息120条，其中工作动态40条、征地补偿10条、拆迁安置20条、社会救助50条。\n\n征地补偿和拆迁安置方面公开信息30条。",
        "",
    ),
    (
        "全年共发布信息120条，其中工作动态40条、征地补偿10条、拆迁安置20条、社会救助50条。\n\n（二）社会保障及扶贫救助\n\n在民生领域公开信息55条，其中社会救助45条。",
        "",
    ),
    (
        "全年共发布信息120条，其中工作动态40条、征地补偿10条、拆迁安置20条、社会救助50条。\n\n（二）工作动态\n\n发布工作动态40条。",
        "",
    ),
    // Parts far below the total are examples, not a breakdown: a note at most.
    (
        "全年主动公开政府信息306条，其中行政许可信息41条、行政处罚信息9条。",
        "NB303 note 41 + 9 = 50 ≠ 306",
    ),
    (
        "全年主动公开政府信息306条，其中行政许可信息241条、行政处罚信息65条。",
        "",
    ),
    // Parts that do not add up.
    (
        "共有建档立卡贫困户216989人。其中：劳务移民203960人，非贫困村贫困户1329人。",
        "NB303 warning 203960 + 1329 = 205289 ≠ 216989",
    ),
    (
        "共公布政府信息2599条（其中机构职能类25条、政策文件类1652条、其他856条）。",
        "NB303 warning 25 + 1652 + 856 = 2533 ≠ 2599",
    ),
    (
        "全年主动公开政府信息286条，其中工作动态142条、财政资金信息38条、社会救助信息61条、乡村振兴信息40条。",
        "NB303 warning 142 + 38 + 61 + 40 = 281 ≠ 286",
    ),
    (
        "通过政府网站发布信息390条，其中：乡镇动态41条，政府文件类23条，机构职能2条，财政资金4条，重点项目建设6条，社会救助101条，征地补偿1条，拆迁安置11条，扶贫工作89条，双随机、一公开4条，村务公开96条，政府工作报告及工作总结2条，农村危房改造1条，信息公开制度与保障8条。",
        "NB303 warning 41 + 23 + 2 + … + 1 + 8 = 389 ≠ 390",
    ),
    (
        "共受理申请50件，其中网上申请30件、当面申请25件。",
        "NB303 warning 30 + 25 = 55 ≠ 50",
    ),
    (
        "共有贫困户120户，其中因病致贫45户、因学致贫30户。",
        "NB303 warning 45 + 30 = 75 ≠ 120",
    ),
    (
        "计划建设项目10个，概算总投资3.18亿元。其中11个项目已开工建设。",
        "NB303 warning 11 > 10",
    ),
    (
        "共收到申请50件，其中网上申请60件。",
        "NB303 warning 60 > 50",
    ),
    (
        "共办理建议提案5件：1、人大代表建议3件；2、政协委员提案3件。",
        "NB303 warning 3 + 3 = 6 ≠ 5",
    ),
    (
        "共受理申请50件（其中网上申请30件、当面申请30件），均已办结。",
        "NB303 warning 30 + 30 = 60 ≠ 50",
    ),
    (
        "共收到申请五十件，其中网上申请三十件、当面申请三十件。",
        "NB303 warning 三十 + 三十 = 60 ≠ 五十",
    ),
    (
        "共受理申请50件，其中网上申请30件、当面申请20件，办结48件，其中按时办结45件、延期办结5件。",
        "NB303 warning 45 + 5 = 50 ≠ 48",
    ),
    (
        "累计发放宣传品500余份，其中宣传册400余份、宣传画200余份。",
        "NB303 warning 400余 + 200余 = 600～800 ≠ 500余",
    ),
    (
        "共接待群众来访约500人次，其中咨询政策约400人次、反映问题约300人次。",
        "NB303 warning 约400 + 约300 = 600～800 ≠ 约500",
    ),
    (
        "共投入资金1241万元，其中扶贫资金300万元、教育补助900万元。",
        "NB303 warning 300万元 + 900万元 = 1200万元 ≠ 1241万元",
    ),
    (
        "全年共发布信息1.2万条，其中工作动态9000条、通知公告4000条。",
        "NB303 warning 9000 + 4000 = 13000 ≠ 1.2万",
    ),
    // …but only a note when the list may be incomplete or overlapping.
    (
        "全年共发布信息1.2万条，其中网站发布9000条、微信发布4000条。",
        "NB303 note 9000 + 4000 = 13000 ≠ 1.2万",
    ),
    (
        "共有贫困户120户，其中因病致贫45户、因学致贫30户等。",
        "NB303 note 45 + 30 = 75 ≠ 120",
    ),
    (
        "共发布信息300条，其中主要有工作动态100条、通知公告50条。",
        "NB303 note 100 + 50 = 150 ≠ 300",
    ),
    (
        "共发布信息300条，其中工作动态200条、政策解读120条。",
        "NB303 note 200 + 120 = 320 ≠ 300",
    ),
    (
        "主动公开政府信息11280余条，网站公开1980余条；微信公众平台公开6200余条；公开栏公开1000余条；媒体公开2200余条。",
        "NB303 note 1980余 + 6200余 + 1000余 + 2200余 = 11380～12590 ≠ 11280余",
    ),
];

#[test]
fn rates() {
    assert!(RATES.len() >= 40);
    run(RATES);
}

#[test]
fn inline_totals() {
    assert!(TOTALS.len() >= 40);
    run(TOTALS);
}

/// rate-mismatch and rate-out-of-range must match rates to counts the same way.
#[test]
fn rate_rules_share_their_matching() {
    let tail = |name: &str| -> String {
        let path = format!("{}/rules/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("rule file");
        let at = text.find("skip_if").expect("skip_if");
        text[at..].to_owned()
    };
    assert_eq!(tail("rate-mismatch"), tail("rate-out-of-range"));
}

/// Text run together without sentence ends (a PDF extraction gone wrong) must not make the
/// prose rules quadratic: every search is bounded.
#[test]
fn long_run_on_text_is_bounded() {
    let body = "办结1件，办结率100%，".repeat(20_000)
        + "共有项目100000件，其中"
        + &"类别3件、".repeat(20_000);
    let t = std::time::Instant::now();
    let _ = said(&body);
    // Generous: a quadratic pass would take minutes.
    assert!(t.elapsed().as_secs() < 30, "took {:?}", t.elapsed());
}

/// Whatever the text, reading its numbers and checking them never panics: random strings
/// over the characters the number reader acts on (a deterministic generator, no dependency).
#[test]
fn random_text_never_panics() {
    const ALPHABET: &[&str] = &[
        "1",
        "9",
        "0",
        "１",
        ",",
        ".",
        "．",
        "%",
        "％",
        "一",
        "二",
        "十",
        "百",
        "千",
        "万",
        "亿",
        "两",
        "〇",
        "第",
        "条",
        "件",
        "人",
        "万元",
        "余",
        "多",
        "约",
        "近",
        "超",
        "以上",
        "成",
        "年",
        "月",
        "日",
        "号",
        "其中",
        "共",
        "、",
        "，",
        "；",
        "：",
        "。",
        "（",
        "）",
        "(",
        ")",
        "《",
        "》",
        "〔",
        "〕",
        "“",
        "”",
        "率",
        "办结",
        "收到",
        "占",
        "等",
        "\n",
        "\n\n",
        " ",
        "-",
        "/",
        "@",
        "a",
        "百分之",
        "点",
        "是",
        "\t",
        "|",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..400 {
        let len = (next() % 120) as usize;
        let text: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let _ = said(&text);
    }
}

/// What NB304 says about `text`, written in section 一 of a 2021 report whose 表三 and 表四
/// are those of `fixtures/rules/narrative-table-mismatch/ok.md`: 新收 20, 上年结转 2,
/// 予以公开 10, 部分公开 2, 不予公开 1, 无法提供 6, 不予处理 1, 其他处理 0, 总计 20,
/// 结转下年度 2; 行政复议 2 (维持 1, 尚未审结 1), 直接起诉 1 (纠正 1), 复议后起诉 0.
fn narrative(text: &str) -> String {
    static TABLES: LazyLock<String> = LazyLock::new(|| {
        let ok = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/rules/narrative-table-mismatch/ok.md"
        ))
        .unwrap();
        let start = ok.find("## 三、").unwrap();
        let end = ok.find("## 五、").unwrap();
        ok[start..end]
            .lines()
            .filter(|l| l.is_empty() || l.starts_with('|') || l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let file = format!(
        "# 某镇2021年政府信息公开工作年度报告\n\n## 一、总体情况\n\n{text}\n\n{}\n",
        *TABLES
    );
    let r = lint_source("case.md", file.as_bytes(), &RULES, &Options::default());
    r.diagnostics
        .iter()
        .filter(|d| d.code == "NB304")
        .map(|d| d.label.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("; ")
}

const NARRATIVE: &[(&str, &str)] = &[
    // Agree with the tables.
    (
        "全年共收到政府信息公开申请20件，上年结转2件，办结20件，结转下年度继续办理2件。",
        "",
    ),
    ("本年度新收依申请公开申请20件。", ""),
    ("政府信息公开申请受理22件（含上年结转2件）。", ""),
    (
        "依申请公开方面，共受理申请二十件，予以公开10件，部分公开2件，不予公开1件。",
        "",
    ),
    (
        "政府信息公开申请中，无法提供6件，不予处理1件，其他处理0件。",
        "",
    ),
    ("政府信息公开申请予以公开及部分公开12件。", ""),
    ("共收到政府信息公开申请20余件。", ""),
    ("因政府信息公开被申请行政复议2件，被提起行政诉讼1件。", ""),
    // Not about this year's requests, or about something else: never compared.
    ("政府信息公开申请数量较上年增加5件。", ""),
    ("2020年共收到政府信息公开申请17件。", ""),
    ("全年收到来信来访45件，办结45件，均与政府信息公开无关。", ""),
    ("12345热线转来政府信息公开咨询30件，办结30件。", ""),
    ("受理行政许可申请150件，办结150件。", ""),
    ("收到人大代表建议5件，办结5件。", ""),
    ("全年办理行政复议案件45件。", ""),
    ("政府信息公开申请办结率100%。", ""),
    ("政府信息公开申请按时办结18件。", ""),
    ("共收到政府信息公开申请数十件。", ""),
    // Contradict them: every number is checked.
    ("全年共收到政府信息公开申请23件。", "正文：23件"),
    (
        "全年共收到政府信息公开申请23件，办结19件。",
        "正文：23件; 正文：19件",
    ),
    ("政府信息公开申请受理24件（含上年结转2件）。", "正文：24件"),
    (
        "依申请公开方面，予以公开11件，部分公开2件，不予公开3件。",
        "正文：11件; 正文：3件",
    ),
    (
        "政府信息公开申请中，无法提供5件，不予处理2件，其他处理1件。",
        "正文：5件; 正文：2件; 正文：1件",
    ),
    ("政府信息公开申请予以公开及部分公开13件。", "正文：13件"),
    (
        "政府信息公开申请上年结转3件，结转下年度继续办理1件。",
        "正文：3件; 正文：1件",
    ),
    ("共收到政府信息公开申请30余件。", "正文：30余件"),
    (
        "因政府信息公开被申请行政复议3件，被提起行政诉讼2件。",
        "正文：3件; 正文：2件",
    ),
    (
        "因政府信息公开被申请行政复议2件，被提起行政诉讼1件，均获维持。",
        "正文：均获维持",
    ),
    ("政府信息公开行政复议2件，全部维持。", "正文：全部维持"),
    ("全年共收到政府信息公开申请二十三件。", "正文：二十三件"),
];

#[test]
fn narrative_numbers_against_the_tables() {
    run_with(NARRATIVE, narrative);
}
