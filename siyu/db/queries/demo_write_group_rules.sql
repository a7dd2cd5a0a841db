-- Demo build: the layer rules its group names follow, only when the operator has saved none (rules are not
-- the demo's data: clearing the demo keeps them, and a saved list is never overwritten).
INSERT INTO group_layer_rules (position, pattern, layer, updated_by)
SELECT position, pattern, layer, 'demo' FROM demo_group_rules
WHERE NOT EXISTS (SELECT 1 FROM group_layer_rules)
