//! Word documents (.docx): a zip container of WordprocessingML parts, read with `zip` and
//! the streaming `quick-xml` parser.
//!
//! What is read, in document order: body paragraphs with their heading style or outline
//! level and their automatic numbering rendered as Word shows it (`一、`, `（一）`, `1.`:
//! `w:numPr` from the paragraph or its style, counted per list, with `lvlText`, `numFmt`,
//! `start`, `startOverride` and `suff` from numbering.xml); tables as grids with merged
//! cells (`gridSpan`, `vMerge`, legacy `hMerge`, `gridBefore`); text boxes (the text appears
//! after the paragraph that anchors the box; only `mc:Choice` is read, its `mc:Fallback`
//! copy is skipped); footnotes and endnotes (after the paragraph that refers to them, as
//! `注1：…`); Word comments (批注) whose text is an nblint directive (`nblint-disable NB304`,
//! `nblint-disable-next-line NB304 理由`), kept at the start of the paragraph or table row
//! they are attached to, so that a Word author can accept a finding where a Markdown author
//! writes `<!-- nblint-disable … -->` (other comments are not read). Deleted text (tracked
//! changes), field instructions and hidden text are not
//! text a reader sees and are skipped; headers and footers are page furniture and are not
//! read.
//!
//! Limits: entry count and total expanded size of the parts read (`Limits`), XML nesting
//! depth. A zip that is not a Word document (OFD, Excel, OpenDocument) is reported as an
//! unsupported format.

use super::doc_builder::{Builder, Cell, check_depth, one_line};
use super::{Document, Format, Limits, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

const FORMAT: &str = "Word (.docx)";
const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

fn corrupt(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: FORMAT.into(),
        detail: detail.to_string(),
    }
}

pub fn read(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Document, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if zip.len() > limits.max_entries {
        return Err(ReadError::Limit {
            what: "压缩包内的文件数".into(),
            what_en: "zip entries".into(),
            limit: limits.max_entries.to_string(),
        });
    }
    let mut budget = Budget {
        left: limits.max_expanded_bytes,
        limit: limits.max_expanded_bytes,
    };
    let main = main_part(&mut zip, &mut budget)?;
    let Some(main) = main else {
        return Err(not_word(&mut zip, ext));
    };
    let styles = part(&mut zip, "word/styles.xml", &mut budget)?
        .map(|x| parse_styles(&x, limits))
        .transpose()?
        .unwrap_or_default();
    let numbering = part(&mut zip, "word/numbering.xml", &mut budget)?
        .map(|x| parse_numbering(&x, limits))
        .transpose()?
        .unwrap_or_default();
    let mut notes = HashMap::new();
    for (name, kind) in [
        ("word/footnotes.xml", NoteKind::Foot),
        ("word/endnotes.xml", NoteKind::End),
    ] {
        if let Some(x) = part(&mut zip, name, &mut budget)? {
            for (id, text) in parse_notes(&x, limits)? {
                notes.insert((kind, id), text);
            }
        }
    }
    // Comments (批注) that are nblint directives, by id.
    let mut directives = HashMap::new();
    if let Some(x) = part(&mut zip, "word/comments.xml", &mut budget)? {
        for (id, text) in parse_notes(&x, limits)? {
            let t = one_line(&text);
            if t.trim_start().starts_with("nblint-") {
                directives.insert(id, t.trim().to_owned());
            }
        }
    }
    let blocks = parse_body(&main, limits)?;
    let mut out = Emitter {
        directives: &directives,
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        notes: &notes,
        note_no: 0,
        b: Builder::new(),
    };
    out.blocks(&blocks)?;
    Ok(out.b.finish("UTF-8", Format::Docx))
}

fn zip_error(e: zip::result::ZipError) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m.to_ascii_lowercase().contains("password") => {
            ReadError::Encrypted {
                format: FORMAT.into(),
            }
        }
        ZipError::InvalidPassword => ReadError::Encrypted {
            format: FORMAT.into(),
        },
        ZipError::Io(e) => corrupt(format!("压缩包结构不完整 ({e})")),
        e => corrupt(format!("压缩包结构不完整 ({e})")),
    }
}

