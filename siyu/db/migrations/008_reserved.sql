-- Reserved: number 008 belongs to a branch developed in parallel (issue #19 took 011). The lead replaces
-- this placeholder with that branch's migration when merging; it changes nothing.
SELECT 1;
