-- Demo build: referral edges from demo_referrals.
INSERT INTO referrals (referee_id, referrer_id, referred_at, campaign, batch_id)
SELECT referee_id, referrer_id, referred_at, campaign, $batch_id FROM demo_referrals
