//! "What did my change do?": a run diff (`dataflow_engine::diff`) as the Changes panel reads it,
//! plain data built once per diff; the component only draws it.

use dataflow_engine::diff::{Pairing, RunDiff, TableDiff};

/// The most changed rows of the output the panel lists (the engine keeps no more).
pub const SHOWN_ROWS: usize = 200;

/// One step's line: its name, the counts, and a line per changed column.
#[derive(Debug, Clone, PartialEq)]
pub struct StepChange {
    /// The step's name (`output` when the last steps' names differ).
    pub name: String,
    /// `added 0, removed 0, changed 312 in 57 country_code, …`, or why it could not be compared.
    pub headline: String,
    /// `title_rank: changed 312; largest: …`, and the columns only one side has.
    pub details: Vec<String>,
    /// Whether anything changed (rows or columns).
    pub changed: bool,
}

/// One cell of the changed rows' grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The value, or `old → new` when it changed.
    pub text: String,
    /// Whether the base had another value.
    pub changed: bool,
}

/// The output's added, removed and changed rows: one column per compared column, old and new
/// values in one cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangedRows {
    /// `change`, then the columns.
    pub headers: Vec<String>,
    /// The rows, as the engine sorted them (by the key).
    pub rows: Vec<Vec<Cell>>,
    /// How many rows changed in all (the grid lists at most [`SHOWN_ROWS`]).
    pub total: u64,
}

/// The whole panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangesView {
    /// One entry per step both runs have, the output last.
    pub steps: Vec<StepChange>,
    /// Steps only one of the runs has.
    pub notes: Vec<String>,
    /// The output's changed rows, when the output could be compared.
    pub output: Option<ChangedRows>,
    /// Where and how fast it was compared (`compared in the engine's worker in 120 ms`), set by
    /// whoever compared.
    pub compared: String,
}

impl ChangesView {
    /// The panel's data for `diff`.
    pub fn from_diff(diff: &RunDiff) -> Self {
        let steps = diff.steps.iter().map(|s| step_change(&s.step, &s.diff)).collect();
        let mut notes = Vec::new();
        if !diff.only_base.is_empty() {
            notes.push(format!("Only in the baseline: {}", diff.only_base.join(", ")));
        }
        if !diff.only_new.is_empty() {
            notes.push(format!("New steps: {}", diff.only_new.join(", ")));
        }
        let output = diff.steps.last().and_then(|s| s.diff.as_ref().ok()).map(changed_rows);
        ChangesView { steps, notes, output, compared: String::new() }
    }

    /// Whether any step changed.
    pub fn any_change(&self) -> bool {
        self.steps.iter().any(|s| s.changed) || !self.notes.is_empty()
    }
}

/// One compared table's line: its counts and its changed columns, or why it was not compared.
pub fn step_change(name: &str, diff: &Result<TableDiff, String>) -> StepChange {
    match diff {
        Ok(d) => {
            let mut lines = d.summary().into_iter();
            let headline = lines.next().unwrap_or_default();
            let details = lines.filter(|l| !l.ends_with(": changed 0")).collect();
            let changed = d.added + d.removed + d.changed > 0 || !d.only_base.is_empty() || !d.only_new.is_empty();
            StepChange { name: name.to_string(), headline, details, changed }
        }
        Err(e) => StepChange {
            name: name.to_string(),
            headline: format!("could not be compared: {e}"),
            details: Vec::new(),
            changed: true,
        },
    }
}

