//! The source table's data, built once from the spec and shared by every run that uses it.

use datafusion::arrow::array::{Date32Array, RecordBatch};
use datafusion::arrow::compute::kernels::cmp::eq;
use datafusion::arrow::compute::{filter_record_batch, max, min};
use datafusion::arrow::datatypes::{DataType, SchemaRef};

use crate::{EngineError, RunDate, SourceSpec};

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
    /// Builds the source a spec names.
    pub fn build(spec: &SourceSpec) -> Result<Self, EngineError> {
        match spec {
            SourceSpec::Synthetic(synthetic) => {
                Ok(SourceData::new(crate::synthetic::source_schema(), synthetic.generate()?))
            }
            SourceSpec::InputMock => {
                Err(EngineError::Source("the input mock is part of the pipeline spec: use SourceData::for_spec".into()))
            }
            SourceSpec::Imported { file_name } => {
                Err(EngineError::Source(format!("the imported file {file_name} is not loaded: import it again")))
            }
        }
    }

    /// [`SourceData::build`] under `control`: a synthetic table is generated a part at a time,
    /// with a cancel check and a pause between parts, and its rows count as progress (step 0).
    pub async fn build_with(spec: &SourceSpec, control: &crate::RunControl) -> Result<Self, EngineError> {
        let SourceSpec::Synthetic(synthetic) = spec else { return SourceData::build(spec) };
        let generator = synthetic.generator()?;
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

    /// Builds the source a whole spec names: its synthetic table, its input mock, or (in the app) a file.
    pub fn for_spec(spec: &crate::PipelineSpec) -> Result<Self, EngineError> {
        match &spec.source {
            SourceSpec::InputMock => crate::Mock::parse(&spec.mocks.input)?.to_source(),
            other => SourceData::build(other),
        }
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
