//! The target table's DDL: parsed (sqlparser, Hive dialect) into a schema, and the last step's
//! output checked against it. Findings are data, not errors.

use datafusion::arrow::array::{Array, RecordBatch};
use datafusion::arrow::compute::{cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Schema, TimeUnit};
use datafusion::sql::sqlparser::ast::{self, ColumnOption, HiveDistributionStyle, Statement};
use datafusion::sql::sqlparser::dialect::HiveDialect;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
use serde::{Deserialize, Serialize};

use crate::guard;
use crate::params::substitute;
use crate::spark::spark_strings;
use crate::{EngineError, Params};

/// One column of the target table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column's name, lower case.
    pub name: String,
    /// The type as the DDL writes it (`INT`, `STRING`…).
    pub sql_type: String,
    /// The Arrow type it maps to.
    pub data_type: DataType,
    /// False for `NOT NULL`.
    pub nullable: bool,
    /// The column's `COMMENT`.
    pub comment: Option<String>,
}

/// The target table a DDL declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDef {
    /// `db.table`, parameters substituted.
    pub name: String,
    /// The table's `COMMENT`.
    pub comment: Option<String>,
    /// The data columns, in order.
    pub columns: Vec<ColumnDef>,
    /// The `PARTITIONED BY` columns: set by the write, not by the transform.
    pub partition_columns: Vec<ColumnDef>,
    /// The `STORED AS` table format (`ICEBERG` in the article).
    pub stored_as: Option<String>,
}

