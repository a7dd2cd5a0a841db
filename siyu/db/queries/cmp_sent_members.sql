-- member_id and first send time of each member sent in campaign $campaign (arm send).
SELECT member_id, min(sent_at) AS sent_at FROM campaign_sends
WHERE campaign = $campaign AND arm = 'send' GROUP BY member_id ORDER BY member_id
