//! The workflow around the transform, as the article's three files describe it: `main.sch.yaml`
//! (one date: DDL, table metadata, the write wrapped in Write-Audit-Publish with its audits, and
//! the high-water mark), `daily.sch.yaml` (main for the run date and a few days before it) and
//! `backfill.sch.yaml` (main for a range of dates).
//!
//! [`Workflow`] is the part of the spec these files hold. The files are rendered from a spec by
//! pure functions ([`main_yaml`], [`daily_yaml`], [`backfill_yaml`]) and read back with
//! positions ([`parse_main`], [`parse_daily`], [`parse_backfill`],
//! [`PipelineSpec::apply_workflow_files`]).

mod check;
mod parse;
mod raw;
mod render;
mod yaml;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{Params, PipelineSpec, RunDate};

pub use check::check_workflow;
pub(crate) use check::{prepare_main, problems_error};
pub use parse::{parse_backfill, parse_daily, parse_main, BackfillFile, DailyFile, MainFile};
pub use render::{audit_yaml, backfill_yaml, daily_yaml, main_yaml, main_yaml_with_write, DEFAULT_WRITE_SCRIPT};
pub(crate) use yaml::value_text;

/// The longest backfill, in days (a leap year): longer ranges are refused before anything runs.
pub const MAX_BACKFILL_DAYS: u32 = 366;
/// The most days a daily run looks back (besides the run date itself).
pub const MAX_LOOKBACK_DAYS: u32 = 30;

/// Everything the workflow files say beyond the transform, its parameters and its DDL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workflow {
    /// The workflow id (the article's `--workflow-id`); the files' ids are `<id>.main`,
    /// `<id>.daily` and `<id>.backfill`.
    pub id: String,
    /// The workflow's human name (the article's `--workflow-shortname`).
    pub name: String,
    /// The metadata catalog that holds the table (`${CATALOG}`).
    pub catalog: String,
    /// What the metadata job sets on the table.
    pub metadata: TableMetadata,
    /// The WAP template's audits, in the order they run.
    pub audits: Vec<AuditSpec>,
    /// The daily workflow's schedule and lookback.
    pub daily: DailySettings,
    /// The backfill workflow's default range.
    pub backfill: BackfillSettings,
}

/// Table metadata, as the article's Metacat job sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableMetadata {
    /// The table's owner (`${username}`).
    pub owner: String,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// How many days the data is kept (Metacat's `lifetime`; recorded, not enforced here).
    pub lifetime_days: u32,
    /// The columns that identify a row (`column_types: {col: pk}`), partition column included.
    pub primary_key: Vec<String>,
}

/// One audit of the WAP template, as `data_auditor.audits` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSpec {
    /// The audit function's name (`columns_should_not_have_nulls`), see [`crate::audit::AuditFunction`].
    pub function: String,
    /// Whether a failure stops the publish (else it is a warning).
    pub blocking: bool,
    /// The params as YAML gives them; strings may hold `${PARAM}`s. Typed and checked by
    /// [`crate::audit::check_audits`] before a run.
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
}

impl AuditSpec {
    /// An audit from its function's name and params given as JSON values.
    pub fn new(function: &str, blocking: bool, params: &[(&str, Value)]) -> Self {
        AuditSpec {
            function: function.into(),
            blocking,
            params: params.iter().map(|(name, value)| ((*name).to_string(), value.clone())).collect(),
        }
    }
}

/// When the daily workflow runs and how far it looks back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySettings {
    /// A cron expression (`0 6 * * *`).
    pub cron: String,
    /// The schedule's time zone.
    pub timezone: String,
    /// How many days before the run date are run again (late-arriving data).
    pub lookback_days: u32,
}

/// The backfill workflow's default range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackfillSettings {
    /// The first date (inclusive).
    pub start: RunDate,
    /// The last date (inclusive).
    pub end: RunDate,
    /// Stop at the first date that is not published (else go on and report it).
    pub stop_on_failure: bool,
}

impl Default for Workflow {
    fn default() -> Self {
        Self::sample()
    }
}

impl Workflow {
    /// The sample workflow: the article's metadata and audits for the daily top-N table.
    pub fn sample() -> Self {
        let end = RunDate::from_ymd(2022, 1, 1).unwrap_or_default();
        Workflow {
            id: "dataflow_sample".into(),
            name: "Dataflow sample workflow".into(),
            catalog: "prodhive".into(),
            metadata: TableMetadata {
                owner: "dataflow".into(),
                tags: vec!["dataflow".into(), "sample".into()],
                lifetime_days: 123,
                primary_key: vec!["date".into(), "country_code".into(), "title_id".into()],
            },
            audits: sample_audits(),
            daily: DailySettings { cron: "0 6 * * *".into(), timezone: "UTC".into(), lookback_days: 2 },
            backfill: BackfillSettings { start: end.add_days(-6), end, stop_on_failure: false },
        }
    }

