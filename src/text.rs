//! Chinese numerals and character-level normalisation (ground floor: std only), shared by the
//! report parsers, the template loader and the checks; `report::cn` is the same module.

/// Value of a single Chinese digit (一…九, 〇/零, 两, and the financial forms).
pub(crate) fn digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// True for characters that can be part of a Chinese numeral.
pub(crate) fn is_numeral_char(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some() || matches!(c, '万' | '亿')
}

/// Parses a Chinese integer such as `二十三`, `一百零五`, `两千三`, `十二万三千`, or a run of
/// digits such as `二〇二一`. Returns `None` for anything else.
pub(crate) fn parse_int(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    // A run of plain digits (years written 二〇二一).
    if s.chars().nth(2).is_some() && s.chars().all(|c| digit(c).is_some()) && !s.contains('两') {
        let mut v = 0u64;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v);
    }
    let mut high = 0u64; // completed 亿 groups, multiplied
    let mut wan = 0u64; // the current 万 group, multiplied
    let mut section = 0u64; // current group below 万
    let mut num: Option<u64> = None; // pending digit
    let mut last_unit = 10_000u64; // for 两千三 (elided trailing unit)
    let mut any = false;
    // The character before the last one read, for 两千三 (no allocation: this runs for every
    // Chinese numeral in every report).
    let mut prev: Option<char> = None;
    let mut last: Option<char> = None;
    for c in s.chars() {
        prev = last;
        last = Some(c);
        if let Some(d) = digit(c) {
            if num.is_some_and(|n| n != 0) && d != 0 {
                return None; // two digits in a row, e.g. 二三
            }
            num = Some(d);
            any = true;
        } else if let Some(u) = unit(c) {
            let n = match num.take() {
                Some(n) => n,
                None if u == 10 => 1,
                None => return None,
            };
            section += n * u;
            last_unit = u;
            any = true;
        } else if c == '万' {
            let s = section + num.take().unwrap_or(0);
            if s == 0 {
                return None;
            }
            wan = s.checked_mul(10_000)?;
            section = 0;
            last_unit = 10_000;
        } else if c == '亿' {
            let s = wan + section + num.take().unwrap_or(0);
            if s == 0 && high == 0 {
                return None;
            }
            high = (high + s).checked_mul(100_000_000)?;
            wan = 0;
            section = 0;
            last_unit = 100_000_000;
        } else {
            return None;
        }
    }
    if !any {
        return None;
    }
    if let Some(n) = num {
        // 两千三 = 2300, 一万二 = 12000: a digit right after a unit means one unit lower.
        let scale = match prev {
            Some(p) if n != 0 && (unit(p).is_some() && last_unit >= 100) => last_unit / 10,
            Some('万') if n != 0 => 1000,
            Some('亿') if n != 0 => 10_000_000,
            _ => 1,
        };
        section += n * scale;
    }
    high.checked_add(wan)?.checked_add(section)
}

/// Parses a Chinese number with an optional decimal part written with 点 (`九十七点六` →
/// 97.6 with 1 decimal; `百` → 100, as in 百分之百). Returns the value and the number of
/// decimals written.
pub(crate) fn parse_decimal(s: &str) -> Option<(f64, u8)> {
    if s == "百" {
        return Some((100.0, 0));
    }
    let (int, frac) = match s.split_once('点') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let whole = parse_int(int)?;
    let Some(f) = frac else {
        return Some((whole as f64, 0));
    };
    if f.is_empty() || f.chars().count() > 6 {
        return None;
    }
    // Integer arithmetic, then one division: 97.6 comes out as the nearest f64.
    let mut scaled = whole;
    let mut decimals = 0u8;
    for c in f.chars() {
        scaled = scaled.checked_mul(10)?.checked_add(digit(c)?)?;
        decimals += 1;
    }
    Some((scaled as f64 / 10f64.powi(i32::from(decimals)), decimals))
}

