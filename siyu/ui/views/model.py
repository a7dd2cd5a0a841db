"""Which of three states the buy-till-you-die models are in, and what the Members and Segments pages
say about it, without Streamlit.

- fitted: BG/NBD and Gamma-Gamma both converged; P(alive) and predicted value come from the models.
- fallback: a fit was attempted on enough buyers but did not converge; siyu.metrics.clv then predicts
  purchases from each buyer's historical rate, and P(alive) is unknown (null), never invented.
- too_little: no buyers, fewer than MIN_BUYERS, or fewer than two repeat buyers (Gamma-Gamma's floor):
  the data cannot support a fit; the same historical-rate fallback stands in.

The state is read from the `clv` metric's row of the fit the predictions use (calibration at the data's
last day), never from the holdout fit of the model check, which is fitted on less data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.locales import text

FITTED, FALLBACK, TOO_LITTLE = "fitted", "fallback", "too_little"
MIN_BUYERS = 10
"""Below this many buyers a failed fit is named "too little data": four parameters from a handful of
people is not a model, and telling the operator to import more orders is the useful advice."""
MIN_REPEAT_BUYERS = 2  # siyu.models.gamma_gamma refuses to fit fewer
NEAR_ZERO = 0.01


@dataclass(frozen=True)
class ModelStatus:
    state: str
    buyers: int
    repeat_buyers: int
    message: str  # the failed fit's own words (zh / en), "" when fitted

    @property
    def fitted(self) -> bool:
        return self.state == FITTED

    def text_key(self) -> str:
        """The catalog key naming the state: model_state_fitted / _fallback / _too_little."""
        return f"model_state_{self.state}"

    def reason(self, lang: str) -> str:
        """The failed fit's message in the reader's language (the models write "中文 / English")."""
        zh, _, en = self.message.partition(" / ")
        return (en or zh) if lang == "en" else zh


def model_status(fit: Mapping) -> ModelStatus:
    """fit: one row of metric `clv` ({"bgnbd": {...}, "gamma_gamma": {...}, ...})."""
    b, g = fit["bgnbd"], fit["gamma_gamma"]
    buyers, repeat = int(b.get("n_customers") or 0), int(g.get("n_customers") or 0)
    if b.get("converged") and g.get("converged"):
        return ModelStatus(FITTED, buyers, repeat, "")
    failed = b if not b.get("converged") else g
    state = TOO_LITTLE if buyers < MIN_BUYERS or repeat < MIN_REPEAT_BUYERS else FALLBACK
    return ModelStatus(state, buyers, repeat, str(failed.get("message") or ""))


PARAMETERS = (  # (model, key, catalog key of its name, kind)
    ("bgnbd", "r", "model_param_bgnbd_r", "num"),
    ("bgnbd", "alpha", "model_param_bgnbd_alpha", "num"),
    ("bgnbd", "a", "model_param_bgnbd_a", "num"),
    ("bgnbd", "b", "model_param_bgnbd_b", "num"),
    ("bgnbd", "loglik", "model_param_bgnbd_loglik", "num"),
    ("bgnbd", "n_customers", "model_param_bgnbd_n_customers", "int"),
    ("bgnbd", "converged", "model_param_bgnbd_converged", "bool"),
    ("gamma_gamma", "p", "model_param_gamma_gamma_p", "num"),
    ("gamma_gamma", "q", "model_param_gamma_gamma_q", "num"),
    ("gamma_gamma", "v", "model_param_gamma_gamma_v", "num"),
    ("gamma_gamma", "n_customers", "model_param_gamma_gamma_n_customers", "int"),
    ("gamma_gamma", "converged", "model_param_gamma_gamma_converged", "bool"),
)


def _value(value: object, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if kind == "bool":
        return text("yes" if value else "no", lang)
    if kind == "int":
        return f"{int(value):,}"  # type: ignore[call-overload]
    return f"{float(value):,.4g}" if abs(float(value)) < 1e4 else f"{float(value):,.1f}"  # type: ignore[arg-type]


def parameters_table(used: Mapping, holdout: Mapping | None, lang: str) -> pl.DataFrame:
    """One row per parameter: parameter, used (the fit behind the predictions), holdout (the model
    check's fit on the earlier data, or "—"), as display text."""
    rows = []
    for model, key, name, kind in PARAMETERS:
        rows.append({"parameter": text(name, lang),
                     "used": _value(used[model].get(key), kind, lang),
                     "holdout": _value(holdout[model].get(key), kind, lang) if holdout else "—"})
    return pl.DataFrame(rows, schema={"parameter": pl.String, "used": pl.String, "holdout": pl.String})


def near_zero(frame: pl.DataFrame) -> int:
    """How many listed members have a P(alive) under 1% (the model thinks they have left)."""
    if "p_alive" not in frame.columns:
        return 0
    return int(frame.filter(pl.col("p_alive") < NEAR_ZERO).height)


def without_unknown_predictions(frame: pl.DataFrame, status: ModelStatus) -> pl.DataFrame:
    """A download without the P(alive) columns the fallback cannot fill (an empty column reads as a bug)."""
    if status.fitted:
        return frame
    return frame.drop([c for c in ("p_alive", "p_alive_before", "p_alive_drop") if c in frame.columns])
