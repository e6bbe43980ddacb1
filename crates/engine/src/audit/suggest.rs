//! Audits suggested from a profile of the pipeline's output: what the data already satisfies and a
//! data engineer would want to keep checking on every later partition. Each suggestion is an
//! [`AuditSpec`] ready for `main.sch.yaml` and says which fact of the profile it comes from, so
//! the user accepts a reason, not a guess.
//!
//! Structural facts (no NULL in a column, a unique key) become blocking audits; statistical ones
//! (a value range, a row count band around today's) become warnings, since tomorrow's data may
//! move them for good reasons. Nothing the workflow already checks is suggested again.
//!
//! The rules are a pure function of the profile, the key and the existing audits
//! ([`suggestions`]); [`suggest_audits`] adds the one fact a profile has not: whether the key's
//! values are unique together, counted by DataFusion.

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::{ident, lit};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::control::RunControl;
use crate::diff::{collect_table, default_key, df_error, side_frame, Side};
use crate::profile::{ColumnProfile, TableProfile};
use crate::table::group_digits;
use crate::workflow::AuditSpec;
use crate::{EngineError, PipelineSpec};

/// A row count band is today's count times these.
const BAND: (f64, f64) = (0.5, 1.5);

/// How many distinct values a text column may have for its values to be suggested as the
/// accepted ones (all of them must be among the profile's most frequent values).
const ACCEPTED_VALUES_AT_MOST: u64 = crate::profile::TOP_VALUES as u64;

/// An audit the profiled data satisfies, with the fact it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedAudit {
    /// The audit, as `main.sch.yaml` would hold it.
    pub audit: AuditSpec,
    /// The fact of the profile it comes from, in words.
    pub because: String,
}

/// The audits the output (`side`, profiled as `profile`) suggests for `spec`'s workflow. The key
/// is [`default_key`]'s: the workflow's primary key as far as the output has its columns.
pub async fn suggest_audits(
    spec: &PipelineSpec,
    side: Side<'_>,
    profile: &TableProfile,
    control: &Arc<RunControl>,
) -> Result<Vec<SuggestedAudit>, EngineError> {
    let key = default_key(spec, side.schema, side.schema);
    let groups = if key.is_empty() { None } else { Some(key_groups(side, &key, control).await?) };
    Ok(suggestions(spec, profile, &key, groups))
}

