"""The value metrics: headline KPIs and their trend, GMV concentration, the CLV models (clv, clv_members)
and the valuable buyers at risk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import RANGE_PARAMS, Days, RangeParams, integer, number, order_days, parse_range, resolve_days
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.clv import clv_members, fit_models, fits_as_dict, holdout_comparison
from siyu.metrics.kpi_trend import GRAINS, kpi_trend
from siyu.metrics.kpis import kpis
from siyu.metrics.periods import DateRange, parse_date
from siyu.metrics.rfm import UNITS, rfm_summary
from siyu.models import bgnbd, gamma_gamma


def _with_range(frame: pl.DataFrame, rng: Days) -> pl.DataFrame:
    return frame.with_columns(pl.lit(rng.start).alias("start"), pl.lit(rng.end).alias("end"))


def _run_kpis(ctx: ReadContext, p: RangeParams) -> pl.DataFrame:
    rng = resolve_days(ctx, p.days)
    frame = kpis(inputs.members(ctx), inputs.valid_orders_cached(ctx), inputs.friends(ctx), lo=rng.lo, hi=rng.hi)
    return _with_range(frame, rng)


@dataclass(frozen=True)
class KpiTrendParams:
    days: DateRange = DateRange()
    grain: str = "month"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> KpiTrendParams:
        days = parse_range(params)
        grain = params.get("grain", "month")
        if grain not in GRAINS:
            raise MetricError(f"grain={grain!r}：只能是 day、week 或 month / grain must be day, week or month")
        return cls(days, grain)


def _run_kpi_trend(ctx: ReadContext, p: KpiTrendParams) -> pl.DataFrame:
    rng = resolve_days(ctx, p.days)
    return kpi_trend(inputs.members(ctx), inputs.valid_orders_cached(ctx), inputs.friends(ctx),
                     lo=rng.lo, hi=rng.hi, grain=p.grain)


_KPIS = MetricSpec(
    name="kpis",
    summary="会员、有效会员、购买人数、有效订单、GMV、ARPU、复购率 / headline KPIs of a date range",
    params={"start": "first day, ISO date (default: first day in the data)",
            "end": "last day, inclusive (default: last day in the data)"},
    parse=RangeParams.parse,
    run=_run_kpis,
    single_row=True,
)


_KPI_TREND = MetricSpec(
    name="kpi_trend",
    summary="按日/周/月的新增会员、好友增删、购买人数、订单、GMV / flow KPIs per period",
    params={"start": "first day (ISO date)", "end": "last day, inclusive", "grain": "day | week | month"},
    parse=KpiTrendParams.parse,
    run=_run_kpi_trend,
)


def _run_concentration(ctx: ReadContext, p: RangeParams) -> pl.DataFrame:
    from siyu.metrics.concentration import gmv_concentration

    rng = resolve_days(ctx, p.days)
    orders = order_days(ctx).filter(pl.col("paid_at").cast(pl.Date).is_between(rng.start, rng.end))
    return gmv_concentration(orders)


_CONCENTRATION = MetricSpec(
    name="concentration",
    summary="GMV 集中度：头部买家占比、洛伦兹曲线、基尼系数 / GMV concentration, Lorenz curve, Gini",
    params=dict(RANGE_PARAMS),
    parse=RangeParams.parse,
    run=_run_concentration,
)


CLV_PARAMS = {
    "calibration_end": "ISO date: fit on purchases up to this day (default: the last day with a valid order)",
    "unit": "week | day (default week)",
    "clv_months": "CLV horizon in months (default 12)",
    "discount_monthly": "monthly discount rate for CLV (default 0.01)",
}


@dataclass(frozen=True)
class FitParams:
    """The model fit's settings, shared by clv, clv_members and at_risk_super_users."""

    unit: str = "week"
    calibration_end: dt.date | None = None
    """Fit on purchases up to this day (None: the data's last day)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> FitParams:
        unit = params.get("unit") or "week"
        if unit not in UNITS:
            raise MetricError(f"unit={unit!r}：只能是 week 或 day / unit must be week or day")
        return cls(unit, parse_date(params.get("calibration_end"), "calibration_end"))


def _settings(ctx: ReadContext, p: FitParams) -> tuple[pl.LazyFrame, dt.date | None]:
    """The per-day order frame and the calibration day (the data's last day unless given)."""
    days = inputs.valid_order_days_cached(ctx).rename({"day": "paid_at"})
    return days, p.calibration_end or inputs.data_last_day(ctx)


def _fitted(ctx: ReadContext, days: pl.LazyFrame, calibration_end: dt.date | None,
            unit: str) -> tuple[pl.DataFrame, bgnbd.BGNBDFit, gamma_gamma.GammaGammaFit]:
    """The RFM summary at `calibration_end` and the BG/NBD and Gamma-Gamma fits on it, once per data
    state, scope, day and unit: the Members page's predictions and its at-risk list share one fit (each
    takes seconds on hundreds of thousands of buyers)."""
    def fit() -> tuple[pl.DataFrame, bgnbd.BGNBDFit, gamma_gamma.GammaGammaFit]:
        summary = rfm_summary(days, calibration_end=calibration_end, unit=unit)
        return (summary, *fit_models(summary))

    return frame_cache.memo(ctx, ("clv_fit", calibration_end, unit), fit, large=True)


@dataclass(frozen=True)
class ClvParams:
    fit: FitParams = FitParams()
    holdout_end: dt.date | None = None
    """Compare the predictions with the purchases up to this day (None: no holdout check)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ClvParams:
        # clv_months and discount_monthly are accepted (CLV_PARAMS) and unused here, unchecked as before.
        return cls(FitParams.parse(params), parse_date(params.get("holdout_end"), "holdout_end"))


def _run_clv(ctx: ReadContext, p: ClvParams) -> pl.DataFrame:
    days, calibration_end = _settings(ctx, p.fit)
    unit, holdout_end = p.fit.unit, p.holdout_end
    if holdout_end is not None and calibration_end is not None and holdout_end <= calibration_end:
        raise MetricError("holdout_end 必须晚于 calibration_end / holdout_end must be after calibration_end")
    calib, fit_b, fit_g = _fitted(ctx, days, calibration_end, unit)
    payload = fits_as_dict(fit_b, fit_g)
    holdout: dict[str, object] | None = None
    if holdout_end is not None and calibration_end is not None and calib.height:  # no buyers: nothing to check
        actual = (
            days.filter((pl.col("paid_at") > calibration_end) & (pl.col("paid_at") <= holdout_end))
            .group_by("member_id").agg(pl.len().alias("purchases"))
            .with_columns(pl.col("member_id").cast(pl.String))
            .collect()
        )
        length = (holdout_end - calibration_end).days / UNITS[unit]
        table = holdout_comparison(calib, actual, fit_b, holdout_length=length)
        total = table.filter(pl.col("bucket") == "total").row(0, named=True)
        holdout = {
            "calibration_end": calibration_end.isoformat(), "holdout_end": holdout_end.isoformat(),
            "length": length, "unit": unit,
            "actual_total": total["actual"] * total["customers"],
            "predicted_total": total["predicted"] * total["customers"],
            "buckets": table.to_dicts(),
        }
    return pl.DataFrame([{
        "bgnbd": payload["bgnbd"], "gamma_gamma": payload["gamma_gamma"], "holdout": holdout,
        "calibration_end": calibration_end, "unit": unit,
    }])


@dataclass(frozen=True)
class ClvMembersParams:
    fit: FitParams = FitParams()
    clv_months: int = 12
    discount_monthly: float = 0.01

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ClvMembersParams:
        return cls(FitParams.parse(params), integer(params, "clv_months", 12),
                   number(params, "discount_monthly", 0.01, low=0.0))


def _run_clv_members(ctx: ReadContext, p: ClvMembersParams) -> pl.DataFrame:
    days, calibration_end = _settings(ctx, p.fit)
    summary, fit_b, fit_g = _fitted(ctx, days, calibration_end, p.fit.unit)
    return clv_members(summary, fit_b, fit_g, unit=p.fit.unit, clv_months=p.clv_months,
                       discount_monthly=p.discount_monthly)


_CLV = MetricSpec(
    name="clv",
    summary="BG/NBD + Gamma-Gamma 模型拟合与留出期检验 / BG/NBD and Gamma-Gamma fit with holdout check",
    params={**CLV_PARAMS, "holdout_end": "ISO date (optional): compare predictions with purchases up to this day"},
    parse=ClvParams.parse,
    run=_run_clv,
    single_row=True,
)


_CLV_MEMBERS = MetricSpec(
    name="clv_members",
    summary="每位购买者的预测购买次数、存活概率、客单价与 CLV / predicted purchases, P(alive) and CLV per buyer",
    params=CLV_PARAMS,
    parse=ClvMembersParams.parse,
    run=_run_clv_members,
)


@dataclass(frozen=True)
class AtRiskParams:
    fit: FitParams = FitParams()
    lookback_days: int = 90
    top_share: float = 0.2
    p_alive_max: float = 0.5

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> AtRiskParams:
        return cls(FitParams.parse(params), integer(params, "lookback_days", 90),
                   number(params, "top_share", 0.2, low=0.0), number(params, "p_alive_max", 0.5, low=0.0))


def _run_at_risk(ctx: ReadContext, p: AtRiskParams) -> pl.DataFrame:
    from siyu.db import query
    from siyu.metrics.at_risk import at_risk_super_users
    from siyu.privacy import mask_phone_expr

    days, as_of = _settings(ctx, p.fit)
    unit, lookback = p.fit.unit, p.lookback_days
    if as_of is None:
        return at_risk_super_users(pl.DataFrame(), pl.DataFrame(), pl.DataFrame())
    summary, fit_b, fit_g = _fitted(ctx, days, as_of, unit)
    now = clv_members(summary, fit_b, fit_g, unit=unit)
    earlier = rfm_summary(days, calibration_end=as_of - dt.timedelta(days=lookback), unit=unit)
    before = earlier.select("member_id").with_columns(
        pl.Series("p_alive_before", bgnbd.p_alive(fit_b.params, earlier["frequency"].to_numpy(),
                                                  earlier["recency"].to_numpy(), earlier["T"].to_numpy())
                  if fit_b.converged and earlier.height else [None] * earlier.height, dtype=pl.Float64))
    spend = (
        days.filter(pl.col("paid_at") <= as_of)
        .group_by("member_id")
        .agg((pl.col("net_cents").sum() / 100).alias("net_spend"), pl.col("paid_at").max().alias("last_purchase"))
        .with_columns(pl.col("member_id").cast(pl.String),
                      (pl.lit(as_of) - pl.col("last_purchase")).dt.total_days().alias("days_since_last"))
        .collect()
    )
    risky = at_risk_super_users(now, before, spend, top_share=p.top_share, p_alive_max=p.p_alive_max)
    contacts = query(ctx.con, "member_contacts").select("member_id", "display_name", mask_phone_expr("phone"))
    return risky.join(contacts, on="member_id", how="left").select(
        "member_id", "display_name", "phone", *[c for c in risky.columns if c != "member_id"])


_AT_RISK_SUPER_USERS = MetricSpec(
    name="at_risk_super_users",
    summary="高价值但存活概率下降的会员（召回名单）/ valuable buyers whose P(alive) is low and falling",
    params={**CLV_PARAMS,
            "lookback_days": "compare P(alive) with this many days earlier (default 90)",
            "top_share": "valuable = top share of buyers by net spend (default 0.2)",
            "p_alive_max": "at risk below this P(alive) (default 0.5)"},
    parse=AtRiskParams.parse,
    run=_run_at_risk,
)


SPECS: tuple[MetricSpec, ...] = (_KPIS, _KPI_TREND, _CONCENTRATION, _CLV, _CLV_MEMBERS, _AT_RISK_SUPER_USERS,)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
