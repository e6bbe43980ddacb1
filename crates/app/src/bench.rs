//! What the browser benchmark page (`web/bench`, `scripts/bench_browser.sh`) calls: the sample
//! pipeline on the synthetic source (the same rows as `bench/native`), those rows as Arrow IPC
//! for DuckDB-wasm, the steps' SQL as run, the run diff and the profiles (timed with the page's
//! longest task), and the wasm memory size. The page is the app's own build with `data-bench`
//! on `<body>`, so `main` mounts nothing there.

use std::cell::RefCell;
use std::sync::Arc;

use dataflow_engine::arrow::array::RecordBatch;
use dataflow_engine::arrow::compute::cast;
use dataflow_engine::arrow::datatypes::{DataType, Field, Schema};
use dataflow_engine::arrow::ipc::writer::StreamWriter;
use dataflow_engine::diff::{diff_runs, named, Side};
use dataflow_engine::params::substitute;
use dataflow_engine::profile::profile_table;
use dataflow_engine::wire::encode_sides;
use dataflow_engine::{
    run_pipeline_with, PipelineRun, PipelineSpec, RunControl, SourceData, SourceSpec, SyntheticSpec,
};
use wasm_bindgen::prelude::*;

thread_local! {
    static PREPARED: RefCell<Option<(PipelineSpec, Arc<SourceData>)>> = const { RefCell::new(None) };
    /// The sample's run and its DENSE_RANK edit's on the prepared source ([`bench_diff_prepare`]).
    static TWO_RUNS: RefCell<Option<Arc<(PipelineRun, PipelineRun)>>> = const { RefCell::new(None) };
}

fn two_runs() -> Result<Arc<(PipelineRun, PipelineRun)>, JsError> {
    TWO_RUNS.with_borrow(Clone::clone).ok_or_else(|| JsError::new("call bench_diff_prepare first"))
}

fn control(pauses: bool) -> Arc<RunControl> {
    Arc::new(if pauses { crate::browser::pausing_control() } else { RunControl::default() })
}

fn prepared() -> Result<(PipelineSpec, Arc<SourceData>), JsError> {
    PREPARED.with_borrow(Clone::clone).ok_or_else(|| JsError::new("call bench_prepare first"))
}

/// Whether the page is the benchmark page (`<body data-bench>`): then the app is not mounted.
pub fn is_bench_page() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|body| body.has_attribute("data-bench"))
}

/// Generates the sample's synthetic source with about `rows` rows over seven days (seed 42, as
/// `bench/native`) and keeps it for the calls below. Returns the exact row count.
#[wasm_bindgen]
pub fn bench_prepare(rows: u32) -> Result<f64, JsError> {
    let mut spec = PipelineSpec::sample();
    let synthetic = SyntheticSpec { rows_per_day: rows / 7, ..SyntheticSpec::ending_on(spec.params.date) };
    spec.source = SourceSpec::Synthetic(synthetic);
    let source = SourceData::synthetic(&synthetic).map_err(|e| JsError::new(&e.to_string()))?;
    let count = source.row_count() as f64;
    PREPARED.set(Some((spec, Arc::new(source))));
    Ok(count)
}

/// How many batches the prepared source has (one per day).
#[wasm_bindgen]
pub fn bench_batches() -> Result<u32, JsError> {
    Ok(u32::try_from(prepared()?.1.batches.len()).unwrap_or(u32::MAX))
}

/// One batch of the prepared source as an Arrow IPC stream: what DuckDB-wasm is given.
#[wasm_bindgen]
pub fn bench_batch_ipc(index: u32) -> Result<Vec<u8>, JsError> {
    let (_, source) = prepared()?;
    let batch = source.batches.get(index as usize).ok_or_else(|| JsError::new("no such batch"))?;
    let mut writer = StreamWriter::try_new(Vec::new(), &source.schema).map_err(|e| JsError::new(&e.to_string()))?;
    writer.write(batch).map_err(|e| JsError::new(&e.to_string()))?;
    writer.into_inner().map_err(|e| JsError::new(&e.to_string()))
}

/// The steps' SQL with the parameters substituted, as JSON `[{"name", "sql"}]`.
#[wasm_bindgen]
pub fn bench_steps() -> Result<String, JsError> {
    let (spec, _) = prepared()?;
    let values = spec.params.values();
    let steps = spec
        .steps
        .iter()
        .map(|s| {
            let sql = substitute(&s.name, &s.sql, &values).map_err(|e| JsError::new(&e.to_string()))?;
            Ok(serde_json::json!({ "name": s.name, "sql": sql }))
        })
        .collect::<Result<Vec<_>, JsError>>()?;
    Ok(serde_json::Value::Array(steps).to_string())
}

