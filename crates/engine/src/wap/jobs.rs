//! What each job of main does, and the run's record for the catalog's history.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Date32Array, RecordBatch};
use datafusion::arrow::compute::{cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use super::{JobId, JobStatus, RanElsewhere, WapRun};
use crate::audit::{run_audits, AuditEnv, PREVIOUS, STAGED};
use crate::catalog::{register_table, AuditSummary, Catalog, CatalogTable, RunRecord, RunStatus, StagedPartition};
use crate::run::new_context;
use crate::table::group_digits;
use crate::{run_pipeline_with, EngineError, SOURCE_TABLE};

type JobOutcome = (JobStatus, Vec<String>);

impl WapRun {
    pub(super) async fn run_job(
        &mut self,
        id: JobId,
        catalog: &mut Catalog,
        elsewhere: Option<RanElsewhere<'_>>,
    ) -> JobOutcome {
        let result = match id {
            JobId::Ddl => self.ddl(catalog),
            JobId::Metadata => self.metadata(catalog),
            JobId::Write => self.write(catalog, elsewhere).await,
            JobId::Audit => self.audit(catalog).await,
            JobId::Publish => self.publish(catalog),
            JobId::Hwm => self.move_hwm(catalog),
        };
        result.unwrap_or_else(|e| {
            self.stop = Some((RunStatus::Failed, format!("the {} job failed", id.name())));
            (JobStatus::Failed, vec![e.to_string()])
        })
    }

    fn ddl(&mut self, catalog: &mut Catalog) -> Result<JobOutcome, EngineError> {
        let created = catalog.create_table_if_not_exists(&self.def)?;
        let table = catalog.table_mut(&self.def.name)?;
        let mut log = vec![format!(
            "CREATE TABLE IF NOT EXISTS {}: {}",
            self.def.name,
            if created { "created" } else { "exists, left as it is" }
        )];
        log.push(format!("{} column(s), partitioned by {}", table.def().columns.len(), table.partition_column()));
        if !created && *table.def() != self.def {
            log.push("the DDL differs from the existing table; IF NOT EXISTS keeps the existing one".into());
        }
        Ok((JobStatus::Passed, log))
    }

    fn metadata(&mut self, catalog: &mut Catalog) -> Result<JobOutcome, EngineError> {
        let metadata = self.spec.workflow.metadata.clone();
        let log = vec![
            format!("owner: {}", metadata.owner),
            format!("tags: {}", metadata.tags.join(", ")),
            format!("lifetime: {} day(s)", metadata.lifetime_days),
            format!("primary key: {}", metadata.primary_key.join(", ")),
        ];
        catalog.table_mut(&self.def.name)?.set_metadata(metadata);
        Ok((JobStatus::Passed, log))
    }

    async fn write(
        &mut self,
        catalog: &mut Catalog,
        elsewhere: Option<RanElsewhere<'_>>,
    ) -> Result<JobOutcome, EngineError> {
        let (run, mut log) = match elsewhere {
            Some((run, ran_in)) => (run?, vec![format!("the pipeline ran in {ran_in}")]),
            None => (run_pipeline_with(&self.spec, &self.source, &self.control).await?, Vec::new()),
        };
        log.extend(run.steps.iter().map(|s| format!("{}: {} row(s)", s.name, group_digits(s.row_count))));
        log.extend(run.notices.iter().map(|n| n.0.clone()));
        let output = run.output().ok_or_else(|| EngineError::InvalidSpec("the pipeline has no steps".into()))?;
        let table = catalog.table_mut(&self.def.name)?;
        let staged = stage(&output.schema, &output.batches, table.partition_column(), self.date(), self.run_id)?;
        self.rows_written = output.row_count;
        log.push(format!(
            "staged {} row(s) for {}={} (readers do not see them until they are published)",
            group_digits(output.row_count),
            table.partition_column(),
            self.date()
        ));
        table.stage(staged.clone());
        self.staged = Some(staged);
        Ok((JobStatus::Passed, log))
    }

    async fn audit(&mut self, catalog: &mut Catalog) -> Result<JobOutcome, EngineError> {
        let staged = self.staged.as_ref().ok_or_else(|| EngineError::Wap("nothing is staged".into()))?;
        let table = catalog.table(&self.def.name).ok_or_else(|| EngineError::Wap("the table is missing".into()))?;
        let ctx = new_context();
        register_table(&ctx, STAGED, staged.schema.clone(), staged.batches.clone())?;
        register_table(&ctx, SOURCE_TABLE, self.source.schema.clone(), self.source.batches.clone())?;
        let previous = table.previous_partition(self.date());
        let previous_rows =
            previous.and_then(|(d, _)| table.partition(d)).map(<[RecordBatch]>::to_vec).unwrap_or_default();
        register_table(&ctx, PREVIOUS, table.schema().clone(), previous_rows)?;
        register_table(&ctx, table.name(), table.schema().clone(), table.published())?;
        // The target also by its bare name, as `${TARGET_TABLE}` gives it.
        if let Some((_, bare)) = table.name().rsplit_once('.').filter(|(_, b)| ![STAGED, PREVIOUS].contains(b)) {
            register_table(&ctx, bare, table.schema().clone(), table.published())?;
        }
        let env = AuditEnv {
            ctx,
            date: self.date(),
            staged_schema: staged.schema.clone(),
            staged: &staged.batches,
            previous,
            table: &self.def,
        };
        self.audits = run_audits(&self.planned, &env).await;
        let mut log = Vec::new();
        for a in &self.audits {
            let verdict = match (a.passed, a.blocking) {
                (true, _) => "PASS",
                (false, true) => "FAIL",
                (false, false) => "WARN",
            };
            let kind = if a.blocking { "blocking" } else { "warning only" };
            log.push(format!("{verdict} {} ({kind}): {}", a.function, a.message));
        }
        let blocking: Vec<&str> = self.audits.iter().filter(|a| a.blocks()).map(|a| a.function.as_str()).collect();
        let warnings = self.audits.iter().filter(|a| !a.passed && !a.blocking).count();
        if !blocking.is_empty() {
            let why = format!("blocked by {} failing blocking audit(s): {}", blocking.len(), blocking.join(", "));
            log.push(why.clone());
            self.stop = Some((RunStatus::Blocked, why));
            return Ok((JobStatus::Failed, log));
        }
        log.push(format!("{} audit(s) passed, {warnings} warning(s)", self.audits.len() - warnings));
        Ok((if warnings > 0 { JobStatus::Warning } else { JobStatus::Passed }, log))
    }

    fn publish(&mut self, catalog: &mut Catalog) -> Result<JobOutcome, EngineError> {
        let staged = self.staged.as_ref().ok_or_else(|| EngineError::Wap("nothing is staged".into()))?;
        let table = catalog.table_mut(&self.def.name)?;
        let rows = conform(staged, table)?;
        let before = table.partition_rows(self.date());
        let count: usize = rows.iter().map(RecordBatch::num_rows).sum();
        let date = self.date();
        catalog.overwrite_partition(&self.def.name, date, rows)?;
        let was = before.map_or("a new partition".to_string(), |n| format!("it had {} row(s)", group_digits(n)));
        Ok((JobStatus::Passed, vec![format!("overwrote partition {date} only: {} row(s); {was}", group_digits(count))]))
    }

    fn move_hwm(&mut self, catalog: &mut Catalog) -> Result<JobOutcome, EngineError> {
        let date = self.date();
        let table = catalog.table_mut(&self.def.name)?;
        let (old, new) = table.advance_hwm(date);
        self.hwm = Some(new);
        let line = match old {
            None => format!("high-water mark set to {new}"),
            Some(o) if o < date => format!("high-water mark moved from {o} to {new}"),
            Some(o) => format!("high-water mark stays at {o}: the run date {date} is not newer"),
        };
        Ok((JobStatus::Passed, vec![line]))
    }

    /// The run's line in the catalog's history.
    pub(super) fn record(&self) -> RunRecord {
        let mut audits = AuditSummary::default();
        for a in &self.audits {
            match (a.passed, a.blocking) {
                (true, _) => audits.passed += 1,
                (false, true) => audits.blocking_failed += 1,
                (false, false) => audits.warnings += 1,
            }
        }
        let published = self.jobs.iter().any(|j| j.id == JobId::Publish && j.status == JobStatus::Passed);
        let (status, message) = match (&self.stop, published) {
            (_, true) => {
                let warned =
                    if audits.warnings > 0 { format!(" with {} warning(s)", audits.warnings) } else { String::new() };
                (RunStatus::Published, format!("published {} row(s) for {}{warned}", self.rows_written, self.date()))
            }
            (Some((status, why)), false) => (*status, why.clone()),
            (None, false) => {
                let at = self.next_job_id().map_or("the end", JobId::name);
                (RunStatus::Failed, format!("stopped before {at}"))
            }
        };
        RunRecord {
            run_id: self.run_id,
            kind: self.kind,
            date: self.date(),
            table: self.def.name.clone(),
            status,
            audits,
            rows_written: self.rows_written,
            message,
        }
    }
}

/// The write's output as a staged partition: its columns (a column named like the partition
/// column is replaced) and the partition column set to `date`.
fn stage(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    partition: &str,
    date: crate::RunDate,
    run_id: u64,
) -> Result<StagedPartition, EngineError> {
    let keep: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| schema.fields().get(i).is_some_and(|f| !f.name().eq_ignore_ascii_case(partition)))
        .collect();
    let mut fields: Vec<Field> =
        keep.iter().filter_map(|&i| schema.fields().get(i)).map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new(partition, DataType::Date32, false));
    let staged_schema = Arc::new(Schema::new(fields));
    let rows = batches
        .iter()
        .map(|batch| {
            let mut columns: Vec<ArrayRef> = keep.iter().filter_map(|&i| batch.columns().get(i).cloned()).collect();
            columns.push(Arc::new(Date32Array::from(vec![date.days(); batch.num_rows()])));
            RecordBatch::try_new(staged_schema.clone(), columns).map_err(|e| EngineError::Wap(format!("staging: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StagedPartition { run_id, date, schema: staged_schema, batches: rows })
}

/// The staged rows in the table's schema, as an insert by name would write them: every table
/// column from the staged column of that name, cast without loss; no column left over; no NULL
/// in a NOT NULL column.
pub(super) fn conform(staged: &StagedPartition, table: &CatalogTable) -> Result<Vec<RecordBatch>, EngineError> {
    let fail = |message: String| Err(EngineError::Wap(format!("cannot publish into {}: {message}", table.name())));
    let find = |name: &str| staged.schema.fields().iter().position(|f| f.name().eq_ignore_ascii_case(name));
    for field in staged.schema.fields() {
        if table.schema().fields().iter().all(|t| !t.name().eq_ignore_ascii_case(field.name())) {
            return fail(format!("column {} is not in the table", field.name()));
        }
    }
    let strict = CastOptions { safe: false, ..Default::default() };
    let mut out = Vec::with_capacity(staged.batches.len());
    for batch in &staged.batches {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(table.schema().fields().len());
        for field in table.schema().fields() {
            let Some(column) = find(field.name()).and_then(|i| batch.columns().get(i)) else {
                return fail(format!("column {} is missing", field.name()));
            };
            let cast = match cast_with_options(column.as_ref(), field.data_type(), &strict) {
                Ok(cast) => cast,
                Err(e) => return fail(format!("column {}: {e}", field.name())),
            };
            if !field.is_nullable() && cast.null_count() > 0 {
                return fail(format!("column {} is NOT NULL but has {} NULL(s)", field.name(), cast.null_count()));
            }
            columns.push(cast);
        }
        match RecordBatch::try_new(table.schema().clone(), columns) {
            Ok(rows) => out.push(rows),
            Err(e) => return fail(e.to_string()),
        }
    }
    Ok(out)
}
