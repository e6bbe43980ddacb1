//! One run of `main.sch.yaml` for one date, Write-Audit-Publish style: `ddl`, `metadata`,
//! `write` (the transform, staged), `audit`, `publish` (that date's partition only, and only if
//! every blocking audit passed) and `hwm` (the high-water mark, forward only).
//!
//! [`WapRun`] runs one job per [`WapRun::next_job`] call, so a caller can redraw the DAG between
//! jobs; [`run_main`] runs them all. The invariant: published data changes only in a run whose
//! blocking audits all passed, and then only in the run date's partition.

mod jobs;

use serde::{Deserialize, Serialize};

use crate::audit::{AuditResult, PlannedAudit};
use crate::catalog::{Catalog, RunKind, RunStatus, StagedPartition};
use crate::ddl::TableDef;
use crate::workflow::{prepare_main, problems_error};
use crate::{EngineError, PipelineSpec, RunDate, SourceData};

/// The jobs of main, in run order; each depends on the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobId {
    /// Create the table if it does not exist.
    Ddl,
    /// Set owner, tags, lifetime and primary key.
    Metadata,
    /// Run the transform and stage its output for the run date.
    Write,
    /// Run the audits on the staged partition.
    Audit,
    /// Overwrite the run date's partition with the staged one.
    Publish,
    /// Move the high-water mark forward.
    Hwm,
}

impl JobId {
    /// Every job, in run order.
    pub const ALL: [JobId; 6] = [JobId::Ddl, JobId::Metadata, JobId::Write, JobId::Audit, JobId::Publish, JobId::Hwm];

    /// The job's id in the workflow (`ddl`, `metadata`, `write`, `audit`, `publish`, `hwm`).
    pub fn name(self) -> &'static str {
        match self {
            JobId::Ddl => "ddl",
            JobId::Metadata => "metadata",
            JobId::Write => "write",
            JobId::Audit => "audit",
            JobId::Publish => "publish",
            JobId::Hwm => "hwm",
        }
    }

    /// The job it waits for, if any.
    pub fn depends_on(self) -> Option<JobId> {
        let at = JobId::ALL.iter().position(|j| *j == self)?;
        at.checked_sub(1).and_then(|i| JobId::ALL.get(i)).copied()
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Not run yet.
    Pending,
    /// Done, all well.
    Passed,
    /// Done, with warnings (non-blocking audits that failed).
    Warning,
    /// Could not do its work (or, for `audit`, a blocking audit failed).
    Failed,
    /// Not run because an earlier job failed or an audit blocked.
    Skipped,
}

/// One job of a run: its status and what it logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRecord {
    /// Which job.
    pub id: JobId,
    /// Where it is.
    pub status: JobStatus,
    /// What it did, line by line.
    pub log: Vec<String>,
}

/// A finished (or stopped) run of main for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MainRun {
    /// The run's id in the catalog's history (0 if it never started).
    pub run_id: u64,
    /// What started it.
    pub kind: RunKind,
    /// The date it ran for.
    pub date: RunDate,
    /// The table it wrote.
    pub table: String,
    /// How it ended.
    pub status: RunStatus,
    /// Every job, in order.
    pub jobs: Vec<JobRecord>,
    /// Every audit's result, in order (empty if the audits did not run).
    pub audits: Vec<AuditResult>,
    /// Rows the write staged.
    pub rows_written: usize,
    /// The table's high-water mark after the run.
    pub hwm: Option<RunDate>,
    /// Why it ended so, in words.
    pub message: String,
}

/// A run of main for one date, one job at a time.
#[derive(Debug)]
pub struct WapRun {
    spec: PipelineSpec,
    source: SourceData,
    kind: RunKind,
    def: TableDef,
    planned: Vec<PlannedAudit>,
    jobs: Vec<JobRecord>,
    next: usize,
    run_id: u64,
    staged: Option<StagedPartition>,
    audits: Vec<AuditResult>,
    rows_written: usize,
    /// Why the jobs after a failure are skipped.
    stop: Option<(RunStatus, String)>,
    hwm: Option<RunDate>,
    /// The write job's run control (cancel, pauses); a plain one unless the host gives its own.
    control: std::sync::Arc<crate::RunControl>,
}

/// The write job's pipeline run when the host made it elsewhere, and where ([`WapRun::write_from`]).
type RanElsewhere<'a> = (Result<crate::PipelineRun, EngineError>, &'a str);

impl WapRun {
    /// A run of `spec` on `source` for `date`. Checks the DDL, the metadata and every audit's
    /// params first: a problem is an error and nothing runs.
    pub fn new(spec: &PipelineSpec, source: &SourceData, date: RunDate, kind: RunKind) -> Result<WapRun, EngineError> {
        let mut spec = spec.clone();
        spec.params.date = date;
        let (def, planned) = prepare_main(&spec, &source.schema).map_err(|p| problems_error(&p))?;
        let jobs = JobId::ALL.iter().map(|&id| JobRecord { id, status: JobStatus::Pending, log: Vec::new() }).collect();
        Ok(WapRun {
            spec,
            source: source.clone(),
            kind,
            def,
            planned,
            jobs,
            next: 0,
            run_id: 0,
            staged: None,
            audits: Vec::new(),
            rows_written: 0,
            stop: None,
            hwm: None,
            control: std::sync::Arc::new(crate::RunControl::default()),
        })
    }

