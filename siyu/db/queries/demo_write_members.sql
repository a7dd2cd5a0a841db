-- Demo build: members from the registered Arrow table demo_members (siyu/demo/frames.py).
INSERT INTO members (member_id, display_name, joined_at, channel, source, batch_id)
SELECT member_id, display_name, joined_at, channel, 'demo', $batch_id FROM demo_members
