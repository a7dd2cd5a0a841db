"""The prediction models' state on the Members and Segments pages: one loader, one notice
(siyu/ui/views/model.py decides the state; this module only draws it)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.config import Settings
from siyu.db.scope import Scope
from siyu.ui import cache
from siyu.ui.i18n import current_lang, t
from siyu.ui.views.model import FITTED, ModelStatus, model_status, near_zero


def load_status(settings: Settings, state: cache.DbState, scope: Scope | None) -> tuple[ModelStatus, dict]:
    """The state of the fit behind clv_members (same default calibration day), and that fit's row."""
    fit = cache.load_metric(settings, state, "clv", scope=scope).row(0, named=True)
    return model_status(fit), fit


def show_status(status: ModelStatus, fit: dict) -> None:
    """A green, amber or blue notice naming the state in plain words."""
    lang = current_lang()
    text = t(status.text_key(), buyers=fmt.number(status.buyers, lang), repeat=fmt.number(status.repeat_buyers, lang),
             day=fmt.date(fit.get("calibration_end"), lang), reason=status.reason(lang))
    if status.state == FITTED:
        st.success(text, icon=":material/check_circle:")
    else:
        st.warning(text, icon=":material/warning:")


def blanks(status: ModelStatus) -> dict[str, str]:
    """The text a table shows for a P(alive) the fallback cannot give."""
    return {} if status.fitted else {"p_alive": t("p_alive_unknown"), "p_alive_before": t("p_alive_unknown")}


def explain_near_zero(frame: pl.DataFrame) -> None:
    """Say why some valuable members have P(alive) ≈ 0% and a predicted value of ≈ ¥0."""
    n = near_zero(frame)
    if n:
        st.caption(t("p_alive_near_zero", n=fmt.number(n, current_lang())))


def why_not(status: ModelStatus) -> str:
    """'the model did not converge' / 'there is too little data to fit the model'."""
    return t(f"model_short_{status.state}")
