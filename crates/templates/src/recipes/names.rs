//! What a recipe's own language makes of the short name, checked before anything is generated:
//! the Scala recipe names its object after it (`daily_top` → `DailyTop`), the sparklyr recipe its
//! R package (`daily.top`). [`crate::Options::validated`] refuses a short name that would make code
//! that does not compile or a package R does not install, with a message naming the option.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::options::Recipe;
use crate::text::upper_camel;

/// Why `short_name` (already normalised: lower-case ASCII letters, digits and `_`, starting with
/// a letter) cannot name `recipe`'s project, or `None`.
pub(crate) fn short_name_problem(recipe: Recipe, short_name: &str) -> Option<String> {
    match recipe {
        Recipe::Scala => {
            let object = upper_camel(short_name);
            scala_names_in_use().contains(&object).then(|| {
                format!(
                    "{short_name:?} would name the Scala object {object}, a name the project's code already uses: \
                     choose another short name"
                )
            })
        }
        Recipe::Sparklyr => {
            let package = r_package(short_name);
            if short_name.len() < 2 || short_name.ends_with('_') {
                Some(format!(
                    "{short_name:?} would name the R package {package:?}: R wants at least two characters, \
                     not ending in `.` (a trailing _)"
                ))
            } else if R_RESERVED.contains(&short_name) {
                Some(format!("{short_name:?} is a reserved word in R: choose another short name"))
            } else {
                None
            }
        }
        Recipe::SparkSql | Recipe::Pyspark => None,
    }
}

/// The R package's name: the short name with `_` as `.` (R package names have no `_`).
pub(crate) fn r_package(short_name: &str) -> String {
    short_name.replace('_', ".")
}

/// R's reserved words that a short name (lower case) can spell.
const R_RESERVED: &[&str] = &["if", "else", "repeat", "while", "function", "for", "in", "next", "break"];

/// The capitalised names the Scala project's code refers to (imports, types, objects such as
/// `DataflowMocks`, `SparkSession`, `Window`, `Seq`), read from its templates with comments and
/// string literals left out: an object of the same name in package `dataflow` would clash with
/// them. Read from the templates, so the list follows them; read once (the gallery checks the
/// options on every edit).
fn scala_names_in_use() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(read_scala_names)
}

fn read_scala_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for text in super::scala::SOURCES {
        let code = scala_code_only(&text.replace("{{object}}", "object_"));
        for word in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.starts_with(|c: char| c.is_ascii_uppercase()) {
                names.insert(word.to_string());
            }
        }
    }
    names
}

/// Scala source without its comments and string literals (each replaced by a space).
fn scala_code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (skip_to, end) = if rest.starts_with("//") {
            (rest.find('\n'), 0)
        } else if rest.starts_with("/*") {
            (rest.find("*/"), 2)
        } else if let Some(after) = rest.strip_prefix("\"\"\"") {
            (after.find("\"\"\"").map(|i| i + 3), 3)
        } else if c == '"' {
            (closing_quote(rest), 1)
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        out.push(' ');
        rest = skip_to.and_then(|i| rest.get(i + end..)).unwrap_or("");
    }
    out
}

/// The byte index of the `"` that closes the string literal `text` starts with.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scala_names_come_from_the_code_not_its_comments_or_strings() {
        let names = scala_names_in_use();
        for used in ["DataflowMocks", "SparkSession", "DataFrame", "Window", "Seq", "Map", "Row", "Yaml", "AnyFunSuite"]
        {
            assert!(names.contains(used), "{used} is used by the Scala project: {names:?}");
        }
        // "Spark's", "YAML", "STORED AS" and "Dataflow" appear only in comments and strings.
        for unused in ["Spark", "YAML", "STORED", "Dataflow", "Test"] {
            assert!(!names.contains(unused), "{unused} is not code: {names:?}");
        }
        assert_eq!(scala_code_only("a // x \"\nb /* Y */ c \"Z\\\"W\" d \"\"\"V\"\"\" e"), "a  \nb   c   d   e");
    }

    #[test]
    fn each_recipe_refuses_only_what_its_language_cannot_take() {
        for (recipe, name, refused) in [
            (Recipe::Scala, "dataflow_mocks", true),
            (Recipe::Scala, "spark_session", true),
            (Recipe::Scala, "window", true),
            (Recipe::Scala, "seq", true),
            (Recipe::Scala, "spark", false),
            (Recipe::Scala, "daily_top_titles", false),
            (Recipe::Sparklyr, "x", true),
            (Recipe::Sparklyr, "daily_", true),
            (Recipe::Sparklyr, "function", true),
            (Recipe::Sparklyr, "x2", false),
            (Recipe::Pyspark, "x", false),
            (Recipe::SparkSql, "window", false),
        ] {
            assert_eq!(short_name_problem(recipe, name).is_some(), refused, "{recipe} {name}");
        }
    }
}
