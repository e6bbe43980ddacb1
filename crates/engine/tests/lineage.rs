//! Column lineage from the logical plans: the sample's columns traced to the source through every
//! step, SQL whose names resolve only in the planner (a CTE, aliases, `SELECT *`, a join, a
//! union), and a check against the data: a source column scaled by two changes exactly the output
//! columns whose lineage reaches it.
//! Native only: the engine code under test is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use dataflow_engine::arrow::array::{Array, Float64Array, RecordBatch};
use dataflow_engine::diff::{diff_runs, named};
use dataflow_engine::lineage::{column_lineage, ColumnRef, Lineage};
use dataflow_engine::{resolve_now, run_pipeline, EngineError, NoFiles, PipelineSpec, RunControl, SourceData, Step};

fn col(table: &str, column: &str) -> ColumnRef {
    ColumnRef { table: table.into(), column: column.into() }
}

async fn lineage(spec: &PipelineSpec) -> Result<Lineage, EngineError> {
    column_lineage(spec, dataflow_engine::synthetic::source_schema()).await
}

fn sources(l: &Lineage, table: &str, column: &str) -> Vec<String> {
    l.sources(&col(table, column)).into_iter().map(|c| c.column.clone()).collect()
}

const SOURCE: &str = "some_db.source_table";

#[tokio::test]
async fn the_sample_traces_view_hours_from_the_source_through_every_step() {
    let l = lineage(&PipelineSpec::sample()).await.unwrap();
    let names: Vec<&str> = l.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, [SOURCE, "STEP_1", "STEP_2", "STEP_3"]);
    assert_eq!(
        l.describe(&col("STEP_3", "view_hours")),
        [
            "STEP_3.view_hours ← STEP_2.view_hours",
            "STEP_2.view_hours ← STEP_1.view_hours",
            "STEP_1.view_hours ← some_db.source_table.view_hours via sum(view_hours)",
        ]
    );
    // A rank is computed from its PARTITION BY and ORDER BY columns.
    assert_eq!(sources(&l, "STEP_3", "title_rank"), ["country_code", "view_hours"]);
    let rank: Vec<_> =
        l.upstream(&col("STEP_2", "title_rank")).into_iter().filter(|e| e.to.table == "STEP_2").collect();
    assert_eq!(rank.len(), 2);
    assert!(rank.iter().all(|e| e.label() == "rank() OVER (PARTITION BY country_code ORDER BY view_hours DESC)"));
    assert_eq!(sources(&l, "STEP_3", "title_id"), ["title_id"]);
    // playback_date filters rows; no output value comes from it.
    assert!(l.edges.iter().all(|e| e.from.column != "playback_date"));
}

#[tokio::test]
async fn names_resolve_as_the_planner_resolves_them() {
    let mut spec = PipelineSpec::sample();
    spec.steps = vec![
        Step {
            name: "Daily".into(),
            sql:
                "WITH t AS (SELECT title_id AS id, view_hours * 2 AS doubled, country_code FROM some_db.source_table) \
                  SELECT id, upper(country_code) AS country, doubled FROM t"
                    .into(),
        },
        Step {
            name: "joined".into(),
            sql: "SELECT d.*, s.view_hours AS raw FROM DAILY d JOIN some_db.source_table s ON d.id = s.title_id \
                  UNION ALL SELECT id, country, doubled, doubled + 1 FROM daily"
                .into(),
        },
    ];
    let l = lineage(&spec).await.unwrap();
    assert_eq!(l.tables[1].name, "Daily", "a step is named as the user spelt it");
    assert_eq!(
        l.describe(&col("Daily", "doubled")),
        ["Daily.doubled ← some_db.source_table.view_hours via view_hours * 2"]
    );
    assert_eq!(
        l.describe(&col("Daily", "country")),
        ["Daily.country ← some_db.source_table.country_code via upper(country_code)"]
    );
    // SELECT d.* and the union's second input both feed `raw` and the others.
    let raw: BTreeSet<String> =
        l.upstream(&col("joined", "raw")).iter().map(|e| format!("{}.{}", e.from.table, e.from.column)).collect();
    assert_eq!(raw, BTreeSet::from(["Daily.doubled".into(), "some_db.source_table.view_hours".into()]));
    assert_eq!(sources(&l, "joined", "id"), ["title_id"]);
    let plus_one = l.upstream(&col("joined", "raw")).into_iter().find(|e| e.from.table == "Daily").unwrap();
    assert_eq!(plus_one.label(), "doubled + 1");
}

#[tokio::test]
async fn a_step_that_does_not_plan_says_which_and_why() {
    let mut spec = PipelineSpec::sample();
    spec.steps[1].sql = "SELECT no_such_column FROM STEP_1".into();
    let e = lineage(&spec).await.unwrap_err().to_string();
    assert!(e.contains("STEP_2") && e.contains("no_such_column"), "{e}");
}

/// The source with view_hours times two.
fn doubled(source: &SourceData) -> SourceData {
    let at = source.schema.index_of("view_hours").unwrap();
    let batches = source
        .batches
        .iter()
        .map(|b| {
            let hours = b.column(at).as_any().downcast_ref::<Float64Array>().unwrap();
            let twice: Float64Array = hours.iter().map(|v| v.map(|x| x * 2.0)).collect();
            let mut columns = b.columns().to_vec();
            columns[at] = Arc::new(twice);
            RecordBatch::try_new(b.schema(), columns).unwrap()
        })
        .collect();
    SourceData::new(source.schema.clone(), batches)
}

#[tokio::test]
async fn a_scaled_source_column_changes_the_columns_its_lineage_reaches() {
    let mut spec = PipelineSpec::sample();
    spec.params.top_n = 20;
    // One more output column that does not come from view_hours, one that does through a CASE.
    spec.steps[2].sql = "SELECT title_id, country_code, view_hours, title_rank, length(country_code) AS len, \
                         CASE WHEN view_hours > 10 THEN 'long' ELSE 'short' END AS band FROM STEP_2 \
                         WHERE title_rank <= ${top_n}"
        .into();
    let source = resolve_now(&spec, &NoFiles).unwrap();
    let base = run_pipeline(&spec, &source).await.unwrap();
    let scaled = run_pipeline(&spec, &doubled(&source)).await.unwrap();
    let control = Arc::new(RunControl::default());
    let diff = diff_runs(&spec, &named(&base), &named(&scaled), None, 0, &control).await.unwrap();
    let output = diff.steps.last().unwrap().diff.as_ref().unwrap();
    let changed: BTreeSet<&str> = output.columns.iter().filter(|c| c.changed > 0).map(|c| c.name.as_str()).collect();
    let l = lineage(&spec).await.unwrap();
    let reached: BTreeSet<&str> = l.tables[3]
        .columns
        .iter()
        .filter(|c| l.sources(&col("STEP_3", c)).contains(&col(SOURCE, "view_hours")))
        .map(String::as_str)
        .collect();
    // Doubling keeps the order, so the ranks and rows stay: the hours and the band change.
    assert_eq!(changed, BTreeSet::from(["view_hours", "band"]));
    assert!(changed.is_subset(&reached), "{changed:?} {reached:?}");
    assert_eq!(reached, BTreeSet::from(["view_hours", "title_rank", "band"]));
    assert!(output.added == 0 && output.removed == 0);
}
