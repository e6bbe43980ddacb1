-- query: if_bucket
-- covers: if
-- ordered
SELECT id, IF(view_hours >= 3, 'binge', IF(view_hours >= 1, 'watch', 'sample')) AS bucket
FROM plays
ORDER BY id

-- query: case_searched_buckets
-- covers: case
-- ordered
SELECT id, CASE WHEN view_hours IS NULL THEN 'unknown' WHEN view_hours < 0 THEN 'correction'
                WHEN view_hours < 1 THEN 'short' WHEN view_hours < 5 THEN 'medium' ELSE 'long' END AS bucket
FROM plays
ORDER BY id

-- query: case_simple_no_else
-- covers: case, null
-- ordered
SELECT id, CASE country_code WHEN 'US' THEN 1 WHEN 'NO' THEN 2 END AS code_num
FROM plays
ORDER BY id

-- query: case_type_coercion
-- covers: case, type coercion, typeof
SELECT CASE WHEN true THEN 1 ELSE 2.5 END AS int_dec, typeof(CASE WHEN true THEN 1 ELSE 2.5 END) AS t1,
       CASE WHEN false THEN 1 ELSE 2.5D END AS int_dbl, typeof(CASE WHEN false THEN CAST(1 AS BIGINT) ELSE 2 END) AS t2

-- query: count_if
-- covers: count_if
SELECT country_code, count_if(is_kids) AS kids, count_if(view_hours > 1) AS long_plays, count_if(NOT is_kids) AS adults
FROM plays
GROUP BY country_code

-- query: sum_case_pivot
-- covers: sum, case, pivot by hand
SELECT country_code,
       SUM(CASE WHEN playback_date = DATE '2022-01-01' THEN view_hours ELSE 0 END) AS jan1,
       SUM(CASE WHEN playback_date = DATE '2022-01-02' THEN view_hours END) AS jan2
FROM plays
GROUP BY country_code

-- query: max_by_min_by
-- covers: max_by, min_by
SELECT country_code, max_by(title, view_hours) AS most_watched, min_by(id, view_hours) AS shortest_play_id
FROM plays
WHERE country_code IN ('NO', 'BR')
GROUP BY country_code

-- query: max_by_with_null_ordering_values
-- covers: max_by, min_by, null
SELECT max_by(x, y) AS mx, min_by(x, y) AS mn
FROM VALUES ('a', 1), ('b', NULL), ('c', 3), (NULL, 5) AS t(x, y)

-- query: decode_function
-- covers: decode
-- ordered
SELECT id, decode(country_code, 'US', 'United States', 'NO', 'Norway', 'other') AS name
FROM plays
ORDER BY id

-- query: pivot_clause
-- covers: pivot, sum
-- ordered
SELECT *
FROM (SELECT country_code, is_kids, view_hours FROM plays WHERE country_code IN ('US', 'NO', 'BR'))
PIVOT (SUM(view_hours) FOR is_kids IN (true AS kids, false AS adults))
ORDER BY country_code

-- query: case_in_order_by
-- covers: case, order by
-- ordered
SELECT id, country_code
FROM plays
ORDER BY CASE country_code WHEN 'US' THEN 0 WHEN 'NO' THEN 1 ELSE 2 END, id

-- query: where_case_filter
-- covers: case, where, boolean
SELECT id
FROM plays
WHERE CASE WHEN is_kids THEN view_hours > 0.15 ELSE view_hours > 3 END

-- query: boolean_column_predicates
-- covers: boolean, is true, is false, is not true
-- ordered
SELECT id, is_kids IS TRUE AS t, is_kids IS FALSE AS f, is_kids IS NOT TRUE AS not_t, is_kids IS UNKNOWN AS unk
FROM plays
ORDER BY id

-- query: if_null_condition_and_nested
-- covers: if, coalesce, null
SELECT IF(1 > 0, 'yes', 'no') AS simple, IF(NULL, 'a', 'b') AS null_cond, coalesce(IF(false, 1, NULL), 9) AS nested

-- query: count_if_vs_sum_if
-- covers: count_if, sum, if
SELECT count_if(view_hours > 2) AS ci, SUM(IF(view_hours > 2, 1, 0)) AS si, SUM(IF(view_hours > 2, view_hours, NULL)) AS hours
FROM plays

-- query: conditional_aggregate_ratio
-- covers: avg, case, round
SELECT country_code, ROUND(AVG(CASE WHEN is_kids THEN 1.0 ELSE 0.0 END), 3) AS kids_ratio
FROM plays
GROUP BY country_code

-- query: lateral_column_alias
-- covers: lateral column alias, if
-- ordered
SELECT id, view_hours * 60 AS minutes, IF(minutes >= 120, 'long', 'short') AS label
FROM plays
WHERE id <= 5
ORDER BY id

-- query: lateral_alias_loses_to_a_column
-- covers: lateral column alias, alias
-- ordered
SELECT id, view_hours * 60 AS view_hours, view_hours * 2 AS doubled, view_hours * 60 AS minutes, minutes / 60 AS hours_again
FROM plays
WHERE id <= 3
ORDER BY id

-- query: pivot_two_aggregates
-- covers: pivot, sum, count
-- ordered
SELECT *
FROM (SELECT country_code, playback_date, view_hours FROM plays WHERE country_code IN ('US', 'NO'))
PIVOT (SUM(view_hours) AS total, COUNT(view_hours) AS n FOR country_code IN ('US', 'NO'))
ORDER BY playback_date NULLS FIRST
