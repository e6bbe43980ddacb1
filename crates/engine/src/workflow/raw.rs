//! The workflow files' YAML shapes, as serde reads them: unknown keys are errors, and the
//! places the checks point at (ids, job types, audit functions) keep their line and column.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::yaml::OrderedMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(rename = "Trigger", default)]
    pub(super) trigger: Option<RawTrigger>,
    #[serde(rename = "Variables", default)]
    pub(super) variables: BTreeMap<String, Spanned<Value>>,
    #[serde(rename = "Workflow")]
    pub(super) workflow: Spanned<RawWorkflow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrigger {
    #[serde(rename = "type", default)]
    pub(super) _kind: Option<String>,
    #[serde(default)]
    pub(super) cron: Option<String>,
    #[serde(default)]
    pub(super) timezone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWorkflow {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    pub(super) jobs: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawEntry {
    Job(Box<RawJob>),
    Template(RawTemplate),
    Foreach(RawForeach),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJob {
    pub(super) id: Spanned<String>,
    #[serde(rename = "type")]
    pub(super) kind: Spanned<String>,
    #[serde(default)]
    pub(super) spark: Option<RawSpark>,
    #[serde(default)]
    pub(super) metacat: Option<RawMetacat>,
    #[serde(default)]
    pub(super) subworkflow: Option<RawSubworkflow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpark {
    #[serde(rename = "script")]
    pub(super) _script: String,
    #[serde(rename = "parameters", default)]
    pub(super) _parameters: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMetacat {
    #[serde(rename = "tables", default)]
    pub(super) _tables: Vec<String>,
    #[serde(rename = "table", default)]
    pub(super) _table: Option<String>,
    #[serde(default)]
    pub(super) owner: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) lifetime: Option<u32>,
    #[serde(default)]
    pub(super) column_types: Option<Spanned<OrderedMap>>,
    #[serde(rename = "hwm_datetime", default)]
    pub(super) _hwm_datetime: Option<String>,
    #[serde(rename = "hwm_timezone", default)]
    pub(super) _hwm_timezone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTemplate {
    #[serde(rename = "id")]
    pub(super) _id: String,
    #[serde(rename = "type")]
    pub(super) kind: Spanned<String>,
    #[serde(rename = "tables", default)]
    pub(super) _tables: Vec<String>,
    pub(super) write_jobs: Vec<Spanned<RawEntry>>,
    #[serde(default)]
    pub(super) data_auditor: Option<RawAuditor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuditor {
    pub(super) audits: Vec<RawAudit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAudit {
    pub(super) function: Spanned<String>,
    pub(super) blocking: bool,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForeach {
    #[serde(rename = "id")]
    pub(super) _id: String,
    pub(super) jobs: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSubworkflow {
    pub(super) id: Spanned<String>,
    #[serde(rename = "params", default)]
    pub(super) _params: BTreeMap<String, Value>,
}
