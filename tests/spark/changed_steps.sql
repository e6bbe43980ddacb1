-- The "changed" pipeline of the template tests: the article's steps with top N as a parameter
-- (the CLI sets 10); a fourth step, which reads a user parameter and has an expression in its
-- projection, so the DataFrame recipes keep it as Spark SQL; and a fifth in the Spark SQL the
-- engine's Spark layer adds (LATERAL VIEW explode, split, a Java date pattern, IF, a decimal
-- literal), which must give the same rows on Spark.
-- step: STEP_1
SELECT
    title_id
    , country_code
    , SUM(view_hours) AS view_hours
FROM some_db.source_table
WHERE playback_date = DATE '${date}'
GROUP BY
    title_id
    , country_code

-- step: STEP_2
SELECT
    title_id
    , country_code
    , view_hours
    , RANK() OVER (
        PARTITION BY country_code
        ORDER BY view_hours DESC
    ) AS title_rank
FROM STEP_1

-- step: STEP_3
SELECT
    title_id
    , country_code
    , view_hours
    , title_rank
FROM STEP_2
WHERE title_rank <= ${top_n}

-- step: STEP_4
SELECT
    title_id
    , country_code
    , title_rank
    , ROUND(view_hours, 2) AS view_hours
FROM STEP_3
WHERE view_hours >= ${min_hours} AND country_code <> "BR"

-- step: STEP_5
SELECT
    title_id
    , country_code
    , title_rank
    , view_hours
FROM STEP_4
LATERAL VIEW explode(split(date_format(DATE '${date}', 'yyyy-MM-dd'), '-')) parts AS part
WHERE part = date_format(DATE '${date}', 'yyyy')
    AND IF(view_hours > 0.25, TRUE, FALSE)
