//! Fonts: how the codes of a string operand map to characters (the font's encoding, its
//! `ToUnicode` map, or a predefined Chinese, Japanese or Korean CMap) and how far each
//! code advances (`Widths`, the `W` array of CID fonts, or an estimate).

use super::num;
use lopdf::{Dictionary, Object};
use std::collections::HashMap;

enum Decoder<'a> {
    Lopdf(lopdf::Encoding<'a>),
    Utf16Be,
    Gbk,
    Big5,
    Utf8,
    /// No way to map codes to characters.
    Unknown,
}

pub(super) struct Font<'a> {
    dec: Decoder<'a>,
    /// Type 0 (composite) font: codes of two bytes (except in the GBK CMaps).
    composite: bool,
    /// Code = CID (Identity-H), so the W array gives exact widths.
    identity: bool,
    simple_widths: Option<(u32, Vec<f32>)>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
}

pub(super) fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

impl<'a> Font<'a> {
    pub(super) fn new(doc: &'a lopdf::Document, dict: &'a Dictionary, budget: usize) -> Font<'a> {
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
    pub(super) fn show(&self, bytes: &[u8]) -> (String, f32, usize, usize) {
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

pub(super) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

fn heuristic_width(c: char) -> f32 {
    if is_wide(c) { 1000.0 } else { 500.0 }
}
