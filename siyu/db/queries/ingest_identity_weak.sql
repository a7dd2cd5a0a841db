-- One row per WeCom record (no phone) that is the same customer row as an earlier export:
-- same 客户名称 (weak identity) AND a friendship with the same staff member and the same add time.
SELECT w.rid, min(i.member_id) AS member_id
FROM stg_weak_keys w
JOIN member_identities i ON i.kind = 'wecom_name' AND i.value = w.wecom_name
JOIN friends f ON f.member_id = i.member_id AND f.staff_id = w.staff_id AND f.added_at = w.added_at
GROUP BY w.rid