/// How many distinct combinations of the key's values `side` has.
async fn key_groups(side: Side<'_>, key: &[String], control: &Arc<RunControl>) -> Result<u64, EngineError> {
    let ctx = crate::run::new_context();
    let grouped = side_frame(&ctx, side, control)?
        .aggregate(key.iter().map(|k| ident(k.as_str())).collect(), vec![])
        .and_then(|d| d.aggregate(vec![], vec![count(lit(1)).alias("groups")]))
        .map_err(df_error)?;
    let table = collect_table(grouped, control).await?;
    Ok(table.rows.first().and_then(|r| r.first()).and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// The suggestions, from the profile's facts; `key_groups` is how many distinct key values the
/// table has (`None`: no key).
pub fn suggestions(
    spec: &PipelineSpec,
    profile: &TableProfile,
    key: &[String],
    key_groups: Option<u64>,
) -> Vec<SuggestedAudit> {
    let existing = &spec.workflow.audits;
    let rows = profile.rows;
    if rows == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();

    // No NULLs: the columns no existing audit already checks.
    let checked: BTreeSet<String> = listed(existing, "columns_should_not_have_nulls", "columns");
    let no_nulls: Vec<&ColumnProfile> =
        profile.columns.iter().filter(|c| c.nulls == 0 && !checked.contains(&c.name)).collect();
    if !no_nulls.is_empty() {
        let names: Vec<&str> = no_nulls.iter().map(|c| c.name.as_str()).collect();
        out.push(SuggestedAudit {
            audit: AuditSpec::new("columns_should_not_have_nulls", true, &[("columns", json!(names))]),
            because: format!(
                "{} {} no NULL in {} rows",
                and_list(&names),
                has(names.len()),
                group_digits(rows as usize)
            ),
        });
    }

    // A unique key. Staged rows have the output's columns and the partition columns, which are
    // the same on every row of a partition: an audit that adds them checks the same key.
    if let Some(groups) = key_groups.filter(|g| *g == rows) {
        let in_output = |c: &&String| profile.columns.iter().any(|p| &p.name == *c);
        let same_key = |a: &AuditSpec| {
            let columns = strings(a.params.get("columns"));
            let columns: BTreeSet<&String> = columns.iter().filter(in_output).collect();
            columns == key.iter().collect()
        };
        if !existing.iter().any(|a| a.function == "columns_should_be_unique" && same_key(a)) {
            let names: Vec<&str> = key.iter().map(String::as_str).collect();
            out.push(SuggestedAudit {
                audit: AuditSpec::new("columns_should_be_unique", true, &[("columns", json!(names))]),
                because: format!(
                    "the key ({}) has {} distinct values in {} rows",
                    names.join(", "),
                    group_digits(groups as usize),
                    group_digits(rows as usize)
                ),
            });
        }
    }

    // Value ranges of numbers that are measures, not identifiers.
    let ranged = listed(existing, "column_values_should_be_within", "column");
    for c in &profile.columns {
        let is_id = key.contains(&c.name) || c.name == "id" || c.name.ends_with("_id");
        if c.mean.is_none() || is_id || ranged.contains(&c.name) {
            continue;
        }
        let (Some(lo), Some(hi)) = (number(&c.min), number(&c.max)) else { continue };
        let (min, max) = (lo.floor(), hi.ceil());
        out.push(SuggestedAudit {
            audit: AuditSpec::new(
                "column_values_should_be_within",
                false,
                &[("column", json!(c.name)), ("min", whole(min)), ("max", whole(max))],
            ),
            because: format!(
                "{} is from {} to {} in every row today",
                c.name,
                c.min.as_deref().unwrap_or_default(),
                c.max.as_deref().unwrap_or_default()
            ),
        });
    }

    // Accepted values of a text column with a handful of values, all among the frequent ones.
    let accepted = listed(existing, "column_should_have_accepted_values", "column");
    for c in &profile.columns {
        let Some(distinct) = c.distinct else { continue };
        let text = c.data_type == "STRING";
        if !text || distinct > ACCEPTED_VALUES_AT_MOST || c.top.len() as u64 != distinct || accepted.contains(&c.name) {
            continue;
        }
        let mut values: Vec<&str> = c.top.iter().map(|(v, _)| v.as_str()).collect();
        values.sort_unstable();
        out.push(SuggestedAudit {
            audit: AuditSpec::new(
                "column_should_have_accepted_values",
                false,
                &[("column", json!(c.name)), ("values", json!(values))],
            ),
            because: format!("{} has only {} distinct values: {}", c.name, distinct, values.join(", ")),
        });
    }

    // A row count band around today's.
    let banded = existing.iter().any(|a| {
        a.function == "row_count_should_be_within" && a.params.contains_key("min") && a.params.contains_key("max")
    });
    if !banded {
        let (min, max) = ((rows as f64 * BAND.0).floor(), (rows as f64 * BAND.1).ceil());
        out.push(SuggestedAudit {
            audit: AuditSpec::new("row_count_should_be_within", false, &[("min", whole(min)), ("max", whole(max))]),
            because: format!(
                "today's partition has {} rows; the band is half to one and a half times that",
                group_digits(rows as usize)
            ),
        });
    }
    out
}

/// Every string in the `param` (a column or a list of columns) of the existing audits of `function`.
fn listed(existing: &[AuditSpec], function: &str, param: &str) -> BTreeSet<String> {
    existing.iter().filter(|a| a.function == function).flat_map(|a| strings(a.params.get(param))).collect()
}

/// A param's string or list of strings.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

fn number(text: &Option<String>) -> Option<f64> {
    text.as_deref()?.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A whole number as a JSON integer (a YAML `1234`, not `1234.0`).
fn whole(x: f64) -> Value {
    if x.abs() < 9.0e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn has(n: usize) -> &'static str {
    if n == 1 {
        "has"
    } else {
        "have"
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn column(name: &str, data_type: &str, min: &str, max: &str) -> ColumnProfile {
        ColumnProfile {
            name: name.into(),
            data_type: data_type.into(),
            nulls: 0,
            distinct: Some(3),
            min: Some(min.into()),
            max: Some(max.into()),
            mean: (data_type != "STRING").then_some(1.0),
            top: Vec::new(),
            histogram: None,
        }
    }

    fn functions(s: &[SuggestedAudit]) -> Vec<&str> {
        s.iter().map(|s| s.audit.function.as_str()).collect()
    }

    #[test]
    fn the_sample_suggests_only_what_it_does_not_check() {
        let spec = PipelineSpec::sample();
        let mut status = column("status", "STRING", "a", "b");
        status.top = vec![("b".into(), 5), ("a".into(), 3), ("c".into(), 1)];
        let profile = TableProfile {
            rows: 1902,
            columns: vec![
                column("title_id", "INT", "1", "9"),
                column("country_code", "STRING", "AD", "ZW"),
                column("view_hours", "DOUBLE", "1.34375", "1234.921875"),
                column("title_rank", "BIGINT", "1", "10"),
                status,
            ],
        };
        let key = vec!["country_code".to_string(), "title_id".to_string()];
        let s = suggestions(&spec, &profile, &key, Some(1902));
        // title_rank's range, the not-NULL key and the unique key are in the sample already.
        assert_eq!(
            functions(&s),
            [
                "columns_should_not_have_nulls",
                "column_values_should_be_within",
                "column_should_have_accepted_values",
                "row_count_should_be_within"
            ]
        );
        assert_eq!(s[0].audit.params["columns"], json!(["view_hours", "status"]));
        assert_eq!(s[0].because, "view_hours and status have no NULL in 1,902 rows");
        assert_eq!(s[1].audit.params["min"], json!(1));
        assert_eq!(s[1].audit.params["max"], json!(1235));
        assert_eq!(s[2].audit.params["values"], json!(["a", "b", "c"]));
        assert_eq!(s[3].audit.params["min"], json!(951));
        assert_eq!(s[3].audit.params["max"], json!(2853));
        assert!(s.iter().all(|s| s.audit.blocking == (s.audit.function == "columns_should_not_have_nulls")));
    }

    #[test]
    fn a_key_is_suggested_unique_only_when_it_is() {
        let mut spec = PipelineSpec::sample();
        spec.workflow.audits.clear();
        let profile = TableProfile { rows: 10, columns: vec![column("k", "INT", "1", "10")] };
        let key = vec!["k".to_string()];
        let unique = suggestions(&spec, &profile, &key, Some(10));
        assert_eq!(unique[1].audit.function, "columns_should_be_unique");
        assert_eq!(unique[1].because, "the key (k) has 10 distinct values in 10 rows");
        let repeated = suggestions(&spec, &profile, &key, Some(9));
        assert!(!functions(&repeated).contains(&"columns_should_be_unique"));
        // No row, no fact.
        assert!(suggestions(&spec, &TableProfile { rows: 0, columns: vec![] }, &key, Some(0)).is_empty());
    }
}
