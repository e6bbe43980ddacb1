-- query: int_overflow
-- covers: ansi overflow, int, addition
SELECT CAST(2147483647 AS INT) + CAST(1 AS INT) AS x

-- query: bigint_overflow
-- covers: ansi overflow, bigint, addition
SELECT 9223372036854775807L + 1L AS x

-- query: int_multiply_overflow_column
-- covers: ansi overflow, int, multiplication, columns
SELECT id * 2147483647 AS x
FROM plays

-- query: sum_bigint_overflow
-- covers: ansi overflow, sum, bigint
SELECT SUM(x) AS s
FROM VALUES (9223372036854775807L), (1L) AS t(x)

-- query: abs_int_min_overflow
-- covers: ansi overflow, abs
SELECT abs(CAST(-2147483648 AS INT)) AS x

-- query: negate_bigint_min
-- covers: ansi overflow, unary minus
SELECT -(CAST(-9223372036854775808 AS BIGINT)) AS x

-- query: divide_by_zero_int
-- covers: division by zero, ansi
SELECT 1 / 0 AS x

-- query: divide_by_zero_column
-- covers: division by zero, ansi, columns
SELECT view_hours / (id - id) AS x
FROM plays

-- query: div_by_zero_integral
-- covers: division by zero, div
SELECT 7 DIV 0 AS x

-- query: modulo_by_zero
-- covers: division by zero, %
SELECT 7 % 0 AS x

-- query: decimal_divide_by_zero
-- covers: division by zero, decimal literal
SELECT 1.5 / 0.0 AS x

-- query: double_divide_by_zero
-- covers: division by zero, double
SELECT 1.0D / 0.0D AS x

-- query: invalid_cast_string_to_int
-- covers: invalid cast, cast, string to int
SELECT CAST('abc' AS INT) AS x

-- query: invalid_cast_column
-- covers: invalid cast, cast, columns
SELECT CAST(country_code AS INT) AS x
FROM plays

-- query: cast_int_to_date
-- covers: cast, int to date, invalid cast
SELECT CAST(20220101 AS DATE) AS x

-- query: cast_bad_date_string
-- covers: invalid cast, string to date
SELECT CAST('2022-13-01' AS DATE) AS x

-- query: cast_out_of_range_int
-- covers: cast overflow, bigint to int
SELECT CAST(3000000000 AS INT) AS x

-- query: cast_double_out_of_range_bigint
-- covers: cast overflow, double to bigint
SELECT CAST(1e20D AS BIGINT) AS x

-- query: cast_decimal_string_to_int
-- covers: cast, string to int, fraction
SELECT CAST('1.5' AS INT) AS x

-- query: cast_empty_string_to_int
-- covers: invalid cast, empty string
SELECT CAST('' AS INT) AS x

-- query: cast_decimal_overflow
-- covers: decimal overflow, cast
SELECT CAST(12345.678 AS DECIMAL(4, 2)) AS x

-- query: decimal_multiply_overflow
-- covers: decimal overflow, multiplication
SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38, 0)) * 10 AS x

-- query: cast_bad_boolean
-- covers: invalid cast, boolean
SELECT CAST('maybe' AS BOOLEAN) AS x

-- query: try_add_overflow_null
-- covers: try_add, ansi overflow
SELECT try_add(2147483647, 1) AS int_overflow, try_add(9223372036854775807L, 1L) AS big_overflow, try_add(1, 2) AS ok

-- query: try_divide_zero_null
-- covers: try_divide, division by zero
SELECT try_divide(1, 0) AS int_zero, try_divide(1.5, 0.0) AS dec_zero, try_divide(7, 2) AS ok, try_mod(7, 0) AS mod_zero

-- query: try_arithmetic_family
-- covers: try_subtract, try_multiply
SELECT try_subtract(-2147483648, 1) AS sub, try_multiply(2147483647, 2) AS mul, try_multiply(3, 4) AS ok
FROM VALUES (1) AS t(x)

-- query: try_sum_overflow
-- covers: try_sum, ansi overflow
SELECT try_sum(x) AS s
FROM VALUES (9223372036854775807L), (1L) AS t(x)

