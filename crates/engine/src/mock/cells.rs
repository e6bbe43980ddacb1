//! Cells and Arrow: a mock column's cells as an Arrow array of the column's type, and back.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array,
    Int8Array, LargeStringArray, StringArray, StringViewArray, UInt16Array, UInt32Array, UInt64Array, UInt8Array,
};
use datafusion::arrow::datatypes::DataType;

use super::Cell;
use crate::{EngineError, RunDate};

/// The column types a mock holds (Spark SQL names in the YAML, Arrow types in memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockType {
    /// `TINYINT`.
    TinyInt,
    /// `SMALLINT`.
    SmallInt,
    /// `INT`.
    Int,
    /// `BIGINT`.
    BigInt,
    /// `FLOAT`.
    Float,
    /// `DOUBLE`.
    Double,
    /// `STRING`.
    String,
    /// `BOOLEAN`.
    Boolean,
    /// `DATE`, written `YYYY-MM-DD`.
    Date,
}

impl MockType {
    /// The type a Spark SQL type name declares (the DDL's names and aliases); `None` for a type
    /// mocks do not hold (unknown names, `DECIMAL`, `TIMESTAMP`).
    pub fn from_sql(sql_type: &str) -> Option<MockType> {
        crate::ddl::arrow_type(sql_type.trim()).and_then(|t| MockType::from_arrow(&t))
    }

    /// The mock type an Arrow type's values are written as; `None` if mocks cannot hold it.
    pub fn from_arrow(data_type: &DataType) -> Option<MockType> {
        Some(match data_type {
            DataType::Int8 => MockType::TinyInt,
            DataType::Int16 | DataType::UInt8 => MockType::SmallInt,
            DataType::Int32 | DataType::UInt16 => MockType::Int,
            DataType::Int64 | DataType::UInt32 | DataType::UInt64 => MockType::BigInt,
            DataType::Float32 => MockType::Float,
            DataType::Float64 => MockType::Double,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => MockType::String,
            DataType::Boolean => MockType::Boolean,
            DataType::Date32 => MockType::Date,
            _ => return None,
        })
    }

    /// The Spark SQL name a generated mock writes.
    pub fn sql_name(self) -> &'static str {
        match self {
            MockType::TinyInt => "TINYINT",
            MockType::SmallInt => "SMALLINT",
            MockType::Int => "INT",
            MockType::BigInt => "BIGINT",
            MockType::Float => "FLOAT",
            MockType::Double => "DOUBLE",
            MockType::String => "STRING",
            MockType::Boolean => "BOOLEAN",
            MockType::Date => "DATE",
        }
    }

    /// The Arrow type a mock column of this type becomes.
    pub fn arrow_type(self) -> DataType {
        match self {
            MockType::TinyInt => DataType::Int8,
            MockType::SmallInt => DataType::Int16,
            MockType::Int => DataType::Int32,
            MockType::BigInt => DataType::Int64,
            MockType::Float => DataType::Float32,
            MockType::Double => DataType::Float64,
            MockType::String => DataType::Utf8,
            MockType::Boolean => DataType::Boolean,
            MockType::Date => DataType::Date32,
        }
    }

    /// Whether a cell fits this type; the reason if it does not.
    pub fn check(self, cell: &Cell) -> Result<(), String> {
        match self {
            MockType::TinyInt => whole::<i8>(cell).map(drop),
            MockType::SmallInt => whole::<i16>(cell).map(drop),
            MockType::Int => whole::<i32>(cell).map(drop),
            MockType::BigInt => whole::<i64>(cell).map(drop),
            MockType::Float => float32(cell).map(drop),
            MockType::Double => float64(cell).map(drop),
            MockType::String => string(cell).map(drop),
            MockType::Boolean => boolean(cell).map(drop),
            MockType::Date => date(cell).map(drop),
        }
    }

    /// The cells as an Arrow array of this type; the first cell that does not fit is an error
    /// `(index, reason)`.
    pub(crate) fn array<'a>(self, cells: impl Iterator<Item = &'a Cell>) -> Result<ArrayRef, (usize, String)> {
        fn collect<'a, T, A: Array + 'static>(
            cells: impl Iterator<Item = &'a Cell>,
            fit: impl Fn(&Cell) -> Result<Option<T>, String>,
            build: impl FnOnce(Vec<Option<T>>) -> A,
        ) -> Result<ArrayRef, (usize, String)> {
            let values = cells.enumerate().map(|(i, c)| fit(c).map_err(|e| (i, e))).collect::<Result<Vec<_>, _>>()?;
            Ok(Arc::new(build(values)))
        }
        match self {
            MockType::TinyInt => collect(cells, whole::<i8>, Int8Array::from),
            MockType::SmallInt => collect(cells, whole::<i16>, Int16Array::from),
            MockType::Int => collect(cells, whole::<i32>, Int32Array::from),
            MockType::BigInt => collect(cells, whole::<i64>, Int64Array::from),
            MockType::Float => collect(cells, float32, Float32Array::from),
            MockType::Double => collect(cells, float64, Float64Array::from),
            MockType::String => collect(cells, |c| string(c).map(|s| s.map(str::to_string)), StringArray::from),
            MockType::Boolean => collect(cells, boolean, BooleanArray::from),
            MockType::Date => collect(cells, date, Date32Array::from),
        }
    }
}

