//! Turns bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030/GBK when
//! the bytes are not UTF-8 (the usual case for Chinese government web pages and old Word
//! exports). Never guesses silently: bytes that decode cleanly in none of these are an error.
//!
//! This module must not interpret the text; it only decodes.

use super::ReadError;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text and the name of the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) encoding: &'static str,
}

/// From this size on, [`decode_owned`] keeps a UTF-8 file's buffer as its text instead of
/// copying it. `String::from_utf8` validates several times slower than `simdutf8` on Chinese
/// text (about 1 GB/s against 6 GB/s here), so small files, where the copy costs nothing in
/// memory, take the fast path; a large one would otherwise hold its bytes and its text at
/// once (issue 13: peak memory per file).
pub(crate) const OWNED_DECODE_MIN: usize = 1 << 20;

/// [`decode`] for bytes the caller gives up: a UTF-8 text of at least [`OWNED_DECODE_MIN`]
/// bytes without BOM becomes the text in place, without a second copy in memory. The result
/// is always the same as `decode(&bytes)`.
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, ReadError> {
    if bytes.len() < OWNED_DECODE_MIN
        || bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || utf16_without_bom(&bytes).is_some()
        || looks_binary(&bytes)
    {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: "UTF-8",
        }),
        Err(e) => decode(e.as_bytes()),
    }
}

/// [`decode`] for borrowed bytes, [`decode_owned`] for bytes the caller gave up.
pub(crate) fn decode_cow(bytes: std::borrow::Cow<'_, [u8]>) -> Result<Decoded, ReadError> {
    match bytes {
        std::borrow::Cow::Borrowed(b) => decode(b),
        std::borrow::Cow::Owned(b) => decode_owned(b),
    }
}

/// Decodes `bytes`, choosing the encoding from a BOM, then strict UTF-8, then GB18030, then
/// a statistical guess (chardetng) that must itself decode without errors.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return strict(UTF_8, rest, "UTF-8 (BOM)");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return strict(UTF_16LE, rest, "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return strict(UTF_16BE, rest, "UTF-16BE");
    }
    if let Some((enc, name)) = utf16_without_bom(bytes)
        && let Ok(d) = strict(enc, bytes, name)
    {
        return Ok(d);
    }
    if looks_binary(bytes) {
        return Err(ReadError::Binary);
    }
    // simdutf8 validates exactly like `std::str::from_utf8`, many times faster on CJK text.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        });
    }
    if let Ok(d) = strict(GB18030, bytes, "GB18030") {
        return Ok(d);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // Only another Chinese multi-byte encoding is worth trying: single-byte encodings decode
    // any junk without error.
    if guess == encoding_rs::BIG5
        && let Ok(d) = strict(guess, bytes, guess.name())
    {
        return Ok(d);
    }
    Err(ReadError::Undecodable)
}

/// Decodes text that a container declared (HTML `<meta charset>`), falling back to detection
/// when the label is unknown or the bytes do not fit it.
pub(crate) fn decode_with_label(bytes: &[u8], label: Option<&str>) -> Result<Decoded, ReadError> {
    if let Some(enc) = label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        // GBK and GB2312 pages routinely contain GB18030-only characters; decode them as the
        // superset, as browsers do.
        let enc = if enc == encoding_rs::GBK {
            GB18030
        } else {
            enc
        };
        let name = if enc == GB18030 {
            "GB18030"
        } else {
            enc.name()
        };
        if let Ok(d) = strict(enc, strip_bom_for(enc, bytes), name) {
            return Ok(d);
        }
    }
    decode(bytes)
}

fn strip_bom_for<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> &'a [u8] {
    if enc == UTF_8 {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    }
}

fn strict(enc: &'static Encoding, bytes: &[u8], name: &'static str) -> Result<Decoded, ReadError> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => {
            let text = text.into_owned();
            if looks_binary_text(&text) {
                return Err(ReadError::Binary);
            }
            Ok(Decoded {
                text,
                encoding: name,
            })
        }
        None => Err(ReadError::Undecodable),
    }
}

