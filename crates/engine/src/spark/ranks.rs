//! Spark's types for its ranking window functions: `rank`, `dense_rank`, `row_number` and
//! `ntile` are `INT` in Spark, and an unsigned 64-bit integer (`BIGINT` to a user) in DataFusion.
//! The values are the same; the type is not, and a user sees it in `typeof`, in a profile, in a
//! DDL check and in what a table column is cast from. [`functions`] wraps DataFusion's own four so
//! that they compute as before and give `INT` (a rank past 2,147,483,647 is an error, as it
//! would overflow Spark's).

use std::ops::Range;
use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::compute::{cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions_window::{
    ntile::ntile_udwf, rank::dense_rank_udwf, rank::rank_udwf, row_number::row_number_udwf,
};
use datafusion::logical_expr::function::{ExpressionArgs, PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::window_state::WindowAggState;
use datafusion::logical_expr::{
    Documentation, LimitEffect, PartitionEvaluator, ReversedUDWF, Signature, WindowUDF, WindowUDFImpl,
};
use datafusion::physical_expr::PhysicalExpr;

/// The four ranking functions, typed `INT`.
pub(super) fn functions() -> Vec<Arc<WindowUDF>> {
    [rank_udwf(), dense_rank_udwf(), row_number_udwf(), ntile_udwf()]
        .into_iter()
        .map(|inner| Arc::new(WindowUDF::new_from_impl(SparkInt(inner))))
        .collect()
}

/// DataFusion's function, its result cast to `INT`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkInt(Arc<WindowUDF>);

/// Lossless: a value that does not fit is an error, never a wrapped number.
fn to_int(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(cast_with_options(array, &DataType::Int32, &CastOptions { safe: false, ..Default::default() })?)
}

impl WindowUDFImpl for SparkInt {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn aliases(&self) -> &[String] {
        self.0.aliases()
    }

    fn signature(&self) -> &Signature {
        self.0.signature()
    }

    fn expressions(&self, expr_args: ExpressionArgs) -> Vec<Arc<dyn PhysicalExpr>> {
        self.0.inner().expressions(expr_args)
    }

    fn partition_evaluator(&self, args: PartitionEvaluatorArgs) -> Result<Box<dyn PartitionEvaluator>> {
        Ok(Box::new(IntEvaluator(self.0.inner().partition_evaluator(args)?)))
    }

    fn field(&self, field_args: WindowUDFFieldArgs) -> Result<FieldRef> {
        let field = self.0.inner().field(field_args)?;
        Ok(Arc::new(Field::new(field.name(), DataType::Int32, field.is_nullable())))
    }

    fn sort_options(&self) -> Option<SortOptions> {
        self.0.inner().sort_options()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.0.inner().coerce_types(arg_types)
    }

    fn reverse_expr(&self) -> ReversedUDWF {
        match self.0.inner().reverse_expr() {
            ReversedUDWF::Reversed(udf) => ReversedUDWF::Reversed(Arc::new(WindowUDF::new_from_impl(SparkInt(udf)))),
            other => other,
        }
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.0.inner().documentation()
    }

    fn limit_effect(&self, args: &[Arc<dyn PhysicalExpr>]) -> LimitEffect {
        self.0.inner().limit_effect(args)
    }
}

/// The inner evaluator, whose every result is cast to `INT`.
#[derive(Debug)]
struct IntEvaluator(Box<dyn PartitionEvaluator>);

impl PartitionEvaluator for IntEvaluator {
    fn memoize(&mut self, state: &mut WindowAggState) -> Result<()> {
        self.0.memoize(state)
    }

    fn get_range(&self, idx: usize, n_rows: usize) -> Result<Range<usize>> {
        self.0.get_range(idx, n_rows)
    }

    fn is_causal(&self) -> bool {
        self.0.is_causal()
    }

    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        to_int(&self.0.evaluate_all(values, num_rows)?)
    }

    fn evaluate(&mut self, values: &[ArrayRef], range: &Range<usize>) -> Result<ScalarValue> {
        self.0.evaluate(values, range)?.cast_to(&DataType::Int32)
    }

    fn evaluate_all_with_rank(&self, num_rows: usize, ranks_in_partition: &[Range<usize>]) -> Result<ArrayRef> {
        to_int(&self.0.evaluate_all_with_rank(num_rows, ranks_in_partition)?)
    }

    fn supports_bounded_execution(&self) -> bool {
        self.0.supports_bounded_execution()
    }

    fn uses_window_frame(&self) -> bool {
        self.0.uses_window_frame()
    }

    fn include_rank(&self) -> bool {
        self.0.include_rank()
    }
}
