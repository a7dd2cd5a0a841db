-- One row per member × tag, with the tag's group ('' = none): the tag breakdown (siyu.metrics.tags).
SELECT member_id, tag_group, tag FROM member_tags
