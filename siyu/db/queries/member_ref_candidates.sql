-- Every identifier that may name a listed member ($ids: siyu member ids) outside siyu, with the batch
-- that recorded it. siyu.member_refs.choose_refs picks one per member (docs/metrics.md, "Member ids");
-- weak identities (WeCom nicknames) never name a member.
WITH ids AS (SELECT DISTINCT unnest($ids::BIGINT[]) AS member_id)
SELECT i.member_id, i.kind, i.value, i.batch_id
FROM member_identities i
SEMI JOIN ids ON ids.member_id = i.member_id
WHERE NOT i.is_weak
  AND i.kind IN ('external_member_id', 'shop_buyer_id', 'wecom_external_id', 'email', 'phone', 'phone_masked')
