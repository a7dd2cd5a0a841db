-- Demo build: the WeCom tag groups of the demo's customers (siyu/demo/relations.py).
INSERT INTO member_tags (member_id, tag_group, tag, batch_id)
SELECT member_id, tag_group, tag, $batch_id FROM demo_member_tags
