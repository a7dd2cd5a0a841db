-- WeCom's daily group statistic summed over owners, one row per day (a count no row of the day gives stays NULL).
SELECT day, CAST(sum(new_groups) AS BIGINT) AS new_groups, CAST(sum(groups_total) AS BIGINT) AS groups_total,
       CAST(sum(active_groups) AS BIGINT) AS active_groups, CAST(sum(new_members) AS BIGINT) AS new_members,
       CAST(sum(members_total) AS BIGINT) AS members_total, CAST(sum(active_members) AS BIGINT) AS active_members,
       CAST(sum(messages) AS BIGINT) AS messages
FROM group_daily GROUP BY day ORDER BY day
