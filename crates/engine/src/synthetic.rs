//! A deterministic synthetic `some_db.source_table`: viewing sessions per title, country and day.
//!
//! Columns: `title_id INT, country_code STRING, view_hours DOUBLE, playback_date DATE`.
//! The same spec gives the same rows on every platform. Each (day, country) block has its own
//! random stream, so adding days never changes the rows of the others.
//! Title popularity follows a Zipf law and countries have skewed audiences; every country has
//! enough sessions a day to rank well over 100 titles, so the default run gives about the
//! article's 19,000 output rows a day. `view_hours` are whole 64ths of an hour, so sums are exact
//! in binary floating point and do not depend on summation order (Spark and DataFusion agree).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Date32Array, Float64Array, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::countries::COUNTRY_CODES;
use crate::{EngineError, RunDate};

/// How many distinct titles the synthetic catalogue has.
pub const TITLE_COUNT: usize = 5_000;
/// The fewest sessions a country has on one day.
const MIN_ROWS_PER_COUNTRY: u32 = 240;
/// The most source rows one synthetic table may hold (keeps a tab within its memory).
pub const MAX_ROWS: u64 = 20_000_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntheticSpec {
    /// The random seed: the same seed gives the same rows.
    pub seed: u64,
    /// The first `playback_date`.
    pub first_date: RunDate,
    /// How many consecutive days, from `first_date`.
    pub days: u32,
    /// About how many source rows each day has (never fewer than 190 × 240).
    pub rows_per_day: u32,
}

impl SyntheticSpec {
    /// The default table: seven days that end on `date`, about 60,000 rows a day.
    pub fn ending_on(date: RunDate) -> Self {
        SyntheticSpec { seed: 42, first_date: date.add_days(-6), days: 7, rows_per_day: 60_000 }
    }

    /// The last `playback_date` present.
    pub fn last_date(&self) -> RunDate {
        self.first_date.add_days(self.days.saturating_sub(1).min(i32::MAX as u32) as i32)
    }

    /// Whether rows exist for `date`.
    pub fn covers(&self, date: RunDate) -> bool {
        self.days > 0 && date >= self.first_date && date <= self.last_date()
    }

    /// How many rows each country gets on one day.
    fn rows_per_country(&self) -> Vec<u32> {
        let n = COUNTRY_CODES.len();
        let zipf: Vec<f64> = (0..n).map(|i| 1.0 / ((i + 1) as f64).powf(0.9)).collect();
        let total: f64 = zipf.iter().sum();
        let budget = f64::from(self.rows_per_day);
        zipf.iter()
            .map(|w| {
                let share = 0.3 / n as f64 + 0.7 * w / total;
                ((budget * share) as u32).max(MIN_ROWS_PER_COUNTRY)
            })
            .collect()
    }

    /// The number of rows `generate` will produce.
    pub fn row_count(&self) -> u64 {
        let per_day: u64 = self.rows_per_country().iter().map(|&r| u64::from(r)).sum();
        per_day * u64::from(self.days)
    }

    /// Generates the table, one record batch per day.
    pub fn generate(&self) -> Result<Vec<RecordBatch>, EngineError> {
        let generator = self.generator()?;
        (0..self.days)
            .map(|day| generator.batch(self.first_date.add_days(day as i32), 0..COUNTRY_CODES.len()))
            .collect()
    }

    /// A generator for this table, a part at a time (see [`Generator`]); refuses a table over
    /// [`MAX_ROWS`] before any work.
    pub fn generator(&self) -> Result<Generator, EngineError> {
        let rows = self.row_count();
        if rows > MAX_ROWS {
            return Err(EngineError::Source(format!(
                "the synthetic table would have {rows} rows; the limit is {MAX_ROWS}"
            )));
        }
        Ok(Generator { spec: *self, per_country: self.rows_per_country(), cdf: title_cdf() })
    }
}

