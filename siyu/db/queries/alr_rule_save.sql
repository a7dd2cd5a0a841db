-- Store (or replace) alert rule $name; params/row_filter are JSON objects, link holds the rule's other options.
DELETE FROM alert_rules WHERE name = $name;
INSERT INTO alert_rules (name, metric, params, value_col, row_filter, op, threshold, link, enabled, created_by)
VALUES ($name, $metric, $params, $value_col, $row_filter, $op, $threshold, $link, $enabled, $created_by);
