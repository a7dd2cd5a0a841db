"""The metrics that run on Spark, each as a plan (siyu.spark.plans): resolve on the driver, a partial per
member bucket, an exact combine. The parameters and their defaults are the local engine's
(siyu.engine.cohorts, members, referrals, value)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.periods import DateRange, parse_date
from siyu.spark.plans import (
    Bounds,
    Frames,
    Plan,
    Resolved,
    as_of,
    choice,
    known,
    midnight,
    resolve_range,
    sorted_orders,
)

GRAINS = ("day", "week", "month")


# --- kpis -------------------------------------------------------------------------------------------


def _kpis_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    known(params, ("start", "end"), "kpis")
    start, end = resolve_range(params, bounds)
    return {"start": start, "end": end}


def _kpis_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    from siyu.metrics.kpis import kpi_counts

    return kpi_counts(frames["members"].lazy(), frames["orders"].lazy(), frames["friends"].lazy(),
                      lo=midnight(r["start"]), hi=midnight(r["end"]) + _DAY).collect()


def _kpis_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    from siyu.metrics.kpis import kpis_from_counts

    counts = parts.select(pl.all().fill_null(0).sum().cast(pl.Int64))
    return kpis_from_counts(counts.lazy()).with_columns(pl.lit(r["start"]).alias("start"),
                                                        pl.lit(r["end"]).alias("end"))


# --- retention ----------------------------------------------------------------------------------------


def _retention_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    from siyu.metrics.retention import COHORTS, MEASURES, MODES

    known(params, ("cohort", "grain", "measure", "mode", "start", "end"), "retention")
    days = DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))
    return {"cohort": choice(params, "cohort", COHORTS, "first_order"),
            "grain": choice(params, "grain", GRAINS, "month"),
            "measure": choice(params, "measure", MEASURES, "members"),
            "mode": choice(params, "mode", MODES, "on"),
            "start": days.start, "end": days.end, "as_of": as_of(bounds, days.end)}


def _retention_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    from siyu.metrics.retention import cohort_retention

    members = None if r["cohort"] == "first_order" else frames["members"].lazy()
    frame = cohort_retention(sorted_orders(frames), members, as_of=r["as_of"], cohort=r["cohort"], grain=r["grain"],
                             measure=r["measure"], mode=r["mode"], start=r["start"], end=r["end"], assume_sorted=True)
    if r["measure"] == "revenue":  # carried as cents: a sum of yuan floats would not be exact
        frame = frame.with_columns((pl.col("value") * 100).round().cast(pl.Int64))
    return frame.drop("rate", "cumulative", strict=False)


def _retention_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    from siyu.metrics.retention import retention_columns

    columns = retention_columns(r["cohort"], r["measure"])
    keys = ["cohort", "channel"] if r["cohort"] == "channel" else ["cohort"]
    if parts.is_empty():
        return _empty_retention(r)
    # A bucket lists every period of each cohort it has members of (zeros included), so a cell's sum over
    # the buckets that have the cohort is the cell; sizes are summed per (cohort, period) alike.
    frame = (parts.group_by(*keys, "period")
             .agg(pl.col("cohort_size").sum(), pl.col("value").sum(), pl.col("complete").first())
             .sort(*keys, "period"))
    if r["measure"] == "revenue":
        frame = frame.with_columns(pl.col("value") / 100)
    frame = frame.with_columns((pl.col("value") / pl.col("cohort_size")).alias("rate"))
    if r["measure"] == "revenue":
        frame = frame.with_columns(pl.col("rate").cum_sum().over(keys).alias("cumulative"))
    return frame.select(columns)


def _empty_retention(r: Resolved) -> pl.DataFrame:
    from siyu.metrics.retention import cohort_retention

    empty = pl.LazyFrame(schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64})
    members = pl.LazyFrame(schema={"member_id": pl.Int64, "joined_at": pl.Datetime("us"), "channel": pl.String})
    return cohort_retention(empty, members, as_of=None, cohort=r["cohort"], grain=r["grain"], measure=r["measure"],
                            mode=r["mode"])


# --- lifecycle ------------------------------------------------------------------------------------------


def _lifecycle_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    known(params, ("grain", "start", "end"), "lifecycle")
    rng = DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))
    return {"grain": choice(params, "grain", GRAINS, "month"), "start": rng.start, "as_of": as_of(bounds, rng.end)}


def _lifecycle_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    from siyu.metrics.lifecycle import buyer_lifecycle

    return buyer_lifecycle(sorted_orders(frames), as_of=r["as_of"], grain=r["grain"], start=r["start"],
                           assume_sorted=True)


def _lifecycle_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    from siyu.metrics.lifecycle import SCHEMA

    # Each bucket lists every period from its own first active one to the as-of period: the union of those
    # runs is the run from the earliest, and a period a bucket does not list has zeros there.
    counts = ["new", "returning", "resurrecting", "dormant", "active"]
    return (parts.group_by("period").agg(pl.col(counts).sum(), pl.col("complete").first())
            .sort("period").select(list(SCHEMA)).cast(SCHEMA))


# --- concentration ----------------------------------------------------------------------------------------


def _concentration_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    known(params, ("start", "end"), "concentration")
    start, end = resolve_range(params, bounds)
    return {"start": start, "end": end}


def _concentration_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    """Each buyer's net spend in the range: one row per buyer (a per-member spend table)."""
    return (frames["orders"].lazy().filter(pl.col("paid_at").cast(pl.Date).is_between(r["start"], r["end"]))
            .group_by("member_id").agg(pl.col("net_cents").sum()).collect())