/// The engine's rows (`change`, key, `base.NAME` beside `NAME`) folded into one cell per column.
fn changed_rows(diff: &TableDiff) -> ChangedRows {
    let columns = &diff.rows.columns;
    let total = match diff.pairing {
        Pairing::Key(_) => diff.added + diff.removed + diff.changed,
        Pairing::WholeRows(_) => diff.rows.rows.len() as u64,
    };
    // Each shown column: where its new value is, and where its base value is (if paired).
    let shown: Vec<(usize, Option<usize>)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.starts_with("base."))
        .map(|(i, c)| (i, columns.iter().position(|b| b.strip_prefix("base.") == Some(c.as_str()))))
        .collect();
    let headers = shown.iter().filter_map(|(i, _)| columns.get(*i).cloned()).collect();
    let rows = diff
        .rows
        .rows
        .iter()
        .map(|row| {
            let change = row.first().map(String::as_str);
            shown
                .iter()
                .map(|(i, base)| {
                    let new = row.get(*i).cloned().unwrap_or_default();
                    match (change, base.and_then(|b| row.get(b))) {
                        (Some("changed"), Some(old)) if *old != new => {
                            Cell { text: format!("{old} → {new}"), changed: true }
                        }
                        // A removed row has only its base values.
                        (Some("removed"), Some(old)) => Cell { text: old.clone(), changed: false },
                        _ => Cell { text: new, changed: false },
                    }
                })
                .collect()
        })
        .collect();
    ChangedRows { headers, rows, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dataflow_engine::diff::{ColumnChange, StepDiff};
    use dataflow_engine::Table;

    fn diff() -> TableDiff {
        TableDiff {
            base_rows: 3,
            new_rows: 3,
            pairing: Pairing::Key(vec!["id".into()]),
            added: 1,
            removed: 1,
            changed: 1,
            unchanged: 1,
            changed_in: None,
            columns: vec![
                ColumnChange { name: "rank".into(), changed: 1, types: None, largest: Vec::new() },
                ColumnChange { name: "hours".into(), changed: 0, types: None, largest: Vec::new() },
            ],
            only_base: Vec::new(),
            only_new: Vec::new(),
            rows: Table {
                columns: ["change", "id", "base.rank", "rank", "base.hours", "hours"].map(String::from).to_vec(),
                rows: vec![
                    ["added", "4", "NULL", "1", "NULL", "2.0"].map(String::from).to_vec(),
                    ["changed", "2", "3", "2", "1.5", "1.5"].map(String::from).to_vec(),
                    ["removed", "9", "5", "NULL", "0.5", "NULL"].map(String::from).to_vec(),
                ],
            },
        }
    }

    #[test]
    fn a_changed_cell_shows_old_and_new_and_is_marked() {
        let view = ChangesView::from_diff(&RunDiff {
            steps: vec![StepDiff { step: "STEP_2".into(), diff: Ok(diff()) }],
            only_base: vec!["STEP_9".into()],
            only_new: Vec::new(),
        });
        let rows = view.output.as_ref().unwrap();
        assert_eq!(rows.headers, ["change", "id", "rank", "hours"]);
        assert_eq!(rows.total, 3);
        let changed = &rows.rows[1];
        assert_eq!(changed[2], Cell { text: "3 → 2".into(), changed: true });
        assert_eq!(changed[3], Cell { text: "1.5".into(), changed: false });
        // Added rows show their new values, removed rows their base values, unmarked.
        assert_eq!(rows.rows[0][2], Cell { text: "1".into(), changed: false });
        assert_eq!(rows.rows[2][2], Cell { text: "5".into(), changed: false });
        assert_eq!(rows.rows[2][3], Cell { text: "0.5".into(), changed: false });
        let step = &view.steps[0];
        assert_eq!(step.headline, "added 1, removed 1, changed 1, unchanged 1 (3 rows → 3; paired by id)");
        assert_eq!(step.details, ["rank: changed 1"], "columns that did not change are left out");
        assert_eq!(view.notes, ["Only in the baseline: STEP_9"]);
        assert!(view.any_change());
    }

    #[test]
    fn a_step_that_could_not_be_compared_says_why() {
        let view = ChangesView::from_diff(&RunDiff {
            steps: vec![StepDiff { step: "STEP_1".into(), diff: Err("diff: boom".into()) }],
            only_base: Vec::new(),
            only_new: Vec::new(),
        });
        assert_eq!(view.steps[0].headline, "could not be compared: diff: boom");
        assert_eq!(view.output, None);
    }
}
