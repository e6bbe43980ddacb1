-- query: union_all_keeps_duplicates
-- covers: union all
SELECT country_code FROM plays WHERE is_kids
UNION ALL
SELECT country_code FROM countries WHERE region = 'AMER'

-- query: union_distinct
-- covers: union
SELECT country_code FROM plays
UNION
SELECT country_code FROM countries

-- query: union_distinct_nulls_collapse
-- covers: union, null
SELECT CAST(NULL AS STRING) AS x
UNION
SELECT CAST(NULL AS STRING)
UNION
SELECT 'a'

-- query: intersect_distinct
-- covers: intersect
SELECT title_id FROM plays
INTERSECT
SELECT title_id FROM titles

-- query: intersect_all
-- covers: intersect all
SELECT title_id FROM plays WHERE country_code = 'US'
INTERSECT ALL
SELECT title_id FROM plays WHERE country_code IN ('NO', 'BR')

-- query: except_distinct
-- covers: except
SELECT title_id FROM titles
EXCEPT
SELECT title_id FROM plays

-- query: except_all
-- covers: except all
SELECT title_id FROM plays
EXCEPT ALL
SELECT title_id FROM titles

-- query: minus_alias
-- covers: minus, except
SELECT country_code FROM countries
MINUS
SELECT country_code FROM plays

-- query: union_type_widening
-- covers: union all, type coercion
SELECT id AS v FROM plays WHERE id <= 2
UNION ALL
SELECT view_hours FROM plays WHERE id = 8
UNION ALL
SELECT user_id FROM plays WHERE id = 10

-- query: union_int_and_decimal_literal
-- covers: union all, decimal literal, type coercion
SELECT 1 AS v
UNION ALL
SELECT 2.5
UNION ALL
SELECT 10

-- query: union_then_order_limit
-- covers: union all, order by, limit
-- ordered
SELECT title FROM titles WHERE title_id IS NOT NULL
UNION ALL
SELECT title FROM plays WHERE country_code = 'BR'
ORDER BY title
LIMIT 5

-- query: union_in_subquery_aggregate
-- covers: union all, subquery, group by
SELECT src, COUNT(*) AS n
FROM (
  SELECT 'plays' AS src, title_id FROM plays
  UNION ALL
  SELECT 'titles', title_id FROM titles
) u
GROUP BY src

-- query: intersect_multi_column_nulls
-- covers: intersect, null
SELECT title_id, title FROM plays
INTERSECT
SELECT title_id, title FROM titles

-- query: except_with_null_rows
-- covers: except, null
SELECT country_code, is_kids FROM plays
EXCEPT
SELECT country_code, false FROM countries

-- query: union_chain_mixed
-- covers: union, union all
SELECT 1 AS v UNION ALL SELECT 1 UNION SELECT 2

-- query: except_all_with_nulls
-- covers: except all, intersect all, null
SELECT country_code FROM plays
EXCEPT ALL
SELECT country_code FROM plays WHERE id > 10
