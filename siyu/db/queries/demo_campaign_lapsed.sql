-- Demo recall A: buyers whose last valid order before $send_at was 60-365 days earlier (lapsed), and whether
-- they bought in the 14 days from $send_at (the demo's orders are drawn without campaigns; siyu/demo/campaigns.py).
WITH before AS (
    SELECT member_id, max(paid_at) AS last_paid FROM valid_orders WHERE paid_at < $send_at GROUP BY member_id),
after AS (
    SELECT DISTINCT member_id FROM valid_orders
    WHERE paid_at >= $send_at AND paid_at < $send_at + INTERVAL 14 DAY)
SELECT b.member_id, a.member_id IS NOT NULL AS bought
FROM before b LEFT JOIN after a ON a.member_id = b.member_id
WHERE b.last_paid < $send_at - INTERVAL 60 DAY AND b.last_paid >= $send_at - INTERVAL 365 DAY
ORDER BY b.member_id
