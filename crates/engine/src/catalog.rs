//! An in-memory table catalog, as the Write-Audit-Publish runs see it: tables by name, each with
//! its published date partitions, its metadata and high-water mark, the last staged (audit)
//! partition, and the history of runs.
//!
//! Readers only ever see published partitions ([`CatalogTable::published`],
//! [`Catalog::register_published`]); a staged partition becomes visible only by being published,
//! which [`crate::wap`] does only when every blocking audit passed. The catalog lives in memory
//! for a session: it is derived from runs, never part of the spec.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::catalog::MemorySchemaProvider;
use datafusion::common::TableReference;
use datafusion::datasource::MemTable;
use datafusion::execution::context::SessionContext;
use serde::{Deserialize, Serialize};

use crate::ddl::TableDef;
use crate::table::Table;
use crate::workflow::TableMetadata;
use crate::{EngineError, RunDate};

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// `main.sch.yaml` by hand, for one date.
    Main,
    /// One date of `daily.sch.yaml`.
    Daily,
    /// One date of `backfill.sch.yaml`.
    Backfill,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every blocking audit passed and the partition was published.
    Published,
    /// A blocking audit failed: nothing was published.
    Blocked,
    /// A job could not run (the transform, the publish…): nothing was published.
    Failed,
}

/// How a run's audits went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// Audits that passed.
    pub passed: usize,
    /// Blocking audits that failed.
    pub blocking_failed: usize,
    /// Non-blocking audits that failed (warnings).
    pub warnings: usize,
}

/// One run in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The run's id, from 1, in run order.
    pub run_id: u64,
    /// What started it.
    pub kind: RunKind,
    /// The date it ran for.
    pub date: RunDate,
    /// The table it wrote.
    pub table: String,
    /// How it ended.
    pub status: RunStatus,
    /// How its audits went.
    pub audits: AuditSummary,
    /// Rows the write staged (published only when `status` is `Published`).
    pub rows_written: usize,
    /// Why it ended so, in words.
    pub message: String,
}

/// A staged partition: a write's output, waiting for (or failed by) its audits.
#[derive(Debug, Clone)]
pub struct StagedPartition {
    /// The run that wrote it.
    pub run_id: u64,
    /// Its date.
    pub date: RunDate,
    /// Its schema: the transform's columns and the partition column.
    pub schema: SchemaRef,
    /// Its rows.
    pub batches: Vec<RecordBatch>,
}

/// One table of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogTable {
    /// `db.table`.
    name: String,
    /// The DDL it was created from (`CREATE TABLE IF NOT EXISTS`: later DDLs do not change it).
    def: TableDef,
    /// Its schema: the data columns and then the partition column, with the DDL's types.
    schema: SchemaRef,
    /// The `DATE` partition column.
    partition_column: String,
    /// What the metadata job set (empty until it runs).
    metadata: TableMetadata,
    /// The high-water mark: the newest date published by a successful run. Never moves back.
    hwm: Option<RunDate>,
    /// The last staged partition, kept to show what an audit saw; never read as published data.
    staged: Option<StagedPartition>,
    partitions: BTreeMap<RunDate, Vec<RecordBatch>>,
}

/// The schema a table def gives: its columns, then its partition columns.
pub fn table_schema(def: &TableDef) -> SchemaRef {
    let fields: Vec<Field> = def
        .columns
        .iter()
        .chain(&def.partition_columns)
        .map(|c| Field::new(&c.name, c.data_type.clone(), c.nullable))
        .collect();
    Arc::new(Schema::new(fields))
}

impl CatalogTable {
    /// `db.table`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The DDL it was created from (`CREATE TABLE IF NOT EXISTS`: later DDLs do not change it).
    pub fn def(&self) -> &TableDef {
        &self.def
    }

    /// Its schema: the data columns and then the partition column, with the DDL's types.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The `DATE` partition column.
    pub fn partition_column(&self) -> &str {
        &self.partition_column
    }