def _concentration_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    from siyu.metrics.concentration import gmv_concentration

    return gmv_concentration(parts.lazy())  # one row per buyer: summing per member again changes nothing


# --- rfm and clv ---------------------------------------------------------------------------------------------


def _rfm_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    from siyu.metrics.rfm import UNITS

    known(params, ("observation_end", "unit", "calibration_end"), "rfm")
    observation_end = parse_date(params.get("observation_end"), "observation_end")
    calibration_end = parse_date(params.get("calibration_end"), "calibration_end")
    if observation_end is None and calibration_end is None:  # rfm_summary's default, for all buckets at once
        observation_end = bounds.last_valid_order_day
    return {"observation_end": observation_end, "calibration_end": calibration_end,
            "unit": choice(params, "unit", tuple(UNITS), "day")}


def _rfm_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    from siyu.metrics.rfm import rfm_summary

    return rfm_summary(sorted_orders(frames), observation_end=r["observation_end"],
                       calibration_end=r["calibration_end"], unit=r["unit"], assume_sorted=True)


def _rfm_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    return parts.sort(pl.col("member_id").cast(pl.Int64))


def _clv_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    from siyu.engine.value import CLV_PARAMS
    from siyu.metrics.rfm import UNITS

    known(params, tuple(CLV_PARAMS), "clv")

    calibration_end = parse_date(params.get("calibration_end"), "calibration_end") or bounds.data_last_day
    return {"observation_end": None, "calibration_end": calibration_end,
            "unit": choice(params, "unit", tuple(UNITS), "week")}


def _clv_combine(parts: pl.DataFrame, r: Resolved, _: Frames) -> pl.DataFrame:
    from siyu.metrics.clv import fit_models, fits_as_dict

    summary = _rfm_combine(parts, r, _)
    fit_b, fit_g = fit_models(summary)
    payload = fits_as_dict(fit_b, fit_g)
    return pl.DataFrame([{"bgnbd": payload["bgnbd"], "gamma_gamma": payload["gamma_gamma"], "holdout": None,
                          "calibration_end": r["calibration_end"], "unit": r["unit"]}])


# --- tiers -------------------------------------------------------------------------------------------------------


def _tiers_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    from siyu.metrics.tiers import tier_distribution

    frame = tier_distribution(frames["members"].lazy(), frames["snapshots"].lazy().sort("member_id", "snapshot_date"),
                              frames["tiers"].lazy(), sorted_orders(frames), start=r["start"], end=r["end"],
                              assume_sorted=True)
    return frame.select("tier", "rank", "members", "buyers", (pl.col("gmv") * 100).round().cast(pl.Int64)
                        .alias("net_cents"))


