-- $n new member ids from the sequence, with the largest id in use (the sequence may lag explicit ids).
SELECT nextval('member_id_seq') AS seq, (SELECT coalesce(max(member_id), 0) FROM members) AS top
FROM range($n)
