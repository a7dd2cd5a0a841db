"""Small pure reshapes the dashboard pages need on top of the metric frames (frame in, frame out).

- layer_summary(super_users): one row per community layer (super, core, mass): members, spend, shares.
- with_predictions(frame, clv_members): the frame with p_alive, expected_purchases_90d and clv joined on.
"""

from __future__ import annotations

import polars as pl

LAYERS = ("super", "core", "mass")
PREDICTION_COLUMNS = ("p_alive", "expected_purchases_90d", "clv")


def layer_summary(super_users: pl.DataFrame) -> pl.DataFrame:
    """One row per layer, super first: layer, members, spend, member_share, spend_share, avg_spend."""
    total_members = max(super_users.height, 1)
    total_spend = float(super_users["spend"].sum() or 0.0) if super_users.height else 0.0
    grouped = super_users.group_by("layer").agg(pl.len().alias("members"), pl.col("spend").sum().alias("spend"))
    base = pl.DataFrame({"layer": list(LAYERS), "order": [0, 1, 2]})
    return (
        base.join(grouped, on="layer", how="left")
        .with_columns(pl.col("members").fill_null(0).cast(pl.Int64), pl.col("spend").fill_null(0.0))
        .with_columns(
            (pl.col("members") / total_members).alias("member_share"),
            (pl.col("spend") / total_spend if total_spend else pl.lit(0.0)).alias("spend_share"),
            pl.when(pl.col("members") > 0).then(pl.col("spend") / pl.col("members")).otherwise(0.0).alias("avg_spend"),
        )
        .sort("order").drop("order")
    )


PREDICT_AUTO_BUYERS = 200_000
"""Above this many buyers a page computes BG/NBD predictions only when asked (a fit takes seconds there)."""


def with_predictions(frame: pl.DataFrame, clv_members: pl.DataFrame) -> pl.DataFrame:
    """`frame` (any member_id type) with the BG/NBD predictions of each member (null when not a buyer)."""
    wanted = [c for c in PREDICTION_COLUMNS if c in clv_members.columns and c not in frame.columns]
    if not wanted:
        return frame
    right = clv_members.select(pl.col("member_id").cast(pl.String), *wanted)
    return (frame.with_columns(pl.col("member_id").cast(pl.String).alias("_key"))
            .join(right.rename({"member_id": "_key"}), on="_key", how="left").drop("_key"))


CN_SEGMENTS = ("重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户",
               "一般价值客户", "一般保持客户", "一般发展客户", "一般挽留客户")
CLASSIC_SEGMENTS = ("Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
                    "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost")


def segment_summary(rfm: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per segment of `column` (cn_segment or segment), in the standard's own order, empty segments
    included: segment, members, share, monetary, monetary_share, avg_monetary, avg_frequency, avg_recency_days."""
    order = CN_SEGMENTS if column == "cn_segment" else CLASSIC_SEGMENTS
    total_members = max(rfm.height, 1)
    total_money = float(rfm["monetary"].sum() or 0.0) if rfm.height else 0.0
    grouped = rfm.group_by(pl.col(column).alias("segment")).agg(
        pl.len().alias("members"), pl.col("monetary").sum().alias("monetary"),
        pl.col("frequency").mean().alias("avg_frequency"), pl.col("recency_days").mean().alias("avg_recency_days"))
    extra = sorted(set(grouped["segment"].to_list()) - set(order))
    base = pl.DataFrame({"segment": [*order, *extra], "_order": list(range(len(order) + len(extra)))})
    return (
        base.join(grouped, on="segment", how="left")
        .with_columns(pl.col("members").fill_null(0).cast(pl.Int64), pl.col("monetary").fill_null(0.0))
        .with_columns(
            (pl.col("members") / total_members).alias("share"),
            (pl.col("monetary") / total_money if total_money else pl.lit(0.0)).alias("monetary_share"),
            pl.when(pl.col("members") > 0).then(pl.col("monetary") / pl.col("members")).alias("avg_monetary"),
        )
        .sort("_order")
        .select("segment", "members", "share", "monetary", "monetary_share", "avg_monetary", "avg_frequency",
                "avg_recency_days")
    )
