-- One row per paid membership term (付费会员): member, start, expiry, fee in cents, plan.
SELECT member_id, started_at, expires_at, fee_cents, plan FROM paid_memberships ORDER BY member_id, started_at
