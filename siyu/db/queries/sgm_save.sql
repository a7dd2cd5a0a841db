-- Save a segment under $name: a new one, or a new definition for an existing name (created_* kept).
INSERT INTO saved_segments (name, definition, created_by, created_at, updated_at)
VALUES ($name, $definition, $by, current_localtimestamp(), current_localtimestamp())
ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
