-- Demo build: the brand's customer groups from demo_groups (owner names from the staff table).
INSERT INTO groups (group_id, group_name, owner_id, owner_name, created_at, batch_id)
SELECT g.group_id, g.group_name, g.owner_id, s.name, g.created_at, $batch_id
FROM demo_groups g LEFT JOIN staff s ON s.staff_id = g.owner_id
