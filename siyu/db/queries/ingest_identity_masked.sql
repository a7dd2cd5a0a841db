-- Recognising the same member-export row again when it has no usable phone (masked or empty):
-- same source, same join time, same name, no strong identity, and the same masked phone (or none).
-- This never links two different rows through a masked phone.
SELECT s.rid, min(m.member_id) AS member_id
FROM stg_masked_keys s
JOIN members m ON m.source = $source AND m.joined_at = s.joined_at
    AND m.display_name IS NOT DISTINCT FROM s.display_name
WHERE NOT EXISTS (SELECT 1 FROM member_identities i WHERE i.member_id = m.member_id AND NOT i.is_weak
                  AND i.kind IN ('phone', 'email', 'external_member_id', 'wecom_external_id'))
  AND ((s.phone_masked IS NULL AND NOT EXISTS (
            SELECT 1 FROM member_identities i WHERE i.member_id = m.member_id AND i.kind = 'phone_masked'))
       OR EXISTS (SELECT 1 FROM member_identities i WHERE i.member_id = m.member_id
                  AND i.kind = 'phone_masked' AND i.value = s.phone_masked))
GROUP BY s.rid
