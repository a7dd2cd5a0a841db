-- Placeholder for schema version 8, which the `groups` branch of issue #17 adds (WeCom groups). Migration
-- files must be numbered without gaps, so this branch (version 9) carries it until the merge; at the merge
-- the groups branch's 008 file replaces this one.
SELECT 1;
