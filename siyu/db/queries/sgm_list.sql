-- Every saved segment, by name.
SELECT name, definition, created_by, created_at, updated_at FROM saved_segments ORDER BY name
