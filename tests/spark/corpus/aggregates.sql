-- query: sum_hours_by_country
-- covers: sum, group by
-- ordered
SELECT country_code, SUM(view_hours) AS hours
FROM plays
GROUP BY country_code
ORDER BY country_code

-- query: count_star_vs_count_col
-- covers: count, count(*)
SELECT COUNT(*) AS all_rows, COUNT(view_hours) AS with_hours, COUNT(title) AS with_title, COUNT(1) AS ones
FROM plays

-- query: count_distinct_per_country
-- covers: count distinct, group by
SELECT country_code, COUNT(DISTINCT title_id) AS titles, COUNT(DISTINCT user_id) AS users
FROM plays
GROUP BY country_code

-- query: count_distinct_multi
-- covers: count distinct
SELECT COUNT(DISTINCT country_code, title_id) AS pairs, COUNT(DISTINCT title) AS titles
FROM plays

-- query: avg_min_max
-- covers: avg, min, max, group by
SELECT country_code, AVG(view_hours) AS avg_hours, MIN(view_hours) AS min_hours, MAX(view_hours) AS max_hours
FROM plays
GROUP BY country_code

-- query: sum_of_small_doubles
-- covers: sum, double
SELECT SUM(view_hours) AS total, SUM(view_hours) * 10 AS times_ten
FROM plays
WHERE id IN (4, 6, 12)

-- query: min_max_strings_dates
-- covers: min, max, date, string
SELECT MIN(title) AS first_title, MAX(title) AS last_title,
       MIN(playback_date) AS first_day, MAX(playback_date) AS last_day
FROM plays

-- query: sum_int_is_bigint
-- covers: sum, avg, int
SELECT SUM(title_id) AS sum_ids, AVG(title_id) AS avg_id, SUM(user_id) AS sum_users
FROM plays

-- query: aggregate_empty_input
-- covers: count, sum, avg, max, where
SELECT COUNT(*) AS n, SUM(view_hours) AS total, AVG(view_hours) AS mean, MAX(title) AS top
FROM plays
WHERE country_code = 'XX'

-- query: group_by_empty_input
-- covers: count, group by, where
SELECT country_code, COUNT(*) AS n
FROM plays
WHERE country_code = 'XX'
GROUP BY country_code

-- query: filter_clause
-- covers: aggregate filter, count, sum
SELECT country_code,
       COUNT(*) FILTER (WHERE is_kids) AS kids_plays,
       SUM(view_hours) FILTER (WHERE playback_date = DATE '2022-01-01') AS hours_jan1
FROM plays
GROUP BY country_code

-- query: bool_aggregates
-- covers: bool_and, bool_or, every, some, any
SELECT country_code, bool_and(is_kids) AS all_kids, bool_or(is_kids) AS any_kids,
       every(view_hours > 0) AS all_positive, some(is_kids) AS some_kids
FROM plays
GROUP BY country_code

-- query: first_last_ignore_nulls
-- covers: first, last, ignore nulls, group by
SELECT title_id, first(title, true) AS first_title, last(title, true) AS last_title, COUNT(*) AS n
FROM plays
WHERE title_id IN (2, 3)
GROUP BY title_id

-- query: sum_distinct
-- covers: sum distinct, avg distinct
SELECT country_code, SUM(DISTINCT view_hours) AS distinct_sum, AVG(DISTINCT view_hours) AS distinct_avg
FROM plays
GROUP BY country_code

-- query: group_by_expression
-- covers: group by, year, month, count
-- ordered
SELECT year(playback_date) AS y, month(playback_date) AS m, COUNT(*) AS n, ROUND(SUM(view_hours), 2) AS hours
FROM plays
GROUP BY year(playback_date), month(playback_date)
ORDER BY y NULLS FIRST, m

-- query: distinct_rows
-- covers: distinct
SELECT DISTINCT country_code, is_kids
FROM plays

-- query: daily_totals_per_country
-- covers: sum, count, group by, order by
-- ordered
SELECT playback_date, country_code, COUNT(*) AS plays, SUM(view_hours) AS hours
FROM plays
WHERE playback_date IS NOT NULL AND country_code IS NOT NULL
GROUP BY playback_date, country_code
ORDER BY playback_date, country_code

-- query: max_of_sum_subquery
-- covers: subquery, max, sum
SELECT MAX(hours) AS best_country_hours
FROM (SELECT country_code, SUM(view_hours) AS hours FROM plays GROUP BY country_code)

-- query: cte_top_country
-- covers: cte, with, sum, order by, limit
-- ordered
WITH totals AS (
  SELECT country_code, SUM(view_hours) AS hours FROM plays WHERE country_code <> '' GROUP BY country_code
)
SELECT country_code, hours FROM totals ORDER BY hours DESC LIMIT 2

-- query: scalar_subquery_share
-- covers: scalar subquery, sum, round, division
SELECT country_code, ROUND(SUM(view_hours) / (SELECT SUM(view_hours) FROM plays) * 100, 2) AS pct
FROM plays
GROUP BY country_code

-- query: any_value_single_group
-- covers: any_value, group by
SELECT title_id, any_value(title) AS title, COUNT(*) AS n
FROM plays
WHERE title_id IN (1, 2)
GROUP BY title_id

-- query: select_star_except
-- covers: select * except
-- ordered
SELECT * EXCEPT (tags, ts_text)
FROM plays
WHERE id <= 3
ORDER BY id

-- query: array_agg_leaves_nulls_out
-- covers: array_agg, collect_list, sort_array, group by
-- ordered
SELECT country_code, sort_array(array_agg(view_hours)) AS hours, size(collect_list(title)) AS titles
FROM plays
WHERE country_code IN ('NO', 'BR')
GROUP BY country_code
ORDER BY country_code

-- query: approx_count_distinct_of_many
-- covers: approx_count_distinct, explode, sequence
SELECT approx_count_distinct(n) AS a300, approx_count_distinct(n * 7, 0.01) AS a300_precise
FROM (SELECT explode(sequence(1, 300)) AS n)

-- query: sum_of_ints_grouped
-- covers: sum, group by, typeof
-- ordered
SELECT country_code, SUM(title_id) AS titles, typeof(SUM(title_id)) AS t, SUM(user_id) AS users
FROM plays
GROUP BY country_code
ORDER BY country_code NULLS FIRST
