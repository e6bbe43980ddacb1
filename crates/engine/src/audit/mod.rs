//! Audits: checks on the staged partition that decide whether a Write-Audit-Publish run may
//! publish. Each audit is a [`crate::workflow::AuditSpec`] (a function, `blocking`, params from
//! the YAML); [`check_audits`] types and checks every audit's params before a run, and a run
//! turns each into an [`AuditResult`] (data, with the first failing rows), mostly by SQL over the
//! staged table in DataFusion. [`suggest`] proposes audits from a profile of the output.

mod check;
mod params;
mod run;
pub mod suggest;

use serde::{Deserialize, Serialize};

use crate::table::Table;

pub use check::check_audits;
pub(crate) use check::{plan_audits, AuditTables, PlannedAudit};
pub(crate) use run::{run_audits, AuditEnv};

/// The name audits' SQL reads the staged partition by (partition column included).
pub const STAGED: &str = "staged";
/// The name audits' SQL reads the table's latest published partition before the run date by.
pub const PREVIOUS: &str = "previous";
/// How many failing rows an audit result keeps.
pub const SAMPLE_ROWS: usize = 5;

/// The built-in audit functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFunction {
    /// `columns`: none of them has a NULL.
    ColumnsShouldNotHaveNulls,
    /// `columns`: together they identify a row (NULLs count as equal values).
    ColumnsShouldBeUnique,
    /// `min`, `max` (either may be left out): the partition's row count is within them.
    RowCountShouldBeWithin,
    /// `column`, `values`: every non-NULL value is one of `values`.
    ColumnShouldHaveAcceptedValues,
    /// `column`, `min`, `max` (either may be left out): every non-NULL number is within them.
    ColumnValuesShouldBeWithin,
    /// `column`, `to_table`, `to_column`: every non-NULL value occurs in the other table's column.
    ColumnValuesShouldExistIn,
    /// `rank_column`, `partition_by`: ranks start at 1 and skip only after ties.
    RanksShouldBeContiguous,
    /// `group_by`, `max_rows`, optional `rank_column`: at most `max_rows` rows per group (ties at the last rank allowed).
    GroupsShouldHaveAtMost,
    /// `table` (the target or the source), `column`, `max_age_days`: the newest date is at most
    /// that many days before the run date.
    DataShouldBeFresh,
    /// `max_percent`: the row count changed at most this much since the previous published partition.
    RowCountChangeShouldBeWithin,
    /// `sql`: a `SELECT` over `staged` (and other tables) that must return no rows.
    QueryShouldReturnNoRows,
    /// No params: the staged columns fit the DDL (names, types, NOT NULL).
    SchemaShouldMatchDdl,
}

/// One param an audit function takes, for help text and editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamDoc {
    /// The param's name in the YAML.
    pub name: &'static str,
    /// What it holds.
    pub kind: &'static str,
    /// Whether it must be given.
    pub required: bool,
}

const fn p(name: &'static str, kind: &'static str, required: bool) -> ParamDoc {
    ParamDoc { name, kind, required }
}

impl AuditFunction {
    /// Every function, in the order the docs list them.
    pub const ALL: [AuditFunction; 12] = [
        AuditFunction::ColumnsShouldNotHaveNulls,
        AuditFunction::ColumnsShouldBeUnique,
        AuditFunction::RowCountShouldBeWithin,
        AuditFunction::ColumnShouldHaveAcceptedValues,
        AuditFunction::ColumnValuesShouldBeWithin,
        AuditFunction::ColumnValuesShouldExistIn,
        AuditFunction::RanksShouldBeContiguous,
        AuditFunction::GroupsShouldHaveAtMost,
        AuditFunction::DataShouldBeFresh,
        AuditFunction::RowCountChangeShouldBeWithin,
        AuditFunction::QueryShouldReturnNoRows,
        AuditFunction::SchemaShouldMatchDdl,
    ];

