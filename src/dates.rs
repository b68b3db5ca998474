//! Dates that rules and configurations name: a month and day ([`MonthDay`], `"01-31"` or
//! `1月31日`) and local publication deadlines per body type ([`Deadlines`], nblint.toml's
//! `[deadlines]`). A ground-floor module: the `deadline` kind and the configuration both use
//! it, so neither has to import the other. The body types ([`BodyType`]) live here too.

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

/// What kind of body published the report; it decides Article 49 deadlines and whether
/// Article 50(4) applies. Read from the report by `report/meta.rs` (`report::BodyType` is
/// this type); defined here, on the ground floor, because deadlines are keyed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum BodyType {
    /// 乡镇人民政府 / 街道办事处
    Township,
    /// 县级以上地方人民政府 (its own report)
    Government,
    /// 县级以上人民政府部门
    Department,
}

impl BodyType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BodyType::Township => "township",
            BodyType::Government => "government",
            BodyType::Department => "department",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<BodyType> {
        match s {
            "township" | "乡镇" | "街道" => Some(BodyType::Township),
            "government" | "政府" => Some(BodyType::Government),
            "department" | "部门" => Some(BodyType::Department),
            _ => None,
        }
    }

    pub(crate) fn zh(self) -> &'static str {
        match self {
            BodyType::Township => "乡镇/街道",
            BodyType::Government => "县级以上人民政府",
            BodyType::Department => "政府部门",
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
