//! PDF files, read with the pure-Rust `lopdf` (objects, streams, encryption, font
//! encodings) and our own interpreter of page content, which keeps the position of every
//! piece of text so that lines, paragraphs and tables can be rebuilt.
//!
//! Fonts: simple fonts through their encoding, `Identity-H` CID fonts through their
//! `ToUnicode` map, and the predefined Chinese CMaps of non-embedded fonts — the common
//! `STSong-Light` with `UniGB-UCS2-H` (fixtures/inputs/qingshan.pdf), `UniGB-UTF16-H`,
//! and the GBK/GB2312 CMaps (`GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`).
//!
//! Layout, page by page:
//! - text pieces on one baseline form a line; a gap wider than two characters becomes a tab
//!   (a table without rules, left to the text table reader); text drawn twice at almost the
//!   same place (fake bold) is kept once; rotated text (watermarks) is dropped;
//! - tables with ruling lines are rebuilt from the lines: rows and columns from the rule
//!   positions, merged cells where an inner rule is missing, each piece of text put in the
//!   cell that contains it; a table that goes on at the top of the next page with the same
//!   columns is joined to it;
//! - lines are joined into paragraphs when a line runs to the right margin and the next one
//!   starts at the left margin without indent (also across a page break);
//! - page numbers alone on the first or last line of a page (`— 2 —`, `第 2 页`) are dropped.
//!
//! Every paragraph is located by the page it starts on (`第2页`), every table cell by page,
//! table, row and column. A PDF with pages but (almost) no text is a scan: `NB002`.
//!
//! Limits: pages (`Limits::max_entries`), decompressed content (`Limits::max_expanded_bytes`
//! over the whole file), nesting of saved graphics states and form XObjects.

use super::doc_builder::{Builder, Cell, one_line};
use super::{Document, Format, Limits, ReadError};
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};

const FORMAT: &str = "PDF";
/// Saved graphics states kept (`q` beyond this is ignored).
const MAX_GSTATE: usize = 64;
/// Form XObjects inside form XObjects.
const MAX_FORM_DEPTH: usize = 4;

fn corrupt(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: FORMAT.into(),
        detail: detail.to_string(),
    }
}

/// Bytes at the end of a PDF searched for its end marker `%%EOF` (writers put it last,
/// some add a line or a few bytes of padding after it).
const EOF_TAIL: usize = 1024;

/// True when the end marker is missing: the file was cut (an interrupted download or copy).
/// Such a file may still parse (its first pages), and checking half a report gives
/// findings about what is missing from the other half; it is reported as damaged instead.
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(EOF_TAIL)..];
    memchr::memmem::find(tail, b"%%EOF").is_none()
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if is_truncated(bytes) {
        return Err(corrupt(
            "结尾缺少 %%EOF 标记，文件被截断，只有前一部分（可能下载或复制没有完成） (cut short: no %%EOF at the end)",
        ));
    }
    let opts = lopdf::LoadOptions {
        max_decompressed_size: Some(
            usize::try_from(limits.max_expanded_bytes).unwrap_or(usize::MAX),
        ),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, opts)
        .map_err(|e| load_error(e, limits.max_expanded_bytes))?;
    if doc.is_encrypted() {
        return Err(ReadError::Encrypted {
            format: FORMAT.into(),
        });
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(corrupt("找不到任何页面 (no pages)"));
    }
    if pages.len() > limits.max_entries {
        return Err(ReadError::Limit {
            what: "PDF 页数".into(),
            what_en: "number of PDF pages".into(),
            limit: limits.max_entries.to_string(),
        });
    }
    let mut budget = usize::try_from(limits.max_expanded_bytes).unwrap_or(usize::MAX);
    let mut laid: Vec<Page> = Vec::with_capacity(pages.len());
    for (&no, &id) in &pages {
        let mut page = Interp::new(&doc, &mut budget, limits.max_expanded_bytes).page(id)?;
        page.number = no as usize;
        laid.push(layout(page));
    }
    let (text_chars, bad_chars) = laid
        .iter()
        .flat_map(|p| p.items.iter())
        .flat_map(|i| i.text_chars())
        .fold((0usize, 0usize), |(t, b), c| {
            (
                t + 1,
                b + usize::from(c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c)),
            )
        });
    if text_chars < 10 * laid.len() {
        return Err(ReadError::NoTextLayer { pages: laid.len() });
    }
    if bad_chars * 10 > text_chars * 3 {
        return Err(ReadError::UnmappedFonts { pages: laid.len() });
    }
    assemble(laid)
}

