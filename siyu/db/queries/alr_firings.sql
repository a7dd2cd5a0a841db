-- Firings at or after $since (NULL: all), newest first.
SELECT name, fired_at, value, previous, threshold, message, posted, error FROM alert_firings
WHERE $since IS NULL OR fired_at >= $since
ORDER BY fired_at DESC, name
LIMIT 1000
