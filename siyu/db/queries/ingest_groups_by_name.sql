-- Stored group ids by name, for exports that name groups only by 群名称 (names shared by two groups are left out).
SELECT group_name, min(group_id) AS known_id FROM groups GROUP BY group_name HAVING count(*) = 1
