//! Daily and backfill: main for several dates, oldest first, one date per step so a caller can
//! show progress and cancel between dates. A date that is blocked or fails does not stop the
//! others unless `stop_on_failure`; the high-water mark only moves forward either way.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, RunKind, RunStatus};
use crate::wap::{MainRun, WapRun};
use crate::workflow::{prepare_main, problems_error, MAX_BACKFILL_DAYS, MAX_LOOKBACK_DAYS};
use crate::{EngineError, PipelineSpec, RunDate, SourceData};

/// The run date and the `lookback_days` days before it, oldest first.
pub fn daily_dates(run_date: RunDate, lookback_days: u32) -> Vec<RunDate> {
    let back = i32::try_from(lookback_days).unwrap_or(i32::MAX);
    (0..=back).rev().map(|n| run_date.add_days(-n)).collect()
}

/// Every date from `start` to `end`, inclusive, oldest first. An inverted range or one longer
/// than `max_days` is an error, before anything runs.
pub fn backfill_dates(start: RunDate, end: RunDate, max_days: u32) -> Result<Vec<RunDate>, EngineError> {
    if start > end {
        return Err(EngineError::Schedule(format!("backfill: the start date {start} is after the end date {end}")));
    }
    let days = i64::from(end.days()) - i64::from(start.days()) + 1;
    if days > i64::from(max_days) {
        return Err(EngineError::Schedule(format!(
            "backfill: {start} to {end} is {days} days; a backfill runs at most {max_days} days"
        )));
    }
    Ok((start.days()..=end.days()).map(RunDate::from_days).collect())
}

/// Where one date of a schedule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateState {
    /// Not run yet.
    Pending,
    /// Published.
    Published,
    /// A blocking audit failed.
    Blocked,
    /// A job failed.
    Failed,
    /// Not run: the schedule was cancelled or stopped at a failure.
    NotRun,
}

/// A schedule's outcome so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    /// Daily or backfill.
    pub kind: RunKind,
    /// Every date and where it is, oldest first.
    pub dates: Vec<(RunDate, DateState)>,
    /// How many dates were published.
    pub published: usize,
    /// How many were blocked by an audit.
    pub blocked: usize,
    /// How many failed.
    pub failed: usize,
    /// How many were not run (cancelled or stopped).
    pub not_run: usize,
    /// Why the schedule stopped early, if it did.
    pub stopped: Option<String>,
}

/// Main for each date of a daily or backfill run, one date per step.
#[derive(Debug)]
pub struct ScheduleRun {
    kind: RunKind,
    spec: PipelineSpec,
    source: SourceData,
    dates: Vec<RunDate>,
    stop_on_failure: bool,
    runs: Vec<MainRun>,
    stopped: Option<String>,
}

impl ScheduleRun {
    /// The daily workflow for `run_date`: it and the spec's `lookback_days` before it.
    pub fn daily(spec: &PipelineSpec, source: &SourceData, run_date: RunDate) -> Result<Self, EngineError> {
        let lookback = spec.workflow.daily.lookback_days;
        if lookback > MAX_LOOKBACK_DAYS {
            return Err(EngineError::Schedule(format!(
                "daily: lookback_days is {lookback}; a daily run looks back at most {MAX_LOOKBACK_DAYS} days"
            )));
        }
        Self::new(RunKind::Daily, spec, source, daily_dates(run_date, lookback), false)
    }

    /// The backfill workflow from `start` to `end` (at most [`MAX_BACKFILL_DAYS`] days), stopping
    /// at a failure if the spec's backfill says so.
    pub fn backfill(
        spec: &PipelineSpec,
        source: &SourceData,
        start: RunDate,
        end: RunDate,
    ) -> Result<Self, EngineError> {
        let dates = backfill_dates(start, end, MAX_BACKFILL_DAYS)?;
        Self::new(RunKind::Backfill, spec, source, dates, spec.workflow.backfill.stop_on_failure)
    }

