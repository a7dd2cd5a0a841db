-- Members named by identifiers from an uploaded member list: one row per (value, member). $values: the
-- list's cells; $kinds: the identifier kinds they may be (masked phones never link a member).
SELECT DISTINCT i.value, i.member_id
FROM member_identities i
WHERE i.value IN (SELECT unnest($values::VARCHAR[]))
  AND i.kind IN (SELECT unnest($kinds::VARCHAR[]))
  AND NOT i.is_weak