    /// The `${NAME}`s a workflow's audits may use: the run parameters, `TARGET_TABLE` (the
    /// table part of the DDL's name), `CATALOG` and `username` (the owner).
    pub fn values(&self, params: &Params, table_name: &str) -> BTreeMap<String, String> {
        let mut values = params.values();
        let bare = table_name.rsplit('.').next().unwrap_or(table_name);
        values.insert("TARGET_TABLE".into(), bare.to_string());
        values.insert("CATALOG".into(), self.catalog.clone());
        values.insert("username".into(), self.metadata.owner.clone());
        values
    }
}

/// The sample's audits: what a daily top-N-per-country table should satisfy.
fn sample_audits() -> Vec<AuditSpec> {
    let table = || ("table", json!("${TARGET_TABLE}"));
    vec![
        AuditSpec::new(
            "columns_should_not_have_nulls",
            true,
            &[table(), ("columns", json!(["title_id", "country_code", "title_rank"]))],
        ),
        AuditSpec::new("columns_should_be_unique", true, &[("columns", json!(["date", "country_code", "title_id"]))]),
        AuditSpec::new("row_count_should_be_within", true, &[("min", json!(1))]),
        AuditSpec::new(
            "ranks_should_be_contiguous",
            true,
            &[("rank_column", json!("title_rank")), ("partition_by", json!(["country_code"]))],
        ),
        AuditSpec::new(
            "groups_should_have_at_most",
            true,
            &[
                ("group_by", json!(["country_code"])),
                ("max_rows", json!("${top_n}")),
                ("rank_column", json!("title_rank")),
            ],
        ),
        AuditSpec::new(
            "column_values_should_be_within",
            true,
            &[("column", json!("title_rank")), ("min", json!(1)), ("max", json!("${top_n}"))],
        ),
        AuditSpec::new(
            "query_should_return_no_rows",
            true,
            &[("sql", json!("SELECT * FROM staged WHERE view_hours < 0"))],
        ),
        AuditSpec::new("schema_should_match_ddl", true, &[]),
        AuditSpec::new(
            "column_values_should_exist_in",
            false,
            &[
                ("column", json!("country_code")),
                ("to_table", json!("some_db.source_table")),
                ("to_column", json!("country_code")),
            ],
        ),
        AuditSpec::new(
            "data_should_be_fresh",
            false,
            &[("table", json!("some_db.source_table")), ("column", json!("playback_date")), ("max_age_days", json!(0))],
        ),
        AuditSpec::new("row_count_change_should_be_within", false, &[("max_percent", json!(50))]),
    ]
}

impl PipelineSpec {
    /// Reads the three workflow files into this spec: the workflow, the target database, `top_n`
    /// and any other variables. Nothing changes unless all three files read.
    pub fn apply_workflow_files(&mut self, main: &str, daily: &str, backfill: &str) -> Result<(), crate::EngineError> {
        let main = parse_main(main)?;
        let daily = parse_daily(daily)?;
        let backfill = parse_backfill(backfill)?;
        for (file, id) in [("daily.sch.yaml", &daily.id), ("backfill.sch.yaml", &backfill.id)] {
            if *id != main.id {
                return Err(crate::EngineError::Workflow {
                    file: Some(file.into()),
                    line: None,
                    column: None,
                    message: format!("the workflow id is {id}, but main.sch.yaml's is {}", main.id),
                });
            }
        }
        let mut params = self.params.clone();
        params.target_db = main.target_db;
        params.top_n = main.top_n;
        params.date = main.date;
        params.extra = main.extra;
        self.params = params;
        self.workflow = Workflow {
            id: main.id,
            name: main.name,
            catalog: main.catalog,
            metadata: main.metadata,
            audits: main.audits,
            daily: daily.settings,
            backfill: backfill.settings,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_saved_before_workflows_reads_with_the_sample_workflow() {
        let spec = PipelineSpec::sample();
        let mut json = serde_json::to_value(&spec).unwrap();
        json.as_object_mut().unwrap().remove("workflow");
        assert_eq!(serde_json::from_value::<PipelineSpec>(json.clone()).unwrap(), spec);
        json["workflow"] = json!({"id": "mine", "daily": {"cron": "0 1 * * *", "timezone": "UTC", "lookback_days": 0}});
        let read: PipelineSpec = serde_json::from_value(json).unwrap();
        assert_eq!((read.workflow.id.as_str(), read.workflow.daily.lookback_days), ("mine", 0));
        assert_eq!(read.workflow.audits, Workflow::sample().audits, "what is left out is the sample's");
    }

    #[test]
    fn values_add_the_workflows_names_to_the_parameters() {
        let spec = PipelineSpec::sample();
        let values = spec.workflow.values(&spec.params, "foo.dataflow_sample_results");
        assert_eq!(values["TARGET_TABLE"], "dataflow_sample_results");
        assert_eq!((values["CATALOG"].as_str(), values["username"].as_str()), ("prodhive", "dataflow"));
        assert_eq!(values["top_n"], "100");
    }
}
