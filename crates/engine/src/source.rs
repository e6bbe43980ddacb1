//! The source table's data, built once from the spec and shared by every run that uses it.

use datafusion::arrow::array::{Date32Array, RecordBatch};
use datafusion::arrow::compute::{max, min};
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
}

impl SourceData {
    /// Builds the source a spec names.
    pub fn build(spec: &SourceSpec) -> Result<Self, EngineError> {
        match spec {
            SourceSpec::Synthetic(synthetic) => {
                let batches = synthetic.generate()?;
                let date_range = (synthetic.days > 0).then(|| (synthetic.first_date, synthetic.last_date()));
                Ok(SourceData { schema: crate::synthetic::source_schema(), batches, date_range })
            }
            SourceSpec::Imported { file_name } => {
                Err(EngineError::Source(format!("the imported file {file_name} is not loaded: import it again")))
            }
        }
    }

    /// A source from rows in memory; the date range is read from `playback_date` if it is a `DATE`.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        let date_range = date_range(&schema, &batches);
        SourceData { schema, batches, date_range }
    }

    /// How many rows the table has.
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

fn date_range(schema: &SchemaRef, batches: &[RecordBatch]) -> Option<(RunDate, RunDate)> {
    let (index, field) = schema.column_with_name("playback_date")?;
    if field.data_type() != &DataType::Date32 {
        return None;
    }
    let mut range: Option<(i32, i32)> = None;
    for batch in batches {
        let dates = batch.columns().get(index)?.as_any().downcast_ref::<Date32Array>()?;
        if let (Some(lo), Some(hi)) = (min(dates), max(dates)) {
            range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
    }
    range.map(|(lo, hi)| (RunDate::from_days(lo), RunDate::from_days(hi)))
}