/// Why a zip without a Word body cannot be read.
fn not_word(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, ext: &str) -> ReadError {
    let has = |zip: &zip::ZipArchive<Cursor<&[u8]>>, n: &str| zip.index_for_name(n).is_some();
    let un = |format: &str, save_as: &str| ReadError::Unsupported {
        format: format.into(),
        save_as: save_as.into(),
    };
    if has(zip, "OFD.xml") || ext == "ofd" {
        un("OFD", ".pdf 或 .docx")
    } else if has(zip, "xl/workbook.xml") {
        un("Excel (.xlsx)", ".docx（把报告正文放进 Word 文档）")
    } else if has(zip, "ppt/presentation.xml") {
        un("PowerPoint (.pptx)", ".docx 或 .pdf")
    } else if has(zip, "content.xml") || has(zip, "mimetype") {
        un("OpenDocument (.odt)", ".docx")
    } else if ext == "docx" {
        corrupt("压缩包里没有 Word 正文 (word/document.xml)")
    } else {
        un(
            "zip 压缩包",
            "解压后分别检查其中的报告（.docx、.pdf、.html、.txt）",
        )
    }
}

/// The main document part: named in `_rels/.rels`, usually `word/document.xml`.
fn main_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    budget: &mut Budget,
) -> Result<Option<String>, ReadError> {
    if let Some(rels) = part(zip, "_rels/.rels", budget)? {
        let mut r = quick_xml::Reader::from_str(&rels);
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    let ty = attr(&e, "Type").unwrap_or_default();
                    if ty.ends_with("/officeDocument") {
                        let target = attr(&e, "Target").unwrap_or_default();
                        let name = target.trim_start_matches('/').to_owned();
                        if name != "word/document.xml"
                            && let Some(x) = part(zip, &name, budget)?
                        {
                            return Ok(Some(x));
                        }
                        break;
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    part(zip, "word/document.xml", budget)
}

/// What may still be expanded from the zip, and the whole file's limit (for the message).
struct Budget {
    left: u64,
    limit: u64,
}

/// Reads one part within the expanded-size budget. A missing part is `None`.
fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<String>, ReadError> {
    // The message names the file's limit, not what was left of it.
    let limit = || ReadError::Limit {
        what: "解压后的大小".into(),
        what_en: "expanded size".into(),
        limit: super::human_bytes(budget.limit),
    };
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_error(e)),
    };
    if f.size() > budget.left {
        return Err(limit());
    }
    let mut buf = Vec::with_capacity(f.size().min(budget.left).min(64 << 20) as usize);
    // The declared size may lie: read at most one byte past the budget.
    (&mut f)
        .take(budget.left.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > budget.left {
        return Err(limit());
    }
    drop(f);
    budget.left -= buf.len() as u64;
    xml_text(buf).map(Some)
}

/// XML parts are UTF-8 (or, rarely, UTF-16 with a byte-order mark).
fn xml_text(buf: Vec<u8>) -> Result<String, ReadError> {
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        let enc = if buf[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        return enc
            .decode_without_bom_handling_and_without_replacement(&buf[2..])
            .map(|c| c.into_owned())
            .ok_or_else(|| corrupt("XML 不是有效的 UTF-16"));
    }
    let start = if buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match String::from_utf8(buf) {
        Ok(mut s) => {
            s.drain(..start);
            Ok(s)
        }
        Err(_) => Err(corrupt("XML 不是有效的 UTF-8")),
    }
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let key = a.key.as_ref();
        let l = key
            .bytes()
            .rposition(|b| b == b':')
            .map_or(key, |i| &key[i + 1..]);
        (l == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_owned()
}

fn is_w(e: &BytesStart, wp: &str) -> bool {
    let name = e.name();
    let q = name.as_ref();
    match q.bytes().position(|b| b == b':') {
        Some(i) => &q[..i] == wp,
        None => wp.is_empty(),
    }
}

// ---------------------------------------------------------------------------------------
// Styles and numbering
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, usize)>,
}

type Styles = HashMap<String, Style>;