/// Byte offsets where `needle` occurs in `hay`. For the few-character labels of prose
/// arithmetic a plain scan is several times cheaper than `str::contains`, which sets up a
/// substring searcher on every call; longer texts use memchr's substring searcher. A match of valid
/// UTF-8 in valid UTF-8 always starts and ends on character boundaries.
pub(crate) fn find_all<'a>(hay: &'a str, needle: &'a str) -> FindAll<'a> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    // Building a substring searcher costs about as much as scanning a few hundred bytes.
    let long = h.len() > 256;
    let last = if n.is_empty() || h.len() < n.len() || long {
        0
    } else {
        h.len() - n.len() + 1
    };
    FindAll {
        h,
        n,
        // A match of valid UTF-8 in valid UTF-8 starts on a character boundary.
        searched: (long && !n.is_empty()).then(|| memchr::memmem::find_iter(h, n)),
        at: 0,
        last,
    }
}

/// The iterator of [`find_all`]: memchr's substring searcher over a long text, otherwise a plain
/// scan of every start position (a short needle may match overlapping itself, `哈哈` twice in
/// `哈哈哈`; the substring searcher does not).
pub(crate) struct FindAll<'a> {
    h: &'a [u8],
    n: &'a [u8],
    searched: Option<memchr::memmem::FindIter<'a, 'a>>,
    at: usize,
    last: usize,
}

/// Start positions left to try above which [`FindAll`] looks for the needle's last byte with
/// memchr instead of one position at a time.
const SKIP_FROM: usize = 16;

impl Iterator for FindAll<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if let Some(it) = &mut self.searched {
            return it.next();
        }
        let (h, n) = (self.h, self.n);
        let (&tail, _) = n.split_last()?;
        let head = n[0];
        let k = n.len();
        // The last byte of a CJK character tells more than its first (a handful of lead
        // bytes cover all of them), so it is compared first; over more than a few bytes,
        // memchr finds the next place where it stands (about one byte in a hundred of
        // Chinese text is any given one).
        while self.at < self.last {
            let mut i = self.at;
            if self.last - i > SKIP_FROM {
                match memchr::memchr(tail, &h[i + k - 1..self.last + k - 1]) {
                    Some(p) => i += p,
                    None => {
                        self.at = self.last;
                        return None;
                    }
                }
            }
            self.at = i + 1;
            if h[i + k - 1] == tail && h[i] == head && h[i..i + k] == *n {
                return Some(i);
            }
        }
        None
    }
}

/// Whether `hay` contains `needle` (see [`find_all`]); false for an empty needle.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find_all(hay, needle).next().is_some()
}

/// Whether `hay` contains `w` as a word of its own, not as the start of a rate's name: `办结`
/// in `办结66件` but not in `办结率`. False for an empty `w`.
pub(crate) fn contains_word(hay: &str, w: &str) -> bool {
    find_all(hay, w).any(|i| !hay[i + w.len()..].starts_with('率'))
}

/// Whether `hay` contains any of `words`.
pub(crate) fn contains_any(hay: &str, words: &[String]) -> bool {
    words.iter().any(|w| contains(hay, w))
}

/// Converts full-width ASCII variants (digits, letters, punctuation) to ASCII and the
/// ideographic space to a space.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Value of an ASCII or full-width digit.
pub(crate) fn ascii_digit(c: char) -> Option<u32> {
    fold_width(c).to_digit(10)
}

