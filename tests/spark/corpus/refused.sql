-- query: qualify_clause
-- covers: qualify, row_number
SELECT id, country_code
FROM plays
QUALIFY ROW_NUMBER() OVER (PARTITION BY country_code ORDER BY id) = 1

-- query: unknown_function
-- covers: unknown function
SELECT no_such_function(title) AS x FROM plays

-- query: datafusion_only_function
-- covers: unknown function, arrow_typeof
SELECT arrow_typeof(id) AS t FROM plays

-- query: datafusion_make_array
-- covers: unknown function, make_array
SELECT make_array(1, 2, 3) AS a

-- query: select_star_exclude
-- covers: select * exclude
SELECT * EXCLUDE (tags) FROM plays

-- query: union_by_name
-- covers: union by name
SELECT title_id, country_code FROM plays WHERE id = 1
UNION ALL BY NAME
SELECT country_code, title_id FROM plays WHERE id = 8

-- query: distinct_on
-- covers: distinct on
SELECT DISTINCT ON (country_code) country_code, id FROM plays ORDER BY country_code, id

-- query: top_n_tsql
-- covers: top
SELECT TOP 3 id FROM plays

-- query: mysql_limit_offset_comma
-- covers: limit
SELECT id FROM plays ORDER BY id LIMIT 2, 3

-- query: isnull_two_args
-- covers: isnull, wrong number of arguments
SELECT isnull(title, 'x') AS t FROM plays

-- query: wrong_argument_count
-- covers: wrong number of arguments, upper
SELECT upper(title, country_code) AS x FROM plays

-- query: wrong_argument_type_array_contains
-- covers: wrong argument type, array_contains
SELECT array_contains(tags, 'kids') AS x FROM plays

-- query: wrong_argument_type_date_add
-- covers: wrong argument type, date_add
SELECT date_add(playback_date, 1.5) AS x FROM plays

-- query: wrong_argument_type_explode
-- covers: wrong argument type, explode
SELECT explode(tags) AS x FROM plays

-- query: unresolved_column
-- covers: unresolved column
SELECT hours FROM plays

-- query: unknown_table
-- covers: unknown table
SELECT * FROM no_such_table

-- query: ambiguous_column_in_join
-- covers: ambiguous reference, inner join
SELECT title_id FROM plays p JOIN titles t ON p.title_id = t.title_id

-- query: missing_group_by_column
-- covers: missing aggregation, group by
SELECT country_code, title, COUNT(*) AS n FROM plays GROUP BY country_code

-- query: nested_aggregate
-- covers: nested aggregate, sum, count
SELECT SUM(COUNT(*)) AS x FROM plays GROUP BY country_code

-- query: aggregate_in_where
-- covers: aggregate in where, where
SELECT country_code FROM plays WHERE SUM(view_hours) > 1 GROUP BY country_code

-- query: window_in_where
-- covers: window in where, row_number
SELECT id FROM plays WHERE ROW_NUMBER() OVER (ORDER BY id) = 1

-- query: order_by_ordinal_out_of_range
-- covers: order by ordinal
SELECT id, title FROM plays ORDER BY 3

-- query: group_by_ordinal_out_of_range
-- covers: group by ordinal
SELECT country_code, COUNT(*) AS n FROM plays GROUP BY 5

-- query: group_by_aggregate_ordinal
-- covers: group by ordinal, count
SELECT country_code, COUNT(*) AS n FROM plays GROUP BY 1, 2

-- query: union_column_count_mismatch
-- covers: union all, column count
SELECT id, title FROM plays UNION ALL SELECT title_id FROM titles

-- query: union_incompatible_types
-- covers: union all, type coercion
SELECT array(1) AS x UNION ALL SELECT map('a', 1)

-- query: where_not_boolean
-- covers: where, boolean
SELECT id FROM plays WHERE id

-- query: having_without_aggregate_column
-- covers: having, unresolved column
SELECT country_code, COUNT(*) AS n FROM plays GROUP BY country_code HAVING view_hours > 1

-- query: week_based_pattern
-- covers: date_format, week-based pattern, yyyy
SELECT date_format(playback_date, 'YYYY-MM-dd') AS x FROM plays

-- query: invalid_datetime_pattern_letter
-- covers: date_format, invalid pattern
SELECT date_format(playback_date, 'yyyy-MM-dd qqqqq') AS x FROM plays

-- query: window_without_order_for_rank
-- covers: rank, window, order by required
SELECT id, RANK() OVER (PARTITION BY country_code) AS r FROM plays

-- query: lag_with_frame
-- covers: lag, window frame
SELECT id, LAG(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS x FROM plays

-- query: trailing_comma_select
-- covers: syntax error
SELECT id, title, FROM plays

-- query: backtick_vs_double_quote_identifier
-- covers: identifier quoting, unresolved column
SELECT `no such col` FROM plays

-- query: count_distinct_window
-- covers: count distinct, window
SELECT id, COUNT(DISTINCT title_id) OVER (PARTITION BY country_code) AS n FROM plays

-- query: generator_in_where
-- covers: explode, where
SELECT id FROM plays WHERE explode(split(tags, ',')) = 'kids'

-- query: empty_in_list
-- covers: in, syntax error
SELECT id FROM plays WHERE id IN ()

-- query: limit_negative
-- covers: limit
SELECT id FROM plays LIMIT -1

-- query: scalar_subquery_multiple_rows
-- covers: scalar subquery, more than one row
SELECT id, (SELECT title_id FROM titles) AS t FROM plays

-- query: array_contains_null_literal
-- covers: array_contains, null literal, wrong argument type
SELECT array_contains(array(1, 2), NULL) AS x

-- query: iff_function
-- covers: unknown function, iff
SELECT iff(view_hours > 1, 'long', 'short') AS x FROM plays

-- query: printf_float_format_of_decimal
-- covers: printf, format_string, decimal literal
SELECT printf('%.2f', 3.14159) AS x
