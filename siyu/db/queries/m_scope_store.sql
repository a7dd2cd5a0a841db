-- The scope of this connection (siyu.db.scope): the store (NULL = any), the filters in force (their names
-- and values: the scope's identity, the key of siyu.engine.context.Scope), and whether the member population is
-- restricted (then temp.main.scope_members lists it).
SELECT store, filter_names, filter_values, members_restricted FROM temp.main.scope_store
