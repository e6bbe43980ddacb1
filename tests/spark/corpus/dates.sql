-- query: date_format_patterns
-- covers: date_format, yyyy-mm-dd, yyyymmdd, mm/dd/yyyy, yyyy-mm
-- ordered
SELECT id,
       date_format(playback_date, 'yyyy-MM-dd') AS iso,
       date_format(playback_date, 'yyyyMMdd') AS compact,
       date_format(playback_date, 'MM/dd/yyyy') AS us_style,
       date_format(playback_date, 'yyyy-MM') AS ym
FROM plays
ORDER BY id

-- query: date_format_day_names
-- covers: date_format, eee, eeee, mmm
-- ordered
SELECT DISTINCT playback_date,
       date_format(playback_date, 'EEE') AS dow_short,
       date_format(playback_date, 'EEEE') AS dow_long,
       date_format(playback_date, 'MMM d, yyyy') AS pretty
FROM plays
WHERE playback_date IS NOT NULL
ORDER BY playback_date

-- query: date_format_timestamp_time
-- covers: date_format, to_timestamp, hh:mm:ss
-- ordered
SELECT id,
       date_format(to_timestamp(ts_text), 'HH:mm:ss') AS hms,
       date_format(to_timestamp(ts_text), 'yyyy-MM-dd HH:mm') AS minute,
       date_format(to_timestamp(ts_text), 'hh:mm a') AS twelve_hour
FROM plays
ORDER BY id

-- query: to_date_from_string_patterns
-- covers: to_date, yyyymmdd, mm/dd/yyyy, yyyy-mm-dd
SELECT to_date('2022-01-31') AS plain,
       to_date('20220131', 'yyyyMMdd') AS compact,
       to_date('01/31/2022', 'MM/dd/yyyy') AS us_style,
       to_date('2022-01-31 23:59:59', 'yyyy-MM-dd HH:mm:ss') AS from_datetime

-- query: to_date_run_date_param
-- covers: to_date, yyyymmdd, where, date comparison
-- ordered
SELECT id, playback_date
FROM plays
WHERE playback_date = to_date('20220101', 'yyyyMMdd')
ORDER BY id

-- query: to_timestamp_column
-- covers: to_timestamp, timestamp
-- ordered
SELECT id, to_timestamp(ts_text) AS ts, to_timestamp(ts_text, 'yyyy-MM-dd HH:mm:ss') AS ts_pattern
FROM plays
ORDER BY id

-- query: to_timestamp_fraction
-- covers: to_timestamp, timestamp, fractional seconds
SELECT to_timestamp('2022-01-01 10:15:30.123456') AS micros,
       to_timestamp('2022-01-01 10:15:30.5') AS tenths,
       to_timestamp('2022/01/01 10:15', 'yyyy/MM/dd HH:mm') AS slashes

-- query: from_unixtime_epoch
-- covers: from_unixtime, bigint
-- ordered
SELECT id, from_unixtime(epoch) AS default_format, from_unixtime(epoch, 'yyyyMMdd') AS day_key,
       from_unixtime(epoch, 'yyyy-MM-dd HH:mm:ss') = ts_text AS matches_text
FROM plays
ORDER BY id

-- query: unix_timestamp_from_text
-- covers: unix_timestamp, to_unix_timestamp
-- ordered
SELECT id, unix_timestamp(ts_text) AS secs, to_unix_timestamp(ts_text, 'yyyy-MM-dd HH:mm:ss') AS secs2,
       unix_timestamp(ts_text) - epoch AS diff
FROM plays
ORDER BY id

-- query: unix_timestamp_of_date
-- covers: unix_timestamp, date
-- ordered
SELECT DISTINCT playback_date, unix_timestamp(playback_date) AS secs
FROM plays
WHERE playback_date IS NOT NULL
ORDER BY playback_date

-- query: date_parts
-- covers: year, month, dayofmonth, dayofweek, weekofyear, quarter, dayofyear, weekday
-- ordered
SELECT DISTINCT playback_date, year(playback_date) AS y, month(playback_date) AS m, dayofmonth(playback_date) AS d,
       dayofweek(playback_date) AS dow, weekofyear(playback_date) AS woy, quarter(playback_date) AS q,
       dayofyear(playback_date) AS doy, weekday(playback_date) AS wd
FROM plays
ORDER BY playback_date NULLS FIRST

-- query: extract_and_date_part
-- covers: extract, date_part
SELECT extract(YEAR FROM DATE '2024-02-29') AS y, extract(MONTH FROM DATE '2024-02-29') AS m,
       date_part('day', DATE '2024-02-29') AS d, extract(DOW FROM DATE '2024-02-29') AS dow,
       extract(WEEK FROM DATE '2021-01-03') AS iso_week

-- query: hour_minute_second
-- covers: hour, minute, second, to_timestamp
-- ordered
SELECT id, hour(to_timestamp(ts_text)) AS h, minute(to_timestamp(ts_text)) AS mi, second(to_timestamp(ts_text)) AS s
FROM plays
ORDER BY id

