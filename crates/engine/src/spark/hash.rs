//! Spark's `hash(a, b, …)`: Murmur3_x86_32 with seed 42, each argument's hash the seed of the
//! next, a NULL leaving the seed as it is. Neither DataFusion nor `datafusion-spark` has it, and
//! a standard murmur3 gives other numbers: Spark hashes the bytes of a string in 4-byte words and
//! then mixes *each* remaining byte on its own (its `hashUnsafeBytes`, kept for compatibility),
//! and hashes each type through its Java value (`hashInt`, `hashLong` of a double's bits). The
//! numbers are Spark's, so a key or a bucket computed here is the one Spark computes.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::type_name;

/// Spark's seed for `hash`.
const SEED: i32 = 42;
const C1: i32 = 0xcc9e_2d51_u32 as i32;
const C2: i32 = 0x1b87_3593_u32 as i32;

/// `hash`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::new_from_impl(SparkHash { signature: Signature::user_defined(Volatility::Immutable) }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkHash {
    signature: Signature,
}

/// The type an argument is hashed as, or `None` for a type Spark's `hash` does not take here.
fn hashed_as(t: &DataType) -> Option<DataType> {
    Some(match t {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::Float32
        | DataType::Float64
        | DataType::Date32
        | DataType::Utf8
        | DataType::Binary => t.clone(),
        DataType::UInt8 => DataType::Int16,
        DataType::UInt16 => DataType::Int32,
        DataType::UInt32 => DataType::Int64,
        DataType::LargeUtf8 | DataType::Utf8View => DataType::Utf8,
        DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => DataType::Binary,
        DataType::Timestamp(..) => DataType::Timestamp(TimeUnit::Microsecond, None),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
            DataType::Decimal128(*p, *s)
        }
        DataType::List(field) | DataType::LargeList(field) => DataType::new_list(hashed_as(field.data_type())?, true),
        _ => return None,
    })
}

impl ScalarUDFImpl for SparkHash {
    fn name(&self) -> &str {
        "hash"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        if types.is_empty() {
            return plan_err!(
                "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] `hash` requires > 0 parameters but the actual number is 0"
            );
        }
        types
            .iter()
            .enumerate()
            .map(|(i, t)| match hashed_as(t) {
                Some(t) => Ok(t),
                None => plan_err!(
                    "[DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE] `hash` argument {} cannot be a {} here",
                    i + 1,
                    type_name(t)
                ),
            })
            .collect()
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let mut seeds = vec![SEED; args.number_rows];
        for array in &arrays {
            for (row, seed) in seeds.iter_mut().enumerate() {
                *seed = hash_value(array, row, *seed)?;
            }
        }
        Ok(ColumnarValue::Array(Arc::new(Int32Array::from(seeds))))
    }
}

/// The hash of `array[row]` with `seed` (the seed itself for a NULL).
fn hash_value(array: &ArrayRef, row: usize, seed: i32) -> Result<i32> {
    if array.is_null(row) || matches!(array.data_type(), DataType::Null) {
        return Ok(seed);
    }
    let wrong = || exec_err!("`hash` got an argument of type {}", array.data_type());
    Ok(match array.data_type() {
        DataType::Boolean => hash_int(i32::from(array.as_boolean().value(row)), seed),
        DataType::Int8 => match array.as_primitive_opt::<Int8Type>() {
            Some(a) => hash_int(i32::from(a.value(row)), seed),
            None => return wrong(),
        },
        DataType::Int16 => match array.as_primitive_opt::<Int16Type>() {
            Some(a) => hash_int(i32::from(a.value(row)), seed),
            None => return wrong(),
        },
        DataType::Int32 => match array.as_primitive_opt::<Int32Type>() {
            Some(a) => hash_int(a.value(row), seed),
            None => return wrong(),
        },
        DataType::Date32 => match array.as_primitive_opt::<Date32Type>() {
            Some(a) => hash_int(a.value(row), seed),
            None => return wrong(),
        },
        DataType::Int64 => match array.as_primitive_opt::<Int64Type>() {
            Some(a) => hash_long(a.value(row), seed),
            None => return wrong(),
        },
        DataType::Timestamp(..) => match array.as_primitive_opt::<TimestampMicrosecondType>() {
            Some(a) => hash_long(a.value(row), seed),
            None => return wrong(),
        },
        DataType::Float32 => match array.as_primitive_opt::<Float32Type>() {
            Some(a) => hash_int(float_bits(a.value(row)), seed),
            None => return wrong(),
        },
        DataType::Float64 => match array.as_primitive_opt::<Float64Type>() {
            Some(a) => hash_long(double_bits(a.value(row)), seed),
            None => return wrong(),
        },
        DataType::Decimal128(precision, _) => match array.as_primitive_opt::<Decimal128Type>() {
            Some(a) => hash_decimal(a.value(row), *precision, seed),
            None => return wrong(),
        },
        DataType::Utf8 => match array.as_string_opt::<i32>() {
            Some(a) => hash_bytes(a.value(row).as_bytes(), seed),
            None => return wrong(),
        },
        DataType::Binary => match array.as_binary_opt::<i32>() {
            Some(a) => hash_bytes(a.value(row), seed),
            None => return wrong(),
        },
        // An array: its elements in turn, each hash the seed of the next.
        DataType::List(_) => {
            let Some(list) = array.as_list_opt::<i32>() else { return wrong() };
            let values = list.value(row);
            let mut h = seed;
            for i in 0..values.len() {
                h = hash_value(&values, i, h)?;
            }
            h
        }
        _ => {
            // A type `coerce_types` maps elsewhere (a view or large string) reaches here cast.
            let Some(to) = hashed_as(array.data_type()).filter(|t| t != array.data_type()) else { return wrong() };
            return hash_value(&cast(array, &to)?, row, seed);
        }
    })
}

