-- query: concat_with_null
-- covers: concat, null, ||
-- ordered
SELECT id, concat(country_code, '-', title) AS key, country_code || ':' || CAST(title_id AS STRING) AS key2
FROM plays
ORDER BY id

-- query: concat_ws_skips_null
-- covers: concat_ws, null
-- ordered
SELECT id, concat_ws('|', country_code, title, tags) AS joined, concat_ws('-') AS nothing
FROM plays
ORDER BY id

-- query: upper_lower_initcap
-- covers: upper, lower, initcap, ucase, lcase
-- ordered
SELECT id, upper(title) AS up, lower(title) AS low, initcap(lower(title)) AS cap, ucase(country_code) AS u, lcase(tags) AS l
FROM plays
ORDER BY id

-- query: length_unicode
-- covers: length, char_length, octet_length, bit_length
-- ordered
SELECT id, title, length(title) AS len, char_length(title) AS chars, octet_length(title) AS bytes, bit_length(country_code) AS bits
FROM plays
ORDER BY id

-- query: substring_variants
-- covers: substring, substr, left, right, negative position
-- ordered
SELECT id, substring(title, 1, 5) AS first5, substr(title, -3) AS last3, substring(title, 0, 3) AS from_zero,
       left(title, 4) AS l4, right(title, 2) AS r2, substring(title FROM 3 FOR 2) AS sql_form
FROM plays
ORDER BY id

-- query: instr_locate_position
-- covers: instr, locate, position
-- ordered
SELECT id, instr(title, 'e') AS instr_e, locate('e', title) AS locate_e, locate('e', title, 5) AS locate_from_5,
       position('r' IN title) AS pos_r
FROM plays
ORDER BY id

-- query: lpad_rpad
-- covers: lpad, rpad
-- ordered
SELECT id, lpad(CAST(id AS STRING), 4, '0') AS padded, rpad(country_code, 4, '*') AS rp,
       lpad(title, 3, '.') AS truncated, lpad('x', 5) AS default_pad
FROM plays
ORDER BY id

-- query: trim_family
-- covers: trim, ltrim, rtrim, btrim
SELECT trim('  a b  ') AS t, ltrim('  a b  ') AS lt, rtrim('  a b  ') AS rt,
       trim(BOTH 'x' FROM 'xxaxx') AS both_x, trim(LEADING '0' FROM '000120') AS lead0,
       trim(TRAILING '.' FROM '3.50..') AS trail_dot, btrim('--a--', '-') AS bt

-- query: replace_translate
-- covers: replace, translate
-- ordered
SELECT id, replace(tags, ',', ';') AS semicolons, replace(title, ' ') AS no_spaces,
       translate(title, 'aeiou', 'AEIOU') AS vowels, translate(country_code, 'USB', 'us') AS drop_b
FROM plays
ORDER BY id

-- query: split_and_index
-- covers: split, element_at, array index, size
-- ordered
SELECT id, split(tags, ',') AS parts, size(split(tags, ',')) AS n, split(tags, ',')[0] AS first_tag,
       element_at(split(tags, ','), -1) AS last_tag
FROM plays
ORDER BY id

-- query: split_part_and_substring_index
-- covers: split_part, substring_index
-- ordered
SELECT id, split_part(tags, ',', 2) AS second, substring_index(ts_text, ' ', 1) AS day_part,
       substring_index(ts_text, ':', -1) AS seconds_part
FROM plays
ORDER BY id

-- query: hashes
-- covers: md5, sha1, sha2, crc32, hash
SELECT md5('Stranger Things') AS md5, sha1('Stranger Things') AS sha1, sha2('Stranger Things', 256) AS sha256,
       sha2('', 512) AS sha512_empty, crc32('Stranger Things') AS crc, hash('Stranger Things') AS murmur

-- query: md5_of_columns
-- covers: md5, concat_ws, surrogate key
-- ordered
SELECT id, md5(concat_ws('||', country_code, CAST(title_id AS STRING), CAST(playback_date AS STRING))) AS row_key
FROM plays
ORDER BY id

