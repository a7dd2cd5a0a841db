-- New groups; then the stored groups this file changes, keeping their previous values for undo (a value
-- the file leaves empty keeps the stored one).
INSERT INTO groups (group_id, group_name, owner_id, owner_name, created_at, member_count, notice, group_type, batch_id)
SELECT group_id, group_name, owner_id, owner_name, created_at, member_count, notice, group_type, $batch_id
FROM stg_groups_new;

INSERT INTO ingest_undo_groups (batch_id, group_id, group_name, owner_id, owner_name, created_at, member_count,
                                notice, group_type, prev_batch_id)
SELECT $batch_id, g.group_id, g.group_name, g.owner_id, g.owner_name, g.created_at, g.member_count, g.notice,
       g.group_type, g.batch_id
FROM groups g JOIN stg_groups_upd u ON u.group_id = g.group_id;

UPDATE groups SET group_name = coalesce(u.group_name, groups.group_name),
                  owner_id = coalesce(u.owner_id, groups.owner_id),
                  owner_name = coalesce(u.owner_name, groups.owner_name),
                  created_at = coalesce(u.created_at, groups.created_at),
                  member_count = coalesce(u.member_count, groups.member_count),
                  notice = coalesce(u.notice, groups.notice),
                  group_type = coalesce(u.group_type, groups.group_type),
                  batch_id = $batch_id
FROM stg_groups_upd u
WHERE groups.group_id = u.group_id
