-- The member ids of this connection's scope (siyu.db.scope), for filtering the cached order frame.
SELECT member_id FROM temp.main.scope_members
