//! Reading the three workflow files back, with the line and column of anything wrong: YAML that
//! does not parse, an unknown key, an unknown job type or audit function, a job missing or out of
//! order, a variable that is not of its type.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_saphyr::{Location, Spanned};

use super::raw::{RawEntry, RawFile, RawJob, RawTemplate, RawTrigger, RawWorkflow};
use super::yaml::{error_at, read, value_text};
use super::{AuditSpec, BackfillSettings, DailySettings, TableMetadata, MAX_LOOKBACK_DAYS};
use crate::audit::AuditFunction;
use crate::params::substitute;
use crate::{EngineError, Params, RunDate};

const MAIN: &str = "main.sch.yaml";
const DAILY: &str = "daily.sch.yaml";
const BACKFILL: &str = "backfill.sch.yaml";
/// The job types the files know.
const JOB_TYPES: [&str; 4] = ["Spark", "Metadata", "HWM", "Subworkflow"];

/// What `main.sch.yaml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainFile {
    /// The workflow id (the file's id without `.main`).
    pub id: String,
    /// The workflow's name.
    pub name: String,
    /// `CATALOG`.
    pub catalog: String,
    /// `TARGET_DB`.
    pub target_db: String,
    /// `date`, the date a manual run uses.
    pub date: RunDate,
    /// `top_n`.
    pub top_n: u32,
    /// Other variables: the run's user-defined parameters.
    pub extra: BTreeMap<String, String>,
    /// What the metadata job sets.
    pub metadata: TableMetadata,
    /// The WAP template's audits.
    pub audits: Vec<AuditSpec>,
}

/// What `daily.sch.yaml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyFile {
    /// The workflow id (the file's id without `.daily`).
    pub id: String,
    /// Schedule and lookback.
    pub settings: DailySettings,
}

/// What `backfill.sch.yaml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackfillFile {
    /// The workflow id (the file's id without `.backfill`).
    pub id: String,
    /// The default range.
    pub settings: BackfillSettings,
}

/// Reads `main.sch.yaml`: its jobs must be `ddl` (Spark), `metadata` (Metadata), the `wap`
/// template (one Spark write job and its audits) and `hwm` (HWM), in this order.
pub fn parse_main(text: &str) -> Result<MainFile, EngineError> {
    let raw: RawFile = read(MAIN, text)?;
    let mut vars = Variables { file: MAIN, values: raw.variables };
    let catalog = vars.text("CATALOG")?;
    let mut params = Params { target_db: String::new(), date: RunDate::default(), top_n: 1, extra: BTreeMap::new() };
    for name in ["TARGET_DB", "date", "top_n"] {
        let (value, at) = vars.take(name)?;
        params.set(name, &value).map_err(|e| error_at(MAIN, Some(&at), e.to_string()))?;
    }
    let username = vars.text("username")?;
    vars.values.remove("TARGET_TABLE");
    let others: Vec<String> = vars.values.keys().cloned().collect();
    for name in others {
        let (value, at) = vars.take(&name)?;
        params.set(&name, &value).map_err(|e| error_at(MAIN, Some(&at), e.to_string()))?;
    }
    let mut substitution = params.values();
    substitution.insert("CATALOG".into(), catalog.clone());
    substitution.insert("username".into(), username);

    let workflow = raw.workflow;
    let mut metadata = None;
    let mut audits = None;
    let mut roles: Vec<&str> = Vec::new();
    const ORDER: [&str; 4] = ["ddl", "metadata", "wap", "hwm"];
    for entry in &workflow.value.jobs {
        let at = entry.referenced;
        let role = match &entry.value {
            RawEntry::Job(job) => match job_type(MAIN, job)? {
                "Spark" => {
                    needs_script(job)?;
                    "ddl"
                }
                "Metadata" => {
                    metadata = Some(read_metadata(job, &substitution)?);
                    "metadata"
                }
                "HWM" => "hwm",
                _ => {
                    return Err(error_at(
                        MAIN,
                        Some(&job.kind.referenced),
                        "a Subworkflow job belongs in daily.sch.yaml or backfill.sch.yaml, not in main",
                    ))
                }
            },
            RawEntry::Template(template) => {
                audits = Some(read_wap(template)?);
                "wap"
            }
            RawEntry::Foreach(_) => {
                return Err(error_at(MAIN, Some(&at), "main runs one date: a foreach belongs in daily or backfill"))
            }
        };
        if roles.contains(&role) {
            return Err(error_at(MAIN, Some(&at), format!("a second {role} job: main has one of each")));
        }
        if ORDER.iter().position(|r| *r == role) < roles.last().and_then(|last| ORDER.iter().position(|r| r == last)) {
            return Err(error_at(
                MAIN,
                Some(&at),
                format!("the {role} job is out of order: main runs {}", ORDER.join(", ")),
            ));
        }
        roles.push(role);
    }
    if let Some(missing) = ORDER.iter().find(|role| !roles.contains(role)) {
        return Err(error_at(
            MAIN,
            Some(&workflow.referenced),
            format!("the {missing} job is missing: main runs {}", ORDER.join(", ")),
        ));
    }
    Ok(MainFile {
        id: workflow_id(&workflow.value, "main"),
        name: workflow.value.name.clone(),
        catalog,
        target_db: params.target_db,
        date: params.date,
        top_n: params.top_n,
        extra: params.extra,
        metadata: metadata.unwrap_or_else(|| TableMetadata {
            owner: String::new(),
            tags: Vec::new(),
            lifetime_days: 0,
            primary_key: Vec::new(),
        }),
        audits: audits.unwrap_or_default(),
    })
}

