//! Contact details the public needs to reach the office: phone numbers, addresses, e-mail
//! addresses, websites and postcodes, each with its span and whether it can be right.

use super::cn;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PhoneKind {
    /// With an area code (0953-2120610).
    Landline,
    /// A local number without area code (8061253).
    Local,
    /// 11-digit mobile.
    Mobile,
    /// Service numbers: 12345, 400/800, 95xxx.
    Service,
    /// Cannot be a phone number.
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub span: Range<usize>,
    pub(crate) digits: String,
    pub(crate) kind: PhoneKind,
    /// True for a fax number (传真).
    pub(crate) fax: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub span: Range<usize>,
    pub(crate) valid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Postcode {
    pub(crate) span: Range<usize>,
    pub(crate) digits: String,
    pub(crate) valid: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contacts {
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub websites: Vec<Range<usize>>,
    pub addresses: Vec<Range<usize>>,
    pub(crate) postcodes: Vec<Postcode>,
}

impl Contacts {
    /// Whether a phone number (not a fax) was given; whether it is valid is a separate
    /// question (`invalid-contact-info`).
    pub(crate) fn has_phone(&self) -> bool {
        self.phones.iter().any(|p| !p.fax)
    }

    pub(crate) fn has_email(&self) -> bool {
        !self.emails.is_empty()
    }

    pub(crate) fn has_address(&self) -> bool {
        !self.addresses.is_empty()
    }

    pub(crate) fn has_website(&self) -> bool {
        !self.websites.is_empty()
    }
}

const SEP: &str = r"[-－—–‐ \u{3000}()（）]";

static LABELLED_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(电话|热线|传真|手机|联系方式|座机)[^0-9０-９\n。；;]{{0,8}}?([0-9０-９](?:[0-9０-９]|{SEP}){{3,22}}[0-9０-９])"
    ))
    .expect("valid regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+\s*[@＠]\s*[A-Za-z0-9\-]+(?:\s*[.．]\s*[A-Za-z0-9\-]+)*")
        .expect("valid regex")
});
static EMAIL_OK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
        .expect("valid regex")
});
static WEBSITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)https?://[^\s<>)）\]」，,。；;]+|www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+[^\s<>)）\]」，,。；;]*")
        .expect("valid regex")
});
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:办公地址|通讯地址|联系地址|地址|地点)\s*[:：为]\s*([^\n；;，,。（(]{4,})")
        .expect("valid regex")
});
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:邮编|邮政编码)\s*[:：为]?\s*([0-9０-９]+)").expect("valid regex")
});

/// Compiles this module's expressions now (see [`super::warm_up`]).
pub(super) fn warm() {
    LazyLock::force(&LABELLED_PHONE);
    LazyLock::force(&EMAIL);
    LazyLock::force(&EMAIL_OK);
    LazyLock::force(&WEBSITE);
    LazyLock::force(&ADDRESS);
    LazyLock::force(&POSTCODE);
}

pub(crate) fn classify_phone(digits: &str) -> PhoneKind {
    let n = digits.len();
    let b = digits.as_bytes();
    match b.first() {
        Some(b'0') => {
            // Area code 0XX (8-digit numbers) or 0XXX (7–8 digits): 11 or 12 digits in all.
            if (11..=12).contains(&n) && b.get(1) != Some(&b'0') {
                PhoneKind::Landline
            } else {
                PhoneKind::Invalid
            }
        }
        Some(b'1') => {
            if n == 11 && matches!(b.get(1), Some(b'3'..=b'9')) {
                PhoneKind::Mobile
            } else if n == 5 && digits.starts_with("12") {
                PhoneKind::Service
            } else {
                PhoneKind::Invalid
            }
        }
        Some(b'4') | Some(b'8')
            if n == 10 && (digits.starts_with("400") || digits.starts_with("800")) =>
        {
            PhoneKind::Service
        }
        Some(b'9') if (5..=6).contains(&n) && digits.starts_with("95") => PhoneKind::Service,
        Some(_) if (7..=8).contains(&n) => PhoneKind::Local,
        _ => PhoneKind::Invalid,
    }
}

