-- One row per listed member ($ids: a list of member ids): display name and one phone (a full normalised
-- phone when known, else a masked one) and the last valid order day. For recall lists.
SELECT m.member_id::VARCHAR AS member_id,
       m.display_name,
       coalesce(
           (SELECT min(i.value) FROM member_identities i WHERE i.member_id = m.member_id AND i.kind = 'phone'),
           (SELECT min(i.value) FROM member_identities i WHERE i.member_id = m.member_id AND i.kind = 'phone_masked')
       ) AS phone,
       (SELECT max(o.paid_at)::DATE FROM valid_orders o WHERE o.member_id = m.member_id) AS last_order
FROM members m
WHERE m.member_id IN (SELECT unnest($ids::BIGINT[]))
ORDER BY m.member_id
