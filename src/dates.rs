//! Dates that rules and configurations name: a month and day ([`MonthDay`], `"01-31"` or
//! `1月31日`) and local publication deadlines per body type ([`Deadlines`], nblint.toml's
//! `[deadlines]`). A ground-floor module: the `deadline` kind and the configuration both use
//! it, so neither has to import the other.

use crate::report::BodyType;

/// A month and day in the year after the report year (`"01-31"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct MonthDay {
    pub(crate) month: u32,
    pub(crate) day: u32,
}

impl MonthDay {
    /// Parses `MM-DD` (`01-31`, `3-31`) or `M月D日`.
    pub(crate) fn parse(s: &str) -> Option<MonthDay> {
        let t = s.trim();
        let (m, d) = if let Some((m, d)) = t.split_once('-') {
            (m, d)
        } else {
            let (m, rest) = t.split_once('月')?;
            (m, rest.strip_suffix('日').unwrap_or(rest))
        };
        let month: u32 = m.trim().parse().ok()?;
        let day: u32 = d.trim().parse().ok()?;
        let max = match month {
            2 => 29,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        (1..=max).contains(&day).then_some(MonthDay { month, day })
    }
}

/// Local publication deadlines from `[deadlines]`. `None` leaves the rule's own value
/// (the statute) in force; `Some(None)` means "no deadline" (`"none"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub(crate) township: Option<Option<MonthDay>>,
    pub(crate) department: Option<Option<MonthDay>>,
    pub(crate) government: Option<Option<MonthDay>>,
}

impl Deadlines {
    pub(crate) fn get(&self, b: BodyType) -> Option<Option<MonthDay>> {
        match b {
            BodyType::Township => self.township,
            BodyType::Department => self.department,
            BodyType::Government => self.government,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days() {
        assert_eq!(
            MonthDay::parse("01-31"),
            Some(MonthDay { month: 1, day: 31 })
        );
        assert_eq!(
            MonthDay::parse("3月31日"),
            Some(MonthDay { month: 3, day: 31 })
        );
        assert_eq!(MonthDay::parse("02-30"), None);
        assert_eq!(MonthDay::parse("13-01"), None);
        assert_eq!(MonthDay::parse("soon"), None);
    }
}
