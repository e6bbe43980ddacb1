//! A table's columns at a glance: type, NULLs, distinct values, range, mean, the most frequent
//! values and a histogram: what a data engineer reads before writing an audit.
//!
//! Computed by DataFusion over a controlled scan (cancellable, pausing for the page like a step):
//! one aggregate pass for every column's counts, range and mean, then, per column, one grouping
//! for its most frequent values (only when some value repeats) and one for its histogram (numbers
//! whose range is not a single value). The figures are the ones `COUNT`, `COUNT(DISTINCT …)`,
//! `MIN`, `MAX` and `AVG` give in a step; the values are shown as the result grid shows them.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::dataframe::DataFrame;
use datafusion::functions_aggregate::expr_fn::{avg, count, count_distinct, max, min};
use datafusion::logical_expr::{cast, ident, lit, when, Expr};
use datafusion::prelude::floor;
use serde::{Deserialize, Serialize};

use crate::control::RunControl;
use crate::diff::{collect_table, df_error, side_frame, Side};
use crate::table::group_digits;
use crate::EngineError;

/// How many of the most frequent values a column keeps.
pub const TOP_VALUES: usize = 5;

/// How many equal-width bins a histogram has.
pub const BINS: usize = 10;

/// A numeric column's histogram: [`BINS`] equal-width bins from `low` to `high` (the last bin
/// includes `high`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// The smallest value.
    pub low: f64,
    /// The largest value.
    pub high: f64,
    /// How many values fall in each bin.
    pub counts: Vec<u64>,
}

/// One column's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    /// The column's name.
    pub name: String,
    /// Its type, as Spark names it (`INT`, `STRING`).
    pub data_type: String,
    /// How many cells are NULL.
    pub nulls: u64,
    /// How many distinct values other than NULL (`None`: a type that cannot be compared, such as
    /// an array).
    pub distinct: Option<u64>,
    /// The smallest value, as the result grid shows it.
    pub min: Option<String>,
    /// The largest value.
    pub max: Option<String>,
    /// The mean, for numbers.
    pub mean: Option<f64>,
    /// The most frequent values with their counts, most frequent first (empty when no value
    /// occurs twice).
    pub top: Vec<(String, u64)>,
    /// For numbers with more than one value.
    pub histogram: Option<Histogram>,
}

/// A table's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableProfile {
    /// How many rows.
    pub rows: u64,
    /// Each column's profile, in the table's order.
    pub columns: Vec<ColumnProfile>,
}

impl ColumnProfile {
    /// The share of NULL cells, from 0 to 1.
    pub fn null_share(&self, rows: u64) -> f64 {
        if rows == 0 {
            0.0
        } else {
            self.nulls as f64 / rows as f64
        }
    }

    /// One line of text: what `dataflow profile` prints per column.
    pub fn line(&self, rows: u64) -> String {
        let n = |v: u64| group_digits(v as usize);
        let mut parts = vec![
            format!("{} {}", self.name, self.data_type),
            format!("nulls {} ({:.1}%)", n(self.nulls), self.null_share(rows) * 100.0),
        ];
        if let Some(distinct) = self.distinct {
            parts.push(format!("distinct {}", n(distinct)));
        }
        if let (Some(lo), Some(hi)) = (&self.min, &self.max) {
            parts.push(format!("min {lo}"));
            parts.push(format!("max {hi}"));
        }
        if let Some(mean) = self.mean {
            parts.push(format!("mean {}", short(mean)));
        }
        if !self.top.is_empty() {
            let top: Vec<String> = self.top.iter().map(|(v, c)| format!("{v} ({})", n(*c))).collect();
            parts.push(format!("top {}", top.join(", ")));
        }
        parts.join(", ")
    }
}

