-- One row per valid order: the three columns most metrics need plus the store (for the store filter,
-- applied in memory), sorted by member then time so a member's orders are one contiguous run.
SELECT member_id, paid_at, net_cents, store FROM valid_orders ORDER BY member_id, paid_at
