-- Incoming friendships already stored (key member, staff, add time); unchanged unless a new deletion is known.
SELECT s.member_id, s.staff_id, s.added_at,
       (s.deleted_at IS NULL
        OR (f.deleted_at IS NOT DISTINCT FROM s.deleted_at AND f.deleted_by IS NOT DISTINCT FROM s.deleted_by)) AS same
FROM stg_friends s
JOIN friends f ON f.member_id = s.member_id AND f.staff_id = s.staff_id AND f.added_at = s.added_at