/// Java's `Float.floatToIntBits`, with `-0.0` as `0.0` (Spark normalizes it) and one NaN.
fn float_bits(f: f32) -> i32 {
    let f = if f == 0.0 {
        0.0
    } else if f.is_nan() {
        f32::NAN
    } else {
        f
    };
    i32::from_ne_bytes(f.to_bits().to_ne_bytes())
}

/// Java's `Double.doubleToLongBits`, with `-0.0` as `0.0` (Spark normalizes it) and one NaN.
fn double_bits(d: f64) -> i64 {
    let d = if d == 0.0 {
        0.0
    } else if d.is_nan() {
        f64::NAN
    } else {
        d
    };
    i64::from_ne_bytes(d.to_bits().to_ne_bytes())
}

/// A decimal: `hashLong` of its unscaled value up to 18 digits, else the bytes of Java's
/// `BigInteger.toByteArray` (big-endian two's complement, as few bytes as hold the sign).
fn hash_decimal(unscaled: i128, precision: u8, seed: i32) -> i32 {
    if precision <= 18 {
        if let Ok(small) = i64::try_from(unscaled) {
            return hash_long(small, seed);
        }
    }
    let bytes = unscaled.to_be_bytes();
    let negative = unscaled < 0;
    let pad = if negative { 0xff } else { 0x00 };
    let mut start = 0;
    while start + 1 < bytes.len()
        && bytes.get(start) == Some(&pad)
        && bytes.get(start + 1).is_some_and(|b| (b & 0x80 != 0) == negative)
    {
        start += 1;
    }
    hash_bytes(bytes.get(start..).unwrap_or_default(), seed)
}

fn mix_k1(k1: i32) -> i32 {
    k1.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn mix_h1(h1: i32, k1: i32) -> i32 {
    (h1 ^ k1).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32)
}

fn fmix(h1: i32, length: i32) -> i32 {
    let mut h = (h1 ^ length) as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

/// Spark's `Murmur3_x86_32.hashInt`.
fn hash_int(input: i32, seed: i32) -> i32 {
    fmix(mix_h1(seed, mix_k1(input)), 4)
}

/// Spark's `Murmur3_x86_32.hashLong`: the low word, then the high word.
fn hash_long(input: i64, seed: i32) -> i32 {
    let low = input as i32;
    let high = (input >> 32) as i32;
    let h1 = mix_h1(seed, mix_k1(low));
    fmix(mix_h1(h1, mix_k1(high)), 8)
}

/// Spark's `Murmur3_x86_32.hashUnsafeBytes`: little-endian 4-byte words, then each remaining
/// byte mixed on its own as a signed int (not murmur3's tail), then the length.
fn hash_bytes(bytes: &[u8], seed: i32) -> i32 {
    let words = bytes.chunks_exact(4);
    let tail = words.remainder();
    let mut h1 = seed;
    for word in words {
        let word = i32::from_le_bytes([
            word.first().copied().unwrap_or_default(),
            word.get(1).copied().unwrap_or_default(),
            word.get(2).copied().unwrap_or_default(),
            word.get(3).copied().unwrap_or_default(),
        ]);
        h1 = mix_h1(h1, mix_k1(word));
    }
    for byte in tail {
        h1 = mix_h1(h1, mix_k1(i32::from(*byte as i8)));
    }
    fmix(h1, i32::try_from(bytes.len()).unwrap_or(i32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_spark_does() {
        // Spark 4.1: SELECT hash('Stranger Things') (the corpus), hash(1).
        assert_eq!(hash_bytes(b"Stranger Things", SEED), -902_946_340);
        assert_eq!(hash_int(1, SEED), -559_580_957);
    }

    #[test]
    fn negative_zero_hashes_as_zero() {
        assert_eq!(hash_long(double_bits(-0.0), SEED), hash_long(double_bits(0.0), SEED));
        assert_eq!(hash_int(float_bits(-0.0), SEED), hash_int(0, SEED));
    }

    #[test]
    fn big_decimals_hash_their_minimal_bytes() {
        // BigInteger.toByteArray: 128 is [0x00, 0x80], -1 is [0xff], -129 is [0xff, 0x7f].
        assert_eq!(hash_decimal(128, 38, SEED), hash_bytes(&[0x00, 0x80], SEED));
        assert_eq!(hash_decimal(-1, 38, SEED), hash_bytes(&[0xff], SEED));
        assert_eq!(hash_decimal(-129, 38, SEED), hash_bytes(&[0xff, 0x7f], SEED));
        assert_eq!(hash_decimal(5, 10, SEED), hash_long(5, SEED));
    }
}
