-- The staff members (WeCom members who own friendships) with their display names.
SELECT staff_id, coalesce(name, staff_id) AS name FROM staff
