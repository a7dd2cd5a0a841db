-- The data version: what every analytic query result depends on, and nothing else. It keys every cache
-- (the frames in memory, the files of siyu/db/frame_store.py, the pages' st.cache_data in siyu/ui/cache.py):
-- the database file; the schema version and the definitions of its views (a migration that redefines
-- valid_orders changes them); the import batches (ids, statuses, times and row counts, folded into one
-- fingerprint: an import, an update of an existing order, an undo, a cleared or rebuilt demo change it);
-- the newest batch that updated an order; and the row count of every table a frame reads (a row written
-- outside a batch changes them too); and the saved segments (a population every page may read, so saving
-- or changing one refreshes them). Logins, audit rows and settings are not in it, so they do not throw
-- cached frames away.
SELECT
    (SELECT path FROM duckdb_databases() WHERE database_name = current_database()) AS path,
    (SELECT coalesce(max(version), 0) FROM schema_version) AS schema_version,
    (SELECT coalesce(bit_xor(hash(schema_name, view_name, sql)), 0) FROM duckdb_views()
     WHERE database_name = current_database() AND NOT internal AND NOT temporary) AS views,
    count(*) AS batches,
    coalesce(bit_xor(hash(batch_id, status, imported_at, rows_inserted, rows_updated, profile)), 0) AS batch_print,
    (SELECT count(*) FROM orders) AS orders,
    (SELECT coalesce(max(updated_batch_id), 0) FROM orders) AS last_update,
    (SELECT count(*) FROM order_items) AS order_items,
    (SELECT count(*) FROM members) AS members,
    (SELECT count(*) FROM member_identities) AS identities,
    (SELECT count(*) FROM friends) AS friends,
    (SELECT count(*) FROM staff) AS staff,
    (SELECT count(*) FROM member_snapshots) AS snapshots,
    (SELECT count(*) FROM tiers) AS tiers,
    (SELECT count(*) FROM referrals) AS referrals,
    (SELECT count(*) FROM member_tags) AS tags,
    (SELECT count(*) FROM channel_costs) AS channel_costs,
    (SELECT coalesce(bit_xor(hash(name, definition)), 0) FROM saved_segments) AS saved_segments,
    (SELECT count(*) FROM groups) AS groups,
    (SELECT count(*) FROM group_memberships) AS group_memberships,
    (SELECT count(*) FROM group_daily) AS group_daily,
    -- the layer mapping is edited outside any batch; a changed rule changes every group's layer
    (SELECT coalesce(bit_xor(hash(position, pattern, layer)), 0) FROM group_layer_rules) AS group_layer_rules,
    -- campaign plans are written outside import batches (siyu.campaigns.store)
    (SELECT count(*) FROM campaigns) AS campaigns,
    (SELECT count(*) FROM campaign_members) AS campaign_members,
    (SELECT count(*) FROM points_ledger) AS points_ledger,
    (SELECT count(*) FROM paid_memberships) AS paid_memberships,
    (SELECT count(*) FROM tier_thresholds) AS tier_thresholds,
    (SELECT max(updated_at) FROM points_value) AS points_value
FROM import_batches
