//! A run's outcome as bytes, so a run in a Web Worker can hand it to the page.
//!
//! The page runs the pipeline in a worker (its thread never blocks); the worker sends back one
//! message: [`encode_outcome`]'s bytes, which the page reads with [`decode_outcome`]. Layout:
//! `DFRUN1`, a little-endian `u32` length, that many bytes of JSON (the run without its rows, or
//! the error), then each step's rows as an Arrow IPC stream, in step order, their lengths in the
//! JSON. The target table is not sent: the page parses the spec's DDL itself (it has the spec).
//! An imported file's rows travel the same way ([`encode_table`], [`TableReader`]), and so do
//! two runs' step results for a diff in the worker ([`encode_sides`]; the answer is
//! [`encode_diff`]'s JSON).

use std::io::Cursor;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use serde::{Deserialize, Serialize};

use crate::ddl::{parse_ddl, Finding};
use crate::diff::{Named, RunDiff};
use crate::{EngineError, Notice, PipelineRun, PipelineSpec, StepResult};

const MAGIC: &[u8] = b"DFRUN1";

#[derive(Serialize, Deserialize)]
struct RunMeta {
    source_rows: usize,
    notices: Vec<String>,
    findings: Vec<Finding>,
    steps: Vec<StepMeta>,
}

#[derive(Serialize, Deserialize)]
struct StepMeta {
    name: String,
    sql: String,
    row_count: usize,
    elapsed_ms: f64,
    logical_plan: String,
    physical_plan: String,
    /// The length of this step's Arrow IPC stream.
    ipc_bytes: usize,
}

fn worker_error(what: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::Worker(format!("{what}: {e}"))
}

/// `magic`, `json`'s length as a little-endian `u32`, `json`, then `rows`: every message's layout.
fn framed(magic: &[u8], json: &[u8], rows: &[u8], what: &str) -> Result<Vec<u8>, EngineError> {
    let length =
        u32::try_from(json.len()).map_err(|e| worker_error(&format!("{what}'s description is too long"), e))?;
    let mut bytes = Vec::with_capacity(magic.len() + 4 + json.len() + rows.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&length.to_le_bytes());
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(rows);
    Ok(bytes)
}

/// [`framed`]'s JSON and rows, or an error naming what the bytes are not (`not a run`).
fn unframed<'a>(bytes: &'a [u8], magic: &[u8], not: &str) -> Result<(&'a [u8], &'a [u8]), EngineError> {
    let name = String::from_utf8_lossy(magic);
    let rest = bytes.strip_prefix(magic).ok_or_else(|| worker_error(not, format!("no {name} header")))?;
    let (length, rest) = rest.split_first_chunk::<4>().ok_or_else(|| worker_error(not, "cut short"))?;
    let length = usize::try_from(u32::from_le_bytes(*length)).map_err(|e| worker_error(not, e))?;
    if rest.len() < length {
        return Err(worker_error(not, "cut short"));
    }
    Ok(rest.split_at(length))
}

/// The bytes for a run's outcome: its steps' rows and plans, or why it failed.
pub fn encode_outcome(outcome: &Result<PipelineRun, EngineError>) -> Result<Vec<u8>, EngineError> {
    let mut rows = Vec::new();
    let meta = match outcome {
        Ok(run) => {
            let mut steps = Vec::with_capacity(run.steps.len());
            for step in &run.steps {
                let start = rows.len();
                write_ipc(&mut rows, &step.schema, &step.batches)?;
                steps.push(StepMeta {
                    name: step.name.clone(),
                    sql: step.sql.clone(),
                    row_count: step.row_count,
                    elapsed_ms: step.elapsed_ms,
                    logical_plan: step.logical_plan.clone(),
                    physical_plan: step.physical_plan.clone(),
                    ipc_bytes: rows.len() - start,
                });
            }
            Ok(RunMeta {
                source_rows: run.source_rows,
                notices: run.notices.iter().map(|n| n.0.clone()).collect(),
                findings: run.findings.clone(),
                steps,
            })
        }
        Err(e) => Err(e.clone()),
    };
    let json = serde_json::to_vec(&meta).map_err(|e| worker_error("cannot encode the run", e))?;
    framed(MAGIC, &json, &rows, "the run")
}

