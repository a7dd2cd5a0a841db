-- One row per points change (积分明细): member, time, signed change, kind, the balance the export gave after it.
SELECT member_id, occurred_at, delta, kind, balance_after FROM points_ledger ORDER BY member_id, occurred_at
