# The stand-in's sparklyr: a connection is a socket to tests/spark/sparklyr/server.py, which holds
# the pyspark session. A lazy table is dbplyr's, over a Spark table or temporary view; dbplyr
# renders it to Spark SQL with the translation below, and the server runs that SQL. Each function
# does what sparklyr's does to Spark (read from its source, sparklyr 1.9.x):
#   tbl(sc, name)                 the table's columns, a lazy table over it
#   sdf_sql(sc, sql)              runs the SQL now, registers its result as a temporary view
#   sdf_register(x, name)         registers x's query as the temporary view `name`
#   copy_to(sc, df, name)         an R data frame as a temporary view (character, integer,
#                                 double, logical and Date columns)
#   collect(x)                    x's rows as a tibble (bigint as double, as sparklyr)
#   spark_insert_table(x, name, mode, overwrite)
#                                 insertInto `name`: "overwrite" only when overwrite = TRUE,
#                                 otherwise "append"; sparklyr ignores `mode` and so does this
# The translation is sparklyr's `spark_sql_translation()`: dbplyr's base translators, sparklyr's
# overrides the recipes can reach mirrored, and every other sparklyr override refused with an
# error, so that a recipe that starts to use one fails here rather than being rendered by a rule
# sparklyr does not use. Identifiers are quoted with backticks and strings with double quotes, as
# sparklyr's DBI methods do.

methods::setOldClass("spark_connection")

methods::setMethod("dbQuoteIdentifier", c("spark_connection", "character"), function(conn, x, ...) {
  if (methods::is(x, "SQL")) return(x)
  if (any(grepl("`", x, fixed = TRUE))) stop("Can't escape back tick from string")
  DBI::SQL(paste0("`", x, "`"))
})

methods::setMethod("dbQuoteString", c("spark_connection", "character"), function(conn, x, ...) {
  DBI::SQL(paste0('"', gsub('"', '\\\\"', x), '"'))
})

dbplyr_edition.spark_connection <- function(con) 2L

not_mirrored <- function(name) {
  function(...) stop("sparklyr translates ", name, "() its own way; the CI stand-in does not mirror it")
}

sql_translation.spark_connection <- function(con) {
  cast <- function(type) function(x) dbplyr::build_sql("CAST(", x, " AS ", dbplyr::sql(type), ")", con = con)
  refused <- function(names) stats::setNames(lapply(names, not_mirrored), names)
  dbplyr::sql_variant(
    do.call(dbplyr::sql_translator, c(
      list(
        .parent = dbplyr::base_scalar,
        as.numeric = cast("DOUBLE"), as.double = cast("DOUBLE"), as.integer = cast("INT"),
        as.logical = cast("BOOLEAN"), as.character = cast("STRING"), as.date = cast("DATE"),
        as.Date = cast("DATE"),
        xor = function(x, y) dbplyr::build_sql(x, " ^ ", y, con = con),
        or = function(x, y) dbplyr::build_sql(x, " OR ", y, con = con),
        and = function(x, y) dbplyr::build_sql(x, " AND ", y, con = con)
      ),
      refused(c("paste", "paste0", "pmin", "pmax", "ifelse", "if_else", "grepl", "rowSums", "transform",
        "filter", "aggregate", "exists", "zip_with", "array_sort", "map_filter", "forall",
        "transform_keys", "transform_values", "map_zip_with"))
    )),
    do.call(dbplyr::sql_translator, c(
      list(.parent = dbplyr::base_agg, n = function() dbplyr::sql("COUNT(*)")),
      refused(c("n_distinct", "cor", "cov", "sd", "var", "weighted.mean"))
    )),
    do.call(dbplyr::sql_translator, c(
      list(.parent = dbplyr::base_win),
      refused(c("lag", "lead", "n_distinct", "cor", "cov", "sd", "var", "weighted.mean", "cumprod"))
    ))
  )
}

# One request to the server, one reply (a JSON line each way); a Spark error stops with its text.
ask <- function(sc, op, ...) {
  writeLines(jsonlite::toJSON(list(op = op, ...), auto_unbox = TRUE, null = "null", na = "null", digits = NA), sc$socket)
  reply <- readLines(sc$socket, n = 1)
  if (length(reply) == 0) stop("the Spark stand-in's server closed the connection")
  reply <- jsonlite::fromJSON(reply, simplifyVector = FALSE)
  if (!is.null(reply$error)) stop("Spark: ", reply$error, call. = FALSE)
  reply
}

