-- Incoming orders already stored, and whether the values that matter are unchanged.
SELECT s.order_id,
       (o.status = s.status AND o.paid_cents = s.paid_cents AND o.refunded_cents = s.refunded_cents
        AND o.paid_at IS NOT DISTINCT FROM s.paid_at) AS same
FROM stg_orders_in s
JOIN orders o ON o.order_id = s.order_id
