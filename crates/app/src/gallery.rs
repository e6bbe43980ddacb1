//! The template gallery's logic: the editor language of a file, and a line diff against the
//! default template. The options a user sets over a recipe's defaults are the templates'
//! [`OptionEdits`], applied there as the CLI's flags are.

use dataflow_templates::FileLanguage;
pub use dataflow_templates::OptionEdits;

use crate::editor::Language;

/// The editor highlighting for a project file.
pub fn language(file: FileLanguage) -> Language {
    match file {
        FileLanguage::Sql => Language::Sql,
        FileLanguage::Python => Language::Python,
        FileLanguage::Scala => Language::Scala,
        FileLanguage::R => Language::R,
        FileLanguage::Yaml => Language::Yaml,
        FileLanguage::Toml => Language::Toml,
        FileLanguage::Ini => Language::Ini,
        FileLanguage::Groovy => Language::Groovy,
        FileLanguage::Markdown | FileLanguage::Text => Language::Text,
    }
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the user's file.
    Added(String),
    /// Only in the default template's.
    Removed(String),
}

/// Files longer than this (lines × lines) are not diffed line by line.
const MAX_DIFF_CELLS: usize = 4_000_000;

/// The lines of `new` against `old` (a longest common subsequence); `None` if too large.
pub fn line_diff(old: &str, new: &str) -> Option<Vec<DiffLine>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_DIFF_CELLS {
        return None;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let here = if a.get(i) == b.get(j) {
                lcs.get(i + 1).and_then(|r| r.get(j + 1)).map_or(0, |v| v + 1)
            } else {
                let down = lcs.get(i + 1).and_then(|r| r.get(j)).copied().unwrap_or(0);
                let right = lcs.get(i).and_then(|r| r.get(j + 1)).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = lcs.get_mut(i).and_then(|r| r.get_mut(j)) {
                *cell = here;
            }
        }
    }
    let at = |i: usize, j: usize| lcs.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                out.push(DiffLine::Same((*x).to_string()));
                i += 1;
                j += 1;
            }
            (Some(x), Some(_)) if at(i + 1, j) >= at(i, j + 1) => {
                out.push(DiffLine::Removed((*x).to_string()));
                i += 1;
            }
            (_, Some(y)) => {
                out.push(DiffLine::Added((*y).to_string()));
                j += 1;
            }
            (Some(x), None) => {
                out.push(DiffLine::Removed((*x).to_string()));
                i += 1;
            }
            (None, None) => break,
        }
    }
    Some(out)
}
