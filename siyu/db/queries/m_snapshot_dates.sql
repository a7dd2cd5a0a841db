-- Distinct snapshot dates, newest first.
SELECT DISTINCT snapshot_date FROM member_snapshots ORDER BY snapshot_date DESC
