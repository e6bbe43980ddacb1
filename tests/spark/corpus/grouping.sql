-- query: rollup_country_date
-- covers: rollup, sum, grouping
-- ordered
SELECT country_code, playback_date, SUM(view_hours) AS hours, grouping(country_code) AS g_country, grouping(playback_date) AS g_date
FROM plays
WHERE country_code IN ('US', 'NO')
GROUP BY ROLLUP (country_code, playback_date)
ORDER BY g_country, country_code, g_date, playback_date

-- query: cube_country_kids
-- covers: cube, count, grouping
-- ordered
SELECT country_code, is_kids, COUNT(*) AS n, grouping(country_code) AS gc, grouping(is_kids) AS gk
FROM plays
WHERE country_code IN ('US', 'BR')
GROUP BY CUBE (country_code, is_kids)
ORDER BY gc, gk, country_code, is_kids

-- query: grouping_sets_explicit
-- covers: grouping sets, sum
SELECT country_code, title_id, SUM(view_hours) AS hours
FROM plays
WHERE country_code IN ('US', 'NO')
GROUP BY GROUPING SETS ((country_code), (title_id), ())

-- query: grouping_id
-- covers: grouping_id, grouping sets
SELECT country_code, is_kids, grouping_id(country_code, is_kids) AS gid, COUNT(*) AS n
FROM plays
WHERE country_code = 'NO'
GROUP BY GROUPING SETS ((country_code, is_kids), (country_code), ())

-- query: rollup_null_vs_subtotal
-- covers: rollup, grouping, null group key
SELECT country_code, grouping(country_code) AS is_total, COUNT(*) AS n
FROM plays
GROUP BY ROLLUP (country_code)

-- query: group_by_ordinal
-- covers: group by ordinal, order by ordinal
-- ordered
SELECT country_code, is_kids, COUNT(*) AS n
FROM plays
GROUP BY 1, 2
ORDER BY 1 NULLS LAST, 2 NULLS LAST

-- query: group_by_select_alias
-- covers: group by alias
SELECT upper(country_code) AS cc, COUNT(*) AS n
FROM plays
GROUP BY cc

-- query: group_by_alias_expression
-- covers: group by alias, date_format
-- ordered
SELECT date_format(playback_date, 'yyyy-MM') AS ym, COUNT(*) AS n
FROM plays
GROUP BY ym
ORDER BY ym NULLS FIRST

-- query: having_sum
-- covers: having, sum
SELECT country_code, SUM(view_hours) AS hours
FROM plays
GROUP BY country_code
HAVING SUM(view_hours) > 5

-- query: having_alias
-- covers: having, having alias, count
SELECT country_code, COUNT(*) AS n
FROM plays
GROUP BY country_code
HAVING n >= 4

-- query: having_without_select_aggregate
-- covers: having, count distinct
SELECT title_id
FROM plays
GROUP BY title_id
HAVING COUNT(DISTINCT country_code) > 1

-- query: having_no_group_by
-- covers: having, count
SELECT COUNT(*) AS n FROM plays HAVING COUNT(*) > 100

-- query: group_by_all
-- covers: group by all, sum
SELECT country_code, is_kids, SUM(view_hours) AS hours
FROM plays
GROUP BY ALL

-- query: rollup_with_having
-- covers: rollup, having, grouping
SELECT country_code, title_id, COUNT(*) AS n
FROM plays
WHERE country_code IN ('US', 'BR')
GROUP BY ROLLUP (country_code, title_id)
HAVING grouping(title_id) = 1

-- query: group_by_case_expression
-- covers: group by, case
SELECT CASE WHEN view_hours >= 3 THEN 'heavy' WHEN view_hours > 0 THEN 'light' ELSE 'none' END AS bucket,
       COUNT(*) AS n
FROM plays
GROUP BY 1

-- query: cube_three_sum
-- covers: cube, sum, count
SELECT COUNT(*) AS grouping_rows, SUM(n) AS total
FROM (
  SELECT country_code, is_kids, playback_date, COUNT(*) AS n
  FROM plays
  GROUP BY CUBE (country_code, is_kids, playback_date)
) t

-- query: group_by_then_grouping_sets
-- covers: grouping sets, group by, max
SELECT playback_date, country_code, MAX(view_hours) AS top
FROM plays
GROUP BY playback_date, country_code GROUPING SETS ((playback_date, country_code), (playback_date))
