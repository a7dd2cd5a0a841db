-- Demo build: phones, masked phones and WeCom external ids from demo_identities.
INSERT INTO member_identities (kind, value, member_id, is_weak, batch_id)
SELECT kind, value, member_id, false, $batch_id FROM demo_identities
