-- New paid-membership terms; then the ones this file changes, keeping their previous values for undo.
INSERT INTO paid_memberships (member_id, started_at, expires_at, fee_cents, plan, batch_id)
SELECT member_id, started_at, expires_at, fee_cents, plan, $batch_id FROM stg_paid_new;

INSERT INTO ingest_undo_paid_memberships (batch_id, member_id, started_at, expires_at, fee_cents, plan, prev_batch_id)
SELECT $batch_id, p.member_id, p.started_at, p.expires_at, p.fee_cents, p.plan, p.batch_id
FROM paid_memberships p JOIN stg_paid_upd u ON u.member_id = p.member_id AND u.started_at = p.started_at;

UPDATE paid_memberships SET expires_at = u.expires_at, fee_cents = u.fee_cents, plan = u.plan, batch_id = $batch_id
FROM stg_paid_upd u
WHERE paid_memberships.member_id = u.member_id AND paid_memberships.started_at = u.started_at
