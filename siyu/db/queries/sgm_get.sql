-- One saved segment's definition (a JSON object of strings, siyu/segments.py), by name.
SELECT name, definition, created_by, created_at, updated_at FROM saved_segments WHERE name = $name
