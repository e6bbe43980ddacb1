-- query: collect_list_sorted
-- covers: collect_list, sort_array, group by
-- ordered
SELECT country_code, sort_array(collect_list(title_id)) AS title_ids
FROM plays
GROUP BY country_code
ORDER BY country_code NULLS FIRST

-- query: collect_set_sorted
-- covers: collect_set, array_sort, group by
-- ordered
SELECT country_code, array_sort(collect_set(title)) AS titles
FROM plays
GROUP BY country_code
ORDER BY country_code NULLS FIRST

-- query: collect_list_skips_nulls
-- covers: collect_list, null, size
SELECT size(collect_list(view_hours)) AS n_hours, size(collect_list(title)) AS n_titles, COUNT(*) AS n
FROM plays

-- query: sort_array_desc_nulls
-- covers: sort_array, array literal, null
SELECT sort_array(array(3, NULL, 1, 2)) AS asc_nulls_first, sort_array(array(3, NULL, 1, 2), false) AS desc_nulls_last,
       array_sort(array(3, NULL, 1, 2)) AS array_sort_nulls_last

-- query: size_and_contains
-- covers: size, array_contains, split
-- ordered
SELECT id, size(split(tags, ',')) AS n_tags, array_contains(split(tags, ','), 'kids') AS is_kids_tag
FROM plays
ORDER BY id

-- query: explode_split_tags
-- covers: explode, split, lateral
-- ordered
SELECT id, tag
FROM (SELECT id, explode(split(tags, ',')) AS tag FROM plays)
ORDER BY id, tag

-- query: explode_count_by_tag
-- covers: explode, split, trim, group by
-- ordered
SELECT trim(tag) AS tag, COUNT(*) AS n
FROM (SELECT explode(split(tags, ',')) AS tag FROM plays) t
GROUP BY trim(tag)
ORDER BY tag

-- query: explode_outer_keeps_null
-- covers: explode_outer, split
-- ordered
SELECT id, explode_outer(split(tags, ',')) AS tag
FROM plays
WHERE id IN (9, 12, 13)
ORDER BY id, tag NULLS FIRST

-- query: posexplode_positions
-- covers: posexplode, split
-- ordered
SELECT id, pos, tag
FROM (SELECT id, posexplode(split(tags, ',')) AS (pos, tag) FROM plays WHERE id IN (1, 3, 13))
ORDER BY id, pos

-- query: lateral_view_explode
-- covers: lateral view, explode, split
-- ordered
SELECT p.id, t.tag
FROM plays p
LATERAL VIEW explode(split(p.tags, ',')) t AS tag
WHERE p.country_code = 'US'
ORDER BY p.id, t.tag

-- query: lateral_view_outer
-- covers: lateral view outer, explode
-- ordered
SELECT p.id, t.tag
FROM plays p
LATERAL VIEW OUTER explode(split(p.tags, ',')) t AS tag
WHERE p.id >= 9
ORDER BY p.id, t.tag NULLS FIRST

-- query: lateral_view_posexplode
-- covers: lateral view, posexplode
-- ordered
SELECT p.id, t.pos, t.tag
FROM plays p
LATERAL VIEW posexplode(split(p.tags, ',')) t AS pos, tag
WHERE p.id IN (1, 8)
ORDER BY p.id, t.pos

-- query: explode_empty_array_drops_row
-- covers: explode, explode_outer, array literal
SELECT 'plain' AS kind, COUNT(*) AS n FROM (SELECT explode(array()) AS x)
UNION ALL
SELECT 'outer', COUNT(*) FROM (SELECT explode_outer(array()) AS x)

-- query: array_functions
-- covers: array_distinct, array_union, array_intersect, array_except, array_join, array_position, array_remove
SELECT array_distinct(array(1, 2, 2, 3, 1)) AS distinct_vals, array_union(array(1, 2), array(2, 3)) AS uni,
       array_intersect(array(1, 2, 3), array(2, 3, 4)) AS inter, array_except(array(1, 2, 3), array(2)) AS exc,
       array_join(array('a', NULL, 'b'), '-') AS joined, array_join(array('a', NULL, 'b'), '-', '?') AS joined_null,
       array_position(array(5, 6, 7), 7) AS pos, array_remove(array(1, 2, 1), 1) AS removed

