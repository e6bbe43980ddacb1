//! A running pipeline's controls: cancel, progress, a row limit per step, and pauses that give
//! the browser's UI thread back between slices of work.
//!
//! DataFusion runs a step inside one `poll` for as long as its input never says "pending": an
//! aggregate over an in-memory table reads every batch in one go. So every table a step reads
//! (the source and earlier steps' results) is served by [`ControlledBatches`], a stream that,
//! between batches, checks for a cancel and, once a slice of work has run, awaits the host's
//! [`Pause`] (in the browser, a `setTimeout(0)`: the page paints and handles clicks). Natively
//! there is no pause and a check costs one atomic load.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::ScalarValue;
use datafusion::datasource::TableType;
use datafusion::error::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{BinaryExpr, Expr, Operator, TableProviderFilterPushDown};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::ExecutionPlan;
use web_time::Instant;

use crate::EngineError;

/// The most rows one step may return: its result is kept in the tab, shown and compared.
pub const MAX_STEP_ROWS: usize = 5_000_000;

/// How long the engine works before it pauses (when the host gave a [`Pause`]), in milliseconds.
pub const SLICE_MS: f64 = 40.0;

/// What the host awaits to let other work run: in the browser, a macrotask (`setTimeout(0)`).
pub type Pause = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The text of a cancelled run's error, so callers can tell it from a failure.
pub const CANCELLED: &str = "the run was cancelled";

/// Shared between a run and its host: the host cancels and reads progress, the run checks.
pub struct RunControl {
    cancelled: AtomicBool,
    step: AtomicUsize,
    steps: AtomicUsize,
    rows_read: AtomicU64,
    max_step_rows: usize,
    batch_size: Option<usize>,
    pause: Option<Pause>,
    slice_ms: f64,
    last_pause: Mutex<Option<Instant>>,
}

impl fmt::Debug for RunControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunControl")
            .field("cancelled", &self.is_cancelled())
            .field("progress", &self.progress())
            .field("max_step_rows", &self.max_step_rows)
            .field("pauses", &self.pause.is_some())
            .finish()
    }
}

impl Default for RunControl {
    fn default() -> Self {
        RunControl {
            cancelled: AtomicBool::new(false),
            step: AtomicUsize::new(0),
            steps: AtomicUsize::new(0),
            rows_read: AtomicU64::new(0),
            max_step_rows: MAX_STEP_ROWS,
            batch_size: None,
            pause: None,
            slice_ms: SLICE_MS,
            last_pause: Mutex::new(None),
        }
    }
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// The step running now, from 1 (0 before the first).
    pub step: usize,
    /// How many steps.
    pub steps: usize,
    /// Rows read so far from the source and earlier steps' results.
    pub rows_read: u64,
}

impl RunControl {
    /// A control whose run pauses with `pause` after every `slice_ms` of work.
    pub fn pausing(pause: Pause, slice_ms: f64) -> Self {
        RunControl { pause: Some(pause), slice_ms, ..RunControl::default() }
    }

    /// The same control with another row limit per step.
    pub fn with_max_step_rows(mut self, rows: usize) -> Self {
        self.max_step_rows = rows;
        self
    }

    /// The same control with another batch size (rows per batch; DataFusion's default is 8192).
    pub fn with_batch_size(mut self, rows: usize) -> Self {
        self.batch_size = Some(rows.max(1));
        self
    }

    /// The batch size, if not DataFusion's default.
    pub fn batch_size(&self) -> Option<usize> {
        self.batch_size
    }

    /// Asks the run to stop at its next check (between batches).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`RunControl::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Where the run is.
    pub fn progress(&self) -> Progress {
        Progress {
            step: self.step.load(Ordering::Relaxed),
            steps: self.steps.load(Ordering::Relaxed),
            rows_read: self.rows_read.load(Ordering::Relaxed),
        }
    }

    /// Shows `progress` measured elsewhere (a run in the engine's worker reports it to the page).
    pub fn report(&self, progress: Progress) {
        self.steps.store(progress.steps, Ordering::Relaxed);
        self.step.store(progress.step, Ordering::Relaxed);
        self.rows_read.store(progress.rows_read, Ordering::Relaxed);
    }

    /// The row limit per step.
    pub fn max_step_rows(&self) -> usize {
        self.max_step_rows
    }

    pub(crate) fn start(&self, steps: usize) {
        self.steps.store(steps, Ordering::Relaxed);
        self.step.store(0, Ordering::Relaxed);
        self.rows_read.store(0, Ordering::Relaxed);
    }

