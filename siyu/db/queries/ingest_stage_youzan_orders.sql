-- siyu/ingest/staged.py: a youzan_orders CSV as DuckDB reads it ({raw}: ingest_stage_read.sql) -> each row's canonical
-- order, the columns and values profile_orders.youzan_orders gives, where every cell the profile reads is in a
-- plain form an 有赞 export writes (`plain`); other rows are converted by that Polars profile. {field} are the
-- staging table's columns c0..cN the profile maps (NULL when absent): identifiers chosen by the code, never
-- input.

-- An amount as exports write it, to cents: `1299`, `1299.5`, `¥1299.00`, `￥1,299.00`, `1299.00元`, at most 15
-- digits before the point (parsers.parse_amounts reads these to the same cents; no sign: a negative amount is an
-- error or, for a discount, its absolute value, left to the profile). Anything else is NULL. The forms 有赞 writes
-- come first with the cheapest conversion (DuckDB tests every branch of a CASE once per batch of rows).
CREATE OR REPLACE TEMP MACRO plain_cents(v) AS CASE
    WHEN regexp_full_match(v, '\d{1,15}\.\d\d') THEN CAST(CAST(v AS DECIMAL(18, 2)) * 100 AS BIGINT)
    WHEN regexp_full_match(v, '¥\d{1,15}\.\d\d') THEN CAST(CAST(substr(v, 2) AS DECIMAL(18, 2)) * 100 AS BIGINT)
    WHEN v IS NULL THEN NULL
    WHEN regexp_full_match(v, '[¥￥]?(\d{1,15}|\d{1,3}(,\d{3}){1,4})(\.\d{1,2})?元?')
    THEN CAST(CAST(replace(rtrim(ltrim(v, '¥￥'), '元'), ',', '') AS DECIMAL(18, 2)) * 100 AS BIGINT) END;

-- A date-time as exports write it, brand-local: `2024-03-05 14:05:00`, `2024/3/5 14:05:00`, `2024/3/5 14:05`,
-- `2024-03-05T14:05`, `2024-03-05 14:05`, `2024-03-05`, `2024/3/5` (parsers.parse_datetimes reads these to the
-- same time). A day or time that does not exist is NULL; so is any other form (the profile reads it). One format
-- per branch: a list of formats costs four times as much.
CREATE OR REPLACE TEMP MACRO plain_time(v) AS CASE
    WHEN regexp_full_match(v, '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d') THEN try_strptime(v, '%Y-%m-%d %H:%M:%S')
    WHEN regexp_full_match(v, '\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d\d:\d\d') THEN try_strptime(v, '%Y/%m/%d %H:%M:%S')
    WHEN regexp_full_match(v, '\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d\d') THEN try_strptime(v, '%Y/%m/%d %H:%M')
    WHEN v IS NULL THEN NULL
    WHEN regexp_full_match(v, '\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?')
    THEN try_strptime(translate(v, 'T', ' ') || CASE WHEN length(v) = 16 THEN ':00' ELSE '' END, '%Y-%m-%d %H:%M:%S')
    WHEN regexp_full_match(v, '\d{4}[-/]\d{1,2}[-/]\d{1,2}') THEN try_strptime(translate(v, '/', '-'), '%Y-%m-%d') END;

-- Every record: its canonical order (meaningful where `plain`).
WITH cells AS NOT MATERIALIZED (
    SELECT {order_id} AS order_id, {status} AS status_text, {created_at} AS created_text, {paid_at} AS paid_text,
           {amount} AS amount_text, {refund} AS refund_text, {discount} AS discount_text, {buyer_phone} AS phone_text,
           {buyer_nickname} AS display_name, {store} AS store, {sales_channel} AS sales_channel,
           {distributor} AS distributor,
           -- The free-text cells joined by line feeds, to test them in one pass (below).
           concat_ws(chr(10), {order_id}, {status}, {buyer_nickname}, {store}, {sales_channel}, {distributor}) AS joined,
           {cells}
    FROM {raw}
), typed AS NOT MATERIALIZED (
    SELECT *,
           -- Free text as the profile keeps it (no padding, no control characters, not too long), tested in one
           -- pass over the cells joined by line feeds: a staged file has no quotes, so no line feed inside a cell,
           -- and concat_ws leaves out absent cells. The other cells are held to full-match patterns.
           order_id IS NOT NULL AND status_text IS NOT NULL AND NOT regexp_matches(joined,
               '^[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]|[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]$|\n[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]|[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]\n|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}]')
               AND length(joined) <= $max_chars AS plain_text,
           regexp_matches(status_text, $unpaid) AS unpaid,
           regexp_matches(status_text, $closed) AS closed,
           plain_time(created_text) AS created_ts, plain_time(paid_text) AS paid_ts,
           plain_cents(amount_text) AS amount_cents, plain_cents(refund_text) AS refund_cents,
           plain_cents(discount_text) AS discount_cents,
           -- `13800138000`, `+86 138-0013-8000`, `86 138 0013 8000`: the 11-digit mobile (parsers.normalise_phones).
           CASE WHEN regexp_full_match(phone_text, '1\d{10}') THEN phone_text
                WHEN regexp_full_match(phone_text, '(\+?86[ -]?)?1\d{2}[ -]?\d{4}[ -]?\d{4}')
                THEN right(regexp_replace(phone_text, '[^0-9]', '', 'g'), 11) END AS phone,
           CASE WHEN regexp_full_match(phone_text, '1\d{2}\*{4}\d{4}') THEN phone_text END AS phone_masked
    FROM cells
), decided AS NOT MATERIALIZED (
    SELECT *, NOT unpaid AND NOT (closed AND paid_text IS NULL) AS needs_payment,
           coalesce(amount_cents, 0) AS paid, coalesce(refund_cents, 0) AS refund
    FROM typed
)
SELECT
       -- Exactly the rows where the profile finds no error and reads each cell as above.
       coalesce(plain_text
           AND (created_text IS NULL OR created_ts BETWEEN $earliest AND $tomorrow)
           AND (paid_text IS NULL OR paid_ts BETWEEN $earliest AND $tomorrow)
           AND (paid_text IS NOT NULL OR NOT needs_payment)
           AND (amount_cents < $max_cents OR amount_text IS NULL AND NOT needs_payment)
           AND (refund_text IS NULL OR refund_cents < $max_cents)
           AND (discount_text IS NULL OR discount_cents < $max_cents)
           AND (phone IS NOT NULL OR phone_masked IS NOT NULL OR phone_text IS NULL AND unpaid), false) AS plain,
       'youzan:' || order_id AS order_id, phone, phone_masked, display_name, created_ts AS created_at,
       CASE WHEN unpaid THEN NULL ELSE paid_ts END AS paid_at, paid AS paid_cents, refund AS refunded_cents,
       coalesce(discount_cents, 0) AS discount_cents,
       CASE WHEN unpaid THEN 'unpaid'
            WHEN closed AND paid_text IS NULL THEN 'cancelled'
            WHEN paid > 0 AND refund >= paid THEN 'refunded'
            WHEN refund > 0 THEN 'partially_refunded'
            WHEN closed THEN 'cancelled'
            ELSE 'paid' END AS status,
       'CNY' AS currency, store, sales_channel, distributor, {cells}
FROM decided
