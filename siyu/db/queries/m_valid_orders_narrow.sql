-- One row per valid order: the three columns most metrics need, kept in memory between runs.
SELECT member_id, paid_at, net_cents FROM valid_orders
