-- Demo build: monthly spend per acquisition channel from demo_channel_costs.
INSERT INTO channel_costs (channel, period_start, period_end, cost_cents, note, batch_id)
SELECT channel, period_start, period_end, cost_cents, '演示数据 demo', $batch_id FROM demo_channel_costs