/// UTF-16 saved without a byte-order mark (some Windows tools): the ASCII characters of a
/// report (digits, spaces, line breaks) put a zero byte in every other position, always
/// the same one. At least one pair in [`UTF16_MIN_ZERO_SHARE`] of the first 8 KiB must
/// have it, and the other position four times fewer. The bytes must then decode strictly.
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    // Most files have no zero byte at all: one fast search instead of counting pairs.
    if head.len() < 4 || !bytes.len().is_multiple_of(2) || memchr::memchr(0, head).is_none() {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let pairs = head.len() / 2;
    let enough = |n: usize| n * UTF16_MIN_ZERO_SHARE >= pairs;
    // A Chinese character can have a zero byte too (一 is U+4E00): the other position may
    // have a few.
    if enough(odd) && even * 4 <= odd {
        Some((UTF_16LE, "UTF-16LE"))
    } else if enough(even) && odd * 4 <= even {
        Some((UTF_16BE, "UTF-16BE"))
    } else {
        None
    }
}

/// One pair in this many with a zero byte makes UTF-16 without a BOM worth trying.
const UTF16_MIN_ZERO_SHARE: usize = 20;

/// Control bytes other than tab, newline, carriage return and form feed are never in a
/// report; NUL in the first 8 KiB means a binary file (or UTF-16 without a BOM).
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    // Counted in chunks of 255 with a byte counter, which the compiler vectorises.
    let controls: usize = head
        .chunks(255)
        .map(|c| {
            let n: u8 = c
                .iter()
                .map(|&b| u8::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
                .sum();
            usize::from(n)
        })
        .sum();
    controls * 100 > head.len().max(1) * 2
}

fn looks_binary_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}')) {
            controls += 1;
        }
    }
    controls * 100 > total.max(1) * 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        assert_eq!(decode("一、总体情况".as_bytes()).unwrap().encoding, "UTF-8");
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("一、总体情况".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "UTF-8 (BOM)");
        assert_eq!(d.text, "一、总体情况");
    }

    #[test]
    fn decode_owned_gives_what_decode_gives() {
        let line = "一、总体情况\n2023年主动公开政府信息 120 条。\n";
        let big = line.repeat(OWNED_DECODE_MIN / line.len() + 1);
        let with = |prefix: &[u8], body: &[u8]| [prefix, body].concat();
        let utf16le: Vec<u8> = big.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (gb, _, _) = GB18030.encode(&big);
        let mut binary = big.clone().into_bytes();
        binary[..4].copy_from_slice(&[0, 1, 0, 2]);
        let mut invalid = big.clone().into_bytes();
        let n = invalid.len();
        invalid[n - 1] = 0xFF;
        let cases = [
            line.as_bytes().to_vec(),
            big.clone().into_bytes(),
            with(b"\xEF\xBB\xBF", big.as_bytes()),
            with(b"\xFF\xFE", &utf16le),
            utf16le.clone(),
            gb.into_owned(),
            binary,
            invalid,
        ];
        for c in cases {
            assert_eq!(decode_owned(c.clone()), decode(&c), "{} bytes", c.len());
        }
        // A large UTF-8 file's buffer is the text: not copied.
        let bytes = big.clone().into_bytes();
        let at = bytes.as_ptr();
        let d = decode_owned(bytes).unwrap();
        assert_eq!((d.text.as_ptr(), d.text.as_str()), (at, big.as_str()));
    }

    #[test]
    fn gb18030() {
        let (bytes, _, _) = GB18030.encode("二、主动公开政府信息情况");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "二、主动公开政府信息情况");
    }

    #[test]
    fn utf16_without_a_bom_is_text_not_binary() {
        let text = "一、总体情况\n2023年主动公开政府信息 120 条。\n";
        for (le, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            let b: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            let d = decode(&b).unwrap();
            assert_eq!((d.encoding, d.text.as_str()), (name, text));
        }
        // Binary data with zeros in both positions stays binary.
        assert_eq!(decode(&[0, 1, 0, 2, 3, 0, 4, 0]), Err(ReadError::Binary));
    }

    #[test]
    fn utf16_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "三、收到".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, "三、收到");
    }

    #[test]
    fn binary_is_rejected() {
        assert!(matches!(
            decode(&[0, 1, 2, 3, 0xff, 0]),
            Err(ReadError::Binary)
        ));
    }

    #[test]
    fn garbage_is_rejected() {
        // 0xFF is never valid in UTF-8 or GB18030.
        let junk: Vec<u8> = (0..200)
            .map(|i| if i % 3 == 0 { 0xFF } else { 0x80 })
            .collect();
        assert!(decode(&junk).is_err());
    }
}
