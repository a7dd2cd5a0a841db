-- New members, then the existing members this batch completes (earlier join time, missing name or
-- channel), keeping their previous values for undo, then the identities not yet recorded.
INSERT INTO members (member_id, display_name, joined_at, channel, source, batch_id)
SELECT member_id, display_name, coalesce(joined_at, current_localtimestamp()), channel, source, $batch_id
FROM stg_members_new;

INSERT INTO ingest_undo_members (batch_id, member_id, joined_at, display_name, channel)
SELECT $batch_id, m.member_id, m.joined_at, m.display_name, m.channel
FROM members m JOIN stg_member_touch t ON t.member_id = m.member_id
WHERE t.joined_at < m.joined_at
   OR (m.display_name IS NULL AND t.display_name IS NOT NULL)
   OR (m.channel IS NULL AND t.channel IS NOT NULL);

UPDATE members SET
    joined_at = least(members.joined_at, coalesce(t.joined_at, members.joined_at)),
    display_name = coalesce(members.display_name, t.display_name),
    channel = coalesce(members.channel, t.channel)
FROM stg_member_touch t
WHERE members.member_id = t.member_id
  AND (t.joined_at < members.joined_at
       OR (members.display_name IS NULL AND t.display_name IS NOT NULL)
       OR (members.channel IS NULL AND t.channel IS NOT NULL));

-- Strong identities are recorded once per value; masked phones and weak names once per member.
INSERT INTO member_identities (kind, value, member_id, is_weak, batch_id)
SELECT s.kind, s.value, s.member_id, s.is_weak, $batch_id
FROM stg_identities s
WHERE CASE WHEN s.is_weak OR s.kind = 'phone_masked'
           THEN NOT EXISTS (SELECT 1 FROM member_identities i
                            WHERE i.kind = s.kind AND i.value = s.value AND i.member_id = s.member_id)
           ELSE NOT EXISTS (SELECT 1 FROM member_identities i WHERE i.kind = s.kind AND i.value = s.value)
      END