    pub(crate) fn add_rows_read(&self, rows: usize) {
        self.rows_read.fetch_add(u64::try_from(rows).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub(crate) fn enter_step(&self, index: usize) {
        self.step.store(index.saturating_add(1), Ordering::Relaxed);
    }

    /// Fails when cancelled.
    pub(crate) fn check(&self) -> Result<(), EngineError> {
        if self.is_cancelled() {
            Err(EngineError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Pauses if a slice of work has run since the last pause (and the host gave a pause).
    pub(crate) async fn maybe_pause(&self) {
        let Some(pause) = &self.pause else { return };
        let due = {
            let mut last = self.last_pause.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            match *last {
                Some(at) if now.duration_since(at).as_secs_f64() * 1000.0 < self.slice_ms => false,
                Some(_) => {
                    *last = Some(now);
                    true
                }
                None => {
                    *last = Some(now);
                    false
                }
            }
        };
        if due {
            pause().await;
            if let Ok(mut last) = self.last_pause.lock() {
                *last = Some(Instant::now());
            }
        }
    }
}

/// In-memory batches served as a table whose scans check `control` between batches.
#[derive(Debug)]
pub(crate) struct ControlledBatches {
    schema: SchemaRef,
    batches: Arc<Vec<RecordBatch>>,
    control: Arc<RunControl>,
}

impl ControlledBatches {
    /// A one-partition table of `batches` (which must have `schema`).
    pub(crate) fn table(
        schema: SchemaRef,
        batches: Vec<RecordBatch>,
        control: &Arc<RunControl>,
    ) -> Result<StreamingTable, DataFusionError> {
        let partition =
            ControlledBatches { schema: schema.clone(), batches: Arc::new(batches), control: control.clone() };
        StreamingTable::try_new(schema, vec![Arc::new(partition)])
    }
}

impl PartitionStream for ControlledBatches {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        // Big batches (a synthetic day is one) are served in slices of the session's batch size
        // (zero-copy), so pauses and cancels come at least that often.
        let chunk = ctx.session_config().batch_size().max(1);
        let state = Cursor { batches: self.batches.clone(), control: self.control.clone(), batch: 0, offset: 0 };
        let stream = futures::stream::unfold(state, move |mut at| async move {
            let batch = loop {
                let batch = at.batches.get(at.batch)?;
                if at.offset < batch.num_rows() {
                    break batch;
                }
                at.batch = at.batch.saturating_add(1);
                at.offset = 0;
            };
            if at.control.is_cancelled() {
                at.batch = usize::MAX;
                return Some((Err(DataFusionError::External(CANCELLED.into())), at));
            }
            at.control.maybe_pause().await;
            let length = chunk.min(batch.num_rows().saturating_sub(at.offset));
            let slice = batch.slice(at.offset, length);
            at.offset = at.offset.saturating_add(length);
            at.control.add_rows_read(length);
            Some((Ok(slice), at))
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

/// Where a scan is: which batch, and how far into it.
struct Cursor {
    batches: Arc<Vec<RecordBatch>>,
    control: Arc<RunControl>,
    batch: usize,
    offset: usize,
}

/// The source table: its batches as [`ControlledBatches`], and a filter on `playback_date`
/// (`=`, `<`, `<=`, `>`, `>=` a date) skips the batches whose dates cannot match before the scan
/// (an inexact pushdown: DataFusion still filters the rows kept). A step reads one run date of
/// a 7-day synthetic source, so it scans a seventh of it.
#[derive(Debug)]
pub(crate) struct SourceTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    batch_dates: Vec<Option<(i32, i32)>>,
    control: Arc<RunControl>,
}

impl SourceTable {
    /// The table over `source`'s rows, scanned under `control`.
    pub(crate) fn new(source: &crate::SourceData, control: &Arc<RunControl>) -> Self {
        SourceTable {
            schema: source.schema.clone(),
            batches: source.batches.clone(),
            batch_dates: source.batch_dates.clone(),
            control: control.clone(),
        }
    }
}

/// `playback_date OP day` (or `day OP playback_date`, turned round), for a date literal.
fn date_bound(filter: &Expr) -> Option<(Operator, i32)> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = filter else { return None };
    let (column, value, op) = match (left.as_ref(), right.as_ref()) {
        (Expr::Column(column), Expr::Literal(value, _)) => (column, value, *op),
        (Expr::Literal(value, _), Expr::Column(column)) => (column, value, op.swap()?),
        _ => return None,
    };
    let ScalarValue::Date32(Some(day)) = value else { return None };
    let compares = matches!(op, Operator::Eq | Operator::Lt | Operator::LtEq | Operator::Gt | Operator::GtEq);
    (column.name == "playback_date" && compares).then_some((op, *day))
}

/// Whether a batch whose dates run from `first` to `last` can hold a row with `date OP day`.
fn may_match((op, day): (Operator, i32), (first, last): (i32, i32)) -> bool {
    match op {
        Operator::Eq => first <= day && day <= last,
        Operator::Lt => first < day,
        Operator::LtEq => first <= day,
        Operator::Gt => last > day,
        Operator::GtEq => last >= day,
        _ => true,
    }
}

#[async_trait::async_trait]
impl TableProvider for SourceTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>, DataFusionError> {
        Ok(filters
            .iter()
            .map(|f| match date_bound(f) {
                Some(_) => TableProviderFilterPushDown::Inexact,
                None => TableProviderFilterPushDown::Unsupported,
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>, DataFusionError> {
        let bounds: Vec<(Operator, i32)> = filters.iter().filter_map(date_bound).collect();
        let kept: Vec<RecordBatch> = self
            .batches
            .iter()
            .enumerate()
            .filter(|(i, _)| match self.batch_dates.get(*i).copied().flatten() {
                Some(dates) => bounds.iter().all(|bound| may_match(*bound, dates)),
                None => true,
            })
            .map(|(_, batch)| batch.clone())
            .collect();
        ControlledBatches::table(self.schema.clone(), kept, &self.control)?.scan(state, projection, &[], limit).await
    }
}
