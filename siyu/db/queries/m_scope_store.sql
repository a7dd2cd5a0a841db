-- The scope of this connection (siyu.db.scope): the store (NULL = any), its marker, and whether the
-- member population is restricted (then temp.main.scope_members lists it).
SELECT store, marker, members_restricted FROM temp.main.scope_store