fn whole<T: TryFrom<i128>>(cell: &Cell) -> Result<Option<T>, String> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Int(v) => T::try_from(*v).map(Some).map_err(|_| "out of range".to_string()),
        Cell::Float(_) => Err("not a whole number".into()),
        other => Err(format!("not a number ({})", kind(other))),
    }
}

fn float64(cell: &Cell) -> Result<Option<f64>, String> {
    match cell {
        Cell::Null => Ok(None),
        // Whole numbers above 2^53 round to the nearest double, as Spark casts them.
        Cell::Int(v) => Ok(Some(*v as f64)),
        Cell::Float(v) => Ok(Some(*v)),
        other => Err(format!("not a number ({})", kind(other))),
    }
}

fn float32(cell: &Cell) -> Result<Option<f32>, String> {
    let Some(v) = float64(cell)? else { return Ok(None) };
    let narrow = v as f32;
    if v.is_finite() && narrow.is_infinite() {
        return Err("out of range".into());
    }
    Ok(Some(narrow))
}

fn string(cell: &Cell) -> Result<Option<&str>, String> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Str(s) => Ok(Some(s)),
        other => Err(format!("not text ({}; quote it to make it text)", kind(other))),
    }
}

fn boolean(cell: &Cell) -> Result<Option<bool>, String> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Bool(b) => Ok(Some(*b)),
        other => Err(format!("not true or false ({})", kind(other))),
    }
}

fn date(cell: &Cell) -> Result<Option<i32>, String> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Str(s) if is_iso_date(s) => {
            RunDate::parse(s).map(|d| Some(d.days())).map_err(|_| "no such day".to_string())
        }
        Cell::Str(_) => Err("not a date YYYY-MM-DD".into()),
        other => Err(format!("not a date YYYY-MM-DD ({})", kind(other))),
    }
}

/// `YYYY-MM-DD` in shape (the day itself is checked by `RunDate`).
pub(crate) fn is_iso_date(s: &str) -> bool {
    s.len() == 10 && s.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
}

fn kind(cell: &Cell) -> &'static str {
    match cell {
        Cell::Null => "null",
        Cell::Bool(_) => "a boolean",
        Cell::Int(_) => "a whole number",
        Cell::Float(_) => "a number with a fraction",
        Cell::Str(_) => "text",
    }
}

/// An Arrow array's values as mock cells (dates as `YYYY-MM-DD` text).
pub(crate) fn cells_from_array(array: &dyn Array) -> Result<Vec<Cell>, EngineError> {
    fn each<A: Array + 'static>(
        array: &dyn Array,
        value: impl Fn(&A, usize) -> Cell,
    ) -> Result<Vec<Cell>, EngineError> {
        let typed = array.as_any().downcast_ref::<A>().ok_or_else(|| unsupported(array.data_type()))?;
        Ok((0..typed.len()).map(|i| if typed.is_null(i) { Cell::Null } else { value(typed, i) }).collect())
    }
    match array.data_type() {
        DataType::Int8 => each(array, |a: &Int8Array, i| Cell::Int(a.value(i).into())),
        DataType::Int16 => each(array, |a: &Int16Array, i| Cell::Int(a.value(i).into())),
        DataType::Int32 => each(array, |a: &Int32Array, i| Cell::Int(a.value(i).into())),
        DataType::Int64 => each(array, |a: &Int64Array, i| Cell::Int(a.value(i).into())),
        DataType::UInt8 => each(array, |a: &UInt8Array, i| Cell::Int(a.value(i).into())),
        DataType::UInt16 => each(array, |a: &UInt16Array, i| Cell::Int(a.value(i).into())),
        DataType::UInt32 => each(array, |a: &UInt32Array, i| Cell::Int(a.value(i).into())),
        DataType::UInt64 => each(array, |a: &UInt64Array, i| Cell::Int(a.value(i).into())),
        DataType::Float32 => each(array, |a: &Float32Array, i| Cell::Float(a.value(i).into())),
        DataType::Float64 => each(array, |a: &Float64Array, i| Cell::Float(a.value(i))),
        DataType::Utf8 => each(array, |a: &StringArray, i| Cell::Str(a.value(i).into())),
        DataType::LargeUtf8 => each(array, |a: &LargeStringArray, i| Cell::Str(a.value(i).into())),
        DataType::Utf8View => each(array, |a: &StringViewArray, i| Cell::Str(a.value(i).into())),
        DataType::Boolean => each(array, |a: &BooleanArray, i| Cell::Bool(a.value(i))),
        DataType::Date32 => each(array, |a: &Date32Array, i| Cell::Str(RunDate::from_days(a.value(i)).to_string())),
        other => Err(unsupported(other)),
    }
}

fn unsupported(data_type: &DataType) -> EngineError {
    EngineError::Mock {
        line: None,
        column: None,
        message: format!("mocks cannot hold {data_type} values (types: TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BOOLEAN, DATE)"),
    }
}