/// Reads `daily.sch.yaml`: a cron trigger, `lookback_days`, and one foreach that runs main.
pub fn parse_daily(text: &str) -> Result<DailyFile, EngineError> {
    let raw: RawFile = read(DAILY, text)?;
    let trigger = raw.trigger.unwrap_or(RawTrigger { _kind: None, cron: None, timezone: None });
    let Some(cron) = trigger.cron else {
        return Err(error_at(DAILY, None, "the Trigger needs a cron schedule (cron: 0 6 * * *)"));
    };
    let mut vars = Variables { file: DAILY, values: raw.variables };
    let (value, at) = vars.take("lookback_days")?;
    let lookback_days = value.parse::<u32>().ok().filter(|n| *n <= MAX_LOOKBACK_DAYS).ok_or_else(|| {
        error_at(
            DAILY,
            Some(&at),
            format!("lookback_days must be a whole number from 0 to {MAX_LOOKBACK_DAYS}, not {value}"),
        )
    })?;
    vars.no_others()?;
    let id = workflow_id(&raw.workflow.value, "daily");
    check_runs_main(DAILY, &raw.workflow, &id)?;
    let timezone = trigger.timezone.unwrap_or_else(|| "UTC".into());
    Ok(DailyFile { id, settings: DailySettings { cron, timezone, lookback_days } })
}

/// Reads `backfill.sch.yaml`: `start_date`, `end_date` (at most [`super::MAX_BACKFILL_DAYS`]
/// days, the start not after the end), `stop_on_failure`, and one foreach that runs main.
pub fn parse_backfill(text: &str) -> Result<BackfillFile, EngineError> {
    let raw: RawFile = read(BACKFILL, text)?;
    let mut vars = Variables { file: BACKFILL, values: raw.variables };
    let mut date = |name: &str| -> Result<(RunDate, Location), EngineError> {
        let (value, at) = vars.take(name)?;
        let date = RunDate::parse(&value).map_err(|e| error_at(BACKFILL, Some(&at), format!("{name}: {e}")))?;
        Ok((date, at))
    };
    let (start, start_at) = date("start_date")?;
    let (end, _) = date("end_date")?;
    crate::schedule::backfill_dates(start, end, super::MAX_BACKFILL_DAYS)
        .map_err(|e| error_at(BACKFILL, Some(&start_at), e.to_string()))?;
    let stop_on_failure = match vars.values.remove("stop_on_failure") {
        None => false,
        Some(Spanned { value: Value::Bool(b), .. }) => b,
        Some(other) => {
            return Err(error_at(BACKFILL, Some(&other.referenced), "stop_on_failure must be true or false"))
        }
    };
    vars.no_others()?;
    let id = workflow_id(&raw.workflow.value, "backfill");
    check_runs_main(BACKFILL, &raw.workflow, &id)?;
    Ok(BackfillFile { id, settings: BackfillSettings { start, end, stop_on_failure } })
}

/// The file's `Variables`, taken one by one.
struct Variables {
    file: &'static str,
    values: BTreeMap<String, Spanned<Value>>,
}

impl Variables {
    fn take(&mut self, name: &str) -> Result<(String, Location), EngineError> {
        let Some(value) = self.values.remove(name) else {
            return Err(error_at(self.file, None, format!("Variables: {name} is missing")));
        };
        let text = value_text(&value.value)
            .ok_or_else(|| error_at(self.file, Some(&value.referenced), format!("{name} must be a single value")))?;
        Ok((text, value.referenced))
    }

    fn text(&mut self, name: &str) -> Result<String, EngineError> {
        self.take(name).map(|(text, _)| text)
    }

    fn no_others(&self) -> Result<(), EngineError> {
        match self.values.iter().next() {
            Some((name, value)) => {
                Err(error_at(self.file, Some(&value.referenced), format!("unknown variable {name}")))
            }
            None => Ok(()),
        }
    }
}

/// The id without its file suffix (`dataflow_sample.main` → `dataflow_sample`).
fn workflow_id(workflow: &RawWorkflow, file: &str) -> String {
    let id = workflow.id.value.as_str();
    id.strip_suffix(&format!(".{file}")).unwrap_or(id).to_string()
}

