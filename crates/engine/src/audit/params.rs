//! Reading one audit's params: `${NAME}`s substituted in text, each param typed with serde
//! (a number may also be written as text, so `n: ${top_n}` reads as a number), columns looked up
//! in the table they belong to, and every problem named by audit and param.

use std::collections::{BTreeMap, BTreeSet};

use datafusion::arrow::datatypes::{DataType, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{AuditFunction, WorkflowProblem};
use crate::params::substitute;

/// A reader over one audit's params that collects problems instead of stopping at the first.
pub(crate) struct Reader<'a> {
    index: usize,
    function: AuditFunction,
    params: &'a BTreeMap<String, Value>,
    values: &'a BTreeMap<String, String>,
    used: BTreeSet<&'static str>,
    pub(crate) problems: Vec<WorkflowProblem>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        index: usize,
        function: AuditFunction,
        params: &'a BTreeMap<String, Value>,
        values: &'a BTreeMap<String, String>,
    ) -> Self {
        Reader { index, function, params, values, used: BTreeSet::new(), problems: Vec::new() }
    }

    /// Records a problem about `param` (or the audit as a whole).
    pub(crate) fn problem(&mut self, param: Option<&str>, message: impl Into<String>) {
        self.problems.push(WorkflowProblem {
            subject: format!("audit {} ({})", self.index + 1, self.function.name()),
            audit: Some(self.index),
            param: param.map(str::to_string),
            message: message.into(),
        });
    }

    /// The param with `${NAME}`s substituted in every text in it; `None` if absent (a problem
    /// if `required`) or if a substitution failed (a problem).
    fn raw(&mut self, name: &'static str, required: bool, what: &str) -> Option<Value> {
        self.used.insert(name);
        let Some(value) = self.params.get(name) else {
            if required {
                self.problem(Some(name), format!("missing ({what})"));
            }
            return None;
        };
        match substituted(value, self.values) {
            Ok(value) => Some(value),
            Err(message) => {
                self.problem(Some(name), message);
                None
            }
        }
    }

    /// A param as `T`, read by serde; text that reads as JSON (`"100"`) is tried as `T` too.
    pub(crate) fn get<T: DeserializeOwned>(&mut self, name: &'static str, required: bool, what: &str) -> Option<T> {
        let value = self.raw(name, required, what)?;
        if let Ok(typed) = serde_json::from_value::<T>(value.clone()) {
            return Some(typed);
        }
        if let Some(typed) = value.as_str().and_then(|s| serde_json::from_str::<T>(s.trim()).ok()) {
            return Some(typed);
        }
        self.problem(Some(name), format!("expected {what}, got {}", shown(&value)));
        None
    }

    /// A column of `schema` (matched without regard to case), as the schema names it.
    pub(crate) fn column(
        &mut self,
        name: &'static str,
        required: bool,
        schema: &Schema,
        table: &str,
    ) -> Option<String> {
        let column: String = self.get(name, required, "a column name")?;
        self.lookup(name, &column, schema, table)
    }

    /// A list of columns of `schema`; a list with no columns is a problem.
    pub(crate) fn columns(
        &mut self,
        name: &'static str,
        required: bool,
        schema: &Schema,
        table: &str,
    ) -> Option<Vec<String>> {
        let columns: Vec<String> = self.get(name, required, "a list of column names")?;
        if columns.is_empty() {
            self.problem(Some(name), "the list is empty: name at least one column");
            return None;
        }
        let found: Vec<Option<String>> = columns.iter().map(|c| self.lookup(name, c, schema, table)).collect();
        found.into_iter().collect()
    }

    /// Whether the param is given.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.params.contains_key(name)
    }

    /// The column `column` names (or `default` when it is not given), looked up in `schema`.
    pub(crate) fn lookup_or_default(
        &mut self,
        column: Option<String>,
        default: &str,
        schema: &Schema,
        table: &str,
    ) -> Option<String> {
        let column = column.unwrap_or_else(|| default.to_string());
        self.lookup("column", &column, schema, table)
    }

    /// `column` looked up in `schema` (without regard to case), as the schema names it.
    pub(crate) fn lookup(&mut self, param: &str, column: &str, schema: &Schema, table: &str) -> Option<String> {
        let found = schema.fields().iter().find(|f| f.name().eq_ignore_ascii_case(column)).map(|f| f.name().clone());
        if found.is_none() {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            self.problem(Some(param), format!("unknown column {column} ({table} has {})", names.join(", ")));
        }
        found
    }

    /// Checks that `column` of `schema` is a number.
    pub(crate) fn numeric(&mut self, param: &str, column: &str, schema: &Schema) -> bool {
        let data_type = schema.field_with_name(column).map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        let numeric = data_type.is_numeric();
        if !numeric {
            self.problem(Some(param), format!("column {column} is {data_type}, not a number"));
        }
        numeric
    }

    /// Names a param `table`, which must name one of `allowed` (each given by its names).
    pub(crate) fn table<'t>(&mut self, allowed: &[(&'t str, &[&str])]) -> Option<&'t str> {
        let first = allowed.first().map(|(id, _)| *id)?;
        let name: Option<String> = self.get("table", false, "a table name");
        let Some(name) = name else {
            return Some(first);
        };
        let found = allowed.iter().find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name.trim())));
        if found.is_none() {
            let names: Vec<&str> = allowed.iter().filter_map(|(_, names)| names.first().copied()).collect();
            self.problem(
                Some("table"),
                format!("{name} is not a table this audit reads (it reads {})", names.join(" or ")),
            );
        }
        found.map(|(id, _)| *id)
    }

    /// A problem for every param the function does not take.
    pub(crate) fn finish(mut self) -> Vec<WorkflowProblem> {
        let unknown: Vec<String> = self.params.keys().filter(|k| !self.used.contains(k.as_str())).cloned().collect();
        let takes: Vec<&str> = std::iter::once("table").chain(self.function.params().iter().map(|p| p.name)).collect();
        for name in unknown {
            let message = format!("unknown param ({} takes {})", self.function.name(), takes.join(", "));
            self.problem(Some(&name), message);
        }
        self.problems
    }
}

/// `value` with `${NAME}`s substituted in every text it holds.
fn substituted(value: &Value, values: &BTreeMap<String, String>) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(substitute("param", s, values).map_err(|e| match e {
            crate::EngineError::UnknownParameter { name, .. } => format!("unknown parameter ${{{name}}}"),
            crate::EngineError::UnclosedParameter { .. } => "a ${ without its closing }".to_string(),
            other => other.to_string(),
        })?),
        Value::Array(items) => Value::Array(items.iter().map(|v| substituted(v, values)).collect::<Result<_, _>>()?),
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| Ok((k.clone(), substituted(v, values)?))).collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// A value as the user would recognise it in the YAML.
pub(crate) fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
        other => other.to_string(),
    }
}
