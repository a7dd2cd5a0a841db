-- One row per member: join time and acquisition channel.
SELECT member_id, joined_at, channel FROM members
