-- Demo build: the points ledger from demo_points_ledger (siyu/demo/loyalty.py); the key as an import makes it.
INSERT INTO points_ledger (entry_key, member_id, occurred_at, delta, kind, balance_after, order_id, reason, batch_id)
SELECT md5_number(concat_ws('|', member_id, strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%f'), kind, delta, balance_after, '-')),
       member_id, occurred_at, delta, kind, balance_after, NULL, '演示数据 demo', $batch_id
FROM demo_points_ledger
