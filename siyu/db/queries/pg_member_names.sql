-- One row per listed member ($ids: a list of member ids): display name and one phone (a full normalised
-- phone when known, else a masked one). For recall lists; the last order day comes from the order frame
-- kept in memory (siyu.engine.lookups.member_contacts), not from a scan of every order here.
WITH ids AS (SELECT DISTINCT unnest($ids::BIGINT[]) AS member_id),
phones AS (
    SELECT i.member_id,
           min(i.value) FILTER (WHERE i.kind = 'phone') AS phone,
           min(i.value) FILTER (WHERE i.kind = 'phone_masked') AS masked
    FROM member_identities i SEMI JOIN ids ON ids.member_id = i.member_id
    WHERE i.kind IN ('phone', 'phone_masked')
    GROUP BY i.member_id)
SELECT m.member_id,
       m.display_name,
       coalesce(p.phone, p.masked) AS phone
FROM members m
SEMI JOIN ids ON ids.member_id = m.member_id
LEFT JOIN phones p ON p.member_id = m.member_id
ORDER BY m.member_id
