//! Content interpretation: runs the operators of a page's content stream (and of the form
//! XObjects it draws) with the graphics and text state, and keeps every piece of text with
//! its position and size, and every straight rule (table borders), in user space.

use super::fonts::{Font, deref};
use super::{M, num, nums};
use crate::input::ReadError;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};

/// Saved graphics states kept (`q` beyond this is ignored).
const MAX_GSTATE: usize = 64;
/// Form XObjects inside form XObjects.
const MAX_FORM_DEPTH: usize = 4;

/// A piece of text on the page, in user space (points, y upwards).
#[derive(Clone, Debug)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) y: f32,
    pub(super) size: f32,
}

/// A horizontal or vertical rule.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg {
    pub(super) horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    pub(super) at: f32,
    pub(super) from: f32,
    pub(super) to: f32,
}

#[derive(Default)]
pub(super) struct RawPage {
    pub(super) number: usize,
    pub(super) runs: Vec<Run>,
    pub(super) segs: Vec<Seg>,
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

pub(super) struct Interp<'a, 'b> {
    doc: &'a lopdf::Document,
    budget: &'b mut usize,
    /// The whole file's limit, for the message (the budget is what is left of it).
    limit: u64,
    fonts: Vec<Font<'a>>,
    font_ids: HashMap<*const Dictionary, usize>,
    page: RawPage,
}

impl<'a, 'b> Interp<'a, 'b> {
    pub(super) fn new(doc: &'a lopdf::Document, budget: &'b mut usize, limit: u64) -> Self {
        Interp {
            doc,
            budget,
            limit,
            fonts: Vec::new(),
            font_ids: HashMap::new(),
            page: RawPage::default(),
        }
    }

    pub(super) fn page(mut self, id: ObjectId) -> Result<RawPage, ReadError> {
        let content = match self.doc.get_page_content_with_limit(id, *self.budget) {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) => {
                return Err(ReadError::Limit {
                    what: "PDF 解压后的大小".into(),
                    what_en: "expanded size".into(),
                    limit: crate::input::human_bytes(self.limit),
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