/// Re-encodes the prepared source's `country_code` as a dictionary (a lever to measure).
#[wasm_bindgen]
pub fn bench_dictionary_country_code() -> Result<(), JsError> {
    let (spec, source) = prepared()?;
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let fields = source
        .schema
        .fields()
        .iter()
        .map(|f| {
            if f.name() == "country_code" {
                Arc::new(Field::new(f.name(), dictionary.clone(), f.is_nullable()))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>();
    let schema = Arc::new(Schema::new(fields));
    let batches = source
        .batches
        .iter()
        .map(|batch| {
            let columns = batch
                .columns()
                .iter()
                .zip(schema.fields())
                .map(|(column, field)| cast(column, field.data_type()))
                .collect::<Result<Vec<_>, _>>()?;
            RecordBatch::try_new(schema.clone(), columns)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| JsError::new(&e.to_string()))?;
    let data = SourceData::new(schema, batches);
    PREPARED.set(Some((spec, Arc::new(data))));
    Ok(())
}

/// Runs the sample pipeline on the prepared source, as the app does (one partition, every step
/// kept); `batch_size` 0 keeps DataFusion's default; `pauses` gives the thread back every slice
/// as the app does. Returns JSON: the last step's row count and each step's milliseconds.
#[wasm_bindgen]
pub async fn bench_run(batch_size: u32, pauses: bool) -> Result<String, JsError> {
    let (spec, source) = prepared()?;
    let mut control = if pauses { crate::browser::pausing_control() } else { RunControl::default() };
    if batch_size > 0 {
        control = control.with_batch_size(batch_size as usize);
    }
    let run = run_pipeline_with(&spec, &source, &Arc::new(control)).await.map_err(|e| JsError::new(&e.to_string()))?;
    let steps: Vec<f64> = run.steps.iter().map(|s| s.elapsed_ms).collect();
    let rows = run.output().map_or(0, |o| o.row_count);
    Ok(serde_json::json!({ "rows": rows, "steps_ms": steps }).to_string())
}

/// Runs the sample and its RANK → DENSE_RANK edit on the prepared source and keeps both, for
/// [`bench_diff`]. Returns how many step rows the two runs have in all.
#[wasm_bindgen]
pub async fn bench_diff_prepare() -> Result<f64, JsError> {
    let (spec, source) = prepared()?;
    let mut dense = spec.clone();
    if let Some(step) = dense.steps.get_mut(1) {
        step.sql = step.sql.replace("RANK()", "DENSE_RANK()");
    }
    let failed = |e: dataflow_engine::EngineError| JsError::new(&e.to_string());
    let base = run_pipeline_with(&spec, &source, &control(false)).await.map_err(failed)?;
    let new = run_pipeline_with(&dense, &source, &control(false)).await.map_err(failed)?;
    let rows: usize = base.steps.iter().chain(&new.steps).map(|s| s.row_count).sum();
    TWO_RUNS.set(Some(Arc::new((base, new))));
    Ok(rows as f64)
}

/// The Changes panel's diff of the two kept runs (200 changed rows listed); `pauses` as the app
/// compares on its thread. Returns the output's changed row count.
#[wasm_bindgen]
pub async fn bench_diff(pauses: bool) -> Result<f64, JsError> {
    let (spec, _) = prepared()?;
    let runs = two_runs()?;
    let (base, new) = (named(&runs.0), named(&runs.1));
    let diff = diff_runs(&spec, &base, &new, None, crate::changes::SHOWN_ROWS, &control(pauses))
        .await
        .map_err(|e| JsError::new(&e.to_string()))?;
    let output = diff.steps.last().and_then(|s| s.diff.as_ref().ok());
    Ok(output.map_or(0, |d| d.added + d.removed + d.changed) as f64)
}

/// What the page does before a diff goes to the worker: both runs' steps as one message's bytes.
#[wasm_bindgen]
pub fn bench_diff_encode() -> Result<f64, JsError> {
    let runs = two_runs()?;
    let bytes = encode_sides(&named(&runs.0), &named(&runs.1)).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(bytes.len() as f64)
}

/// The profile of the prepared source (`output` false) or of the kept run's output; returns its
/// row count.
#[wasm_bindgen]
pub async fn bench_profile(output: bool, pauses: bool) -> Result<f64, JsError> {
    let (_, source) = prepared()?;
    let runs = two_runs()?;
    let side = match runs.0.steps.last() {
        Some(step) if output => Side { schema: &step.schema, batches: &step.batches },
        _ => Side { schema: &source.schema, batches: &source.batches },
    };
    let profile = profile_table(side, &control(pauses)).await.map_err(|e| JsError::new(&e.to_string()))?;
    Ok(profile.rows as f64)
}

/// The wasm instance's linear memory, in bytes: it only grows, so after a run it is the peak.
#[wasm_bindgen]
pub fn bench_memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    let pages = core::arch::wasm32::memory_size::<0>();
    #[cfg(not(target_arch = "wasm32"))]
    let pages = 0_usize;
    pages as f64 * 65536.0
}
