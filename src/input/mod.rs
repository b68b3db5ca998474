//! Readers: turn the bytes of one file into a [`Document`], the same model for every format.
//!
//! A `Document` is decoded text plus the structure the format already knows (paragraph
//! locations in words, table grids with merged cells, page numbers). Everything downstream
//! points into `Document::text` with byte ranges. Readers enforce explicit limits and never
//! panic; a file they cannot read becomes a [`ReadError`], which the engine reports as
//! `NB001 unreadable-file` (or `NB002 no-text-layer`) while the other files go on.
//!
//! Readers must not interpret the report (headings, numbers, sections): that is `report/`.

pub(crate) mod doc_builder;
pub mod docx;
pub(crate) mod encoding;
pub(crate) mod file;
pub mod html;
pub(crate) mod md;
pub mod pdf;
pub(crate) mod sniff;
pub(crate) mod txt;

use std::borrow::Cow;
use std::ops::Range;

/// The file format a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// Whether the text shown to the user is extracted from a richer format, so that a
    /// location in words (第3段, 第2页) helps them find the place.
    pub(crate) fn is_extracted(self) -> bool {
        matches!(self, Format::Html | Format::Docx | Format::Pdf)
    }
}

/// One cell of a table grid. A merged cell appears once with its spans; the positions it
/// covers hold a copy whose `covered_by` names the origin, so that every row has the same
/// number of columns and lookups by (row, column) need no special cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridCell {
    pub text: String,
    /// Byte range of the cell's text in `Document::text` (empty range at the cell's place
    /// when the cell is empty).
    pub span: Range<usize>,
    pub row_span: u32,
    pub col_span: u32,
    /// For a position covered by a merged cell: the (row, column) of the merged cell.
    pub covered_by: Option<(usize, usize)>,
}

/// A table as the format delivered it (HTML `<table>`, Word `w:tbl`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub span: Range<usize>,
    pub rows: Vec<Vec<GridCell>>,
    /// Ordinal of the table in the document, from 1.
    pub number: usize,
}

/// Where a stretch of text came from, in words a person can use to find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locus {
    pub span: Range<usize>,
    /// e.g. `第12段`, `第3页`.
    pub zh: String,
    pub(crate) en: String,
    /// The page (PDF), so that a check that names the place itself (`表三 “（一）予以公开”
    /// 行 “总计” 列`) can still say on which page it is.
    pub(crate) page: Option<usize>,
}

/// A decoded report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    /// Name of the text encoding that was used (`UTF-8`, `GB18030`, `UTF-16LE`, …).
    pub encoding: String,
    pub format: Format,
    /// Tables the format delivered as grids. Plain text and Markdown tables are read from
    /// the text by `report/`.
    pub grids: Vec<Grid>,
    /// Paragraph or page locations, sorted by span start and not overlapping. Empty for
    /// plain text.
    pub loci: Vec<Locus>,
    /// Paragraphs the format itself marks as headings (Word heading styles and outline
    /// levels, HTML `h1`–`h6`), sorted by span start. Empty for plain text and PDF.
    pub(crate) headings: Vec<HeadingMark>,
    /// Comments the format carries outside the text (HTML `<!-- … -->`), with the text offset
    /// where each stood, so that inline suppressions (`nblint-disable`) work in formats whose
    /// reader drops comments from the text. Markdown keeps its comments in the text itself.
    pub(crate) comments: Vec<SourceComment>,
}

/// A comment found by a reader outside `Document::text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceComment {
    /// Byte offset in `Document::text` where the comment stood.
    pub(crate) at: usize,
    /// The comment's content, without `<!--` and `-->`.
    pub(crate) text: String,
}

/// A paragraph the format marks as a heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeadingMark {
    pub(crate) span: Range<usize>,
    /// 0 for a title (Word `Title`, HTML `h1`), 1–9 for heading levels.
    pub(crate) level: u8,
}

impl Document {
    pub fn from_text(text: String, encoding: &str, format: Format) -> Document {
        Document {
            text,
            encoding: encoding.to_owned(),
            format,
            grids: Vec::new(),
            loci: Vec::new(),
            headings: Vec::new(),
            comments: Vec::new(),
        }
    }

