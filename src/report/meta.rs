//! Metadata: the title, the report year, the agency and its body type, the statistics
//! period, the signature (落款) and publication dates, and statements that only make sense in
//! another year ("2016年将…" in a 2016 report).

use super::cn;
use super::{LineKind, Lines};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

pub(crate) use crate::dates::BodyType;

/// A calendar date found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DateFound {
    pub(crate) span: Range<usize>,
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

impl DateFound {
    pub(crate) fn ymd(&self) -> (i32, u32, u32) {
        (self.year, self.month, self.day)
    }

    pub(crate) fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The statistics period stated in the report (统计期限).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Period {
    pub(crate) span: Range<usize>,
    pub(crate) start: (i32, u32, u32),
    pub(crate) end: (i32, u32, u32),
}

/// A cut-off date for counts (截至12月6日，…发布信息389条).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cutoff {
    pub(crate) span: Range<usize>,
    pub(crate) year: Option<i32>,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    /// The title line's content span.
    pub(crate) title: Option<Range<usize>>,
    pub(crate) title_line: Option<usize>,
    /// The report year and where it was read.
    pub(crate) year: Option<i32>,
    pub(crate) year_span: Option<Range<usize>>,
    pub(crate) agency: Option<String>,
    pub(crate) agency_span: Option<Range<usize>>,
    /// Body type guessed from the agency name.
    pub(crate) body_type: Option<BodyType>,
    pub(crate) period: Option<Period>,
    pub(crate) cutoffs: Vec<Cutoff>,
    /// The signature date (落款).
    pub(crate) signed: Option<DateFound>,
    /// A publication date from page metadata (发布日期, 发布时间, 成文日期).
    pub(crate) published: Option<DateFound>,
    /// Statements of intent about a year: ("2016年将继续…", 2016).
    pub(crate) plans: Vec<(Range<usize>, i32)>,
}

impl Meta {
    /// The best known publication date: page metadata first, then the signature.
    pub(crate) fn publication_date(&self) -> Option<&DateFound> {
        self.published.as_ref().or(self.signed.as_ref())
    }
}

const D: &str = r"[0-9０-９]";

static DATE_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({D}{{4}})\s*年\s*({D}{{1,2}})\s*月\s*({D}{{1,2}})\s*[日号]"
    ))
    .expect("valid regex")
});
static DATE_NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^0-9０-９])({D}{{4}})[-/.．]({D}{{1,2}})[-/.．]({D}{{1,2}})(?:[^0-9０-９]|$)"
    ))
    .expect("valid regex")
});
static DATE_HAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
        .expect("valid regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"((?:19|20|１９|２０){D}{{2}})\s*年|([〇○零一二三四五六七八九]{{4}})\s*年"
    ))
    .expect("valid regex")
});
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:发布日期|发布时间|成文日期|发文日期|公开日期|发布于)\s*[:：]?\s*")
        .expect("valid regex")
});
static PERIOD_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"统计(?:期限|时限|区间|时段|时间|周期|期间)|数据(?:统计)?(?:期限|时限|区间)")
        .expect("valid regex")
});
static PERIOD_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({D}{{4}})\s*年\s*({D}{{1,2}})\s*月\s*({D}{{1,2}})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*(?:({D}{{4}})\s*年\s*)?({D}{{1,2}})\s*月\s*({D}{{1,2}})\s*日"
    ))
    .expect("valid regex")
});
static PERIOD_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({D}{{4}})\s*年度?(?:全年)?")).expect("valid regex"));
static CUTOFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:截至|截止到|截止|截至到)\s*(?:({D}{{4}})\s*年\s*)?({D}{{1,2}})\s*月\s*({D}{{1,2}})\s*日"
    ))
    .expect("valid regex")
});
static PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)[0-9]{2})\s*年度?\s*[，,]?\s*(?:我镇|我乡|我街道|我局|我委|我办|我们|本单位|本机关|我单位|我区|我县|我市|我厅|我中心)?\s*(?:将(?:继续|进一步|着力|重点|全面|持续|加大|加强|深入|不断|积极|大力)|计划|拟|力争|争取|预计)",
    )
    .expect("valid regex")
});

