-- New friendships; then friendships whose deletion is now known, keeping previous values for undo.
INSERT INTO friends (member_id, staff_id, added_at, deleted_at, deleted_by, add_way, add_way_code, channel, batch_id)
SELECT member_id, staff_id, added_at, deleted_at, deleted_by, add_way, add_way_code, friend_channel, $batch_id
FROM stg_friends_new;

INSERT INTO ingest_undo_friends (batch_id, member_id, staff_id, added_at, deleted_at, deleted_by)
SELECT $batch_id, f.member_id, f.staff_id, f.added_at, f.deleted_at, f.deleted_by
FROM friends f JOIN stg_friends_upd u
  ON u.member_id = f.member_id AND u.staff_id = f.staff_id AND u.added_at = f.added_at;

UPDATE friends SET deleted_at = u.deleted_at, deleted_by = u.deleted_by
FROM stg_friends_upd u
WHERE friends.member_id = u.member_id AND friends.staff_id = u.staff_id AND friends.added_at = u.added_at