    /// What the metadata job set (empty until it runs).
    pub fn metadata(&self) -> &TableMetadata {
        &self.metadata
    }

    /// The high-water mark: the newest date published by a successful run.
    pub fn hwm(&self) -> Option<RunDate> {
        self.hwm
    }

    /// The last staged partition, kept to show what an audit saw; never read as published data.
    pub fn staged(&self) -> Option<&StagedPartition> {
        self.staged.as_ref()
    }

    /// Sets what the metadata job says.
    pub(crate) fn set_metadata(&mut self, metadata: TableMetadata) {
        self.metadata = metadata;
    }

    /// Keeps `staged` as the table's last staged partition.
    pub(crate) fn stage(&mut self, staged: StagedPartition) {
        self.staged = Some(staged);
    }

    /// Moves the high-water mark to `date` if that is newer: it never moves back. Returns the
    /// mark before and after.
    pub(crate) fn advance_hwm(&mut self, date: RunDate) -> (Option<RunDate>, RunDate) {
        let old = self.hwm;
        let new = old.map_or(date, |o| o.max(date));
        self.hwm = Some(new);
        (old, new)
    }

    /// The published dates, oldest first.
    pub fn published_dates(&self) -> Vec<RunDate> {
        self.partitions.keys().copied().collect()
    }

    /// One published partition's rows.
    pub fn partition(&self, date: RunDate) -> Option<&[RecordBatch]> {
        self.partitions.get(&date).map(Vec::as_slice)
    }

    /// How many rows a published partition has.
    pub fn partition_rows(&self, date: RunDate) -> Option<usize> {
        self.partition(date).map(|b| b.iter().map(RecordBatch::num_rows).sum())
    }

    /// The newest published partition before `date` and its row count.
    pub fn previous_partition(&self, date: RunDate) -> Option<(RunDate, usize)> {
        let (d, batches) = self.partitions.range(..date).next_back()?;
        Some((*d, batches.iter().map(RecordBatch::num_rows).sum()))
    }

    /// Every published row, partitions oldest first.
    pub fn published(&self) -> Vec<RecordBatch> {
        self.partitions.values().flatten().cloned().collect()
    }

    /// How many rows are published.
    pub fn published_rows(&self) -> usize {
        self.partitions.values().flatten().map(RecordBatch::num_rows).sum()
    }

    /// A published partition as text, sorted by every column (at most `limit` rows).
    pub fn partition_table(&self, date: RunDate, limit: Option<usize>) -> Result<Table, EngineError> {
        let batches = self.partition(date).unwrap_or_default();
        let order: Vec<&str> = self.schema.fields().iter().map(|f| f.name().as_str()).collect();
        Table::from_batches(&self.schema, batches, &order, limit)
    }

    /// The published data as CSV ([`crate::export::to_csv`]): partitions oldest first, each
    /// sorted by every column. Equal text means equal published data.
    pub fn published_csv(&self) -> Result<String, EngineError> {
        let order: Vec<&str> = self.schema.fields().iter().map(|f| f.name().as_str()).collect();
        let sorted = self
            .partitions
            .values()
            .map(|batches| crate::table::sort_batches(&self.schema, batches, &order, None))
            .collect::<Result<Vec<_>, _>>()?;
        crate::export::to_csv(&self.schema, &sorted)
    }

    /// A fingerprint of the published data ([`crate::table::fingerprint`] of
    /// [`Self::published_csv`]): the same data always gives the same fingerprint.
    pub fn fingerprint(&self) -> Result<String, EngineError> {
        Ok(crate::table::fingerprint(&self.published_csv()?))
    }
}

