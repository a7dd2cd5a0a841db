-- Settings stored by admins (name -> value as text).
SELECT name, value, updated_at, updated_by FROM app_settings ORDER BY name
