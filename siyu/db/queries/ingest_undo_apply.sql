-- Undo batch $batch_id: rows it updated get their previous values back, rows it inserted are removed.
-- Undo rows written before schema version 7 (007_order_snapshots.sql) hold no discount (the orders table's discount_cents is never NULL, so
-- a NULL marks them): those batches changed only status, payment and refund; the rest is kept.
UPDATE orders SET status = u.status, paid_at = u.paid_at, paid_cents = u.paid_cents,
                  refunded_cents = u.refunded_cents, updated_batch_id = u.updated_batch_id,
                  created_at = CASE WHEN u.discount_cents IS NULL THEN orders.created_at ELSE u.created_at END,
                  discount_cents = coalesce(u.discount_cents, orders.discount_cents),
                  store = CASE WHEN u.discount_cents IS NULL THEN orders.store ELSE u.store END,
                  sales_channel = CASE WHEN u.discount_cents IS NULL THEN orders.sales_channel ELSE u.sales_channel END,
                  distributor = CASE WHEN u.discount_cents IS NULL THEN orders.distributor ELSE u.distributor END,
                  coupon_code = CASE WHEN u.discount_cents IS NULL THEN orders.coupon_code ELSE u.coupon_code END,
                  snapshot_at = CASE WHEN u.discount_cents IS NULL THEN orders.snapshot_at ELSE u.snapshot_at END
FROM ingest_undo_orders u
WHERE u.batch_id = $batch_id AND orders.order_id = u.order_id;

UPDATE members SET joined_at = u.joined_at, display_name = u.display_name, channel = u.channel
FROM ingest_undo_members u
WHERE u.batch_id = $batch_id AND members.member_id = u.member_id;

UPDATE friends SET deleted_at = u.deleted_at, deleted_by = u.deleted_by
FROM ingest_undo_friends u
WHERE u.batch_id = $batch_id AND friends.member_id = u.member_id AND friends.staff_id = u.staff_id
  AND friends.added_at = u.added_at;

UPDATE member_snapshots SET tier = u.tier, points = u.points, growth_value = u.growth_value
FROM ingest_undo_snapshots u
WHERE u.batch_id = $batch_id AND member_snapshots.member_id = u.member_id
  AND member_snapshots.snapshot_date = u.snapshot_date;

UPDATE referrals SET referrer_id = u.referrer_id, referred_at = u.referred_at, campaign = u.campaign
FROM ingest_undo_referrals u
WHERE u.batch_id = $batch_id AND referrals.referee_id = u.referee_id;

UPDATE channel_costs SET cost_cents = u.cost_cents, note = u.note, batch_id = u.prev_batch_id
FROM ingest_undo_channel_costs u
WHERE u.batch_id = $batch_id AND channel_costs.channel = u.channel
  AND channel_costs.period_start = u.period_start AND channel_costs.period_end = u.period_end;

UPDATE paid_memberships SET expires_at = u.expires_at, fee_cents = u.fee_cents, plan = u.plan, batch_id = u.prev_batch_id
FROM ingest_undo_paid_memberships u
WHERE u.batch_id = $batch_id AND paid_memberships.member_id = u.member_id
  AND paid_memberships.started_at = u.started_at;

UPDATE groups SET group_name = u.group_name, owner_id = u.owner_id, owner_name = u.owner_name,
                  created_at = u.created_at, member_count = u.member_count, notice = u.notice,
                  group_type = u.group_type, batch_id = u.prev_batch_id
FROM ingest_undo_groups u
WHERE u.batch_id = $batch_id AND groups.group_id = u.group_id;

UPDATE group_memberships SET left_at = u.left_at, left_source = u.left_source, last_seen = u.last_seen
FROM ingest_undo_group_memberships u
WHERE u.batch_id = $batch_id AND group_memberships.group_id = u.group_id
  AND group_memberships.member_id = u.member_id AND group_memberships.joined_at = u.joined_at;

UPDATE group_daily SET new_groups = u.new_groups, groups_total = u.groups_total, active_groups = u.active_groups,
                       new_members = u.new_members, members_total = u.members_total,
                       active_members = u.active_members, messages = u.messages, batch_id = u.prev_batch_id
FROM ingest_undo_group_daily u
WHERE u.batch_id = $batch_id AND group_daily.day = u.day AND group_daily.owner = u.owner;

DELETE FROM group_daily WHERE batch_id = $batch_id;
DELETE FROM group_snapshots WHERE batch_id = $batch_id;
DELETE FROM group_memberships WHERE batch_id = $batch_id;
DELETE FROM groups WHERE batch_id = $batch_id;
DELETE FROM channel_costs WHERE batch_id = $batch_id;
DELETE FROM campaign_sends WHERE batch_id = $batch_id;
DELETE FROM campaigns WHERE origin = 'import'
  AND campaign NOT IN (SELECT campaign FROM campaign_sends) AND campaign NOT IN (SELECT campaign FROM campaign_members);
DELETE FROM points_ledger WHERE batch_id = $batch_id;
DELETE FROM paid_memberships WHERE batch_id = $batch_id;
DELETE FROM order_items WHERE batch_id = $batch_id;
DELETE FROM orders WHERE batch_id = $batch_id;
DELETE FROM referrals WHERE batch_id = $batch_id;
DELETE FROM member_snapshots WHERE batch_id = $batch_id;
DELETE FROM friends WHERE batch_id = $batch_id;
DELETE FROM member_tags WHERE batch_id = $batch_id;
DELETE FROM member_identities WHERE batch_id = $batch_id;
DELETE FROM staff WHERE batch_id = $batch_id;
DELETE FROM members WHERE batch_id = $batch_id;
DELETE FROM tiers WHERE NOT EXISTS (SELECT 1 FROM member_snapshots s WHERE s.tier = tiers.tier);
UPDATE import_batches SET status = 'undone' WHERE batch_id = $batch_id
