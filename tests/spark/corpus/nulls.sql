-- query: null_arithmetic
-- covers: null, arithmetic
SELECT 1 + NULL AS plus, NULL * 0 AS times, NULL / 0 AS div_zero, -CAST(NULL AS INT) AS neg, NULL % 2 AS mod_

-- query: null_comparisons
-- covers: null, =, <>, <, null-safe equal
SELECT NULL = NULL AS eq, NULL <> 1 AS ne, NULL < 1 AS lt, NULL <=> NULL AS nse, 1 <=> NULL AS nse1, NOT (NULL = 1) AS not_eq

-- query: null_boolean_logic
-- covers: null, and, or, not, three-valued logic
SELECT NULL AND false AS n_and_f, NULL AND true AS n_and_t, NULL OR true AS n_or_t, NULL OR false AS n_or_f, NOT CAST(NULL AS BOOLEAN) AS not_n

-- query: null_in_list
-- covers: null, in, not in
SELECT 1 IN (1, NULL) AS found, 2 IN (1, NULL) AS unknown, 2 NOT IN (1, NULL) AS not_in_unknown, NULL IN (1, 2) AS null_needle

-- query: is_null_predicates
-- covers: is null, is not null, isnull, isnotnull, is distinct from
-- ordered
SELECT id, view_hours IS NULL AS no_hours, isnull(title) AS no_title, isnotnull(country_code) AS has_country,
       country_code IS DISTINCT FROM 'US' AS not_us, country_code IS NOT DISTINCT FROM NULL AS null_country
FROM plays
ORDER BY id

-- query: coalesce_family
-- covers: coalesce, nvl, ifnull, nvl2, nullif
-- ordered
SELECT id, coalesce(view_hours, 0.0) AS hours, nvl(country_code, 'XX') AS cc, ifnull(title, '?') AS t,
       nvl2(is_kids, 'known', 'unknown') AS kids_known, nullif(country_code, '') AS cc_or_null
FROM plays
ORDER BY id

-- query: coalesce_types
-- covers: coalesce, type coercion
SELECT coalesce(NULL, 1, 2.5) AS int_dec, typeof(coalesce(NULL, 1, 2.5)) AS t1, coalesce(CAST(NULL AS BIGINT), 7) AS big,
       coalesce(NULL, NULL) AS all_null

-- query: null_in_string_functions
-- covers: null, upper, length, substring, replace, concat
SELECT upper(NULL) AS up, length(CAST(NULL AS STRING)) AS len, substring(NULL, 1, 2) AS sub, replace('abc', NULL, 'x') AS rep,
       concat('a', NULL) AS cat, concat_ws(',', 'a', NULL, 'b') AS cws, lpad(NULL, 3, '0') AS lp

-- query: null_in_date_functions
-- covers: null, date_add, datediff, date_format, to_date
SELECT date_add(CAST(NULL AS DATE), 1) AS da, datediff(DATE '2022-01-01', NULL) AS dd, date_format(CAST(NULL AS DATE), 'yyyy') AS df,
       to_date(NULL) AS td, year(CAST(NULL AS DATE)) AS y

-- query: null_in_aggregates
-- covers: null, sum, avg, min, max, count
SELECT SUM(x) AS s, AVG(x) AS a, MIN(x) AS mn, MAX(x) AS mx, COUNT(x) AS c, COUNT(*) AS n
FROM VALUES (CAST(NULL AS INT)), (CAST(NULL AS INT)) AS t(x)

-- query: null_group_key
-- covers: null, group by
SELECT title, COUNT(*) AS n
FROM plays
WHERE title IS NULL OR title = ''
GROUP BY title

-- query: order_nulls_default_asc
-- covers: order by, nulls first, asc
-- ordered
SELECT id, view_hours
FROM plays
ORDER BY view_hours, id

-- query: order_nulls_default_desc
-- covers: order by, nulls last, desc
-- ordered
SELECT id, view_hours
FROM plays
ORDER BY view_hours DESC, id

-- query: order_nulls_explicit
-- covers: order by, nulls first, nulls last
-- ordered
SELECT id, country_code
FROM plays
ORDER BY country_code DESC NULLS FIRST, id DESC

-- query: order_asc_nulls_last_strings
-- covers: order by, nulls last, empty string
-- ordered
SELECT id, title
FROM plays
ORDER BY title ASC NULLS LAST, id

-- query: null_safe_equal_filter
-- covers: <=>, where
-- ordered
SELECT id
FROM plays
WHERE is_kids <=> NULL
ORDER BY id

-- query: where_null_comparison_drops
-- covers: where, null, <>
SELECT COUNT(*) AS n_not_us
FROM plays
WHERE country_code <> 'US'

-- query: case_with_null
-- covers: case, null
-- ordered
SELECT id, CASE country_code WHEN 'US' THEN 'usa' WHEN NULL THEN 'never' ELSE 'other' END AS simple_case,
       CASE WHEN country_code IS NULL THEN 'missing' WHEN country_code = '' THEN 'blank' ELSE country_code END AS searched
FROM plays
ORDER BY id

-- query: if_with_null_condition
-- covers: if, null
-- ordered
SELECT id, IF(is_kids, 'kids', 'not kids') AS label, IF(view_hours > 2, 'long', 'short') AS length_class
FROM plays
ORDER BY id

-- query: greatest_least_nulls
-- covers: greatest, least, null
SELECT greatest(1, NULL, 3) AS g, least(1, NULL, 3) AS l, greatest(CAST(NULL AS INT), NULL) AS g_all_null,
       greatest('b', 'a', NULL) AS g_str

-- query: distinct_count_nulls
-- covers: count distinct, null
SELECT COUNT(DISTINCT country_code) AS distinct_codes, COUNT(DISTINCT is_kids) AS distinct_kids
FROM plays

-- query: nanvl_and_null_double
-- covers: nanvl, isnan, null
SELECT nanvl(CAST('NaN' AS DOUBLE), 0.0D) AS replaced, isnan(CAST('NaN' AS DOUBLE)) AS is_nan, isnan(CAST(NULL AS DOUBLE)) AS isnan_null,
       nanvl(CAST(NULL AS DOUBLE), 1.0D) AS nanvl_null

-- query: zeroifnull_nullifzero
-- covers: zeroifnull, nullifzero
SELECT zeroifnull(CAST(NULL AS INT)) AS z, nullifzero(0) AS n, nullifzero(5) AS five

-- query: null_array_and_map_access
-- covers: null, array index, element_at, map
SELECT CAST(NULL AS ARRAY<INT>)[0] AS null_arr, element_at(map('a', 1), 'zz') AS missing_key, array(1, NULL)[1] AS null_elem