fn load_error(e: lopdf::Error, expanded: u64) -> ReadError {
    match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ReadError::Encrypted {
            format: FORMAT.into(),
        },
        lopdf::Error::Decompress(_) => ReadError::Limit {
            what: "解压后的大小".into(),
            what_en: "expanded size".into(),
            limit: super::human_bytes(expanded),
        },
        e => {
            let s = e.to_string();
            if s.contains("encrypt") || s.contains("password") {
                ReadError::Encrypted {
                    format: FORMAT.into(),
                }
            } else {
                corrupt(format!("无法解析文件结构 ({s})"))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------

/// A PDF matrix `[a b c d e f]`; points are row vectors: `p' = p × M`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct M([f32; 6]);

impl M {
    const ID: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn mul(self, o: M) -> M {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        M([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate(x: f32, y: f32) -> M {
        M([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

fn num(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|v| v.is_finite())
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    let mut out = [0.0; N];
    if ops.len() < N {
        return None;
    }
    for (slot, o) in out.iter_mut().zip(ops) {
        *slot = num(o)?;
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------

enum Decoder<'a> {
    Lopdf(lopdf::Encoding<'a>),
    Utf16Be,
    Gbk,
    Big5,
    Utf8,
    /// No way to map codes to characters.
    Unknown,
}

struct Font<'a> {
    dec: Decoder<'a>,
    /// Type 0 (composite) font: codes of two bytes (except in the GBK CMaps).
    composite: bool,
    /// Code = CID (Identity-H), so the W array gives exact widths.
    identity: bool,
    simple_widths: Option<(u32, Vec<f32>)>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
}

fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

impl<'a> Font<'a> {
    fn new(doc: &'a lopdf::Document, dict: &'a Dictionary, budget: usize) -> Font<'a> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let composite = subtype == b"Type0";
        let enc_name = dict
            .get(b"Encoding")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let identity = enc_name.starts_with(b"Identity");
        let lopdf_enc = dict.get_font_encoding_with_limit(doc, budget).ok();
        let dec = match (lopdf_enc, enc_name) {
            // Predefined CMaps of non-embedded Chinese, Japanese and Korean fonts.
            (_, b"UniGB-UCS2-H" | b"UniGB-UTF16-H" | b"UniCNS-UCS2-H" | b"UniCNS-UTF16-H")
            | (_, b"UniJIS-UCS2-H" | b"UniJIS-UTF16-H" | b"UniKS-UCS2-H" | b"UniKS-UTF16-H") => {
                Decoder::Utf16Be
            }
            (_, b"UniGB-UTF8-H" | b"UniCNS-UTF8-H" | b"UniJIS-UTF8-H" | b"UniKS-UTF8-H") => {
                Decoder::Utf8
            }
            (_, b"GBK-EUC-H" | b"GBK2K-H" | b"GB-EUC-H" | b"GBpc-EUC-H" | b"GBKp-EUC-H") => {
                Decoder::Gbk
            }
            (_, b"B5pc-H" | b"ETen-B5-H" | b"HKscs-B5-H") => Decoder::Big5,
            (Some(e), _) => Decoder::Lopdf(e),
            (None, _) => Decoder::Unknown,
        };
        let mut f = Font {
            dec,
            composite,
            identity,
            simple_widths: None,
            cid_widths: HashMap::new(),
            default_width: 1000.0,
        };
        if composite {
            let desc = dict
                .get(b"DescendantFonts")
                .ok()
                .and_then(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok());
            if let Some(desc) = desc {
                if let Some(dw) = desc.get(b"DW").ok().and_then(num) {
                    f.default_width = dw;
                }
                if let Some(w) = desc
                    .get(b"W")
                    .ok()
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_array().ok())
                {
                    f.cid_widths = parse_w(doc, w);
                }
            }
        } else if let Some(ws) = dict
            .get(b"Widths")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            let first = dict
                .get(b"FirstChar")
                .ok()
                .and_then(num)
                .map_or(0, |v| v.max(0.0) as u32);
            let ws: Vec<f32> = ws
                .iter()
                .take(256)
                .map(|o| deref(doc, o).and_then(num).unwrap_or(0.0))
                .collect();
            f.simple_widths = Some((first, ws));
        }
        f
    }

    /// The text of a string operand and its advance in thousandths of the font size
    /// (without character and word spacing), plus the number of single-byte spaces.
    fn show(&self, bytes: &[u8]) -> (String, f32, usize, usize) {
        let text = match &self.dec {
            Decoder::Lopdf(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            Decoder::Utf16Be => encoding_rs::UTF_16BE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            Decoder::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Decoder::Gbk => encoding_rs::GB18030
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            Decoder::Big5 => encoding_rs::BIG5
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            Decoder::Unknown => {
                "\u{fffd}".repeat(bytes.len().max(1) / if self.composite { 2 } else { 1 })
            }
        };
        let text: String = text
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let mut width = 0.0f32;
        let mut spaces = 0usize;
        let codes;
        if self.composite && self.identity {
            codes = bytes.len() / 2;
            for pair in bytes.chunks_exact(2) {
                let cid = u32::from(pair[0]) << 8 | u32::from(pair[1]);
                width += self
                    .cid_widths
                    .get(&cid)
                    .copied()
                    .unwrap_or(self.default_width);
            }
        } else if let (false, Some((first, ws))) = (self.composite, &self.simple_widths) {
            codes = bytes.len();
            for &b in bytes {
                if b == b' ' {
                    spaces += 1;
                }
                let w = u32::from(b)
                    .checked_sub(*first)
                    .and_then(|i| ws.get(i as usize))
                    .copied()
                    .filter(|&w| w > 0.0)
                    .unwrap_or_else(|| heuristic_width(b as char));
                width += w;
            }
        } else {
            codes = text.chars().count();
            for c in text.chars() {
                if !self.composite && c == ' ' {
                    spaces += 1;
                }
                width += if self.composite && is_wide(c) {
                    self.default_width
                } else {
                    heuristic_width(c)
                };
            }
        }
        (text, width, spaces, codes)
    }
}

fn parse_w(doc: &lopdf::Document, w: &[Object]) -> HashMap<u32, f32> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let Some(first) = deref(doc, &w[i]).and_then(num) else {
            break;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(65_536) {
                    if let Some(v) = deref(doc, o).and_then(num) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).map_or(first, |v| v.max(0.0) as u32);
                let v = w
                    .get(i + 2)
                    .and_then(|o| deref(doc, o))
                    .and_then(num)
                    .unwrap_or(1000.0);
                for cid in first..=last.min(first.saturating_add(65_535)) {
                    out.insert(cid, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

fn heuristic_width(c: char) -> f32 {
    if is_wide(c) { 1000.0 } else { 500.0 }
}

// ---------------------------------------------------------------------------------------
// Content interpretation
// ---------------------------------------------------------------------------------------

/// A piece of text on the page, in user space (points, y upwards).
#[derive(Clone, Debug)]
struct Run {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
}

/// A horizontal or vertical rule.
#[derive(Clone, Copy, Debug)]
struct Seg {
    horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    at: f32,
    from: f32,
    to: f32,
}

#[derive(Default)]
struct RawPage {
    number: usize,
    runs: Vec<Run>,
    segs: Vec<Seg>,
}

#[derive(Clone, Copy)]
struct GState {
    ctm: M,
}

struct TextState {
    tm: M,
    tlm: M,
    font: Option<usize>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            tm: M::ID,
            tlm: M::ID,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct Interp<'a, 'b> {
    doc: &'a lopdf::Document,
    budget: &'b mut usize,
    /// The whole file's limit, for the message (the budget is what is left of it).
    limit: u64,
    fonts: Vec<Font<'a>>,
    font_ids: HashMap<*const Dictionary, usize>,
    page: RawPage,
}

impl<'a, 'b> Interp<'a, 'b> {
    fn new(doc: &'a lopdf::Document, budget: &'b mut usize, limit: u64) -> Self {
        Interp {
            doc,
            budget,
            limit,
            fonts: Vec::new(),
            font_ids: HashMap::new(),
            page: RawPage::default(),
        }
    }

    fn page(mut self, id: ObjectId) -> Result<RawPage, ReadError> {
        let content = match self.doc.get_page_content_with_limit(id, *self.budget) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) => {
                return Err(ReadError::Limit {
                    what: "PDF 解压后的大小".into(),
                    what_en: "expanded size".into(),
                    limit: super::human_bytes(self.limit),
                });
            }
            // A page whose content cannot be read has no text; the others still count.
            Err(_) => Vec::new(),
        };
        *self.budget = self.budget.saturating_sub(content.len());
        let fonts: BTreeMap<Vec<u8>, &'a Dictionary> =
            self.doc.get_page_fonts(id).unwrap_or_default();
        let xobjects = self.page_xobjects(id);
        self.run(&content, &fonts, &xobjects, M::ID, 0)?;
        Ok(self.page)
    }

    fn page_xobjects(&self, id: ObjectId) -> BTreeMap<Vec<u8>, &'a Object> {
        let mut out = BTreeMap::new();
        let Ok((direct, ids)) = self.doc.get_page_resources(id) else {
            return out;
        };
        let dicts = direct.into_iter().chain(
            ids.into_iter()
                .filter_map(|i| self.doc.get_dictionary(i).ok()),
        );
        for res in dicts {
            xobjects_of(self.doc, res, &mut out);
        }
        out
    }

    fn font(&mut self, dict: &'a Dictionary) -> usize {
        let key = dict as *const Dictionary;
        if let Some(&i) = self.font_ids.get(&key) {
            return i;
        }
        let f = Font::new(self.doc, dict, *self.budget);
        self.fonts.push(f);
        self.font_ids.insert(key, self.fonts.len() - 1);
        self.fonts.len() - 1
    }

    fn run(
        &mut self,
        content: &[u8],
        fonts: &BTreeMap<Vec<u8>, &'a Dictionary>,
        xobjects: &BTreeMap<Vec<u8>, &'a Object>,
        base: M,
        depth: usize,
    ) -> Result<(), ReadError> {
        let mut gs = GState { ctm: base };
        let mut stack: Vec<GState> = Vec::new();
        let mut ts = TextState::default();
        let mut path: Vec<(f32, f32, f32, f32)> = Vec::new();
        let mut cur = (0.0f32, 0.0f32);
        let mut start = (0.0f32, 0.0f32);
        for op in lopdf::content::Content::decode_iter(content) {
            let Ok(op) = op else { break };
            let o = op.operands.as_slice();
            match op.operator.as_str() {
                "q" if stack.len() < MAX_GSTATE => stack.push(gs),
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(o) {
                        gs.ctm = M(m).mul(gs.ctm);
                    }
                }
                "BT" => {
                    ts.tm = M::ID;
                    ts.tlm = M::ID;
                }
                "Tf" => {
                    let name = o.first().and_then(|n| n.as_name().ok());
                    ts.font = name.and_then(|n| fonts.get(n)).map(|d| self.font(d));
                    ts.size = o.get(1).and_then(num).unwrap_or(0.0);
                }
                "Tc" => ts.char_spacing = o.first().and_then(num).unwrap_or(0.0),
                "Tw" => ts.word_spacing = o.first().and_then(num).unwrap_or(0.0),
                "Tz" => ts.hscale = o.first().and_then(num).unwrap_or(100.0) / 100.0,
                "TL" => ts.leading = o.first().and_then(num).unwrap_or(0.0),
                "Ts" => ts.rise = o.first().and_then(num).unwrap_or(0.0),
                "Td" | "TD" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        if op.operator == "TD" {
                            ts.leading = -y;
                        }
                        ts.tlm = M::translate(x, y).mul(ts.tlm);
                        ts.tm = ts.tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = nums::<6>(o) {
                        ts.tlm = M(m);
                        ts.tm = ts.tlm;
                    }
                }
                "T*" => {
                    ts.tlm = M::translate(0.0, -ts.leading).mul(ts.tlm);
                    ts.tm = ts.tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(&mut ts, &gs, s);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" {
                        ts.word_spacing = o.first().and_then(num).unwrap_or(ts.word_spacing);
                        ts.char_spacing = o.get(1).and_then(num).unwrap_or(ts.char_spacing);
                    }
                    ts.tlm = M::translate(0.0, -ts.leading).mul(ts.tlm);
                    ts.tm = ts.tlm;
                    if let Some(Object::String(s, _)) = o.last() {
                        self.show(&mut ts, &gs, s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&mut ts, &gs, s),
                                other => {
                                    if let Some(adj) = num(other) {
                                        let tx = -adj / 1000.0 * ts.size * ts.hscale;
                                        ts.tm = M::translate(tx, 0.0).mul(ts.tm);
                                    }
                                }
                            }
                        }
                    }
                }
                // Paths: only straight rules matter (table borders).
                "m" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        cur = (x, y);
                        start = cur;
                    }
                }
                "l" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        path.push((cur.0, cur.1, x, y));
                        cur = (x, y);
                    }
                }
                "h" => {
                    path.push((cur.0, cur.1, start.0, start.1));
                    cur = start;
                }
                "c" | "v" | "y" => {
                    if let (Some(x), Some(y)) = (
                        o.get(o.len().saturating_sub(2)).and_then(num),
                        o.last().and_then(num),
                    ) {
                        cur = (x, y);
                    }
                }
                "re" => {
                    if let Some([x, y, w, h]) = nums::<4>(o) {
                        self.rect(gs.ctm, x, y, w, h);
                        cur = (x, y);
                        start = cur;
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    for &(x0, y0, x1, y1) in &path {
                        self.segment(gs.ctm, x0, y0, x1, y1);
                    }
                    path.clear();
                }
                "n" => path.clear(),
                "Do" if depth < MAX_FORM_DEPTH => {
                    let name = o.first().and_then(|n| n.as_name().ok());
                    if let Some(obj) = name.and_then(|n| xobjects.get(n)) {
                        self.form(obj, fonts, gs.ctm, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A form XObject: its own content with its own resources (falling back on the page's).
    fn form(
        &mut self,
        obj: &'a Object,
        fonts: &BTreeMap<Vec<u8>, &'a Dictionary>,
        ctm: M,
        depth: usize,
    ) -> Result<(), ReadError> {
        let Some(Object::Stream(stream)) = deref(self.doc, obj) else {
            return Ok(());
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return Ok(());
        }
        let content = match stream.get_plain_content_with_limit(*self.budget) {
            Ok(c) => c,
            Err(_) => return Ok(()),
        };
        *self.budget = self.budget.saturating_sub(content.len());
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .and_then(|a| nums::<6>(a))
            .map_or(M::ID, M);
        let mut own_fonts = fonts.clone();
        let mut own_x = BTreeMap::new();
        if let Some(res) = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
        {
            if let Some(fd) = res
                .get(b"Font")
                .ok()
                .and_then(|o| deref(self.doc, o))
                .and_then(|o| o.as_dict().ok())
            {
                for (k, v) in fd.iter() {
                    if let Some(d) = deref(self.doc, v).and_then(|o| o.as_dict().ok()) {
                        own_fonts.insert(k.clone(), d);
                    }
                }
            }
            xobjects_of(self.doc, res, &mut own_x);
        }
        self.run(&content, &own_fonts, &own_x, matrix.mul(ctm), depth + 1)
    }

    fn show(&mut self, ts: &mut TextState, gs: &GState, bytes: &[u8]) {
        let Some(font) = ts.font.and_then(|i| self.fonts.get(i)) else {
            return;
        };
        let (text, width, spaces, codes) = font.show(bytes);
        let tx = (width / 1000.0 * ts.size
            + ts.char_spacing * codes as f32
            + ts.word_spacing * spaces as f32)
            * ts.hscale;
        let m = ts.tm.mul(gs.ctm);
        let [a, b, c, d, _, _] = m.0;
        let (x0, y) = m.apply(0.0, ts.rise);
        let (x1, _) = m.apply(tx, ts.rise);
        ts.tm = M::translate(tx, 0.0).mul(ts.tm);
        let size = (ts.size * (c * c + d * d).sqrt()).abs();
        // Rotated or mirrored text (watermarks, stamps) is not part of the report's lines.
        let horizontal = a > 0.0 && b.abs() <= a.abs() * 0.05;
        if !horizontal || size < 0.5 || text.trim().is_empty() {
            return;
        }
        self.page.runs.push(Run {
            text,
            x0,
            x1: x1.max(x0),
            y,
            size,
        });
    }

    fn rect(&mut self, ctm: M, x: f32, y: f32, w: f32, h: f32) {
        let (x0, y0) = ctm.apply(x, y);
        let (x1, y1) = ctm.apply(x + w, y + h);
        let (lx, hx) = (x0.min(x1), x0.max(x1));
        let (ly, hy) = (y0.min(y1), y0.max(y1));
        // A thin filled rectangle is a rule (how Word and LibreOffice draw borders).
        if hy - ly < 2.0 && hx - lx > 2.0 {
            self.push_seg(true, (ly + hy) / 2.0, lx, hx);
        } else if hx - lx < 2.0 && hy - ly > 2.0 {
            self.push_seg(false, (lx + hx) / 2.0, ly, hy);
        } else if hx - lx > 2.0 && hy - ly > 2.0 {
            self.push_seg(true, ly, lx, hx);
            self.push_seg(true, hy, lx, hx);
            self.push_seg(false, lx, ly, hy);
            self.push_seg(false, hx, ly, hy);
        }
    }

    fn segment(&mut self, ctm: M, x0: f32, y0: f32, x1: f32, y1: f32) {
        let (ax, ay) = ctm.apply(x0, y0);
        let (bx, by) = ctm.apply(x1, y1);
        if (ay - by).abs() < 0.5 && (ax - bx).abs() > 2.0 {
            self.push_seg(true, (ay + by) / 2.0, ax.min(bx), ax.max(bx));
        } else if (ax - bx).abs() < 0.5 && (ay - by).abs() > 2.0 {
            self.push_seg(false, (ax + bx) / 2.0, ay.min(by), ay.max(by));
        }
    }

    fn push_seg(&mut self, horizontal: bool, at: f32, from: f32, to: f32) {
        // Bounded like everything else: a page of a million hairlines is not a report.
        if self.page.segs.len() < 100_000 && at.is_finite() && from.is_finite() && to.is_finite() {
            self.page.segs.push(Seg {
                horizontal,
                at,
                from,
                to,
            });
        }
    }
}

fn xobjects_of<'a>(
    doc: &'a lopdf::Document,
    res: &'a Dictionary,
    out: &mut BTreeMap<Vec<u8>, &'a Object>,
) {
    if let Some(x) = res
        .get(b"XObject")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        for (k, v) in x.iter() {
            out.entry(k.clone()).or_insert(v);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Layout: lines, tables, paragraphs
// ---------------------------------------------------------------------------------------

/// A line of text on a page.
#[derive(Clone, Debug)]
struct Line {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
}

/// A cell of a rebuilt table: its grid rectangle (rows and columns, inclusive) and text.
#[derive(Clone, Debug)]
struct PCell {
    r0: usize,
    c0: usize,
    r1: usize,
    c1: usize,
    text: String,
}

/// A table rebuilt from rules.
#[derive(Clone, Debug)]
struct TableBox {
    cells: Vec<PCell>,
    nrows: usize,
    /// Column boundaries, to join a table continued on the next page.
    cols: Vec<f32>,
    top: f32,
}

impl TableBox {
    /// Appends the part of the table on the next page. A merged cell that reaches the
    /// bottom of this part and is continued by an empty merged cell at the top of the next
    /// one (a vertical merge across the page break, fixtures/inputs/qingshan-libreoffice.pdf)
    /// becomes one cell.
    fn join(&mut self, next: &TableBox) {
        let base = self.nrows;
        for c in &next.cells {
            if c.r0 == 0
                && c.text.is_empty()
                && let Some(open) = self.cells.iter_mut().find(|o| {
                    o.r1 + 1 == base && o.c0 == c.c0 && o.c1 == c.c1 && o.r0 + 1 < base + 1
                })
            {
                open.r1 = base + c.r1;
                continue;
            }
            self.cells.push(PCell {
                r0: c.r0 + base,
                r1: c.r1 + base,
                ..c.clone()
            });
        }
        self.nrows += next.nrows;
    }

    /// The cells row by row in the HTML model (each cell in the row where it starts).
    fn rows(&self) -> Vec<Vec<Cell>> {
        let mut cells: Vec<&PCell> = self.cells.iter().collect();
        cells.sort_by_key(|c| (c.r0, c.c0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); self.nrows];
        for c in cells {
            if let Some(row) = rows.get_mut(c.r0) {
                row.push(Cell::new(
                    c.text.clone(),
                    (c.c1 - c.c0 + 1) as u32,
                    (c.r1 - c.r0 + 1) as u32,
                ));
            }
        }
        rows
    }
}

#[derive(Clone, Debug)]
enum Item {
    Line(Line),
    Table(TableBox),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.y + l.size * 0.8,
            Item::Table(t) => t.top,
        }
    }

    fn text_chars(&self) -> Vec<char> {
        match self {
            Item::Line(l) => l.text.chars().filter(|c| !c.is_whitespace()).collect(),
            Item::Table(t) => t
                .cells
                .iter()
                .flat_map(|c| c.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect(),
        }
    }
}

struct Page {
    number: usize,
    items: Vec<Item>,
    left: f32,
    right: f32,
    /// The most common font size of the running text.
    body_size: f32,
}

fn layout(raw: RawPage) -> Page {
    let tables = find_tables(&raw.segs);
    let mut in_table: Vec<Vec<Run>> = vec![Vec::new(); tables.len()];
    let mut free: Vec<Run> = Vec::new();
    for r in raw.runs {
        let cx = (r.x0 + r.x1) / 2.0;
        let cy = r.y + r.size * 0.3;
        match tables.iter().position(|t| t.contains(cx, cy)) {
            Some(i) => in_table[i].push(r),
            None => free.push(r),
        }
    }
    let mut items: Vec<Item> = lines(free).into_iter().map(Item::Line).collect();
    for (t, runs) in tables.iter().zip(in_table) {
        if let Some(tb) = t.fill(runs) {
            items.push(Item::Table(tb));
        }
    }
    items.sort_by(|a, b| b.top().total_cmp(&a.top()));
    // Page numbers alone at the top or bottom of the page.
    let is_page_number = |i: &Item| match i {
        Item::Line(l) => looks_like_page_number(&l.text),
        Item::Table(_) => false,
    };
    if items.last().is_some_and(is_page_number) {
        items.pop();
    }
    if items.first().is_some_and(is_page_number) {
        items.remove(0);
    }
    // Margins of the running text. The right margin is where most long lines end (the
    // median), not the farthest end: widths of characters in fonts without metrics are
    // estimated and a line of Latin text may seem to run past the margin.
    let text_lines: Vec<&Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) if !l.text.contains('\t') => Some(l),
            _ => None,
        })
        .collect();
    let left = text_lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let widest = text_lines.iter().map(|l| l.x1 - l.x0).fold(0.0, f32::max);
    let mut ends: Vec<f32> = text_lines
        .iter()
        .filter(|l| l.x1 - l.x0 >= widest * 0.6)
        .map(|l| l.x1)
        .collect();
    ends.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() / 2).copied().unwrap_or(f32::MIN);
    let mut sizes: Vec<f32> = text_lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
    Page {
        number: raw.number,
        items,
        left,
        right,
        body_size,
    }
}

fn looks_like_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    if !inner.is_empty() && inner.len() <= 4 && inner.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // 第 2 页, 第2页共5页, 2/5
    let digits_and = |allowed: &[char]| {
        !inner.is_empty()
            && inner.chars().any(|c| c.is_ascii_digit())
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || allowed.contains(&c))
    };
    (inner.starts_with('第') && digits_and(&['第', '页', '共']))
        || digits_and(&['/'])
        || (inner.starts_with("Page") && inner[4..].chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether a line starts with a list or heading number (`一、`, `（一）`, `1.`), which
/// starts a new paragraph even when the previous line looks unfinished.
fn starts_with_marker(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '（' | '(' | '第' | '①'..='⑳') {
        return true;
    }
    let rest: String = std::iter::once(first).chain(chars).take(5).collect();
    let numeral = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0
        && rest
            .chars()
            .nth(numeral)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | '是'))
}

/// Groups runs into lines by baseline, left to right; large gaps become tabs.
fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<Run>> = Vec::new();
    for r in runs {
        match groups.last_mut() {
            Some(g)
                if g.first()
                    .is_some_and(|f| (f.y - r.y).abs() <= f.size.max(r.size) * 0.4) =>
            {
                g.push(r)
            }
            _ => groups.push(vec![r]),
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for mut g in groups {
        g.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut text = String::new();
        let mut last: Option<&Run> = None;
        for r in &g {
            if let Some(p) = last {
                // Fake bold: the same text drawn again a fraction of a point to the right.
                if p.text == r.text && (r.x0 - p.x0).abs() < p.size * 0.3 {
                    continue;
                }
                let gap = r.x0 - p.x1;
                let em = p.size.max(r.size);
                if gap > em * 2.0 {
                    text.push('\t');
                } else {
                    let prev_wide = text.chars().last().is_some_and(is_wide);
                    let next_wide = r.text.chars().next().is_some_and(is_wide);
                    // Between Latin letters a small gap is a space. Next to a Chinese
                    // character it is the quarter-em that Word and LibreOffice put between
                    // Chinese and Latin text, or justification: not a space, unless wide.
                    let space = if prev_wide || next_wide {
                        gap > em * 0.6
                    } else {
                        gap > em * 0.15
                    };
                    if space && !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
            }
            text.push_str(&r.text);
            last = Some(r);
        }
        let size = g.iter().map(|r| r.size).fold(0.0, f32::max);
        let y = g.first().map_or(0.0, |r| r.y);
        let x0 = g.first().map_or(0.0, |r| r.x0);
        let x1 = g.iter().map(|r| r.x1).fold(f32::MIN, f32::max);
        let text = text
            .trim_matches(|c: char| c == ' ' || c == '\t')
            .to_owned();
        if !text.is_empty() {
            out.push(Line {
                text,
                x0,
                x1,
                y,
                size,
            });
        }
    }
    out
}

/// A grid of rules found on a page.
struct Lattice {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// For each pair of horizontally adjacent cells (row, col) | (row, col+1): is there a
    /// rule between them; likewise vertically.
    vrule: Vec<Vec<bool>>,
    hrule: Vec<Vec<bool>>,
}

const TOL: f32 = 2.0;

impl Lattice {
    fn contains(&self, x: f32, y: f32) -> bool {
        let (Some(&x0), Some(&x1), Some(&ytop), Some(&ybot)) = (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) else {
            return false;
        };
        x >= x0 - TOL && x <= x1 + TOL && y <= ytop + TOL && y >= ybot - TOL
    }

    fn col_of(&self, x: f32) -> usize {
        self.xs
            .windows(2)
            .position(|w| x < w[1])
            .unwrap_or(self.xs.len().saturating_sub(2))
    }

    fn row_of(&self, y: f32) -> usize {
        self.ys
            .windows(2)
            .position(|w| y > w[1])
            .unwrap_or(self.ys.len().saturating_sub(2))
    }

    /// Puts the runs in their cells and merges cells where inner rules are missing.
    fn fill(&self, runs: Vec<Run>) -> Option<TableBox> {
        let nr = self.ys.len().checked_sub(1)?;
        let nc = self.xs.len().checked_sub(1)?;
        if nr == 0 || nc < 2 || nr.saturating_mul(nc) > super::doc_builder::MAX_TABLE_CELLS {
            return None;
        }
        // Union of cells into merged regions.
        let mut parent: Vec<usize> = (0..nr * nc).collect();
        fn find(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        for r in 0..nr {
            for c in 0..nc {
                if c + 1 < nc && !self.vrule[r][c] {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, r * nc + c + 1),
                    );
                    parent[a] = b;
                }
                if r + 1 < nr && !self.hrule[r][c] {
                    let (a, b) = (
                        find(&mut parent, r * nc + c),
                        find(&mut parent, (r + 1) * nc + c),
                    );
                    parent[a] = b;
                }
            }
        }
        // Bounding box of each region.
        let mut bbox: HashMap<usize, (usize, usize, usize, usize)> = HashMap::new();
        for r in 0..nr {
            for c in 0..nc {
                let root = find(&mut parent, r * nc + c);
                let e = bbox.entry(root).or_insert((r, c, r, c));
                e.0 = e.0.min(r);
                e.1 = e.1.min(c);
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
            }
        }
        // Text of each region, in reading order.
        let mut texts: HashMap<usize, Vec<Run>> = HashMap::new();
        for run in runs {
            let cx = (run.x0 + run.x1) / 2.0;
            let cy = run.y + run.size * 0.3;
            let (r, c) = (self.row_of(cy), self.col_of(cx));
            if r < nr && c < nc {
                let root = find(&mut parent, r * nc + c);
                texts.entry(root).or_default().push(run);
            }
        }
        let mut cells: Vec<PCell> = Vec::new();
        let mut done = vec![false; nr * nc];
        for r in 0..nr {
            for c in 0..nc {
                if done[r * nc + c] {
                    continue;
                }
                let root = find(&mut parent, r * nc + c);
                let (r0, c0, r1, c1) = bbox.get(&root).copied().unwrap_or((r, c, r, c));
                for rr in r0..=r1 {
                    for cc in c0..=c1 {
                        if let Some(d) = done.get_mut(rr * nc + cc) {
                            *d = true;
                        }
                    }
                }
                let cell_lines = lines(texts.remove(&root).unwrap_or_default());
                let text = one_line(
                    &cell_lines
                        .iter()
                        .map(|l| l.text.replace('\t', " "))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                cells.push(PCell {
                    r0,
                    c0,
                    r1,
                    c1,
                    text,
                });
            }
        }
        Some(TableBox {
            cells,
            nrows: nr,
            cols: self.xs.clone(),
            top: self.ys.first().copied().unwrap_or(0.0),
        })
    }
}

/// Clusters coordinates within the tolerance (sorted input).
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= TOL => {}
            _ => out.push(x),
        }
    }
    out
}

