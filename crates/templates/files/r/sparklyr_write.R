# {{workflow_id}}: the write job of {{short_name}} in R, with sparklyr and dplyr
# (Dataflow sample workflow). transform() is the pipeline's steps as dplyr verbs, which sparklyr
# runs as Spark SQL; write_output() puts its rows into the run date's partition of the target
# table. The workflow runs it with the run date:
#   Rscript src/sparklyr_write.R --date YYYY-MM-DD [--target-db DB]{{written}}

suppressPackageStartupMessages({
  library(sparklyr)
  library(dplyr)
})

SOURCE_TABLE <- "{{source_table}}"
TARGET_DB <- "{{target_db}}"
TARGET_TABLE <- "{{target_table}}"
# The target table's columns in its order (the DDL's), the partition last.
TARGET_COLUMNS <- c({{target_columns}})

# The pipeline's steps for the run date `run_date` (YYYY-MM-DD): the target table's rows.
transform <- function(sc, run_date, target_db = TARGET_DB) {
{{body}}
}

# Replaces the run date's rows of `target_table` (`db.table`) by `output`, and only those.
write_output <- function(sc, output, target_table, run_date) {
  invisible(sdf_sql(sc, "SET spark.sql.sources.partitionOverwriteMode = dynamic"))
  output |>{{with_partition}}
    select(all_of(TARGET_COLUMNS)) |>
    sdf_repartition(partitions = 1) |>
    # overwrite = TRUE (sparklyr's insert ignores `mode`): with the dynamic mode set above, the
    # run date's partition is replaced and the others are kept.
    spark_insert_table(target_table, overwrite = TRUE)
}
{{with_params}}
main <- function(args = commandArgs(trailingOnly = TRUE)) {
  value <- function(name, default = NULL) {
    at <- match(name, args)
    if (is.na(at)) default else args[[at + 1]]
  }
  run_date <- value("--date")
  if (is.null(run_date)) stop("usage: --date YYYY-MM-DD [--target-db DB]")
  target_db <- value("--target-db", TARGET_DB)
  sc <- spark_connect(master = Sys.getenv("SPARK_MASTER", "yarn"), app_name = "{{short_name}}")
  on.exit(spark_disconnect(sc))
  write_output(sc, transform(sc, run_date, target_db), paste0(target_db, ".", TARGET_TABLE), run_date)
}

if (sys.nframe() == 0L) main()
