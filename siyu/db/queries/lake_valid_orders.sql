-- The lake's order table: valid orders only (the definition lives in the valid_orders view), the member,
-- the payment time and the net amount in cents; what every order-reading metric starts from.
SELECT member_id, paid_at, net_cents FROM valid_orders ORDER BY member_id, paid_at
