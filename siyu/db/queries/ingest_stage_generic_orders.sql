-- siyu/ingest/staged.py: a generic_orders CSV converted while DuckDB reads it, inside the import's
-- transaction (after ingest_stage_read.sql's macros). Every record (the header too: the caller numbers the
-- records and leaves it out) gives `plain` (every cell in the plain machine-written form, so SQL gives exactly
-- what the Polars profile gives), the canonical order columns (meaningful where `plain`) and its cells
-- ({cells}: c0..cN) for the rows the Polars profile converts instead (and the caller's blank-row test). {raw}
-- is the file as read_csv gives it; {field} are the columns c0..cN the profile maps (NULL when absent):
-- identifiers chosen by the code, never input.
WITH cells AS NOT MATERIALIZED (
    SELECT {order_id} AS order_id, {member_id} AS member_id, {paid_at} AS paid_at_text, {amount} AS amount_text,
           {refund_amount} AS refund_text, {status} AS status_text, {store} AS store, {cells}
    FROM {raw}
), typed AS NOT MATERIALIZED (
    SELECT *,
           -- Text as generic_orders keeps it: no padding (Unicode white space), no control characters, not
           -- too long. The other cells are held to full-match patterns that admit neither.
           (order_id IS NULL OR plain_text(order_id, $max_chars)) AND (member_id IS NULL OR plain_text(member_id, $max_chars))
               AND (store IS NULL OR plain_text(store, $max_chars)) AS plain_text,
           CASE WHEN regexp_full_match(paid_at_text,
                         '\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])( ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)?')
                THEN try_strptime(paid_at_text, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d']) END AS paid_ts,
           CASE WHEN regexp_full_match(amount_text, '\d{1,15}(\.\d{1,2})?')
                THEN CAST(CAST(amount_text AS DECIMAL(18, 2)) * 100 AS BIGINT) END AS amount_cents,
           CASE WHEN refund_text IS NULL THEN 0
                WHEN regexp_full_match(refund_text, '\d{1,15}(\.\d{1,2})?')
                THEN CAST(CAST(refund_text AS DECIMAL(18, 2)) * 100 AS BIGINT) END AS refund_cents,
           CASE WHEN status_text IS NULL THEN 'paid'
                WHEN regexp_full_match(status_text, '[A-Za-z_]+|已支付|已退款|已取消')
                THEN $status_to[list_position($statuses, lower(status_text))] END AS status0
    FROM cells
)
SELECT
       plain_text AND order_id IS NOT NULL AND member_id IS NOT NULL
           AND paid_ts IS NOT NULL AND paid_ts >= $earliest AND paid_ts <= $tomorrow
           AND amount_cents IS NOT NULL AND amount_cents < $max_cents
           AND refund_cents IS NOT NULL AND refund_cents < $max_cents AND status0 IS NOT NULL AS plain,
       order_id, member_id AS ext_id, paid_ts AS created_at,
       CASE WHEN status0 = 'unpaid' THEN NULL ELSE paid_ts END AS paid_at,
       amount_cents AS paid_cents, refund_cents AS refunded_cents, 0::BIGINT AS discount_cents,
       CASE WHEN status0 = 'paid' AND amount_cents > 0 AND refund_cents >= amount_cents THEN 'refunded'
            WHEN status0 = 'paid' AND refund_cents > 0 THEN 'partially_refunded'
            ELSE status0 END AS status,
       'CNY' AS currency, store, {cells}
FROM typed
