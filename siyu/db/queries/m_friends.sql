-- One row per friendship with its channel (QR state / tag) and add way.
SELECT member_id, added_at, deleted_at, channel, add_way FROM friends
