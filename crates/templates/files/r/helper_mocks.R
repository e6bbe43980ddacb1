# Dataflow mocks for the unit test (testthat loads helper files first): read a mock YAML file,
# make it a Spark table, and compare a result with an expected mock, as Dataflow Playground does:
# cells read by their column's type (YAML 1.2: `NO` is text, plain `null` is NULL), rows in any
# order unless `ordered: true`, doubles equal within `tolerance` (default 1e-9) x
# max(1, |expected|, |actual|), NaN equals NaN.

DEFAULT_TOLERANCE <- 1e-9

# Every scalar is read as its text, so that each cell is read by its column's type below.
as_text <- function(x) x
TEXT_HANDLERS <- list(
  "bool#yes" = as_text, "bool#no" = as_text, "int" = as_text, "int#hex" = as_text,
  "int#oct" = as_text, "int#base60" = as_text, "float" = as_text, "float#base60" = as_text,
  "float#nan" = as_text, "float#inf" = as_text, "float#neginf" = as_text, "float#fix" = as_text,
  "timestamp#iso8601" = as_text, "timestamp#spaced" = as_text, "timestamp#ymd" = as_text
)

spark_type <- function(type) {
  base <- toupper(trimws(sub("\\(.*", "", type)))
  switch(base,
    BYTE = "TINYINT", SHORT = "SMALLINT", INTEGER = "INT", LONG = "BIGINT", REAL = "FLOAT",
    VARCHAR = , CHAR = , TEXT = "STRING", BOOL = "BOOLEAN", base
  )
}

cell_value <- function(text, type) {
  if (is.null(text)) {
    return(switch(spark_type(type),
      STRING = NA_character_, BOOLEAN = NA, DATE = as.Date(NA), TINYINT = , SMALLINT = , INT = NA_integer_,
      NA_real_
    ))
  }
  switch(spark_type(type),
    STRING = as.character(text),
    TINYINT = , SMALLINT = , INT = as.integer(text),
    BIGINT = as.numeric(text),
    FLOAT = , DOUBLE = switch(tolower(text), ".nan" = NaN, ".inf" = Inf, "+.inf" = Inf, "-.inf" = -Inf, as.numeric(text)),
    BOOLEAN = tolower(text) == "true",
    DATE = as.Date(text),
    stop("type ", type, " is not held by mocks")
  )
}

read_mock <- function(path) {
  doc <- yaml::read_yaml(path, handlers = TEXT_HANDLERS)
  names <- vapply(doc$columns, function(c) c$name, "")
  types <- vapply(doc$columns, function(c) toupper(trimws(c$type)), "")
  columns <- lapply(seq_along(names), function(i) {
    values <- lapply(doc$rows, function(row) {
      if (length(row) != length(names)) stop(path, ": a row has ", length(row), " cells for ", length(names), " columns")
      cell_value(row[[i]], types[[i]])
    })
    if (length(values) == 0) cell_value(NULL, types[[i]])[0] else do.call(c, values)
  })
  rows <- tibble::as_tibble(stats::setNames(columns, names))
  list(
    table = doc$table,
    types = stats::setNames(types, names),
    rows = rows,
    ordered = isTRUE(doc$ordered == "true" || isTRUE(doc$ordered)),
    tolerance = if (is.null(doc$tolerance)) DEFAULT_TOLERANCE else as.numeric(doc$tolerance)
  )
}

# Writes a mock as the catalog table it names (`some_db.source_table`), with its column types.
create_mock_table <- function(sc, mock) {
  parts <- strsplit(mock$table, ".", fixed = TRUE)[[1]]
  if (length(parts) == 2) invisible(sdf_sql(sc, paste0("CREATE DATABASE IF NOT EXISTS `", parts[[1]], "`")))
  staged <- copy_to(sc, mock$rows, name = "dataflow_mock_rows", overwrite = TRUE)
  casts <- paste0("CAST(`", names(mock$types), "` AS ", vapply(mock$types, spark_type, ""), ") AS `", names(mock$types), "`")
  invisible(sdf_sql(sc, paste0("DROP TABLE IF EXISTS ", mock$table)))
  invisible(sdf_sql(sc, paste0("CREATE TABLE ", mock$table, " AS SELECT ", paste(casts, collapse = ", "), " FROM dataflow_mock_rows")))
}

substitute_params <- function(text, params) {
  for (name in regmatches(text, gregexpr("\\$\\{[^}]*\\}", text))[[1]]) {
    key <- trimws(substr(name, 3, nchar(name) - 1))
    if (is.null(params[[key]])) stop("unknown parameter ", name)
    text <- gsub(name, params[[key]], text, fixed = TRUE)
  }
  text
}

without_table_format <- function(ddl) {
  sub(";\\s*$", "", trimws(gsub("(?i)\\bSTORED\\s+AS\\s+\\w+", "", ddl, perl = TRUE)))
}

values_equal <- function(e, a, tolerance) {
  if (is.na(e) && !is.nan(e) || is.na(a) && !is.nan(a)) return(is.na(e) && !is.nan(e) && is.na(a) && !is.nan(a))
  if (is.numeric(e) && is.numeric(a)) {
    if (is.nan(e) || is.nan(a)) return(is.nan(e) && is.nan(a))
    if (is.infinite(e) || is.infinite(a)) return(e == a)
    return(abs(e - a) <= tolerance * max(1, abs(e), abs(a)))
  }
  identical(as.character(e), as.character(a))
}

# Row i of a table as text: `title_id = 4, country_code = BR, view_hours = 12.5`.
row_text <- function(rows, i) {
  paste(vapply(names(rows), function(name) paste(name, "=", format(rows[[name]][[i]])), ""), collapse = ", ")
}

expect_equal_mock <- function(actual_tbl, expected) {
  actual <- collect(actual_tbl)
  names(actual) <- tolower(names(actual))
  wanted <- tolower(names(expected$types))
  expect_setequal(names(actual), wanted)
  actual <- actual[wanted]
  rows_equal <- function(i, j) {
    all(vapply(seq_along(wanted), function(k) values_equal(expected$rows[[k]][[i]], actual[[k]][[j]], expected$tolerance), TRUE))
  }
  problems <- character()
  if (expected$ordered) {
    if (nrow(actual) != nrow(expected$rows)) problems <- c(problems, "the row counts differ")
    for (i in seq_len(min(nrow(actual), nrow(expected$rows)))) {
      if (!rows_equal(i, i)) {
        problems <- c(problems, paste0("row ", i, ": expected ", row_text(expected$rows, i), "; actual ", row_text(actual, i)))
      }
    }
  } else {
    unmatched <- seq_len(nrow(actual))
    for (i in seq_len(nrow(expected$rows))) {
      found <- Filter(function(j) rows_equal(i, j), unmatched)
      if (length(found) == 0) {
        problems <- c(problems, paste("missing:", row_text(expected$rows, i)))
      } else {
        unmatched <- setdiff(unmatched, found[[1]])
      }
    }
    for (j in unmatched) problems <- c(problems, paste("unexpected:", row_text(actual, j)))
  }
  expect(length(problems) == 0, paste0(
    length(problems), " difference(s) with ", expected$table, " (doubles within ", expected$tolerance, "):\n",
    paste(problems, collapse = "\n")
  ))
}