    fn new(
        kind: RunKind,
        spec: &PipelineSpec,
        source: &SourceData,
        dates: Vec<RunDate>,
        stop_on_failure: bool,
    ) -> Result<Self, EngineError> {
        prepare_main(spec, &source.schema).map_err(|p| problems_error(&p))?;
        Ok(ScheduleRun {
            kind,
            spec: spec.clone(),
            source: source.clone(),
            dates,
            stop_on_failure,
            runs: Vec::new(),
            stopped: None,
        })
    }

    /// Stop at the first date that is not published (or go on).
    pub fn with_stop_on_failure(mut self, stop: bool) -> Self {
        self.stop_on_failure = stop;
        self
    }

    /// Daily or backfill.
    pub fn kind(&self) -> RunKind {
        self.kind
    }

    /// Every date it runs, oldest first.
    pub fn dates(&self) -> &[RunDate] {
        &self.dates
    }

    /// The runs so far, one per date, in order.
    pub fn runs(&self) -> &[MainRun] {
        &self.runs
    }

    /// The date the next step runs, if any.
    pub fn next_date(&self) -> Option<RunDate> {
        if self.stopped.is_some() {
            return None;
        }
        self.dates.get(self.runs.len()).copied()
    }

    /// Whether no date is left to run.
    pub fn is_finished(&self) -> bool {
        self.next_date().is_none()
    }

    /// Dates run so far and dates in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.runs.len(), self.dates.len())
    }

    /// The next date's run, for a caller that steps through its jobs (then hands the finished
    /// run to [`ScheduleRun::finish_date`]); `None` when no date is left.
    pub fn start_next(&self) -> Option<Result<WapRun, EngineError>> {
        let date = self.next_date()?;
        Some(WapRun::new(&self.spec, &self.source, date, self.kind))
    }

    /// Takes a finished run of the next date; stops the schedule if it was not published and
    /// `stop_on_failure` is set.
    pub fn finish_date(&mut self, run: MainRun) {
        if self.stop_on_failure && run.status != RunStatus::Published {
            let how = if run.status == RunStatus::Blocked { "was blocked by an audit" } else { "failed" };
            self.stopped = Some(format!("stopped after {} {how}", run.date));
        }
        self.runs.push(run);
    }

    /// Runs the next date, all its jobs; `None` when no date is left.
    pub async fn run_next(&mut self, catalog: &mut Catalog) -> Option<Result<&MainRun, EngineError>> {
        let mut run = match self.start_next()? {
            Ok(run) => run,
            Err(e) => {
                self.stopped = Some(format!("stopped: {e}"));
                return Some(Err(e));
            }
        };
        while run.next_job(catalog).await.is_some() {}
        self.finish_date(run.into_main_run());
        self.runs.last().map(Ok)
    }

    /// Runs every date left and gives the summary.
    pub async fn run_all(&mut self, catalog: &mut Catalog) -> ScheduleSummary {
        while let Some(result) = self.run_next(catalog).await {
            if result.is_err() {
                break;
            }
        }
        self.summary()
    }

    /// Stops before the next date: the dates left are not run.
    pub fn cancel(&mut self) {
        if self.next_date().is_some() {
            self.stopped = Some(format!("cancelled after {} of {} date(s)", self.runs.len(), self.dates.len()));
        }
    }

    /// Where every date is.
    pub fn summary(&self) -> ScheduleSummary {
        let dates: Vec<(RunDate, DateState)> = self
            .dates
            .iter()
            .enumerate()
            .map(|(i, &date)| {
                let state = match self.runs.get(i).map(|r| r.status) {
                    Some(RunStatus::Published) => DateState::Published,
                    Some(RunStatus::Blocked) => DateState::Blocked,
                    Some(RunStatus::Failed) => DateState::Failed,
                    None if self.stopped.is_some() => DateState::NotRun,
                    None => DateState::Pending,
                };
                (date, state)
            })
            .collect();
        let count = |s: DateState| dates.iter().filter(|(_, d)| *d == s).count();
        ScheduleSummary {
            kind: self.kind,
            published: count(DateState::Published),
            blocked: count(DateState::Blocked),
            failed: count(DateState::Failed),
            not_run: count(DateState::NotRun),
            dates,
            stopped: self.stopped.clone(),
        }
    }
}