-- query: format_number_and_format_string
-- covers: format_number, format_string, printf
SELECT format_number(1234567.891, 2) AS fn, format_number(0.5, 0) AS fn_half, format_number(12.5, '#,##0.0') AS fn_pattern,
       format_string('%s has %d plays', 'US', 5) AS fs, printf('%05.1f', 3.14159D) AS pf, format_number(2.5, 0) AS fn_half_even

-- query: repeat_reverse_space
-- covers: repeat, reverse, space
-- ordered
SELECT id, repeat(country_code, 2) AS twice, reverse(title) AS backwards, concat('[', space(2), ']') AS spaced
FROM plays
ORDER BY id

-- query: like_patterns
-- covers: like, ilike, not like, escape
-- ordered
SELECT id, title LIKE 'The%' AS starts_the, title ILIKE '%PIG' AS ends_pig, title NOT LIKE '%a%' AS no_a,
       title LIKE '_m%' AS second_m
FROM plays
ORDER BY id

-- query: like_escape_underscore
-- covers: like, escape
SELECT 'a_b' LIKE 'a\\_b' AS escaped, 'axb' LIKE 'a\\_b' AS not_matched, '50%' LIKE '50!%' ESCAPE '!' AS bang

-- query: startswith_endswith_contains
-- covers: startswith, endswith, contains
-- ordered
SELECT id, startswith(title, 'Str') AS sw, endswith(title, 'ig') AS ew, contains(tags, 'kids') AS has_kids
FROM plays
ORDER BY id

-- query: ascii_chr_unicode
-- covers: ascii, chr, char
SELECT ascii('A') AS a, ascii('Ñandú') AS n_tilde, chr(65) AS chr65, char(97) AS char97, ascii('') AS empty

-- query: string_compare_and_sort
-- covers: order by, string collation, unicode
-- ordered
SELECT DISTINCT title
FROM plays
ORDER BY title NULLS FIRST

-- query: empty_string_vs_null
-- covers: empty string, null, length, coalesce
-- ordered
SELECT id, title = '' AS is_empty, title IS NULL AS is_null, length(title) AS len, coalesce(nullif(title, ''), 'unknown') AS cleaned
FROM plays
WHERE id IN (1, 12, 13)
ORDER BY id

-- query: overlay_and_insert
-- covers: overlay, left, right
SELECT overlay('Stranger Things' PLACING 'Danger' FROM 1 FOR 8) AS ov, overlay('2022-01-01' PLACING '12' FROM 6) AS ov2

-- query: string_agg_ordered
-- covers: string_agg, listagg, within group
-- ordered
SELECT country_code, string_agg(DISTINCT title, ', ') WITHIN GROUP (ORDER BY title) AS titles
FROM plays
WHERE country_code IN ('US', 'NO', 'BR')
GROUP BY country_code
ORDER BY country_code

-- query: levenshtein_soundex
-- covers: levenshtein, soundex
SELECT levenshtein('kitten', 'sitting') AS lev, soundex('Robert') AS sx, soundex('Rupert') AS sx2

-- query: base64_hex
-- covers: base64, unbase64, hex, unhex, encode, decode
SELECT base64('Amélie') AS b64, CAST(unbase64('U3Bhcms=') AS STRING) AS decoded, hex('Spark') AS hx, hex(255) AS hx_int,
       decode(encode('Ñandú', 'UTF-8'), 'UTF-8') AS roundtrip

-- query: string_to_binary_output
-- covers: encode, binary, unhex
SELECT encode('Spark', 'UTF-8') AS bytes, unhex('CAFE') AS cafe

-- query: left_right_with_unicode
-- covers: left, right, substring, unicode
SELECT left('Ñandú 東京', 3) AS l, right('Ñandú 東京', 2) AS r, substring('東京ラブ', 2, 2) AS mid, upper('straße') AS up_sz
