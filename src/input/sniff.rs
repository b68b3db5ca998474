//! Recognises a file's format from its first bytes (its signature), not from its name:
//! offices rename files, web sites serve Word files saved as web pages with a `.doc` name,
//! and a `.docx` is sometimes a renamed `.doc`.
//!
//! This module must not decode or interpret text.

/// What the bytes look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    /// A zip container: .docx, .ofd, .xlsx, .odt, or a plain archive.
    Zip,
    /// An OLE compound file: Word 97-2003, WPS, Excel 97-2003, or a password-protected
    /// Office file (which is an OLE file holding an `EncryptedPackage`).
    Ole(Ole),
    Rtf,
    /// Word 2003 XML (`<w:wordDocument>`).
    WordXml,
    /// A web page saved as one file (.mht).
    Mht,
    Image(&'static str),
    Html,
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ole {
    Encrypted,
    Word,
    Excel,
    PowerPoint,
    Other,
}

pub(crate) fn sniff(bytes: &[u8]) -> Kind {
    // The PDF header may follow a little junk (PDF 32000-1, annex H.3: within 1024 bytes).
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Kind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return Kind::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Ole(ole_kind(bytes));
    }
    if let Some(img) = image(bytes) {
        return Kind::Image(img);
    }
    // Every text signature below starts with `{`, `<`, `m` or `f` after white space: plain
    // text (the usual report) is told apart without building the head.
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = body
            .iter()
            .take(2048)
            .find(|&&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c));
        if !matches!(first, Some(b'{' | b'<' | b'm' | b'M' | b'f' | b'F')) {
            return Kind::Text;
        }
    }
    let head = ascii_head(bytes);
    let t = head.trim_start();
    if t.starts_with("{\\rtf") {
        return Kind::Rtf;
    }
    if t.starts_with("mime-version:") || (t.starts_with("from:") && head.contains("mime-version:"))
    {
        return Kind::Mht;
    }
    if t.starts_with("<?xml") && head.contains("<w:worddocument") {
        return Kind::WordXml;
    }
    if t.starts_with('<') {
        const MARKS: &[&str] = &[
            "<!doctype html",
            "<html",
            "<head",
            "<body",
            "<meta",
            "<title",
            "<div",
            "<p>",
            "<p ",
            "<table",
            "<br",
            "<style",
            "<script",
        ];
        if MARKS.iter().any(|m| head.contains(m)) {
            return Kind::Html;
        }
    }
    Kind::Text
}

/// The first 2 KiB as lower-case ASCII (other characters as `?`), looking through a UTF-8
/// or UTF-16 byte-order mark, so that signatures of text formats can be matched.
fn ascii_head(bytes: &[u8]) -> String {
    let ascii = |u: u32| match u8::try_from(u) {
        Ok(b) if b.is_ascii() && b != 0 => b.to_ascii_lowercase() as char,
        _ => '?',
    };
    let utf16 = |rest: &[u8], le: bool| -> String {
        rest.chunks_exact(2)
            .take(2048)
            .map(|p| {
                let u = if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                };
                ascii(u32::from(u))
            })
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &body[..body.len().min(2048)];
    let ascii_bytes: Vec<u8> = head
        .iter()
        .map(|&b| match b {
            0 | 0x80.. => b'?',
            _ => b.to_ascii_lowercase(),
        })
        .collect();
    String::from_utf8(ascii_bytes).unwrap_or_default()
}

fn image(b: &[u8]) -> Option<&'static str> {
    Some(if b.starts_with(b"\x89PNG") {
        "PNG"
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "JPEG"
    } else if b.starts_with(b"GIF8") {
        "GIF"
    } else if b.starts_with(b"BM") && b.len() > 14 && b.get(6..10) == Some(&[0, 0, 0, 0]) {
        "BMP"
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        "TIFF"
    } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        "WebP"
    } else {
        return None;
    })
}

/// Which program wrote an OLE file, from the names of its streams (UTF-16 in the
/// directory). One linear scan per name over a file that is at most the size limit.
fn ole_kind(bytes: &[u8]) -> Ole {
    let has = |name: &str| {
        let pat: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        memchr::memmem::find(bytes, &pat).is_some()
    };
    if has("EncryptedPackage") {
        Ole::Encrypted
    } else if has("WordDocument") {
        Ole::Word
    } else if has("Workbook") || has("Book") {
        Ole::Excel
    } else if has("PowerPoint Document") {
        Ole::PowerPoint
    } else {
        Ole::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"%PDF-1.4\n"), Kind::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(sniff(b"\x89PNG\r\n"), Kind::Image("PNG"));
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Kind::Rtf);
        assert_eq!(sniff(b"\xEF\xBB\xBF\n <!DOCTYPE html><html>"), Kind::Html);
        assert_eq!(sniff("<p>一、总体情况</p>".as_bytes()), Kind::Html);
        assert_eq!(sniff("一、总体情况 <html>".as_bytes()), Kind::Text);
        assert_eq!(sniff("# 标题".as_bytes()), Kind::Text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<html><body>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(sniff(&utf16), Kind::Html);
    }

    #[test]
    fn ole_streams() {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.resize(512, 0);
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut enc = b.clone();
        enc.extend_from_slice(&name);
        assert_eq!(sniff(&enc), Kind::Ole(Ole::Encrypted));
        let name: Vec<u8> = "WordDocument"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        b.extend_from_slice(&name);
        assert_eq!(sniff(&b), Kind::Ole(Ole::Word));
    }
}
