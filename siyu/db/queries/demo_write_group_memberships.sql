-- Demo build: group memberships from demo_group_memberships (leaves as a SCRM export states them).
INSERT INTO group_memberships (group_id, member_id, joined_at, left_at, left_source, join_way, member_type, batch_id)
SELECT group_id, member_id, joined_at, left_at, CASE WHEN left_at IS NOT NULL THEN 'export' END, join_way,
       '外部联系人', $batch_id
FROM demo_group_memberships
