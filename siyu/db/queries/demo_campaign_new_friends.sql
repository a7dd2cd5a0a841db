-- Demo recall B: each member's first friendship added in [$start, $end), sent 2 hours after the add if still a
-- friend then; whether a friendship of theirs ended or they left a customer group in the 7 days from the send,
-- and whether they bought in 14.
WITH first AS (
    SELECT member_id, min(added_at) AS added_at FROM friends
    WHERE added_at >= $start AND added_at < $end GROUP BY member_id),
f AS (
    SELECT fi.member_id, fi.added_at + INTERVAL 2 HOUR AS sent_at FROM first fi
    WHERE NOT EXISTS (SELECT 1 FROM friends x WHERE x.member_id = fi.member_id AND x.added_at = fi.added_at
                      AND x.deleted_at < fi.added_at + INTERVAL 2 HOUR)),
gone AS (  -- campaign_lift's over-messaging cost: a friendship ended or a customer group left
    SELECT member_id, deleted_at AS at FROM friends WHERE deleted_at IS NOT NULL
    UNION ALL SELECT member_id, left_at FROM group_memberships WHERE left_at IS NOT NULL),
d AS (
    SELECT f.member_id, bool_or(x.at >= f.sent_at AND x.at < f.sent_at + INTERVAL 7 DAY) AS deleted_7d
    FROM f JOIN gone x ON x.member_id = f.member_id GROUP BY f.member_id),
b AS (
    SELECT DISTINCT f.member_id FROM f JOIN valid_orders o ON o.member_id = f.member_id
    WHERE o.paid_at >= f.sent_at AND o.paid_at < f.sent_at + INTERVAL 14 DAY)
SELECT f.member_id, f.sent_at, coalesce(d.deleted_7d, false) AS deleted_7d, b.member_id IS NOT NULL AS bought
FROM f LEFT JOIN d ON d.member_id = f.member_id LEFT JOIN b ON b.member_id = f.member_id
ORDER BY f.member_id
