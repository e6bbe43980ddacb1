-- query: rank_by_hours_per_country
-- covers: rank, window, partition by
SELECT country_code, title_id, view_hours,
       RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS rnk
FROM plays

-- query: dense_rank_ties
-- covers: dense_rank, rank, window
SELECT id, country_code, view_hours,
       DENSE_RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS drank,
       RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS rnk
FROM plays

-- query: row_number_total_order
-- covers: row_number, window
-- ordered
SELECT id, country_code,
       ROW_NUMBER() OVER (PARTITION BY country_code ORDER BY view_hours DESC NULLS LAST, id) AS rn
FROM plays
ORDER BY id

-- query: top_n_per_country
-- covers: rank, window, subquery, where
-- ordered
SELECT country_code, title_id, view_hours, rnk
FROM (
  SELECT country_code, title_id, view_hours,
         RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS rnk
  FROM plays
  WHERE country_code IS NOT NULL AND country_code <> ''
) ranked
WHERE rnk <= 2
ORDER BY country_code, rnk, title_id

-- query: dedup_latest_per_user
-- covers: row_number, window, dedup
-- ordered
SELECT user_id, id, playback_date
FROM (
  SELECT user_id, id, playback_date,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY playback_date DESC NULLS LAST, id DESC) AS rn
  FROM plays
) t
WHERE rn = 1
ORDER BY user_id NULLS FIRST

-- query: running_sum
-- covers: sum, window, running total, rows between
-- ordered
SELECT id, country_code, view_hours,
       SUM(view_hours) OVER (PARTITION BY country_code ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
FROM plays
ORDER BY id

-- query: running_sum_default_frame_ties
-- covers: sum, window, range frame, ties
-- ordered
SELECT id, country_code, view_hours,
       SUM(view_hours) OVER (PARTITION BY country_code ORDER BY view_hours) AS running
FROM plays
WHERE country_code IN ('US', 'BR')
ORDER BY id

-- query: partition_total_and_share
-- covers: sum, window, partition by, round
-- ordered
SELECT id, country_code,
       SUM(view_hours) OVER (PARTITION BY country_code) AS country_total,
       ROUND(view_hours / SUM(view_hours) OVER (PARTITION BY country_code), 4) AS share
FROM plays
ORDER BY id

-- query: lag_lead
-- covers: lag, lead, window
-- ordered
SELECT id, country_code, view_hours,
       LAG(view_hours) OVER (PARTITION BY country_code ORDER BY id) AS prev_hours,
       LEAD(view_hours, 1, 0.0) OVER (PARTITION BY country_code ORDER BY id) AS next_hours
FROM plays
ORDER BY id

-- query: lag_dates_gap
-- covers: lag, datediff, window
-- ordered
SELECT user_id, playback_date,
       datediff(playback_date, LAG(playback_date) OVER (PARTITION BY user_id ORDER BY playback_date)) AS days_since_prev
FROM plays
WHERE user_id = 1001
ORDER BY playback_date

-- query: first_last_value
-- covers: first_value, last_value, window, rows between
-- ordered
SELECT id, country_code,
       FIRST_VALUE(title) OVER (PARTITION BY country_code ORDER BY id) AS first_title,
       LAST_VALUE(title) OVER (PARTITION BY country_code ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_title
FROM plays
ORDER BY id

-- query: moving_average_3
-- covers: avg, window, rows between
-- ordered
SELECT id, view_hours,
       AVG(view_hours) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS moving_avg
FROM plays
ORDER BY id

-- query: ntile_quartiles
-- covers: ntile, window
-- ordered
SELECT id, view_hours, NTILE(4) OVER (ORDER BY view_hours NULLS FIRST, id) AS quartile
FROM plays
ORDER BY id

-- query: percent_rank_cume_dist
-- covers: percent_rank, cume_dist, window
-- ordered
SELECT id, view_hours,
       PERCENT_RANK() OVER (ORDER BY view_hours) AS pr,
       CUME_DIST() OVER (ORDER BY view_hours) AS cd
FROM plays
WHERE view_hours IS NOT NULL
ORDER BY id

-- query: count_over_partition
-- covers: count, window, partition by
-- ordered
SELECT id, country_code, COUNT(*) OVER (PARTITION BY country_code) AS n_country,
       COUNT(view_hours) OVER (PARTITION BY country_code) AS n_hours
FROM plays
ORDER BY id

-- query: named_window
-- covers: window clause, rank, sum
-- ordered
SELECT id, country_code, RANK() OVER w AS rnk, SUM(view_hours) OVER w AS running
FROM plays
WHERE country_code = 'US'
WINDOW w AS (PARTITION BY country_code ORDER BY view_hours DESC)
ORDER BY id

-- query: window_over_aggregate
-- covers: rank, sum, group by, window
-- ordered
SELECT country_code, title_id, SUM(view_hours) AS hours,
       RANK() OVER (PARTITION BY country_code ORDER BY SUM(view_hours) DESC) AS rnk
FROM plays
WHERE country_code IS NOT NULL
GROUP BY country_code, title_id
ORDER BY country_code, rnk, title_id

-- query: range_between_values
-- covers: sum, window, range between
-- ordered
SELECT id, title_id, SUM(view_hours) OVER (ORDER BY title_id RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS near_sum
FROM plays
WHERE title_id IS NOT NULL
ORDER BY id

-- query: rank_nulls_in_partition_key
-- covers: dense_rank, window, null partition
-- ordered
SELECT id, country_code, DENSE_RANK() OVER (PARTITION BY country_code ORDER BY title_id) AS dr
FROM plays
WHERE country_code IS NULL OR country_code = ''
ORDER BY id

-- query: moving_sum_of_ints_and_percentile_per_country
-- covers: sum, avg, percentile_approx, window, rows between
-- ordered
SELECT id, country_code,
       SUM(title_id) OVER (PARTITION BY country_code ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS moving_titles,
       AVG(CAST(view_hours AS DECIMAL(10, 2))) OVER (PARTITION BY country_code ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS moving_avg,
       percentile_approx(view_hours, 0.5) OVER (PARTITION BY country_code) AS median_hours
FROM plays
WHERE country_code IN ('US', 'NO', 'BR')
ORDER BY id
