//! The target table, read from the spec's DDL: where the write job writes and which columns.

use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::PipelineSpec;

use crate::TemplateError;
use dataflow_engine::spec::is_identifier;

/// The target table as the recipes write to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The table's name in `${TARGET_DB}` (`dataflow_sample_results`).
    pub table: String,
    /// The data columns, in the DDL's order (lower case).
    pub columns: Vec<String>,
    /// The `DATE` partition column the write sets to the run date (`date`), if the table has one.
    pub partition: Option<String>,
}

impl Target {
    /// Reads the spec's DDL. The table must be in `${TARGET_DB}`, its names must be identifiers,
    /// and a partition column, if any, a `DATE` (the run date's partition).
    pub fn from_spec(spec: &PipelineSpec) -> Result<Target, TemplateError> {
        let error = |message: String| TemplateError::Spec(format!("DDL: {message}"));
        let table = parse_ddl(&spec.ddl, &spec.params)?;
        let (db, name) = table.name.split_once('.').unwrap_or(("", table.name.as_str()));
        if !db.eq_ignore_ascii_case(&spec.params.target_db) {
            return Err(error(format!(
                "the table {} must be in the target database: CREATE TABLE ${{TARGET_DB}}.{name} (…)",
                table.name
            )));
        }
        let mut names = vec![name.to_string()];
        names.extend(table.columns.iter().chain(&table.partition_columns).map(|c| c.name.clone()));
        if let Some(bad) = names.iter().find(|n| !is_identifier(n)) {
            return Err(error(format!("{bad:?} is not a plain identifier (letters, digits and _)")));
        }
        let partition = match table.partition_columns.as_slice() {
            [] => None,
            [column] if column.sql_type.eq_ignore_ascii_case("DATE") => Some(column.name.clone()),
            _ => {
                return Err(error(
                    "the write sets one DATE partition column to the run date; this table is partitioned otherwise"
                        .into(),
                ))
            }
        };
        Ok(Target {
            table: name.to_string(),
            columns: table.columns.iter().map(|c| c.name.clone()).collect(),
            partition,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_target() {
        let target = Target::from_spec(&PipelineSpec::sample()).unwrap();
        assert_eq!(target.table, "dataflow_sample_results");
        assert_eq!(target.columns, ["title_id", "country_code", "title_rank", "view_hours"]);
        assert_eq!(target.partition.as_deref(), Some("date"));
    }

    #[test]
    fn ddls_the_write_cannot_use_are_refused_with_the_reason() {
        let cases = [
            ("CREATE TABLE other.t (a INT)", "pipeline: DDL: the table other.t must be in the target database: CREATE TABLE ${TARGET_DB}.t (…)"),
            ("CREATE TABLE ${TARGET_DB}.t (a INT) PARTITIONED BY (d STRING)", "pipeline: DDL: the write sets one DATE partition column to the run date; this table is partitioned otherwise"),
            ("CREATE TABLE ${TARGET_DB}.t (`a b` INT)", "pipeline: DDL: \"a b\" is not a plain identifier (letters, digits and _)"),
            ("CREATE TABLE ${TARGET_DB}.t (a INT", "pipeline: DDL: sql parser error: Expected: ',' or ')' after column definition, found: EOF"),
        ];
        for (ddl, message) in cases {
            let spec = PipelineSpec { ddl: ddl.into(), ..PipelineSpec::sample() };
            assert_eq!(Target::from_spec(&spec).unwrap_err().to_string(), message, "{ddl}");
        }
        let spec = PipelineSpec { ddl: "CREATE TABLE ${TARGET_DB}.t (a INT)".into(), ..PipelineSpec::sample() };
        assert_eq!(Target::from_spec(&spec).unwrap().partition, None);
    }
}
