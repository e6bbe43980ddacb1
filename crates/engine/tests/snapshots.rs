//! Snapshots (insta) of the sample pipeline's results. Native only: insta writes files.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::{source, spec};
use dataflow_engine::arrow::util::pretty::pretty_format_batches;
use dataflow_engine::table::{sort_batches, DISPLAY_ORDER};
use dataflow_engine::{run_pipeline, PipelineSpec, SourceData};

const DAY: &str = "20220101";

/// Every step's result as a table, sorted for a stable snapshot.
async fn steps_text(spec: &PipelineSpec, src: &SourceData) -> String {
    let run = run_pipeline(spec, src).await.unwrap();
    let mut out = String::new();
    for step in &run.steps {
        let sorted = sort_batches(&step.schema, &step.batches, &DISPLAY_ORDER, None).unwrap();
        let text = pretty_format_batches(&[sorted]).unwrap();
        out.push_str(&format!("{} ({} rows)\n{text}\n", step.name, step.row_count));
    }
    out
}

#[tokio::test]
async fn three_countries_two_dates_with_ties() {
    let src = source(&[
        (11111111, "US", Some(100.0), DAY),
        (11111111, "US", Some(23.0), DAY),
        (44444444, "US", Some(111.0), DAY),
        (33333333, "US", Some(98.0), DAY),
        (55555555, "US", Some(55.0), DAY),
        (22222222, "US", Some(11.0), DAY),
        (66666666, "US", Some(11.0), DAY),
        (11111111, "CA", Some(2.5), DAY),
        (44444444, "CA", Some(2.5), DAY),
        (33333333, "CA", Some(0.25), DAY),
        (11111111, "MX", Some(9.0), DAY),
        (11111111, "US", Some(999.0), "20220102"),
    ]);
    insta::assert_snapshot!(steps_text(&spec(DAY, 4), &src).await);
}

#[tokio::test]
async fn default_synthetic_run_shape() {
    let spec = PipelineSpec::sample();
    let src = dataflow_engine::resolve_now(&spec, &dataflow_engine::NoFiles).unwrap();
    let run = run_pipeline(&spec, &src).await.unwrap();
    let out = run.output().unwrap();
    let top = dataflow_engine::export::sorted_csv(&out.schema, &out.batches, &DISPLAY_ORDER, Some(5)).unwrap();
    let counts: Vec<usize> = run.steps.iter().map(|s| s.row_count).collect();
    insta::assert_snapshot!(format!("source rows: {}\nstep rows: {counts:?}\n{top}", run.source_rows));
    // About the article's 19,000 rows a day: 190 countries, 100 titles each, a few ties more.
    assert!((19_000..19_200).contains(&out.row_count), "{}", out.row_count);
}
