"""The 渠道 page's cost section (无效私域 ranked by the cost of a valid member): its words, the template
file operators fill in, and the drawing. Kept out of app_pages/channels.py so that page stays a few lines
of glue; the section reads through siyu.ui.cache only."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import channel_costs as charts
from siyu.config import Settings
from siyu.db.scope import Scope
from siyu.metrics.channel_costs import cost_view
from siyu.metrics.channels import UNKNOWN
from siyu.output import to_csv
from siyu.ui import cache, widgets
from siyu.ui.i18n import current_lang, t
from siyu.ui.page_filters import url_choice
from siyu.ui.tables import cell_format, drawable, guarded

GMV_WINDOWS = ("30", "90", "180")
COLUMNS = {"channel": ("col_channel", "text"), "cost": ("col_cost", "money"), "cost_coverage": ("col_cost_coverage", "pct"),
           "new_members": ("col_added", "int"), "valid_members": ("col_valid_members", "int"),
           "buyers": ("col_buyers", "int"), "cost_per_new_member": ("col_cost_per_new", "money2"),
           "cost_per_valid_member": ("col_cost_per_valid", "money2"), "cost_per_buyer": ("col_cost_per_buyer", "money2"),
           "gmv_nd": ("col_gmv_nd", "money"), "roi": ("col_roi", "float"), "deleted_7d": ("col_deleted_7d", "pct"),
           "window_open": ("col_window_open", "int")}
SHADING = {"cost_per_new_member": False, "cost_per_valid_member": False, "cost_per_buyer": False, "roi": True,
           "deleted_7d": False}


def template_csv(channels: list[str], month: dt.date) -> bytes:
    """The file to fill in: Chinese headers, one row per channel of this brand for `month`, costs left blank."""
    rows = pl.DataFrame({"渠道": channels, "月份": [f"{month:%Y-%m}"] * len(channels),
                         "投放费用（元）": [None] * len(channels), "备注": [None] * len(channels)},
                        schema={"渠道": pl.String, "月份": pl.String, "投放费用（元）": pl.String, "备注": pl.String})
    return to_csv(rows).encode("utf-8-sig")


def _shaded(frame: pl.DataFrame, lang: str, gmv_days: str) -> None:
    """The ranking with conditional colouring; cells written as every table writes them (siyu.ui.tables:
    money in full, ¥11,600.00, so one column never mixes ¥9,340.01 with ¥1.16万)."""
    from siyu.charts.channels import shade

    shown = frame.select(list(COLUMNS)).with_columns(pl.col("channel").fill_null("—")).to_pandas()
    styler = drawable(shown, lang).style  # no null cell: the grid would draw it as "None"
    for column, good in SHADING.items():
        css = shade([None if v != v else v for v in shown[column].tolist()], good)
        styler = styler.apply(lambda _s, css=css: css, subset=[column])
    formats = {c: cell_format(kind, lang, scaled=False) for c, (_l, kind) in COLUMNS.items()}
    styler = styler.format({c: guarded(show) for c, show in formats.items() if show is not None})
    st.dataframe(styler, hide_index=True, column_config={c: t(label, n=gmv_days) for c, (label, _k) in COLUMNS.items()},
                 key="cost_table")


def render(settings: Settings, state: cache.DbState, scope: Scope, params: dict[str, str], *, by: str,
           card: pl.DataFrame, start: dt.date, end: dt.date, stem: str) -> None:
    """The section: the empty state with the template, or the ranking table, its chart and its notes.
    `card` is the scorecard the page shows (same range, scope and `by`): its members and valid members are
    reused, so only buyers and GMV are computed here (metric channel_money)."""
    channels, last_day = card["channel"].to_list(), end
    lang = current_lang()
    st.subheader(t("cost_title"))
    stored = cache.load_metric(settings, state, "channel_cost_rows")
    if stored.is_empty():
        st.info(t("cost_empty"))
        known = [c for c in channels if c != UNKNOWN]  # 未知 is "no channel recorded", not something one pays for
        st.download_button(t("cost_template"), template_csv(known, last_day.replace(day=1)),
                           file_name="siyu_channel_costs_template.csv", mime="text/csv", key="cost_template",
                           on_click="ignore")
        return
    if scope.tier is not None or scope.staff is not None or scope.store is not None:
        st.info(t("cost_scope"))
        return
    gmv = url_choice(t("cost_gmv"), "gmv", GMV_WINDOWS, {n: t("cost_gmv_days", n=n) for n in GMV_WINDOWS}, default="90")
    money = cache.load_metric(settings, state, "channel_money", scope=scope, **params, by=by, gmv_days=gmv)
    as_of = money["as_of"][0] if money.height else end
    view = cost_view(card, money.drop("as_of"), stored.lazy(), start=start, last=min(end, as_of))
    if scope.channel is not None:  # members are that channel's only; so is the spend
        view = view.filter((pl.col("channel") == scope.channel) if by == "member" else (pl.col("new_members") > 0))
    if view["cost"].null_count() == view.height:
        st.info(t("cost_no_overlap", first=stored["period_start"].min(), last=stored["period_end"].max()))
        return
    _shaded(view, lang, gmv)
    known = view.filter(pl.col("cost").is_not_null() & (pl.col("new_members") > 0))
    cost, valid, gmv_sum = known["cost"].sum(), known["valid_members"].sum(), known["gmv_nd"].sum()
    st.caption(t("cost_total", cost=fmt.money(cost, lang, compact=True), new=fmt.number(known["new_members"].sum(), lang),
                 valid=fmt.number(valid, lang), per=fmt.money(cost / valid if valid else None, lang),
                 roi="—" if not cost else f"{gmv_sum / cost:.2f}"))
    widgets.chart_with_csv(t("col_cost_per_valid"), charts.cost_per_valid_member(view, lang), view,
                           f"channel_costs_{by}_{gmv}d_{stem}")
    st.caption(t("cost_note"))