/// The job's type, one of [`JOB_TYPES`] (any case), or an error that names it.
fn job_type(file: &str, job: &RawJob) -> Result<&'static str, EngineError> {
    let kind = job.kind.value.as_str();
    JOB_TYPES.iter().copied().find(|t| t.eq_ignore_ascii_case(kind)).ok_or_else(|| {
        error_at(
            file,
            Some(&job.kind.referenced),
            format!("job {}: unknown job type `{kind}` (known: {})", job.id.value, JOB_TYPES.join(", ")),
        )
    })
}

/// A Spark job runs a script.
fn needs_script(job: &RawJob) -> Result<(), EngineError> {
    match &job.spark {
        Some(_) => Ok(()),
        None => Err(error_at(
            MAIN,
            Some(&job.id.referenced),
            format!("job {}: a Spark job needs spark: script", job.id.value),
        )),
    }
}

fn read_metadata(job: &RawJob, values: &BTreeMap<String, String>) -> Result<TableMetadata, EngineError> {
    let Some(metacat) = &job.metacat else {
        return Err(error_at(MAIN, Some(&job.id.referenced), "the Metadata job needs a metacat section"));
    };
    let Some(owner) = &metacat.owner else {
        return Err(error_at(MAIN, Some(&job.id.referenced), "the Metadata job needs an owner"));
    };
    let owner = substitute("owner", &owner.value, values)
        .map_err(|e| error_at(MAIN, Some(&owner.referenced), format!("owner: {e}")))?;
    let Some(lifetime_days) = metacat.lifetime else {
        return Err(error_at(MAIN, Some(&job.id.referenced), "the Metadata job needs a lifetime (days)"));
    };
    let mut primary_key = Vec::new();
    if let Some(types) = &metacat.column_types {
        for (column, kind) in &types.value.0 {
            if kind != "pk" {
                return Err(error_at(
                    MAIN,
                    Some(&types.referenced),
                    format!("column_types: {column} is `{kind}`; the only column type is pk"),
                ));
            }
            primary_key.push(column.clone());
        }
    }
    Ok(TableMetadata { owner, tags: metacat.tags.clone(), lifetime_days, primary_key })
}

/// The wap template: one Spark write job and the audits.
fn read_wap(template: &RawTemplate) -> Result<Vec<AuditSpec>, EngineError> {
    if !template.kind.value.eq_ignore_ascii_case("wap") {
        return Err(error_at(
            MAIN,
            Some(&template.kind.referenced),
            format!("unknown template type `{}` (known: wap)", template.kind.value),
        ));
    }
    let mut writes = 0;
    for entry in &template.write_jobs {
        match &entry.value {
            RawEntry::Job(job) if job_type(MAIN, job)? == "Spark" => {
                needs_script(job)?;
                writes += 1
            }
            RawEntry::Job(job) => {
                return Err(error_at(MAIN, Some(&job.kind.referenced), "a write job's type is Spark"));
            }
            _ => return Err(error_at(MAIN, Some(&entry.referenced), "write_jobs holds jobs only")),
        }
    }
    if writes != 1 {
        return Err(error_at(
            MAIN,
            Some(&template.kind.referenced),
            format!("the wap template needs exactly one write job, found {writes}"),
        ));
    }
    let audits = template.data_auditor.as_ref().map(|a| a.audits.as_slice()).unwrap_or_default();
    audits
        .iter()
        .map(|audit| {
            let name = audit.function.value.as_str();
            if AuditFunction::from_name(name).is_none() {
                return Err(error_at(
                    MAIN,
                    Some(&audit.function.referenced),
                    format!("unknown audit function `{name}` (known: {})", AuditFunction::names().join(", ")),
                ));
            }
            Ok(AuditSpec { function: name.to_string(), blocking: audit.blocking, params: audit.params.clone() })
        })
        .collect()
}

/// Daily and backfill have one foreach whose one job runs `<id>.main` as a Subworkflow.
fn check_runs_main(file: &str, workflow: &Spanned<RawWorkflow>, id: &str) -> Result<(), EngineError> {
    let wanted = format!("{id}.main");
    let [Spanned { value: RawEntry::Foreach(foreach), .. }] = workflow.value.jobs.as_slice() else {
        return Err(error_at(file, Some(&workflow.referenced), format!("jobs must be one foreach that runs {wanted}")));
    };
    let [Spanned { value: RawEntry::Job(job), referenced, .. }] = foreach.jobs.as_slice() else {
        return Err(error_at(file, Some(&workflow.referenced), format!("the foreach must run one job: {wanted}")));
    };
    if job_type(file, job)? != "Subworkflow" {
        return Err(error_at(
            file,
            Some(&job.kind.referenced),
            format!("the foreach's job is a Subworkflow that runs {wanted}"),
        ));
    }
    match &job.subworkflow {
        Some(sub) if sub.id.value == wanted => Ok(()),
        Some(sub) => Err(error_at(
            file,
            Some(&sub.id.referenced),
            format!("the subworkflow is {}, but this workflow's main is {wanted}", sub.id.value),
        )),
        None => Err(error_at(file, Some(referenced), format!("the Subworkflow job needs subworkflow: id: {wanted}"))),
    }
}
