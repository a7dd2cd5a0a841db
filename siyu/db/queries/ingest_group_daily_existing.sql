-- Incoming daily group statistics already stored for the same day and owner; `same` when nothing changed.
SELECT s.day, s.owner,
       (d.new_groups IS NOT DISTINCT FROM s.new_groups AND d.groups_total IS NOT DISTINCT FROM s.groups_total
        AND d.active_groups IS NOT DISTINCT FROM s.active_groups AND d.new_members IS NOT DISTINCT FROM s.new_members
        AND d.members_total IS NOT DISTINCT FROM s.members_total
        AND d.active_members IS NOT DISTINCT FROM s.active_members
        AND d.messages IS NOT DISTINCT FROM s.messages) AS same
FROM stg_gdaily s JOIN group_daily d ON d.day = s.day AND d.owner = s.owner
