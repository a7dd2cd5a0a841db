-- The member population of a global filter (NULL parameters do not restrict): the members of $channel,
-- whose latest member-export tier is $tier, who were ever a WeCom friend of $staff, and who carry $tag
-- (in the group $tag_group; NULL: in any group).
SELECT m.member_id
FROM members m
WHERE ($channel IS NULL OR m.channel = $channel)
  AND ($tier IS NULL OR m.member_id IN (
        SELECT member_id FROM member_snapshots
        QUALIFY row_number() OVER (PARTITION BY member_id ORDER BY snapshot_date DESC) = 1 AND tier = $tier))
  AND ($staff IS NULL OR m.member_id IN (SELECT member_id FROM friends WHERE staff_id = $staff))
  AND ($tag IS NULL OR m.member_id IN (
        SELECT member_id FROM member_tags WHERE tag = $tag AND ($tag_group IS NULL OR tag_group = $tag_group)))
