//! The source table's data, built once from the spec and shared by every run that uses it;
//! where it comes from is [`resolve`]'s business (`resolve.rs`).

use datafusion::arrow::array::{Date32Array, RecordBatch};
use datafusion::arrow::compute::kernels::cmp::eq;
use datafusion::arrow::compute::{filter_record_batch, max, min};
use datafusion::arrow::datatypes::{DataType, SchemaRef};

use crate::{EngineError, RunDate, SyntheticSpec};

mod resolve;

pub use resolve::{resolve, resolve_now, schema_of, NoFiles, SourceCache, Sources};

/// A source table in memory.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// The table's schema.
    pub schema: SchemaRef,
    /// Its rows.
    pub batches: Vec<RecordBatch>,
    /// The first and last `playback_date`, if known and the table has rows.
    pub date_range: Option<(RunDate, RunDate)>,
    /// Each batch's first and last `playback_date` (days since the epoch), if known: a scan
    /// filtered on the date skips the batches that cannot match (a synthetic day is its own
    /// batches).
    pub(crate) batch_dates: Vec<Option<(i32, i32)>>,
}

impl SourceData {
    /// The whole synthetic table at once, a batch per day: for hosts with no thread to give
    /// back (the CLI, the benchmarks, tests). A run's source is [`resolve`]d instead.
    pub fn synthetic(spec: &SyntheticSpec) -> Result<Self, EngineError> {
        Ok(SourceData::new(crate::synthetic::source_schema(), spec.generate()?))
    }

    /// The synthetic table under `control`: generated a part at a time, with a cancel check and a
    /// pause between parts, its rows counted as progress (step 0).
    pub(crate) async fn generate_with(spec: &SyntheticSpec, control: &crate::RunControl) -> Result<Self, EngineError> {
        let generator = spec.generator()?;
        let mut batches = Vec::with_capacity(generator.parts());
        for part in 0..generator.parts() {
            control.check()?;
            control.maybe_pause().await;
            let batch = generator.part(part)?;
            control.add_rows_read(batch.num_rows());
            batches.push(batch);
        }
        Ok(SourceData::new(crate::synthetic::source_schema(), batches))
    }

    /// The rows whose `playback_date` is `date` (all rows when there is no such `DATE` column).
    pub fn rows_on(&self, date: RunDate) -> Result<Vec<RecordBatch>, EngineError> {
        let Some((index, field)) = self.schema.column_with_name("playback_date") else {
            return Ok(self.batches.clone());
        };
        if field.data_type() != &DataType::Date32 {
            return Ok(self.batches.clone());
        }
        let wanted = Date32Array::new_scalar(date.days());
        let arrow_error = |e: datafusion::arrow::error::ArrowError| EngineError::Source(e.to_string());
        self.batches
            .iter()
            .map(|batch| {
                let dates = batch
                    .columns()
                    .get(index)
                    .ok_or_else(|| EngineError::Source("a batch lacks playback_date".into()))?;
                let keep = eq(dates, &wanted).map_err(arrow_error)?;
                filter_record_batch(batch, &keep).map_err(arrow_error)
            })
            .collect()
    }

    /// A source from rows in memory; the date range is read from `playback_date` if it is a `DATE`.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        let batch_dates = batch_dates(&schema, &batches);
        let range = batch_dates.iter().flatten().fold(None, |range: Option<(i32, i32)>, &(lo, hi)| {
            Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
        });
        let date_range = range.map(|(lo, hi)| (RunDate::from_days(lo), RunDate::from_days(hi)));
        SourceData { schema, batches, date_range, batch_dates }
    }

    /// How many rows the table has.
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// Each batch's first and last `playback_date`, when it is a `DATE` column (else `None`s).
fn batch_dates(schema: &SchemaRef, batches: &[RecordBatch]) -> Vec<Option<(i32, i32)>> {
    let column = schema.column_with_name("playback_date").filter(|(_, f)| f.data_type() == &DataType::Date32);
    batches
        .iter()
        .map(|batch| {
            let dates = batch.columns().get(column?.0)?.as_any().downcast_ref::<Date32Array>()?;
            Some((min(dates)?, max(dates)?))
        })
        .collect()
}
