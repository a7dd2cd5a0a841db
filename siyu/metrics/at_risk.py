"""One row per at-risk valuable buyer: member_id, net_spend, value_rank_share, p_alive, p_alive_before, p_alive_drop, expected_purchases_90d, clv, last_purchase, days_since_last.

"At-risk super users": buyers whose past value is high and whose probability of still being active
is low and falling. Definitions:
- net_spend: the buyer's net amount (yuan) of valid orders up to the as-of day.
- valuable: among the top `top_share` (default 20%) of buyers by net_spend (ties broken by member_id).
- p_alive: BG/NBD P(alive) at the as-of day; p_alive_before: the same buyer's P(alive) computed with
  the same parameters on the summary cut `lookback_days` earlier (default 90); p_alive_drop = before - now.
- at risk: valuable, p_alive < `p_alive_max` (default 0.5) and p_alive_drop > 0.
Sorted by clv (what is at stake) descending. Empty when the model did not converge: without a
trustworthy P(alive) there is no honest at-risk list.
"""

from __future__ import annotations

import polars as pl

COLUMNS = ["member_id", "net_spend", "value_rank_share", "p_alive", "p_alive_before", "p_alive_drop",
           "expected_purchases_90d", "clv", "last_purchase", "days_since_last"]


def at_risk_super_users(
    now: pl.DataFrame,
    before: pl.DataFrame,
    spend: pl.DataFrame,
    *,
    top_share: float = 0.2,
    p_alive_max: float = 0.5,
) -> pl.DataFrame:
    """now: clv_members frame at the as-of day; before: member_id, p_alive_before;
    spend: member_id, net_spend, last_purchase, days_since_last."""
    if now.height == 0 or now["p_alive"].null_count() == now.height:
        return pl.DataFrame(schema={c: t for c, t in zip(COLUMNS, [pl.String, pl.Float64, pl.Float64, pl.Float64,
                                                                   pl.Float64, pl.Float64, pl.Float64, pl.Float64,
                                                                   pl.Date, pl.Int64], strict=True)})
    ranked = (
        spend.sort(["net_spend", "member_id"], descending=[True, False])
        .with_row_index("rank", offset=1)
        .with_columns((pl.col("rank") / pl.len()).alias("value_rank_share"))
    )
    return (
        now.select("member_id", "p_alive", "expected_purchases_90d", "clv")
        .join(ranked, on="member_id", how="inner")
        .join(before, on="member_id", how="left")
        .with_columns((pl.col("p_alive_before") - pl.col("p_alive")).alias("p_alive_drop"))
        .filter(
            (pl.col("value_rank_share") <= top_share)
            & (pl.col("p_alive") < p_alive_max)
            & (pl.col("p_alive_drop") > 0)
        )
        .sort(["clv", "member_id"], descending=[True, False])
        .select(COLUMNS)
    )
