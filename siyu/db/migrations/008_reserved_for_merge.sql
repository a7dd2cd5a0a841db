-- Placeholder in the campaigns branch only, so its migrations run without a gap: version 008 belongs to
-- another branch (groups/staff/points). The merge keeps that branch's real 008 file and drops this one.
SELECT 1;
