-- One row per imported channel cost: the channel, its period (both days inclusive) and the spend in cents.
SELECT channel, period_start, period_end, cost_cents FROM channel_costs
