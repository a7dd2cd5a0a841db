-- Which of the listed siyu ids ($ids) are members.
SELECT member_id FROM members WHERE member_id IN (SELECT unnest($ids::BIGINT[]))
