-- Demo build: paid VIP terms from demo_paid_memberships (siyu/demo/loyalty.py).
INSERT INTO paid_memberships (member_id, started_at, expires_at, fee_cents, plan, batch_id)
SELECT member_id, started_at, expires_at, fee_cents, plan, $batch_id FROM demo_paid_memberships
