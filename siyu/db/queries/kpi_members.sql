-- One row per member: when they joined.
SELECT member_id, joined_at FROM members
