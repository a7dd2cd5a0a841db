-- New days; then the days this file restates, keeping the previous numbers for undo (the later export wins).
INSERT INTO group_daily (day, owner, new_groups, groups_total, active_groups, new_members, members_total,
                         active_members, messages, batch_id)
SELECT day, owner, new_groups, groups_total, active_groups, new_members, members_total, active_members, messages,
       $batch_id
FROM stg_gdaily_new;

INSERT INTO ingest_undo_group_daily (batch_id, day, owner, new_groups, groups_total, active_groups, new_members,
                                     members_total, active_members, messages, prev_batch_id)
SELECT $batch_id, d.day, d.owner, d.new_groups, d.groups_total, d.active_groups, d.new_members, d.members_total,
       d.active_members, d.messages, d.batch_id
FROM group_daily d JOIN stg_gdaily_upd u ON u.day = d.day AND u.owner = d.owner;

UPDATE group_daily SET new_groups = u.new_groups, groups_total = u.groups_total, active_groups = u.active_groups,
                       new_members = u.new_members, members_total = u.members_total,
                       active_members = u.active_members, messages = u.messages, batch_id = $batch_id
FROM stg_gdaily_upd u
WHERE group_daily.day = u.day AND group_daily.owner = u.owner