    /// The function's name in the YAML.
    pub fn name(self) -> &'static str {
        match self {
            AuditFunction::ColumnsShouldNotHaveNulls => "columns_should_not_have_nulls",
            AuditFunction::ColumnsShouldBeUnique => "columns_should_be_unique",
            AuditFunction::RowCountShouldBeWithin => "row_count_should_be_within",
            AuditFunction::ColumnShouldHaveAcceptedValues => "column_should_have_accepted_values",
            AuditFunction::ColumnValuesShouldBeWithin => "column_values_should_be_within",
            AuditFunction::ColumnValuesShouldExistIn => "column_values_should_exist_in",
            AuditFunction::RanksShouldBeContiguous => "ranks_should_be_contiguous",
            AuditFunction::GroupsShouldHaveAtMost => "groups_should_have_at_most",
            AuditFunction::DataShouldBeFresh => "data_should_be_fresh",
            AuditFunction::RowCountChangeShouldBeWithin => "row_count_change_should_be_within",
            AuditFunction::QueryShouldReturnNoRows => "query_should_return_no_rows",
            AuditFunction::SchemaShouldMatchDdl => "schema_should_match_ddl",
        }
    }

    /// The function a name gives, if any.
    pub fn from_name(name: &str) -> Option<AuditFunction> {
        AuditFunction::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every function's name.
    pub fn names() -> Vec<&'static str> {
        AuditFunction::ALL.iter().map(|f| f.name()).collect()
    }

    /// The params it takes. Every function also takes an optional `table`: the audited table,
    /// which is the target (`${TARGET_TABLE}`), except that `data_should_be_fresh` may name the source.
    pub fn params(self) -> &'static [ParamDoc] {
        const COLUMNS: &[ParamDoc] = &[p("columns", "list of columns", true)];
        const ROW_COUNT: &[ParamDoc] = &[p("min", "whole number", false), p("max", "whole number", false)];
        const ACCEPTED: &[ParamDoc] = &[p("column", "column", true), p("values", "list of values", true)];
        const RANGE: &[ParamDoc] =
            &[p("column", "numeric column", true), p("min", "number", false), p("max", "number", false)];
        const EXIST_IN: &[ParamDoc] = &[
            p("column", "column", true),
            p("to_table", "table (the source or the target)", true),
            p("to_column", "column of to_table", true),
        ];
        const RANKS: &[ParamDoc] = &[p("rank_column", "column", true), p("partition_by", "list of columns", false)];
        const AT_MOST: &[ParamDoc] = &[
            p("group_by", "list of columns", true),
            p("max_rows", "whole number (default ${top_n})", false),
            p("rank_column", "column: rows tied at a group's last rank may go over max_rows", false),
        ];
        const FRESH: &[ParamDoc] = &[
            p("column", "DATE column (default: the table's last DATE column)", false),
            p("max_age_days", "whole number (default 0)", false),
        ];
        const CHANGE: &[ParamDoc] = &[p("max_percent", "number", true)];
        const QUERY: &[ParamDoc] = &[p("sql", "SELECT over staged", true)];
        match self {
            AuditFunction::ColumnsShouldNotHaveNulls | AuditFunction::ColumnsShouldBeUnique => COLUMNS,
            AuditFunction::RowCountShouldBeWithin => ROW_COUNT,
            AuditFunction::ColumnShouldHaveAcceptedValues => ACCEPTED,
            AuditFunction::ColumnValuesShouldBeWithin => RANGE,
            AuditFunction::ColumnValuesShouldExistIn => EXIST_IN,
            AuditFunction::RanksShouldBeContiguous => RANKS,
            AuditFunction::GroupsShouldHaveAtMost => AT_MOST,
            AuditFunction::DataShouldBeFresh => FRESH,
            AuditFunction::RowCountChangeShouldBeWithin => CHANGE,
            AuditFunction::QueryShouldReturnNoRows => QUERY,
            AuditFunction::SchemaShouldMatchDdl => &[],
        }
    }

    /// One line on what the function checks.
    pub fn description(self) -> &'static str {
        match self {
            AuditFunction::ColumnsShouldNotHaveNulls => "None of the columns has a NULL.",
            AuditFunction::ColumnsShouldBeUnique => "No two rows have the same values in the columns.",
            AuditFunction::RowCountShouldBeWithin => "The partition has from min to max rows.",
            AuditFunction::ColumnShouldHaveAcceptedValues => "Every non-NULL value of the column is one of values.",
            AuditFunction::ColumnValuesShouldBeWithin => "Every non-NULL value of the column is from min to max.",
            AuditFunction::ColumnValuesShouldExistIn => {
                "Every non-NULL value of the column occurs in to_table.to_column."
            }
            AuditFunction::RanksShouldBeContiguous => {
                "Within each partition, a row's rank is 1 + the number of rows ranked before it (RANK()'s rule)."
            }
            AuditFunction::GroupsShouldHaveAtMost => {
                "Each group has at most max_rows rows; with rank_column, rows tied at the group's last rank may go over."
            }
            AuditFunction::DataShouldBeFresh => {
                "The newest date in the column is at most max_age_days before the run date."
            }
            AuditFunction::RowCountChangeShouldBeWithin => {
                "The row count differs by at most max_percent from the previous published partition."
            }
            AuditFunction::QueryShouldReturnNoRows => "The query returns no rows (each row it returns is a failure).",
            AuditFunction::SchemaShouldMatchDdl => "The staged columns fit the DDL: names, types and NOT NULL.",
        }
    }
}

/// One audit's outcome on a staged partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditResult {
    /// The audit's place in the workflow's list, from 0.
    pub index: usize,
    /// The function's name.
    pub function: String,
    /// Whether a failure blocks the publish.
    pub blocking: bool,
    /// Whether the check held.
    pub passed: bool,
    /// How many rows (or keys, groups or findings; 1 for a table-level check) failed.
    pub failing_count: u64,
    /// The first failing rows ([`SAMPLE_ROWS`] at most), sorted; empty when it passed.
    pub sample: Table,
    /// What was found, in words.
    pub message: String,
}

impl AuditResult {
    /// A failure that stops the publish.
    pub fn blocks(&self) -> bool {
        self.blocking && !self.passed
    }
}

/// Something wrong with the workflow that is found before a run: bad audit params, an unknown
/// column, a range that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowProblem {
    /// What it is about: `audit 2 (columns_should_be_unique)`, `metadata`, `daily`, `backfill`, `ddl`.
    pub subject: String,
    /// The audit's place in the list (from 0), for an audit.
    pub audit: Option<usize>,
    /// The param (or setting) it is about, if one.
    pub param: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for WorkflowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.param {
            Some(param) => write!(f, "{}, param {param}: {}", self.subject, self.message),
            None => write!(f, "{}: {}", self.subject, self.message),
        }
    }
}