/// Reads [`encode_outcome`]'s bytes back into the run (or its error) of `spec`. Bytes that are
/// not such a message are an [`EngineError::Worker`], never a panic.
pub fn decode_outcome(bytes: &[u8], spec: &PipelineSpec) -> Result<PipelineRun, EngineError> {
    let (json, mut rows) = unframed(bytes, MAGIC, "not a run")?;
    let meta: Result<RunMeta, EngineError> =
        serde_json::from_slice(json).map_err(|e| worker_error("cannot read the run", e))?;
    let meta = meta?;
    let mut steps = Vec::with_capacity(meta.steps.len());
    for step in meta.steps {
        if rows.len() < step.ipc_bytes {
            return Err(worker_error("cannot read the run", format!("step {}'s rows are cut short", step.name)));
        }
        let (ipc, after) = rows.split_at(step.ipc_bytes);
        rows = after;
        let (schema, batches) = read_ipc(ipc).map_err(|e| worker_error(&format!("step {}'s rows", step.name), e))?;
        steps.push(StepResult {
            name: step.name,
            sql: step.sql,
            schema,
            batches,
            row_count: step.row_count,
            elapsed_ms: step.elapsed_ms,
            logical_plan: step.logical_plan,
            physical_plan: step.physical_plan,
        });
    }
    Ok(PipelineRun {
        source_rows: meta.source_rows,
        steps,
        notices: meta.notices.into_iter().map(Notice).collect(),
        target: parse_ddl(&spec.ddl, &spec.params),
        findings: meta.findings,
    })
}

const TABLE_MAGIC: &[u8] = b"DFTAB1";

/// The bytes for an imported file's rows (or why it could not be read): `DFTAB1`, a
/// little-endian `u32` length, that many bytes of JSON (`{"Ok":null}` or the error), then the
/// rows as one Arrow IPC stream. The worker parses a file; the page reads the rows back with
/// [`TableReader`], a batch at a time.
pub fn encode_table(table: &Result<crate::SourceData, EngineError>) -> Result<Vec<u8>, EngineError> {
    let header: Result<(), EngineError> = table.as_ref().map(|_| ()).map_err(Clone::clone);
    let json = serde_json::to_vec(&header).map_err(|e| worker_error("cannot encode the table", e))?;
    let mut rows = Vec::new();
    if let Ok(data) = table {
        write_ipc(&mut rows, &data.schema, &data.batches)?;
    }
    framed(TABLE_MAGIC, &json, &rows, "the table")
}

/// Reads [`encode_table`]'s bytes a batch at a time (so a host can give its thread back between).
pub struct TableReader<'a> {
    reader: StreamReader<Cursor<&'a [u8]>>,
}

impl<'a> TableReader<'a> {
    /// The reader of `bytes`, or the error they carry; bytes that are not a table are an
    /// [`EngineError::Worker`].
    pub fn new(bytes: &'a [u8]) -> Result<Self, EngineError> {
        let (json, ipc) = unframed(bytes, TABLE_MAGIC, "not a table")?;
        let header: Result<(), EngineError> =
            serde_json::from_slice(json).map_err(|e| worker_error("cannot read the table", e))?;
        header?;
        let reader = StreamReader::try_new(Cursor::new(ipc), None).map_err(|e| worker_error("the table's rows", e))?;
        Ok(TableReader { reader })
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        self.reader.schema()
    }

    /// The next batch, or `None` at the end.
    pub fn next_batch(&mut self) -> Option<Result<RecordBatch, EngineError>> {
        self.reader.next().map(|b| b.map_err(|e| worker_error("the table's rows", e)))
    }
}

const SIDES_MAGIC: &[u8] = b"DFDIF1";

/// Two runs' named step results (the base's, then the new run's) for a diff made elsewhere:
/// `DFDIF1`, a little-endian `u32` length, that many bytes of JSON (each side's step names and
/// their IPC lengths), then each step's rows as an Arrow IPC stream, in that order.
pub fn encode_sides(base: &[Named<'_>], new: &[Named<'_>]) -> Result<Vec<u8>, EngineError> {
    let mut rows = Vec::new();
    let mut side = |steps: &[Named<'_>]| -> Result<Vec<(String, usize)>, EngineError> {
        steps
            .iter()
            .map(|s| {
                let start = rows.len();
                write_ipc(&mut rows, s.side.schema, s.side.batches)?;
                Ok((s.name.to_string(), rows.len() - start))
            })
            .collect()
    };
    let header = (side(base)?, side(new)?);
    let json = serde_json::to_vec(&header).map_err(|e| worker_error("cannot encode the runs", e))?;
    framed(SIDES_MAGIC, &json, &rows, "the runs")
}

