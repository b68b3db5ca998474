//! `--format html`: one self-contained page (no network, works from `file://`) showing each
//! file's summary, its text with the findings marked where they are, the findings in plain
//! words, and the statistical tables as read.
//!
//! The same template serves the browser page (web/, [`page`]), which checks files inside the
//! browser with the library built for WebAssembly: one view, two sources of data, so the
//! report a county sends back and the page a clerk opens cannot drift apart. The template
//! (`web/view.html`, `view.css`, `view.js`) renders from the JSON objects of
//! `super::view::file_json`; this emitter embeds them, the page computes them.

use super::FileReport;
use super::view::file_json;
use super::{Emitter, Rendered, Stream, Summary};
use std::io::{self, Write};

const TEMPLATE: &str = include_str!("web/view.html");
const STYLE: &str = include_str!("web/view.css");
const SCRIPT: &str = include_str!("web/view.js");
const DATA: &str = "{{data}}";

/// Which source of data the view has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Findings embedded by `nblint check --format html`.
    Report,
    /// The browser page: files dropped in, checked by the embedded WebAssembly.
    Page,
}

/// The template around the data, with everything but the data filled in.
fn parts(mode: Mode, wasm_base64: &str) -> (String, String) {
    let mode = match mode {
        Mode::Report => "report",
        Mode::Page => "page",
    };
    let filled = TEMPLATE
        .replace("{{mode}}", mode)
        .replace("{{version}}", env!("CARGO_PKG_VERSION"))
        .replace("{{style}}", STYLE);
    let (head, tail) = filled.split_once(DATA).unwrap_or((&filled, ""));
    // The script and the WebAssembly go in last: neither may be searched for placeholders.
    let tail = tail
        .replace("{{wasm}}", wasm_base64)
        .replace("{{script}}", SCRIPT);
    (head.to_owned(), tail)
}

/// The browser page, with the WebAssembly module of web/ inlined: `wasm_gz` is the module
/// gzipped (the page inflates it with the browser's `DecompressionStream`).
pub fn page(wasm_gz: &[u8]) -> String {
    let (head, tail) = parts(Mode::Page, &base64(wasm_gz));
    format!("{head}[]{tail}")
}

/// Standard base64 with padding (the page decodes it with `atob`).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `--format html`. Files are rendered as the view's JSON objects on the worker threads;
/// findings across reports become objects of their own that the script merges into the
/// file's entry.
#[derive(Default)]
pub(crate) struct Html;

impl Emitter for Html {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(parts(Mode::Report, "").0.as_bytes())?;
        w.write_all(b"[")
    }

    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        out.item();
        out.bytes.extend_from_slice(file_json(f).as_bytes());
        Ok(())
    }

    fn render_cross(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        if !f.diagnostics.is_empty() {
            self.render_file(out, f)?;
        }
        Ok(())
    }

    fn write(&self, s: &mut Stream, w: &mut dyn Write, r: &Rendered) -> io::Result<()> {
        Stream::join(&mut s.items, w, r)
    }

    fn end(&self, _s: &mut Stream, w: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        w.write_all(b"\n]")?;
        w.write_all(parts(Mode::Report, "").1.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn template_has_every_placeholder_once() {
        for p in ["{{data}}", "{{wasm}}", "{{script}}", "{{style}}"] {
            assert_eq!(TEMPLATE.matches(p).count(), 1, "{p}");
        }
        let page = page(b"\0asm");
        assert!(page.contains("AGFzbQ=="));
        assert!(!page.contains("{{"), "unfilled placeholder");
        assert!(!SCRIPT.contains("</script"));
    }
}