    /// The location in words of a byte offset, if the format has them.
    pub fn locus_at(&self, offset: usize) -> Option<&Locus> {
        let i = self.loci.partition_point(|l| l.span.start <= offset);
        let l = self.loci.get(i.checked_sub(1)?)?;
        (offset <= l.span.end).then_some(l)
    }
}

/// The longest decoded text a [`Document`] may hold: 4 GiB − 1 bytes, so that every byte
/// offset into it fits a `u32` (`report/span.rs` stores lines, headings and numbers that
/// way). `--max-file-size` is at most 1 GB; decoding GB18030 or UTF-16 makes a text at most
/// half as long again, and [`read`] refuses anything longer rather than rely on that.
pub(crate) const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// Explicit resource limits for reading. Every limit is reported, never silently applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (50 MB by default).
    pub max_file_bytes: u64,
    /// Largest total size of the entries expanded from one container (zip), in bytes.
    pub max_expanded_bytes: u64,
    /// Most entries in one container.
    pub max_entries: usize,
    /// Deepest element nesting in XML or HTML.
    pub max_depth: usize,
    /// Most lines in the decoded text ([`MAX_LINES`] by default).
    pub max_lines: usize,
}

/// The most lines a text may have to be checked: two million. The report model keeps about
/// 130 bytes for every line (its line, sentence, number and heading records;
/// docs/performance.md), so a file of very short lines needs twenty or thirty times its size
/// in memory; this limit keeps that under about 300 MB for one file whatever the lines hold.
/// Real reports have a few hundred to a few thousand lines; a 50 MB text of ordinary
/// 50-byte lines has about one million.
pub const MAX_LINES: usize = 2_000_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_expanded_bytes: 200 * 1024 * 1024,
            max_entries: 10_000,
            max_depth: 256,
            max_lines: MAX_LINES,
        }
    }
}

/// Why a file could not be read. Each variant says what is wrong and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("file is empty")]
    Empty,
    /// `size` is `None` when the file system did not know it (standard input, a file that
    /// grew while it was read): the read stopped past the limit.
    #[error("file is over the limit of {limit} bytes")]
    TooLarge { size: Option<u64>, limit: u64 },
    /// A FIFO, a device, a socket: reading it may never end. Only standard input (`-`) is
    /// read from a pipe.
    #[error("not a regular file")]
    NotRegular { kind: file::Special },
    #[error("file looks binary")]
    Binary,
    #[error("bytes are neither UTF-8, UTF-16 with BOM, nor GB18030")]
    Undecodable,
    #[error("file not found")]
    NotFound,
    #[error("permission denied")]
    PermissionDenied,
    #[error("cannot read file: {0}")]
    Io(String),
    #[error("unsupported format: {format}")]
    Unsupported { format: String, save_as: String },
    #[error("corrupt {format} file: {detail}")]
    Corrupt { format: String, detail: String },
    #[error("{what_en} exceeds the limit of {limit}")]
    Limit {
        what: String,
        what_en: String,
        limit: String,
    },
    #[error("encrypted {format} file")]
    Encrypted { format: String },
    #[error("no text layer")]
    NoTextLayer { pages: usize },
    /// A PDF whose fonts have no mapping to Unicode: the text comes out as garbage.
    #[error("text layer cannot be decoded")]
    UnmappedFonts { pages: usize },
    /// The extension promises one format and the content is another (a `.doc` renamed to
    /// `.docx`).
    #[error("file named .{ext} is really {actual}")]
    Renamed {
        ext: String,
        actual: String,
        save_as: String,
    },
    /// A reader stopped on something it could not handle (a panic in a parser, caught).
    #[error("internal error while reading {format}")]
    Internal { format: String },
}

impl ReadError {
    /// True when the file was read but has no text to check (NB002), as opposed to a file
    /// that could not be read at all (NB001).
    pub(crate) fn is_no_text(&self) -> bool {
        matches!(
            self,
            ReadError::NoTextLayer { .. } | ReadError::UnmappedFonts { .. }
        )
    }