/// Tables and the run history.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: BTreeMap<String, CatalogTable>,
    runs: Vec<RunRecord>,
    /// Run ids handed out so far.
    issued: u64,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Catalog::default()
    }

    /// Every table, by name.
    pub fn tables(&self) -> impl Iterator<Item = &CatalogTable> {
        self.tables.values()
    }

    /// A table by name (`db.table`).
    pub fn table(&self, name: &str) -> Option<&CatalogTable> {
        self.tables.get(name)
    }

    /// Every run so far, oldest first.
    pub fn runs(&self) -> &[RunRecord] {
        &self.runs
    }

    /// The id the next run to start gets.
    pub fn next_run_id(&self) -> u64 {
        self.issued + 1
    }

    /// Hands out the next run id.
    pub(crate) fn start_run(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    /// Registers every table's published rows in `ctx` under its name, so SQL reads only
    /// published data.
    pub fn register_published(&self, ctx: &SessionContext) -> Result<(), EngineError> {
        for table in self.tables.values() {
            register_table(ctx, &table.name, table.schema.clone(), table.published())?;
        }
        Ok(())
    }

    /// `CREATE TABLE IF NOT EXISTS`: creates the table `def` declares unless one of that name
    /// exists. Returns whether it was created. The table needs one `DATE` partition column.
    pub(crate) fn create_table_if_not_exists(&mut self, def: &TableDef) -> Result<bool, EngineError> {
        if self.tables.contains_key(&def.name) {
            return Ok(false);
        }
        let partition_column = date_partition(def)?;
        let table = CatalogTable {
            name: def.name.clone(),
            def: def.clone(),
            schema: table_schema(def),
            partition_column,
            metadata: TableMetadata {
                owner: String::new(),
                tags: Vec::new(),
                lifetime_days: 0,
                primary_key: Vec::new(),
            },
            hwm: None,
            staged: None,
            partitions: BTreeMap::new(),
        };
        self.tables.insert(def.name.clone(), table);
        Ok(true)
    }

    pub(crate) fn table_mut(&mut self, name: &str) -> Result<&mut CatalogTable, EngineError> {
        self.tables.get_mut(name).ok_or_else(|| EngineError::Wap(format!("the table {name} does not exist")))
    }

    /// Overwrites one date's partition (and only it) with rows already in the table's schema.
    pub(crate) fn overwrite_partition(
        &mut self,
        name: &str,
        date: RunDate,
        batches: Vec<RecordBatch>,
    ) -> Result<(), EngineError> {
        self.table_mut(name)?.partitions.insert(date, batches);
        Ok(())
    }

    pub(crate) fn record(&mut self, run: RunRecord) {
        self.runs.push(run);
    }
}

/// The one `DATE` partition column a table written by date needs.
pub(crate) fn date_partition(def: &TableDef) -> Result<String, EngineError> {
    match def.partition_columns.as_slice() {
        [column] if column.data_type == datafusion::arrow::datatypes::DataType::Date32 => Ok(column.name.clone()),
        _ => Err(EngineError::Ddl(format!(
            "{} must be PARTITIONED BY one DATE column to be written one date at a time",
            def.name
        ))),
    }
}

/// Registers rows in `ctx` as `name` (`db.table` or `table`), creating the database if needed.
pub(crate) fn register_table(
    ctx: &SessionContext,
    name: &str,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
) -> Result<(), EngineError> {
    let error =
        |e: datafusion::error::DataFusionError| EngineError::Wap(format!("table {name}: {}", e.strip_backtrace()));
    let reference = TableReference::parse_str(name);
    if let Some(schema_name) = reference.schema() {
        let catalog =
            ctx.catalog("datafusion").ok_or_else(|| EngineError::Wap("the default catalog is missing".into()))?;
        if catalog.schema(schema_name).is_none() {
            catalog.register_schema(schema_name, Arc::new(MemorySchemaProvider::new())).map_err(error)?;
        }
    }
    let table = MemTable::try_new(schema, vec![batches]).map_err(error)?;
    ctx.register_table(reference, Arc::new(table)).map_err(error)?;
    Ok(())
}
