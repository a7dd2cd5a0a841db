-- member_id, left_at of every customer-group membership that ended in [$since, $until): the group leaves
-- campaign_lift counts as the cost of over-messaging (the engine binds the campaigns' first start and last
-- start + 7 days, so only leaves that can fall in some member's window are read).
SELECT member_id, left_at FROM group_memberships
WHERE left_at >= $since AND left_at < $until
ORDER BY member_id, left_at
