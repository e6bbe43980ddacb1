//! Spark's datetime patterns (Java `DateTimeFormatter` letters: `yyyy-MM-dd HH:mm:ss`), read once
//! into [`Pattern`], then used both ways: to format a date or timestamp as text
//! (`date_format`, `from_unixtime`) and to parse text (`to_date`, `to_timestamp`,
//! `unix_timestamp`).
//!
//! Only the letters Spark 3+ accepts are read (its "datetime patterns" page); any other letter is
//! an error naming it, as in Spark. Time zones are UTC (the playground's session zone, as the
//! corpus records Spark's answers), so `z` is `UTC` and `Z` is `+0000`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A pattern letter and how many times it is repeated (`yyyy` is `('y', 4)`).
    Field(char, usize),
    /// Text printed and matched as it is (quoted with `'…'`, or punctuation).
    Literal(String),
}

/// A datetime pattern, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<Piece>);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl Pattern {
    /// Reads `text` as a Spark datetime pattern.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut pieces = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                // '' is a quote; 'text' is literal text (with '' inside for a quote).
                let mut literal = String::new();
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    literal.push('\'');
                } else {
                    loop {
                        match chars.next() {
                            Some('\'') if chars.peek() == Some(&'\'') => {
                                chars.next();
                                literal.push('\'');
                            }
                            Some('\'') => break,
                            Some(d) => literal.push(d),
                            None => return Err(format!("the pattern {text:?} has an unclosed quote")),
                        }
                    }
                }
                push_literal(&mut pieces, &literal);
            } else if c.is_ascii_alphabetic() {
                let mut count = 1;
                while chars.peek() == Some(&c) {
                    chars.next();
                    count += 1;
                }
                check_letter(c, count, text)?;
                pieces.push(Piece::Field(c, count));
            } else {
                push_literal(&mut pieces, &c.to_string());
            }
        }
        Ok(Pattern(pieces))
    }

    /// `value` as text in this pattern.
    pub fn format(&self, value: NaiveDateTime) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Field(letter, count) => format_field(&mut out, *letter, *count, value),
            }
        }
        out
    }

    /// Reads `text` in this pattern: `None` when it does not match the whole text. Fields the
    /// pattern does not have take Spark's defaults (1970-01-01 00:00:00).
    pub fn read(&self, text: &str) -> Option<NaiveDateTime> {
        let mut fields = Fields::default();
        let mut rest = text;
        let mut pieces = self.0.iter().peekable();
        while let Some(piece) = pieces.next() {
            match piece {
                Piece::Literal(literal) => rest = rest.strip_prefix(literal.as_str())?,
                Piece::Field(letter, count) => {
                    // Adjacent numeric fields (`yyyyMMdd`) each take exactly their width.
                    let adjacent = matches!(pieces.peek(), Some(Piece::Field(..)));
                    rest = read_field(&mut fields, *letter, *count, rest, adjacent)?;
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        fields.build()
    }
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Literal(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Literal(text.to_string()));
    }
}

fn check_letter(letter: char, count: usize, pattern: &str) -> Result<(), String> {
    let max = match letter {
        'G' => 5,
        'y' | 'u' | 'D' => 9,
        'M' | 'L' | 'E' => 5,
        'Q' | 'q' => 4,
        'd' | 'H' | 'h' | 'K' | 'k' | 'm' | 's' | 'a' | 'V' => 2,
        'S' => 9,
        'z' | 'Z' | 'X' | 'x' | 'O' => 5,
        _ => {
            return Err(format!(
                "the pattern {pattern:?} has the letter '{letter}', which Spark's datetime patterns do not have"
            ))
        }
    };
    if count > max {
        return Err(format!("the pattern {pattern:?} repeats '{letter}' {count} times: Spark allows at most {max}"));
    }
    Ok(())
}

fn pad(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    let digits = value.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

fn format_field(out: &mut String, letter: char, count: usize, value: NaiveDateTime) {
    let date = value.date();
    let month = date.month0() as usize;
    let day = date.weekday().num_days_from_monday() as usize;
    match letter {
        'G' if count == 4 => out.push_str(if date.year() > 0 { "Anno Domini" } else { "Before Christ" }),
        'G' => out.push_str(if date.year() > 0 { "AD" } else { "BC" }),
        'y' | 'u' if count == 2 => pad(out, i64::from(date.year().rem_euclid(100)), 2),
        'y' | 'u' => pad(out, i64::from(date.year()), count),
        'M' | 'L' if count == 3 => out.push_str(MONTHS.get(month).map_or("", |m| m.get(..3).unwrap_or(m))),
        'M' | 'L' if count == 4 => out.push_str(MONTHS.get(month).copied().unwrap_or_default()),
        'M' | 'L' if count == 5 => out.push_str(MONTHS.get(month).map_or("", |m| m.get(..1).unwrap_or(m))),
        'M' | 'L' => pad(out, i64::from(date.month()), count),
        'Q' | 'q' if count == 3 => {
            out.push('Q');
            pad(out, i64::from(date.month0() / 3 + 1), 1);
        }
        'Q' | 'q' if count == 4 => {
            out.push_str(["1st", "2nd", "3rd", "4th"].get(month / 3).copied().unwrap_or_default());
            out.push_str(" quarter");
        }
        'Q' | 'q' => pad(out, i64::from(date.month0() / 3 + 1), count),
        'd' => pad(out, i64::from(date.day()), count),
        'D' => pad(out, i64::from(date.ordinal()), count),
        'E' if count == 4 => out.push_str(DAYS.get(day).copied().unwrap_or_default()),
        'E' if count == 5 => out.push_str(DAYS.get(day).map_or("", |d| d.get(..1).unwrap_or(d))),
        'E' => out.push_str(DAYS.get(day).map_or("", |d| d.get(..3).unwrap_or(d))),
        'a' => out.push_str(if value.hour() < 12 { "AM" } else { "PM" }),
        'H' => pad(out, i64::from(value.hour()), count),
        'k' => pad(out, i64::from(if value.hour() == 0 { 24 } else { value.hour() }), count),
        'K' => pad(out, i64::from(value.hour() % 12), count),
        'h' => pad(out, i64::from(if value.hour().is_multiple_of(12) { 12 } else { value.hour() % 12 }), count),
        'm' => pad(out, i64::from(value.minute()), count),
        's' => pad(out, i64::from(value.second()), count),
        'S' => {
            let nanos = format!("{:09}", value.nanosecond() % 1_000_000_000);
            out.push_str(nanos.get(..count.min(9)).unwrap_or_default());
        }
        'V' | 'z' if count == 4 => out.push_str("Coordinated Universal Time"),
        'V' | 'z' => out.push_str("UTC"),
        'O' if count == 4 => out.push_str("GMT"),
        'O' => out.push_str("GMT"),
        'X' => out.push('Z'),
        'x' | 'Z' if count == 4 => out.push_str("GMT"),
        'x' | 'Z' if count == 5 || (letter == 'x' && count == 3) => out.push_str("+00:00"),
        'x' if count == 1 => out.push_str("+00"),
        _ => out.push_str("+0000"),
    }
}

#[derive(Debug, Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    day_of_year: Option<u32>,
    hour: Option<u32>,
    hour12: Option<u32>,
    pm: Option<bool>,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Fields {
    fn build(&self) -> Option<NaiveDateTime> {
        let year = self.year.unwrap_or(1970);
        let date = match (self.day_of_year, self.month, self.day) {
            (Some(ordinal), None, None) => NaiveDate::from_yo_opt(year, ordinal)?,
            (_, month, day) => NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1))?,
        };
        let hour = match (self.hour, self.hour12, self.pm) {
            (Some(hour), _, _) => hour,
            (None, Some(h), pm) => h % 12 + if pm == Some(true) { 12 } else { 0 },
            (None, None, Some(true)) => 12,
            _ => 0,
        };
        let time = NaiveTime::from_hms_nano_opt(hour, self.minute, self.second, self.nanos)?;
        Some(date.and_time(time))
    }
}

