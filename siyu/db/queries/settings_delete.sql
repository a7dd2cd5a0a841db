DELETE FROM app_settings WHERE name = $name