/// Normalises a label or title for comparison: folds width, drops all white space, quotes
/// and emphasis marks, and unifies bracket and dot forms. `“三安全一稳定”`, `"三安全一稳定"`
/// and `三安全 一稳定` compare equal; so do `（一）` and `(一)`.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = fold_width(c);
        match c {
            c if c.is_whitespace() => {}
            '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '*' | '`' => {}
            '〔' | '【' | '［' => out.push('['),
            '〕' | '】' | '］' => out.push(']'),
            '﹝' => out.push('('),
            '﹞' => out.push(')'),
            '。' => out.push('.'),
            _ => out.push(c),
        }
    }
    out
}

/// [`normalize`] and then strip trailing punctuation, for section and heading titles.
pub(crate) fn normalize_title(s: &str) -> String {
    let mut n = normalize(s);
    while let Some(c) = n.chars().last() {
        if matches!(c, '.' | ':' | ';' | ',' | '、' | '!' | '?' | '-' | '—') {
            n.pop();
        } else {
            break;
        }
    }
    n
}

/// A Chinese numeral for small ordinals (1 → 一, 12 → 十二, 21 → 二十一).
pub(crate) fn ordinal_zh(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_integers() {
        for (s, v) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百二十", 120),
            ("一百零五", 105),
            ("两千三", 2300),
            ("三千零二", 3002),
            ("十二万三千", 123_000),
            ("一万", 10_000),
            ("一亿二千万", 120_000_000),
            ("一万二", 12_000),
            ("十", 10),
            ("二〇二一", 2021),
            ("二零一八", 2018),
            ("九", 9),
        ] {
            assert_eq!(parse_int(s), Some(v), "{s}");
        }
        for s in ["", "二三", "百", "万", "abc", "一x"] {
            assert_eq!(parse_int(s), None, "{s}");
        }
    }

    #[test]
    fn plain_search() {
        assert!(contains("共收到来访件", "收到"));
        assert!(!contains("共收到", ""));
        assert!(!contains("收", "收到"));
        assert_eq!(find_all("办结率办结", "办结").collect::<Vec<_>>(), [0, 9]);
        assert!(contains_any("其中网上申请", &["网上".to_owned()]));
    }

    /// Every start of the needle, overlapping ones too, in texts of up to 256 bytes (the
    /// plain scan, with and without memchr's skipping), against a check of every position.
    #[test]
    fn plain_search_finds_every_start() {
        const PIECES: [&str; 10] = ["办结", "办", "结", "率", "哈", "a", "1", "，", "、", "。"];
        const NEEDLES: [&str; 8] = ["办结", "哈哈", "结率", "a", "、", "，办", "1a", "办结率办"];
        let mut texts = crate::testing::Texts::new(0xD1B5_4A32_D192_ED03);
        let mut found = 0;
        for _ in 0..5_000 {
            let len = texts.next_u64() % 90;
            let mut hay = texts.text(&PIECES, len);
            while hay.len() > 256 {
                hay.pop();
            }
            for n in NEEDLES {
                let naive: Vec<usize> = (0..=hay.len().saturating_sub(n.len()))
                    .filter(|&i| hay.as_bytes()[i..].starts_with(n.as_bytes()))
                    .collect();
                let got: Vec<usize> = find_all(&hay, n).collect();
                assert_eq!(got, naive, "{hay:?} {n:?}");
                found += got.len();
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn chinese_decimals() {
        assert_eq!(parse_decimal("九十七点六"), Some((97.6, 1)));
        assert_eq!(parse_decimal("百"), Some((100.0, 0)));
        assert_eq!(parse_decimal("三十"), Some((30.0, 0)));
        assert_eq!(parse_decimal("九十七点"), None);
        assert_eq!(parse_decimal("点五"), None);
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("（一） 予以公开"), "(一)予以公开");
        assert_eq!(normalize("3.危及“三安全 一稳定”"), "3.危及三安全一稳定");
        assert_eq!(normalize("商业\n企业"), "商业企业");
        assert_eq!(normalize("１２３"), "123");
        assert_eq!(normalize_title("**总体情况。**"), "总体情况");
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_zh(1), "一");
        assert_eq!(ordinal_zh(10), "十");
        assert_eq!(ordinal_zh(14), "十四");
        assert_eq!(ordinal_zh(20), "二十");
        assert_eq!(ordinal_zh(36), "三十六");
    }
}
