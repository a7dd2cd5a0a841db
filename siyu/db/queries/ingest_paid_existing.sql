-- Incoming paid-membership terms already stored for the same member and start; `same` when nothing changed.
SELECT s.member_id, s.started_at,
       (p.expires_at = s.expires_at AND p.fee_cents = s.fee_cents AND p.plan IS NOT DISTINCT FROM s.plan) AS same
FROM stg_paid s JOIN paid_memberships p ON p.member_id = s.member_id AND p.started_at = s.started_at
