-- Is this connection scoped by the global filters (siyu.db.scope created its temp table)? 0 or 1.
SELECT count(*) AS scoped FROM duckdb_tables() WHERE database_name = 'temp' AND table_name = 'scope_store'
