-- Incoming groups already stored; `same` when the file changes none of their values (a value the file
-- leaves empty keeps the stored one).
SELECT s.group_id,
       (coalesce(s.group_name, g.group_name) IS NOT DISTINCT FROM g.group_name
        AND coalesce(s.owner_id, g.owner_id) IS NOT DISTINCT FROM g.owner_id
        AND coalesce(s.owner_name, g.owner_name) IS NOT DISTINCT FROM g.owner_name
        AND coalesce(s.created_at, g.created_at) IS NOT DISTINCT FROM g.created_at
        AND coalesce(s.member_count, g.member_count) IS NOT DISTINCT FROM g.member_count
        AND coalesce(s.notice, g.notice) IS NOT DISTINCT FROM g.notice
        AND coalesce(s.group_type, g.group_type) IS NOT DISTINCT FROM g.group_type) AS same
FROM stg_groups s JOIN groups g ON g.group_id = s.group_id
