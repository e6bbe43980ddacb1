//! A mock as Arrow record batches (to run a pipeline on it), and record batches or a DDL as a mock.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};

use super::cells::cells_from_array;
use super::{mock_error, Cell, Mock, MockColumn, MockRow, MockType};
use crate::ddl::TableDef;
use crate::{EngineError, SourceData};

impl Mock {
    /// The mock's Arrow schema: every column nullable, of its declared type.
    pub fn schema(&self) -> Result<SchemaRef, EngineError> {
        let fields = self
            .columns
            .iter()
            .map(|c| {
                let mock_type = MockType::from_sql(&c.sql_type).ok_or_else(|| {
                    mock_error(c.at, format!("column {}: type {} is not one mocks hold", c.name, c.sql_type))
                })?;
                Ok(Field::new(c.name.clone(), mock_type.arrow_type(), true))
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(Arc::new(Schema::new(fields)))
    }

    /// The mock's rows as one record batch of its declared schema. A mock with findings is an
    /// error naming the first one and how many there are.
    pub fn to_batch(&self) -> Result<RecordBatch, EngineError> {
        let findings = self.findings();
        if let Some(first) = findings.first() {
            let more = match findings.len() {
                1 => String::new(),
                n => format!(" (and {} more finding(s))", n - 1),
            };
            return Err(mock_error(first.at, format!("{}{more}", first.kind)));
        }
        let schema = self.schema()?;
        let columns = self
            .columns
            .iter()
            .enumerate()
            .map(|(index, column)| self.column_array(index, column))
            .collect::<Result<Vec<ArrayRef>, EngineError>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows.len()));
        RecordBatch::try_new_with_options(schema, columns, &options).map_err(|e| mock_error(None, e.to_string()))
    }

    fn column_array(&self, index: usize, column: &MockColumn) -> Result<ArrayRef, EngineError> {
        let mock_type = MockType::from_sql(&column.sql_type).ok_or_else(|| {
            mock_error(column.at, format!("column {}: unknown type {}", column.name, column.sql_type))
        })?;
        let null = Cell::Null;
        let cells = self.rows.iter().map(|row| row.cells.get(index).map_or(&null, |c| &c.value));
        mock_type.array(cells).map_err(|(row, reason)| {
            let at = self.rows.get(row).and_then(|r| r.cells.get(index)).and_then(|c| c.at);
            mock_error(at, format!("row {}, column {}: {reason}", row + 1, column.name))
        })
    }

    /// The mock as a source table, to run a pipeline on it instead of the synthetic table.
    pub fn to_source(&self) -> Result<SourceData, EngineError> {
        let batch = self.to_batch()?;
        Ok(SourceData::new(batch.schema(), vec![batch]))
    }

    /// A mock of `table` holding every row of `batches`, with Spark SQL types for their Arrow types.
    pub fn from_batches(table: &str, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Mock, EngineError> {
        let all = concat_batches(schema, batches).map_err(|e| mock_error(None, e.to_string()))?;
        let mut columns = Vec::with_capacity(schema.fields().len());
        let mut values = Vec::with_capacity(schema.fields().len());
        for (field, array) in schema.fields().iter().zip(all.columns()) {
            let mock_type = MockType::from_arrow(field.data_type()).ok_or_else(|| {
                mock_error(None, format!("column {}: mocks cannot hold {} values", field.name(), field.data_type()))
            })?;
            columns.push(MockColumn { name: field.name().clone(), sql_type: mock_type.sql_name().into(), at: None });
            values.push(cells_from_array(array.as_ref())?.into_iter());
        }
        let rows = (0..all.num_rows()).map(|_| MockRow::new(values.iter_mut().map(|v| v.next().unwrap_or(Cell::Null))));
        let mut mock = Mock::new(table, &[]);
        mock.columns = columns;
        mock.rows = rows.collect();
        Ok(mock)
    }

    /// An empty mock of the table a DDL declares: its data columns with the DDL's types (the
    /// partition columns are set by the write, so an output mock leaves them out).
    pub fn empty_from_table(table: &TableDef) -> Mock {
        let mut mock = Mock::new(table.name.clone(), &[]);
        mock.columns = table
            .columns
            .iter()
            .map(|c| MockColumn { name: c.name.clone(), sql_type: c.sql_type.clone(), at: None })
            .collect();
        mock
    }

    /// Puts the DDL's columns first, in the DDL's order (the rest keep theirs).
    pub fn in_table_order(mut self, table: &TableDef) -> Mock {
        let position = |name: &str| table.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name));
        let mut order: Vec<usize> = (0..self.columns.len()).collect();
        order.sort_by_key(|&i| self.columns.get(i).and_then(|c| position(&c.name)).unwrap_or(usize::MAX));
        let pick = |cells: &[super::MockCell]| order.iter().filter_map(|&i| cells.get(i).cloned()).collect::<Vec<_>>();
        for row in &mut self.rows {
            row.cells = pick(&row.cells);
        }
        self.columns = order.iter().filter_map(|&i| self.columns.get(i).cloned()).collect();
        self
    }

    /// Takes the DDL's type names for the columns it declares, where every cell fits them
    /// (`title_rank` from `RANK()` is a BIGINT in the output but an INT in the target table).
    pub fn with_types_from(mut self, table: &TableDef) -> Mock {
        for (index, column) in self.columns.iter_mut().enumerate() {
            let Some(declared) = table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(&column.name)) else {
                continue;
            };
            let Some(mock_type) = MockType::from_sql(&declared.sql_type) else { continue };
            let fits = self.rows.iter().all(|r| r.cells.get(index).is_none_or(|c| mock_type.check(&c.value).is_ok()));
            if fits {
                column.sql_type = declared.sql_type.clone();
            }
        }
        self
    }
}
