-- Every identifier that may name a member outside siyu (member_ref_candidates.sql for all members at
-- once: for long lists, where binding every id as a parameter costs more than reading them all).
SELECT member_id, kind, value, batch_id
FROM member_identities
WHERE NOT is_weak
  AND kind IN ('external_member_id', 'shop_buyer_id', 'wecom_external_id', 'email', 'phone', 'phone_masked')
