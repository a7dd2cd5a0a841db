-- One row per customer group: id, name and the type a file stated (the layer rules decide the rest).
SELECT group_id, group_name, group_type FROM groups
