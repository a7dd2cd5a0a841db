-- Placeholder in the campaigns branch only, so its migrations run without a gap: version 009 belongs to
-- another branch (groups/staff/points). The merge keeps that branch's real 009 file and drops this one.
SELECT 1;
