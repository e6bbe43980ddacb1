//! The templates' one-query form of the transform gives exactly the engine's step-by-step result.

use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{resolve_now, run_pipeline, NoFiles, PipelineSpec, SourceSpec, Step, SyntheticSpec, Table};
use dataflow_templates::cte_query;

#[tokio::test]
async fn one_query_equals_the_step_chain() {
    let mut spec = PipelineSpec::sample();
    spec.params.top_n = 7;
    // A small synthetic source keeps the test fast.
    spec.source =
        SourceSpec::Synthetic(SyntheticSpec { rows_per_day: 1_000, ..SyntheticSpec::ending_on(spec.params.date) });
    let source = resolve_now(&spec, &NoFiles).unwrap();

    let stepwise = run_pipeline(&spec, &source).await.unwrap();
    let single =
        PipelineSpec { steps: vec![Step { name: "ALL_STEPS".into(), sql: cte_query(&spec).unwrap() }], ..spec.clone() };
    let at_once = run_pipeline(&single, &source).await.unwrap();

    let table = |run: &dataflow_engine::PipelineRun| {
        let out = run.output().unwrap();
        Table::from_batches(&out.schema, &out.batches, &DISPLAY_ORDER, None).unwrap()
    };
    let expected = table(&stepwise);
    assert!(expected.rows.len() >= 190 * 7, "{}", expected.rows.len());
    assert_eq!(table(&at_once), expected);
}
