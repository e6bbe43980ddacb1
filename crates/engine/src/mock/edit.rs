//! Editing a mock cell by cell, as the app's grid does: a cell typed as text becomes a value of
//! its column's type, or a message saying why it cannot.

use super::{Cell, Mock, MockCell, MockRow, MockType};
use crate::RunDate;

impl MockType {
    /// A cell typed as text in a grid. Empty or `null` is NULL; a `STRING` keeps the text as it is
    /// (quote it, `"null"`, for the word itself); other types parse it.
    pub fn cell_from_text(self, text: &str) -> Result<Cell, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed == "null" {
            return Ok(Cell::Null);
        }
        let cell = match self {
            MockType::String => match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                Some(inner) => Cell::Str(inner.to_string()),
                None => Cell::Str(text.to_string()),
            },
            MockType::TinyInt | MockType::SmallInt | MockType::Int | MockType::BigInt => {
                Cell::Int(trimmed.parse::<i128>().map_err(|_| format!("{trimmed:?} is not a whole number"))?)
            }
            MockType::Float | MockType::Double => Cell::Float(match trimmed {
                ".nan" | "NaN" => f64::NAN,
                ".inf" | "inf" | "Infinity" => f64::INFINITY,
                "-.inf" | "-inf" | "-Infinity" => f64::NEG_INFINITY,
                _ => trimmed.parse::<f64>().map_err(|_| format!("{trimmed:?} is not a number"))?,
            }),
            MockType::Boolean => match trimmed {
                "true" => Cell::Bool(true),
                "false" => Cell::Bool(false),
                _ => return Err(format!("{trimmed:?} is not true or false")),
            },
            MockType::Date => {
                let date = RunDate::parse(trimmed).map_err(|_| format!("{trimmed:?} is not a date YYYY-MM-DD"))?;
                Cell::Str(date.to_string())
            }
        };
        self.check(&cell).map_err(|reason| format!("{trimmed:?}: {reason}"))?;
        Ok(cell)
    }
}

impl Cell {
    /// The cell as a grid shows it for editing: NULL as empty, text as it is (quoted when it would
    /// read as NULL), numbers as YAML writes them.
    pub fn edit_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Str(s) if s.trim().is_empty() || s.trim() == "null" => format!("\"{s}\""),
            Cell::Str(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl Mock {
    /// Sets the cell at `row`, `column` from text typed in a grid, by the column's type.
    pub fn set_cell(&mut self, row: usize, column: usize, text: &str) -> Result<(), String> {
        let sql_type = self.columns.get(column).map(|c| c.sql_type.clone()).ok_or("no such column")?;
        let mock_type = MockType::from_sql(&sql_type)
            .ok_or_else(|| format!("the column's type {sql_type} is not one mocks hold"))?;
        let value = mock_type.cell_from_text(text)?;
        let width = self.columns.len();
        let row = self.rows.get_mut(row).ok_or("no such row")?;
        // A ragged row grows to the columns' width first.
        while row.cells.len() < width {
            row.cells.push(MockCell { value: Cell::Null, at: None });
        }
        let cell = row.cells.get_mut(column).ok_or("no such column")?;
        *cell = MockCell { value, at: None };
        Ok(())
    }

    /// Appends a row of NULLs.
    pub fn add_row(&mut self) {
        self.rows.push(MockRow::new(self.columns.iter().map(|_| Cell::Null)));
    }

    /// Removes a row; `false` if there is no such row.
    pub fn remove_row(&mut self, row: usize) -> bool {
        if row < self.rows.len() {
            self.rows.remove(row);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_value_of_the_columns_type() {
        assert_eq!(MockType::Int.cell_from_text(" 42 "), Ok(Cell::Int(42)));
        assert_eq!(MockType::Int.cell_from_text("null"), Ok(Cell::Null));
        assert_eq!(MockType::String.cell_from_text(""), Ok(Cell::Null));
        assert_eq!(MockType::String.cell_from_text("\"null\""), Ok(Cell::Str("null".into())));
        assert_eq!(MockType::String.cell_from_text("NO"), Ok(Cell::Str("NO".into())));
        assert_eq!(MockType::Double.cell_from_text("-2.5e3"), Ok(Cell::Float(-2500.0)));
        assert_eq!(MockType::Date.cell_from_text("20220101"), Ok(Cell::Str("2022-01-01".into())));
        assert_eq!(MockType::Boolean.cell_from_text("true"), Ok(Cell::Bool(true)));
        assert_eq!(MockType::Int.cell_from_text("lots"), Err("\"lots\" is not a whole number".into()));
        assert_eq!(MockType::TinyInt.cell_from_text("300"), Err("\"300\": out of range".into()));
        assert_eq!(MockType::Date.cell_from_text("2022-02-30"), Err("\"2022-02-30\" is not a date YYYY-MM-DD".into()));
    }

    #[test]
    fn grid_edits_round_trip_through_yaml() {
        let mut mock = Mock::new("t", &[("id", "INT"), ("name", "STRING"), ("day", "DATE")]);
        mock.add_row();
        mock.add_row();
        mock.set_cell(0, 0, "7").unwrap();
        mock.set_cell(0, 1, "\"null\"").unwrap();
        mock.set_cell(1, 2, "2022-01-01").unwrap();
        assert_eq!(mock.set_cell(1, 0, "x"), Err("\"x\" is not a whole number".into()));
        assert_eq!(mock.set_cell(5, 0, "1"), Err("no such row".into()));
        let back = Mock::parse(&mock.to_yaml()).unwrap();
        let cells: Vec<Vec<String>> =
            back.rows.iter().map(|r| r.cells.iter().map(|c| c.value.edit_text()).collect()).collect();
        assert_eq!(cells, [["7", "\"null\"", ""], ["", "", "2022-01-01"]]);
        assert!(mock.remove_row(0));
        assert!(!mock.remove_row(3));
        assert_eq!(mock.rows.len(), 1);
    }
}
