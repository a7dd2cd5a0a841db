-- Store the value of one point (the 会员权益 page / `python -m siyu points-value`).
INSERT INTO points_value (id, yuan_per_point, updated_at, updated_by) VALUES (1, CAST($value AS DECIMAL(18, 6)), $at, $by)
ON CONFLICT (id) DO UPDATE SET yuan_per_point = excluded.yuan_per_point, updated_at = excluded.updated_at,
                               updated_by = excluded.updated_by