/// A number as a profile shows it: at most six decimals, without trailing zeros or a trailing `.0`.
pub fn short(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let text = format!("{x:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Whether a column's values can be counted distinct and ordered.
fn comparable(t: &DataType) -> bool {
    t.is_primitive() || matches!(t, DataType::Boolean | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Profiles every column of `side`.
pub async fn profile_table(side: Side<'_>, control: &Arc<RunControl>) -> Result<TableProfile, EngineError> {
    // The plans are the diff's helpers: a failure is said as the profile's.
    profile(side, control).await.map_err(|e| match e {
        EngineError::Diff(message) => EngineError::Profile(message),
        other => other,
    })
}

async fn profile(side: Side<'_>, control: &Arc<RunControl>) -> Result<TableProfile, EngineError> {
    control.check()?;
    let ctx = crate::run::new_context();
    let df = side_frame(&ctx, side, control)?;
    let fields = side.schema.fields();

    let mut aggregates = vec![count(lit(1)).alias("rows")];
    for (i, f) in fields.iter().enumerate() {
        let c = ident(f.name());
        aggregates.push(count(c.clone()).alias(format!("n{i}")));
        if comparable(f.data_type()) {
            aggregates.push(count_distinct(c.clone()).alias(format!("d{i}")));
            aggregates.push(min(c.clone()).alias(format!("lo{i}")));
            aggregates.push(max(c.clone()).alias(format!("hi{i}")));
        }
        if f.data_type().is_numeric() {
            aggregates.push(avg(cast(c, DataType::Float64)).alias(format!("m{i}")));
        }
    }
    let stats = collect_table(df.clone().aggregate(vec![], aggregates).map_err(df_error)?, control).await?;
    let cell = |name: &str| stats.column_index(name).and_then(|i| stats.rows.first()?.get(i)).filter(|v| *v != "NULL");
    let number = |name: &str| cell(name).and_then(|v| v.parse::<f64>().ok());
    let whole = |name: &str| cell(name).and_then(|v| v.parse::<u64>().ok());
    let rows = whole("rows").unwrap_or(0);

    let mut columns = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let non_null = whole(&format!("n{i}")).unwrap_or(0);
        let distinct = whole(&format!("d{i}")).filter(|_| comparable(f.data_type()));
        let top = match distinct {
            Some(d) if d < non_null => top_values(df.clone(), f.name(), control).await?,
            _ => Vec::new(),
        };
        let (lo, hi) = (number(&format!("lo{i}")), number(&format!("hi{i}")));
        let histogram = match (lo, hi) {
            (Some(low), Some(high)) if f.data_type().is_numeric() && low < high => {
                Some(histogram(df.clone(), f.name(), low, high, control).await?)
            }
            _ => None,
        };
        columns.push(ColumnProfile {
            name: f.name().clone(),
            data_type: crate::spark::type_name(f.data_type()),
            nulls: rows.saturating_sub(non_null),
            distinct,
            min: cell(&format!("lo{i}")).cloned(),
            max: cell(&format!("hi{i}")).cloned(),
            mean: number(&format!("m{i}")),
            top,
            histogram,
        });
    }
    Ok(TableProfile { rows, columns })
}

/// The [`TOP_VALUES`] most frequent values of a column (ties by value), NULL left out.
async fn top_values(df: DataFrame, name: &str, control: &Arc<RunControl>) -> Result<Vec<(String, u64)>, EngineError> {
    let top = df
        .filter(ident(name).is_not_null())
        .and_then(|d| d.aggregate(vec![ident(name)], vec![count(lit(1)).alias("__count")]))
        .and_then(|d| d.sort(vec![ident("__count").sort(false, false), ident(name).sort(true, true)]))
        .and_then(|d| d.limit(0, Some(TOP_VALUES)))
        .map_err(df_error)?;
    let table = collect_table(top, control).await?;
    let pairs = table.rows.iter().filter_map(|row| Some((row.first()?.clone(), row.get(1)?.parse().ok()?)));
    Ok(pairs.collect())
}

/// A numeric column's values counted in [`BINS`] equal-width bins from `low` to `high`.
async fn histogram(
    df: DataFrame,
    name: &str,
    low: f64,
    high: f64,
    control: &Arc<RunControl>,
) -> Result<Histogram, EngineError> {
    let width = (high - low) / BINS as f64;
    let last = (BINS - 1) as i64;
    let raw = cast(floor((cast(ident(name), DataType::Float64) - lit(low)) / lit(width)), DataType::Int64);
    let bin: Expr = when(raw.clone().gt(lit(last)), lit(last)).otherwise(raw).map_err(df_error)?;
    let grouped = df
        .filter(ident(name).is_not_null())
        .and_then(|d| d.aggregate(vec![bin.alias("__bin")], vec![count(lit(1)).alias("__count")]))
        .map_err(df_error)?;
    let table = collect_table(grouped, control).await?;
    let mut counts = vec![0u64; BINS];
    for row in &table.rows {
        let bin = row.first().and_then(|b| b.parse::<usize>().ok());
        let n = row.get(1).and_then(|n| n.parse::<u64>().ok());
        if let (Some(bin), Some(n)) = (bin, n) {
            if let Some(slot) = counts.get_mut(bin.min(BINS - 1)) {
                *slot += n;
            }
        }
    }
    Ok(Histogram { low, high, counts })
}
