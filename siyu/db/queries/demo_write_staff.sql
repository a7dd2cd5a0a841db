-- Demo build: the brand's WeCom staff from demo_staff.
INSERT INTO staff (staff_id, name, department, batch_id)
SELECT staff_id, name, department, $batch_id FROM demo_staff
