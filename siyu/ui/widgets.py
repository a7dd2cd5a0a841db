"""Small drawing helpers shared by the pages: KPI cards, a chart with its CSV, the empty state."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.cards import OVERVIEW_CARDS, Card, card_delta, card_value  # noqa: F401 - re-exported for pages
from siyu.charts.plain import plain_figure
from siyu.ui.export import people_csv
from siyu.ui.i18n import current_lang, t

# Plotly's modebar would otherwise offer a link to plotly's site; the app talks to no other host.
PLOTLY_CONFIG = {"displaylogo": False, "showLink": False, "modeBarButtonsToRemove": ["sendDataToCloud"]}


def kpi_cards(cards: tuple[Card, ...], current: dict, previous: dict | None, *, per_row: int = 4) -> None:
    """st.metric per card; the delta is the change against `previous` (None: no comparison)."""
    lang = current_lang()
    for offset in range(0, len(cards), per_row):
        for col, card in zip(st.columns(per_row), cards[offset:offset + per_row], strict=False):
            value = current[card.column]
            col.metric(
                t(card.label), card_value(card, value, lang),
                delta=card_delta(card, value, None if previous is None else previous[card.column], lang),
                delta_color="inverse" if card.inverse else "normal",
                help=t(f"{card.label}_help"), border=True,
            )


def valid_vs_vanity_caption(kpis: dict) -> None:
    """'有效私域用户 4 / 虚荣人数 5（80.0%），无效私域 1 人' under the cards."""
    lang, valid, vanity = current_lang(), kpis["valid_members"], kpis["vanity_headcount"]
    st.caption(t("valid_vs_vanity", valid=fmt.number(valid, lang), vanity=fmt.number(vanity, lang),
                 share=fmt.percent(valid / vanity if vanity else None, lang), gap=fmt.number(vanity - valid, lang)))


def chart_with_csv(title: str, figure: go.Figure, frame: pl.DataFrame, file_stem: str, *,
                   selectable: bool = False) -> list[dict]:
    """A chart under its title with a button that downloads exactly the data drawn (formula-safe CSV).
    selectable: a click on a point reruns the page; returns the clicked points (else [])."""
    st.subheader(title)
    if selectable:
        event = st.plotly_chart(plain_figure(figure), config=PLOTLY_CONFIG, key=f"chart_{file_stem}", on_select="rerun",
                                selection_mode="points")
    else:
        st.plotly_chart(plain_figure(figure), config=PLOTLY_CONFIG, key=f"chart_{file_stem}")
    st.download_button(
        t("download_csv"), people_csv(frame),  # labelled, rounded, BOM: Excel on Chinese Windows reads UTF-8
        file_name=f"siyu_{file_stem}.csv", mime="text/csv", key=f"csv_{file_stem}", on_click="ignore",
    )
    if not selectable:
        return []
    return list(event.selection.points or [])


def share_slider(label: str, low: int, high: int, default: int, step: int, *, key: str, where=st) -> float:
    """A share picked in whole percents (`low`..`high`, shown 5%..50%) and returned as a fraction (20 -> 0.2).
    Streamlit's printf `format` shows the value as it is, so a slider over fractions reads 0.20; integer
    percents also keep 0.15 from arriving as 0.15000000000000002. `where`: a column, or st."""
    return where.slider(label, low, high, default, step, format="%d%%", key=key) / 100


def upload_limit_mb(max_upload_mb: float) -> int:
    """The per-file limit an st.file_uploader states and enforces: siyu's Settings.max_upload_mb in whole MB
    (at least 1), never above the server's own ceiling, server.maxUploadSize, which would refuse the
    upload anyway. Without it the widget says Streamlit's ceiling ("1GB per file") while siyu refuses 200 MB."""
    from streamlit import config

    return max(1, min(math.ceil(max_upload_mb), int(config.get_option("server.maxUploadSize"))))


def empty_state() -> None:
    """What to import, when there is nothing to show."""
    st.subheader(t("empty_title"))
    st.markdown(t("empty_body"))
