-- query: percentile_exact
-- covers: percentile, median
SELECT percentile(view_hours, 0.5) AS p50, percentile(view_hours, 0.9) AS p90, median(view_hours) AS med
FROM plays

-- query: percentile_array_arg
-- covers: percentile, array
SELECT percentile(id, array(0.25, 0.5, 0.75)) AS quartiles
FROM plays

-- query: percentile_approx_small
-- covers: percentile_approx, approx_percentile
SELECT percentile_approx(view_hours, 0.5) AS p50, approx_percentile(id, 0.9) AS p90_id,
       percentile_approx(id, array(0.1, 0.5, 0.9), 100) AS spread
FROM plays

-- query: percentile_cont_disc
-- covers: percentile_cont, percentile_disc, within group
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY view_hours) AS cont, percentile_disc(0.5) WITHIN GROUP (ORDER BY view_hours) AS disc
FROM plays

-- query: percentile_per_country
-- covers: percentile, group by
SELECT country_code, percentile(view_hours, 0.5) AS p50
FROM plays
GROUP BY country_code

-- query: approx_count_distinct_small
-- covers: approx_count_distinct
SELECT approx_count_distinct(user_id) AS users, approx_count_distinct(country_code) AS countries, COUNT(DISTINCT user_id) AS exact
FROM plays

-- query: stddev_variance
-- covers: stddev, stddev_samp, stddev_pop, variance, var_samp, var_pop
SELECT stddev(view_hours) AS sd, stddev_samp(view_hours) AS sds, stddev_pop(view_hours) AS sdp,
       variance(view_hours) AS v, var_samp(view_hours) AS vs, var_pop(view_hours) AS vp
FROM plays
WHERE view_hours BETWEEN 0 AND 20

-- query: stddev_single_row
-- covers: stddev, variance, single row
SELECT country_code, stddev(view_hours) AS sd, var_pop(view_hours) AS vp
FROM plays
WHERE country_code = ''
GROUP BY country_code

-- query: avg_of_ints
-- covers: avg, int, typeof
SELECT AVG(title_id) AS avg_title, typeof(AVG(title_id)) AS t, AVG(CAST(id AS BIGINT)) AS avg_id, mean(id) AS mean_id
FROM plays

-- query: avg_of_decimals
-- covers: avg, decimal, typeof
SELECT AVG(CAST(view_hours AS DECIMAL(10, 2))) AS avg_dec, typeof(AVG(CAST(view_hours AS DECIMAL(10, 2)))) AS t
FROM plays

-- query: corr_covar
-- covers: corr, covar_pop, covar_samp
SELECT corr(id, view_hours) AS c, covar_pop(id, title_id) AS cp, covar_samp(id, title_id) AS cs
FROM plays
WHERE view_hours BETWEEN 0 AND 20

-- query: skewness_kurtosis
-- covers: skewness, kurtosis
SELECT skewness(id) AS sk, kurtosis(id) AS ku
FROM plays

-- query: sum_of_squares_manual_variance
-- covers: avg, power, sqrt, subquery
SELECT sqrt(AVG(power(view_hours - m, 2))) AS sd_pop
FROM plays CROSS JOIN (SELECT AVG(view_hours) AS m FROM plays WHERE view_hours BETWEEN 0 AND 20) a
WHERE view_hours BETWEEN 0 AND 20

-- query: math_functions
-- covers: abs, sqrt, power, exp, ln, log10, log2, sign, log
SELECT abs(-1.5) AS a, sqrt(16) AS sq, power(2, 10) AS pw, exp(0) AS e0, ln(1) AS l, log10(1000) AS l10, log2(8) AS l2,
       sign(-3) AS sg, log(2, 8) AS lg

-- query: math_on_columns
-- covers: abs, sqrt, ln, round
-- ordered
SELECT id, abs(view_hours) AS a, round(sqrt(abs(view_hours)), 6) AS sq, round(ln(abs(view_hours) + 1), 6) AS ln1p
FROM plays
ORDER BY id

-- query: regr_functions
-- covers: regr_slope, regr_intercept, regr_count
SELECT regr_slope(view_hours, id) AS slope, regr_intercept(view_hours, id) AS intercept, regr_count(view_hours, id) AS n
FROM plays
WHERE view_hours BETWEEN 0 AND 5

-- query: mode_function
-- covers: mode
SELECT mode(title_id) AS most_common_title
FROM plays

-- query: histogram_like_buckets
-- covers: width_bucket, floor, group by
-- ordered
SELECT width_bucket(view_hours, 0, 5, 5) AS bucket, COUNT(*) AS n
FROM plays
WHERE view_hours IS NOT NULL
GROUP BY 1
ORDER BY 1
