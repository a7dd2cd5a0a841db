-- One row per incoming strong identity (kind, value) that already belongs to a member.
SELECT k.kind, k.value, min(i.member_id) AS member_id
FROM stg_ident_keys k
JOIN member_identities i ON i.kind = k.kind AND i.value = k.value AND NOT i.is_weak
GROUP BY k.kind, k.value
