-- Save (or replace) a named column mapping.
DELETE FROM ingest_mappings WHERE name = $name;
INSERT INTO ingest_mappings (name, profile, columns, created_by) VALUES ($name, $profile, $columns, $created_by)
