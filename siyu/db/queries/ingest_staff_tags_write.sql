-- Staff seen for the first time, and tags (with their group) not yet recorded for a member.
INSERT INTO staff (staff_id, name, department, batch_id)
SELECT staff_id, any_value(staff_name), any_value(department), $batch_id
FROM stg_staff s
WHERE NOT EXISTS (SELECT 1 FROM staff t WHERE t.staff_id = s.staff_id)
GROUP BY staff_id;

INSERT INTO member_tags (member_id, tag_group, tag, batch_id)
SELECT DISTINCT member_id, tag_group, tag, $batch_id
FROM stg_tags s
WHERE NOT EXISTS (SELECT 1 FROM member_tags t
                  WHERE t.member_id = s.member_id AND t.tag_group = s.tag_group AND t.tag = s.tag)