spark_connect <- function(master, version = NULL, app_name = "sparklyr", config = list(), ...) {
  address <- strsplit(Sys.getenv("SPARKLYR_STANDIN", ""), ":", fixed = TRUE)[[1]]
  if (length(address) != 2) stop("SPARKLYR_STANDIN is not host:port of tests/spark/sparklyr/server.py")
  socket <- socketConnection(address[[1]], as.integer(address[[2]]), blocking = TRUE, open = "r+b", timeout = 600)
  sc <- structure(list(socket = socket, master = master), class = c("spark_connection", "DBIConnection"))
  config <- lapply(config, as.character)
  ask(sc, "connect", master = master, version = version, app_name = app_name, config = config)
  sc
}

spark_disconnect <- function(sc, ...) {
  ask(sc, "disconnect")
  close(sc$socket)
  invisible(NULL)
}

# A lazy table over the Spark table or view `name`, whose columns the server gave.
lazy <- function(sc, name, columns) {
  from <- if (grepl(".", name, fixed = TRUE)) {
    parts <- strsplit(name, ".", fixed = TRUE)[[1]]
    dbplyr::in_schema(parts[[1]], parts[[2]])
  } else {
    dbplyr::ident(name)
  }
  dbplyr::tbl_sql("spark", dbplyr::src_dbi(sc), from, vars = as.character(unlist(columns)))
}

connection_of <- function(x) x$src$con

tbl.spark_connection <- function(src, from, ...) {
  lazy(src, from, ask(src, "table", name = from)$columns)
}

sdf_sql <- function(sc, sql) {
  reply <- ask(sc, "sql", sql = as.character(sql))
  lazy(sc, reply$name, reply$columns)
}

sdf_register <- function(x, name = NULL) {
  sc <- connection_of(x)
  reply <- ask(sc, "register", sql = as.character(dbplyr::sql_render(x)), name = name)
  lazy(sc, reply$name, reply$columns)
}

sdf_repartition <- function(x, partitions = NULL, partition_by = NULL) {
  if (!is.null(partition_by)) stop("the CI stand-in repartitions by a number of partitions only")
  sc <- connection_of(x)
  reply <- ask(sc, "repartition", sql = as.character(dbplyr::sql_render(x)), partitions = partitions)
  lazy(sc, reply$name, reply$columns)
}

sdf_nrow <- function(x) {
  ask(connection_of(x), "count", sql = as.character(dbplyr::sql_render(x)))$n
}

spark_insert_table <- function(x, name, mode = NULL, overwrite = FALSE, options = list(), ...) {
  mode <- if (isTRUE(overwrite)) "overwrite" else "append"
  ask(connection_of(x), "insert", sql = as.character(dbplyr::sql_render(x)), table = name, mode = mode)
  invisible(NULL)
}

SPARK_TYPES <- c(character = "string", integer = "int", double = "double", logical = "boolean")

copy_to.spark_connection <- function(dest, df, name = deparse(substitute(df)), overwrite = FALSE, ...) {
  types <- vapply(df, function(column) {
    if (inherits(column, "Date")) "date" else SPARK_TYPES[[typeof(column)]]
  }, "")
  # Every cell as text (or null), read by its column's type on the server: no JSON number loses digits.
  cells <- lapply(df, function(column) {
    text <- if (is.double(column) && !inherits(column, "Date")) sprintf("%.17g", column) else as.character(column)
    text[is.na(column) & !is.nan(column)] <- NA
    as.list(text)
  })
  reply <- ask(dest, "copy",
    name = name, columns = lapply(seq_along(df), function(i) list(name = names(df)[[i]], type = types[[i]])),
    cells = unname(cells)
  )
  lazy(dest, reply$name, reply$columns)
}

collect.tbl_spark <- function(x, ...) {
  reply <- ask(connection_of(x), "collect", sql = as.character(dbplyr::sql_render(x)))
  columns <- lapply(seq_along(reply$columns), function(i) {
    cells <- lapply(reply$rows, function(row) row[[i]])
    as_r(cells, reply$types[[i]])
  })
  tibble::as_tibble(stats::setNames(columns, unlist(reply$columns)))
}

# A column of the server's cells (text for dates and non-finite doubles) as R's type for it.
as_r <- function(cells, type) {
  cells <- lapply(cells, function(cell) if (is.null(cell)) NA else cell)
  base <- sub("\\(.*", "", type)
  switch(base,
    string = as.character(unlist(cells)),
    tinyint = , smallint = , int = as.integer(unlist(cells)),
    bigint = , float = , double = , decimal = as.numeric(vapply(cells, function(c) {
      if (is.character(c)) switch(c, "NaN" = NaN, "Infinity" = Inf, "-Infinity" = -Inf) else as.numeric(c)
    }, 0)),
    boolean = as.logical(unlist(cells)),
    date = as.Date(unlist(cells)),
    stop("the CI stand-in does not collect Spark type ", type)
  )
}