fn parse_styles(xml: &str, limits: &Limits) -> Result<Styles, ReadError> {
    let mut out = Styles::new();
    let mut cur: Option<(String, Style)> = None;
    let mut depth = 0usize;
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        let ev = r
            .read_event()
            .map_err(|e| corrupt(format!("styles.xml: {e}")))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    check_depth(depth, limits, "XML ")?;
                }
                match (local(e).as_str(), cur.as_mut()) {
                    ("style", _) => {
                        if let Some((id, s)) = cur.take() {
                            out.insert(id, s);
                        }
                        cur = attr(e, "styleId").map(|id| (id, Style::default()));
                    }
                    ("name", Some((_, s))) => s.name = attr(e, "val").unwrap_or_default(),
                    ("basedOn", Some((_, s))) => s.based_on = attr(e, "val"),
                    ("outlineLvl", Some((_, s))) => {
                        s.outline = attr(e, "val").and_then(|v| v.parse().ok());
                    }
                    ("numId", Some((_, s))) => {
                        let id = attr(e, "val").unwrap_or_default();
                        let lvl = s.num.as_ref().map_or(0, |n| n.1);
                        s.num = Some((id, lvl));
                    }
                    ("ilvl", Some((_, s))) => {
                        let lvl = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let id = s.num.take().map(|n| n.0).unwrap_or_default();
                        s.num = Some((id, lvl));
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((id, s)) = cur.take() {
        out.insert(id, s);
    }
    Ok(out)
}

/// Heading level of a style: its outline level, or a name like `heading 2`, following
/// `basedOn` a few steps.
fn style_heading(styles: &Styles, id: &str) -> Option<u8> {
    let mut cur = styles.get(id)?;
    for _ in 0..10 {
        if let Some(l) = cur.outline
            && l < 9
        {
            return Some(l + 1);
        }
        let n = cur.name.to_ascii_lowercase();
        if n == "title" {
            return Some(0);
        }
        if let Some(d) = n
            .strip_prefix("heading ")
            .and_then(|d| d.trim().parse::<u8>().ok())
        {
            return Some(d.clamp(1, 9));
        }
        cur = styles.get(cur.based_on.as_deref()?)?;
    }
    None
}

fn style_num(styles: &Styles, id: &str) -> Option<(String, usize)> {
    let mut cur = styles.get(id)?;
    for _ in 0..10 {
        if let Some(n) = &cur.num {
            return Some(n.clone());
        }
        cur = styles.get(cur.based_on.as_deref()?)?;
    }
    None
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
    suff: String,
}

/// A `w:num` being read: numId, abstractNumId, start overrides (level, start).
type NumDef = (String, String, Vec<(usize, i64)>);

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, level overrides: ilvl → startOverride)
    nums: HashMap<String, (String, Vec<(usize, i64)>)>,
}

fn parse_numbering(xml: &str, limits: &Limits) -> Result<Numbering, ReadError> {
    let mut out = Numbering::default();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut abs: Option<(String, Vec<Level>)> = None;
    let mut lvl: Option<(usize, Level)> = None;
    let mut num: Option<NumDef> = None;
    let mut override_lvl: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| corrupt(format!("numbering.xml: {e}")))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    check_depth(depth, limits, "XML ")?;
                }
                let name = local(e);
                let val = || attr(e, "val").unwrap_or_default();
                match name.as_str() {
                    "abstractNum" => {
                        abs = Some((attr(e, "abstractNumId").unwrap_or_default(), Vec::new()))
                    }
                    "lvl" if abs.is_some() => {
                        let i = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        lvl = Some((
                            i,
                            Level {
                                start: 1,
                                suff: "tab".into(),
                                ..Level::default()
                            },
                        ));
                    }
                    "start" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.start = val().parse().unwrap_or(1);
                        }
                    }
                    "numFmt" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.fmt = val();
                        }
                    }
                    "lvlText" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.text = val();
                        }
                    }
                    "suff" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.suff = val();
                        }
                    }
                    "num" => {
                        num = Some((attr(e, "numId").unwrap_or_default(), String::new(), vec![]))
                    }
                    "abstractNumId" => {
                        if let Some(n) = num.as_mut() {
                            n.1 = val();
                        }
                    }
                    "lvlOverride" => {
                        override_lvl = attr(e, "ilvl").and_then(|v| v.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some(n), Some(i)) = (num.as_mut(), override_lvl) {
                            n.2.push((i, val().parse().unwrap_or(1)));
                        }
                    }
                    _ => {}
                }
                if matches!(ev, Event::Empty(_)) {
                    close_numbering(&name, &mut abs, &mut lvl, &mut num, &mut out);
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name().as_ref().to_owned();
                close_numbering(&name, &mut abs, &mut lvl, &mut num, &mut out);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn close_numbering(
    name: &str,
    abs: &mut Option<(String, Vec<Level>)>,
    lvl: &mut Option<(usize, Level)>,
    num: &mut Option<NumDef>,
    out: &mut Numbering,
) {
    match name {
        "lvl" => {
            if let (Some((i, l)), Some((_, levels))) = (lvl.take(), abs.as_mut())
                && i < 9
            {
                if levels.len() <= i {
                    levels.resize(i + 1, Level::default());
                }
                levels[i] = l;
            }
        }
        "abstractNum" => {
            if let Some((id, levels)) = abs.take() {
                out.abstracts.insert(id, levels);
            }
        }
        "num" => {
            if let Some((id, a, o)) = num.take() {
                out.nums.insert(id, (a, o));
            }
        }
        _ => {}
    }
}

/// List counters, per abstract numbering (lists that share one continue each other, as in
/// Word), with the `startOverride` of a `w:num` applied when that list is first used.
#[derive(Debug, Default)]
struct Counters {
    values: HashMap<String, [Option<i64>; 9]>,
    used_nums: Vec<String>,
}

impl Counters {
    /// The number text Word shows for the next paragraph of list `num_id` at level `ilvl`.
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: usize) -> Option<String> {
        if num_id == "0" {
            return None;
        }
        let (abs_id, overrides) = numbering.nums.get(num_id)?;
        let levels = numbering.abstracts.get(abs_id)?;
        let ilvl = ilvl.min(8);
        let level = levels.get(ilvl)?;
        let values = self.values.entry(abs_id.clone()).or_default();
        if !self.used_nums.iter().any(|n| n == num_id) {
            self.used_nums.push(num_id.to_owned());
            for &(i, start) in overrides {
                if let Some(v) = values.get_mut(i) {
                    *v = Some(start.saturating_sub(1));
                }
            }
        }
        let cur = match values[ilvl] {
            Some(v) => v.saturating_add(1),
            None => level.start,
        };
        values[ilvl] = Some(cur);
        for v in values.iter_mut().skip(ilvl + 1) {
            *v = None;
        }
        if level.fmt == "bullet" {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let i = d as usize - 1;
                let fmt = levels.get(i).map_or("decimal", |l| l.fmt.as_str());
                let v = values[i].unwrap_or_else(|| levels.get(i).map_or(1, |l| l.start));
                out.push_str(&format_number(v, fmt)?);
            } else {
                out.push(c);
            }
        }
        let ends_cjk = out
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '、' | '）' | '．' | '：' | '。' | '】' | '〕'));
        match level.suff.as_str() {
            "nothing" => {}
            _ if ends_cjk || out.is_empty() => {}
            // A tab or space after `1.`: one space keeps the number apart from the text
            // without making the line look like a table row.
            _ => out.push(' '),
        }
        Some(out)
    }
}

