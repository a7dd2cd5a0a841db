-- Staff ids by name, for exports that carry only the staff member's name (names shared by two staff are left out).
SELECT name AS staff_name, min(staff_id) AS known_id
FROM staff
WHERE name IS NOT NULL
GROUP BY name
HAVING count(*) = 1
