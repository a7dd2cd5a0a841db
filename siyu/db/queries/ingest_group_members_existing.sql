-- Incoming memberships already stored; `changed` when the file gives a leave time other than the stored one.
SELECT s.group_id, s.member_id, s.joined_at,
       (s.left_at IS NOT NULL AND s.left_at IS DISTINCT FROM m.left_at) AS changed
FROM stg_gm s
JOIN group_memberships m ON m.group_id = s.group_id AND m.member_id = s.member_id AND m.joined_at = s.joined_at
