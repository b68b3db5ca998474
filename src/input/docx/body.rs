//! The body: a streaming parser of document.xml (and of footnotes.xml, endnotes.xml and
//! comments.xml, which hold the same paragraphs) into blocks: paragraphs with their style,
//! list number, outline level, note and comment references and text boxes; tables with
//! their merged cells. Deleted text, field codes, hidden text and `mc:Fallback` are skipped.

use super::{W_NS, attr, corrupt, is_w};
use crate::input::doc_builder::check_depth;
use crate::input::{Limits, ReadError};
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Default)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) style: Option<String>,
    pub(super) num: Option<(String, usize)>,
    pub(super) num_set: bool,
    pub(super) outline: Option<u8>,
    pub(super) notes: Vec<(NoteKind, String)>,
    /// Ids of the Word comments attached here (`commentRangeStart`, `commentReference`).
    pub(super) comments: Vec<String>,
    pub(super) boxes: Vec<Vec<Block>>,
}

#[derive(Debug, Default)]
pub(super) struct Tc {
    pub(super) span: u32,
    /// `Some(true)`: starts a vertical merge; `Some(false)`: continues the one above.
    pub(super) vmerge: Option<bool>,
    pub(super) hmerge_continue: bool,
    pub(super) blocks: Vec<Block>,
}

#[derive(Debug, Default)]
pub(super) struct Row {
    pub(super) before: u32,
    pub(super) cells: Vec<Tc>,
}

#[derive(Debug)]
pub(super) enum Block {
    Para(Para),
    Table(Vec<Row>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum NoteKind {
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

pub(super) struct Parsed {
    body: Vec<Block>,
    pub(super) notes: Vec<(String, Vec<Block>)>,
}

pub(super) fn parse_body(xml: &str, limits: &Limits) -> Result<Vec<Block>, ReadError> {
    parse_xml(xml, limits).map(|p| p.body)
}

/// Parses document.xml (blocks of the body) or footnotes.xml/endnotes.xml (notes).
pub(super) fn parse_xml(xml: &str, limits: &Limits) -> Result<Parsed, ReadError> {
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
