-- query: decimal_literal_addition
-- covers: decimal literal, addition
SELECT 0.1 + 0.2 AS dec_sum, 0.1D + 0.2D AS dbl_sum, 0.1 + 0.2 = 0.3 AS dec_equal, 0.1D + 0.2D = 0.3D AS dbl_equal

-- query: decimal_literal_types
-- covers: decimal literal, typeof, double literal, bigint literal
SELECT 1.5 AS dec, typeof(1.5) AS dec_type, 1.5e0 AS sci, typeof(1.5e0) AS sci_type, 10L AS big, typeof(10L) AS big_type,
       1.50BD AS bd, typeof(100) AS int_type, typeof(3000000000) AS big_literal_type

-- query: decimal_multiplication_scale
-- covers: decimal literal, multiplication, division
SELECT 12.50 * 2 AS times_int, 12.50 * 0.5 AS times_dec, 10.0 / 4 AS dec_div, 1.0 / 3 AS third, 2.00 - 0.1 AS minus

-- query: int_division
-- covers: division, int division, div
SELECT 7 / 2 AS slash, 7 DIV 2 AS div, -7 DIV 2 AS neg_div, typeof(7 / 2) AS slash_type, typeof(7 DIV 2) AS div_type

-- query: int_columns_division
-- covers: division, div, int columns
-- ordered
SELECT id, title_id, id / title_id AS ratio, id DIV title_id AS quotient, id % title_id AS remainder
FROM plays
WHERE title_id IS NOT NULL
ORDER BY id

-- query: modulo_pmod_negative
-- covers: %, mod, pmod
SELECT -7 % 3 AS pct, mod(-7, 3) AS modf, pmod(-7, 3) AS pm, pmod(7, -3) AS pm_neg_div, 7.5 % 2 AS dec_mod, -7.5D % 2 AS dbl_mod

-- query: round_half_up_vs_bround
-- covers: round, bround, decimal literal
SELECT round(2.5) AS r25, round(3.5) AS r35, round(-2.5) AS rneg, bround(2.5) AS b25, bround(3.5) AS b35,
       round(1.005, 2) AS r1005, bround(1.005, 2) AS b1005, round(1234.5678, -2) AS rneg_scale

-- query: round_doubles
-- covers: round, bround, double
SELECT round(2.5D) AS r25, round(0.125D, 2) AS r0125, bround(2.5D) AS b25, round(1.005D, 2) AS r1005_dbl,
       round(view_hours, 1) AS col_round
FROM plays
WHERE id = 11

-- query: round_column_doubles
-- covers: round, double, group by
-- ordered
SELECT id, view_hours, round(view_hours, 0) AS r0, round(view_hours * 3, 2) AS r2, ceil(view_hours) AS c, floor(view_hours) AS f
FROM plays
ORDER BY id

-- query: ceil_floor_types
-- covers: ceil, floor, ceiling, decimal
SELECT ceil(2.1) AS c_dec, floor(-2.1) AS f_dec, ceil(2.1D) AS c_dbl, ceiling(-0.5D) AS ceiling_neg, typeof(ceil(2.1D)) AS t,
       ceil(3.14159, 2) AS c_scale

-- query: cast_string_to_numbers
-- covers: cast, string to int, string to double, string to decimal
SELECT CAST('42' AS INT) AS i, CAST(' 42 ' AS INT) AS padded, CAST('3000000000' AS BIGINT) AS big, CAST('1e3' AS DOUBLE) AS sci,
       CAST('12.345' AS DECIMAL(10, 2)) AS dec, CAST('-0.5' AS DOUBLE) AS neg, CAST('+7' AS INT) AS plus

-- query: cast_double_to_int_truncates
-- covers: cast, double to int, truncation
SELECT CAST(3.9D AS INT) AS pos, CAST(-3.9D AS INT) AS neg, CAST(2.5 AS BIGINT) AS dec_big, CAST(12.99 AS INT) AS dec_int

-- query: cast_numbers_to_string
-- covers: cast, to string, double formatting
SELECT CAST(1.0D AS STRING) AS one, CAST(0.1D + 0.2D AS STRING) AS float_noise, CAST(1e-7D AS STRING) AS tiny,
       CAST(1e21D AS STRING) AS huge, CAST(12.50 AS STRING) AS dec, CAST(100 AS STRING) AS int_s,
       CAST(CAST(0.1 AS FLOAT) AS STRING) AS float_s

-- query: cast_columns_to_string
-- covers: cast, double to string, bigint to string
-- ordered
SELECT id, CAST(view_hours AS STRING) AS hours_s, CAST(user_id AS STRING) AS user_s, CAST(is_kids AS STRING) AS kids_s
FROM plays
ORDER BY id

-- query: cast_boolean
-- covers: cast, boolean
SELECT CAST('true' AS BOOLEAN) AS t, CAST('FALSE' AS BOOLEAN) AS f, CAST('yes' AS BOOLEAN) AS yes_,
       CAST('0' AS BOOLEAN) AS zero, CAST(1 AS BOOLEAN) AS one, CAST(0 AS BOOLEAN) AS z, CAST(true AS INT) AS t_int

