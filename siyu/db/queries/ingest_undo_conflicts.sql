-- Later committed batches that built on what batch $batch_id wrote (its members, staff, orders,
-- friendships, snapshots, referrals, channel costs, groups, group memberships, points or paid memberships); they must be undone first.
WITH mine_members AS (
    SELECT member_id FROM members WHERE batch_id = $batch_id
), touched_members AS (
    SELECT member_id FROM mine_members
    UNION SELECT member_id FROM ingest_undo_members WHERE batch_id = $batch_id
), mine_orders AS (
    SELECT order_id FROM orders WHERE batch_id = $batch_id
    UNION SELECT order_id FROM ingest_undo_orders WHERE batch_id = $batch_id
), mine_friends AS (
    SELECT member_id, staff_id, added_at FROM friends WHERE batch_id = $batch_id
    UNION SELECT member_id, staff_id, added_at FROM ingest_undo_friends WHERE batch_id = $batch_id
), mine_snaps AS (
    SELECT member_id, snapshot_date FROM member_snapshots WHERE batch_id = $batch_id
    UNION SELECT member_id, snapshot_date FROM ingest_undo_snapshots WHERE batch_id = $batch_id
), mine_refs AS (
    SELECT referee_id FROM referrals WHERE batch_id = $batch_id
    UNION SELECT referee_id FROM ingest_undo_referrals WHERE batch_id = $batch_id
), mine_costs AS (
    SELECT channel, period_start, period_end FROM channel_costs WHERE batch_id = $batch_id
    UNION SELECT channel, period_start, period_end FROM ingest_undo_channel_costs WHERE batch_id = $batch_id
    UNION SELECT channel, period_start, period_end FROM ingest_undo_channel_costs WHERE prev_batch_id = $batch_id
), mine_groups AS (
    SELECT group_id FROM groups WHERE batch_id = $batch_id
    UNION SELECT group_id FROM ingest_undo_groups WHERE batch_id = $batch_id
    UNION SELECT group_id FROM group_snapshots WHERE batch_id = $batch_id
), mine_memberships AS (
    SELECT group_id, member_id, joined_at FROM group_memberships WHERE batch_id = $batch_id
    UNION SELECT group_id, member_id, joined_at FROM ingest_undo_group_memberships WHERE batch_id = $batch_id
), mine_days AS (
    SELECT day, owner FROM group_daily WHERE batch_id = $batch_id
    UNION SELECT day, owner FROM ingest_undo_group_daily WHERE batch_id = $batch_id
), users AS (
    SELECT batch_id FROM orders WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM friends WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM member_snapshots WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM member_identities WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM member_tags WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM points_ledger WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM paid_memberships WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM ingest_undo_paid_memberships WHERE prev_batch_id = $batch_id
    UNION ALL SELECT batch_id FROM referrals WHERE referee_id IN (SELECT member_id FROM mine_members)
                                             OR referrer_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM ingest_undo_members WHERE member_id IN (SELECT member_id FROM touched_members)
    UNION ALL SELECT batch_id FROM friends WHERE staff_id IN (SELECT staff_id FROM staff WHERE batch_id = $batch_id)
    UNION ALL SELECT batch_id FROM ingest_undo_orders WHERE order_id IN (SELECT order_id FROM mine_orders)
    UNION ALL SELECT batch_id FROM order_items WHERE order_id IN (SELECT order_id FROM mine_orders)
    UNION ALL SELECT u.batch_id FROM ingest_undo_friends u JOIN mine_friends m
        ON u.member_id = m.member_id AND u.staff_id = m.staff_id AND u.added_at = m.added_at
    UNION ALL SELECT u.batch_id FROM ingest_undo_snapshots u JOIN mine_snaps m
        ON u.member_id = m.member_id AND u.snapshot_date = m.snapshot_date
    UNION ALL SELECT batch_id FROM ingest_undo_referrals WHERE referee_id IN (SELECT referee_id FROM mine_refs)
    UNION ALL SELECT batch_id FROM group_memberships WHERE member_id IN (SELECT member_id FROM mine_members)
    UNION ALL SELECT batch_id FROM group_memberships WHERE group_id IN (SELECT group_id FROM mine_groups)
    UNION ALL SELECT batch_id FROM group_snapshots WHERE group_id IN (SELECT group_id FROM mine_groups)
    UNION ALL SELECT batch_id FROM ingest_undo_groups WHERE group_id IN (SELECT group_id FROM mine_groups)
    UNION ALL SELECT u.batch_id FROM ingest_undo_group_memberships u JOIN mine_memberships m
        ON u.group_id = m.group_id AND u.member_id = m.member_id AND u.joined_at = m.joined_at
    UNION ALL SELECT u.batch_id FROM ingest_undo_group_daily u JOIN mine_days m ON u.day = m.day AND u.owner = m.owner
    UNION ALL SELECT u.batch_id FROM ingest_undo_channel_costs u JOIN mine_costs m
        ON u.channel = m.channel AND u.period_start = m.period_start AND u.period_end = m.period_end
)
SELECT DISTINCT u.batch_id
FROM users u JOIN import_batches b ON b.batch_id = u.batch_id
WHERE u.batch_id > $batch_id AND b.status = 'committed'
ORDER BY 1
