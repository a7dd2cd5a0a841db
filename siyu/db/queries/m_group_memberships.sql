-- One row per membership (member x group x join): the narrow columns the group metrics read.
SELECT group_id, member_id, joined_at, left_at FROM group_memberships