/// Unlabelled phone numbers: `0XX(X)-XXXXXXX(X)` and 11-digit mobiles, found by scanning digit
/// runs (a regex without a literal prefix would scan every character of every report).
fn bare_phones(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let run_end = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    // A digit (ASCII or full-width) or hyphen before a run means it is part of something else.
    let glued_before = |i: usize| {
        i > 0
            && (b[i - 1].is_ascii_digit()
                || b[i - 1] == b'-'
                || text[..i].ends_with(|c: char| ('０'..='９').contains(&c)))
    };
    let glued_after = |i: usize| {
        i < b.len()
            && (b[i].is_ascii_digit()
                || text[i..].starts_with(|c: char| ('０'..='９').contains(&c)))
    };
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i = next_digit(b, i + 1);
            continue;
        }
        let start = i;
        let end = run_end(i);
        i = end;
        if glued_before(start) {
            continue;
        }
        let len = end - start;
        if len == 11
            && b[start] == b'1'
            && (b'3'..=b'9').contains(&b[start + 1])
            && !glued_after(end)
        {
            out.push(start..end);
            continue;
        }
        if (3..=4).contains(&len) && b[start] == b'0' {
            let rest = &text[end..];
            let sep = ['-', '－', '—', '–']
                .into_iter()
                .find(|&c| rest.starts_with(c));
            if let Some(sep) = sep {
                let local = end + sep.len_utf8();
                let local_end = run_end(local);
                if (7..=8).contains(&(local_end - local)) && !glued_after(local_end) {
                    out.push(start..local_end);
                    i = local_end;
                }
            }
        }
    }
    out
}

/// The index of the first ASCII digit at or after `i` (`b.len()` if none), eight bytes at a
/// time: most of a report's bytes are Chinese characters.
fn next_digit(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_ne_bytes(chunk.try_into().expect("8 bytes")) ^ ZEROS;
        // A byte of `x` below 10 is a digit; `hasless(x, 10)` from Bit Twiddling Hacks.
        if x.wrapping_sub(ONES * 10) & !x & HIGH != 0 {
            break;
        }
        i += 8;
    }
    while i < b.len() && !b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The labels of [`LABELLED_PHONE`], its group 1.
const PHONE_LABELS: [&str; 6] = ["电话", "热线", "传真", "手机", "联系方式", "座机"];

/// Groups 1 and 2 of a match of [`LABELLED_PHONE`], found without the capture engine (which
/// cost about as much as the search): the match starts with its label (no label begins
/// another), the gap after it holds no digit, so the number starts at the first digit after
/// the label and ends where the match ends.
fn phone_parts(text: &str, m: Range<usize>) -> (&str, Range<usize>) {
    let s = &text[m.clone()];
    let label = PHONE_LABELS
        .iter()
        .find(|l| s.starts_with(*l))
        .map_or("", |l| l);
    let start = s[label.len()..]
        .char_indices()
        .find(|&(_, c)| cn::ascii_digit(c).is_some())
        .map_or(s.len(), |(i, _)| label.len() + i);
    (label, m.start + start..m.end)
}

/// The labels of [`ADDRESS`], in the expression's order.
const ADDRESS_LABELS: [&str; 5] = ["办公地址", "通讯地址", "联系地址", "地址", "地点"];

/// Group 1 of a match of [`ADDRESS`] without its white space, found without the capture
/// engine (which cost more than the search): the match starts with its label (at most one
/// of them begins a text), then white space and one separator (`：` `:` `为`, none of them
/// white space), and the group runs to the end of the match. The group may begin with some
/// of the white space after the separator (when the expression gave it back to reach four
/// characters); trimmed, it is the rest of the match after the separator, trimmed.
fn address_value(text: &str, m: Range<usize>) -> Range<usize> {
    let s = &text[m.clone()];
    let label = ADDRESS_LABELS
        .iter()
        .find(|l| s.starts_with(*l))
        .map_or(0, |l| l.len());
    let after = s[label..].trim_start();
    let sep = after.chars().next().map_or(0, char::len_utf8);
    let rest = &after[sep..];
    let start = m.end - rest.len() + (rest.len() - rest.trim_start().len());
    start..start + rest.trim().len()
}

/// Group 1 of a match of [`POSTCODE`]: the digits that end the match (nothing before them in
/// the expression is a digit).
fn postcode_digits(text: &str, m: Range<usize>) -> Range<usize> {
    let s = &text[m.clone()];
    let kept = s.trim_end_matches(|c| cn::ascii_digit(c).is_some()).len();
    m.start + kept..m.end
}

