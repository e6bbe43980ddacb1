//! "Make expected from current output": the transform's output on the input mock as the expected
//! mock, one function for the app's button and `dataflow test --update`.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;

use super::unit_test::compare_rows;
use super::Mock;
use crate::ddl::TableDef;
use crate::{run_pipeline, EngineError, PipelineSpec, TARGET_TABLE};

/// The primary key of the sample's target table (one row per country and title): the expected
/// mock's key when the current expected mock gives none.
pub const DEFAULT_TARGET_KEY: [&str; 2] = ["country_code", "title_id"];

/// "Make expected from current output", for the app's button and `dataflow test --update` alike:
/// runs the transform on `input` and returns its output as the expected mock of
/// [`TARGET_TABLE`], with the DDL's types and column order where the DDL reads, and the primary
/// key of `previous` (the current expected mock's text) where that reads, else [`DEFAULT_TARGET_KEY`].
pub async fn make_expected(spec: &PipelineSpec, input: &Mock, previous: Option<&str>) -> Result<Mock, EngineError> {
    let source = input.to_source()?;
    let run = run_pipeline(spec, &source).await?;
    let output = run.output().ok_or_else(|| EngineError::InvalidSpec("the pipeline has no steps".into()))?;
    let key = match previous.map(Mock::parse) {
        Some(Ok(mock)) => mock.primary_key,
        _ => DEFAULT_TARGET_KEY.iter().map(|k| k.to_string()).collect(),
    };
    expected_from_output(TARGET_TABLE, &output.schema, &output.batches, run.target.as_ref().ok(), &key)
}

/// "Make expected from current output": a mock of `table` holding the output's rows, with the
/// DDL's type names where given, sorted by `primary_key` then every column (so it diffs well).
pub fn expected_from_output(
    table: &str,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    ddl: Option<&TableDef>,
    primary_key: &[String],
) -> Result<Mock, EngineError> {
    let mut mock = Mock::from_batches(table, schema, batches)?;
    if let Some(ddl) = ddl {
        mock = mock.with_types_from(ddl).in_table_order(ddl);
    }
    let key: Vec<usize> = primary_key.iter().filter_map(|k| mock.column_index(k)).collect();
    let order: Vec<usize> = key.iter().copied().chain(0..mock.columns.len()).collect();
    mock.rows.sort_by(|a, b| compare_rows(&a.cells, &b.cells, &order, |c| &c.value));
    mock.primary_key = primary_key.to_vec();
    Ok(mock)
}