-- query: cast_decimal_precision
-- covers: cast, decimal, rounding
SELECT CAST(2.345 AS DECIMAL(4, 2)) AS rounded_half_up, CAST(-2.345 AS DECIMAL(4, 2)) AS neg,
       CAST(123.456D AS DECIMAL(10, 1)) AS from_double, CAST(1 AS DECIMAL(5, 2)) AS from_int,
       CAST(0.1D AS DECIMAL(20, 18)) AS double_noise

-- query: cast_column_to_decimal
-- covers: cast, decimal, sum
SELECT SUM(CAST(view_hours AS DECIMAL(10, 2))) AS dec_total, SUM(view_hours) AS dbl_total
FROM plays

-- query: try_cast_bad_values
-- covers: try_cast, null
SELECT try_cast('abc' AS INT) AS bad_int, try_cast('12' AS INT) AS good_int, try_cast('2022-13-01' AS DATE) AS bad_date,
       try_cast('1.5' AS INT) AS frac_int, try_cast('3000000000' AS INT) AS overflow, try_cast('' AS DOUBLE) AS empty_dbl

-- query: try_cast_column
-- covers: try_cast, string column
-- ordered
SELECT id, try_cast(country_code AS INT) AS code_num, try_cast(substring(ts_text, 1, 4) AS INT) AS year_num
FROM plays
ORDER BY id

-- query: cast_date_strings
-- covers: cast, to date, string to date
SELECT CAST('2022-01-31' AS DATE) AS iso, CAST('2022-01-31T10:00:00' AS DATE) AS with_time, CAST('2022' AS DATE) AS year_only,
       CAST('2022-02' AS DATE) AS year_month

-- query: numeric_widening_in_arithmetic
-- covers: type coercion, int + bigint, int + double, typeof
SELECT typeof(CAST(1 AS INT) + CAST(1 AS BIGINT)) AS int_big, typeof(CAST(1 AS INT) + 1.0D) AS int_dbl,
       typeof(CAST(1 AS INT) + 1.5) AS int_dec, typeof(CAST(1 AS SMALLINT) + CAST(1 AS TINYINT)) AS small_tiny,
       typeof(1.5 + 1.0D) AS dec_dbl, typeof(CAST(1 AS FLOAT) + 1) AS float_int

-- query: column_int_arithmetic_types
-- covers: type coercion, int columns, typeof
SELECT typeof(MAX(id + title_id)) AS int_plus, typeof(MAX(id * view_hours)) AS times_dbl, typeof(MAX(user_id / 2)) AS big_div,
       typeof(avg(id)) AS avg_type, typeof(sum(id)) AS sum_type
FROM plays

-- query: float_column_cast
-- covers: cast, float, double
SELECT CAST(0.1 AS FLOAT) AS f, CAST(CAST(0.1 AS FLOAT) AS DOUBLE) AS f_to_d, CAST(0.1 AS DOUBLE) AS d

-- query: cast_to_smaller_ints
-- covers: cast, tinyint, smallint
SELECT CAST(127 AS TINYINT) AS t, CAST(-32768 AS SMALLINT) AS s, CAST('100' AS TINYINT) AS from_str

-- query: decimal_sum_avg_types
-- covers: sum, avg, decimal, typeof
SELECT SUM(x) AS s, AVG(x) AS a, typeof(SUM(x)) AS st, typeof(AVG(x)) AS at
FROM VALUES (1.10), (2.20), (3.35) AS t(x)

-- query: inline_values_types
-- covers: values, inline table, type coercion
SELECT a, b, typeof(a) AS ta, typeof(b) AS tb
FROM VALUES (1, 'x'), (2.5, NULL), (NULL, 'z') AS t(a, b)

-- query: double_special_values
-- covers: double, nan, infinity, cast
SELECT CAST('NaN' AS DOUBLE) AS nan, CAST('Infinity' AS DOUBLE) AS inf, CAST('-Infinity' AS DOUBLE) AS ninf,
       CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE) AS nan_eq, -0.0D = 0.0D AS neg_zero_eq

-- query: double_colon_cast
-- covers: :: cast
SELECT '42'::INT AS x, id::STRING AS s, view_hours::DECIMAL(5, 2) AS d
FROM plays
WHERE id = 1

-- query: text_arithmetic_and_float_widening
-- covers: implicit cast, typeof, string, float
SELECT '5' * 2 AS a, typeof('5' * 2) AS ta, '1.5' + 1 AS b, typeof('1.5' + 1) AS tb, CAST(1.5 AS FLOAT) * 2 AS c, typeof(CAST(1.5 AS FLOAT) * 2) AS tc

-- query: decimal_division_of_columns
-- covers: decimal, division, cast
-- ordered
SELECT id, CAST(view_hours AS DECIMAL(10, 2)) / 3 AS third, CAST(view_hours AS DECIMAL(10, 2)) / id AS per_id, round(view_hours, 1) AS r
FROM plays
WHERE id <= 4
ORDER BY id
