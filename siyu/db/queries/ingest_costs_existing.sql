-- Incoming channel costs already stored for the same channel and period; `same` when nothing changed.
SELECT s.channel, s.period_start, s.period_end,
       (c.cost_cents = s.cost_cents AND c.note IS NOT DISTINCT FROM s.note) AS same
FROM stg_costs s
JOIN channel_costs c ON c.channel = s.channel AND c.period_start = s.period_start AND c.period_end = s.period_end