/// Generates a synthetic table in parts (a day's countries, [`Generator::COUNTRIES_PER_PART`] at a
/// time), so a host can pause between parts: at the 20M-row limit a part is about 290,000 rows.
/// The parts, in order, hold exactly the rows of [`SyntheticSpec::generate`].
#[derive(Debug, Clone)]
pub struct Generator {
    spec: SyntheticSpec,
    per_country: Vec<u32>,
    cdf: Vec<f64>,
}

impl Generator {
    /// Countries per part.
    pub const COUNTRIES_PER_PART: usize = 19;

    fn parts_per_day() -> usize {
        COUNTRY_CODES.len().div_ceil(Self::COUNTRIES_PER_PART)
    }

    /// How many parts the table has.
    pub fn parts(&self) -> usize {
        (self.spec.days as usize).saturating_mul(Self::parts_per_day())
    }

    /// Part `index` (from 0) as one batch; an empty batch past the end.
    pub fn part(&self, index: usize) -> Result<RecordBatch, EngineError> {
        let per_day = Self::parts_per_day();
        let day = u32::try_from(index / per_day).unwrap_or(u32::MAX);
        if day >= self.spec.days {
            return self.batch(self.spec.first_date, 0..0);
        }
        let first = (index % per_day) * Self::COUNTRIES_PER_PART;
        let last = first.saturating_add(Self::COUNTRIES_PER_PART).min(COUNTRY_CODES.len());
        self.batch(self.spec.first_date.add_days(day as i32), first..last)
    }

    /// The rows of `date` for the countries at `countries` (indexes into the country list).
    fn batch(&self, date: RunDate, countries: std::ops::Range<usize>) -> Result<RecordBatch, EngineError> {
        let chosen =
            || COUNTRY_CODES.iter().zip(&self.per_country).enumerate().skip(countries.start).take(countries.len());
        let len: usize = chosen().map(|(_, (_, &r))| r as usize).sum();
        let mut title_ids = Vec::with_capacity(len);
        let mut codes = Vec::with_capacity(len);
        let mut hours = Vec::with_capacity(len);
        for (c, (&code, &rows)) in chosen() {
            let mut rng = SplitMix64::new(mix(&[self.spec.seed, date.days() as u64, c as u64]));
            // A country's taste: its titles are the global ranking rotated by a small offset.
            let shift = (rng.next_u64() % 40) as usize;
            for _ in 0..rows {
                let rank = (sample_rank(&self.cdf, rng.next_f64()) + shift) % TITLE_COUNT;
                title_ids.push(title_id(rank));
                codes.push(code);
                // Whole 64ths of an hour (about a minute), up to 12 hours: exact sums in f64.
                let ticks = 1 + (rng.next_f64() * rng.next_f64() * 768.0) as u32;
                hours.push(f64::from(ticks) / 64.0);
            }
        }
        let dates = vec![date.days(); title_ids.len()];
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(title_ids)),
            Arc::new(StringArray::from(codes)),
            Arc::new(Float64Array::from(hours)),
            Arc::new(Date32Array::from(dates)),
        ];
        RecordBatch::try_new(source_schema(), columns).map_err(|e| EngineError::Source(e.to_string()))
    }
}

/// The source table's schema: `title_id INT, country_code STRING, view_hours DOUBLE, playback_date DATE`.
pub fn source_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("title_id", DataType::Int32, true),
        Field::new("country_code", DataType::Utf8, true),
        Field::new("view_hours", DataType::Float64, true),
        Field::new("playback_date", DataType::Date32, true),
    ]))
}

/// Eight-digit title ids, like the article's `11111111`; distinct for every rank.
fn title_id(rank: usize) -> i32 {
    // 7919 is prime and coprime with 89,000,000, so the map is one-to-one below that.
    (10_000_000 + (rank as u64 * 7_919) % 89_000_000) as i32
}