/// One step's result read back by [`decode_sides`]: its name, schema and rows.
pub type OwnedStep = (String, SchemaRef, Vec<RecordBatch>);

/// Reads [`encode_sides`]'s bytes back: the base run's steps and the new run's.
pub fn decode_sides(bytes: &[u8]) -> Result<(Vec<OwnedStep>, Vec<OwnedStep>), EngineError> {
    let (json, mut rows) = unframed(bytes, SIDES_MAGIC, "not two runs")?;
    type Header = (Vec<(String, usize)>, Vec<(String, usize)>);
    let (base, new): Header = serde_json::from_slice(json).map_err(|e| worker_error("cannot read the runs", e))?;
    let mut read = |steps: Vec<(String, usize)>| -> Result<Vec<OwnedStep>, EngineError> {
        steps
            .into_iter()
            .map(|(name, length)| {
                if rows.len() < length {
                    return Err(worker_error("cannot read the runs", format!("step {name}'s rows are cut short")));
                }
                let (ipc, after) = rows.split_at(length);
                rows = after;
                let (schema, batches) = read_ipc(ipc).map_err(|e| worker_error(&format!("step {name}'s rows"), e))?;
                Ok((name, schema, batches))
            })
            .collect()
    };
    let base = read(base)?;
    Ok((base, read(new)?))
}

/// Read-back steps as the diff's named results.
pub fn as_named(steps: &[OwnedStep]) -> Vec<Named<'_>> {
    steps.iter().map(|(name, schema, batches)| Named { name, side: crate::diff::Side { schema, batches } }).collect()
}

/// A diff made elsewhere, or why it failed, as JSON bytes.
pub fn encode_diff(diff: &Result<RunDiff, EngineError>) -> Vec<u8> {
    serde_json::to_vec(diff).unwrap_or_else(|e| {
        serde_json::to_vec(&Err::<RunDiff, _>(worker_error("cannot encode the diff", e))).unwrap_or_default()
    })
}

/// Reads [`encode_diff`]'s bytes back.
pub fn decode_diff(bytes: &[u8]) -> Result<RunDiff, EngineError> {
    let diff: Result<RunDiff, EngineError> =
        serde_json::from_slice(bytes).map_err(|e| worker_error("cannot read the diff", e))?;
    diff
}

