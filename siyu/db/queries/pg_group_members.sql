-- The members with a membership of one of the groups $groups (a list of group ids) open at the instant
-- $until (the end of the data's last day): joined before it and not left by then (a saved segment's
-- layer / group rule, siyu.engine.population).
SELECT DISTINCT member_id
FROM group_memberships
WHERE list_contains($groups, group_id) AND joined_at < $until AND (left_at IS NULL OR left_at >= $until)
