-- Every campaign with its member counts: planned (send / holdout arms) and sent (members with a send row).
SELECT c.campaign, c.origin, c.source, c.planned_at, c.planned_by, c.seed, c.holdout_share, c.variants, c.comparison,
       c.note,
       (SELECT count(*) FROM campaign_members m WHERE m.campaign = c.campaign AND m.arm = 'send') AS planned_send,
       (SELECT count(*) FROM campaign_members m WHERE m.campaign = c.campaign AND m.arm = 'holdout') AS planned_holdout,
       (SELECT count(DISTINCT s.member_id) FROM campaign_sends s WHERE s.campaign = c.campaign AND s.arm = 'send') AS sent,
       (SELECT min(s.sent_at) FROM campaign_sends s WHERE s.campaign = c.campaign AND s.arm = 'send') AS first_sent_at
FROM campaigns c
ORDER BY coalesce(c.planned_at, (SELECT min(s.sent_at) FROM campaign_sends s WHERE s.campaign = c.campaign)) DESC, c.campaign
