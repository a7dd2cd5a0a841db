-- The operator's group-name → layer rules, in the order they are tried.
SELECT position, pattern, layer FROM group_layer_rules ORDER BY position
