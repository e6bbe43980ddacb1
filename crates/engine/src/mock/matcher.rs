//! Pairing the expected rows with the output's (part of the unit test, [`super::unit_test`]):
//! equal rows first, in order or in any order; then what is left is paired into changed rows
//! (by the expected mock's key when it has one, else by the most equal cells, within
//! [`MAX_PAIRINGS`] comparisons), and the rest is missing or unexpected.

use std::collections::HashMap;

use super::unit_test::{cells_equal, compare_rows, CellChange, ChangedRow, DiffRow, TestDiff};
use super::{Cell, Mock, MockRow};

/// Beyond this many (leftover expected × leftover actual) row pairs, rows that differ in more than
/// their doubles are not paired up as "changed" but listed as missing and unexpected.
const MAX_PAIRINGS: usize = 250_000;

pub(super) struct Matcher<'a> {
    pub expected: &'a Mock,
    pub want: &'a [Vec<Cell>],
    pub got: &'a [Vec<Cell>],
    pub tolerance: f64,
    pub key: Option<Vec<usize>>,
    pub diff: &'a mut TestDiff,
}

impl Matcher<'_> {
    pub fn run(mut self, ordered: bool) {
        let pairs = if ordered { self.pair_in_order() } else { self.pair_any_order() };
        let mut used_want = vec![false; self.want.len()];
        let mut used_got = vec![false; self.got.len()];
        for (w, g) in pairs {
            if let Some(u) = used_want.get_mut(w) {
                *u = true;
            }
            if let Some(u) = used_got.get_mut(g) {
                *u = true;
            }
            self.record_pair(w, g);
        }
        for (w, row) in self.want.iter().enumerate().filter(|(w, _)| !used_want.get(*w).copied().unwrap_or(true)) {
            self.diff.missing_rows.push(DiffRow { line: self.line(w), cells: texts(row) });
        }
        let mut unexpected: Vec<&Vec<Cell>> = self
            .got
            .iter()
            .enumerate()
            .filter(|(g, _)| !used_got.get(*g).copied().unwrap_or(true))
            .map(|(_, r)| r)
            .collect();
        let all: Vec<usize> = (0..self.diff.columns.len()).collect();
        unexpected.sort_by(|a, b| compare_rows(a, b, &all, |c| c));
        self.diff.unexpected_rows = unexpected.into_iter().map(|r| DiffRow { line: None, cells: texts(r) }).collect();
    }

    fn line(&self, want: usize) -> Option<usize> {
        self.expected.rows.get(want).and_then(MockRow::line)
    }

    fn equal(&self, w: usize, g: usize) -> bool {
        match (self.want.get(w), self.got.get(g)) {
            (Some(a), Some(b)) => a.iter().zip(b).all(|(x, y)| cells_equal(x, y, self.tolerance)),
            _ => false,
        }
    }

    /// Row i with row i.
    fn pair_in_order(&self) -> Vec<(usize, usize)> {
        (0..self.want.len().min(self.got.len())).map(|i| (i, i)).collect()
    }

    /// Equal rows first; then rows with the same key (or differing only in doubles) as changed;
    /// then the most alike of the rest, if at least half their cells are equal.
    fn pair_any_order(&self) -> Vec<(usize, usize)> {
        let bucket_of = |row: &[Cell]| -> String {
            match &self.key {
                Some(key) => key
                    .iter()
                    .map(|&i| row.get(i).map(ToString::to_string).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\u{1f}"),
                None => row
                    .iter()
                    .map(|c| if matches!(c, Cell::Float(_)) { String::new() } else { c.to_string() })
                    .collect::<Vec<_>>()
                    .join("\u{1f}"),
            }
        };
        let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
        for (g, row) in self.got.iter().enumerate() {
            buckets.entry(bucket_of(row)).or_default().push(g);
        }
        let mut pairs = Vec::new();
        let mut used_got = vec![false; self.got.len()];
        let mut leftover_want = Vec::new();
        for (w, row) in self.want.iter().enumerate() {
            let bucket = buckets.get(&bucket_of(row)).map(Vec::as_slice).unwrap_or_default();
            let free = |g: &&usize| !used_got.get(**g).copied().unwrap_or(true);
            let found = bucket.iter().filter(free).find(|&&g| self.equal(w, g)).or_else(|| bucket.iter().find(free));
            match found {
                Some(&g) => {
                    if let Some(u) = used_got.get_mut(g) {
                        *u = true;
                    }
                    pairs.push((w, g));
                }
                None => leftover_want.push(w),
            }
        }
        let leftover_got: Vec<usize> =
            (0..self.got.len()).filter(|g| !used_got.get(*g).copied().unwrap_or(true)).collect();
        pairs.extend(self.pair_alike(&leftover_want, leftover_got));
        pairs.sort_unstable();
        pairs
    }

    fn pair_alike(&self, want: &[usize], mut got: Vec<usize>) -> Vec<(usize, usize)> {
        if want.len().saturating_mul(got.len()) > MAX_PAIRINGS || self.key.is_some() {
            return Vec::new();
        }
        let width = self.diff.columns.len();
        let mut pairs = Vec::new();
        for &w in want {
            let alike = |g: usize| match (self.want.get(w), self.got.get(g)) {
                (Some(a), Some(b)) => a.iter().zip(b).filter(|(x, y)| cells_equal(x, y, self.tolerance)).count(),
                _ => 0,
            };
            let best =
                got.iter().enumerate().map(|(i, &g)| (alike(g), i)).max_by_key(|&(n, i)| (n, std::cmp::Reverse(i)));
            if let Some((n, i)) = best.filter(|&(n, _)| n > 0 && n * 2 >= width) {
                let _ = n;
                pairs.push((w, got.remove(i)));
            }
        }
        pairs
    }

    fn record_pair(&mut self, w: usize, g: usize) {
        let (Some(want), Some(got)) = (self.want.get(w), self.got.get(g)) else { return };
        let changes: Vec<CellChange> = want
            .iter()
            .zip(got)
            .enumerate()
            .filter(|(_, (e, a))| !cells_equal(e, a, self.tolerance))
            .map(|(i, (e, a))| CellChange {
                column_index: i,
                column: self.diff.columns.get(i).cloned().unwrap_or_default(),
                expected: e.to_string(),
                actual: a.to_string(),
            })
            .collect();
        if changes.is_empty() {
            self.diff.matched_rows += 1;
            return;
        }
        let key = match (&self.key, self.expected.rows.get(w)) {
            (Some(_), Some(row)) => self.expected.key_text(row, &self.expected.key_indices().unwrap_or_default()),
            _ => format!("row {}", w + 1),
        };
        self.diff.changed_rows.push(ChangedRow {
            key,
            line: self.line(w),
            expected: texts(want),
            actual: texts(got),
            changes,
        });
    }
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
}
