//! The template gallery's logic: the editor language of a file, and a line diff against the
//! default template. The options a user sets over a recipe's defaults are the templates'
//! [`OptionEdits`], applied there as the CLI's flags are.

use dataflow_engine::PipelineSpec;
pub use dataflow_templates::OptionEdits;
use dataflow_templates::{render, zip_bytes, FileLanguage, Project, Recipe};

use crate::view_model::Language;

/// A recipe's project for `spec` with the user's option edits, zipped: the zip's file name and
/// its bytes (what "Download zip" saves).
pub fn project_zip(spec: &PipelineSpec, edits: &OptionEdits, recipe: Recipe) -> Result<(String, Vec<u8>), String> {
    let options = edits.options(recipe, spec).map_err(|e| e.to_string())?;
    let project = render(spec, &options).map_err(|e| e.to_string())?;
    let bytes = zip_bytes(&project).map_err(|e| e.to_string())?;
    Ok((format!("{}.zip", project.options.short_name), bytes))
}

/// The file a recipe's preview opens first: its transform (the Scala recipe's main source).
pub fn transform_path(project: &Project) -> Option<String> {
    let name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    project
        .files
        .iter()
        .find(|f| {
            let file = name(&f.path);
            (file.contains("_write.") && !file.starts_with("test")) || f.path.contains("/main/scala/")
        })
        .or_else(|| project.files.first())
        .map(|f| f.path.clone())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn same(t: &str) -> DiffLine {
        DiffLine::Same(t.into())
    }
    fn added(t: &str) -> DiffLine {
        DiffLine::Added(t.into())
    }
    fn removed(t: &str) -> DiffLine {
        DiffLine::Removed(t.into())
    }

    #[test]
    fn a_changed_line_is_removed_then_added_between_the_same_lines() {
        let old = "SELECT\n  a,\n  b\nFROM t";
        let new = "SELECT\n  a,\n  c\nFROM t";
        assert_eq!(
            line_diff(old, new),
            Some(vec![same("SELECT"), same("  a,"), removed("  b"), added("  c"), same("FROM t")])
        );
    }

    #[test]
    fn inserted_and_deleted_lines_keep_the_common_ones_in_order() {
        assert_eq!(
            line_diff("a\nb\nc", "a\nx\nb\nc\ny"),
            Some(vec![same("a"), added("x"), same("b"), same("c"), added("y")])
        );
        assert_eq!(line_diff("a\nb\nc", "c"), Some(vec![removed("a"), removed("b"), same("c")]));
        assert_eq!(line_diff("", "only"), Some(vec![added("only")]));
        assert_eq!(line_diff("same\n", "same"), Some(vec![same("same")]), "a trailing newline is not a line");
    }

    #[test]
    fn files_too_large_to_compare_are_not_diffed() {
        let big = "line\n".repeat(2_001);
        assert_eq!(line_diff(&big, &big), None, "2,001 × 2,001 lines is over the limit");
        let under = "line\n".repeat(2_000);
        assert_eq!(line_diff(&under, &under).map(|d| d.len()), Some(2_000));
    }

    #[test]
    fn the_zip_is_named_after_the_short_name_and_opens_as_a_zip() {
        let edits = OptionEdits { short_name: Some("my_flow".into()), ..OptionEdits::default() };
        let (name, bytes) = project_zip(&PipelineSpec::sample(), &edits, Recipe::SparkSql).expect("zips");
        assert_eq!(name, "my_flow.zip");
        assert_eq!(bytes.get(..4), Some(&b"PK\x03\x04"[..]), "a zip starts with a local file header");
        let typo = OptionEdits { top_n: Some("-".into()), ..OptionEdits::default() };
        assert!(project_zip(&PipelineSpec::sample(), &typo, Recipe::SparkSql).is_err());
    }
}
