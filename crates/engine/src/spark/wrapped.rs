//! A Spark aggregate written as a wrapper over DataFusion's own (`sum`, `avg`): the wrapper
//! changes only the accumulators, and every other method of [`AggregateUDFImpl`] is DataFusion's,
//! passed through by [`pass_through_aggregate`] so that no wrapper writes them again (and a new
//! method a DataFusion upgrade adds is passed through in one place).
//!
//! [`AggregateUDFImpl`]: datafusion::logical_expr::AggregateUDFImpl

/// The pass-through methods of an `AggregateUDFImpl` for a type with a field
/// `inner: Arc<AggregateUDF>`: its name, aliases, signature, types, state fields and default
/// value are the inner aggregate's; the order of the input does not matter (`Identical`).
macro_rules! pass_through_aggregate {
    () => {
        fn name(&self) -> &str {
            self.inner.name()
        }

        fn aliases(&self) -> &[String] {
            self.inner.aliases()
        }

        fn signature(&self) -> &datafusion::logical_expr::Signature {
            self.inner.signature()
        }

        fn coerce_types(
            &self,
            types: &[datafusion::arrow::datatypes::DataType],
        ) -> datafusion::common::Result<Vec<datafusion::arrow::datatypes::DataType>> {
            self.inner.coerce_types(types)
        }

        fn return_type(
            &self,
            types: &[datafusion::arrow::datatypes::DataType],
        ) -> datafusion::common::Result<datafusion::arrow::datatypes::DataType> {
            self.inner.return_type(types)
        }

        fn state_fields(
            &self,
            args: datafusion::logical_expr::function::StateFieldsArgs,
        ) -> datafusion::common::Result<Vec<datafusion::arrow::datatypes::FieldRef>> {
            self.inner.state_fields(args)
        }

        fn reverse_expr(&self) -> datafusion::logical_expr::ReversedUDAF {
            datafusion::logical_expr::ReversedUDAF::Identical
        }

        fn default_value(
            &self,
            data_type: &datafusion::arrow::datatypes::DataType,
        ) -> datafusion::common::Result<datafusion::common::ScalarValue> {
            self.inner.default_value(data_type)
        }
    };
}

pub(super) use pass_through_aggregate;
