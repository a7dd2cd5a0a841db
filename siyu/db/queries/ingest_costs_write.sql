-- New channel costs; then the ones this file replaces, keeping their previous values for undo.
INSERT INTO channel_costs (channel, period_start, period_end, cost_cents, note, batch_id)
SELECT channel, period_start, period_end, cost_cents, note, $batch_id FROM stg_costs_new;

INSERT INTO ingest_undo_channel_costs (batch_id, channel, period_start, period_end, cost_cents, note, prev_batch_id)
SELECT $batch_id, c.channel, c.period_start, c.period_end, c.cost_cents, c.note, c.batch_id
FROM channel_costs c JOIN stg_costs_upd u
  ON u.channel = c.channel AND u.period_start = c.period_start AND u.period_end = c.period_end;

UPDATE channel_costs SET cost_cents = u.cost_cents, note = u.note, batch_id = $batch_id
FROM stg_costs_upd u
WHERE channel_costs.channel = u.channel AND channel_costs.period_start = u.period_start
  AND channel_costs.period_end = u.period_end
