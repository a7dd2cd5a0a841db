-- Group-member rows without a strong identity that are the same membership row an earlier export stored
-- (same group, same join time, same listed name): the member that row belongs to.
SELECT w.row_no, min(m.member_id) AS member_id
FROM stg_gm_weak w
JOIN group_memberships m ON m.group_id = w.group_id AND m.joined_at = w.joined_at AND m.nickname = w.nickname
GROUP BY w.row_no
HAVING count(DISTINCT m.member_id) = 1
