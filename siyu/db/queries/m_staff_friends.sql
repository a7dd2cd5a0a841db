-- One row per friendship with its staff member and who ended it (the 导购 scorecard, siyu.metrics.staff).
SELECT member_id, staff_id, added_at, deleted_at, deleted_by FROM friends