/// Compiles this module's expressions now (see [`super::warm_up`]).
pub(super) fn warm() {
    LazyLock::force(&DATE_CN);
    LazyLock::force(&DATE_NUM);
    LazyLock::force(&DATE_HAN);
    LazyLock::force(&YEAR);
    LazyLock::force(&PUBLISHED);
    LazyLock::force(&PERIOD_KEY);
    LazyLock::force(&PERIOD_RANGE);
    LazyLock::force(&PERIOD_YEAR);
    LazyLock::force(&CUTOFF);
    LazyLock::force(&PLAN);
}

fn num(s: &str) -> Option<u32> {
    let mut v = 0u32;
    for c in s.chars() {
        v = v.checked_mul(10)?.checked_add(cn::ascii_digit(c)?)?;
    }
    Some(v)
}

fn valid_date(y: i32, m: u32, d: u32) -> bool {
    (1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// Every calendar date in `s`, with spans offset by `base`.
pub(crate) fn find_dates(s: &str, base: usize) -> Vec<DateFound> {
    let mut out = Vec::new();
    // The expressions start with a digit class, which no prefilter can look for: a text
    // without 月, or without a separator, cannot hold the kind of date they match.
    let has_month = s.contains('月');
    let has_sep = memchr::memchr3(b'-', b'/', b'.', s.as_bytes()).is_some() || s.contains('．');
    for c in has_month
        .then(|| DATE_CN.captures_iter(s))
        .into_iter()
        .flatten()
    {
        let (Some(y), Some(m), Some(d)) = (num(&c[1]), num(&c[2]), num(&c[3])) else {
            continue;
        };
        let m0 = c.get(0).expect("group 0");
        if valid_date(y as i32, m, d) {
            out.push(DateFound {
                span: base + m0.start()..base + m0.end(),
                year: y as i32,
                month: m,
                day: d,
            });
        }
    }
    for c in has_sep
        .then(|| DATE_NUM.captures_iter(s))
        .into_iter()
        .flatten()
    {
        let (Some(y), Some(m), Some(d)) = (num(&c[1]), num(&c[2]), num(&c[3])) else {
            continue;
        };
        let start = c.get(1).expect("group 1").start();
        let end = c.get(3).expect("group 3").end();
        if valid_date(y as i32, m, d) {
            out.push(DateFound {
                span: base + start..base + end,
                year: y as i32,
                month: m,
                day: d,
            });
        }
    }
    for c in has_month
        .then(|| DATE_HAN.captures_iter(s))
        .into_iter()
        .flatten()
    {
        let (Some(y), Some(m), Some(d)) = (
            cn::parse_int(&c[1]),
            cn::parse_int(&c[2]),
            cn::parse_int(&c[3]),
        ) else {
            continue;
        };
        let m0 = c.get(0).expect("group 0");
        if valid_date(y as i32, m as u32, d as u32) {
            out.push(DateFound {
                span: base + m0.start()..base + m0.end(),
                year: y as i32,
                month: m as u32,
                day: d as u32,
            });
        }
    }
    out.sort_by_key(|d| d.span.start);
    out
}

/// Lines of web furniture are never the title.
fn furniture(line: &str) -> bool {
    [
        "首页",
        "当前位置",
        "浏览",
        "索引号",
        "★",
        "发布时间",
        "发布日期",
        "字号",
        "分享",
        "来源：",
        "来源:",
        "打印",
        "关闭",
        "文号",
        "发布机构",
        "关键词",
        "关 键 词",
        "访问",
    ]
    .iter()
    .any(|w| line.contains(w))
        || line.contains('>')
        || line.contains('＞')
}

fn title_words(line: &str) -> bool {
    ["报告", "总结", "计划", "年报", "要点"]
        .iter()
        .any(|w| line.contains(w))
}

pub(crate) fn build(text: &str, lines: &Lines) -> Meta {
    let mut meta = Meta::default();
    find_title(text, lines, &mut meta);
    if let Some(span) = meta.title.clone() {
        let t = &text[span.clone()];
        if let Some(c) = YEAR.captures(t) {
            let g = c.get(1).or_else(|| c.get(2)).expect("one group matches");
            let y = num(g.as_str())
                .map(|v| v as i32)
                .or_else(|| cn::parse_int(g.as_str()).map(|v| v as i32));
            if let Some(y) = y.filter(|y| (1990..=2100).contains(y)) {
                meta.year = Some(y);
                let m0 = c.get(0).expect("group 0");
                meta.year_span = Some(span.start + m0.start()..span.start + m0.end());
                let (agency, range) = agency_from_title(t, m0.start(), m0.end());
                if let Some(a) = agency {
                    meta.body_type = body_type_of(&a);
                    meta.agency = Some(a);
                    meta.agency_span = range.map(|r| span.start + r.start..span.start + r.end);
                }
            }
        }
    }
    find_period(text, &mut meta);
    if meta.year.is_none()
        && let Some(p) = &meta.period
    {
        meta.year = Some(p.end.0);
        meta.year_span = Some(p.span.clone());
    }
    for c in CUTOFF.captures_iter(text) {
        let m0 = c.get(0).expect("group 0");
        let (Some(m), Some(d)) = (num(&c[2]), num(&c[3])) else {
            continue;
        };
        // Only cut-offs that govern counts: the same sentence publishes or counts items.
        let sentence_end = text[m0.end()..]
            .find(['。', '\n'])
            .map_or(text.len(), |e| m0.end() + e);
        let sentence = &text[m0.end()..sentence_end];
        let counts = (sentence.contains("公开") || sentence.contains("发布"))
            && (sentence.contains('条') || sentence.contains('件'));
        if counts && (1..=12).contains(&m) && (1..=31).contains(&d) {
            meta.cutoffs.push(Cutoff {
                span: m0.start()..m0.end(),
                year: c.get(1).and_then(|y| num(y.as_str())).map(|y| y as i32),
                month: m,
                day: d,
            });
        }
    }
    for c in PLAN.captures_iter(text) {
        let m0 = c.get(0).expect("group 0");
        if let Some(y) = num(&c[1]) {
            meta.plans.push((m0.start()..m0.end(), y as i32));
        }
    }
    find_dates_meta(text, lines, &mut meta);
    meta
}

fn find_title(text: &str, lines: &Lines, meta: &mut Meta) {
    let mut fallback = None;
    let mut seen = 0;
    for (ln, info) in lines.iter().enumerate() {
        if info.kind() != LineKind::Text {
            continue;
        }
        seen += 1;
        if seen > 15 {
            break;
        }
        let raw = &text[info.content()];
        let line = raw.trim_start_matches('#').trim().trim_matches('*').trim();
        if line.is_empty() || furniture(line) {
            continue;
        }
        let chars = line.chars().count();
        // `line` is a slice of `raw`: its offset is exact whatever was trimmed (`#`, `*`,
        // full-width spaces; a title indented with U+3000 used to give a span ending inside
        // a character, found by fuzz/fuzz_targets/lint.rs).
        let start = info.content().start + (line.as_ptr() as usize - raw.as_ptr() as usize);
        let span = start..start + line.len();
        if chars <= 80 && title_words(line) && (YEAR.is_match(line) || line.contains("年度")) {
            meta.title = Some(span);
            meta.title_line = Some(ln);
            return;
        }
        // A title broken over two lines by a PDF's layout (corpus 004: `2025 年上海市人民政府
        // 办公厅政府信息公开` / `工作年度报告`): the next line, short and ending the title.
        if chars <= 60
            && YEAR.is_match(line)
            && !line.contains(['。', '，'])
            && let Some(next) = lines.get(ln + 1).filter(|l| l.kind() == LineKind::Text)
        {
            let rest = text[next.content()].trim_matches('*').trim();
            if rest.chars().count() <= 20
                && !rest.contains(['。', '，'])
                && (rest.ends_with("报告") || rest.ends_with("年报"))
            {
                meta.title = Some(start..next.content().end);
                meta.title_line = Some(ln);
                return;
            }
        }
        if fallback.is_none()
            && chars <= 40
            && super::outline::parse_marker(line).is_none()
            && !line.contains('。')
        {
            fallback = Some((span, ln));
        }
    }
    if let Some((span, ln)) = fallback {
        meta.title = Some(span);
        meta.title_line = Some(ln);
    }
}

/// The agency named in a title around its year: `金星镇 2017 年…` or `2021年XX区…`.
fn agency_from_title(
    title: &str,
    year_start: usize,
    year_end: usize,
) -> (Option<String>, Option<Range<usize>>) {
    let before = title[..year_start].trim_end();
    let before_trim = before
        .trim_start_matches(['《', '"', '“'])
        .trim_end_matches("关于")
        .trim();
    if before_trim.chars().count() >= 2 {
        let start = before.len() - before.trim_start_matches(['《', '"', '“']).len();
        let name: String = before_trim.chars().filter(|c| !c.is_whitespace()).collect();
        return (Some(name), Some(start..start + before_trim.len()));
    }
    let after_start = year_end
        + title[year_end..]
            .char_indices()
            .take_while(|&(_, c)| c == '度' || c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
    let after = &title[after_start..];
    let mut end = after.len();
    for stop in [
        "政府信息公开",
        "政务公开",
        "信息公开",
        "年度报告",
        "工作年度报告",
        "工作总结",
    ] {
        if let Some(i) = after.find(stop) {
            end = end.min(i);
        }
    }
    let mut name = after[..end].trim().to_owned();
    if name.ends_with("人民") && after[end..].starts_with("政府") {
        name.push_str("政府");
    }
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if name.chars().count() >= 2 {
        let len = name.len().min(after.len());
        (Some(name), Some(after_start..after_start + len))
    } else {
        (None, None)
    }
}

/// Guesses the body type from an agency name.
pub(crate) fn body_type_of(agency: &str) -> Option<BodyType> {
    let a = agency.trim();
    const TOWNSHIP: &[&str] = &[
        "镇人民政府",
        "乡人民政府",
        "街道办事处",
        "街道办",
        "街道",
        "镇政府",
        "乡政府",
        "苏木",
        "镇",
        "乡",
    ];
    if TOWNSHIP.iter().any(|s| a.ends_with(s)) {
        return Some(BodyType::Township);
    }
    const DEPT: &[&str] = &[
        "办公室",
        "办公厅",
        "委员会",
        "局",
        "委",
        "厅",
        "中心",
        "院",
        "所",
        "署",
        "办",
        "会",
        "部",
        "站",
        "队",
        "处",
        "馆",
        "社",
        "行",
        "集团",
        "公司",
    ];
    if DEPT.iter().any(|s| a.ends_with(s)) {
        return Some(BodyType::Department);
    }
    if a.ends_with("人民政府") || a.ends_with("政府") {
        return Some(BodyType::Government);
    }
    const REGION: &[&str] = &["省", "市", "县", "区", "州", "盟", "旗", "自治区"];
    if REGION.iter().any(|s| a.ends_with(s)) {
        return Some(BodyType::Government);
    }
    None
}

fn find_period(text: &str, meta: &mut Meta) {
    for k in PERIOD_KEY.find_iter(text) {
        let window_end = {
            let mut e = (k.end() + 160).min(text.len());
            while !text.is_char_boundary(e) {
                e -= 1;
            }
            // A line break inside the period is a PDF's layout (`2025` / `年 1 月 1 日至…`,
            // corpus 004); a sentence end or a blank line ends it.
            let w = &text[k.end()..e];
            [w.find('。'), w.find("\n\n"), w.find("\r\n\r\n")]
                .into_iter()
                .flatten()
                .min()
                .map_or(e, |i| k.end() + i)
        };
        let window = &text[k.end()..window_end];
        if let Some(c) = PERIOD_RANGE.captures(window) {
            let g = |i: usize| c.get(i).and_then(|m| num(m.as_str()));
            let (Some(y1), Some(m1), Some(d1), Some(m2), Some(d2)) = (g(1), g(2), g(3), g(5), g(6))
            else {
                continue;
            };
            let y2 = g(4).unwrap_or(y1);
            let m0 = c.get(0).expect("group 0");
            meta.period = Some(Period {
                span: k.start()..k.end() + m0.end(),
                start: (y1 as i32, m1, d1),
                end: (y2 as i32, m2, d2),
            });
            return;
        }
        if let Some(c) = PERIOD_YEAR.captures(window)
            && let Some(y) = num(&c[1])
        {
            let m0 = c.get(0).expect("group 0");
            meta.period = Some(Period {
                span: k.start()..k.end() + m0.end(),
                start: (y as i32, 1, 1),
                end: (y as i32, 12, 31),
            });
            return;
        }
    }
}

fn find_dates_meta(text: &str, lines: &Lines, meta: &mut Meta) {
    // Publication metadata near a label.
    for m in PUBLISHED.find_iter(text) {
        let mut e = (m.end() + 40).min(text.len());
        while !text.is_char_boundary(e) {
            e -= 1;
        }
        if let Some(d) = find_dates(&text[m.end()..e], m.end())
            .into_iter()
            .find(|d| d.span.start <= m.end() + 3)
        {
            meta.published = Some(d);
            break;
        }
    }
    // The signature date: the last short line that is, or ends with, a date, among the last
    // lines of the document (a signature sits at the end, possibly before an attachment).
    for info in lines
        .iter()
        .rev()
        .filter(|l| l.kind() == LineKind::Text)
        .take(60)
    {
        let line = &text[info.content()];
        if line.chars().count() > 40 || line.contains('。') || line.contains('，') {
            continue;
        }
        if let Some(d) = find_dates(line, info.content().start).pop() {
            let rest = text[d.span.end..info.content().end].trim();
            let before = &text[info.content().start..d.span.start];
            let labelled = before.contains("填报")
                || before.contains("发布")
                || before.contains(':')
                || before.contains('：');
            if rest.is_empty() && !labelled {
                meta.signed = Some(d);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_indented_with_full_width_spaces() {
        let t = "# 　　青山镇2021年政府信息公开工作年度报告\n";
        let lines = super::super::classify_lines(t);
        let m = build(t, &lines);
        let span = m.title.expect("title");
        assert_eq!(&t[span], "青山镇2021年政府信息公开工作年度报告");
        assert_eq!(m.year, Some(2021));
    }
    use crate::report::classify_lines;

    fn meta(t: &str) -> Meta {
        build(t, &classify_lines(t))
    }

    #[test]
    fn title_year_agency() {
        let m = meta("\n\n金星镇 2017 年政府信息公开工作年度报告\n\n正文。\n");
        assert_eq!(m.year, Some(2017));
        assert_eq!(m.agency.as_deref(), Some("金星镇"));
        assert_eq!(m.body_type, Some(BodyType::Township));

        let m = meta("2021年青山区政府信息公开工作年度报告\n");
        assert_eq!(m.agency.as_deref(), Some("青山区"));
        assert_eq!(m.body_type, Some(BodyType::Government));

        let m = meta("网站首页 > 信息公开\n\n城关镇2017年度政务公开工作总结报告\n");
        assert_eq!(m.year, Some(2017));
        assert_eq!(m.agency.as_deref(), Some("城关镇"));

        let m = meta("# 2022年度某市人民政府信息公开工作年度报告\n");
        assert_eq!(m.agency.as_deref(), Some("某市人民政府"));

        let m = meta("二〇二一年青山区交通运输局政府信息公开工作年度报告\n");
        assert_eq!(m.year, Some(2021));
        assert_eq!(m.body_type, Some(BodyType::Department));
    }

    #[test]
    fn body_types() {
        for (a, b) in [
            ("习岗镇", BodyType::Township),
            ("原州区张易镇人民政府", BodyType::Township),
            ("东城街道办事处", BodyType::Township),
            ("银川市人民政府", BodyType::Government),
            ("贺兰县", BodyType::Government),
            ("贺兰县教育局", BodyType::Department),
            ("上海市人民政府办公厅", BodyType::Department),
        ] {
            assert_eq!(body_type_of(a), Some(b), "{a}");
        }
    }

    #[test]
    fn dates() {
        let d = find_dates("2018年3月1日 和 2018-03-01、二〇一八年三月一日", 0);
        assert_eq!(d.len(), 3);
        assert!(d.iter().all(|d| d.ymd() == (2018, 3, 1)));
        assert!(find_dates("电话0953-2120610", 0).is_empty());
    }

    #[test]
    fn period_signature_plans() {
        let t = "某镇2017年政府信息公开工作年度报告\n数据统计期限为 2017 年 1 月 1 日至 2017 年 12 月 31 日。\n2017年将继续加强。\n截止12月6日，共发布信息389条。\n某镇人民政府\n2018年3月1日\n";
        let m = meta(t);
        let p = m.period.unwrap();
        assert_eq!((p.start, p.end), ((2017, 1, 1), (2017, 12, 31)));
        assert_eq!(m.signed.unwrap().ymd(), (2018, 3, 1));
        assert_eq!(m.plans.len(), 1);
        assert_eq!(m.cutoffs.len(), 1);
        assert_eq!((m.cutoffs[0].month, m.cutoffs[0].day), (12, 6));
    }

    #[test]
    fn published_metadata() {
        let m = meta("索引号 640122 发布日期 2018-12-10\n某镇2018年政务公开工作总结\n");
        assert_eq!(m.published.unwrap().ymd(), (2018, 12, 10));
    }
}