/// A list number in a Word number format. `None` for formats we cannot render (the
/// paragraph keeps its text without the number).
fn format_number(v: i64, fmt: &str) -> Option<String> {
    let n = u64::try_from(v).ok()?;
    Some(match fmt {
        "decimal" | "" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1)?.to_string()
        }
        "decimalEnclosedParen" => format!("({n})"),
        "decimalEnclosedFullstop" => format!("{n}."),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => chinese(n)?,
        "chineseLegalSimplified" => chinese(n)?
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                c => c,
            })
            .collect(),
        "ideographTraditional" => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(usize::try_from(n).ok()?.checked_sub(1)?)?
            .to_string(),
        "ideographZodiac" => "子丑寅卯辰巳午未申酉戌亥"
            .chars()
            .nth(usize::try_from(n).ok()?.checked_sub(1)?)?
            .to_string(),
        // Word repeats the letter past z (aa, bbb); past a few rounds it is not a real list.
        "lowerLetter" | "upperLetter" if (1..=26 * 8).contains(&n) => {
            let base = if fmt == "lowerLetter" { b'a' } else { b'A' };
            let letter = (base + ((n - 1) % 26) as u8) as char;
            letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
        }
        "lowerRoman" => roman(n)?.to_ascii_lowercase(),
        "upperRoman" => roman(n)?,
        "none" => String::new(),
        _ => return None,
    })
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 9999).
fn chinese(n: u64) -> Option<String> {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n > 9999 {
        return None;
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ['千', '百', '十', '\0'];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二, not 一十二, when the number starts with the tens.
        if !(i == 2 && d == 1 && out.is_empty()) {
            out.push(D[d as usize]);
        }
        if units[i] != '\0' {
            out.push(units[i]);
        }
    }
    Some(out)
}

fn roman(mut n: u64) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const T: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in T {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    num: Option<(String, usize)>,
    num_set: bool,
    outline: Option<u8>,
    notes: Vec<(NoteKind, String)>,
    /// Ids of the Word comments attached here (`commentRangeStart`, `commentReference`).
    comments: Vec<String>,
    boxes: Vec<Vec<Block>>,
}

