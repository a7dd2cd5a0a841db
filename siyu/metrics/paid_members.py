"""Paid membership (付费会员): fee, renewal and GMV against comparable non-members (docs/metrics/tier_economics.md).

`paid_summary` — one row per plan (and 全部 for all): plan, members, terms, fee (yuan), terms_ended, renewed,
renewal_rate. A term has ended when expires_at + grace (30 days) is on or before `as_of`; it is renewed when the
same member starts another term on or before expires_at + grace. renewal_rate = renewed / terms_ended.

`paid_vs_members` — one row per paid member (the week of their first term's start, Monday d), compared exactly
like redeemer_uplift (siyu.metrics.redeemer_uplift.matched_comparison): the pool for d is every member who joined
on or before d and had no paid term starting by d + 6 + window; both sides described at the start of d by tier,
recency, frequency and value buckets; outcomes over d+7 .. d+6+window (default 365: a membership year).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.matching import MAX_POOL_UNITS, comparison_pool
from siyu.metrics.redeemer_uplift import WEEK_REST, matched_comparison

ALL = "全部"
GRACE_DAYS = 30
SUMMARY_SCHEMA = pl.Schema({"plan": pl.String, "members": pl.Int64, "terms": pl.Int64, "fee": pl.Float64,
                            "terms_ended": pl.Int64, "renewed": pl.Int64, "renewal_rate": pl.Float64})


def paid_terms(paid: pl.LazyFrame, *, as_of: dt.date, grace: int = GRACE_DAYS) -> pl.DataFrame:
    """paid: member_id, started_at, expires_at, fee_cents, plan. One row per term + ended, renewed."""
    terms = paid.with_columns(pl.col("plan").fill_null("付费会员")).sort("member_id", "started_at").collect()
    limit = pl.col("expires_at") + pl.duration(days=grace)
    nxt = pl.col("started_at").shift(-1).over("member_id")
    return terms.with_columns((limit.cast(pl.Date) <= as_of).alias("ended"),
                              (nxt.is_not_null() & (nxt <= limit)).alias("renewed"))


def paid_summary(paid: pl.LazyFrame, *, as_of: dt.date, grace: int = GRACE_DAYS) -> pl.DataFrame:
    t = paid_terms(paid, as_of=as_of, grace=grace)
    if t.height == 0:
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    ended = pl.col("ended") | pl.col("renewed")  # a term renewed early has reached its outcome already
    aggs = [pl.col("member_id").n_unique().cast(pl.Int64).alias("members"), pl.len().cast(pl.Int64).alias("terms"),
            (pl.col("fee_cents").sum() / 100).alias("fee"), ended.sum().cast(pl.Int64).alias("terms_ended"),
            (pl.col("renewed") & ended).sum().cast(pl.Int64).alias("renewed")]
    rows = pl.concat([t.group_by("plan").agg(aggs).sort("plan"),
                      t.select(pl.lit(ALL).alias("plan"), *aggs)], how="vertical_relaxed")
    return (rows.with_columns(pl.when(pl.col("terms_ended") > 0)
                              .then(pl.col("renewed") / pl.col("terms_ended")).alias("renewal_rate"))
            .select(list(SUMMARY_SCHEMA)).cast(SUMMARY_SCHEMA))


def paid_vs_members(paid: pl.LazyFrame, members: pl.LazyFrame, orders: pl.LazyFrame, snapshots: pl.LazyFrame, *,
                    as_of: dt.date, window: int = 365, max_units: int = MAX_POOL_UNITS) -> pl.DataFrame:
    """One row per paid member whose first term started on or before as_of - window (see the module doc)."""
    first = (paid.group_by("member_id").agg(pl.col("started_at").min().cast(pl.Date).alias("first_paid")).collect()
             .with_columns(pl.col("first_paid").dt.truncate("1w").alias("week")))
    treated = (first.filter(pl.col("week") + pl.duration(days=WEEK_REST + window) <= as_of)
               .select("member_id", pl.col("week").alias("day")))
    days = treated.select(pl.col("day").unique())
    pool = comparison_pool(members, days, first.select("member_id", pl.col("first_paid").alias("first_event")),
                           horizon=WEEK_REST + window, max_units=max_units)
    return matched_comparison(treated, pool, orders, snapshots, window=window)


EXPIRY_SCHEMA = pl.Schema({"plan": pl.String, "terms_ended": pl.Int64, "renewed": pl.Int64, "lapsed": pl.Int64,
                           "lapsed_buying": pl.Int64, "lapsed_buying_share": pl.Float64})


def paid_expiry_paths(paid: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date, grace: int = GRACE_DAYS,
                      window: int = 90) -> pl.DataFrame:
    """One row per plan (and 全部): plan, terms_ended, renewed, lapsed, lapsed_buying, lapsed_buying_share.
    A lapsed term ended without a renewal (paid_terms); lapsed_buying = those whose member placed a valid order in
    the `window` days after the expiry, counted only when those days are all on or before as_of."""
    t = paid_terms(paid, as_of=as_of, grace=grace).with_row_index("_t")
    if t.height == 0:
        return pl.DataFrame(schema=EXPIRY_SCHEMA)
    ended = t.filter(pl.col("ended") | pl.col("renewed"))
    lapsed = ended.filter(~pl.col("renewed")).with_columns(pl.col("expires_at").cast(pl.Date).alias("exp"))
    bought = (lapsed.select("_t", "member_id", "exp")
              .join(orders.select("member_id", pl.col("paid_at").cast(pl.Date).alias("od")).collect(), on="member_id")
              .filter((pl.col("od") > pl.col("exp")) & (pl.col("od") <= pl.col("exp") + pl.duration(days=window)))
              .select("_t").unique())
    lapsed = lapsed.with_columns(
        (pl.col("exp") + pl.duration(days=window) <= as_of).alias("seen"),
        pl.col("_t").is_in(bought["_t"].implode()).alias("buying"))
    flags = ended.join(lapsed.select("_t", "seen", "buying"), on="_t", how="left")
    aggs = [pl.len().cast(pl.Int64).alias("terms_ended"), pl.col("renewed").sum().cast(pl.Int64).alias("renewed"),
            (~pl.col("renewed")).sum().cast(pl.Int64).alias("lapsed"),
            (pl.col("buying") & pl.col("seen")).fill_null(False).sum().cast(pl.Int64).alias("lapsed_buying"),
            pl.col("seen").fill_null(False).sum().alias("_seen")]
    rows = pl.concat([flags.group_by("plan").agg(aggs).sort("plan"), flags.select(pl.lit(ALL).alias("plan"), *aggs)],
                     how="vertical_relaxed")
    return (rows.with_columns(pl.when(pl.col("_seen") > 0).then(pl.col("lapsed_buying") / pl.col("_seen"))
                              .alias("lapsed_buying_share"))
            .select(list(EXPIRY_SCHEMA)).cast(EXPIRY_SCHEMA))
