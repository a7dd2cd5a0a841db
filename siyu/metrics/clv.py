"""One row per buyer: member_id, frequency, recency, T, monetary_value, p_alive, expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, expected_avg_spend, clv, model.

Predicted customer value from the buy-till-you-die models (siyu.models.bgnbd, siyu.models.gamma_gamma),
fitted on the RFM summary of docs/metrics/rfm.md (purchases aggregated per calendar day; frequency = purchase
days - 1; recency = last - first purchase day; T = observation end - first purchase day; monetary
value = mean daily net spend over the repeat days; time in `unit` = day or week = days / 7).

- p_alive: P(the buyer is still active at the observation end), BG/NBD equation 11.
- expected_purchases_Nd: expected purchase days in the N days after the observation end (equation 10).
- expected_avg_spend: Gamma-Gamma conditional mean spend per purchase (population mean for buyers
  without repeat purchases).
- clv: expected net spend over the next `clv_months` months (30.4375-day months), each month's
  expected purchases times expected_avg_spend, discounted by (1 + discount_monthly) ** month.
- model: 'bgnbd' when both fits converged; otherwise 'fallback', where expected purchases are the
  buyer's historical rate (frequency / T per unit time, 0 when T = 0), p_alive is null (unknown
  rather than invented), expected_avg_spend is the buyer's own monetary value (or the mean of all
  repeat buyers' when they have none), and clv follows from those with the same discounting.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import polars as pl

from siyu.models import bgnbd, gamma_gamma

DAYS_PER_MONTH = 30.4375
HORIZONS_DAYS = (30, 90, 365)
UNIT_DAYS = {"day": 1.0, "week": 7.0}

MEMBER_COLUMNS = ["member_id", "frequency", "recency", "T", "monetary_value", "p_alive",
                  "expected_purchases_30d", "expected_purchases_90d", "expected_purchases_365d",
                  "expected_avg_spend", "clv", "model"]


def fit_models(summary: pl.DataFrame) -> tuple[bgnbd.BGNBDFit, gamma_gamma.GammaGammaFit]:
    """Fit BG/NBD on every buyer and Gamma-Gamma on the repeat buyers of an RFM summary."""
    x = summary["frequency"].to_numpy().astype(float)
    fit_b = bgnbd.fit(x, summary["recency"].to_numpy().astype(float), summary["T"].to_numpy().astype(float))
    fit_g = gamma_gamma.fit(x, summary["monetary_value"].to_numpy().astype(float))
    return fit_b, fit_g


def fits_as_dict(fit_b: bgnbd.BGNBDFit, fit_g: gamma_gamma.GammaGammaFit) -> dict[str, Any]:
    """The `metric clv` JSON: {"bgnbd": {r, alpha, a, b, loglik, n_customers, converged, message}, "gamma_gamma": {...}}."""
    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in d.items()}

    return {"bgnbd": clean(asdict(fit_b)), "gamma_gamma": clean(asdict(fit_g))}


def _fallback_rate(x: np.ndarray, T: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(T > 0, x / np.where(T > 0, T, 1.0), 0.0)


def clv_members(
    summary: pl.DataFrame,
    fit_b: bgnbd.BGNBDFit,
    fit_g: gamma_gamma.GammaGammaFit,
    *,
    unit: str = "week",
    clv_months: int = 12,
    discount_monthly: float = 0.01,
) -> pl.DataFrame:
    """Per-buyer predictions from fitted models (vectorised; one pass per horizon/month)."""
    unit_days = UNIT_DAYS[unit]
    if summary.height == 0:
        return pl.DataFrame(schema={c: (pl.String if c in ("member_id", "model") else pl.Float64)
                                    for c in MEMBER_COLUMNS})
    x = summary["frequency"].to_numpy().astype(float)
    t_x = summary["recency"].to_numpy().astype(float)
    T = summary["T"].to_numpy().astype(float)
    m = summary["monetary_value"].to_numpy().astype(float)
    use_model = fit_b.converged and fit_g.converged

    if use_model:
        # Buyers sharing (x, t_x, T) share every prediction: evaluate the hypergeometric terms once per
        # distinct triple (far fewer than buyers) and hand each buyer its triple's value.
        (ux, ut, uT), _, row = bgnbd.distinct_rows(x, t_x, T)

        def expected(t_days: float) -> np.ndarray:
            found: np.ndarray = bgnbd.expected_purchases(fit_b.params, t_days / unit_days, ux, ut, uT)[row]
            return found

        alive = bgnbd.p_alive(fit_b.params, ux, ut, uT)[row]
        spend = gamma_gamma.expected_spend(fit_g.params, x, m)
    else:
        rate_per_day = _fallback_rate(x, T) / unit_days

        def expected(t_days: float) -> np.ndarray:
            return rate_per_day * t_days

        alive = np.full(len(x), np.nan)
        repeat_mean = float(np.mean(m[x > 0])) if np.any(x > 0) else 0.0
        spend = np.where(x > 0, m, repeat_mean)

    cumulative = [np.zeros(len(x))] + [expected(i * DAYS_PER_MONTH) for i in range(1, clv_months + 1)]
    clv = sum((cumulative[i] - cumulative[i - 1]) / (1 + discount_monthly) ** i for i in range(1, clv_months + 1))
    return summary.select("member_id", "frequency", "recency", "T", "monetary_value").with_columns(
        pl.Series("p_alive", alive, dtype=pl.Float64).fill_nan(None),
        *[pl.Series(f"expected_purchases_{d}d", expected(d), dtype=pl.Float64) for d in HORIZONS_DAYS],
        pl.Series("expected_avg_spend", spend, dtype=pl.Float64),
        pl.Series("clv", clv * spend, dtype=pl.Float64),
        pl.lit("bgnbd" if use_model else "fallback").alias("model"),
    ).with_columns(pl.col("member_id").cast(pl.String))


def holdout_comparison(
    calibration: pl.DataFrame,
    holdout_purchases: pl.DataFrame,
    fit_b: bgnbd.BGNBDFit,
    *,
    holdout_length: float,
    max_bucket: int = 7,
) -> pl.DataFrame:
    """One row per calibration frequency bucket (0, 1, ..., max_bucket+ as 'N+') and a 'total' row:
    bucket, customers, actual, predicted (mean repeat purchase days per customer in the holdout).

    `holdout_purchases`: member_id, purchases (purchase days after calibration end, up to holdout
    end); `holdout_length` in the model's unit. Predicted = BG/NBD equation 10 over that length,
    or the historical rate when the fit did not converge."""
    x = calibration["frequency"].to_numpy().astype(float)
    T = calibration["T"].to_numpy().astype(float)
    if fit_b.converged:
        predicted = bgnbd.expected_purchases(fit_b.params, holdout_length, x,
                                             calibration["recency"].to_numpy().astype(float), T)
    else:
        predicted = _fallback_rate(x, T) * holdout_length
    frame = (
        calibration.select("member_id", "frequency")
        .with_columns(pl.Series("predicted", predicted, dtype=pl.Float64))
        .join(holdout_purchases.select("member_id", pl.col("purchases").cast(pl.Float64)), on="member_id", how="left")
        .with_columns(pl.col("purchases").fill_null(0.0).alias("actual"))
        .with_columns(
            pl.when(pl.col("frequency") >= max_bucket).then(pl.lit(f"{max_bucket}+"))
            .otherwise(pl.col("frequency").cast(pl.Int64).cast(pl.String)).alias("bucket"),
            pl.min_horizontal(pl.col("frequency"), max_bucket).alias("order"),
        )
    )
    buckets = (
        frame.group_by("bucket", "order")
        .agg(pl.len().alias("customers"), pl.col("actual").mean(), pl.col("predicted").mean())
        .sort("order")
        .drop("order")
    )
    total = frame.select(pl.lit("total").alias("bucket"), pl.len().alias("customers"),
                         pl.col("actual").mean(), pl.col("predicted").mean())
    return pl.concat([buckets, total]).with_columns(pl.col("customers").cast(pl.Int64))
