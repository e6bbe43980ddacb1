# Unit test of src/sparklyr_write.R ({{workflow_id}}): the transform and the write on the mocks,
# on a local Spark, compared with src/mocks/{{expected_mock_file}}.

project <- file.path("..", "..")
source(file.path(project, "src", "sparklyr_write.R"))

RUN_DATE <- "{{run_date}}"
PARAMS <- list(date = RUN_DATE, TARGET_DB = "{{target_db}}")
TARGET <- "{{target_db}}.{{target_table}}"
WRITTEN <- "{{written_query}}"
WRITE_COLUMNS <- c({{write_columns}})

sc <- spark_connect(
  master = "local[1]",
  version = "{{spark_version}}",
  app_name = "{{short_name}}-unit-test",
  config = list(
    "spark.ui.enabled" = "false",
    "spark.sql.shuffle.partitions" = 1,
    "spark.default.parallelism" = 1,
    "spark.sql.session.timeZone" = "UTC",
    "spark.sql.warehouse.dir" = tempfile("spark-warehouse")
  )
)
withr::defer(spark_disconnect(sc), teardown_env())

expected <- read_mock(file.path(project, "src", "mocks", "{{expected_mock_file}}"))

# The input mock as {{source_table}}, and an empty target table made by ddl/{{ddl_file}} (its
# `STORED AS` clause dropped: Spark's default format stands in for production's).
tables <- function() {
  create_mock_table(sc, read_mock(file.path(project, "src", "mocks", "{{input_mock_file}}")))
  ddl <- paste(readLines(file.path(project, "ddl", "{{ddl_file}}"), encoding = "UTF-8"), collapse = "\n")
  invisible(sdf_sql(sc, paste0("CREATE DATABASE IF NOT EXISTS `", PARAMS$TARGET_DB, "`")))
  invisible(sdf_sql(sc, paste0("DROP TABLE IF EXISTS ", TARGET)))
  invisible(sdf_sql(sc, without_table_format(substitute_params(ddl, PARAMS))))
}

run_write <- function(date) {
  write_output(sc, transform(sc, date, PARAMS$TARGET_DB), TARGET, date)
}

written <- function(date) {
  sdf_sql(sc, substitute_params(WRITTEN, modifyList(PARAMS, list(date = date)))) |>
    select(-any_of(WRITE_COLUMNS))
}

test_that("the transform gives the expected rows", {
  tables()
  expect_equal_mock(transform(sc, RUN_DATE, PARAMS$TARGET_DB), expected)
})

test_that("the write gives the expected rows", {
  tables()
  run_write(RUN_DATE)
  expect_equal_mock(written(RUN_DATE), expected)
})

test_that("a rerun replaces the run date's rows and keeps other days", {
  skip_if(length(WRITE_COLUMNS) == 0, "the target table has no partition: a write replaces all of it")
  tables()
  day_before <- format(as.Date(RUN_DATE) - 1)
  run_write(day_before)
  rows_of_the_day_before <- sdf_nrow(written(day_before))
  run_write(RUN_DATE)
  run_write(RUN_DATE)
  expect_equal_mock(written(RUN_DATE), expected)
  expect_equal(sdf_nrow(written(day_before)), rows_of_the_day_before)
})
