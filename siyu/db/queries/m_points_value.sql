-- The stored value of one point in yuan (points_value has one row; text keeps the decimal exact).
SELECT CAST(yuan_per_point AS VARCHAR) AS yuan_per_point, updated_at, updated_by FROM points_value WHERE id = 1
