//! Rendering the three workflow files from a spec: pure functions of the spec, so the app, the
//! CLI and the template zips write the same bytes.

use std::fmt::Write;

use super::yaml::{scalar, write_value};
use super::{AuditSpec, Workflow};
use crate::ddl::parse_ddl;
use crate::{PipelineSpec, TARGET_TABLE};

/// The target table's name without its database, from the DDL (the sample's name if the DDL
/// does not parse).
pub(crate) fn target_table_name(spec: &PipelineSpec) -> String {
    parse_ddl(&spec.ddl, &spec.params)
        .ok()
        .and_then(|t| t.name.rsplit('.').next().map(str::to_string))
        .unwrap_or_else(|| TARGET_TABLE.to_string())
}

/// The Metacat name of the target table, as the article writes it.
const METACAT_TABLE: &str = "${CATALOG}/${TARGET_DB}/${TARGET_TABLE}";

/// The write job's script in the playground's own `main.sch.yaml`: the spark-sql recipe's file.
pub const DEFAULT_WRITE_SCRIPT: &str = "src/sparksql_write.sql";

/// `main.sch.yaml`: one run for one date: `ddl`, `metadata`, the `wap` template (write, audits,
/// publish) and `hwm`. The write job runs [`DEFAULT_WRITE_SCRIPT`].
pub fn main_yaml(spec: &PipelineSpec) -> String {
    main_yaml_with_write(spec, DEFAULT_WRITE_SCRIPT)
}

/// One entry of `data_auditor.audits`, as `main.sch.yaml` lists it, `indent` spaces in.
pub fn audit_yaml(audit: &AuditSpec, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let _ = writeln!(out, "{pad}- function: {}", scalar(&audit.function));
    let _ = writeln!(out, "{pad}  blocking: {}", audit.blocking);
    if !audit.params.is_empty() {
        let _ = writeln!(out, "{pad}  params:");
        // `table` first, as the article writes it; then the rest by name.
        let table = audit.params.get_key_value("table");
        for (name, value) in table.into_iter().chain(audit.params.iter().filter(|(k, _)| *k != "table")) {
            write_value(&mut out, indent + 4, name, value);
        }
    }
    out
}

/// [`main_yaml`] whose write job runs `write_script` (a path in the project: a recipe's own write
/// job, `src/pyspark_write.py`…).
pub fn main_yaml_with_write(spec: &PipelineSpec, write_script: &str) -> String {
    let w = &spec.workflow;
    let table = target_table_name(spec);
    let mut out = String::new();
    let _ = writeln!(out, "# main.sch.yaml: {} for one date: DDL, table metadata, the write wrapped in", w.name);
    out.push_str("# Write-Audit-Publish with its audits, then the high-water mark. daily.sch.yaml and\n");
    out.push_str("# backfill.sch.yaml call it with the date to run.\n");
    out.push_str("Trigger:\n  type: manual\n");
    out.push_str("Variables:\n");
    let _ = writeln!(out, "  CATALOG: {}", scalar(&w.catalog));
    let _ = writeln!(out, "  TARGET_DB: {}", scalar(&spec.params.target_db));
    let _ = writeln!(out, "  TARGET_TABLE: {}", scalar(&table));
    let _ = writeln!(out, "  date: {}", spec.params.date);
    let _ = writeln!(out, "  top_n: {}", spec.params.top_n);
    let _ = writeln!(out, "  username: {}", scalar(&w.metadata.owner));
    for (name, value) in &spec.params.extra {
        let _ = writeln!(out, "  {}: {}", scalar(name), scalar(value));
    }
    workflow_header(&mut out, w, "main");
    let _ = write!(
        out,
        "    - job:
        id: ddl
        type: Spark
        spark:
          script: $S3{{./ddl/{table}.sql}}
          parameters:
            TARGET_DB: ${{TARGET_DB}}
    - job:
        id: metadata
        type: Metadata
        metacat:
          tables:
            - {METACAT_TABLE}
          owner: ${{username}}
"
    );
    write_list(&mut out, 10, "tags", &w.metadata.tags);
    let _ = writeln!(out, "          lifetime: {}", w.metadata.lifetime_days);
    if w.metadata.primary_key.is_empty() {
        out.push_str("          column_types: {}\n");
    } else {
        out.push_str("          column_types:\n");
        for column in &w.metadata.primary_key {
            let _ = writeln!(out, "            {}: pk", scalar(column));
        }
    }
    let _ = write!(
        out,
        "    - template:
        id: wap
        type: wap
        tables:
          - {METACAT_TABLE}
        write_jobs:
          - job:
              id: write
              type: Spark
              spark:
                script: $S3{{./{write_script}}}
                parameters:
                  date: ${{date}}
                  top_n: ${{top_n}}
        data_auditor:
"
    );
    if w.audits.is_empty() {
        out.push_str("          audits: []\n");
    } else {
        out.push_str("          audits:\n");
    }
    for audit in &w.audits {
        out.push_str(&audit_yaml(audit, 12));
    }
    let _ = write!(
        out,
        "    - job:
        id: hwm
        type: HWM
        metacat:
          table: {METACAT_TABLE}
          hwm_datetime: ${{EXECUTION_DATE}}
          hwm_timezone: ${{EXECUTION_TIMEZONE}}
"
    );
    out
}

