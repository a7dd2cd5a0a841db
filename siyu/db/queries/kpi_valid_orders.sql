-- One row per valid order (see the valid_orders view), narrow columns only.
SELECT member_id, paid_at, net_cents FROM valid_orders
