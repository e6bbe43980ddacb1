//! Window functions over whole partitions.
//!
//! DataFusion plans a window whose functions can stream (`RANK`, `ROW_NUMBER`…) on sorted input
//! as a `BoundedWindowAggExec`, which evaluates `RANK` row by row through `ScalarValue`s: over
//! half of the sample pipeline's time at 10M rows (issue #8). Our tables are all in memory, so
//! streaming saves nothing; [`WholePartitionWindows`] plans every such window as a
//! `WindowAggExec` instead, which evaluates a partition at a time (`RANK` from the sorted
//! partition's tie ranges). Same input order, same output schema, same rows.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use datafusion::error::Result;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::windows::{BoundedWindowAggExec, WindowAggExec};
use datafusion::physical_plan::{ExecutionPlan, InputOrderMode};

/// Replaces each `BoundedWindowAggExec` on fully sorted input by a `WindowAggExec`.
#[derive(Debug, Default)]
pub(crate) struct WholePartitionWindows;

impl PhysicalOptimizerRule for WholePartitionWindows {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            let Some(bounded) = node.downcast_ref::<BoundedWindowAggExec>() else {
                return Ok(Transformed::no(node));
            };
            if bounded.input_order_mode != InputOrderMode::Sorted {
                return Ok(Transformed::no(node));
            }
            let whole = WindowAggExec::try_new(bounded.window_expr().to_vec(), Arc::clone(bounded.input()), false)?;
            Ok(Transformed::yes(Arc::new(whole) as Arc<dyn ExecutionPlan>))
        })
        .data()
    }

    fn name(&self) -> &str {
        "whole_partition_windows"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Float64Array, Int32Array, RecordBatch, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::util::pretty::pretty_format_batches;
    use datafusion::datasource::MemTable;
    use datafusion::execution::context::{SessionConfig, SessionContext};
    use datafusion::physical_plan::displayable;

    use super::*;

    /// Ties, NULLs in the partition and the order keys, one-row and empty partitions' worth.
    fn table() -> Arc<MemTable> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("title_id", DataType::Int32, false),
            Field::new("country_code", DataType::Utf8, true),
            Field::new("view_hours", DataType::Float64, true),
        ]));
        let countries = ["US", "US", "US", "US", "FR", "FR", "BR"];
        let batch = |offset: i32, hours: Vec<Option<f64>>, countries: Vec<Option<&str>>| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int32Array::from((0..hours.len() as i32).map(|i| i + offset).collect::<Vec<_>>())),
                    Arc::new(StringArray::from(countries)),
                    Arc::new(Float64Array::from(hours)),
                ],
            )
            .expect("batch")
        };
        let first = batch(
            0,
            vec![Some(5.0), Some(5.0), Some(3.0), None, Some(1.0), Some(1.0), Some(9.0)],
            countries.iter().map(|c| Some(*c)).collect(),
        );
        let second = batch(100, vec![Some(5.0), None, Some(2.0)], vec![Some("US"), None, None]);
        Arc::new(MemTable::try_new(schema.clone(), vec![vec![first, second]]).expect("table"))
    }

    // DataFusion's own planner is what these tests look at, on fixed text.
    #[allow(clippy::disallowed_methods)]
    fn run(ctx: &SessionContext, sql: &str) -> (String, String) {
        futures::executor::block_on(async {
            let frame = ctx.sql(sql).await.expect("plan");
            let plan = frame.clone().create_physical_plan().await.expect("physical plan");
            let shown = displayable(plan.as_ref()).indent(false).to_string();
            let rows = pretty_format_batches(&frame.collect().await.expect("run")).expect("format").to_string();
            (shown, rows)
        })
    }

    #[test]
    fn windows_give_the_same_rows_over_whole_partitions() {
        // The app's session, without the rule (same NULL ordering).
        let mut config = SessionConfig::new().with_target_partitions(1);
        config.options_mut().sql_parser.default_null_ordering = "nulls_min".into();
        let streaming = SessionContext::new_with_config(config);
        let whole = crate::run::new_context();
        for ctx in [&streaming, &whole] {
            ctx.register_table("t", table()).expect("register");
        }
        let mut replaced = 0;
        for window in [
            "RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC)",
            "DENSE_RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC NULLS LAST)",
            "ROW_NUMBER() OVER (PARTITION BY country_code ORDER BY view_hours, title_id)",
            "RANK() OVER (ORDER BY view_hours)",
            "SUM(view_hours) OVER (PARTITION BY country_code ORDER BY title_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)",
        ] {
            let sql = format!("SELECT title_id, country_code, view_hours, {window} AS w FROM t ORDER BY title_id");
            let (plan_streaming, rows_streaming) = run(&streaming, &sql);
            let (plan_whole, rows_whole) = run(&whole, &sql);
            assert_eq!(rows_whole, rows_streaming, "{window}");
            if plan_streaming.contains("BoundedWindowAggExec") {
                assert!(!plan_whole.contains("BoundedWindowAggExec") && plan_whole.contains("WindowAggExec"), "{plan_whole}");
                replaced += 1;
            }
        }
        assert!(replaced >= 4, "the streaming plans were replaced {replaced} times");
    }
}
