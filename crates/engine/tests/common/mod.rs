//! Hand-made source tables for the engine tests (each test binary uses part of it).
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use dataflow_engine::arrow::array::{ArrayRef, Date32Array, Float64Array, Int32Array, RecordBatch, StringArray};
use dataflow_engine::synthetic::source_schema;
use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{PipelineRun, PipelineSpec, RunDate, SourceData, Table};

/// One source row: title, country, hours, date (YYYYMMDD).
pub type Row = (i32, &'static str, Option<f64>, &'static str);

pub fn source(rows: &[Row]) -> SourceData {
    let date = |d: &str| RunDate::parse(d).unwrap().days();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())),
        Arc::new(StringArray::from(rows.iter().map(|r| r.1).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())),
        Arc::new(Date32Array::from(rows.iter().map(|r| date(r.3)).collect::<Vec<_>>())),
    ];
    let batch = RecordBatch::try_new(source_schema(), columns).unwrap();
    SourceData::new(source_schema(), vec![batch])
}

pub fn spec(date: &str, top_n: u32) -> PipelineSpec {
    let mut spec = PipelineSpec::sample();
    spec.params.date = RunDate::parse(date).unwrap();
    spec.params.top_n = top_n;
    spec
}

/// A step's rows as CSV, in the display order.
pub fn csv(run: &PipelineRun, step: usize) -> String {
    let s = &run.steps[step];
    Table::from_batches(&s.schema, &s.batches, &DISPLAY_ORDER, None).unwrap().to_csv()
}
