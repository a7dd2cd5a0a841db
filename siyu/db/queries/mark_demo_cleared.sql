-- A marker batch recording that the demo brand was cleared (run right after clear_demo.sql, in the
-- same transaction). No data row points at it; status 'undone' keeps it out of real_batches.
INSERT INTO import_batches (batch_id, file_name, profile, imported_by, status, note)
VALUES (nextval('batch_id_seq'), '(demo)', 'demo_cleared', $imported_by, 'undone',
        'demo data cleared; autodemo will not rebuild it')
