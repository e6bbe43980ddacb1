//! The Python test harness the `spark-sql` and `pyspark` recipes share: pytest fixtures, the
//! mock reader and comparison, `pyproject.toml` and `tox.ini`.

use crate::recipes::Context;
use crate::text::py_str;
use crate::ProjectFile;

const CONFTEST: &str = include_str!("../../files/python/conftest.py");
const DATAFLOW_MOCKS: &str = include_str!("../../files/python/dataflow_mocks.py");
const PYPROJECT: &str = include_str!("../../files/python/pyproject.toml");
const TOX: &str = include_str!("../../files/python/tox.ini");

/// `src/conftest.py`, `src/dataflow_mocks.py`, `pyproject.toml` and `tox.ini`.
pub(crate) fn harness(ctx: &Context) -> Vec<ProjectFile> {
    let (written_query, write_columns) = match &ctx.target.partition {
        Some(column) => (
            format!("SELECT * FROM ${{TARGET_DB}}.{} WHERE `{column}` = DATE '${{date}}'", ctx.target.table),
            py_str(column),
        ),
        None => (format!("SELECT * FROM ${{TARGET_DB}}.{}", ctx.target.table), String::new()),
    };
    vec![
        ProjectFile::new(
            "src/conftest.py",
            ctx.fill(CONFTEST, &[("written_query", &written_query), ("write_columns", &write_columns)]),
        ),
        ProjectFile::new("src/dataflow_mocks.py", DATAFLOW_MOCKS.to_string()),
        ProjectFile::new("pyproject.toml", ctx.fill(PYPROJECT, &[])),
        ProjectFile::new("tox.ini", ctx.fill(TOX, &[])),
    ]
}

/// The README's "Unit test" section for a Python recipe.
pub(crate) const TEST_README: &str = "Java 17 (or 21) and Python 3.9+:

```sh
tox          # or, in a virtualenv: pip install pyspark=={{spark_version}} pyyaml pytest && pytest
```";
