-- One row per member: display name and one phone (a full normalised phone when known, else a masked one).
SELECT m.member_id::VARCHAR AS member_id,
       m.display_name,
       coalesce(
           (SELECT min(i.value) FROM member_identities i WHERE i.member_id = m.member_id AND i.kind = 'phone'),
           (SELECT min(i.value) FROM member_identities i WHERE i.member_id = m.member_id AND i.kind = 'phone_masked')
       ) AS phone
FROM members m
