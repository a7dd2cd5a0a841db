-- Demo build: WeCom's daily group statistic per owner from demo_group_daily.
INSERT INTO group_daily (day, owner, new_groups, groups_total, active_groups, new_members, members_total,
                         active_members, messages, batch_id)
SELECT day, owner, new_groups, groups_total, active_groups, new_members, members_total, active_members, messages,
       $batch_id
FROM demo_group_daily
