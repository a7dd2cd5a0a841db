-- One row per referral edge.
SELECT referee_id, referrer_id, referred_at, campaign FROM referrals
