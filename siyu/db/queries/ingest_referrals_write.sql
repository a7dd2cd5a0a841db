-- New referrals; then referrals replaced by an earlier one (the first referrer wins), previous kept for undo.
INSERT INTO referrals (referee_id, referrer_id, referred_at, campaign, batch_id)
SELECT referee_id, referrer_id, referred_at, campaign, $batch_id FROM stg_referrals_new;

INSERT INTO ingest_undo_referrals (batch_id, referee_id, referrer_id, referred_at, campaign)
SELECT $batch_id, r.referee_id, r.referrer_id, r.referred_at, r.campaign
FROM referrals r JOIN stg_referrals_upd u ON u.referee_id = r.referee_id;

UPDATE referrals SET referrer_id = u.referrer_id, referred_at = u.referred_at, campaign = u.campaign
FROM stg_referrals_upd u
WHERE referrals.referee_id = u.referee_id
