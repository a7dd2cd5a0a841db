-- One row per friendship: its start and end.
SELECT member_id, added_at, deleted_at FROM friends
