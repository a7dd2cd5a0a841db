-- Forget a saved segment.
DELETE FROM saved_segments WHERE name = $name