-- query: try_cast_instead_of_error
-- covers: try_cast, invalid cast
SELECT try_cast('abc' AS INT) AS x, try_cast(20220101 AS STRING) AS y, try_cast('2022-02-30' AS DATE) AS z

-- query: string_plus_int
-- covers: implicit cast, string to number, addition
SELECT '1' + 1 AS x, typeof('1' + 1) AS t, '1' + 1.5 AS y, typeof('1' + 1.5) AS ty, '2' * 2.5D AS z, typeof('2' * 2.5D) AS tz

-- query: string_plus_int_invalid
-- covers: implicit cast, string to number, invalid cast
SELECT 'abc' + 1 AS x

-- query: string_times_column
-- covers: implicit cast, string to number, columns
-- ordered
SELECT id, '2' * id AS doubled, substring(ts_text, 1, 4) + 0 AS year_num
FROM plays
ORDER BY id

-- query: string_compare_int
-- covers: implicit cast, comparison
SELECT '10' > 9 AS str_gt, '10' = 10 AS str_eq, '10' > '9' AS str_str, 1 = 1.0 AS int_dec

-- query: string_compare_int_invalid
-- covers: implicit cast, comparison, invalid cast
SELECT COUNT(*) AS n FROM plays WHERE country_code = 1

-- query: sum_string_column
-- covers: implicit cast, sum, string
SELECT SUM(tags) AS s FROM plays

-- query: array_index_out_of_bounds
-- covers: array index, ansi
SELECT array(1, 2, 3)[5] AS x

-- query: element_at_out_of_bounds
-- covers: element_at, ansi
SELECT element_at(array(1, 2, 3), 5) AS x

-- query: element_at_zero_index
-- covers: element_at, ansi
SELECT element_at(array(1, 2, 3), 0) AS x

-- query: map_missing_key
-- covers: map, element_at, ansi
SELECT map('a', 1)['zz'] AS by_index, element_at(map('a', 1), 'zz') AS by_element_at

-- query: to_date_unparseable
-- covers: to_date, ansi, cannot parse
SELECT to_date('2022-13-45') AS x

-- query: to_date_wrong_pattern
-- covers: to_date, ansi, cannot parse, yyyymmdd
SELECT to_date('2022-01-01', 'yyyyMMdd') AS x

-- query: to_timestamp_unparseable
-- covers: to_timestamp, ansi, cannot parse
SELECT to_timestamp('not a time') AS x

-- query: unix_timestamp_unparseable
-- covers: unix_timestamp, ansi, cannot parse
SELECT unix_timestamp('2022/01/01') AS x

-- query: try_to_timestamp_null
-- covers: try_to_timestamp, try_to_date
SELECT try_to_timestamp('not a time') AS bad, try_to_timestamp('2022-01-01 10:00:00') AS good, try_to_date('31/01/2022', 'dd/MM/yyyy') AS d

-- query: make_date_invalid
-- covers: make_date, ansi
SELECT make_date(2022, 2, 30) AS x

-- query: sqrt_negative_is_nan
-- covers: sqrt, ln, log10, acos, nan, ansi
SELECT sqrt(-1) AS sq, ln(0) AS ln0, ln(-1) AS ln_neg, log10(0) AS log0, acos(2) AS acos2

-- query: round_overflow_int
-- covers: round, ansi overflow
SELECT round(2147483647, -1) AS x

-- query: to_date_single_digit_month
-- covers: to_date, yyyy-mm-dd, pattern strictness
SELECT to_date('2022-1-5', 'yyyy-MM-dd') AS x

-- query: date_add_string_days
-- covers: date_add, implicit cast
SELECT date_add(DATE '2022-01-01', '3') AS x

-- query: int_pow_overflow_is_double
-- covers: power, ansi
SELECT power(2, 64) AS x, typeof(power(2, 64)) AS t, 2147483647 + 1L AS widened

-- query: double_zero_over_zero
-- covers: division by zero, double, nan
SELECT 0.0D / 0.0D AS x

-- query: string_fraction_plus_int
-- covers: implicit cast, string to number, invalid cast
SELECT '1.5' + 1 AS x
