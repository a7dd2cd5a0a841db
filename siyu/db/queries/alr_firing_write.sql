-- One firing of an alert rule, and whether the group bot took it.
INSERT INTO alert_firings (name, fired_at, value, previous, threshold, message, posted, error)
VALUES ($name, $fired_at, $value, $previous, $threshold, $message, $posted, $error);