/// Reads digits for a numeric field: exactly `count` when the next piece is a field too (or the
/// field is padded, count ≥ 2), else 1 to `max`.
fn digits(text: &str, count: usize, max: usize, adjacent: bool) -> Option<(u32, &str)> {
    let available = text.bytes().take_while(u8::is_ascii_digit).count();
    let take = if adjacent || count >= 2 { count } else { available.min(max) };
    if take == 0 || available < take {
        return None;
    }
    let (number, rest) = text.split_at(take);
    Some((number.parse().ok()?, rest))
}

fn name<'a>(text: &'a str, names: &[&str], short: bool) -> Option<(u32, &'a str)> {
    names.iter().enumerate().find_map(|(index, full)| {
        let name = if short { full.get(..3).unwrap_or(full) } else { full };
        let head = text.get(..name.len())?;
        head.eq_ignore_ascii_case(name)
            .then(|| (u32::try_from(index).unwrap_or(0), text.get(name.len()..).unwrap_or("")))
    })
}

fn read_field<'a>(fields: &mut Fields, letter: char, count: usize, text: &'a str, adjacent: bool) -> Option<&'a str> {
    Some(match letter {
        'y' | 'u' => {
            let (signed, text) = match text.strip_prefix('-') {
                Some(rest) if count != 2 => (true, rest),
                _ => (false, text),
            };
            let (year, rest) =
                if count == 2 { digits(text, 2, 2, true)? } else { digits(text, count.max(4), 9, adjacent)? };
            let year = i32::try_from(year).ok()?;
            fields.year = Some(match (count, signed) {
                (2, _) => 2000 + year,
                (_, true) => -year,
                _ => year,
            });
            rest
        }
        'M' | 'L' if count == 3 || count == 4 => {
            let (month, rest) = name(text, &MONTHS, count == 3)?;
            fields.month = Some(month + 1);
            rest
        }
        'M' | 'L' => {
            let (month, rest) = digits(text, count, 2, adjacent)?;
            fields.month = Some(month);
            rest
        }
        'd' => {
            let (day, rest) = digits(text, count, 2, adjacent)?;
            fields.day = Some(day);
            rest
        }
        'D' => {
            let (day, rest) = digits(text, count, 3, adjacent)?;
            fields.day_of_year = Some(day);
            rest
        }
        'E' => name(text, &DAYS, count <= 3)?.1,
        'a' => {
            let head = text.get(..2)?;
            fields.pm = Some(if head.eq_ignore_ascii_case("PM") {
                true
            } else if head.eq_ignore_ascii_case("AM") {
                false
            } else {
                return None;
            });
            text.get(2..)?
        }
        'H' | 'k' => {
            let (hour, rest) = digits(text, count, 2, adjacent)?;
            fields.hour = Some(if letter == 'k' && hour == 24 { 0 } else { hour });
            rest
        }
        'h' | 'K' => {
            let (hour, rest) = digits(text, count, 2, adjacent)?;
            fields.hour12 = Some(hour);
            rest
        }
        'm' => {
            let (minute, rest) = digits(text, count, 2, adjacent)?;
            fields.minute = minute;
            rest
        }
        's' => {
            let (second, rest) = digits(text, count, 2, adjacent)?;
            fields.second = second;
            rest
        }
        'S' => {
            let (fraction, rest) = digits(text, count, count, true)?;
            let scale = 10u32.checked_pow(u32::try_from(9 - count.min(9)).ok()?)?;
            fields.nanos = fraction.checked_mul(scale)?;
            rest
        }
        'V' | 'z' => text.strip_prefix("UTC").or_else(|| text.strip_prefix("Z"))?,
        'X' | 'x' | 'Z' | 'O' => {
            ["Z", "+00:00", "+0000", "+00", "GMT", "UTC"].iter().find_map(|z| text.strip_prefix(z))?
        }
        'Q' | 'q' | 'G' => return None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, s).unwrap()
    }

    #[test]
    fn formats_as_spark_does() {
        let t = at(2022, 1, 2, 15, 4, 5);
        let f = |p: &str| Pattern::parse(p).unwrap().format(t);
        assert_eq!(f("yyyy-MM-dd HH:mm:ss"), "2022-01-02 15:04:05");
        assert_eq!(f("yyyy-MM"), "2022-01");
        assert_eq!(f("yyyyMMdd"), "20220102");
        assert_eq!(f("MM/dd/yy"), "01/02/22");
        assert_eq!(f("EEE, d MMM yyyy"), "Sun, 2 Jan 2022");
        assert_eq!(f("EEEE MMMM"), "Sunday January");
        assert_eq!(f("h:mm a"), "3:04 PM");
        assert_eq!(f("D 'day' Q"), "2 day 1");
        assert_eq!(f("'It''s' yyyy"), "It's 2022");
        assert_eq!(f("HH:mm:ss.SSS"), "15:04:05.000");
    }

    #[test]
    fn reads_as_spark_does() {
        let r = |p: &str, t: &str| Pattern::parse(p).unwrap().read(t);
        assert_eq!(r("yyyy-MM-dd", "2022-01-02"), Some(at(2022, 1, 2, 0, 0, 0)));
        assert_eq!(r("yyyyMMdd", "20220102"), Some(at(2022, 1, 2, 0, 0, 0)));
        assert_eq!(r("MM/dd/yyyy", "01/02/2022"), Some(at(2022, 1, 2, 0, 0, 0)));
        assert_eq!(r("yyyy-MM-dd HH:mm:ss", "2022-01-02 15:04:05"), Some(at(2022, 1, 2, 15, 4, 5)));
        assert_eq!(r("dd MMM yyyy", "02 Jan 2022"), Some(at(2022, 1, 2, 0, 0, 0)));
        assert_eq!(r("yyyy-M-d", "2022-1-2"), Some(at(2022, 1, 2, 0, 0, 0)));
        assert_eq!(r("yyyy-MM-dd", "2022-1-2"), None, "MM needs two digits");
        assert_eq!(r("yyyy-MM-dd", "2022-02-30"), None);
        assert_eq!(r("yyyy-MM-dd", "2022-01-02 extra"), None);
        assert_eq!(r("hh:mm a", "03:04 PM"), Some(at(1970, 1, 1, 15, 4, 0)));
    }

    #[test]
    fn letters_spark_does_not_have_are_refused() {
        assert!(Pattern::parse("yyyy-bb").unwrap_err().contains("'b'"));
        assert!(Pattern::parse("'open").is_err());
        assert!(Pattern::parse("ddd").is_err());
    }
}
