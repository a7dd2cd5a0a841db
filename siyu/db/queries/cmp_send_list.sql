-- The send arm of one campaign ($campaign) with what a send needs: name, a full phone (never a masked one),
-- the WeCom external id and the staff member of the member's newest friendship still in place.
WITH arm AS (SELECT member_id, variant FROM campaign_members WHERE campaign = $campaign AND arm = 'send'),
phones AS (
    SELECT member_id, min(value) AS phone FROM member_identities
    WHERE kind = 'phone' AND member_id IN (SELECT member_id FROM arm) GROUP BY member_id),
ext AS (
    SELECT member_id, min(value) AS wecom_external_id FROM member_identities
    WHERE kind = 'wecom_external_id' AND member_id IN (SELECT member_id FROM arm) GROUP BY member_id),
friend AS (
    SELECT f.member_id, arg_max(f.staff_id, f.added_at) AS staff_id FROM friends f
    WHERE f.deleted_at IS NULL AND f.member_id IN (SELECT member_id FROM arm) GROUP BY f.member_id)
SELECT a.member_id, m.display_name, p.phone, e.wecom_external_id, s.name AS staff_name, fr.staff_id, a.variant
FROM arm a
JOIN members m ON m.member_id = a.member_id
LEFT JOIN phones p ON p.member_id = a.member_id
LEFT JOIN ext e ON e.member_id = a.member_id
LEFT JOIN friend fr ON fr.member_id = a.member_id
LEFT JOIN staff s ON s.staff_id = fr.staff_id
ORDER BY a.variant, a.member_id