-- query: array_min_max_slice
-- covers: array_min, array_max, slice, reverse, flatten, concat
SELECT array_min(array(3, 1, 2)) AS mn, array_max(array(3, 1, 2)) AS mx, slice(array(1, 2, 3, 4), 2, 2) AS sl,
       reverse(array(1, 2, 3)) AS rev, flatten(array(array(1, 2), array(3))) AS flat, concat(array(1), array(2, 3)) AS cat

-- query: element_at_and_index
-- covers: element_at, try_element_at, array index
SELECT element_at(array(10, 20, 30), 1) AS first, element_at(array(10, 20, 30), -1) AS last,
       array(10, 20, 30)[2] AS zero_based, try_element_at(array(10, 20, 30), 5) AS missing

-- query: higher_order_functions
-- covers: transform, filter, aggregate, exists, forall
SELECT transform(array(1, 2, 3), x -> x * 10) AS times_ten, filter(array(1, 2, 3, 4), x -> x % 2 = 0) AS evens,
       aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x) AS total, exists(array(1, 2, 3), x -> x > 2) AS any_gt2,
       forall(array(1, 2, 3), x -> x > 0) AS all_pos

-- query: transform_split_trim
-- covers: transform, split, trim
-- ordered
SELECT id, transform(split(tags, ','), t -> upper(trim(t))) AS clean_tags
FROM plays
WHERE id IN (8, 13)
ORDER BY id

-- query: array_contains_null_semantics
-- covers: array_contains, null
SELECT array_contains(array(1, NULL), 2) AS missing_with_null, array_contains(array(1, NULL), 1) AS found,
       array_contains(array(1, 2), CAST(NULL AS INT)) AS null_needle

-- query: map_functions
-- covers: map, map_keys, map_values, element_at, map_from_arrays, str_to_map
SELECT map('a', 1, 'b', 2) AS m, map_keys(map('a', 1, 'b', 2)) AS ks, map_values(map('a', 1, 'b', 2)) AS vs,
       element_at(map('a', 1, 'b', 2), 'b') AS b, map_from_arrays(array('x', 'y'), array(1.5, 2.5)) AS mfa,
       str_to_map('k1:v1,k2:v2') AS parsed

-- query: struct_and_named_struct
-- covers: struct, named_struct, field access
SELECT named_struct('code', 'US', 'hours', 3.5) AS s, struct(1 AS a, 'x' AS b).b AS field_b

-- query: collect_list_of_struct_sorted
-- covers: collect_list, struct, sort_array
-- ordered
SELECT country_code, sort_array(collect_list(struct(playback_date, id))) AS history
FROM plays
WHERE country_code IN ('NO', 'BR')
GROUP BY country_code
ORDER BY country_code

-- query: array_size_of_null_and_empty
-- covers: size, cardinality, array_size, null
SELECT size(CAST(NULL AS ARRAY<INT>)) AS size_null, cardinality(array()) AS card_empty, array_size(array(1, 2)) AS asz,
       size(split('', ',')) AS split_empty

-- query: two_generators_in_select
-- covers: explode, two generators
SELECT explode(array(1, 2)) AS a, explode(array(3, 4)) AS b

-- query: struct_names_and_fields
-- covers: struct, named_struct, field access
SELECT struct(id, title).title AS t, struct(id + 1, title) AS s, named_struct('a', 1).a AS a
FROM plays
WHERE id = 1

-- query: posexplode_outer_and_two_generators
-- covers: posexplode_outer, explode, lateral view, generator
SELECT id, posexplode_outer(split(tags, ',')) AS (pos, tag)
FROM plays
WHERE id IN (1, 9, 13)

-- query: aggregate_with_column_and_finish
-- covers: aggregate, reduce, filter, lambda
-- ordered
SELECT id, aggregate(split(tags, ','), '', (acc, t) -> concat(acc, upper(t), country_code)) AS folded,
       reduce(array(1.5D, 2.5D), 0D, (acc, x) -> acc + x, acc -> acc * id) AS finished,
       filter(split(tags, ','), t -> t <> 'drama') AS not_drama
FROM plays
WHERE id IN (1, 2, 11, 12, 13)
ORDER BY id
