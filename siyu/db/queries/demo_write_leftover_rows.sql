-- Demo build, after clear_demo: rows that are not the demo's. Any at all means real data is present.
SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM friends)
     + (SELECT count(*) FROM member_snapshots) + (SELECT count(*) FROM referrals)
     + (SELECT count(*) FROM member_identities) + (SELECT count(*) FROM staff) + (SELECT count(*) FROM tiers)
     + (SELECT count(*) FROM order_items) + (SELECT count(*) FROM channel_costs) + (SELECT count(*) FROM member_tags)
     + (SELECT count(*) FROM groups) + (SELECT count(*) FROM group_memberships) + (SELECT count(*) FROM group_daily)
     + (SELECT count(*) FROM group_snapshots)
     + (SELECT count(*) FROM campaign_sends)
     + (SELECT count(*) FROM points_ledger) + (SELECT count(*) FROM paid_memberships)
     + (SELECT count(*) FROM tier_thresholds) AS leftover
