//! The run date: a calendar day, stored as days since 1970-01-01 (Arrow's `Date32`).
//!
//! `playback_date` and the target's `date` partition are SQL `DATE`s everywhere. Users type a
//! date as `YYYYMMDD` (the article's `20220101`) or `YYYY-MM-DD`; SQL sees `YYYY-MM-DD`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::EngineError;

/// A calendar day in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RunDate {
    days: i32,
}

impl RunDate {
    /// The day `days` after 1970-01-01 (Arrow `Date32`).
    pub const fn from_days(days: i32) -> Self {
        RunDate { days }
    }

    /// Days since 1970-01-01.
    pub const fn days(self) -> i32 {
        self.days
    }

    /// A checked calendar date; `None` for a day that does not exist (2022-02-30) or a year outside 1..=9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(RunDate { days: days_from_civil(year, month, day) })
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// Parses `YYYYMMDD` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, EngineError> {
        let invalid = |message: &str| EngineError::InvalidParameter {
            name: "date".into(),
            message: format!("{message}: {text:?} (expected YYYYMMDD or YYYY-MM-DD)"),
        };
        let t = text.trim();
        let digits: String = match t.len() {
            8 => t.to_string(),
            10 if t.as_bytes().get(4) == Some(&b'-') && t.as_bytes().get(7) == Some(&b'-') => t.replace('-', ""),
            _ => return Err(invalid("not a date")),
        };
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("not a date"));
        }
        let num = |range: std::ops::Range<usize>| digits.get(range).and_then(|s| s.parse::<u32>().ok());
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(4..6), num(6..8)) else {
            return Err(invalid("not a date"));
        };
        let year = i32::try_from(y).map_err(|_| invalid("year out of range"))?;
        RunDate::from_ymd(year, m, d).ok_or_else(|| invalid("no such day"))
    }

    /// The day `n` days later (earlier for a negative `n`).
    pub fn add_days(self, n: i32) -> Self {
        RunDate { days: self.days.saturating_add(n) }
    }

    /// `YYYYMMDD`, the article's compact form.
    pub fn compact(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}{m:02}{d:02}")
    }
}

impl fmt::Display for RunDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for RunDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RunDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RunDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days, valid for the whole i32 day range used here.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = i64::from(z) + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms_and_round_trips() {
        let d = RunDate::parse("20220101").unwrap();
        assert_eq!(d, RunDate::parse("2022-01-01").unwrap());
        assert_eq!(d.days(), 18993);
        assert_eq!(d.to_string(), "2022-01-01");
        assert_eq!(d.compact(), "20220101");
        assert_eq!(RunDate::parse("2024-02-29").unwrap().add_days(1).to_string(), "2024-03-01");
        assert_eq!(RunDate::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = RunDate::from_ymd(1900, 1, 1).unwrap().days();
        for days in start..start + 146097 {
            let (y, m, d) = RunDate::from_days(days).ymd();
            assert_eq!(RunDate::from_ymd(y, m, d).unwrap().days(), days);
        }
    }

    #[test]
    fn rejects_what_is_not_a_day() {
        for bad in ["2022-02-30", "20221301", "2022-1-1", "yesterday", "", "2022/01/01", "00000101", "２０２２０１０１"]
        {
            let err = RunDate::parse(bad).unwrap_err();
            assert!(err.to_string().contains("date"), "{bad}: {err}");
        }
    }
}
