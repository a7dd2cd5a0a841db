-- Saved column mappings, by name.
SELECT name, profile, columns, created_by, created_at FROM ingest_mappings ORDER BY name
