-- Remove alert rule $name (its firings stay: they happened).
DELETE FROM alert_rules WHERE name = $name;
