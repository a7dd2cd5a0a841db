-- Incoming orders already stored: whether the values that matter are unchanged, and whether the incoming
-- row is an older state of the order (an earlier export imported after a newer one).
-- An order's state only moves forward: unpaid -> paid or cancelled -> partially refunded -> refunded, and
-- its refund only grows. A row behind the stored state (smaller refund, or an earlier status) is kept as
-- stored, so importing weekly exports in any order gives the same orders.
WITH ranked AS (
    SELECT s.order_id, s.status, s.paid_cents, s.refunded_cents, s.paid_at,
           o.status AS o_status, o.paid_cents AS o_paid_cents, o.refunded_cents AS o_refunded_cents, o.paid_at AS o_paid_at,
           CASE s.status WHEN 'unpaid' THEN 0 WHEN 'paid' THEN 1 WHEN 'cancelled' THEN 1
                         WHEN 'partially_refunded' THEN 2 WHEN 'refunded' THEN 3 END AS s_rank,
           CASE o.status WHEN 'unpaid' THEN 0 WHEN 'paid' THEN 1 WHEN 'cancelled' THEN 1
                         WHEN 'partially_refunded' THEN 2 WHEN 'refunded' THEN 3 END AS o_rank
    FROM stg_orders_in s
    JOIN orders o ON o.order_id = s.order_id
)
SELECT order_id,
       (o_status = status AND o_paid_cents = paid_cents AND o_refunded_cents = refunded_cents
        AND o_paid_at IS NOT DISTINCT FROM paid_at) AS same,
       (refunded_cents < o_refunded_cents OR s_rank < o_rank) AS behind
FROM ranked
