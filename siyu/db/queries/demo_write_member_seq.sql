-- Demo build: members 1..$last_member_id were written with explicit ids; the next import continues after them.
SELECT setval('member_id_seq', $last_member_id)
