-- Demo build: friendships from demo_friends; `channel` is the member's acquisition channel (the QR state).
INSERT INTO friends (member_id, staff_id, added_at, deleted_at, deleted_by, add_way, add_way_code, channel, batch_id)
SELECT member_id, staff_id, added_at, deleted_at, deleted_by, add_way, add_way_code, channel, $batch_id
FROM demo_friends