#[derive(Debug, Default)]
struct Tc {
    span: u32,
    /// `Some(true)`: starts a vertical merge; `Some(false)`: continues the one above.
    vmerge: Option<bool>,
    hmerge_continue: bool,
    blocks: Vec<Block>,
}

#[derive(Debug, Default)]
struct Row {
    before: u32,
    cells: Vec<Tc>,
}

#[derive(Debug)]
enum Block {
    Para(Para),
    Table(Vec<Row>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum NoteKind {
    Foot,
    End,
}

/// Structural containers open while parsing.
#[derive(Debug)]
enum Frame {
    Body(Vec<Block>),
    Para(Para),
    Table(Vec<Row>),
    Row(Row),
    Cell(Tc),
    TextBox(Vec<Block>),
    /// A footnote or endnote (`None` id: a separator, not a note).
    Note(Option<String>, Vec<Block>),
}

/// What an open element is, for the elements whose meaning depends on their parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    P,
    PPr,
    NumPr,
    R,
    RPr,
    T,
    Tbl,
    Tr,
    TrPr,
    Tc,
    TcPr,
    TxbxContent,
    Note,
    Other,
}

struct BodyParser<'l> {
    wp: String,
    tags: Vec<Tag>,
    frames: Vec<Frame>,
    /// Depth inside an element whose content is not shown (deleted text, field code,
    /// mc:Fallback); 0 when not skipping.
    skip: usize,
    hidden_run: bool,
    limits: &'l Limits,
    notes: Vec<(String, Vec<Block>)>,
    /// Comment anchors met between paragraphs, for the next paragraph.
    pending_comments: Vec<String>,
}

struct Parsed {
    body: Vec<Block>,
    notes: Vec<(String, Vec<Block>)>,
}

fn parse_body(xml: &str, limits: &Limits) -> Result<Vec<Block>, ReadError> {
    parse_xml(xml, limits).map(|p| p.body)
}