-- query: date_add_sub_diff
-- covers: date_add, date_sub, datediff
-- ordered
SELECT DISTINCT playback_date, date_add(playback_date, 7) AS next_week, date_sub(playback_date, 1) AS yesterday,
       datediff(DATE '2022-01-31', playback_date) AS days_left, datediff(playback_date, DATE '2022-01-31') AS days_ago
FROM plays
WHERE playback_date IS NOT NULL
ORDER BY playback_date

-- query: date_plus_integer
-- covers: date arithmetic, date + int
SELECT DATE '2022-01-01' + 1 AS plus_one, DATE '2022-01-01' - 1 AS minus_one, date_add(DATE '2022-01-01', -31) AS back

-- query: add_months_edges
-- covers: add_months, last_day
SELECT add_months(DATE '2022-01-31', 1) AS feb, add_months(DATE '2024-01-31', 1) AS leap_feb,
       add_months(DATE '2022-03-31', -1) AS back_to_feb, add_months(DATE '2021-12-15', 12) AS next_year,
       last_day(DATE '2024-02-10') AS leap_last, last_day(DATE '2022-12-01') AS dec_last

-- query: months_between
-- covers: months_between
SELECT months_between(DATE '2022-03-31', DATE '2022-01-31') AS whole,
       months_between(DATE '2022-03-15', DATE '2022-01-01') AS fraction,
       months_between(DATE '2022-01-01', DATE '2022-03-15', false) AS unrounded

-- query: next_day_and_trunc
-- covers: next_day, trunc
-- ordered
SELECT DISTINCT playback_date, next_day(playback_date, 'Mon') AS next_monday, next_day(playback_date, 'SUNDAY') AS next_sunday,
       trunc(playback_date, 'MM') AS month_start, trunc(playback_date, 'YEAR') AS year_start, trunc(playback_date, 'WEEK') AS week_start
FROM plays
WHERE playback_date IS NOT NULL
ORDER BY playback_date

-- query: date_trunc_timestamp
-- covers: date_trunc, to_timestamp
SELECT date_trunc('HOUR', to_timestamp('2022-01-01 10:15:30')) AS hour_start,
       date_trunc('DAY', to_timestamp('2022-01-01 10:15:30')) AS day_start,
       date_trunc('MONTH', to_timestamp('2022-01-21 10:15:30')) AS month_start,
       date_trunc('QUARTER', DATE '2022-05-17') AS quarter_start,
       date_trunc('WEEK', to_timestamp('2022-01-02 10:15:30')) AS week_start

-- query: make_date_and_literals
-- covers: make_date, date literal, cast
SELECT make_date(2022, 1, 31) AS d1, DATE '2022-01-01' AS d2, CAST('2022-1-5' AS DATE) AS d3,
       make_date(2024, 2, 29) AS leap

-- query: cast_date_to_string_and_timestamp
-- covers: cast, date, timestamp
SELECT CAST(DATE '2022-01-01' AS STRING) AS s, CAST(DATE '2022-01-01' AS TIMESTAMP) AS ts,
       CAST(TIMESTAMP '2022-01-01 10:15:30' AS DATE) AS d, CAST(TIMESTAMP '2022-01-01 10:15:30' AS STRING) AS ts_s

-- query: timestamp_seconds_and_unix_seconds
-- covers: timestamp_seconds, unix_seconds, unix_date, date_from_unix_date
SELECT timestamp_seconds(1641032130) AS ts, unix_seconds(TIMESTAMP '2022-01-01 10:15:30') AS secs,
       unix_date(DATE '2022-01-01') AS days, date_from_unix_date(18993) AS d

-- query: filter_date_range_between
-- covers: between, date, where
SELECT id
FROM plays
WHERE playback_date BETWEEN DATE '2021-12-31' AND '2022-01-01'

-- query: date_string_comparison
-- covers: date comparison, implicit cast, where
SELECT COUNT(*) AS n
FROM plays
WHERE playback_date >= '2022-01-01'

-- query: timestampdiff_dateadd
-- covers: timestampdiff, timestampadd, dateadd, datediff
SELECT timestampdiff(HOUR, TIMESTAMP '2022-01-01 00:00:00', TIMESTAMP '2022-01-02 06:30:00') AS hours,
       timestampadd(MINUTE, 90, TIMESTAMP '2022-01-01 23:00:00') AS plus_90m,
       dateadd(DAY, 3, DATE '2022-01-30') AS plus_3d,
       datediff(DAY, DATE '2022-01-01', DATE '2022-03-01') AS days

-- query: date_format_misc_patterns
-- covers: date_format, yy, d, e
SELECT date_format(DATE '2021-12-31', 'yyyy') AS y, date_format(DATE '2021-12-31', 'D') AS day_of_year,
       date_format(DATE '2022-01-02', 'E') AS e, date_format(DATE '2022-01-02', 'dd.MM.yy') AS short_year

-- query: to_date_without_pattern
-- covers: to_date, try_to_date
SELECT to_date('2022') AS y, to_date('2022-02') AS ym, to_date(' 2022-1-5 ') AS loose, to_date('2022-02-03 10:00') AS with_time,
       try_to_date('x') AS bad