/// `daily.sch.yaml`: on a schedule, main for the run date and the `lookback_days` before it.
pub fn daily_yaml(spec: &PipelineSpec) -> String {
    let w = &spec.workflow;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# daily.sch.yaml: every day, main.sch.yaml for the run date and the {} day(s) before it,",
        w.daily.lookback_days
    );
    out.push_str("# oldest first, to catch late-arriving data. Each date publishes only its own partition.\n");
    let _ = writeln!(out, "Trigger:\n  cron: {}\n  timezone: {}", scalar(&w.daily.cron), scalar(&w.daily.timezone));
    let _ = writeln!(out, "Variables:\n  lookback_days: {}", w.daily.lookback_days);
    workflow_header(&mut out, w, "daily");
    foreach_main(&mut out, w, "${EXECUTION_DATE} minus lookback_days .. ${EXECUTION_DATE}");
    out
}

/// `backfill.sch.yaml`: main for every date from `start_date` to `end_date`.
pub fn backfill_yaml(spec: &PipelineSpec) -> String {
    let w = &spec.workflow;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# backfill.sch.yaml: main.sch.yaml for every date from start_date to end_date (at most {} days),",
        super::MAX_BACKFILL_DAYS
    );
    out.push_str("# oldest first, to restate data. The high-water mark never moves back.\n");
    out.push_str("Trigger:\n  type: manual\n");
    let _ = writeln!(
        out,
        "Variables:\n  start_date: {}\n  end_date: {}\n  stop_on_failure: {}",
        w.backfill.start, w.backfill.end, w.backfill.stop_on_failure
    );
    workflow_header(&mut out, w, "backfill");
    foreach_main(&mut out, w, "start_date .. end_date");
    out
}

fn workflow_header(out: &mut String, w: &Workflow, file: &str) {
    let _ =
        writeln!(out, "Workflow:\n  id: {}\n  name: {}\n  jobs:", scalar(&format!("{}.{file}", w.id)), scalar(&w.name));
}

/// The one job of daily and backfill: main for each date, from the Variables.
fn foreach_main(out: &mut String, w: &Workflow, dates: &str) {
    let _ = write!(
        out,
        "    - foreach:
        id: dates
        # dates: {dates}, oldest first (see Variables)
        jobs:
          - job:
              id: main
              type: Subworkflow
              subworkflow:
                id: {}
                params:
                  date: ${{date}}
",
        scalar(&format!("{}.main", w.id))
    );
}

fn write_list(out: &mut String, indent: usize, key: &str, items: &[String]) {
    let pad = " ".repeat(indent);
    if items.is_empty() {
        let _ = writeln!(out, "{pad}{key}: []");
        return;
    }
    let _ = writeln!(out, "{pad}{key}:");
    for item in items {
        let _ = writeln!(out, "{pad}  - {}", scalar(item));
    }
}
