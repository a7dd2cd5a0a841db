-- Every stored alert rule, by name.
SELECT name, metric, params, value_col, row_filter, op, threshold, link, enabled, created_by, created_at
FROM alert_rules ORDER BY name
