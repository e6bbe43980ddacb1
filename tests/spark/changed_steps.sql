-- The "changed" pipeline of the template tests: the article's steps with top N as a parameter
-- (the CLI sets 10) and a fourth step, which reads a user parameter and has an expression in its
-- projection, so the DataFrame recipes keep it as Spark SQL.
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
