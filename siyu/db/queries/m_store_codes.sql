-- store -> store_code, exactly as queries/m_valid_orders_narrow.sql and m_token_order_candidates.sql number
-- them (the same database state gives the same codes).
SELECT store, (row_number() OVER (ORDER BY store))::INTEGER AS store_code
FROM (SELECT DISTINCT store FROM valid_orders WHERE store IS NOT NULL)
