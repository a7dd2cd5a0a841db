"""Registry entries for the predictive metrics: clv (model fit + holdout) and clv_members (per buyer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import inputs
from siyu.metrics.clv import clv_members, fit_models, fits_as_dict, holdout_comparison
from siyu.metrics.periods import parse_date
from siyu.metrics.registry import MetricSpec, register
from siyu.metrics.rfm import UNITS, rfm_summary

CLV_PARAMS = {
    "calibration_end": "ISO date: fit on purchases up to this day (default: the last day with a valid order)",
    "unit": "week | day (default week)",
    "clv_months": "CLV horizon in months (default 12)",
    "discount_monthly": "monthly discount rate for CLV (default 0.01)",
}


def _settings(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> tuple[pl.LazyFrame, dt.date | None, str]:
    unit = params.get("unit") or "week"
    if unit not in UNITS:
        raise MetricError(f"unit={unit!r}：只能是 week 或 day / unit must be week or day")
    days = inputs.valid_order_days(con).rename({"day": "paid_at"})
    calibration_end = parse_date(params.get("calibration_end"), "calibration_end") or inputs.data_last_day(con)
    return days, calibration_end, unit


def _number(params: Mapping[str, str], name: str, default: float, kind: type = float) -> float:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError as exc:
        raise MetricError(f"参数 {name}={raw!r} 不是数字 / {name} must be a number") from exc
    if value < 0:
        raise MetricError(f"参数 {name} 不能为负 / {name} must not be negative")
    return value


def _run_clv(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    days, calibration_end, unit = _settings(con, params)
    holdout_end = parse_date(params.get("holdout_end"), "holdout_end")
    calib = rfm_summary(days, calibration_end=calibration_end, unit=unit)
    fit_b, fit_g = fit_models(calib)
    payload = fits_as_dict(fit_b, fit_g)
    holdout: dict | None = None
    if holdout_end is not None and calibration_end is not None:
        if holdout_end <= calibration_end:
            raise MetricError("holdout_end 必须晚于 calibration_end / holdout_end must be after calibration_end")
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


def _run_clv_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    days, calibration_end, unit = _settings(con, params)
    summary = rfm_summary(days, calibration_end=calibration_end, unit=unit)
    fit_b, fit_g = fit_models(summary)
    return clv_members(summary, fit_b, fit_g, unit=unit,
                       clv_months=int(_number(params, "clv_months", 12, int)),
                       discount_monthly=_number(params, "discount_monthly", 0.01))


register(MetricSpec(
    name="clv",
    summary="BG/NBD + Gamma-Gamma 模型拟合与留出期检验 / BG/NBD and Gamma-Gamma fit with holdout check",
    params={**CLV_PARAMS, "holdout_end": "ISO date (optional): compare predictions with purchases up to this day"},
    run=_run_clv,
    single_row=True,
))
register(MetricSpec(
    name="clv_members",
    summary="每位购买者的预测购买次数、存活概率、客单价与 CLV / predicted purchases, P(alive) and CLV per buyer",
    params=CLV_PARAMS,
    run=_run_clv_members,
))