    /// The spec the write job runs: the user's, with the run date as `${date}`.
    pub fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    /// True once a job failed or was cancelled: the jobs left will be skipped.
    pub fn is_stopped(&self) -> bool {
        self.stop.is_some()
    }

    /// The same run, whose write job runs the pipeline under `control`: a cancel during the
    /// write fails that job, so nothing is staged or published.
    pub fn with_control(mut self, control: std::sync::Arc<crate::RunControl>) -> WapRun {
        self.control = control;
        self
    }

    /// The date it runs for.
    pub fn date(&self) -> RunDate {
        self.spec.params.date
    }

    /// The table it writes.
    pub fn table(&self) -> &str {
        &self.def.name
    }

    /// Every job so far (pending ones too), in order.
    pub fn jobs(&self) -> &[JobRecord] {
        &self.jobs
    }

    /// The audits' results, once the audit job ran.
    pub fn audits(&self) -> &[AuditResult] {
        &self.audits
    }

    /// What the publish job would change: this run's staged partition against the published one
    /// for the run date (none published yet: every staged row is added), paired by the
    /// workflow's primary key, as [`crate::diff`] compares two runs. `None` until the write job
    /// staged this run's rows; `max_rows` changed rows are listed. The staged rows are compared as
    /// the publish writes them (cast to the table's types); rows it could not write are the error.
    pub async fn publish_changes(
        &self,
        catalog: &Catalog,
        max_rows: usize,
        control: &std::sync::Arc<crate::RunControl>,
    ) -> Option<Result<crate::diff::TableDiff, EngineError>> {
        let table = catalog.table(&self.def.name)?;
        let staged = table.staged().filter(|s| s.run_id == self.run_id && s.date == self.date())?;
        let published = table.partition(self.date()).unwrap_or_default();
        // The rows as the publish writes them: cast to the table's types.
        let conformed = match jobs::conform(staged, table) {
            Ok(batches) => batches,
            Err(e) => return Some(Err(e)),
        };
        let key = crate::diff::default_key(&self.spec, table.schema(), table.schema());
        let options = crate::diff::DiffOptions { key, max_rows };
        let base = crate::diff::Side { schema: table.schema(), batches: published };
        let new = crate::diff::Side { schema: table.schema(), batches: &conformed };
        Some(crate::diff::diff_tables(base, new, &options, control).await)
    }

    /// The job the next [`WapRun::next_job`] runs, if any.
    pub fn next_job_id(&self) -> Option<JobId> {
        self.jobs.get(self.next).map(|j| j.id)
    }

    /// Whether every job ran (or was skipped).
    pub fn is_finished(&self) -> bool {
        self.next >= self.jobs.len()
    }

    /// Runs (or skips) the next job and returns its record; `None` once all are done. After the
    /// last job the run is in the catalog's history.
    pub async fn next_job(&mut self, catalog: &mut Catalog) -> Option<&JobRecord> {
        self.step(catalog, None).await
    }

    /// Runs the write job, which must be the next job, on the pipeline's outcome `run` made
    /// elsewhere from [`WapRun::spec`] on the same source (the app runs big pipelines in its
    /// engine worker): the job stages that output, or fails with that error, instead of running
    /// the pipeline itself, and its log starts with "the pipeline ran in {ran_in}". Once the run
    /// is stopped the job is skipped, as [`WapRun::next_job`] skips it.
    pub async fn write_from(
        &mut self,
        catalog: &mut Catalog,
        run: Result<crate::PipelineRun, EngineError>,
        ran_in: &str,
    ) -> Result<&JobRecord, EngineError> {
        match self.next_job_id() {
            Some(JobId::Write) => {}
            other => {
                let next = other.map_or("none", JobId::name);
                return Err(EngineError::Wap(format!("the next job is {next}, not write")));
            }
        }
        self.step(catalog, Some((run, ran_in))).await.ok_or_else(|| EngineError::Wap("no write job".into()))
    }

    async fn step(&mut self, catalog: &mut Catalog, elsewhere: Option<RanElsewhere<'_>>) -> Option<&JobRecord> {
        let id = self.next_job_id()?;
        if self.next == 0 {
            self.run_id = catalog.start_run();
        }
        let (status, log) = match &self.stop {
            Some((_, why)) => (JobStatus::Skipped, vec![format!("skipped: {why}")]),
            None => self.run_job(id, catalog, elsewhere).await,
        };
        let index = self.next;
        if let Some(job) = self.jobs.get_mut(index) {
            job.status = status;
            job.log = log;
        }
        self.next += 1;
        if self.is_finished() {
            catalog.record(self.record());
        }
        self.jobs.get(index)
    }

    /// The run as it stands: finished, or stopped with its remaining jobs pending.
    pub fn into_main_run(self) -> MainRun {
        let record = self.record();
        MainRun {
            run_id: self.run_id,
            kind: self.kind,
            date: self.date(),
            table: self.def.name,
            status: record.status,
            jobs: self.jobs,
            audits: self.audits,
            rows_written: self.rows_written,
            hwm: self.hwm,
            message: record.message,
        }
    }
}

/// Runs main for one date, every job in order, and records it in the catalog.
pub async fn run_main(
    spec: &PipelineSpec,
    source: &SourceData,
    catalog: &mut Catalog,
    date: RunDate,
) -> Result<MainRun, EngineError> {
    let mut run = WapRun::new(spec, source, date, RunKind::Main)?;
    while run.next_job(catalog).await.is_some() {}
    Ok(run.into_main_run())
}