def _tiers_combine(parts: pl.DataFrame, r: Resolved, driver: Frames) -> pl.DataFrame:
    from siyu.metrics.tiers import SCHEMA, UNRANKED, tier_rows

    if parts.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    # Display order as tiers.ladder: the ladder by rank, then unknown names by name, then 未定级.
    group = pl.when(pl.col("rank").is_not_null()).then(0).when(pl.col("tier") == UNRANKED).then(2).otherwise(1)
    rows = (parts.group_by("tier").agg(pl.col("rank").first(), pl.col("members", "buyers", "net_cents").sum())
            .sort(group, "rank", "tier"))
    return tier_rows(rows.lazy()).pipe(lambda f: f if f["members"].sum() > 0 else f.clear())


# --- k_factor ------------------------------------------------------------------------------------------------------


def _k_factor_resolve(params: Mapping[str, str], bounds: Bounds) -> Resolved:
    known(params, ("by", "start", "end"), "k_factor")
    rng = DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))
    return {"by": choice(params, "by", ("month", "generation"), "month"), "as_of": as_of(bounds, rng.end)}


def _k_factor_partial(frames: Frames, r: Resolved) -> pl.DataFrame:
    """Each member's first valid order of every month up to the as-of day: all k_factor reads of orders
    (the first order ever, and who bought in each month)."""
    days = frames["orders"].lazy().with_columns(pl.col("paid_at").cast(pl.Date).alias("_day"))
    if r["as_of"] is not None:
        days = days.filter(pl.col("_day") <= r["as_of"])
    return (days.sort("member_id", "paid_at")
            .group_by("member_id", pl.col("_day").dt.truncate("1mo").alias("_month"), maintain_order=True)
            .agg(pl.col("paid_at", "net_cents").first()).drop("_month").collect())


def _k_factor_combine(parts: pl.DataFrame, r: Resolved, driver: Frames) -> pl.DataFrame:
    from siyu.metrics.k_factor import k_factor

    return k_factor(driver["referrals"].lazy(), parts.lazy().sort("member_id", "paid_at"), by=r["by"],
                    as_of=r["as_of"], assume_sorted=True)


_DAY = dt.timedelta(days=1)

PLANS: dict[str, Plan] = {p.name: p for p in (
    Plan("kpis", ("members", "orders", "friends"), _kpis_resolve, _kpis_partial, _kpis_combine, single_row=True),
    Plan("retention", ("orders", "members"), _retention_resolve, _retention_partial, _retention_combine),
    Plan("lifecycle", ("orders",), _lifecycle_resolve, _lifecycle_partial, _lifecycle_combine),
    Plan("concentration", ("orders",), _concentration_resolve, _concentration_partial, _concentration_combine),
    Plan("rfm", ("orders",), _rfm_resolve, _rfm_partial, _rfm_combine),
    Plan("clv", ("orders",), _clv_resolve, _rfm_partial, _clv_combine, single_row=True),
    Plan("tiers", ("members", "orders", "snapshots"), _kpis_resolve, _tiers_partial, _tiers_combine,
         bucket_tables=("tiers",)),
    Plan("k_factor", ("orders",), _k_factor_resolve, _k_factor_partial, _k_factor_combine,
         driver_tables=("referrals",)),
)}
"""Metrics that run on Spark; every other metric of the catalog runs on the local engine only (docs/scale.md)."""


def plan(name: str) -> Plan:
    try:
        return PLANS[name]
    except KeyError:
        raise MetricError(f"指标 {name} 还不能在 Spark 上运行；可用：{', '.join(PLANS)} / "
                          f"metric {name} does not run on Spark yet; available: {', '.join(PLANS)}") from None


EMPTY_TABLES: dict[str, pl.Schema] = {
    "members": pl.Schema({"member_id": pl.Int64, "joined_at": pl.Datetime("us"), "channel": pl.String}),
    "orders": pl.Schema({"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}),
    "friends": pl.Schema({"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us"),
                          "channel": pl.String, "add_way": pl.String}),
    "snapshots": pl.Schema({"member_id": pl.Int64, "snapshot_date": pl.Date, "tier": pl.String}),
}
"""The bucketed tables' columns, for a lake with no rows at all."""
