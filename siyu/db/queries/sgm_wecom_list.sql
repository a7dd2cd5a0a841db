-- The population's members who can be reached in WeCom: one row per open friendship (member × staff member),
-- with what WeCom's customer-tag import (通过表格管理成员: external_userid) and the 群发 tools (the staff
-- member's userid and the customer) match on: the WeCom external id when an export carried it, the name,
-- one phone (full when known, else masked). Runs through the scope's views (siyu.db.scope).
WITH ext AS (
    SELECT member_id, min(value) AS external_userid FROM member_identities
    WHERE kind = 'wecom_external_id' GROUP BY member_id),
phones AS (
    SELECT member_id, coalesce(min(value) FILTER (WHERE kind = 'phone'),
                               min(value) FILTER (WHERE kind = 'phone_masked')) AS phone
    FROM member_identities WHERE kind IN ('phone', 'phone_masked') GROUP BY member_id)
SELECT f.member_id,
       m.display_name AS customer_name,
       e.external_userid,
       f.staff_id AS userid,
       coalesce(st.name, f.staff_id) AS staff_name,
       p.phone,
       min(f.added_at) AS added_at
FROM friends f
JOIN members m ON m.member_id = f.member_id
LEFT JOIN ext e ON e.member_id = f.member_id
LEFT JOIN phones p ON p.member_id = f.member_id
LEFT JOIN staff st ON st.staff_id = f.staff_id
WHERE f.deleted_at IS NULL
GROUP BY ALL
ORDER BY f.staff_id, f.member_id