/// Parses document.xml (blocks of the body) or footnotes.xml/endnotes.xml (notes).
fn parse_xml(xml: &str, limits: &Limits) -> Result<Parsed, ReadError> {
    let mut p = BodyParser {
        wp: "w".into(),
        tags: Vec::new(),
        frames: vec![Frame::Body(Vec::new())],
        skip: 0,
        hidden_run: false,
        limits,
        notes: Vec::new(),
        pending_comments: Vec::new(),
    };
    let mut r = quick_xml::Reader::from_str(xml);
    let mut root_seen = false;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| corrupt(format!("document.xml: {e}")))?;
        match ev {
            Event::Start(e) => {
                if !root_seen {
                    root_seen = true;
                    p.namespace(&e);
                }
                p.start(&e, false)?;
            }
            Event::Empty(e) => {
                if !root_seen {
                    root_seen = true;
                    p.namespace(&e);
                }
                p.start(&e, true)?;
            }
            Event::End(_) => p.end(),
            Event::Text(t) if p.in_text() => {
                let s = t.xml10_content();
                p.push_text(&s);
            }
            Event::CData(t) if p.in_text() => {
                let s = t.into_inner();
                p.push_text(&s);
            }
            Event::GeneralRef(e) if p.in_text() => {
                let c = match e.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match e.xml10_content().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    p.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while p.frames.len() > 1 {
        p.close_frame();
    }
    let body = match p.frames.pop() {
        Some(Frame::Body(b)) => b,
        _ => Vec::new(),
    };
    Ok(Parsed {
        body,
        notes: p.notes,
    })
}

impl BodyParser<'_> {
    /// The prefix bound to the WordprocessingML namespace on the root element.
    fn namespace(&mut self, e: &BytesStart) {
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            if W_NS.contains(&a.value.as_ref()) {
                if let Some(p) = key.strip_prefix("xmlns:") {
                    self.wp = p.to_owned();
                } else if key == "xmlns" {
                    self.wp = String::new();
                }
            }
        }
    }

    fn parent(&self) -> Tag {
        self.tags.last().copied().unwrap_or(Tag::Other)
    }

    fn in_text(&self) -> bool {
        self.skip == 0 && self.parent() == Tag::T && !self.hidden_run
    }

    fn para(&mut self) -> Option<&mut Para> {
        self.frames.iter_mut().rev().find_map(|f| match f {
            Frame::Para(p) => Some(p),
            _ => None,
        })
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.para() {
            p.text.push_str(s);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), ReadError> {
        if !empty {
            check_depth(self.tags.len() + 1, self.limits, "XML ")?;
        }
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
                self.tags.push(Tag::Other);
            }
            return Ok(());
        }
        let local_name = e.local_name();
        let name: &str = local_name.as_ref();
        let w = is_w(e, &self.wp);
        // Content a reader does not see: deleted text, moved-away text, field codes, the
        // VML copy of a drawing kept for old Word versions.
        let skipped =
            (w && matches!(
                name,
                "delText" | "del" | "moveFrom" | "instrText" | "delInstrText"
            )) || name == "Fallback";
        if skipped {
            if !empty {
                self.skip = 1;
                self.tags.push(Tag::Other);
            }
            return Ok(());
        }
        let parent = self.parent();
        let tag = if w {
            match name {
                "p" => Tag::P,
                "pPr" => Tag::PPr,
                "numPr" => Tag::NumPr,
                "r" => Tag::R,
                "rPr" => Tag::RPr,
                "t" => Tag::T,
                "tbl" => Tag::Tbl,
                "tr" => Tag::Tr,
                "trPr" => Tag::TrPr,
                "tc" => Tag::Tc,
                "tcPr" => Tag::TcPr,
                "txbxContent" => Tag::TxbxContent,
                "footnote" | "endnote" | "comment" => Tag::Note,
                _ => Tag::Other,
            }
        } else {
            Tag::Other
        };
        if w {
            self.element(name, e, parent, empty);
        }
        if !empty {
            match tag {
                Tag::P => self.frames.push(Frame::Para(Para {
                    comments: std::mem::take(&mut self.pending_comments),
                    ..Para::default()
                })),
                Tag::Tbl => self.frames.push(Frame::Table(Vec::new())),
                Tag::Tr => self.frames.push(Frame::Row(Row::default())),
                Tag::Tc => self.frames.push(Frame::Cell(Tc {
                    span: 1,
                    ..Tc::default()
                })),
                Tag::TxbxContent => self.frames.push(Frame::TextBox(Vec::new())),
                Tag::Note => {
                    // Separator and continuation marks have a type; notes do not.
                    let id = attr(e, "id").filter(|_| attr(e, "type").is_none());
                    self.frames.push(Frame::Note(id, Vec::new()));
                }
                Tag::R => self.hidden_run = false,
                _ => {}
            }
            self.tags.push(tag);
        }
        Ok(())
    }

    /// Elements that carry a value or a character.
    fn element(&mut self, name: &str, e: &BytesStart, parent: Tag, empty: bool) {
        let val = || attr(e, "val");
        match (name, parent) {
            ("tab", Tag::R) => self.push_text("\t"),
            ("br" | "cr", Tag::R) => self.push_text("\n"),
            ("noBreakHyphen", Tag::R) => self.push_text("-"),
            ("vanish" | "webHidden", Tag::RPr)
                if self.tags.len() >= 2 && self.tags[self.tags.len() - 2] == Tag::R =>
            {
                self.hidden_run = !matches!(val().as_deref(), Some("0" | "false" | "off"));
            }
            ("pStyle", Tag::PPr) => {
                if let Some(p) = self.para() {
                    p.style = val();
                }
            }
            ("outlineLvl", Tag::PPr) => {
                if let Some(p) = self.para() {
                    p.outline = val().and_then(|v| v.parse().ok());
                }
            }
            ("numId", Tag::NumPr) => {
                let id = val().unwrap_or_default();
                if let Some(p) = self.para() {
                    let lvl = p.num.as_ref().map_or(0, |n| n.1);
                    p.num = Some((id, lvl));
                    p.num_set = true;
                }
            }
            ("ilvl", Tag::NumPr) => {
                let lvl = val().and_then(|v| v.parse().ok()).unwrap_or(0);
                if let Some(p) = self.para() {
                    let id = p.num.take().map(|n| n.0).unwrap_or_default();
                    p.num = Some((id, lvl));
                    p.num_set = true;
                }
            }
            ("footnoteReference" | "endnoteReference", Tag::R) => {
                let kind = if name == "footnoteReference" {
                    NoteKind::Foot
                } else {
                    NoteKind::End
                };
                if let (Some(id), Some(p)) = (attr(e, "id"), self.para()) {
                    p.notes.push((kind, id));
                }
            }
            ("commentRangeStart" | "commentReference", _) => {
                if let Some(id) = attr(e, "id") {
                    let list = match self.para() {
                        Some(p) => &mut p.comments,
                        None => &mut self.pending_comments,
                    };
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            }
            ("gridSpan", Tag::TcPr) => {
                if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                    c.span = val()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000);
                }
            }
            ("vMerge", Tag::TcPr) => {
                if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                    c.vmerge = Some(val().as_deref() == Some("restart"));
                }
            }
            ("hMerge", Tag::TcPr) => {
                if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                    c.hmerge_continue = val().as_deref() != Some("restart");
                }
            }
            ("gridBefore", Tag::TrPr) => {
                if let Some(Frame::Row(r)) = self.frames.last_mut() {
                    r.before = val().and_then(|v| v.parse().ok()).unwrap_or(0).min(1000);
                }
            }
            _ => {}
        }
        let _ = empty;
    }

    fn end(&mut self) {
        let Some(tag) = self.tags.pop() else {
            return;
        };
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match tag {
            Tag::P | Tag::Tbl | Tag::Tr | Tag::Tc | Tag::TxbxContent | Tag::Note => {
                self.close_frame()
            }
            Tag::R => self.hidden_run = false,
            _ => {}
        }
    }

    /// Closes the innermost frame and attaches it to its parent.
    fn close_frame(&mut self) {
        if self.frames.len() <= 1 {
            return;
        }
        let Some(f) = self.frames.pop() else {
            return;
        };
        let block = match f {
            Frame::Para(p) => Some(Block::Para(p)),
            Frame::Table(rows) => Some(Block::Table(rows)),
            Frame::Row(row) => {
                if let Some(Frame::Table(rows)) = self.frames.last_mut() {
                    rows.push(row);
                }
                None
            }
            Frame::Cell(c) => {
                if let Some(Frame::Row(r)) = self.frames.last_mut() {
                    r.cells.push(c);
                }
                None
            }
            Frame::TextBox(blocks) => {
                match self.frames.last_mut() {
                    Some(Frame::Para(p)) => p.boxes.push(blocks),
                    Some(_) => {
                        // A box outside a paragraph: its blocks join the container.
                        for b in blocks {
                            self.attach(b);
                        }
                    }
                    None => {}
                }
                None
            }
            Frame::Note(id, blocks) => {
                if let Some(id) = id {
                    self.notes.push((id, blocks));
                }
                None
            }
            Frame::Body(_) => None,
        };
        if let Some(b) = block {
            self.attach(b);
        }
    }

    fn attach(&mut self, b: Block) {
        match self.frames.last_mut() {
            Some(Frame::Body(v) | Frame::TextBox(v) | Frame::Note(_, v)) => v.push(b),
            Some(Frame::Cell(c)) => c.blocks.push(b),
            // A paragraph inside a paragraph happens only through a text box; anything
            // else malformed is kept as a box so its text is not lost.
            Some(Frame::Para(p)) => p.boxes.push(vec![b]),
            Some(Frame::Table(_) | Frame::Row(_)) | None => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Notes
// ---------------------------------------------------------------------------------------

fn parse_notes(xml: &str, limits: &Limits) -> Result<Vec<(String, String)>, ReadError> {
    let parsed = parse_xml(xml, limits)?;
    let mut out = Vec::new();
    for (id, blocks) in parsed.notes {
        let mut text = String::new();
        flat_text(&blocks, &mut text);
        let text = text.trim().to_owned();
        if !text.is_empty() {
            out.push((id, text));
        }
    }
    Ok(out)
}

/// All text of blocks, paragraphs joined by line breaks (for notes and table cells).
fn flat_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Para(p) => {
                if !out.is_empty() && !p.text.trim().is_empty() {
                    out.push('\n');
                }
                out.push_str(&p.text);
                for bx in &p.boxes {
                    flat_text(bx, out);
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| {
                            let mut s = String::new();
                            flat_text(&c.blocks, &mut s);
                            one_line(&s)
                        })
                        .filter(|s| !s.is_empty())
                        .collect();
                    if !cells.is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&cells.join(" "));
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// From blocks to the document
// ---------------------------------------------------------------------------------------

struct Emitter<'a> {
    /// Word comments that are nblint directives, by id.
    directives: &'a HashMap<String, String>,
    styles: &'a Styles,
    numbering: &'a Numbering,
    counters: Counters,
    notes: &'a HashMap<(NoteKind, String), String>,
    note_no: usize,
    b: Builder,
}

impl Emitter<'_> {
    fn blocks(&mut self, blocks: &[Block]) -> Result<(), ReadError> {
        for block in blocks {
            match block {
                Block::Para(p) => {
                    let text = self.para_text(p);
                    let heading = p.outline.filter(|&l| l < 9).map(|l| l + 1).or_else(|| {
                        p.style
                            .as_deref()
                            .and_then(|s| style_heading(self.styles, s))
                    });
                    for id in &p.comments {
                        if let Some(d) = self.directives.get(id) {
                            self.b.comment(d);
                        }
                    }
                    self.b.paragraph(&text, heading);
                    for bx in &p.boxes {
                        self.blocks(bx)?;
                    }
                    for key in &p.notes {
                        if let Some(t) = self.notes.get(key) {
                            self.note_no += 1;
                            let t = format!("注{}：{}", self.note_no, t);
                            self.b.paragraph(&t, None);
                        }
                    }
                }
                Block::Table(rows) => {
                    let mut comments = Vec::new();
                    for (i, row) in rows.iter().enumerate() {
                        for c in &row.cells {
                            self.directives_in(&c.blocks, i, &mut comments);
                        }
                    }
                    let cells = self.table(rows);
                    self.b.table_with_comments(cells, comments)?;
                }
            }
        }
        Ok(())
    }

    /// The directives attached to paragraphs in `blocks` (a table cell), as comments of row
    /// `row`.
    fn directives_in(&self, blocks: &[Block], row: usize, out: &mut Vec<(usize, String)>) {
        for b in blocks {
            match b {
                Block::Para(p) => {
                    for id in &p.comments {
                        if let Some(d) = self.directives.get(id) {
                            out.push((row, d.clone()));
                        }
                    }
                }
                Block::Table(rows) => {
                    for r in rows {
                        for c in &r.cells {
                            self.directives_in(&c.blocks, row, out);
                        }
                    }
                }
            }
        }
    }

    /// The paragraph's number (if it is in a list) and text.
    fn para_text(&mut self, p: &Para) -> String {
        let num = if p.num_set {
            p.num.clone()
        } else {
            p.style.as_deref().and_then(|s| style_num(self.styles, s))
        };
        let mut text = String::new();
        if let Some((id, lvl)) = num
            && !p.text.trim().is_empty()
            && let Some(n) = self.counters.next(self.numbering, &id, lvl)
        {
            text.push_str(&n);
        }
        // Leading tabs and spaces only indent; they are not content.
        text.push_str(p.text.trim_start_matches(['\t', ' ']));
        text
    }

    /// Converts Word rows (cells with gridSpan and vMerge) to the HTML model the builder
    /// expands: a vertically merged cell is one cell with a row span.
    fn table(&mut self, rows: &[Row]) -> Vec<Vec<Cell>> {
        let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
        // Grid column → (row, index) of the last cell that started a vertical merge there.
        let mut open: HashMap<usize, (usize, usize)> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            let mut cells: Vec<Cell> = Vec::new();
            let mut col = row.before as usize;
            if row.before > 0 {
                cells.push(Cell::new(String::new(), row.before, 1));
            }
            for tc in &row.cells {
                let span = tc.span.max(1);
                if tc.hmerge_continue
                    && let Some(last) = cells.last_mut()
                {
                    last.col_span = last.col_span.saturating_add(span);
                    col += span as usize;
                    continue;
                }
                if tc.vmerge == Some(false)
                    && let Some(&(or, oi)) = open.get(&col)
                    && let Some(origin) = out.get_mut(or).and_then(|r| r.get_mut(oi))
                {
                    origin.row_span = origin.row_span.saturating_add(1);
                    col += span as usize;
                    continue;
                }
                let mut text = String::new();
                self.cell_text(&tc.blocks, &mut text);
                if tc.vmerge == Some(true) {
                    open.insert(col, (r, cells.len()));
                } else {
                    open.remove(&col);
                }
                cells.push(Cell::new(text, span, 1));
                col += span as usize;
            }
            out.push(cells);
        }
        out
    }

    fn cell_text(&mut self, blocks: &[Block], out: &mut String) {
        for b in blocks {
            match b {
                Block::Para(p) => {
                    let t = self.para_text(p);
                    if !t.trim().is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&t);
                    }
                    for bx in &p.boxes {
                        self.cell_text(bx, out);
                    }
                }
                Block::Table(_) => {
                    let mut s = String::new();
                    flat_text(std::slice::from_ref(b), &mut s);
                    if !s.is_empty() {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&s.replace('\n', " "));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
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
}
