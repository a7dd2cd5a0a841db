-- Whether someone cleared the demo in the dashboard (a marker batch, see mark_demo_cleared.sql):
-- autodemo never rebuilds it after that, in any session or process.
SELECT count(*) > 0 AS demo_cleared FROM import_batches WHERE profile = 'demo_cleared'