/// The cumulative Zipf(0.9) distribution over title ranks.
fn title_cdf() -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = (0..TITLE_COUNT)
        .map(|i| {
            acc += 1.0 / ((i + 1) as f64).powf(0.9);
            acc
        })
        .collect();
    for p in &mut cdf {
        *p /= acc;
    }
    cdf
}

fn sample_rank(cdf: &[f64], u: f64) -> usize {
    cdf.partition_point(|&p| p < u).min(TITLE_COUNT - 1)
}

fn mix(parts: &[u64]) -> u64 {
    parts.iter().fold(0x9E37_79B9_7F4A_7C15, |h, &p| SplitMix64::new(h ^ p).next_u64())
}

/// SplitMix64: small, fast and the same on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn small() -> SyntheticSpec {
        SyntheticSpec { seed: 7, first_date: RunDate::parse("20220101").unwrap(), days: 2, rows_per_day: 50_000 }
    }

    #[test]
    fn same_spec_same_rows_and_other_seed_other_rows() {
        let a = small().generate().unwrap();
        assert_eq!(a, small().generate().unwrap());
        let b = SyntheticSpec { seed: 8, ..small() }.generate().unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn a_day_does_not_depend_on_the_others() {
        let two = small().generate().unwrap();
        let second_only =
            SyntheticSpec { first_date: small().first_date.add_days(1), days: 1, ..small() }.generate().unwrap();
        assert_eq!(two[1], second_only[0]);
    }

    #[test]
    fn shape_is_realistic() {
        let batches = small().generate().unwrap();
        assert_eq!(batches.len(), 2);
        let day = &batches[0];
        assert_eq!(day.schema(), source_schema());
        assert_eq!(day.num_rows() as u64 * 2, small().row_count());
        let countries = day.column(1).as_any().downcast_ref::<StringArray>().unwrap();
        let titles = day.column(0).as_any().downcast_ref::<Int32Array>().unwrap();
        let hours = day.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
        let mut per_country: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
        for i in 0..day.num_rows() {
            per_country.entry(countries.value(i)).or_default().insert(titles.value(i));
            let h = hours.value(i);
            assert!(h > 0.0 && h <= 12.0 && (h * 64.0).fract() == 0.0, "{h}");
            assert!((10_000_000..100_000_000).contains(&titles.value(i)));
        }
        assert_eq!(per_country.len(), 190);
        // Every country ranks more than 100 titles, so top 100 is full.
        let thinnest = per_country.values().map(BTreeSet::len).min().unwrap();
        assert!(thinnest > 100, "thinnest country has {thinnest} titles");
        // Skewed: the biggest market watches many more titles than the smallest.
        assert!(per_country["US"].len() > 3 * thinnest);
    }

    #[test]
    fn refuses_more_than_the_row_limit() {
        let huge = SyntheticSpec { days: 400, rows_per_day: 60_000, ..small() };
        let err = huge.generate().unwrap_err();
        assert!(err.to_string().contains("limit is 20000000"), "{err}");
    }

    #[test]
    fn the_parts_hold_the_same_rows_as_the_days() {
        use datafusion::arrow::compute::concat_batches;
        let days = small().generate().unwrap();
        let generator = small().generator().unwrap();
        assert_eq!(generator.parts(), 20);
        let parts: Vec<_> = (0..generator.parts()).map(|i| generator.part(i).unwrap()).collect();
        assert!(parts.iter().all(|p| p.num_rows() > 0));
        let all_days = concat_batches(&source_schema(), &days).unwrap();
        assert_eq!(concat_batches(&source_schema(), &parts).unwrap(), all_days);
        assert_eq!(generator.part(20).unwrap().num_rows(), 0);
    }

    #[test]
    fn coverage() {
        let s = small();
        assert!(s.covers(s.first_date) && s.covers(s.last_date()));
        assert!(!s.covers(s.first_date.add_days(-1)) && !s.covers(s.last_date().add_days(1)));
    }
}