pub(crate) fn build(text: &str) -> Contacts {
    let mut c = Contacts::default();
    for found in LABELLED_PHONE.find_iter(text) {
        let (label, number) = phone_parts(text, found.range());
        let m = &text[number.clone()];
        let digits: String = m
            .chars()
            .filter_map(cn::ascii_digit)
            .map(|d| char::from(b'0' + d as u8))
            .collect();
        // A year or a count is not a phone number: require at least 5 digits.
        if digits.len() < 5 {
            continue;
        }
        let mut kind = classify_phone(&digits);
        // With a separator, the parts must be an area code and a local number.
        let groups: Vec<usize> = m
            .split(|c: char| cn::ascii_digit(c).is_none())
            .filter(|g| !g.is_empty())
            .map(|g| g.chars().count())
            .collect();
        if kind == PhoneKind::Landline
            && groups.len() == 2
            && !((3..=4).contains(&groups[0]) && (7..=8).contains(&groups[1]))
        {
            kind = PhoneKind::Invalid;
        }
        c.phones.push(Phone {
            span: number,
            kind,
            digits,
            fax: label == "传真",
        });
    }
    for span in bare_phones(text) {
        if c.phones
            .iter()
            .any(|p| p.span.start <= span.start && span.end <= p.span.end)
        {
            continue;
        }
        let digits: String = text[span.clone()]
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        c.phones.push(Phone {
            span,
            kind: classify_phone(&digits),
            digits,
            fax: false,
        });
    }
    c.phones.sort_by_key(|p| p.span.start);
    // An address is on the line of its `@`: only those lines are searched (the expression
    // has no literal to look for and would otherwise scan every byte of the report).
    let mut at: Vec<usize> = memchr::memchr_iter(b'@', text.as_bytes()).collect();
    // A full-width `＠` with memchr's substring search: `str::match_indices` looks for its
    // last byte (A0), which ends a Chinese character every hundred bytes or so.
    at.extend(memchr::memmem::find_iter(text.as_bytes(), "＠".as_bytes()));
    at.sort_unstable();
    let mut searched_to = 0;
    for i in at {
        if i < searched_to {
            continue;
        }
        let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
        searched_to = end;
        for m in EMAIL.find_iter(&text[start..end]) {
            c.emails.push(Email {
                span: start + m.start()..start + m.end(),
                valid: EMAIL_OK.is_match(m.as_str()),
            });
        }
    }
    for m in WEBSITE.find_iter(text) {
        c.websites.push(m.start()..m.end());
    }
    for found in ADDRESS.find_iter(text) {
        let span = address_value(text, found.range());
        if text[span.clone()]
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .count()
            >= 4
        {
            c.addresses.push(span);
        }
    }
    for found in POSTCODE.find_iter(text) {
        let span = postcode_digits(text, found.range());
        let digits: String = text[span.clone()]
            .chars()
            .filter_map(cn::ascii_digit)
            .map(|d| char::from(b'0' + d as u8))
            .collect();
        c.postcodes.push(Postcode {
            span,
            valid: digits.len() == 6,
            digits,
        });
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups worked out from a match are the capture groups, over texts made of the
    /// pieces the expressions care about (labels, colons, white space, both kinds of digits,
    /// separators, stops), 20,000 of them.
    #[test]
    fn groups_from_the_match_are_the_capture_groups() {
        const PIECES: [&str; 30] = [
            "电话",
            "传真",
            "手机",
            "联系方式",
            "热线",
            "座机",
            "邮编",
            "邮政编码",
            "：",
            ":",
            "为",
            " ",
            "\u{3000}",
            "1",
            "2",
            "3",
            "4",
            "5",
            "0",
            "8",
            "０",
            "９",
            "-",
            "（",
            "）",
            "\n",
            "。",
            "号",
            "a",
            "；",
        ];
        let mut texts = crate::testing::Texts::new(0x2545_F491_4F6C_DD1D);
        let mut matched = (0, 0);
        for _ in 0..20_000 {
            let len = 1 + texts.next_u64() % 60;
            let text = texts.text(&PIECES, len);
            let found: Vec<_> = LABELLED_PHONE
                .find_iter(&text)
                .map(|m| phone_parts(&text, m.range()))
                .collect();
            let captured: Vec<_> = LABELLED_PHONE
                .captures_iter(&text)
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().range()))
                .collect();
            assert_eq!(found, captured, "{text:?}");
            matched.0 += found.len();
            let found: Vec<_> = POSTCODE
                .find_iter(&text)
                .map(|m| postcode_digits(&text, m.range()))
                .collect();
            let captured: Vec<_> = POSTCODE
                .captures_iter(&text)
                .map(|c| c.get(1).unwrap().range())
                .collect();
            assert_eq!(found, captured, "{text:?}");
            matched.1 += found.len();
        }
        // The texts do make matches of both.
        assert!(matched.0 > 1000 && matched.1 > 1000, "{matched:?}");
    }

    /// The address worked out from a match is the capture group, trimmed, over texts made
    /// of labels, separators, white space, stops and other text, 20,000 of them.
    #[test]
    fn addresses_from_the_match_are_the_trimmed_capture_group() {
        const PIECES: [&str; 20] = [
            "办公地址",
            "通讯地址",
            "联系地址",
            "地址",
            "地点",
            "办公",
            "：",
            ":",
            "为",
            " ",
            "\u{3000}",
            "\t",
            "\n",
            "，",
            "；",
            "（",
            "路",
            "1",
            "号",
            "a",
        ];
        let mut texts = crate::testing::Texts::new(0x9E37_79B9_7F4A_7C15);
        let (mut matched, mut given_back) = (0, 0);
        for _ in 0..20_000 {
            let len = 1 + texts.next_u64() % 40;
            let text = texts.text(&PIECES, len);
            let found: Vec<_> = ADDRESS
                .find_iter(&text)
                .map(|m| address_value(&text, m.range()))
                .collect();
            let captured: Vec<_> = ADDRESS
                .captures_iter(&text)
                .map(|c| {
                    let g = c.get(1).unwrap();
                    given_back += usize::from(g.as_str().starts_with(char::is_whitespace));
                    let lead = g.as_str().len() - g.as_str().trim_start().len();
                    g.start() + lead..g.start() + lead + g.as_str().trim().len()
                })
                .collect();
            assert_eq!(found, captured, "{text:?}");
            matched += found.len();
        }
        // The texts do make matches, some with white space given back to the group.
        assert!(matched > 1000 && given_back > 10, "{matched} {given_back}");
    }

    #[test]
    fn next_digit_matches_a_byte_scan() {
        let texts = [
            "",
            "7",
            "联系电话：0953-6012345，邮编751400。",
            "一二三四五六七八九十abcdefgh/:;9",
            "abcdefghijklmnop",
            "\u{7f}\u{80}/:0",
        ];
        for t in texts {
            let b = t.as_bytes();
            for i in 0..=b.len() {
                let naive = (i..b.len())
                    .find(|&j| b[j].is_ascii_digit())
                    .unwrap_or(b.len());
                assert_eq!(next_digit(b, i), naive, "{t:?} from {i}");
            }
        }
    }

    #[test]
    fn phones() {
        for (d, k) in [
            ("09532120610", PhoneKind::Landline),
            ("0953212061", PhoneKind::Invalid),
            ("01012345678", PhoneKind::Landline),
            ("8061253", PhoneKind::Local),
            ("13912345678", PhoneKind::Mobile),
            ("12345", PhoneKind::Service),
            ("4001234567", PhoneKind::Service),
            ("0953212", PhoneKind::Invalid),
            ("139123456", PhoneKind::Invalid),
            ("123456789", PhoneKind::Invalid),
        ] {
            assert_eq!(classify_phone(d), k, "{d}");
        }
    }

    #[test]
    fn finds_contacts() {
        let t = "地址：吴忠市利通区金星花园小广场北侧（邮编：751100，电话：0953—2120610；传真：0953—2120600；电子邮箱：1tqjxz2007@163.com）网站 http://www.example.gov.cn/x/";
        let c = build(t);
        assert_eq!(c.phones.len(), 2);
        assert!(c.phones[1].fax);
        assert_eq!(c.phones[0].kind, PhoneKind::Landline);
        assert!(c.has_phone() && c.has_email() && c.has_address() && c.has_website());
        assert!(c.postcodes[0].valid);
        assert!(c.emails[0].valid);
    }

    #[test]
    fn invalid_ones() {
        let c = build("联系电话：0954-39610，邮编：75110，邮箱：abc@163");
        assert_eq!(c.phones[0].kind, PhoneKind::Invalid);
        assert!(!c.postcodes[0].valid);
        assert!(!c.emails[0].valid);
    }

    #[test]
    fn bare_numbers() {
        let t =
            "热线0953-6012345，手机13912345678，编号2021-0001，账号123456789012，电话01-2345678";
        let c = build(t);
        let found: Vec<&str> = c.phones.iter().map(|p| &t[p.span.clone()]).collect();
        assert_eq!(found, vec!["0953-6012345", "13912345678", "01-2345678"]);
        assert_eq!(c.phones[2].kind, PhoneKind::Invalid);
        // Not phones: a year range, a long account number, digits glued to others.
        assert!(bare_phones("2019-2021年，139123456789").is_empty());
    }

    #[test]
    fn mention_is_not_an_address() {
        let c =
            build("将政府信息公开工作办公地址、时间、联系电话和传真号码、电子邮箱等内容做了说明。");
        assert!(c.addresses.is_empty());
        assert!(c.phones.is_empty());
    }
}
