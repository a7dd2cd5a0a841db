-- The stored referral (if any) of each incoming referee.
SELECT s.referee_id, r.referrer_id AS old_referrer, r.referred_at AS old_referred_at
FROM stg_referrals s
JOIN referrals r ON r.referee_id = s.referee_id
