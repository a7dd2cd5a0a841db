-- The values the global filters may take, with how many members (or orders, for stores) each has:
-- kind (channel | tier | store | staff | tag | segment), value, label, n. The filters accept nothing else.
-- A tag's value is 'group:tag' (siyu.db.scope.split_tag; a tag without a group is the bare tag, or ':tag'
-- when it holds a colon); a saved segment's n is NULL (its size depends on the data and the other filters).
SELECT 'channel' AS kind, channel AS value, channel AS label, count(*) AS n, NULL::INTEGER AS rank
FROM members WHERE channel IS NOT NULL GROUP BY channel
UNION ALL
SELECT 'tier', t.tier, t.tier, count(s.member_id), min(t.rank)
FROM tiers t LEFT JOIN (
    SELECT member_id, tier FROM member_snapshots
    QUALIFY row_number() OVER (PARTITION BY member_id ORDER BY snapshot_date DESC) = 1) s ON s.tier = t.tier
GROUP BY t.tier
UNION ALL
SELECT 'store', store, store, count(*), NULL FROM orders WHERE store IS NOT NULL GROUP BY store
UNION ALL
SELECT 'staff', f.staff_id, coalesce(any_value(st.name), f.staff_id), count(DISTINCT f.member_id), NULL
FROM friends f LEFT JOIN staff st ON st.staff_id = f.staff_id GROUP BY f.staff_id
UNION ALL
SELECT 'tag', v, v, n, NULL FROM (
    SELECT CASE WHEN tag_group <> '' OR tag LIKE '%:%' OR tag LIKE '%：%' THEN tag_group || ':' || tag ELSE tag END AS v,
           count(DISTINCT member_id) AS n
    FROM member_tags GROUP BY tag_group, tag)
UNION ALL
SELECT 'segment', name, name, NULL, NULL FROM saved_segments
ORDER BY kind, rank NULLS LAST, n DESC, value
