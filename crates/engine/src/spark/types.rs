//! Spark's names for types, as `typeof` and Spark's messages write them.

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// A type as Spark's `typeof` writes it (`int`, `decimal(2,1)`, `array<string>`).
pub fn spark_type(t: &DataType) -> String {
    match t {
        DataType::Null => "void".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 => "smallint".into(),
        DataType::Int32 | DataType::UInt16 => "int".into(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint".into(),
        DataType::UInt8 => "smallint".into(),
        DataType::Float16 | DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => "binary".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp".into(),
        DataType::Timestamp(_, None) => "timestamp".into(),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            format!("decimal({p},{s})")
        }
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::ListView(f) => {
            format!("array<{}>", spark_type(f.data_type()))
        }
        DataType::Struct(fields) => format!(
            "struct<{}>",
            fields.iter().map(|f| format!("{}:{}", f.name(), spark_type(f.data_type()))).collect::<Vec<_>>().join(",")
        ),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                let key = kv.first().map(|f| spark_type(f.data_type())).unwrap_or_default();
                let value = kv.get(1).map(|f| spark_type(f.data_type())).unwrap_or_default();
                format!("map<{key},{value}>")
            }
            _ => "map".into(),
        },
        DataType::Interval(_) | DataType::Duration(_) => "interval".into(),
        DataType::Dictionary(_, value) => spark_type(value),
        other => other.to_string().to_lowercase(),
    }
}

/// A type as Spark's messages write it (`INT`, `DECIMAL(2,1)`).
pub fn type_name(t: &DataType) -> String {
    spark_type(t).to_uppercase()
}

/// Spark's `typeof(expr)`: the type of its argument, as Spark writes it.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TypeOf {
    signature: Signature,
}

/// `typeof`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::new_from_impl(TypeOf { signature: Signature::any(1, Volatility::Immutable) }))]
}

impl ScalarUDFImpl for TypeOf {
    fn name(&self) -> &str {
        "typeof"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        if types.len() != 1 {
            return plan_err!("[WRONG_NUM_ARGS] `typeof` takes 1 argument, not {}", types.len());
        }
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = args.arg_fields.first().map(|f| spark_type(f.data_type())).unwrap_or_default();
        Ok(ColumnarValue::Array(Arc::new(StringArray::from(vec![name.as_str(); args.number_rows]))))
    }
}
