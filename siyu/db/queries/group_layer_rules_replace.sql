-- Replace the group-name → layer rules with the staged list (position, pattern, layer).
DELETE FROM group_layer_rules;
INSERT INTO group_layer_rules (position, pattern, layer, updated_by)
SELECT position, pattern, layer, $user FROM stg_layer_rules