    /// The reason, in the chosen language, as a plain sentence.
    pub(crate) fn reason(&self, lang: crate::diagnostic::Lang) -> String {
        use crate::diagnostic::Lang::*;
        match (self, lang) {
            (ReadError::Empty, Zh) => "文件是空的".into(),
            (ReadError::Empty, En) => "the file is empty".into(),
            (
                ReadError::TooLarge {
                    size: Some(size),
                    limit,
                },
                Zh,
            ) => format!(
                "文件大小 {} 超过上限 {}，未读取",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            (
                ReadError::TooLarge {
                    size: Some(size),
                    limit,
                },
                En,
            ) => format!(
                "the file is {}, over the limit of {}; it was not read",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            (ReadError::TooLarge { size: None, limit }, Zh) => {
                format!(
                    "内容超过上限 {}（{} 字节），未检查",
                    human_bytes(*limit),
                    limit
                )
            }
            (ReadError::TooLarge { size: None, limit }, En) => format!(
                "the content is over the limit of {} ({} bytes); it was not checked",
                human_bytes(*limit),
                limit
            ),
            (ReadError::NotRegular { kind }, Zh) => {
                format!("这不是普通文件，而是{}，未读取", kind.zh())
            }
            (ReadError::NotRegular { kind }, En) => {
                format!("this is {}, not a regular file; it was not read", kind.en())
            }
            (ReadError::Binary, Zh) => "文件内容是二进制数据，不是文本".into(),
            (ReadError::Binary, En) => "the file holds binary data, not text".into(),
            (ReadError::Undecodable, Zh) => {
                "无法识别文件的文字编码（既不是 UTF-8、带 BOM 的 UTF-16，也不是 GB18030/GBK）"
                    .into()
            }
            (ReadError::Undecodable, En) => {
                "the text encoding is not UTF-8, UTF-16 with a BOM, or GB18030/GBK".into()
            }
            (ReadError::NotFound, Zh) => "文件不存在".into(),
            (ReadError::NotFound, En) => "the file does not exist".into(),
            (ReadError::PermissionDenied, Zh) => "没有读取这个文件的权限".into(),
            (ReadError::PermissionDenied, En) => "permission to read the file was denied".into(),
            (ReadError::Io(e), Zh) => format!("无法读取文件：{e}"),
            (ReadError::Io(e), En) => format!("the file cannot be read: {e}"),
            (ReadError::Unsupported { format, .. }, Zh) => format!("不支持 {format} 格式"),
            (ReadError::Unsupported { format, .. }, En) => {
                format!("the {format} format is not supported")
            }
            (ReadError::Corrupt { format, detail }, Zh) => {
                format!("{format} 文件已损坏或不完整：{detail}")
            }
            (ReadError::Corrupt { format, detail }, En) => {
                format!("the {format} file is damaged or incomplete: {detail}")
            }
            (ReadError::Limit { what, limit, .. }, Zh) => {
                format!("{what}超过上限 {limit}，停止读取")
            }
            (ReadError::Limit { what_en, limit, .. }, En) => {
                format!("the {what_en} exceeds the limit of {limit}; reading stopped")
            }
            (ReadError::Encrypted { format }, Zh) => format!("{format} 文件已加密，无法提取文字"),
            (ReadError::Encrypted { format }, En) => {
                format!("the {format} file is encrypted; its text cannot be extracted")
            }
            (ReadError::NoTextLayer { pages }, Zh) => {
                format!("PDF 共 {pages} 页，但没有可提取的文字（可能是扫描件或图片）")
            }
            (ReadError::NoTextLayer { pages }, En) => format!(
                "the PDF has {pages} page(s) but no extractable text (probably a scan or images)"
            ),
            (ReadError::UnmappedFonts { pages }, Zh) => {
                format!("PDF 共 {pages} 页，但字体没有 Unicode 对照表，提取出的文字是乱码")
            }
            (ReadError::UnmappedFonts { pages }, En) => format!(
                "the PDF has {pages} page(s) but its fonts have no Unicode mapping; the extracted text is garbage"
            ),
            (ReadError::Renamed { ext, actual, .. }, Zh) => {
                format!("文件扩展名是 .{ext}，但内容其实是 {actual} 文件（可能只改了扩展名）")
            }
            (ReadError::Renamed { ext, actual, .. }, En) => format!(
                "the file is named .{ext} but is really {actual} (probably only the extension was changed)"
            ),
            (ReadError::Internal { format }, Zh) => {
                format!("读取 {format} 文件时遇到无法处理的内容，读取程序中止")
            }
            (ReadError::Internal { format }, En) => {
                format!("reading the {format} file hit content the reader cannot handle")
            }
        }
    }

    /// What the user can do about it.
    pub(crate) fn advice(&self, lang: crate::diagnostic::Lang) -> String {
        use crate::diagnostic::Lang::*;
        match (self, lang) {
            (ReadError::Empty, Zh) => "请确认保存的是报告全文".into(),
            (ReadError::Empty, En) => "make sure the whole report was saved".into(),
            (ReadError::TooLarge { .. }, Zh) => {
                "确认这是报告文件；如确需检查，可用 --max-file-size 提高上限".into()
            }
            (ReadError::TooLarge { .. }, En) => {
                "check that this is a report; raise the limit with --max-file-size if needed".into()
            }
            (ReadError::Binary | ReadError::Undecodable, Zh) => {
                "请另存为 UTF-8 编码的 .txt，或 .docx、.html、.pdf 文件后再检查".into()
            }
            (ReadError::Binary | ReadError::Undecodable, En) => {
                "save it as UTF-8 .txt, or as .docx, .html or .pdf, and check again".into()
            }
            (ReadError::NotRegular { .. }, Zh) => {
                "请指定报告文件本身；要从管道读取，请用“-”表示标准输入".into()
            }
            (ReadError::NotRegular { .. }, En) => {
                "name the report file itself; to read from a pipe, use - for standard input".into()
            }
            (ReadError::NotFound, Zh) => "检查路径是否写对".into(),
            (ReadError::NotFound, En) => "check the path".into(),
            (ReadError::PermissionDenied, Zh) => {
                "请让管理员开放读取权限，或把文件复制到自己的目录再检查".into()
            }
            (ReadError::PermissionDenied, En) => {
                "ask for read permission, or copy the file and check the copy".into()
            }
            (ReadError::Io(_), Zh) => "检查文件是否存在、是否有读取权限".into(),
            (ReadError::Io(_), En) => "check that the file exists and can be read".into(),
            (ReadError::Unsupported { format, .. }, Zh) if format.starts_with("图片") => {
                "图片里的文字无法核对；请检查报告的 Word 原稿（.docx）或带文字层的 PDF".into()
            }
            (ReadError::Unsupported { format, .. }, En) if format.starts_with("图片") => {
                "text in a picture cannot be checked; check the Word original (.docx) or a PDF with a text layer".into()
            }
            (ReadError::Unsupported { save_as, .. }, Zh) => format!("请在原软件中另存为 {save_as}"),
            (ReadError::Unsupported { save_as, .. }, En) => {
                format!("open it in its program and save it as {save_as}")
            }
            (ReadError::Corrupt { .. }, Zh) => "请用原软件重新打开并另存一次，或重新下载".into(),
            (ReadError::Corrupt { .. }, En) => {
                "open it in its program and save it again, or download it again".into()
            }
            (ReadError::Limit { .. }, Zh) => "这不像正常的报告文件；请确认来源后另存再检查".into(),
            (ReadError::Limit { .. }, En) => {
                "this does not look like a normal report; check its origin and save it again".into()
            }
            (ReadError::Encrypted { .. }, Zh) => "请取消文档密码保护后另存再检查".into(),
            (ReadError::Encrypted { .. }, En) => {
                "remove the password protection, save it and check again".into()
            }
            (ReadError::NoTextLayer { .. } | ReadError::UnmappedFonts { .. }, Zh) => {
                "请检查报告的 Word 原稿，或发布带文字层的 PDF（扫描件无法核对表格和数字）".into()
            }
            (ReadError::NoTextLayer { .. } | ReadError::UnmappedFonts { .. }, En) => {
                "check the Word original, or publish a PDF with a text layer".into()
            }
            (ReadError::Renamed { save_as, .. }, Zh) => {
                format!("请用 Word 或 WPS 打开后“另存为” {save_as}，不要只改扩展名")
            }
            (ReadError::Renamed { save_as, .. }, En) => format!(
                "open it in Word or WPS and use Save As {save_as}; renaming is not enough"
            ),
            (ReadError::Internal { .. }, Zh) => {
                "请用原软件打开后另存一次再检查；如仍出错，请把文件发给 nblint 的维护者".into()
            }
            (ReadError::Internal { .. }, En) => {
                "save it again from its program and check again; if it persists, send the file to the nblint maintainers".into()
            }
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            _ => ReadError::Io(e.to_string()),
        }
    }
}

pub(crate) fn human_bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if n >= MB {
        format!("{:.1} MB", n as f64 / MB as f64)
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// Lower-case extension of a path name, without the dot.
pub(crate) fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Extensions checked when a directory is walked. Whatever the extension, a file is read
/// according to its content (a `.doc` that is really a web page is read as one).
#[cfg(test)]
pub(crate) const CHECKED_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "docx", "html", "htm", "shtml", "pdf",
];

/// Extensions of report formats nblint cannot read. A directory walk includes them, so that
/// each gets a clear NB001 saying what to save it as, instead of being skipped in silence
/// (a report nobody checked is worse than a finding). Images are not listed: a folder of
/// reports often holds photos and seals, and they are checked only when named.
#[cfg(test)]
pub(crate) const REPORTED_EXTENSIONS: &[&str] = &["doc", "wps", "ofd", "rtf"];

/// Extensions a directory walk picks up: the checked ones and the reported ones.
pub(crate) const WALKED_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "docx", "html", "htm", "shtml", "pdf", "doc", "wps", "ofd", "rtf",
];

/// Reads one file's bytes into a [`Document`]. The format is recognised from the content;
/// `name` (its extension) only decides between Markdown and plain text, and names the
/// format in messages about files that were renamed.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    read_cow(name, Cow::Borrowed(bytes), limits)
}

