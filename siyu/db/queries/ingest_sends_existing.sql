-- Sends already stored for the campaigns of the staged file (stg_sends: campaign, member_id, sent_at, ...).
SELECT s.campaign, s.member_id, s.sent_at FROM campaign_sends s
WHERE s.campaign IN (SELECT DISTINCT campaign FROM stg_sends)
