//! Hand-made source tables for the engine tests (each test binary uses part of it).
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use dataflow_engine::arrow::array::{ArrayRef, Date32Array, Float64Array, Int32Array, RecordBatch, StringArray};
use dataflow_engine::synthetic::source_schema;
use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{PipelineRun, PipelineSpec, RunDate, SourceData};

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

/// A step's rows as CSV (the export's), in the display order.
pub fn csv(run: &PipelineRun, step: usize) -> String {
    let s = &run.steps[step];
    dataflow_engine::export::sorted_csv(&s.schema, &s.batches, &DISPLAY_ORDER, None).unwrap()
}

/// One staged row: title, country, rank, hours (any may be NULL).
pub type Ranked = (Option<i32>, Option<&'static str>, Option<i32>, Option<f64>);

/// A ranked row with every value set.
pub fn row(title: i32, country: &'static str, rank: i32, hours: f64) -> Ranked {
    (Some(title), Some(country), Some(rank), Some(hours))
}

/// A source whose rows are already ranked, every row on `date` (YYYYMMDD); with
/// [`passthrough_spec`], the staged partition is exactly these rows.
pub fn ranked_source(days: &[(&str, &[Ranked])]) -> SourceData {
    use dataflow_engine::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(vec![
        Field::new("title_id", DataType::Int32, true),
        Field::new("country_code", DataType::Utf8, true),
        Field::new("title_rank", DataType::Int32, true),
        Field::new("view_hours", DataType::Float64, true),
        Field::new("playback_date", DataType::Date32, false),
    ]));
    let rows: Vec<(&str, &Ranked)> = days.iter().flat_map(|(d, rows)| rows.iter().map(move |r| (*d, r))).collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from(rows.iter().map(|r| r.1 .0).collect::<Vec<_>>())),
        Arc::new(StringArray::from(rows.iter().map(|r| r.1 .1).collect::<Vec<_>>())),
        Arc::new(Int32Array::from(rows.iter().map(|r| r.1 .2).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(rows.iter().map(|r| r.1 .3).collect::<Vec<_>>())),
        Arc::new(Date32Array::from(rows.iter().map(|r| RunDate::parse(r.0).unwrap().days()).collect::<Vec<_>>())),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    SourceData::new(schema, vec![batch])
}

/// The sample spec with one step that passes the run date's source rows through, and `audits`.
pub fn passthrough_spec(audits: Vec<dataflow_engine::AuditSpec>) -> PipelineSpec {
    let mut spec = PipelineSpec::sample();
    spec.steps = vec![dataflow_engine::Step {
        name: "STEP_1".into(),
        sql: "SELECT title_id, country_code, title_rank, view_hours FROM some_db.source_table \
              WHERE playback_date = DATE '${date}'"
            .into(),
    }];
    spec.workflow.audits = audits;
    spec
}

/// A date from YYYYMMDD.
pub fn day(text: &str) -> RunDate {
    RunDate::parse(text).unwrap()
}
