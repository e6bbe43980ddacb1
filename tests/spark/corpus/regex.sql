-- query: regexp_extract_groups
-- covers: regexp_extract, regex groups
-- ordered
SELECT id, regexp_extract(ts_text, '(\\d{4})-(\\d{2})-(\\d{2})', 1) AS y,
       regexp_extract(ts_text, '(\\d{4})-(\\d{2})-(\\d{2})', 3) AS d,
       regexp_extract(ts_text, '(\\d+):(\\d+)', 0) AS whole_match
FROM plays
ORDER BY id

-- query: regexp_extract_no_match
-- covers: regexp_extract, empty string
-- ordered
SELECT id, regexp_extract(title, '([0-9]+)', 1) AS digits, regexp_extract(tags, '^([a-z]+),', 1) AS first_tag
FROM plays
ORDER BY id

-- query: regexp_extract_default_group
-- covers: regexp_extract
SELECT regexp_extract('order-12345-x', 'order-(\\d+)') AS default_group,
       regexp_extract('A1B22C333', '[A-Z](\\d+)$', 1) AS last_num

-- query: regexp_replace_digits
-- covers: regexp_replace, \\d+
-- ordered
SELECT id, regexp_replace(ts_text, '\\d+', '#') AS masked, regexp_replace(ts_text, '[^0-9]', '') AS digits_only
FROM plays
ORDER BY id

-- query: regexp_replace_backrefs
-- covers: regexp_replace, backreference, $1
SELECT regexp_replace('2022-01-31', '(\\d{4})-(\\d{2})-(\\d{2})', '$3/$2/$1') AS eu_date,
       regexp_replace('John Smith', '(\\w+) (\\w+)', '$2, $1') AS swapped

-- query: regexp_replace_whitespace
-- covers: regexp_replace, \\s+, trim
SELECT regexp_replace('  many   spaces\there  ', '\\s+', ' ') AS collapsed,
       trim(regexp_replace('  many   spaces\there  ', '\\s+', ' ')) AS collapsed_trimmed

-- query: backslash_escapes_in_literals
-- covers: string literal escapes, backslash, length
SELECT '\\d' AS backslash_d, length('\\d') AS len2, '\d' AS unknown_escape, length('\d') AS len1,
       'a\tb' AS tab, length('a\nb') AS newline_len, 'it''s' AS doubled_quote, "dq" AS double_quoted

-- query: regexp_unescaped_d_is_letter_d
-- covers: regexp_replace, string literal escapes
SELECT regexp_replace('drama 2022', '\d', '_') AS single_backslash, regexp_replace('drama 2022', '\\d', '_') AS double_backslash

-- query: rlike_filter
-- covers: rlike, where
-- ordered
SELECT id, title
FROM plays
WHERE title RLIKE '^[A-Z][a-z]+ [A-Z]'
ORDER BY id

-- query: regexp_like_and_regexp
-- covers: regexp_like, regexp, rlike
-- ordered
SELECT id, regexp_like(tags, 'kids') AS rl, tags REGEXP '^drama' AS rx, title RLIKE '(?i)^the' AS case_insensitive
FROM plays
ORDER BY id

-- query: regexp_unicode
-- covers: rlike, regexp_replace, unicode
-- ordered
SELECT id, title RLIKE '[^\\x00-\\x7F]' AS non_ascii, regexp_replace(title, '[^A-Za-z ]', '?') AS ascii_only
FROM plays
ORDER BY id

-- query: regexp_count_and_instr
-- covers: regexp_count, regexp_instr, regexp_substr
SELECT regexp_count('drama,,kids', ',') AS commas, regexp_instr('abc123', '\\d+') AS first_digit_pos,
       regexp_substr('abc123def456', '\\d+') AS first_number, regexp_substr('abc', '\\d+') AS none

-- query: regexp_extract_all
-- covers: regexp_extract_all
SELECT regexp_extract_all('a1b22c333', '(\\d+)', 1) AS numbers, regexp_extract_all('2022-01-31', '\\d+', 0) AS parts

-- query: split_regex
-- covers: split, regex, limit
SELECT split('a1b22c333d', '\\d+') AS by_digits, split('a.b.c', '\\.') AS by_dot, split('a.b.c', '.') AS dot_is_regex,
       split('a,b,c,d', ',', 2) AS limit2, split('a,b,,', ',') AS trailing_empties

-- query: rlike_special_chars
-- covers: rlike, escape, dot
SELECT 'a.b' RLIKE 'a\\.b' AS escaped_dot, 'axb' RLIKE 'a\\.b' AS escaped_no, 'axb' RLIKE 'a.b' AS dot_any,
       'price: $5' RLIKE '\\$\\d' AS dollar

-- query: regexp_replace_null_and_empty
-- covers: regexp_replace, null, empty string
-- ordered
SELECT id, regexp_replace(title, '^$', '(empty)') AS marked, regexp_replace(country_code, 'S', '') AS no_s
FROM plays
ORDER BY id

-- query: regexp_extract_email_domain
-- covers: regexp_extract, lower
SELECT lower(regexp_extract('Contact: Ana.Lima@Example.COM.br', '@([A-Za-z0-9.]+)', 1)) AS domain,
       regexp_extract('no email here', '@([A-Za-z0-9.]+)', 1) AS none

-- query: like_vs_rlike_anchoring
-- covers: like, rlike, anchoring
SELECT 'drama,kids' RLIKE 'kids' AS rlike_partial, 'drama,kids' LIKE 'kids' AS like_whole,
       'drama,kids' RLIKE '^kids$' AS rlike_anchored
