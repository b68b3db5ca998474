//! Text similarity between sections of two reports (copied text, NB502), and the key that
//! says two reports belong to the same body.
//!
//! The measure: the prose of a section (its text lines, without the heading and without
//! table rows) is normalised — white space and punctuation removed, full-width folded, every
//! run of digits replaced by one `#` so that updated numbers and years do not hide a copy —
//! and cut into overlapping character 4-grams (shingles). The similarity of two sections is
//! the Jaccard index of their shingle sets, |A ∩ B| / |A ∪ B|, from 0 (nothing shared) to 1
//! (the same text). Four characters are about two Chinese words, so shared single terms
//! (政府信息公开) count little while copied sentences count fully.
//!
//! Shingles are 64-bit FNV-1a hashes (fixed, so results never depend on the run).

use super::{LineKind, Report, cn};

/// Characters per shingle.
pub(crate) const SHINGLE: usize = 4;

/// The normalised prose of a template section, or `None` when the section was not found.
pub(crate) fn section_prose(report: &Report, id: &str) -> Option<String> {
    let range = report.section_range(id)?;
    let heading_line = report.section_heading(id).map(|h| h.line());
    let mut out = String::new();
    for (i, l) in report.lines.iter().enumerate() {
        if l.range().end <= range.start || l.range().start >= range.end {
            continue;
        }
        if Some(i) == heading_line || l.kind() != LineKind::Text {
            continue;
        }
        let s = report.text.get(l.content()).unwrap_or_default();
        normalize_into(s, &mut out);
    }
    Some(out)
}

/// Appends the normalised form of `s` to `out`.
pub(crate) fn normalize_into(s: &str, out: &mut String) {
    let mut in_digits = false;
    for c in s.chars() {
        let c = cn::fold_width(c);
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        if c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(c) {
            continue;
        }
        out.push(c);
    }
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// The sorted, deduplicated shingle hashes of normalised text.
pub(crate) fn shingles(norm: &str) -> Vec<u64> {
    let chars: Vec<char> = norm.chars().collect();
    if chars.len() < SHINGLE {
        return Vec::new();
    }
    let mut out: Vec<u64> = chars
        .windows(SHINGLE)
        .map(|w| {
            use std::hash::Hasher;
            let mut h = crate::hash::Fnv::default();
            for c in w {
                h.write(&(*c as u32).to_le_bytes());
            }
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The Jaccard index of two sorted, deduplicated sets; 0 when both are empty.
pub(crate) fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// The key under which reports of one body are compared across years: the agency name
/// without white space, brackets and quotes, and without a trailing 人民政府 / 政府 (so that
/// 青山镇人民政府 and 青山镇 are one body).
pub(crate) fn body_key(agency: &str) -> String {
    let k: String = agency
        .chars()
        .map(cn::fold_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '“' | '”' | '"'))
        .collect();
    let k = k
        .strip_suffix("人民政府")
        .or_else(|| k.strip_suffix("政府"))
        .unwrap_or(&k);
    k.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        let (mut x, mut y) = (String::new(), String::new());
        normalize_into(a, &mut x);
        normalize_into(b, &mut y);
        jaccard(&shingles(&x), &shingles(&y))
    }

    #[test]
    fn identical_text_with_new_numbers_is_the_same() {
        let a = "2020年，部分站所对主动公开重视不够，个别信息发布滞后12天。";
        let b = "2021年，部分站所对主动公开重视不够，个别信息发布滞后3天。";
        assert_eq!(sim(a, b), 1.0);
    }

    #[test]
    fn different_text_is_not_similar() {
        let a = "一是部分站所对主动公开的时效性重视不够，个别信息发布滞后。";
        let b = "一是政策解读形式比较单一，图解和视频解读偏少，群众获得感不强。";
        assert!(sim(a, b) < 0.2, "{}", sim(a, b));
    }

    #[test]
    fn jaccard_of_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn body_keys() {
        assert_eq!(body_key("青山镇人民政府"), body_key("青山镇"));
        assert_eq!(body_key("青山镇 政府"), "青山镇");
        assert_ne!(body_key("青山镇"), body_key("青山县"));
        assert_eq!(body_key("青山县交通运输局"), "青山县交通运输局");
    }
}
