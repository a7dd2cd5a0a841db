-- One row per valid order: the three columns most metrics need plus a small integer code of the store
-- (for the store filter, applied in memory; queries/m_store_codes.sql names the codes), sorted by member
-- then time so a member's orders are one contiguous run. A code, not the name: 10M store names would
-- double the frame and the fetch's peak memory.
WITH stores AS (
    SELECT store, (row_number() OVER (ORDER BY store))::INTEGER AS store_code
    FROM (SELECT DISTINCT store FROM valid_orders WHERE store IS NOT NULL)
)
SELECT v.member_id, v.paid_at, v.net_cents, s.store_code
FROM valid_orders v
LEFT JOIN stores s ON s.store = v.store
ORDER BY v.member_id, v.paid_at