/// Parses a `CREATE TABLE` DDL after substituting its `${PARAM}`s.
pub fn parse_ddl(ddl: &str, params: &Params) -> Result<TableDef, EngineError> {
    let sql = substitute("DDL", ddl, &params.values()).map_err(|e| match e {
        EngineError::UnknownParameter { name, .. } => EngineError::Ddl(format!("unknown parameter ${{{name}}}")),
        EngineError::UnclosedParameter { at, .. } => {
            EngineError::Ddl(format!("a `${{` without its closing `}}` at line {}, column {}", at.line, at.column))
        }
        other => other,
    })?;
    let ddl_error = |message: String| EngineError::Ddl(message);
    let (sql, stored_as) = table_format(&spark_strings(&sql))?;
    if !starts_create_table(&sql) {
        return Err(ddl_error("expected a CREATE TABLE statement".into()));
    }
    // The exact text the parser gets (after the string and STORED AS rewrites), in its dialect.
    let mut statements =
        guard::parse(&HiveDialect {}, &sql, &["CREATE"], guard::DEFAULT_RECURSION_LIMIT).map_err(|failure| {
            match failure {
                guard::ParseFailure::Refused(guard::Refusal::Starts(_)) => {
                    ddl_error("expected a CREATE TABLE statement".into())
                }
                guard::ParseFailure::Refused(long) => {
                    ddl_error(format!("{long}: the SQL parser would take very long on it"))
                }
                guard::ParseFailure::Syntax(e) => ddl_error(e.to_string()),
            }
        })?;
    if statements.len() != 1 {
        return Err(ddl_error(format!("expected one CREATE TABLE statement, found {}", statements.len())));
    }
    let Some(Statement::CreateTable(create)) = statements.pop() else {
        return Err(ddl_error("expected a CREATE TABLE statement".into()));
    };
    let columns = create.columns.iter().map(column_def).collect::<Result<Vec<_>, _>>()?;
    let partition_columns = match &create.hive_distribution {
        HiveDistributionStyle::PARTITIONED { columns } => {
            columns.iter().map(column_def).collect::<Result<Vec<_>, _>>()?
        }
        _ => Vec::new(),
    };
    if columns.is_empty() {
        return Err(ddl_error("the table has no columns".into()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in columns.iter().chain(&partition_columns) {
        if !seen.insert(c.name.clone()) {
            return Err(ddl_error(format!("column {} is declared twice", c.name)));
        }
    }
    let comment = create.comment.as_ref().map(|c| match c {
        ast::CommentDef::WithEq(s) | ast::CommentDef::WithoutEq(s) => s.clone(),
    });
    let stored_as = stored_as.or_else(|| {
        create.hive_formats.as_ref().and_then(|f| f.storage.as_ref()).and_then(|s| match s {
            ast::HiveIOFormat::FileFormat { format } => Some(format.to_string()),
            _ => None,
        })
    });
    Ok(TableDef { name: create.name.to_string(), comment, columns, partition_columns, stored_as })
}

/// Whether the text starts `CREATE [OR REPLACE] [EXTERNAL | TEMPORARY | TEMP] TABLE` (comments
/// aside): nothing else reaches the parser, whose other statements (`CREATE PROCEDURE … IF …`)
/// include shapes it takes exponentially long on.
fn starts_create_table(sql: &str) -> bool {
    let Ok(tokens) = Tokenizer::new(&HiveDialect {}, sql).tokenize() else { return true };
    let mut words = tokens.iter().filter(|t| !matches!(t, Token::Whitespace(_))).map(|t| match t {
        Token::Word(w) => w.value.to_ascii_uppercase(),
        other => other.to_string(),
    });
    if words.next().as_deref() != Some("CREATE") {
        return false;
    }
    for word in words.take(3) {
        match word.as_str() {
            "TABLE" => return true,
            "OR" | "REPLACE" | "EXTERNAL" | "TEMPORARY" | "TEMP" => {}
            _ => return false,
        }
    }
    false
}

/// Takes a `STORED AS <format>` clause out when sqlparser does not know the format (the
/// article's `ICEBERG`), and returns the format. Everything else is left for the parser.
fn table_format(sql: &str) -> Result<(String, Option<String>), EngineError> {
    let mut tokens = Tokenizer::new(&HiveDialect {}, sql).tokenize().map_err(|e| EngineError::Ddl(e.to_string()))?;
    let words: Vec<(usize, String)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Token::Word(w) => Some((i, w.value.to_ascii_uppercase())),
            Token::Whitespace(_) => None,
            other => Some((i, other.to_string())),
        })
        .collect();
    let found = words.windows(3).find_map(|w| match w {
        [(start, stored), (_, as_), (end, format)] if stored == "STORED" && as_ == "AS" => {
            Some((*start, *end, format.clone()))
        }
        _ => None,
    });
    const KNOWN: [&str; 7] = ["TEXTFILE", "SEQUENCEFILE", "ORC", "PARQUET", "AVRO", "RCFILE", "JSONFILE"];
    match found {
        Some((start, end, format)) if !KNOWN.contains(&format.as_str()) => {
            for token in tokens.get_mut(start..=end).into_iter().flatten() {
                *token = Token::Whitespace(Whitespace::Space);
            }
            Ok((tokens.iter().map(Token::to_string).collect(), Some(format)))
        }
        _ => Ok((sql.to_string(), None)),
    }
}

fn column_def(c: &ast::ColumnDef) -> Result<ColumnDef, EngineError> {
    let name = c.name.value.to_lowercase();
    let sql_type = c.data_type.to_string();
    let data_type = arrow_type(&sql_type)
        .ok_or_else(|| EngineError::Ddl(format!("column {name}: type {sql_type} is not supported")))?;
    let mut nullable = true;
    let mut comment = None;
    for option in &c.options {
        match &option.option {
            ColumnOption::NotNull => nullable = false,
            ColumnOption::Null => nullable = true,
            ColumnOption::Comment(text) => comment = Some(text.clone()),
            _ => {}
        }
    }
    Ok(ColumnDef { name, sql_type, data_type, nullable, comment })
}

/// Spark SQL types to Arrow types.
pub(crate) fn arrow_type(sql_type: &str) -> Option<DataType> {
    let upper = sql_type.to_ascii_uppercase();
    let base = upper.split('(').next().unwrap_or_default().trim();
    Some(match base {
        "TINYINT" | "BYTE" => DataType::Int8,
        "SMALLINT" | "SHORT" => DataType::Int16,
        "INT" | "INTEGER" => DataType::Int32,
        "BIGINT" | "LONG" => DataType::Int64,
        "FLOAT" | "REAL" => DataType::Float32,
        "DOUBLE" | "DOUBLE PRECISION" => DataType::Float64,
        "STRING" | "VARCHAR" | "CHAR" | "TEXT" => DataType::Utf8,
        "BOOLEAN" | "BOOL" => DataType::Boolean,
        "DATE" => DataType::Date32,
        "TIMESTAMP" => DataType::Timestamp(TimeUnit::Microsecond, None),
        "DECIMAL" | "NUMERIC" => {
            let args: Vec<u8> = upper
                .split_once('(')
                .map(|(_, rest)| rest.trim_end_matches(')').split(',').filter_map(|n| n.trim().parse().ok()).collect())
                .unwrap_or_default();
            match args.as_slice() {
                [] => DataType::Decimal128(10, 0),
                [p] => DataType::Decimal128(*p, 0),
                [p, s] => DataType::Decimal128(*p, i8::try_from(*s).ok()?),
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// What is wrong with an output for a target table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The DDL declares a column the output lacks.
    MissingColumn { column: String },
    /// The output has a column the DDL does not declare.
    ExtraColumn { column: String },
    /// The output's type differs and its values do not all cast to the DDL's type.
    TypeMismatch { column: String, expected: String, found: String, detail: String },
    /// A `NOT NULL` column has nulls.
    NullInNotNull { column: String, nulls: usize },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::MissingColumn { column } => write!(f, "column {column} is in the DDL but not in the output"),
            Finding::ExtraColumn { column } => write!(f, "column {column} is in the output but not in the DDL"),
            Finding::TypeMismatch { column, expected, found, detail } => {
                write!(f, "column {column}: the DDL says {expected}, the output has {found} that does not cast safely ({detail})")
            }
            Finding::NullInNotNull { column, nulls } => {
                write!(f, "column {column} is NOT NULL but has {nulls} null value(s)")
            }
        }
    }
}

/// Checks an output against the table's data columns (partition columns are set by the write).
/// A type that differs is fine when every value casts to the DDL's type without loss of range.
pub fn validate_output(table: &TableDef, schema: &Schema, batches: &[RecordBatch]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for column in &table.columns {
        let Some((index, field)) = schema.column_with_name(&column.name) else {
            findings.push(Finding::MissingColumn { column: column.name.clone() });
            continue;
        };
        let arrays = batches.iter().filter_map(|b| b.columns().get(index));
        if field.data_type() != &column.data_type {
            let strict = CastOptions { safe: false, ..Default::default() };
            let failure = arrays
                .clone()
                .find_map(|a| cast_with_options(a.as_ref(), &column.data_type, &strict).err().map(|e| e.to_string()))
                .or_else(|| {
                    (!datafusion::arrow::compute::can_cast_types(field.data_type(), &column.data_type))
                        .then(|| "no cast exists".to_string())
                });
            if let Some(detail) = failure {
                findings.push(Finding::TypeMismatch {
                    column: column.name.clone(),
                    expected: column.sql_type.clone(),
                    found: field.data_type().to_string(),
                    detail,
                });
            }
        }
        if !column.nullable {
            let nulls: usize = arrays.map(|a| a.null_count()).sum();
            if nulls > 0 {
                findings.push(Finding::NullInNotNull { column: column.name.clone(), nulls });
            }
        }
    }
    let declared: std::collections::BTreeSet<&str> =
        table.columns.iter().chain(&table.partition_columns).map(|c| c.name.as_str()).collect();
    for field in schema.fields() {
        if !declared.contains(field.name().to_lowercase().as_str()) {
            findings.push(Finding::ExtraColumn { column: field.name().clone() });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PipelineSpec;

    #[test]
    fn parses_the_articles_ddl() {
        let spec = PipelineSpec::sample();
        let table = parse_ddl(&spec.ddl, &spec.params).unwrap();
        assert_eq!(table.name, "foo.dataflow_sample_results");
        let cols: Vec<(&str, &DataType)> = table.columns.iter().map(|c| (c.name.as_str(), &c.data_type)).collect();
        assert_eq!(
            cols,
            [
                ("title_id", &DataType::Int32),
                ("country_code", &DataType::Utf8),
                ("title_rank", &DataType::Int32),
                ("view_hours", &DataType::Float64)
            ]
        );
        assert_eq!(table.columns[0].comment.as_deref(), Some("Title ID of the movie or show."));
        assert_eq!(table.partition_columns.len(), 1);
        assert_eq!(table.partition_columns[0].name, "date");
        assert_eq!(table.partition_columns[0].data_type, DataType::Date32);
        assert!(table.comment.unwrap().starts_with("Example dataset brought to you by Dataflow."));
        assert_eq!(table.stored_as.as_deref(), Some("ICEBERG"));
    }

    fn params() -> Params {
        PipelineSpec::sample().params
    }

    #[test]
    fn bad_ddl_is_a_clear_error() {
        let cases = [
            (
                "CREATE TABLE t (a INT",
                "DDL: sql parser error: Expected: ',' or ')' after column definition, found: EOF",
            ),
            ("SELECT 1", "DDL: expected a CREATE TABLE statement"),
            ("CREATE TABLE t (a INT); CREATE TABLE u (b INT)", "DDL: expected one CREATE TABLE statement, found 2"),
            ("CREATE TABLE t (a GEOMETRY)", "DDL: column a: type GEOMETRY is not supported"),
            ("CREATE TABLE t (a INT, A STRING)", "DDL: column a is declared twice"),
            ("CREATE TABLE ${NOPE}.t (a INT)", "DDL: unknown parameter ${NOPE}"),
        ];
        for (ddl, message) in cases {
            assert_eq!(parse_ddl(ddl, &params()).unwrap_err().to_string(), message, "{ddl}");
        }
    }

    #[test]
    fn strings_in_single_and_double_quotes_and_comments_survive() {
        let ddl = "CREATE TABLE t (a INT NOT NULL COMMENT \"it's \"\"a\"\"\" -- \"x\"\n, b STRING COMMENT 'say \"hi\"') STORED AS PARQUET";
        let table = parse_ddl(ddl, &params()).unwrap();
        assert_eq!(table.columns[0].comment.as_deref(), Some("it's \"a\""));
        assert!(!table.columns[0].nullable);
        assert_eq!(table.columns[1].comment.as_deref(), Some("say \"hi\""));
        assert_eq!(table.stored_as.as_deref(), Some("PARQUET"));
    }

    fn output(columns: Vec<(&str, datafusion::arrow::array::ArrayRef)>) -> (Schema, Vec<RecordBatch>) {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        (batch.schema().as_ref().clone(), vec![batch])
    }

    #[test]
    fn validation_finds_missing_extra_uncastable_and_null_columns() {
        use datafusion::arrow::array::{Float64Array, Int32Array, StringArray, UInt64Array};
        use std::sync::Arc;
        let table = parse_ddl(
            "CREATE TABLE t (id INT NOT NULL, code STRING, rank INT, hours DOUBLE) PARTITIONED BY (date DATE)",
            &params(),
        )
        .unwrap();
        // RANK() gives UInt64: fine while every value fits an INT.
        let (schema, batches) = output(vec![
            ("id", Arc::new(Int32Array::from(vec![Some(1), None])) as _),
            ("rank", Arc::new(UInt64Array::from(vec![1, u64::MAX])) as _),
            ("hours", Arc::new(StringArray::from(vec!["1.5", "lots"])) as _),
            ("extra", Arc::new(Float64Array::from(vec![1.0, 2.0])) as _),
        ]);
        let findings: Vec<String> = validate_output(&table, &schema, &batches).iter().map(|f| f.to_string()).collect();
        assert_eq!(findings.len(), 5, "{findings:#?}");
        assert_eq!(findings[0], "column id is NOT NULL but has 1 null value(s)");
        assert_eq!(findings[1], "column code is in the DDL but not in the output");
        assert!(
            findings[2].starts_with("column rank: the DDL says INT, the output has UInt64 that does not cast safely")
        );
        assert!(findings[3].starts_with("column hours: the DDL says DOUBLE, the output has Utf8"), "{}", findings[3]);
        assert_eq!(findings[4], "column extra is in the output but not in the DDL");

        let (schema, batches) = output(vec![
            ("id", Arc::new(Int32Array::from(vec![1, 2])) as _),
            ("code", Arc::new(StringArray::from(vec!["US", "BR"])) as _),
            ("rank", Arc::new(UInt64Array::from(vec![1, 2])) as _),
            ("hours", Arc::new(Float64Array::from(vec![1.0, 2.0])) as _),
        ]);
        assert_eq!(validate_output(&table, &schema, &batches), vec![]);
    }
}
