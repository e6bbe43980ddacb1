//! Spark's names for types, as `typeof` and Spark's messages write them.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringArray};
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Text (or a NULL literal, which Spark casts to text implicitly).
pub(super) fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

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
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            "binary".into()
        }
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp".into(),
        DataType::Timestamp(_, None) => "timestamp".into(),
        DataType::Decimal32(p, s)
        | DataType::Decimal64(p, s)
        | DataType::Decimal128(p, s)
        | DataType::Decimal256(p, s) => {
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

/// Spark's `WRONG_NUM_ARGS` for one of the layer's functions, given `got` arguments where it takes
/// `wanted` (a count from [`arguments`], or its parameter list as Spark's docs write it): one
/// message for every function, so they all read alike.
pub(super) fn wrong_num_args<T>(name: &str, wanted: &str, got: usize) -> Result<T> {
    plan_err!("{}", wrong_num_args_message(name, wanted, got))
}

/// [`wrong_num_args`]'s message, for a check that reports a plain message.
pub(super) fn wrong_num_args_message(name: &str, wanted: &str, got: usize) -> String {
    format!("[WRONG_NUM_ARGS] `{name}` takes {wanted}; it was given {got}")
}

/// `1 argument`, `2 arguments`, `1 to 2 arguments`.
pub(super) fn arguments(min: usize, max: usize) -> String {
    match (min, max) {
        (1, 1) => "1 argument".into(),
        (n, m) if n == m => format!("{n} arguments"),
        (n, m) => format!("{n} to {m} arguments"),
    }
}

/// [`wrong_num_args`] unless there are `min` to `max` arguments.
pub(super) fn check_arity(name: &str, types: &[DataType], min: usize, max: usize) -> Result<()> {
    if types.len() < min || types.len() > max {
        return wrong_num_args(name, &arguments(min, max), types.len());
    }
    Ok(())
}

/// Spark's `typeof(expr)`: the type of its argument, as Spark writes it.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TypeOf {
    signature: Signature,
}

/// `typeof`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::new_from_impl(TypeOf { signature: Signature::any(1, Volatility::Immutable) })), to_text()]
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

/// Spark's `string(x)`, and every cast of a `DOUBLE`, `FLOAT` or `TIMESTAMP` to `STRING`: numbers
/// as Java writes them (`100.0`, `1.0E-7`, `1.0E10`), where Arrow writes `100`, `0.0000001`,
/// `10000000000`; timestamps as `2022-01-01 10:15:30`, where Arrow writes `2022-01-01T10:15:30`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ToText {
    signature: Signature,
}

/// The `string` function (what a cast of a floating-point number to `STRING` becomes).
pub fn to_text() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ToText { signature: Signature::any(1, Volatility::Immutable) }))
}

impl ScalarUDFImpl for ToText {
    fn name(&self) -> &str {
        "string"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(array) = arrays.first() else { return plan_err!("[WRONG_NUM_ARGS] `string` takes 1 argument") };
        let out: StringArray = match array.data_type() {
            DataType::Float64 => array.as_primitive::<Float64Type>().iter().map(|v| v.map(java_double)).collect(),
            DataType::Float32 => array.as_primitive::<Float32Type>().iter().map(|v| v.map(java_float)).collect(),
            DataType::Timestamp(..) => {
                let micros =
                    datafusion::arrow::compute::cast(array, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
                let micros = micros.as_primitive::<TimestampMicrosecondType>();
                (0..micros.len())
                    .map(|i| micros.is_valid(i).then(|| micros.value_as_datetime(i)).flatten().map(spark_timestamp))
                    .collect()
            }
            _ => return Ok(ColumnarValue::Array(datafusion::arrow::compute::cast(array, &DataType::Utf8)?)),
        };
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// A timestamp as Spark writes it: `2022-01-01 10:15:30`, with `.ffffff` (trailing zeros dropped)
/// only when it has a fraction of a second.
pub fn spark_timestamp(t: chrono::NaiveDateTime) -> String {
    let whole = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let micros = t.and_utc().timestamp_subsec_micros();
    if micros == 0 {
        return whole;
    }
    let fraction = format!("{micros:06}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// A `DOUBLE` as Java's `Double.toString` writes it (Spark's cast to `STRING`).
pub fn java_double(x: f64) -> String {
    java_number(x, format!("{:e}", x.abs()), format!("{}", x.abs()))
}

fn java_float(x: f32) -> String {
    java_number(f64::from(x), format!("{:e}", x.abs()), format!("{}", x.abs()))
}

/// `scientific` is Rust's shortest `d.ddde-n` form of |x|, `plain` its shortest decimal form.
fn java_number(x: f64, scientific: String, plain: String) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}Infinity");
    }
    let magnitude = x.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let plain = if plain.contains('.') { plain } else { format!("{plain}.0") };
        return format!("{sign}{plain}");
    }
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{sign}{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_written_as_java_writes_them() {
        assert_eq!(java_double(100.0), "100.0");
        assert_eq!(java_double(0.1), "0.1");
        assert_eq!(java_double(1e-7), "1.0E-7");
        assert_eq!(java_double(1.5e10), "1.5E10");
        assert_eq!(java_double(-2.5), "-2.5");
        assert_eq!(java_double(1234567.0), "1234567.0");
        assert_eq!(java_double(12345678.0), "1.2345678E7");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(f64::NAN), "NaN");
    }
}
