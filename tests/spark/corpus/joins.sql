-- query: inner_join_titles
-- covers: inner join
-- ordered
SELECT p.id, p.title_id, t.genre, t.release_year
FROM plays p
JOIN titles t ON p.title_id = t.title_id
ORDER BY p.id

-- query: left_join_titles
-- covers: left join
-- ordered
SELECT p.id, p.title_id, t.title AS catalog_title, t.genre
FROM plays p
LEFT JOIN titles t ON p.title_id = t.title_id
ORDER BY p.id

-- query: right_join_titles
-- covers: right join
SELECT p.id, t.title_id, t.title
FROM plays p
RIGHT JOIN titles t ON p.title_id = t.title_id

-- query: full_outer_join
-- covers: full outer join
SELECT p.id, p.title_id AS play_title, t.title_id AS catalog_title
FROM plays p
FULL OUTER JOIN titles t ON p.title_id = t.title_id

-- query: left_semi_join
-- covers: left semi join
SELECT t.title_id, t.title
FROM titles t
LEFT SEMI JOIN plays p ON t.title_id = p.title_id

-- query: left_anti_join
-- covers: left anti join
SELECT t.title_id, t.title
FROM titles t
LEFT ANTI JOIN plays p ON t.title_id = p.title_id

-- query: anti_join_plays_without_title
-- covers: left anti join
-- ordered
SELECT p.id, p.title_id
FROM plays p
LEFT ANTI JOIN titles t ON p.title_id = t.title_id
ORDER BY p.id

-- query: not_in_with_null
-- covers: not in, subquery, null
SELECT title_id FROM titles WHERE title_id NOT IN (SELECT title_id FROM plays)

-- query: not_in_without_null
-- covers: not in, subquery
SELECT title_id FROM titles WHERE title_id NOT IN (SELECT title_id FROM plays WHERE title_id IS NOT NULL)

-- query: in_subquery
-- covers: in, subquery
SELECT id FROM plays WHERE title_id IN (SELECT title_id FROM titles WHERE genre = 'drama' OR genre = 'kids')

-- query: exists_correlated
-- covers: exists, correlated subquery
SELECT t.title_id, t.title
FROM titles t
WHERE EXISTS (SELECT 1 FROM plays p WHERE p.title_id = t.title_id AND p.view_hours > 3)

-- query: not_exists_correlated
-- covers: not exists, correlated subquery
SELECT t.title_id, t.title
FROM titles t
WHERE NOT EXISTS (SELECT 1 FROM plays p WHERE p.title_id = t.title_id)

-- query: join_using
-- covers: join using
SELECT title_id, p.id, t.genre
FROM plays p
JOIN titles t USING (title_id)

-- query: null_safe_join
-- covers: null-safe equal, <=>, inner join
SELECT p.id, t.title
FROM plays p
JOIN titles t ON p.title_id <=> t.title_id

-- query: cross_join_count
-- covers: cross join, count
SELECT COUNT(*) AS n FROM plays CROSS JOIN titles

-- query: three_way_join
-- covers: inner join, left join, group by, sum
-- ordered
SELECT c.region, t.genre, SUM(p.view_hours) AS hours
FROM plays p
JOIN countries c ON p.country_code = c.country_code
LEFT JOIN titles t ON p.title_id = t.title_id
GROUP BY c.region, t.genre
ORDER BY c.region, t.genre NULLS LAST

-- query: join_non_equi
-- covers: inner join, non-equi join
SELECT p.id, t.title_id
FROM plays p
JOIN titles t ON p.title_id = t.title_id AND p.playback_date > DATE '2021-12-31'

-- query: left_join_filter_in_on_vs_where
-- covers: left join, on condition
-- ordered
SELECT c.country_code, COUNT(p.id) AS kids_plays
FROM countries c
LEFT JOIN plays p ON p.country_code = c.country_code AND p.is_kids
GROUP BY c.country_code
ORDER BY c.country_code

-- query: self_join_same_user
-- covers: self join, inner join
SELECT a.id AS first_id, b.id AS second_id
FROM plays a
JOIN plays b ON a.user_id = b.user_id AND a.id < b.id

-- query: join_aggregated_subquery
-- covers: inner join, subquery, group by
-- ordered
SELECT t.title, s.hours
FROM titles t
JOIN (SELECT title_id, SUM(view_hours) AS hours FROM plays GROUP BY title_id) s ON s.title_id = t.title_id
ORDER BY t.title

-- query: implicit_comma_join
-- covers: comma join, where
SELECT p.id, c.country_name
FROM plays p, countries c
WHERE p.country_code = c.country_code AND p.view_hours >= 2.5

-- query: full_outer_join_coalesce_key
-- covers: full outer join, coalesce
SELECT COALESCE(c.country_code, p.country_code) AS code, COUNT(p.id) AS plays, MAX(c.country_name) AS name
FROM countries c
FULL OUTER JOIN plays p ON p.country_code = c.country_code
GROUP BY COALESCE(c.country_code, p.country_code)