/// Tables from ruling lines: groups of crossing horizontal and vertical rules.
fn find_tables(segs: &[Seg]) -> Vec<Lattice> {
    let n = segs.len();
    if n < 4 {
        return Vec::new();
    }
    // Connected components of crossing rules. Sorting by position keeps this near-linear
    // for ordinary tables; the rule count is capped when collected.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let hs: Vec<usize> = (0..n).filter(|&i| segs[i].horizontal).collect();
    let mut vs: Vec<usize> = (0..n).filter(|&i| !segs[i].horizontal).collect();
    vs.sort_by(|&a, &b| segs[a].at.total_cmp(&segs[b].at));
    let mut crossings = 0usize;
    for &h in &hs {
        let hseg = segs[h];
        let lo = vs.partition_point(|&v| segs[v].at < hseg.from - TOL);
        for &v in &vs[lo..] {
            let vseg = segs[v];
            if vseg.at > hseg.to + TOL {
                break;
            }
            if hseg.at >= vseg.from - TOL && hseg.at <= vseg.to + TOL {
                let (a, b) = (find(&mut parent, h), find(&mut parent, v));
                parent[a] = b;
                crossings += 1;
                if crossings > 2_000_000 {
                    return Vec::new();
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let members = &groups[&k];
        let xs = cluster(
            members
                .iter()
                .filter(|&&i| !segs[i].horizontal)
                .map(|&i| segs[i].at)
                .collect(),
        );
        let mut ys = cluster(
            members
                .iter()
                .filter(|&&i| segs[i].horizontal)
                .map(|&i| segs[i].at)
                .collect(),
        );
        ys.reverse();
        if xs.len() < 3 || ys.len() < 2 {
            continue;
        }
        let nr = ys.len() - 1;
        let nc = xs.len() - 1;
        if nr.saturating_mul(nc) > super::doc_builder::MAX_TABLE_CELLS {
            continue;
        }
        let covers = |horizontal: bool, at: f32, mid: f32| {
            members.iter().any(|&i| {
                let s = segs[i];
                s.horizontal == horizontal
                    && (s.at - at).abs() <= TOL
                    && s.from - TOL <= mid
                    && s.to + TOL >= mid
            })
        };
        let mut vrule = vec![vec![true; nc.saturating_sub(1)]; nr];
        let mut hrule = vec![vec![true; nc]; nr.saturating_sub(1)];
        for r in 0..nr {
            let ymid = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..nc.saturating_sub(1) {
                vrule[r][c] = covers(false, xs[c + 1], ymid);
            }
        }
        for r in 0..nr.saturating_sub(1) {
            for c in 0..nc {
                let xmid = (xs[c] + xs[c + 1]) / 2.0;
                hrule[r][c] = covers(true, ys[r + 1], xmid);
            }
        }
        // Pad so that indexing by (row, col) in `fill` is total.
        for row in &mut vrule {
            row.push(true);
        }
        hrule.push(vec![true; nc]);
        out.push(Lattice {
            xs,
            ys,
            vrule,
            hrule,
        });
    }
    out
}

/// Pages to paragraphs and tables, in order.
fn assemble(pages: Vec<Page>) -> Result<Document, ReadError> {
    enum Out {
        Para(String, usize),
        Tab(Vec<String>, usize),
        Table(TableBox, Vec<usize>),
    }
    let mut out: Vec<Out> = Vec::new();
    // The last text line of the previous page, if it ran to the right margin.
    let mut open = false;
    for page in &pages {
        let indent = page.left;
        let reach = page.right;
        let mut prev: Option<&Line> = None;
        for (k, item) in page.items.iter().enumerate() {
            match item {
                Item::Table(t) => {
                    open = false;
                    prev = None;
                    // A table continued from the previous page: same columns, at the top.
                    if k == 0
                        && let Some(Out::Table(last, row_pages)) = out.last_mut()
                        && last.cols.len() == t.cols.len()
                        && last
                            .cols
                            .iter()
                            .zip(&t.cols)
                            .all(|(a, b)| (a - b).abs() <= TOL * 2.0)
                    {
                        last.join(t);
                        row_pages.extend(std::iter::repeat_n(page.number, t.nrows));
                        continue;
                    }
                    out.push(Out::Table(t.clone(), vec![page.number; t.nrows]));
                }
                Item::Line(l) if l.text.contains('\t') => {
                    open = false;
                    prev = Some(l);
                    match out.last_mut() {
                        Some(Out::Tab(v, _)) => v.push(l.text.clone()),
                        _ => out.push(Out::Tab(vec![l.text.clone()], page.number)),
                    }
                }
                Item::Line(l) => {
                    let em = l.size.max(1.0);
                    let continues = match prev {
                        // Same page: the previous line ran to the margin, this one is not
                        // indented, and it follows at the normal line distance.
                        Some(p) => {
                            let full = p.x1 >= reach - em * 1.5;
                            // A line wrapped early because the next word (a web address)
                            // did not fit: long, and not the end of a sentence.
                            let wrapped = p.x1 - indent >= (reach - indent) * 0.7
                                && !p
                                    .text
                                    .ends_with(['。', '；', '！', '？', '：', '.', ';', ':'])
                                && !starts_with_marker(&l.text);
                            // A centred title wrapped over two lines.
                            let centre = (indent + reach) / 2.0;
                            let centred = |x0: f32, x1: f32| ((x0 + x1) / 2.0 - centre).abs() <= em;
                            let title = centred(p.x0, p.x1)
                                && centred(l.x0, l.x1)
                                && p.size >= page.body_size * 1.15
                                && p.x1 - p.x0 >= (reach - indent) * 0.8;
                            !p.text.contains('\t')
                                && ((full || wrapped) && l.x0 <= indent + em * 0.5 || title)
                                && (p.y - l.y) <= em * 2.2
                                && (p.size - l.size).abs() <= em * 0.25
                        }
                        // First line of a page: continues the last paragraph of the previous
                        // page when that one ran to the margin.
                        None => open && k == 0 && l.x0 <= indent + em * 0.5,
                    };
                    if continues && let Some(Out::Para(t, _)) = out.last_mut() {
                        let joint_space =
                            t.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                                && l.text
                                    .chars()
                                    .next()
                                    .is_some_and(|c| c.is_ascii_alphanumeric());
                        if joint_space {
                            t.push(' ');
                        }
                        t.push_str(&l.text);
                    } else {
                        out.push(Out::Para(l.text.clone(), page.number));
                    }
                    open = l.x1 >= reach - em * 1.5;
                    prev = Some(l);
                }
            }
        }
        if !matches!(page.items.last(), Some(Item::Line(_))) {
            open = false;
        }
    }
    let mut b = Builder::new();
    for o in out {
        match o {
            Out::Para(t, p) => {
                b.set_page(p);
                b.paragraph(&t, None);
            }
            Out::Tab(lines, p) => {
                b.set_page(p);
                b.paragraph(&lines.join("\n"), None);
            }
            Out::Table(t, row_pages) => {
                b.set_page(row_pages.first().copied().unwrap_or(1));
                b.table_paged(t.rows(), &row_pages)?;
            }
        }
    }
    Ok(b.finish("UTF-8", Format::Pdf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expansion_limit_message_names_the_limit() {
        let whole = include_bytes!("../../fixtures/inputs/qingshan.pdf");
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
        let whole = include_bytes!("../../fixtures/inputs/qingshan.pdf");
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
}
