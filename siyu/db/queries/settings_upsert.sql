INSERT INTO app_settings (name, value, updated_at, updated_by) VALUES ($name, $value, $now, $by)
ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
