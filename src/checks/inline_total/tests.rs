//! Tests of `inline_total`: the cost of one very long sentence of lists.

use crate::report::number::LIST_BYTES_READ;

/// One sentence of about a megabyte with 60 channel breakdowns and 40,000 `其中` openers
/// (issue 13). Each list used to be read from the sentence start (the bracket depth) and
/// split to the sentence end: about 60 times the sentence. Now the lists of a sentence
/// read it a bounded number of times, and the wrong list is still found.
#[test]
fn one_long_sentence_of_lists_is_read_a_bounded_number_of_times() {
    let mut s = String::from("受理申请30件，其中网上申请10件、当面申请21件，办理情况良好，");
    for _ in 0..60 {
        s.push_str("主动公开信息12条，网站公开5条、微信公开7条，");
    }
    for _ in 0..20_000 {
        s.push_str("其中包括相关工作人员，分别组织培训，其中有关情况，");
    }
    let file = format!("某镇2021年政府信息公开工作年度报告\n\n{s}。\n");
    let rules = crate::RuleSet::builtin().expect("built-in rules load");
    LIST_BYTES_READ.with(|r| r.set(0));
    let r = crate::engine::lint_source(
        "long.txt",
        file.as_bytes(),
        &rules,
        &crate::engine::Options::default(),
    );
    let read = LIST_BYTES_READ.with(|r| r.get());
    assert!(
        read <= 4 * s.len(),
        "lists read {read} bytes of a sentence of {} bytes",
        s.len()
    );
    let nb303: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB303").collect();
    assert_eq!(nb303.len(), 1, "{:?}", r.diagnostics);
    assert!(
        nb303[0]
            .notes
            .first()
            .is_some_and(|n| n.contains("10 + 21 = 31 ≠ 30")),
        "{:?}",
        nb303[0]
    );
}
