"""One row per member of a campaign's source: member_id, arm, variant, stratum — a seeded, stratified random split.

Strata (docs/campaigns.md): buyers fall into recency/frequency/value terciles (1 = lowest; recency is ranked
so that 3 = most recent, like the RFM scores), stratum `R3F1M2`; members without a valid order form one
stratum `none`. Within each stratum the members are shuffled by a numpy `default_rng(seed)` stream (drawn
in member_id order, so the same members and seed always give the same split, whatever order they came
in). The shuffled strata are laid end to end and the holdout is dealt along that sequence: position i
(0-based) is holdout when floor((i + 1) h) > floor(i h) with h the holdout share as an exact fraction. So
the whole holdout is floor(n h) members and every stratum holds its share to within one member; the send
members are then dealt to the copy variants in turn along the same sequence.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import polars as pl

from siyu.errors import MetricError

SCHEMA = pl.Schema({"member_id": pl.Int64, "arm": pl.String, "variant": pl.String, "stratum": pl.String})
NO_PURCHASE = "none"


def _tercile(expr: pl.Expr) -> pl.Expr:
    return (1 + (3 * (expr.rank("min") - 1) / pl.len()).floor()).cast(pl.Int64)


def strata(members: pl.DataFrame) -> pl.DataFrame:
    """member_id, stratum from member_id, recency_days, frequency, monetary (nulls: no valid order)."""
    buyers = members.filter(pl.col("frequency").fill_null(0) > 0)
    scored = buyers.with_columns(
        pl.format("R{}F{}M{}", _tercile(-pl.col("recency_days")), _tercile(pl.col("frequency")),
                  _tercile(pl.col("monetary"))).alias("stratum"))
    rest = members.join(buyers, on="member_id", how="anti").with_columns(pl.lit(NO_PURCHASE).alias("stratum"))
    return pl.concat([scored.select("member_id", "stratum"), rest.select("member_id", "stratum")])


def check_holdout(holdout: float) -> Fraction:
    if not 0 < holdout < 1:
        raise MetricError(f"holdout 需要在 0 和 1 之间（例如 0.1），收到 {holdout} / holdout must be between 0 and 1")
    return Fraction(str(holdout)).limit_denominator(10_000)


def stratified_split(members: pl.DataFrame, *, holdout: float, variants: tuple[str, ...] = ("",),
                     seed: int = 0) -> pl.DataFrame:
    """members: member_id (Int64), recency_days, frequency, monetary (null for members who never bought)."""
    share = check_holdout(holdout)
    if not variants or len(set(variants)) != len(variants):
        raise MetricError(f"文案版本不能为空或重复：{variants} / variants must be distinct")
    if members.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    cells = strata(members.unique("member_id")).sort("member_id")
    rng = np.random.default_rng(seed)
    keyed = cells.with_columns(pl.Series("_key", rng.random(cells.height))).sort("stratum", "_key")
    i = np.arange(keyed.height, dtype=np.int64)
    p, q = share.numerator, share.denominator
    is_holdout = ((i + 1) * p) // q > (i * p) // q
    send_no = np.cumsum(~is_holdout) - 1
    names = np.array(variants, dtype=object)
    variant = np.where(is_holdout, "", names[send_no % len(variants)])
    return keyed.select(
        "member_id", pl.Series("arm", np.where(is_holdout, "holdout", "send"), dtype=pl.String),
        pl.Series("variant", variant.tolist(), dtype=pl.String), "stratum").cast(SCHEMA)
