//! Partitions read one after another, never by spawned tasks.
//!
//! With one target partition most plans have one partition, but a `UNION` has one per input
//! (so do plans over it). DataFusion merges them with `CoalescePartitionsExec`, which spawns a
//! Tokio task per partition; in the browser there is no Tokio runtime, and the spawn panics
//! ("there is no reactor running"): a step with a `UNION` would kill the tab. [`ChainPartitions`]
//! puts [`Chained`] in its place (the same single output partition, read partition by partition),
//! and [`execute`] does the same for a plan's own partitions. Nothing runs in parallel here anyway.

use std::fmt;
use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode, TreeNodeRecursion};
use datafusion::error::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::limit::GlobalLimitExec;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PhysicalExpr, PlanProperties,
};
use futures::{StreamExt, TryStreamExt};

/// Every partition of `plan`, read one after another, as one stream.
pub fn execute(plan: Arc<dyn ExecutionPlan>, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
    let partitions = plan.output_partitioning().partition_count();
    if partitions == 1 {
        return plan.execute(0, context);
    }
    let schema = plan.schema();
    let stream = futures::stream::iter(0..partitions).map(move |p| plan.execute(p, Arc::clone(&context))).try_flatten();
    Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
}

/// A data frame's rows, its partitions read one after another.
pub async fn collect(frame: datafusion::dataframe::DataFrame) -> Result<Vec<datafusion::arrow::array::RecordBatch>> {
    let context = Arc::new(frame.task_ctx());
    let plan = frame.create_physical_plan().await?;
    execute(plan, context)?.try_collect().await
}

/// A `CoalescePartitionsExec` that reads its input's partitions in turn (see the module docs).
#[derive(Debug)]
pub struct Chained {
    input: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
}

impl DisplayAs for Chained {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "ChainedPartitionsExec")
    }
}

impl ExecutionPlan for Chained {
    fn name(&self) -> &str {
        "ChainedPartitionsExec"
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        match children.into_iter().next() {
            Some(input) => Ok(Arc::new(Chained { input, properties: Arc::clone(&self.properties) })),
            None => Ok(self),
        }
    }

    fn execute(&self, _partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        execute(Arc::clone(&self.input), context)
    }
}

/// Replaces each `CoalescePartitionsExec` by [`Chained`] (a LIMIT it carried stays, as a
/// `GlobalLimitExec` over it).
#[derive(Debug, Default)]
pub(crate) struct ChainPartitions;

impl PhysicalOptimizerRule for ChainPartitions {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            let Some(coalesce) = node.downcast_ref::<CoalescePartitionsExec>() else {
                return Ok(Transformed::no(node));
            };
            let chained: Arc<dyn ExecutionPlan> = Arc::new(Chained {
                input: Arc::clone(coalesce.input()),
                properties: Arc::clone(coalesce.properties()),
            });
            Ok(Transformed::yes(match coalesce.fetch() {
                Some(fetch) => Arc::new(GlobalLimitExec::new(chained, 0, Some(fetch))),
                None => chained,
            }))
        })
        .data()
    }

    fn name(&self) -> &str {
        "chain_partitions"
    }

    fn schema_check(&self) -> bool {
        true
    }
}
