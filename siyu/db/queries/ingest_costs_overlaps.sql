-- Incoming channel costs whose period overlaps a stored period of the same channel without being it.
SELECT s.row_no, s.channel, s.period_start, s.period_end, c.period_start AS old_start, c.period_end AS old_end, c.batch_id
FROM stg_costs s
JOIN channel_costs c ON c.channel = s.channel
 AND c.period_start <= s.period_end AND s.period_start <= c.period_end
 AND NOT (c.period_start = s.period_start AND c.period_end = s.period_end)
ORDER BY s.row_no, c.period_start