/// [`read`] for bytes the caller no longer needs: a large UTF-8 text file's buffer becomes the
/// document's text in place instead of being copied ([`encoding::decode_owned`]), so that the
/// file is not in memory twice while it is checked. The result is the same as [`read`]'s.
pub fn read_owned(name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Document, ReadError> {
    read_cow(name, Cow::Owned(bytes), limits)
}

fn read_cow(name: &str, input: Cow<'_, [u8]>, limits: &Limits) -> Result<Document, ReadError> {
    let bytes: &[u8] = &input;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: Some(bytes.len() as u64),
            limit: limits.max_file_bytes,
        });
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let ext = extension(name);
    let kind = sniff::sniff(bytes);
    if let Some(err) = unsupported(&ext, kind, bytes) {
        return Err(err);
    }
    let doc = match kind {
        sniff::Kind::Pdf => guarded("PDF", || pdf::read(bytes, limits))?,
        sniff::Kind::Zip => guarded("Word (.docx)", || docx::read(bytes, &ext, limits))?,
        sniff::Kind::Html => guarded("HTML", || html::read(bytes, limits))?,
        _ => {
            let text = match ext.as_str() {
                "md" | "markdown" => md::read(input),
                // A web page saved without its <html> head (a fragment) is still a web page.
                "html" | "htm" | "shtml" | "xhtml" => guarded("HTML", || html::read(bytes, limits)),
                _ => txt::read(input),
            };
            match (text, container(&ext)) {
                // A .docx or .pdf that is neither its format nor text (cut short, damaged,
                // something else renamed): say what the name promised, not "binary data".
                (Err(ReadError::Binary | ReadError::Undecodable), Some((format, what))) => {
                    return Err(ReadError::Corrupt {
                        format: format.into(),
                        detail: format!(
                            "文件开头不是{what}的格式（可能没有下载完整，或者是别的文件改了扩展名） (the content is not {format})"
                        ),
                    });
                }
                (text, _) => text?,
            }
        }
    };
    if doc.text.len() > MAX_TEXT_BYTES {
        return Err(ReadError::Limit {
            what: "解码后的文字长度".into(),
            what_en: "decoded text length".into(),
            limit: format!("{MAX_TEXT_BYTES} B"),
        });
    }
    // A text of fewer bytes than the limit cannot have more lines: counted only when needed.
    if doc.text.len() >= limits.max_lines {
        // Lines as an editor counts them: a final line break does not start another line.
        let breaks = memchr::memchr_iter(b'\n', doc.text.as_bytes()).count();
        let lines = breaks + usize::from(!doc.text.ends_with('\n'));
        if lines > limits.max_lines {
            return Err(ReadError::Limit {
                what: format!("文字行数 {} ", thousands(lines)),
                what_en: format!("number of lines, {},", thousands(lines)),
                limit: thousands(limits.max_lines),
            });
        }
    }
    if doc.text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(doc)
}