fn write_ipc(out: &mut Vec<u8>, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<(), EngineError> {
    let failed = |e| worker_error("cannot encode a step's rows", e);
    let mut writer = StreamWriter::try_new(out, schema).map_err(failed)?;
    for batch in batches {
        writer.write(batch).map_err(failed)?;
    }
    writer.finish().map_err(failed)
}

fn read_ipc(ipc: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), datafusion::arrow::error::ArrowError> {
    let reader = StreamReader::try_new(Cursor::new(ipc), None)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>()?;
    Ok((schema, batches))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{resolve_now, run_pipeline, NoFiles};

    fn sample() -> (PipelineSpec, PipelineRun) {
        let spec = PipelineSpec::sample();
        let source = resolve_now(&spec, &NoFiles).expect("source");
        let run = futures::executor::block_on(run_pipeline(&spec, &source)).expect("run");
        (spec, run)
    }

    #[test]
    fn a_run_reads_back_with_every_step_row_and_plan() {
        let (spec, run) = sample();
        let bytes = encode_outcome(&Ok(run.clone())).expect("encode");
        let back = decode_outcome(&bytes, &spec).expect("decode");
        assert_eq!(back.source_rows, run.source_rows);
        assert_eq!(back.notices, run.notices);
        assert_eq!(back.findings, run.findings);
        assert_eq!(back.target, run.target);
        assert_eq!(back.steps.len(), 3);
        for (b, r) in back.steps.iter().zip(&run.steps) {
            assert_eq!((&b.name, &b.sql, b.row_count), (&r.name, &r.sql, r.row_count));
            assert_eq!((&b.logical_plan, &b.physical_plan), (&r.logical_plan, &r.physical_plan));
            assert_eq!(b.schema, r.schema);
            assert_eq!(b.batches, r.batches);
        }
    }

    #[test]
    fn two_runs_read_back_and_their_diff_is_the_same_made_here_or_there() {
        let (mut spec, run) = sample();
        spec.steps[1].sql = spec.steps[1].sql.replace("RANK()", "DENSE_RANK()");
        let source = resolve_now(&spec, &NoFiles).expect("source");
        let dense = futures::executor::block_on(run_pipeline(&spec, &source)).expect("run");
        let bytes = encode_sides(&crate::diff::named(&run), &crate::diff::named(&dense)).expect("encode");
        let (base, new) = decode_sides(&bytes).expect("decode");
        assert_eq!(base.len(), 3);
        for (b, r) in base.iter().zip(&run.steps) {
            assert_eq!((&b.0, &b.1, &b.2), (&r.name, &r.schema, &r.batches));
        }
        let control = std::sync::Arc::new(crate::RunControl::default());
        let there = futures::executor::block_on(crate::diff::diff_runs(
            &spec,
            &as_named(&base),
            &as_named(&new),
            None,
            50,
            &control,
        ));
        let here = futures::executor::block_on(crate::diff::diff_runs(
            &spec,
            &crate::diff::named(&run),
            &crate::diff::named(&dense),
            None,
            50,
            &control,
        ));
        let back = decode_diff(&encode_diff(&there)).expect("the diff reads back");
        assert_eq!(back, here.expect("diff"));
        assert_eq!(decode_diff(&encode_diff(&Err(EngineError::Cancelled))), Err(EngineError::Cancelled));
        assert!(decode_sides(b"DFDIF1\x05\0\0\0[[],").is_err());
    }

    #[test]
    fn a_failure_reads_back_as_the_same_error() {
        let (spec, _) = sample();
        let error = EngineError::Step { step: "STEP_2".into(), message: "no such column".into(), at: None };
        let bytes = encode_outcome(&Err(error.clone())).expect("encode");
        assert_eq!(decode_outcome(&bytes, &spec).err(), Some(error));
        let cancelled = encode_outcome(&Err(EngineError::Cancelled)).expect("encode");
        assert_eq!(decode_outcome(&cancelled, &spec).err(), Some(EngineError::Cancelled));
    }

    #[test]
    fn a_table_reads_back_batch_by_batch_and_an_import_error_as_itself() {
        let (spec, _) = sample();
        let source = resolve_now(&spec, &NoFiles).expect("source");
        let bytes = encode_table(&Ok((*source).clone())).expect("encode");
        let mut reader = TableReader::new(&bytes).expect("reader");
        assert_eq!(reader.schema(), source.schema);
        let mut batches = Vec::new();
        while let Some(batch) = reader.next_batch() {
            batches.push(batch.expect("batch"));
        }
        assert_eq!(batches, source.batches);

        let error = EngineError::Import("rows.csv: line 3: not a number".into());
        let bytes = encode_table(&Err(error.clone())).expect("encode");
        assert_eq!(TableReader::new(&bytes).err(), Some(error));
        for cut in [0, 5, 9] {
            assert!(matches!(TableReader::new(&bytes[..cut]).err(), Some(EngineError::Worker(_))), "cut at {cut}");
        }
    }

    #[test]
    fn bytes_that_are_not_a_run_are_an_error_not_a_panic() {
        let (spec, run) = sample();
        let bytes = encode_outcome(&Ok(run)).expect("encode");
        // Every prefix (cut short in the header, the JSON or the rows) and a flipped byte.
        for cut in [0, 3, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            let error = decode_outcome(&bytes[..cut], &spec).err();
            assert!(matches!(error, Some(EngineError::Worker(_))), "cut at {cut}: {error:?}");
        }
        let mut flipped = bytes.clone();
        flipped[12] ^= 0xff;
        assert!(matches!(decode_outcome(&flipped, &spec), Err(EngineError::Worker(_))));
    }
}
