-- Group memberships of one file ($batch_id; $snapshot = the export's snapshot day, NULL for files that are
-- not snapshots). Order: new rows; stored rows the file changes (a leave time, a newer last_seen), keeping
-- their previous values for undo; the file's snapshot per group; then the inferred leaves of every
-- membership of the file's groups: left at the first snapshot after the last one that listed it.
INSERT INTO group_memberships (group_id, member_id, joined_at, left_at, left_source, join_way, inviter, member_type,
                               nickname, last_seen, batch_id)
SELECT group_id, member_id, joined_at, left_at, left_source, join_way, inviter, member_type, nickname, last_seen,
       $batch_id
FROM stg_gm s
WHERE NOT EXISTS (SELECT 1 FROM group_memberships m
                  WHERE m.group_id = s.group_id AND m.member_id = s.member_id AND m.joined_at = s.joined_at);

INSERT INTO ingest_undo_group_memberships (batch_id, group_id, member_id, joined_at, left_at, left_source, last_seen)
SELECT $batch_id, m.group_id, m.member_id, m.joined_at, m.left_at, m.left_source, m.last_seen
FROM group_memberships m
JOIN stg_gm s ON m.group_id = s.group_id AND m.member_id = s.member_id AND m.joined_at = s.joined_at
WHERE m.batch_id <> $batch_id
  AND ((s.left_at IS NOT NULL AND s.left_at IS DISTINCT FROM m.left_at)
       OR (s.last_seen IS NOT NULL AND (m.last_seen IS NULL OR s.last_seen > m.last_seen)));

UPDATE group_memberships SET
    left_at = coalesce(s.left_at, group_memberships.left_at),
    left_source = CASE WHEN s.left_at IS NOT NULL THEN 'export' ELSE group_memberships.left_source END,
    last_seen = CASE WHEN s.last_seen IS NOT NULL AND (group_memberships.last_seen IS NULL
                                                       OR s.last_seen > group_memberships.last_seen)
                     THEN s.last_seen ELSE group_memberships.last_seen END
FROM stg_gm s
WHERE group_memberships.group_id = s.group_id AND group_memberships.member_id = s.member_id
  AND group_memberships.joined_at = s.joined_at AND group_memberships.batch_id <> $batch_id
  AND ((s.left_at IS NOT NULL AND s.left_at IS DISTINCT FROM group_memberships.left_at)
       OR (s.last_seen IS NOT NULL AND (group_memberships.last_seen IS NULL OR s.last_seen > group_memberships.last_seen)));

INSERT INTO group_snapshots (group_id, snapshot_date, listed, batch_id)
SELECT group_id, $snapshot, listed, $batch_id
FROM stg_gm_groups g
WHERE $snapshot IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM group_snapshots s WHERE s.group_id = g.group_id AND s.snapshot_date = $snapshot);

CREATE OR REPLACE TEMP TABLE stg_gm_inferred AS
SELECT m.group_id, m.member_id, m.joined_at,
       CASE WHEN min(s.snapshot_date) IS NULL THEN NULL
            ELSE greatest(CAST(min(s.snapshot_date) AS TIMESTAMP), m.joined_at) END AS new_left
FROM group_memberships m
LEFT JOIN group_snapshots s ON s.group_id = m.group_id AND s.snapshot_date > m.last_seen
WHERE m.group_id IN (SELECT group_id FROM stg_gm_groups)
  AND m.last_seen IS NOT NULL AND m.left_source IS DISTINCT FROM 'export'
GROUP BY m.group_id, m.member_id, m.joined_at;

DELETE FROM stg_gm_inferred
WHERE new_left IS NOT DISTINCT FROM (SELECT m.left_at FROM group_memberships m
                                     WHERE m.group_id = stg_gm_inferred.group_id
                                       AND m.member_id = stg_gm_inferred.member_id
                                       AND m.joined_at = stg_gm_inferred.joined_at);

INSERT INTO ingest_undo_group_memberships (batch_id, group_id, member_id, joined_at, left_at, left_source, last_seen)
SELECT $batch_id, m.group_id, m.member_id, m.joined_at, m.left_at, m.left_source, m.last_seen
FROM group_memberships m
JOIN stg_gm_inferred n ON m.group_id = n.group_id AND m.member_id = n.member_id AND m.joined_at = n.joined_at
WHERE m.batch_id <> $batch_id
  AND NOT EXISTS (SELECT 1 FROM ingest_undo_group_memberships u
                  WHERE u.batch_id = $batch_id AND u.group_id = m.group_id AND u.member_id = m.member_id
                    AND u.joined_at = m.joined_at);

UPDATE group_memberships SET left_at = n.new_left,
                             left_source = CASE WHEN n.new_left IS NULL THEN NULL ELSE 'snapshot' END
FROM stg_gm_inferred n
WHERE group_memberships.group_id = n.group_id AND group_memberships.member_id = n.member_id
  AND group_memberships.joined_at = n.joined_at;

SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM stg_gm s WHERE s.group_id = n.group_id
                                          AND s.member_id = n.member_id AND s.joined_at = n.joined_at)) AS inferred
FROM stg_gm_inferred n