/// The format a container extension promises, and its name in a sentence: (`Word (.docx)`,
/// `Word 文件`).
fn container(ext: &str) -> Option<(&'static str, &'static str)> {
    match ext {
        "docx" => Some(("Word (.docx)", " Word 文件")),
        "pdf" => Some(("PDF", " PDF 文件")),
        _ => None,
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Runs a reader of a third-party parser so that a bug in the parser (a panic) becomes an
/// unreadable file (NB001) instead of stopping the run. Our own code must not panic; the
/// fuzz targets look for panics with this guard off (`fuzz/`).
fn guarded(
    format: &str,
    f: impl FnOnce() -> Result<Document, ReadError>,
) -> Result<Document, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(ReadError::Internal {
            format: format.to_owned(),
        }),
    }
}

/// Formats we recognise and cannot read, by content first and by extension for files whose
/// content says nothing (binary data under a known name).
fn unsupported(ext: &str, kind: sniff::Kind, bytes: &[u8]) -> Option<ReadError> {
    use sniff::{Kind, Ole};
    let un = |format: &str, save_as: &str| {
        Some(ReadError::Unsupported {
            format: format.to_owned(),
            save_as: save_as.to_owned(),
        })
    };
    let renamed = |actual: &str, save_as: &str| {
        Some(ReadError::Renamed {
            ext: ext.to_owned(),
            actual: actual.to_owned(),
            save_as: save_as.to_owned(),
        })
    };
    const WORD97: &str = "Word 97-2003 (.doc)";
    match kind {
        Kind::Ole(Ole::Encrypted) => Some(ReadError::Encrypted {
            format: "Word/Office".into(),
        }),
        Kind::Ole(Ole::Word) => match ext {
            "doc" | "dot" => un(WORD97, ".docx"),
            "wps" | "wpt" => un("WPS 文字 (.wps)", ".docx"),
            "" => un(WORD97, ".docx"),
            _ => renamed(WORD97, ".docx"),
        },
        Kind::Ole(Ole::Excel) => un("Excel 97-2003 (.xls)", ".docx（把报告正文放进 Word 文档）"),
        Kind::Ole(Ole::PowerPoint) => un("PowerPoint 97-2003 (.ppt)", ".docx 或 .pdf"),
        Kind::Ole(Ole::Other) => match ext {
            "wps" | "wpt" => un("WPS 文字 (.wps)", ".docx"),
            "doc" | "" => un(WORD97, ".docx"),
            _ => renamed("Office 97-2003 文件", ".docx"),
        },
        Kind::Rtf => un("RTF", ".docx"),
        Kind::WordXml => un("Word 2003 XML", ".docx"),
        Kind::Mht => un("MHT 单个网页文件 (.mht)", ".html（网页，仅 HTML）"),
        Kind::Image(img) => un(&format!("图片 ({img})"), ".docx 或带文字层的 .pdf"),
        Kind::Text if encoding::looks_binary(bytes) => match ext {
            "doc" | "dot" => un(WORD97, ".docx"),
            "wps" | "wpt" => un("WPS 文字 (.wps)", ".docx"),
            "ofd" => un("OFD", ".pdf 或 .docx"),
            "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "webp" => {
                un("图片 (image)", ".docx 或带文字层的 .pdf")
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_parser_becomes_an_unreadable_file() {
        let r = guarded("PDF", || panic!("a bug in a third-party parser"));
        assert_eq!(
            r,
            Err(ReadError::Internal {
                format: "PDF".into()
            })
        );
    }

    #[test]
    fn walked_is_checked_and_reported() {
        let both: Vec<&str> = CHECKED_EXTENSIONS
            .iter()
            .chain(REPORTED_EXTENSIONS)
            .copied()
            .collect();
        assert_eq!(both, WALKED_EXTENSIONS);
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a/b/report.TXT"), "txt");
        assert_eq!(extension(".gitignore"), "");
        assert_eq!(extension("noext"), "");
    }

    #[test]
    fn empty_and_large() {
        let l = Limits {
            max_file_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(read("a.txt", b"", &l), Err(ReadError::Empty));
        assert!(matches!(
            read("a.txt", b"12345", &l),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(
            read("a.txt", b"  \n\n", &Limits::default()),
            Err(ReadError::Empty)
        );
    }

    #[test]
    fn a_text_of_more_lines_than_the_limit_is_not_read() {
        let l = Limits {
            max_lines: 3,
            ..Limits::default()
        };
        assert!(read("a.txt", "一\n二\n三".as_bytes(), &l).is_ok());
        // A final line break does not make a fourth line.
        assert!(read("a.txt", "一\n二\n三\n".as_bytes(), &l).is_ok());
        assert!(read("a.txt", "一\n二\n三\n\n".as_bytes(), &l).is_err());
        let err = read("a.txt", "一\n二\n三\n四".as_bytes(), &l).unwrap_err();
        assert_eq!(
            err.reason(crate::diagnostic::Lang::Zh),
            "文字行数 4 超过上限 3，停止读取"
        );
        assert_eq!(
            err.reason(crate::diagnostic::Lang::En),
            "the number of lines, 4, exceeds the limit of 3; reading stopped"
        );
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn doc_is_unsupported() {
        let b = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(matches!(
            read("x.doc", &b, &Limits::default()),
            Err(ReadError::Unsupported { .. })
        ));
        assert!(matches!(
            read("x.docx", &b, &Limits::default()),
            Err(ReadError::Renamed { .. })
        ));
        assert!(matches!(
            read("x.wps", &b, &Limits::default()),
            Err(ReadError::Unsupported { format, .. }) if format.contains("WPS")
        ));
    }

    #[test]
    fn content_decides_the_format() {
        // A web page saved with a .doc name (common on government sites) is read as HTML.
        let page = "<html><body><p>一、总体情况</p></body></html>";
        let d = read("x.doc", page.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(d.format, Format::Html);
        // A photo named .txt is still a photo.
        assert!(matches!(
            read("x.txt", b"\x89PNG\r\n\x1a\n\0\0", &Limits::default()),
            Err(ReadError::Unsupported { .. })
        ));
        // Binary junk under a .docx or .pdf name is a damaged file of that format, not
        // "binary data"; text under such a name is still read as text.
        for (name, format) in [("x.docx", "Word (.docx)"), ("x.pdf", "PDF")] {
            match read(name, &[0u8, 1, 2, 3, 4, 5, 0xff, 0xfe], &Limits::default()) {
                Err(ReadError::Corrupt { format: f, detail }) => {
                    assert_eq!(f, format);
                    assert!(detail.contains("没有下载完整"), "{detail}");
                }
                other => panic!("{name}: {other:?}"),
            }
            let d = read(name, "一、总体情况".as_bytes(), &Limits::default()).unwrap();
            assert_eq!(d.text, "一、总体情况");
        }
        assert_eq!(
            read(
                "x.txt",
                &[0u8, 1, 2, 3, 4, 5, 0xff, 0xfe],
                &Limits::default()
            )
            .err(),
            Some(ReadError::Binary)
        );
        // Binary junk under a .doc name says what a .doc is.
        let junk = [0u8, 1, 2, 3, 4, 5, 0xff, 0xfe];
        assert!(matches!(
            read("x.doc", &junk, &Limits::default()),
            Err(ReadError::Unsupported { .. })
        ));
    }

    #[test]
    fn locus_lookup() {
        let mut d = Document::from_text("abcdef".into(), "UTF-8", Format::Docx);
        d.loci.push(Locus {
            span: 0..3,
            zh: "第1段".into(),
            en: "paragraph 1".into(),
            page: None,
        });
        d.loci.push(Locus {
            span: 4..6,
            zh: "第2段".into(),
            en: "paragraph 2".into(),
            page: None,
        });
        assert_eq!(d.locus_at(1).unwrap().zh, "第1段");
        assert_eq!(d.locus_at(5).unwrap().zh, "第2段");
        assert!(d.locus_at(100).is_none());
    }
}
