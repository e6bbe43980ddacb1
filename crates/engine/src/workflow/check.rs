//! Checking a workflow before anything runs: the DDL reads and is partitioned by one `DATE`, the
//! primary key names columns of the table, the daily lookback and the backfill range are within
//! their limits, and every audit's params are right ([`crate::audit::check_audits`]).

use datafusion::arrow::datatypes::Schema;

use super::{MAX_BACKFILL_DAYS, MAX_LOOKBACK_DAYS};
use crate::audit::{plan_audits, AuditTables, PlannedAudit, WorkflowProblem};
use crate::catalog::{date_partition, table_schema};
use crate::ddl::{parse_ddl, TableDef};
use crate::{EngineError, PipelineSpec};

fn problem(subject: &str, param: Option<&str>, message: impl Into<String>) -> WorkflowProblem {
    WorkflowProblem { subject: subject.into(), audit: None, param: param.map(str::to_string), message: message.into() }
}

/// Everything main needs, checked: the table, its partition column and the audits, typed.
pub(crate) fn prepare_main(
    spec: &PipelineSpec,
    source: &Schema,
) -> Result<(TableDef, Vec<PlannedAudit>), Vec<WorkflowProblem>> {
    let def = parse_ddl(&spec.ddl, &spec.params).map_err(|e| {
        let message = match e {
            EngineError::Ddl(message) => message,
            other => other.to_string(),
        };
        vec![problem("ddl", None, message)]
    })?;
    let mut problems = Vec::new();
    if let Err(EngineError::Ddl(message)) = date_partition(&def) {
        problems.push(problem("ddl", None, message));
    }
    let schema = table_schema(&def);
    let metadata = &spec.workflow.metadata;
    for column in &metadata.primary_key {
        if schema.field_with_name(column).is_err() {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            problems.push(problem(
                "metadata",
                Some("primary_key"),
                format!("unknown column {column} ({} has {})", def.name, names.join(", ")),
            ));
        }
    }
    if metadata.lifetime_days == 0 {
        problems.push(problem("metadata", Some("lifetime"), "must be at least 1 day"));
    }
    match plan_audits(spec, &AuditTables { staged: &schema, source, target: &def.name }) {
        Ok(planned) if problems.is_empty() => Ok((def, planned)),
        Ok(_) => Err(problems),
        Err(mut found) => {
            problems.append(&mut found);
            Err(problems)
        }
    }
}

/// Every problem with the spec's workflow, given the source table's schema: the DDL, the
/// metadata, the audits, the daily lookback and the backfill range. Empty when all can run.
pub fn check_workflow(spec: &PipelineSpec, source: &Schema) -> Vec<WorkflowProblem> {
    let mut problems = prepare_main(spec, source).err().unwrap_or_default();
    let daily = &spec.workflow.daily;
    if daily.lookback_days > MAX_LOOKBACK_DAYS {
        problems.push(problem(
            "daily",
            Some("lookback_days"),
            format!("{} is more than the most, {MAX_LOOKBACK_DAYS}", daily.lookback_days),
        ));
    }
    let backfill = &spec.workflow.backfill;
    if let Err(e) = crate::schedule::backfill_dates(backfill.start, backfill.end, MAX_BACKFILL_DAYS) {
        problems.push(problem("backfill", None, e.to_string()));
    }
    problems
}

/// Problems as one error, for a run that cannot start.
pub(crate) fn problems_error(problems: &[WorkflowProblem]) -> EngineError {
    let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    EngineError::Workflow { file: None, line: None, column: None, message }
}
