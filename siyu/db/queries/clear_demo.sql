-- Remove every row written by demo batches, and the batches themselves.
DELETE FROM group_daily WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM group_snapshots WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM group_memberships WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM groups WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM tier_thresholds WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM points_ledger WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM paid_memberships WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM channel_costs WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM order_items WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM orders WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM referrals WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM member_snapshots WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM member_tags WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM friends WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM member_identities WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM staff WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM members WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM tiers WHERE NOT EXISTS (SELECT 1 FROM member_snapshots s WHERE s.tier = tiers.tier);
-- Campaigns: the demo's sends, and every campaign left without sends (the demo's own, and plans drawn on the
-- demo's members, which mean nothing once its members are gone).
DELETE FROM campaign_sends WHERE batch_id IN (SELECT batch_id FROM import_batches WHERE profile = 'demo');
DELETE FROM campaign_members WHERE campaign NOT IN (SELECT campaign FROM campaign_sends);
DELETE FROM campaigns WHERE campaign NOT IN (SELECT campaign FROM campaign_sends);
DELETE FROM import_batches WHERE profile = 'demo';
