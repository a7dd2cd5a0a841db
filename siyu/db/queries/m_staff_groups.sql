-- The customer groups with their 群主 (owner account, else name), for the staff scorecard's groups_owned.
SELECT group_id, owner_id, owner_name, created_at FROM groups
